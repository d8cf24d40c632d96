"""The verifier's side: verify, and the issuers it trusts (trust add, list, remove)."""

from pathlib import Path
from typing import Annotated, Optional

import typer

from skillpass import flow, render
from skillpass.commands.common import Home, Json, PassphraseFile, home_dir, output


def verify(
    files: Annotated[list[str], typer.Argument(
        metavar="FILE", help="A presentation or credential (JSON, SD-JWT VC, JWT, a QR code's text, a "
                             "passport page), or - for stdin; with --qr, images of QR codes.")],
    challenge: Annotated[Optional[str], typer.Option("--challenge", help="The challenge you gave the holder.")] = None,
    domain: Annotated[Optional[str], typer.Option("--domain", help="Your domain, as you gave it to the holder.")] = None,
    allow_unbound: Annotated[bool, typer.Option(
        "--allow-unbound", help="Accept credentials whose subject is not the presentation's holder.")] = False,
    require_trusted: Annotated[bool, typer.Option(
        "--require-trusted", help="Fail when an issuer is not in your trust list ('skillpass trust add').")] = False,
    context: Annotated[Optional[list[str]], typer.Option(
        "--context", metavar="URL=FILE",
        help="Also trust this JSON-LD context for this check (repeatable), e.g. a CLR 2.0 context.")] = None,
    did_file: Annotated[Optional[list[Path]], typer.Option(
        "--did", metavar="FILE",
        help="Also resolve keys from this DID document for this check (repeatable), e.g. an "
             "issuer's did:web document.")] = None,
    status_list: Annotated[Optional[list[Path]], typer.Option(
        "--status-list", metavar="FILE",
        help="The issuer's status list for this check (repeatable): a revoked or suspended credential "
             "is invalid.")] = None,
    max_age: Annotated[int, typer.Option(
        "--max-age", metavar="SECONDS",
        help="How old an SD-JWT's key binding or a JWT presentation may be.")] = 300,
    qr: Annotated[bool, typer.Option(
        "--qr", help="FILE... are images (PNG, JPEG) of one QR code, or of every part of a sequence.")] = False,
    home: Home = None,
    passphrase_file: PassphraseFile = None,
    json_output: Json = False,
) -> None:
    """Check a presentation (or a credential) as a verifier: proofs, holder, challenge, dates, issuers.

    Reads JSON-LD presentations and credentials, SD-JWT VCs with their key binding JWT (the
    challenge is its nonce, the domain its aud), JWT presentations and VC-JWTs, and reports
    them all in the same checks and the same --json document, as well as the presentation a
    passport page made with 'skillpass passport --signed --html' carries. Issuers of SD-JWT VCs and
    VC-JWTs known by an https address are checked with the metadata kept by
    'skillpass trust add --metadata FILE'.

    Needs no wallet: the trust list is plain JSON in the home. When the home holds a wallet
    that keeps DID documents, contexts or status lists ('skillpass dids add', 'contexts add',
    'status add'), they are used too, once the wallet is unlocked. A credential that names a
    status list is checked against the list given with --status-list or kept in the wallet: a
    revoked or suspended one is invalid; without its list, a warning says it was not checked. Exits 0 only when everything verified, 9 when something
    is invalid, 10 when something could not be checked here (e.g. an unknown context or DID).

    Several FILEs (a folder of presentations) are verified each on its own, on every core, and
    reported one line a file in the order given (--json: one array of {file, report} or {file,
    error}); then the exit status is 0 only when every file verified, 9 when any is invalid,
    else that of the first file that could not be read, else 10.

    \b
    Example:
      skillpass verify presentation.json --challenge 8c1d5e --domain hiring.example.ca
      skillpass verify received/*.json --challenge 8c1d5e --json
      skillpass verify - --json < presentation.json
      skillpass verify badge.json --did boreal-did.json
      skillpass verify presentation.json --status-list status-list.json
      skillpass verify passport.html
      skillpass verify --qr code-1.png code-2.png
      skillpass verify presentation.sd-jwt --challenge 8c1d5e --domain hiring.example.ca
      skillpass verify clr.json --context https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json=clr.json
    """
    from skillpass.fastcli.verify import verify_command
    from skillpass.fastcli.verify_args import VerifyArgs

    status = verify_command(VerifyArgs(
        list(files), challenge=challenge, domain=domain, allow_unbound=allow_unbound,
        require_trusted=require_trusted, context=list(context or []), did_file=list(did_file or []),
        status_list=list(status_list or []), max_age=max_age, qr=qr, home=home,
        passphrase_file=passphrase_file, json_output=json_output))
    if status:
        raise typer.Exit(status)


# (key, header, atomic) of the text table
_TRUST_COLUMNS = (("issuer", "Issuer", True), ("name", "Name", False), ("added", "Added", True))

trust_app = typer.Typer(no_args_is_help=True, help="""Issuers you trust, for 'skillpass verify'.

    \b
    Example:
      skillpass trust add did:web:boreal.example --name "Collège Boréal"
      skillpass trust add --metadata jwt-vc-issuer.json --name "Collège Boréal"
      skillpass trust list
    """)


@trust_app.command("add")
def trust_add(
    did: Annotated[Optional[str], typer.Argument(metavar="[DID]", help="The issuer's DID.")] = None,
    name: Annotated[str, typer.Option("--name", metavar="NAME", help="A name to show for this issuer.")] = ...,
    metadata: Annotated[Optional[Path], typer.Option(
        "--metadata", metavar="FILE",
        help="Trust the https issuer of SD-JWT VCs and VC-JWTs whose JWT VC Issuer Metadata (its "
             "/.well-known/jwt-vc-issuer document, with its jwks) FILE holds, and keep its keys.")] = None,
    home: Home = None,
    json_output: Json = False,
) -> None:
    """Trust an issuer: 'skillpass verify' reports its credentials as from a trusted issuer.

    An issuer known by a DID is trusted by its DID. An issuer of SD-JWT VCs or VC-JWTs known by
    an https address is trusted with its metadata file, which also holds the keys 'import' and
    'verify' check its credentials with (skillpass never downloads it: save it from a browser).

    \b
    Example:
      skillpass trust add did:web:boreal.example --name "Collège Boréal"
      skillpass trust add --metadata jwt-vc-issuer.json --name "Collège Boréal"
    """
    result = flow.trust_add(home_dir(home), did, name, metadata)
    output(result, json_output,
           lambda r: render.note(f"trusting {r['name']} ({r.get('did') or r.get('issuer')})"))


@trust_app.command("list")
def trust_list(home: Home = None, json_output: Json = False) -> None:
    """List the issuers you trust.

    \b
    Example:
      skillpass trust list --json
    """
    rows = flow.trust_list(home_dir(home))
    output(rows, json_output, lambda rows: render.rows_table(rows, _TRUST_COLUMNS))


@trust_app.command("remove")
def trust_remove(
    did: Annotated[str, typer.Argument(metavar="ISSUER", help="The issuer's DID or https address.")],
    home: Home = None,
    json_output: Json = False,
) -> None:
    """Stop trusting an issuer.

    \b
    Example:
      skillpass trust remove did:web:boreal.example
    """
    result = flow.trust_remove(home_dir(home), did)
    output(result, json_output, lambda r: render.note(f"no longer trusting {r['removed']}"))
