"""A test issuer: `skillpass issue` (a testing tool, and labelled as one)."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from skillpass import render
from skillpass.commands.common import Home, Json, PassphraseFile, now, output, session
from skillpass.errors import UsageError



def issue(
    template: Annotated[Optional[Path], typer.Argument(
        metavar="[TEMPLATE]", help="An unsigned credential (or SD-JWT / MATTR claims) as JSON; the flags override it.")] = None,
    name: Annotated[Optional[str], typer.Option("--name", metavar="TEXT", help="The achievement's name.")] = None,
    description: Annotated[Optional[str], typer.Option(
        "--description", metavar="TEXT", help="The achievement's description.")] = None,
    name_fr: Annotated[Optional[str], typer.Option(
        "--name-fr", metavar="TEXT", help="The name in French too (both languages are issued).")] = None,
    description_fr: Annotated[Optional[str], typer.Option(
        "--description-fr", metavar="TEXT", help="The description in French too.")] = None,
    skill: Annotated[Optional[list[str]], typer.Option(
        "--skill", metavar="NAME[@FRAMEWORK]", help="A skill the credential aligns to (repeat for more).")] = None,
    subject: Annotated[Optional[str], typer.Option(
        "--subject", metavar="DID|me", help="Whom it is issued to; 'me' is this wallet's holder DID.")] = None,
    valid_from: Annotated[Optional[str], typer.Option(
        "--valid-from", metavar="DATE", help="Valid from DATE (YYYY-MM-DD or a dateTime) [default: now].")] = None,
    valid_until: Annotated[Optional[str], typer.Option(
        "--valid-until", metavar="DATE", help="Valid until DATE (a past date makes an expired credential).")] = None,
    status_list: Annotated[Optional[str], typer.Option(
        "--status-list", metavar="URL", help="The status list the credential names (with --status-index).")] = None,
    status_index: Annotated[Optional[list[int]], typer.Option(
        "--status-index", metavar="N", help="Its index in the list; with --make-status-list, an index to set.")] = None,
    status_purpose: Annotated[str, typer.Option(
        "--status-purpose", metavar="PURPOSE", help="revocation or suspension.")] = "revocation",
    suite: Annotated[str, typer.Option(
        "--suite", metavar="SUITE", help="eddsa-rdfc-2022, ecdsa-rdfc-2019, ecdsa-sd-2023, Ed25519Signature2020, "
        "Ed25519Signature2018, eddsa-jcs-2022, ecdsa-jcs-2019, sd-jwt-vc or mattr-compact.")] = "eddsa-rdfc-2022",
    mandatory: Annotated[Optional[list[str]], typer.Option(
        "--mandatory", metavar="POINTER", help="ecdsa-sd-2023: a JSON pointer always disclosed (repeat).")] = None,
    disclosable: Annotated[Optional[list[str]], typer.Option(
        "--disclosable", metavar="CLAIM", help="sd-jwt-vc: a claim path the holder may disclose or not (repeat).")] = None,
    issuer_key: Annotated[Optional[str], typer.Option(
        "--issuer-key", metavar="NAME", help="A test issuer kept in the wallet, made on first use [default: test-issuer].")] = None,
    issuer_key_file: Annotated[Optional[Path], typer.Option(
        "--issuer-key-file", metavar="FILE", help="A test issuer key file (JWK or multikey), written 0600 on first use.")] = None,
    did_web: Annotated[Optional[str], typer.Option(
        "--did-web", metavar="HOST", help="Make a new test issuer a did:web at HOST.")] = None,
    issuer_name: Annotated[Optional[str], typer.Option(
        "--issuer-name", metavar="TEXT", help="The issuer's display name (always labelled a test issuer).")] = None,
    make_status_list: Annotated[bool, typer.Option(
        "--make-status-list", help="Issue the status list --status-list URL, with each --status-index set.")] = False,
    did_document: Annotated[bool, typer.Option(
        "--did-document", help="Print the test issuer's did:web document (for 'skillpass dids add').")] = False,
    out: Annotated[Optional[Path], typer.Option("--out", metavar="FILE", help="Write to FILE ('-' for stdout) [default: stdout].")] = None,
    home: Home = None,
    passphrase_file: PassphraseFile = None,
    json_output: Json = False,
) -> None:
    """Issue a test credential, signed by a test issuer: for testing only, never a real institution.

    Every credential says in its signed data that it comes from a test issuer, and 'skillpass
    import' says so too. The issuer's key is named and kept in the wallet (made on first use),
    or kept in a key file. With --make-status-list it issues a status list revoking the indices
    given; with --did-document it prints a did:web test issuer's DID document.

    \b
    Example:
      skillpass issue --name "Data Analysis" --skill "SQL@Ontario" --subject me
      skillpass issue --suite ecdsa-sd-2023 --name Welding --subject me \\
          --mandatory /credentialSubject/achievement/name --out welding.json
      skillpass issue --suite sd-jwt-vc --name Welding --disclosable skills \\
          --skill Welding --subject me --out welding.sd-jwt
      skillpass issue --did-document --issuer-key web --out did.json
      skillpass issue --suite mattr-compact --issuer-key web --name Welding
      skillpass issue --name Safety --status-list URL --status-index 5
      skillpass issue --make-status-list --status-list URL --status-index 5
      skillpass issue t.json --issuer-key-file k.jwk --valid-until 2025-01-01
    """
    from skillpass.flow import issuing

    if issuer_key is not None and issuer_key_file is not None:
        raise UsageError("give --issuer-key or --issuer-key-file, not both", "a credential has one issuer")
    choice = issuing.IssuerChoice(issuer_key, issuer_key_file, did_web)
    the_session = session(home, passphrase_file)
    until = _date(valid_until, "--valid-until", end=True)
    if did_document:
        result = issuing.issuer_did_document(the_session, choice, out)
    elif make_status_list:
        result = issuing.issue_status_list(the_session, choice, url=status_list, indices=tuple(status_index or ()),
                                           suite=suite, purpose=status_purpose, valid_until=until, out=out,
                                           now=now(), issuer_name=issuer_name)
    else:
        request = _request(template, name, description, name_fr, description_fr, skill, subject,
                           _date(valid_from, "--valid-from"), until, status_list, status_index, status_purpose,
                           suite, mandatory, disclosable, issuer_name, out)
        result = issuing.issue_credential(the_session, request, choice, now())
    _notes(result)
    output(result, json_output, _printed)


def _request(template: Optional[Path], name: Optional[str], description: Optional[str], name_fr: Optional[str],
             description_fr: Optional[str], skills: Optional[list[str]], subject: Optional[str],
             valid_from: datetime | None, valid_until: datetime | None, status_list: Optional[str],
             status_index: Optional[list[int]], purpose: str, suite: str, mandatory: Optional[list[str]],
             disclosable: Optional[list[str]], issuer_name: Optional[str], out: Optional[Path]) -> Any:
    from skillpass.flow.issuing import IssueRequest
    from skillpass.issuing import CredentialSpec, Skill
    from skillpass.issuing.sign import check_suite

    check_suite(suite)
    for option, text in (("--name", name), ("--description", description), ("--name-fr", name_fr),
                         ("--description-fr", description_fr), ("--issuer-name", issuer_name),
                         *(("--skill", s) for s in skills or ()), ("--subject", subject)):
        if text is not None and not _is_text(text):
            raise UsageError(f"{option} is not UTF-8 text", "type it again, or set a UTF-8 locale")
    if template is None and not name:
        raise UsageError("give --name TEXT (the achievement's name) or a TEMPLATE", "see 'skillpass issue --help'")
    if status_index and len(status_index) > 1:
        raise UsageError("a credential has one --status-index", "give more only with --make-status-list")
    if (status_list is None) != (not status_index):
        raise UsageError("--status-list and --status-index go together", "give both, or neither")
    if status_index:
        from skillpass.issuing.status import MIN_ENTRIES

        if not 0 <= status_index[0] < MIN_ENTRIES:  # the list --make-status-list makes has this many
            raise UsageError(f"status index {status_index[0]} is outside the list (0 to {MIN_ENTRIES - 1})",
                             "give --status-index a number in that range")
    spec = CredentialSpec(name=name, description=description, name_fr=name_fr, description_fr=description_fr,
                          skills=tuple(Skill.parse(s) for s in skills or ()),
                          subject=None if subject == "me" else subject, valid_from=valid_from,
                          valid_until=valid_until, status_list=status_list,
                          status_index=status_index[0] if status_index else None, status_purpose=purpose,
                          issuer_name=issuer_name)
    return IssueRequest(spec, suite, template, tuple(mandatory or ()), tuple(disclosable or ()),
                        subject == "me", out)


def _date(text: Optional[str], flag: str, *, end: bool = False) -> datetime | None:
    from skillpass.encoding.dates import parse

    if text is None:
        return None
    moment = parse(text, end_of_day=end)
    if moment is None:
        raise UsageError(f"{flag} {text!r} is not a date", "give YYYY-MM-DD or a dateTime such as 2026-01-15T09:00:00Z")
    return moment


def _notes(result: dict[str, Any]) -> None:
    key = result["issuerKey"]
    name, did = key["name"], result["issuer"]
    if key["made"] and key["where"] == "wallet":
        render.note(render.t("made the test issuer {name} ({did}), kept in the wallet").format(name=name, did=did))
    elif key["made"]:
        render.note(render.t("made the test issuer {name} ({did}), written to {file} (0600)").format(
            name=name, did=did, file=key["where"]))
    if result["format"] == "did-document":
        render.note(render.t("DID document of test issuer {name} ({did}): for testing only").format(name=name, did=did))
    else:
        render.note(render.t("issued by test issuer {name} ({did}): for testing only").format(name=name, did=did))
    if result.get("file"):
        render.note(render.t("wrote {file}").format(file=result["file"]))


def _printed(result: dict[str, Any]) -> None:
    import json

    if result.get("file"):
        return
    credential = result["credential"]
    sys.stdout.write(render.json_text_out(credential if isinstance(credential, str)
                                          else json.dumps(credential, indent=2, ensure_ascii=False)) + "\n")


def _is_text(value: str) -> bool:
    """Whether an option's value is text (not bytes the shell passed that are no UTF-8, which
    Python hands over as lone surrogates and no credential can carry)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
