"""The command line: parse options, call one flow function, render. Nothing else.

Heavy libraries (cryptography, pyld, qrcode, keyring, sqlite) are imported by the flow a command
runs, never here, so `skillpass --help` stays fast.
"""


import sys
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Annotated, Optional

import typer

from skillpass import __version__, flow, render
from skillpass.errors import CancelledError, ExitStatus, SkillpassError

try:  # typer >= 0.26 vendors click; its usage errors derive from typer.TyperException
    from typer import Abort, Exit
    from typer import TyperException as ClickException
except ImportError:  # pragma: no cover - older typer with click as a dependency
    from click.exceptions import Abort, ClickException, Exit  # type: ignore[no-redef]

app = typer.Typer(
    name="skillpass",
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
    from skillpass.wallet.unlock import SecretSources

    return flow.Session(_home(home), SecretSources.from_process(passphrase_file))


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
      skillpass demo
      skillpass init
      skillpass import badge.json
      skillpass share ID --reveal credentialSubject.achievement.name --challenge NONCE
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
    from skillpass.i18n import preferences

    rows = flow.list_credentials(_session(home, passphrase_file), _now(), () if json_output else preferences())
    render.emit_json(rows) if json_output else render.credentials_table(rows)


@app.command()
def show(
    credential_id: Annotated[str, typer.Argument(metavar="ID", help="A credential id, or its first characters.")],
    home: Home = None,
    passphrase_file: PassphraseFile = None,
    json_output: Json = False,
    raw: Annotated[bool, typer.Option("--raw", help="Print the credential exactly as received.")] = False,
    fields: Annotated[bool, typer.Option(
        "--fields", help="List every field you could reveal with 'skillpass share --reveal'.")] = False,
    force: Annotated[bool, typer.Option(
        "--force", help="With --raw: write the bytes to a terminal anyway.")] = False,
) -> None:
    """Show one credential: what it says, who issued it, and how it was verified.

    \b
    Example:
      skillpass show 3f2a
      skillpass show 3f2a --fields
      skillpass show 3f2a --raw > badge.json
    """
    from skillpass.errors import UsageError

    if raw and (json_output or fields):
        raise UsageError("--raw prints the credential's bytes alone", "leave out --json and --fields")
    if raw and sys.stdout.isatty() and not force:
        raise UsageError("--raw writes the issuer's bytes unfiltered, and a terminal would obey any "
                         "control sequence in them", "redirect it to a file (> badge.json), or pass --force")
    session = _session(home, passphrase_file)
    if fields:
        listing = flow.credential_fields(session, credential_id)
        render.emit_json(listing) if json_output else render.fields_table(listing)
        return
    if raw:
        data = flow.raw_credential(session, credential_id)
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    from skillpass.i18n import preferences

    detail = flow.show_credential(session, credential_id, _now(), () if json_output else preferences())
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
    merge_keys: Annotated[bool, typer.Option(
        "--merge-keys", help="Also add the holder keys of another wallet's backup (private keys).")] = False,
    json_output: Json = False,
) -> None:
    """Restore a backup: into an empty home (the wallet keeps the backup's passphrase),
    or merged into the existing wallet without duplicates. Every credential is verified
    again; one that fails is not restored, and the command exits 9. Holder keys of
    another wallet are merged only with --merge-keys.

    \b
    Example:
      skillpass restore ~/skillpass-backup.json --home ~/new-wallet
    """
    result = flow.restore_wallet(_session(home, passphrase_file), file, backup_passphrase_file,
                                 now=_now(), merge_keys=merge_keys)
    if json_output:
        render.emit_json(result)
    else:
        render.restore_summary(result)
    if result["refused"]:
        raise typer.Exit(ExitStatus.INVALID)


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
    render.emit_json(rows) if json_output else render.rows_table(
        rows, (("url", "URL", True), ("source", "Source", False), ("sha256", "SHA-256", True)))


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
    render.emit_json(rows) if json_output else render.rows_table(
        rows, (("id", "DID", True), ("verificationMethods", "Keys", True), ("added", "Added", True)))


