"""The command line: parse options, call one flow function, render. Nothing else.

Heavy libraries (cryptography, pyld, qrcode, keyring, sqlite) are imported by the flow a command
runs, never here, so `skillpass --help` stays fast.
"""

from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Annotated, Optional

import typer

from skillpass import __version__, flow, render
from skillpass.errors import CancelledError, ExitStatus, SkillpassError

try:  # typer >= 0.29 vendors click; its usage errors derive from typer.TyperException
    from typer import Abort, Exit
    from typer import TyperException as ClickException
except ImportError:  # pragma: no cover - older typer with click as a dependency
    from click.exceptions import Abort, ClickException, Exit  # type: ignore[no-redef]

app = typer.Typer(
    name="skillpass",
    help="Your digital skills passport: keep verifiable credentials encrypted on this machine, "
         "see them, and share exactly what you choose.",
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

Home = Annotated[Optional[Path], typer.Option(
    "--home", metavar="DIR", show_default=False,
    help="Wallet directory [default: $SKILLPASS_HOME, else your user data directory].")]
PassphraseFile = Annotated[Optional[Path], typer.Option(
    "--passphrase-file", metavar="FILE", show_default=False,
    help="Read the passphrase from FILE (else $SKILLPASS_PASSPHRASE, the OS keyring, or a prompt).")]
Json = Annotated[bool, typer.Option("--json", help="Print one JSON document instead of text.")]


def _session(home: Path | None, passphrase_file: Path | None) -> flow.Session:
    import os

    from skillpass.wallet.home import resolve_home
    from skillpass.wallet.unlock import SecretSources

    return flow.Session(resolve_home(str(home) if home else None, os.environ),
                        SecretSources.from_process(passphrase_file))


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"skillpass {__version__}\n")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Your digital skills passport: keep verifiable credentials encrypted on this machine,
    see them, and share exactly what you choose.

    \b
    Every command takes --home DIR (or $SKILLPASS_HOME) and, where it prints, --json.
    Add --debug anywhere to see a traceback when something fails.

    \b
    Example:
      skillpass init
      skillpass list
    """


@app.command()
def init(
    home: Home = None,
    passphrase_file: PassphraseFile = None,
    keyring: Annotated[bool, typer.Option(
        "--keyring", help="Keep a random key in the OS keyring, so no passphrase is asked.")] = False,
    json_output: Json = False,
) -> None:
    """Create a new encrypted wallet and the holder's identity (Ed25519 and P-256 did:key).

    Refuses to touch a wallet that already exists.

    \b
    Example:
      skillpass init
      skillpass init --home /tmp/test-wallet --passphrase-file pass.txt
    """
    result = flow.init_wallet(_session(home, passphrase_file), use_keyring=keyring)
    if json_output:
        render.emit_json(result)
        return
    render.note(f"created a wallet in {result['home']}")
    render.dids_table(result["dids"])


@app.command()
def did(home: Home = None, passphrase_file: PassphraseFile = None, json_output: Json = False) -> None:
    """Show the holder's DIDs: the identities credentials are issued to and presentations signed by.

    \b
    Example:
      skillpass did
      skillpass did --json
    """
    keys = flow.holder_dids(_session(home, passphrase_file))
    render.emit_json(keys) if json_output else render.dids_table(keys)


@app.command("list")
def list_(home: Home = None, passphrase_file: PassphraseFile = None, json_output: Json = False) -> None:
    """List the credentials in the wallet, newest first.

    \b
    Example:
      skillpass list
      skillpass list --json
    """
    rows = flow.list_credentials(_session(home, passphrase_file), _now())
    render.emit_json(rows) if json_output else render.credentials_table(rows)


@app.command()
def show(
    credential_id: Annotated[str, typer.Argument(metavar="ID", help="A credential id, or its first characters.")],
    home: Home = None,
    passphrase_file: PassphraseFile = None,
    json_output: Json = False,
    raw: Annotated[bool, typer.Option("--raw", help="Print the credential exactly as received.")] = False,
) -> None:
    """Show one credential: what it says, who issued it, and how it was verified.

    \b
    Example:
      skillpass show 3f2a
      skillpass show 3f2a --raw > badge.json
    """
    session = _session(home, passphrase_file)
    if raw:
        data = flow.raw_credential(session, credential_id)
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    detail = flow.show_credential(session, credential_id, _now())
    render.emit_json(detail) if json_output else render.credential_detail(detail)


@app.command()
def remove(
    credential_id: Annotated[str, typer.Argument(metavar="ID", help="A credential id, or its first characters.")],
    home: Home = None,
    passphrase_file: PassphraseFile = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    json_output: Json = False,
) -> None:
    """Remove a credential from the wallet (asks first unless --yes).

    \b
    Example:
      skillpass remove 3f2a
      skillpass remove 3f2a --yes
    """
    result = flow.remove_credential(_session(home, passphrase_file), credential_id,
                                    lambda question: yes or _confirm(question))
    render.emit_json(result) if json_output else render.note(f"removed {result['removed']}")


@app.command()
def backup(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Where to write the encrypted backup.")],
    home: Home = None,
    passphrase_file: PassphraseFile = None,
    backup_passphrase_file: Annotated[Optional[Path], typer.Option(
        "--backup-passphrase-file", metavar="FILE",
        help="Protect the backup with this passphrase instead of the wallet's.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
    json_output: Json = False,
) -> None:
    """Write the whole wallet to one encrypted file, restorable on another machine.

    The backup is protected by the wallet's passphrase unless --backup-passphrase-file
    gives another one.

    \b
    Example:
      skillpass backup ~/skillpass-backup.json
    """
    from skillpass.wallet.wallet import utc_now

    result = flow.backup_wallet(_session(home, passphrase_file), file, backup_passphrase_file,
                                overwrite=force, created=utc_now())
    render.emit_json(result) if json_output else render.note(
        f"wrote {result['records']} records to {result['file']}")


@app.command()
def restore(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A file written by 'skillpass backup'.")],
    home: Home = None,
    passphrase_file: PassphraseFile = None,
    backup_passphrase_file: Annotated[Optional[Path], typer.Option(
        "--backup-passphrase-file", metavar="FILE",
        help="The backup's passphrase, when it differs from the wallet's.")] = None,
    json_output: Json = False,
) -> None:
    """Restore a backup: into an empty home (the wallet keeps the backup's passphrase),
    or merged into the existing wallet without duplicates.

    \b
    Example:
      skillpass restore ~/skillpass-backup.json --home ~/new-wallet
    """
    result = flow.restore_wallet(_session(home, passphrase_file), file, backup_passphrase_file)
    if json_output:
        render.emit_json(result)
        return
    count = result["added"].get("credential", 0)
    how = "merged into" if result["merged"] else "restored to"
    render.note(f"{count} credentials {how} {result['home']}")


@app.command()
def passphrase(
    home: Home = None,
    passphrase_file: PassphraseFile = None,
    new_passphrase_file: Annotated[Optional[Path], typer.Option(
        "--new-passphrase-file", metavar="FILE", help="Read the new passphrase from FILE.")] = None,
    json_output: Json = False,
) -> None:
    """Change the wallet's passphrase (only the data key is rewrapped, atomically).

    \b
    Example:
      skillpass passphrase
      skillpass passphrase --passphrase-file old.txt --new-passphrase-file new.txt
    """
    result = flow.change_passphrase(_session(home, passphrase_file), new_passphrase_file)
    render.emit_json(result) if json_output else render.note("passphrase changed")


@app.command("import")
def import_(
    sources: Annotated[list[str], typer.Argument(
        metavar="SOURCE...", help="Credential files, directories (searched for .json/.jsonld), or - for stdin.")],
    home: Home = None,
    passphrase_file: PassphraseFile = None,
    allow_expired: Annotated[bool, typer.Option(
        "--allow-expired", help="Keep expired or not-yet-valid credentials (always shown as such).")] = False,
    json_output: Json = False,
) -> None:
    """Verify credentials and keep the ones whose proofs hold. Offline: nothing is fetched.

    Accepts single credentials, JSON arrays of credentials and presentations that carry
    credentials. Each credential is verified and stored on its own: good ones are kept even
    when others are rejected. Exits 0 only when nothing was rejected.

    \b
    Example:
      skillpass import badge.json
      skillpass import ~/Downloads/credentials/
      curl -s https://college.example/my-badge.json | skillpass import -
    """
    outcomes = flow.import_credentials(_session(home, passphrase_file), sources, sys.stdin.buffer,
                                       now=_now(), allow_expired=allow_expired, progress=render.progress)
    if json_output:
        render.emit_json([o.to_dict() for o in outcomes])
    else:
        render.import_table([o.to_dict() for o in outcomes])
    rejected = [o for o in outcomes if o.status == "rejected"]
    if rejected:
        raise typer.Exit(rejected[0].exit_status)


contexts_app = typer.Typer(no_args_is_help=True, help="""JSON-LD contexts skillpass knows: bundled ones and those you trust.

    \b
    Example:
      skillpass contexts list
      skillpass contexts add context.json --url https://example.org/context/v1
    """)
app.add_typer(contexts_app, name="contexts")


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
    result = flow.add_context(_session(home, passphrase_file), file, url)
    render.emit_json(result) if json_output else render.note(f"trusting {result['url']} (sha256 {result['sha256']})")


@contexts_app.command("list")
def contexts_list(home: Home = None, passphrase_file: PassphraseFile = None, json_output: Json = False) -> None:
    """List the JSON-LD contexts: bundled with skillpass, and added by you.

    \b
    Example:
      skillpass contexts list --json
    """
    rows = flow.list_contexts(_session(home, passphrase_file))
    render.emit_json(rows) if json_output else render.rows_table(rows, ("url", "source", "sha256"))


dids_app = typer.Typer(no_args_is_help=True, help="""DID documents kept locally, so issuers' did:web keys resolve offline.

    \b
    Example:
      skillpass dids add did.json
      skillpass dids list
    """)
app.add_typer(dids_app, name="dids")


@dids_app.command("add")
def dids_add(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A DID document (did.json).")],
    home: Home = None,
    passphrase_file: PassphraseFile = None,
    json_output: Json = False,
) -> None:
    """Keep an issuer's DID document (e.g. did:web) so its keys resolve without the network.

    \b
    Example:
      skillpass dids add did.json
    """
    result = flow.add_did_document(_session(home, passphrase_file), file)
    render.emit_json(result) if json_output else render.note(f"kept the DID document of {result['id']}")


@dids_app.command("list")
def dids_list(home: Home = None, passphrase_file: PassphraseFile = None, json_output: Json = False) -> None:
    """List the DID documents kept in the wallet.

    \b
    Example:
      skillpass dids list
    """
    rows = flow.list_did_documents(_session(home, passphrase_file))
    render.emit_json(rows) if json_output else render.rows_table(rows, ("id", "verificationMethods", "added"))


def _confirm(question: str) -> bool:
    if not sys.stdin.isatty():
        raise CancelledError("refusing to continue without confirmation", "pass --yes")
    return typer.confirm(f"skillpass: {question}", default=False, err=True)


def run(args: list[str], debug: bool = False) -> int:
    """Run the CLI and map every outcome to a documented exit status and one stderr line."""
    try:
        result = typer.main.get_command(app).main(args or ["--help"], prog_name="skillpass",
                                                  standalone_mode=False)
        return result if isinstance(result, int) else ExitStatus.OK
    except SkillpassError as exc:
        return _fail(exc.message, exc.hint, exc.exit_status, debug)
    except Exit as exc:
        return exc.exit_code
    except ClickException as exc:
        message = exc.format_message().rstrip(".")
        return _fail(message[:1].lower() + message[1:], "see 'skillpass --help'", ExitStatus.USAGE, debug)
    except (Abort, KeyboardInterrupt):
        return _fail("cancelled", None, ExitStatus.CANCELLED, debug)
    except BrokenPipeError:
        return ExitStatus.OK
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback for users
        return _fail(f"internal error ({type(exc).__name__}: {exc})",
                     "run again with --debug and report it", ExitStatus.INTERNAL, debug)


def _fail(message: str, hint: str | None, status: int, debug: bool) -> int:
    if debug:
        import traceback

        traceback.print_exc(file=sys.stderr)
    sys.stderr.write(render.error_line(message, hint) + "\n")
    return int(status)
