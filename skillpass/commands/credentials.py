"""The credentials in the wallet: import, list, show, remove."""

import sys
from typing import Annotated, Optional

import typer

from skillpass import flow, render
from skillpass.commands.common import CredentialId, Home, Json, PassphraseFile, confirm, now, output, session
from skillpass.commands.passport import Framework, Issuer, Since, Skill, Status


def import_(
    sources: Annotated[list[str], typer.Argument(
        metavar="SOURCE...",
        help="Credential files, directories (searched for .json, .jsonld, .jwt, .sd-jwt, .png, .svg, .xml, "
             ".csc), or - for stdin.")],
    home: Home = None,
    passphrase_file: PassphraseFile = None,
    allow_expired: Annotated[bool, typer.Option(
        "--allow-expired", help="Keep expired or not-yet-valid credentials (always shown as such).")] = False,
    qr: Annotated[bool, typer.Option(
        "--qr", help="SOURCE... are images (PNG, JPEG) of QR codes: one code, or every part of a sequence.")] = False,
    allow_unverified: Annotated[bool, typer.Option(
        "--allow-unverified", help="Keep hosted Open Badges 2.0, which cannot be verified offline "
        "(always shown as \"not verified (hosted badge)\").")] = False,
    json_output: Json = False,
) -> None:
    """Verify credentials and keep the ones whose proofs hold. Offline: nothing is fetched.

    Accepts W3C credentials in JSON-LD, SD-JWT VCs and VC-JWTs: single credentials, JSON arrays
    of credentials and presentations that carry credentials. An SD-JWT VC or VC-JWT from an
    issuer known by an https address needs its metadata first ('skillpass trust add --metadata').
    Also MATTR compact credentials (CSC:/1/, with the issuer's did:web document kept by 'skillpass
    dids add'), Open Badges baked into PNG or SVG images, Open Badges 2.0 assertions (a signed
    badge needs its key, issuer and badge documents kept by 'skillpass dids add'), and the MyCreds
    XML record, kept as an unsigned record that is never shared.
    The text of a QR code (VPQR 'VP1-...', an SD-JWT, or a sequence of parts) is read from a
    file or stdin as well, and with --qr from images of the codes. Each credential is verified
    and stored on its own: good ones are kept even when others are rejected. Exits 0 only when
    nothing was rejected.

    \b
    Example:
      skillpass import badge.json
      skillpass import ~/Downloads/credentials/
      skillpass import welding-safety.sd-jwt
      curl -s https://college.example/my-badge.json | skillpass import -
      skillpass import --qr photo-of-code.jpg
      skillpass import baked-badge.png
      skillpass import hosted-badge.png --allow-unverified
    """
    from skillpass import progress

    outcomes = flow.import_credentials(session(home, passphrase_file), sources, sys.stdin.buffer, now=now(),
                                       allow_expired=allow_expired, qr=qr,
                                       progress=progress.silent if json_output else progress.progress,
                                       allow_unverified=allow_unverified)
    output([o.to_dict() for o in outcomes], json_output, render.import_table)
    rejected = [o for o in outcomes if o.status == "rejected"]
    if rejected:
        raise typer.Exit(rejected[0].exit_status)


def list_(
    skill: Skill = None, issuer: Issuer = None, framework: Framework = None, since: Since = None,
    status: Status = None,
    search: Annotated[Optional[str], typer.Option(
        "--search", metavar="TEXT", help="Only credentials with TEXT in their title, description or skills.")] = None,
    sort: Annotated[str, typer.Option(
        "--sort", metavar="ORDER", help="issued (newest first), issuer, title, or added (newest first).")] = "issued",
    home: Home = None, passphrase_file: PassphraseFile = None, json_output: Json = False,
) -> None:
    """List the credentials in the wallet, newest first (or --sort), filtered as the passport is.

    \b
    Example:
      skillpass list
      skillpass list --issuer boréal --status valid --sort title
      skillpass list --search "data analysis" --json
    """
    from skillpass.fastcli.rows import ListArgs, list_command

    status_code = list_command(ListArgs(skill, issuer, framework, since, status, search, sort, home, passphrase_file,
                                        json_output))
    if status_code:
        raise typer.Exit(status_code)


def show(
    credential_id: CredentialId,
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
    wallet_session = session(home, passphrase_file)
    if fields:
        output(flow.credential_fields(wallet_session, credential_id), json_output, render.fields_table)
        return
    if raw:
        data = flow.raw_credential(wallet_session, credential_id)
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    from skillpass.i18n import preferences

    # values as issued for --json and a pipe (the same in every language), else the reader's first
    langs = preferences() if sys.stdout.isatty() and not json_output else ()
    detail = flow.show_credential(wallet_session, credential_id, now(), langs)
    output(detail, json_output, render.credential_detail)


def remove(
    credential_id: CredentialId,
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
    result = flow.remove_credential(session(home, passphrase_file), credential_id,
                                    lambda question: yes or confirm(question))
    output(result, json_output, lambda r: render.note(f"removed the credential {r['removed']}"))
