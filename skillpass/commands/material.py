"""What verification may use beside the bundle, kept in the wallet: contexts and dids."""

from pathlib import Path
from typing import Annotated

import typer

from skillpass import flow, render
from skillpass.commands.common import Home, Json, PassphraseFile, output, session

# (key, header, atomic) of the text tables
_CONTEXT_COLUMNS = (("url", "URL", True), ("source", "Source", False), ("sha256", "SHA-256", True))
_DID_COLUMNS = (("id", "DID", True), ("verificationMethods", "Keys", True), ("added", "Added", True))

contexts_app = typer.Typer(no_args_is_help=True, help="""JSON-LD contexts skillpass knows: bundled ones and those you trust.

    \b
    Example:
      skillpass contexts list
      skillpass contexts add context.json --url https://example.org/context/v1
    """)


@contexts_app.command("add")
def contexts_add(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The context document (JSON).")],
    url: Annotated[str, typer.Option("--url", metavar="URL", help="The URL credentials use for it.")],
    home: Home = None,
    passphrase_file: PassphraseFile = None,
    json_output: Json = False,
) -> None:
    """Trust an extra JSON-LD context, pinned by the SHA-256 of FILE.

    Only add a context you got from a source you trust: it decides what a credential's
    signed statements mean.

    \b
    Example:
      skillpass contexts add vc-extensions-v2.jsonld --url https://mattr.global/contexts/vc-extensions/v2
    """
    result = flow.add_context(session(home, passphrase_file), file, url)
    output(result, json_output, lambda r: render.note(f"trusting {r['url']} (sha256 {r['sha256']})"))


@contexts_app.command("list")
def contexts_list(home: Home = None, passphrase_file: PassphraseFile = None, json_output: Json = False) -> None:
    """List the JSON-LD contexts: bundled with skillpass, and added by you.

    \b
    Example:
      skillpass contexts list --json
    """
    rows = flow.list_contexts(session(home, passphrase_file))
    output(rows, json_output, _contexts_text)


def _contexts_text(rows: list[dict]) -> None:
    """On a terminal each context's source in the learner's language; piped, as --json says it."""
    import sys

    if sys.stdout.isatty():
        rows = [{**row, "source": _source_text(row["source"])} for row in rows]
    render.rows_table(rows, _CONTEXT_COLUMNS)


def _source_text(source: str) -> str:
    """flow.list_contexts' 'bundled (PACKAGE)' or 'added DATE', for people."""
    if source.startswith("bundled (") and source.endswith(")"):
        return render.t("bundled ({package})").format(package=source[len("bundled ("):-1])
    if source.startswith("added "):
        return render.t("added by you on {date}").format(date=source.removeprefix("added "))
    return source


dids_app = typer.Typer(no_args_is_help=True, help="""DID documents kept locally, so issuers' did:web keys resolve offline.

    \b
    Example:
      skillpass dids add did.json
      skillpass dids list
    """)


@dids_app.command("add")
def dids_add(
    file: Annotated[Path, typer.Argument(
        metavar="FILE", help="A DID document (did.json), or an Open Badges 2.0 key, issuer or badge document.")],
    home: Home = None,
    passphrase_file: PassphraseFile = None,
    json_output: Json = False,
) -> None:
    """Keep an issuer's DID document (e.g. did:web) so its keys resolve without the network.

    Also keeps the documents a signed Open Badge 2.0 is checked with: its CryptographicKey, the
    issuer's Profile and the BadgeClass, each as the issuer serves it (an https id).

    \b
    Example:
      skillpass dids add did.json
      skillpass dids add cryptographickey.json
    """
    result = flow.add_did_document(session(home, passphrase_file), file)
    output(result, json_output, lambda r: render.note(
        f"kept the {'DID' if r['id'].startswith('did:') else 'issuer'} document {r['id']}"))


@dids_app.command("list")
def dids_list(home: Home = None, passphrase_file: PassphraseFile = None, json_output: Json = False) -> None:
    """List the DID documents kept in the wallet.

    \b
    Example:
      skillpass dids list
    """
    rows = flow.list_did_documents(session(home, passphrase_file))
    output(rows, json_output, lambda rows: render.rows_table(rows, _DID_COLUMNS))