@app.command()
def share(
    credential_ids: Annotated[list[str], typer.Argument(metavar="ID...", help="Credentials to share.")],
    reveal: Annotated[Optional[list[str]], typer.Option(
        "--reveal", metavar="FIELD",
        help="A field to reveal, as 'skillpass show ID --fields' prints it or a JSON pointer; repeatable.")] = None,
    reveal_all: Annotated[bool, typer.Option("--reveal-all", help="Share the credentials whole.")] = False,
    challenge: Annotated[Optional[str], typer.Option(
        "--challenge", help="The verifier's challenge (nonce): binds the presentation to this request.")] = None,
    domain: Annotated[Optional[str], typer.Option("--domain", help="The verifier's domain.")] = None,
    proof_suite: Annotated[Optional[str], typer.Option(
        "--proof-suite", show_default=False,
        help="eddsa-rdfc-2022 (Ed25519), ecdsa-rdfc-2019 (P-256), or Ed25519Signature2018 for VC "
             "1.1-era verifiers such as MATTR's [default: ecdsa-rdfc-2019 when the credentials are "
             "issued to your P-256 DID, else eddsa-rdfc-2022].")] = None,
    unsigned: Annotated[bool, typer.Option("--unsigned", help="Do not sign the presentation.")] = False,
    out: Annotated[Optional[Path], typer.Option(
        "--out", metavar="FILE", help="Write the presentation to FILE ('-' for stdout).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
    home: Home = None,
    passphrase_file: PassphraseFile = None,
    json_output: Json = False,
) -> None:
    """Share exactly the fields you choose, as a presentation signed by your DID.

    Credentials signed with ecdsa-sd-2023 can hide any field the issuer did not make
    mandatory; others can only be shared whole (--reveal-all). A verifier always gets the
    subject's id (to bind the credential to you) and what the data model requires. Without
    --reveal or --reveal-all on a terminal, you pick the fields and see every field that will
    go out before anything is signed. The presentation is signed by the DID the credentials
    are issued to. Every share is recorded in 'skillpass history'.

    \b
    Example:
      skillpass share 3f2a --reveal credentialSubject.achievement.name \\
          --challenge 8c1d5e --domain hiring.example.ca --out for-employer.json
      skillpass share 3f2a 91bc --reveal-all --challenge 8c1d5e > presentation.json
    """
    from skillpass.errors import UsageError

    if proof_suite not in (None, "eddsa-rdfc-2022", "ecdsa-rdfc-2019", "Ed25519Signature2018"):
        raise UsageError(f"unknown --proof-suite {proof_suite}",
                         "choose eddsa-rdfc-2022, ecdsa-rdfc-2019 or Ed25519Signature2018")
    request = flow.ShareRequest(list(credential_ids), list(reveal or []), reveal_all, challenge, domain,
                                proof_suite, unsigned)
    result = flow.share(_session(home, passphrase_file), request, now=_now(),
                        choose=_pick_fields, confirm=_confirm_preview,
                        deliver=lambda vp: _deliver(vp, out, force, json_output))
    if json_output:
        render.emit_json(result)
        return
    for warning in result["warnings"]:
        render.note(f"{render.t('warning')}: {warning}")
    if result["file"] is not None:
        render.share_summary(result)


def _pick_fields(listing: dict) -> list[str] | None:
    from skillpass.errors import UsageError

    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        raise UsageError("say what to share: --reveal FIELD (repeatable) or --reveal-all",
                         "see the fields with 'skillpass show ID --fields'")
    return render.pick_fields(listing)


def _confirm_preview(question: dict) -> bool:
    render.preview(question)
    return typer.confirm("skillpass: " + render.t("share exactly this?"), default=False, err=True)


def _deliver(presentation: dict, out: Path | None, force: bool, json_output: bool) -> str | None:
    """Write the presentation where the learner asked; None when it goes to stdout (or into the
    --json document)."""
    import json

    text = json.dumps(presentation, indent=2, ensure_ascii=False) + "\n"
    if out is None and json_output:
        return None
    if str(out) == "-" or (out is None and not sys.stdout.isatty()):
        sys.stdout.write(text)
        return None
    from skillpass.files import write_new_file

    target = out or Path(f"presentation-{_now().strftime('%Y%m%dT%H%M%SZ')}.json")
    write_new_file(target, text.encode(), overwrite=force)
    return str(target)


@app.command()
def history(home: Home = None, passphrase_file: PassphraseFile = None, json_output: Json = False) -> None:
    """Every share you made: when, which credentials, which fields, for which challenge and domain.

    \b
    Example:
      skillpass history
      skillpass history --json
    """
    rows = flow.share_history(_session(home, passphrase_file))
    render.emit_json(rows) if json_output else render.history_table(rows)


@app.command()
def verify(
    file: Annotated[str, typer.Argument(metavar="FILE", help="A presentation or credential (JSON), or - for stdin.")],
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
    home: Home = None,
    passphrase_file: PassphraseFile = None,
    json_output: Json = False,
) -> None:
    """Check a presentation (or a credential) as a verifier: proofs, holder, challenge, dates, issuers.

    Needs no wallet: the trust list is plain JSON in the home. When the home holds a wallet
    that keeps DID documents or contexts ('skillpass dids add', 'contexts add'), they are used
    too, once the wallet is unlocked. Exits 0 only when everything verified, 9 when something
    is invalid, 10 when something could not be checked here (e.g. an unknown context or DID).

    \b
    Example:
      skillpass verify presentation.json --challenge 8c1d5e --domain hiring.example.ca
      skillpass verify - --json < presentation.json
      skillpass verify badge.json --did boreal-did.json
      skillpass verify clr.json --context https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json=clr.json
    """
    source = _read_input(file)
    resolved = _home(home)
    material = flow.VerifierMaterial(_context_files(context or []), list(did_file or []),
                                     _session(resolved, passphrase_file))
    report = flow.verify_presentation_file(resolved, source, challenge=challenge, domain=domain,
                                           allow_unbound=allow_unbound, require_trusted=require_trusted,
                                           now=_now(), material=material, notice=render.note)
    render.emit_json(report) if json_output else render.verification_report(report)
    if report["outcome"] != "verified":
        raise typer.Exit(ExitStatus.INVALID if report["outcome"] == "invalid" else ExitStatus.UNVERIFIABLE)


def _context_files(pairs: list[str]) -> dict[str, Path]:
    from skillpass.errors import UsageError

    contexts = {}
    for pair in pairs:
        url, sep, file = pair.partition("=")
        if not sep or not url.startswith("https://") or not file:
            raise UsageError(f"--context takes URL=FILE, not {pair!r}",
                             "e.g. --context https://example.org/ctx/v1=ctx.json")
        contexts[url] = Path(file)
    return contexts


def _read_input(file: str) -> bytes:
    from skillpass.errors import BadInputError
    from skillpass.files import read_limited
    from skillpass.ingest import MAX_INPUT_BYTES

    from skillpass.formats.detect import link_format, unsupported

    link = link_format(file)
    if link is not None:
        raise unsupported(link, file)
    if file != "-":
        return read_limited(Path(file), MAX_INPUT_BYTES, "a presentation")
    data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise BadInputError("the input is too large to be a presentation", "check the file", code="E_TOO_LARGE")
    return data


def _home(home: Path | None) -> Path:
    import os

    from skillpass.wallet.home import resolve_home

    return resolve_home(str(home) if home else None, os.environ)


trust_app = typer.Typer(no_args_is_help=True, help="""Issuers you trust, for 'skillpass verify'.

    \b
    Example:
      skillpass trust add did:web:boreal.example --name "Collège Boréal"
      skillpass trust list
    """)
app.add_typer(trust_app, name="trust")


@trust_app.command("add")
def trust_add(
    did: Annotated[str, typer.Argument(metavar="DID", help="The issuer's DID.")],
    name: Annotated[str, typer.Option("--name", help="A name to show for this issuer.")],
    home: Home = None,
    json_output: Json = False,
) -> None:
    """Trust an issuer: 'skillpass verify' reports its credentials as from a trusted issuer.

    \b
    Example:
      skillpass trust add did:web:boreal.example --name "Collège Boréal"
    """
    result = flow.trust_add(_home(home), did, name)
    render.emit_json(result) if json_output else render.note(f"trusting {result['name']} ({result['did']})")


@trust_app.command("list")
def trust_list(home: Home = None, json_output: Json = False) -> None:
    """List the issuers you trust.

    \b
    Example:
      skillpass trust list --json
    """
    rows = flow.trust_list(_home(home))
    render.emit_json(rows) if json_output else render.rows_table(
        rows, (("did", "DID", True), ("name", "Name", False), ("added", "Added", True)))


@trust_app.command("remove")
def trust_remove(
    did: Annotated[str, typer.Argument(metavar="DID", help="The issuer's DID.")],
    home: Home = None,
    json_output: Json = False,
) -> None:
    """Stop trusting an issuer.

    \b
    Example:
      skillpass trust remove did:web:boreal.example
    """
    result = flow.trust_remove(_home(home), did)
    render.emit_json(result) if json_output else render.note(f"no longer trusting {result['removed']}")


@app.command()
def demo(
    keep_in: Annotated[Optional[Path], typer.Option(
        "--keep-in", metavar="DIR",
        help="Keep the demo wallet, credentials and presentation in DIR (a new directory) to explore.")] = None,
    json_output: Json = False,
) -> None:
    """The whole story in a throwaway wallet, offline, in a few seconds.

    A fictional college issues two signed micro-credentials to a new learner; the learner
    imports them, shares only two fields with an employer, the employer verifies the
    presentation, and a presentation altered after signing is refused. Your own wallet is
    never touched.

    \b
    Example:
      skillpass demo
      skillpass demo --keep-in ~/skillpass-demo
    """
    from skillpass.demo import run_demo
    from skillpass.errors import UsageError

    if keep_in is not None and keep_in.exists() and any(keep_in.iterdir()):
        raise UsageError(f"{keep_in} is not empty", "give a new or empty directory to --keep-in")
    if keep_in is not None:
        keep_in.mkdir(parents=True, exist_ok=True, mode=0o700)
    result = run_demo(keep_in, now=_now(), keep=keep_in is not None,
                      on_step=(lambda step: None) if json_output else render.demo_step)
    if json_output:
        render.emit_json(result)
    elif result["home"]:
        render.note(f"the demo wallet is in {result['home']}/wallet (passphrase in {result['home']}/passphrase.txt)")


def _confirm(question: str) -> bool:
    from skillpass.render.text import visible

    if not sys.stdin.isatty():
        raise CancelledError("refusing to continue without confirmation", "pass --yes")
    return typer.confirm(f"skillpass: {visible(question)}", default=False, err=True)


# typer turns a KeyboardInterrupt inside a command into exit code 130 (returned, not raised);
# skillpass's own codes stop at 13
_TYPER_CTRL_C = 130


def run(args: list[str], debug: bool = False,
        errors: Callable[[SkillpassError], None] | None = None) -> int:
    """Run the CLI and map every outcome to a documented exit status and one stderr line;
    `errors` (tests) also hears the error itself, for its code."""
    try:
        result = typer.main.get_command(app).main(args or ["--help"], prog_name="skillpass",
                                                  standalone_mode=False)
        if result == _TYPER_CTRL_C:
            return _fail("cancelled", None, ExitStatus.CANCELLED, debug)
        return result if isinstance(result, int) else ExitStatus.OK
    except SkillpassError as exc:
        if errors is not None:
            errors(exc)
        return _fail(exc.message, exc.hint, exc.exit_status, debug)
    except Exit as exc:
        return exc.exit_code
    except ClickException as exc:
        if _is_bare_group(exc):
            sys.stdout.write(exc.format_message() + "\n")  # the group's help: its subcommands
            return ExitStatus.USAGE
        message = exc.format_message().rstrip(".")
        return _fail(message[:1].lower() + message[1:], "see 'skillpass --help'", ExitStatus.USAGE, debug)
    except (Abort, KeyboardInterrupt):
        return _fail("cancelled", None, ExitStatus.CANCELLED, debug)
    except BrokenPipeError:
        return ExitStatus.OK
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback for users
        return _fail(f"internal error ({type(exc).__name__}: {exc})",
                     "run again with --debug and report it", ExitStatus.INTERNAL, debug)


def _is_bare_group(exc: Exception) -> bool:
    """`skillpass trust` with no subcommand (click's NoArgsIsHelpError)."""
    return type(exc).__name__ == "NoArgsIsHelpError"


def _fail(message: str, hint: str | None, status: int, debug: bool) -> int:
    if debug:
        import traceback

        traceback.print_exc(file=sys.stderr)
    sys.stderr.write(render.error_line(message, hint) + "\n")
    return int(status)
