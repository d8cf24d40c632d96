"""Answering a verifier: share, history."""

import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from skillpass import flow, render
from skillpass.commands.common import Home, Json, PassphraseFile, now, output, session


def share(
    credential_ids: Annotated[Optional[list[str]], typer.Argument(
        metavar="ID...", help="Credentials to share (with --request: the only ones that may answer).",
        show_default=False)] = None,
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
    qr: Annotated[bool, typer.Option("--qr", help="Draw the presentation as a QR code in the terminal; on a pipe, print the text the code "
             "holds instead, one line a code ('skillpass verify -' reads it).")] = False,
    qr_png: Annotated[Optional[Path], typer.Option(
        "--qr-png", metavar="FILE", help="Write the QR code as a PNG image.")] = None,
    qr_svg: Annotated[Optional[Path], typer.Option(
        "--qr-svg", metavar="FILE", help="Write the QR code as an SVG image.")] = None,
    qr_parts: Annotated[bool, typer.Option(
        "--qr-parts", help="When one code cannot hold it, a numbered sequence of codes (FILE-1.png, ...).")] = False,
    request: Annotated[Optional[str], typer.Option(
        "--request", metavar="REQUEST",
        help="Answer a verifier's request: an openid4vp:// link, an https URL, a request file, or '-'.")] = None,
    yes: Annotated[bool, typer.Option("--yes", help="With --request: answer without asking (for scripts).")] = False,
    allow_http: Annotated[bool, typer.Option(
        "--allow-http", help="With --request: allow plain http to loopback addresses (tests).")] = False,
    verifier_anchor: Annotated[Optional[Path], typer.Option(
        "--verifier-anchor", metavar="FILE",
        help="With --request: trust the CA certificates in FILE (PEM) for signed requests.")] = None,
    home: Home = None,
    passphrase_file: PassphraseFile = None,
    json_output: Json = False,
) -> None:
    """Share exactly the fields you choose, as a presentation signed by your DID, in a file or
    as a QR code.

    Credentials signed with ecdsa-sd-2023 can hide any field the issuer did not make
    mandatory; others can only be shared whole (--reveal-all). A verifier always gets the
    subject's id (to bind the credential to you) and what the data model requires. Without
    --reveal or --reveal-all on a terminal, you pick the fields and see every field that will
    go out before anything is signed. The presentation is signed by the DID the credentials
    are issued to. An SD-JWT VC goes out alone, with only the disclosures the claims you reveal
    need and a key binding JWT for the verifier's --domain and --challenge (both required); a
    VC-JWT goes out whole, in a JWT presentation. Every share is recorded in 'skillpass history'.

    --qr, --qr-png and --qr-svg encode it for a QR code: a JSON-LD presentation as VPQR
    (CBOR-LD, as the DCC Learner Credential Wallet and VerifierPlus read it), an SD-JWT as its
    compact form. The code's version, error correction and size are printed. A payload one
    code cannot hold is refused unless --qr-parts; 'skillpass verify --qr' reads the images
    back, parts in any order.

    --request answers a verifier: an OpenID4VP 1.0 request (DCQL; redirect_uri:, x509_san_dns:
    and x509_hash: verifiers; direct_post and direct_post.jwt), a Presentation Exchange v2
    definition or a VC-API Verifiable Presentation Request. The request picks the credentials
    and exactly the fields it asks for; you see the verifier, its purpose and every field before
    anything is signed (--yes skips the question). The nonce and audience come from the request.
    A request file with nowhere to send the answer is written like any presentation (--out).
    Once the verifier says it took the answer, the address it asks you to continue at is
    printed if it is https; any other reply is a warning, never shown as sent. An answer the
    verifier redirects elsewhere is not sent on (exit 14).

    \b
    Example:
      skillpass share 3f2a --reveal credentialSubject.achievement.name \\
          --challenge 8c1d5e --domain hiring.example.ca --out for-employer.json
      skillpass share 3f2a 91bc --reveal-all --challenge 8c1d5e > presentation.json
      skillpass share 7c0e --reveal given_name --reveal skills[1] --challenge 8c1d5e \\
          --domain hiring.example.ca --out for-employer.sd-jwt
      skillpass share 3f2a --reveal credentialSubject.achievement.name --challenge 8c1d5e --qr
      skillpass share 3f2a 91bc --reveal-all --qr-png code.png --qr-parts
      skillpass share --request 'openid4vp://?client_id=...&request_uri=...'
      skillpass share --request vpr.json --out answer.json
    """
    from skillpass.errors import UsageError, refuse_blank

    refuse_blank(("--challenge", challenge), ("--domain", domain))
    if json_output and out is not None and str(out) == "-":
        raise UsageError("--out - and --json would both write to stdout", "give FILE names instead of -")
    if request is not None:
        conflicting = [name for name, given in (("--reveal", reveal), ("--reveal-all", reveal_all),
                                                ("--challenge", challenge), ("--domain", domain),
                                                ("--proof-suite", proof_suite), ("--unsigned", unsigned),
                                                ("--qr", qr or qr_png or qr_svg or qr_parts)) if given]
        if conflicting:
            raise UsageError(f"{conflicting[0]} does not go with --request: the request says what to share "
                             "and for whom", "leave it out")
        _answer(request, list(credential_ids or []), yes, allow_http, verifier_anchor, out, force, home,
                passphrase_file, json_output)
        return
    if yes or allow_http or verifier_anchor is not None:
        raise UsageError("--yes, --allow-http and --verifier-anchor go with --request", "add --request REQUEST")
    if not credential_ids:
        raise UsageError("say which credentials to share: ID...", "see them with 'skillpass list'")
    if reveal and reveal_all:
        raise UsageError("--reveal and --reveal-all do not go together",
                         "give --reveal FIELD for some fields, or --reveal-all alone to share them whole")

    if proof_suite not in (None, "eddsa-rdfc-2022", "ecdsa-rdfc-2019", "Ed25519Signature2018"):
        raise UsageError(f"unknown --proof-suite {proof_suite}",
                         "choose eddsa-rdfc-2022, ecdsa-rdfc-2019 or Ed25519Signature2018")
    wants_qr = qr or qr_png is not None or qr_svg is not None
    if qr_parts and not wants_qr:
        raise UsageError("--qr-parts goes with --qr, --qr-png FILE or --qr-svg FILE", "add --qr")
    request = flow.ShareRequest(list(credential_ids), list(reveal or []), reveal_all, challenge, domain,
                                proof_suite, unsigned, wants_qr, qr_parts)
    drawn: dict[str, Any] = {}
    if wants_qr:
        from skillpass.commands.qr import QrTargets, check_stdout

        targets = QrTargets(qr and not json_output, qr_png, qr_svg, force)
        check_stdout(targets, json_output=json_output, out=out)

    def deliver(body: dict | str, suffix: str, payload: Any) -> str | None:
        if payload is not None:
            from skillpass.commands.qr import write_codes
            from skillpass.files import check_targets

            if out is not None and str(out) != "-":
                check_targets([out, *(t for t in (qr_png, qr_svg) if t is not None and str(t) != "-")],
                              overwrite=force)
            drawn.update(write_codes(payload, targets))
            if out is None:
                return None  # the code is the delivery; --out also writes the file
        return _deliver(body, suffix, out, force, json_output)

    result = flow.share(session(home, passphrase_file), request, now=now(),
                        choose=_pick_fields, confirm=_confirm_preview, deliver=deliver)
    if wants_qr:
        result["qr"] = drawn
    # what went to stdout, for the summary: the presentation, unless the codes were the delivery
    stdout = targets.on_stdout() if wants_qr and out is None else "presentation"
    output(result, json_output, lambda shared: _shared(shared, stdout))


def _answer(request: str, ids: list[str], yes: bool, allow_http: bool, anchor: Optional[Path],
            out: Optional[Path], force: bool, home: Any, passphrase_file: Any, json_output: bool) -> None:
    from skillpass.flow.answering import AnswerOptions, answer_request
    from skillpass.net.http import NetPolicy

    options = AnswerOptions(request, tuple(ids), NetPolicy(allow_http=allow_http), anchor)
    result = answer_request(session(home, passphrase_file), options, sys.stdin, now=now(),
                            confirm=lambda question: _confirm_request(question, yes),
                            deliver=lambda body, suffix, *_: _deliver(body, suffix, out, force, json_output))
    output(result, json_output, _answered)


def _confirm_request(question: dict, yes: bool) -> bool:
    from skillpass.errors import CancelledError

    if yes:
        return True
    if not (sys.stdin.isatty() and sys.stderr.isatty()):  # a confirmation: exit 12, as remove's
        raise CancelledError("no terminal to confirm the answer on", "review the request, then pass --yes",
                             code="E_CONFIRM")
    from skillpass.i18n import colon

    t = render.t
    verifier = question["verifier"]
    who = verifier.get("clientId") or t("(not named)")
    render.note(f"{t('verifier')}{colon()}{who}" + (f" ({verifier['name']})" if verifier.get("name") else ""))
    render.note((t("authenticated by") + " " if verifier["authenticated"] else "") + _how(verifier["how"]))
    if question.get("purpose"):
        render.note(f"{t('purpose')}{colon()}{question['purpose']}")
    if question.get("responseUri"):
        render.note(f"{t('the answer goes to')} {question['responseUri']}")
    if question.get("didAuthentication"):
        render.note(f"{t('the verifier asks you to prove that you control')} {question['holder']}")
    for item in question["credentials"]:
        if item["whole"]:
            render.note(f"{item['id'][:10]}: {t('cannot hide fields: it goes out whole, more than was asked for')}")
        if item.get("alsoMatching"):
            render.note(f"{item['id'][:10]} {t('answers')} '{item['query']}'; {t('so would')} "
                        + ", ".join(i[:10] for i in item["alsoMatching"]) + f" ({t('give an ID to choose it')})")
    render.preview(question)
    return render.ask_yes_no(render.t("share exactly this?"))


def _how(how: str) -> str:
    """How the verifier was (not) authenticated, in the learner's language (oid4vp.request.Verifier:
    --json keeps the English)."""
    t = render.t
    if how.startswith("certificate "):
        return f"{t('certificate')} {how.removeprefix('certificate ')}"
    said = {"unauthenticated (a request file)": t("unauthenticated (a request file)"),
            "unauthenticated (a presentation request file)": t("unauthenticated (a presentation request file)"),
            "unauthenticated (redirect_uri: anyone can send this request)":
                t("unauthenticated (redirect_uri: anyone can send this request)")}
    return said.get(how, how)


def _answered(result: dict[str, Any]) -> None:
    from skillpass.i18n import colon

    t = render.t
    for warning in result["warnings"]:
        render.warning_note(warning)
    if result.get("sent") is not None:
        count = len(result["credentials"])
        render.note(f"{t('answered')} {result['verifier'].get('clientId')}{colon()}{count} "
                    f"{t('credential') if count == 1 else t('credentials')} ({result['responseMode']})")
        if result["sent"].get("redirectUri"):
            render.note(f"{t('the verifier asks you to continue at')} {result['sent']['redirectUri']}")
    elif result.get("file") is not None:
        render.note(f"{t('wrote the answer to')} {result['file']}")


def _shared(result: dict[str, Any], stdout: str | None) -> None:
    for warning in result["warnings"]:
        render.warning_note(warning)
    if result.get("qr"):
        from skillpass.commands.qr import qr_summary

        qr_summary(result["qr"])
    # A learner at a terminal who sent the presentation down a pipe or into a file (> vp.json) is
    # told what went out, as with --out FILE; a script's stderr and a drawn code are left alone.
    elsewhere = sys.stderr.isatty() and not sys.stdout.isatty()
    if result["file"] is not None or elsewhere:
        render.share_summary(result, stdout)


def _pick_fields(listing: dict) -> list[str] | None:
    from skillpass.errors import UsageError

    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        raise UsageError("say what to share: --reveal FIELD (repeatable) or --reveal-all",
                         "see the fields with 'skillpass show ID --fields'")
    return render.pick_fields(listing)


def _confirm_preview(question: dict) -> bool:
    from skillpass.errors import CancelledError

    if not (sys.stdin.isatty() and sys.stderr.isatty()):  # the picker asks first; never reached without one
        raise CancelledError("refusing to continue without confirmation", "pass --reveal FIELD or --reveal-all")
    render.preview(question)
    return render.ask_yes_no(render.t("share exactly this?"))


def _deliver(presentation: dict | str, suffix: str, out: Path | None, force: bool,
             json_output: bool) -> str | None:
    """Write the presentation where the learner asked; None when it goes to stdout (or into the
    --json document)."""
    import json

    text = (presentation if isinstance(presentation, str)
            else json.dumps(presentation, indent=2, ensure_ascii=False)) + "\n"
    if out is None and json_output:
        return None
    if str(out) == "-" or (out is None and not sys.stdout.isatty()):
        sys.stdout.write(render.json_text_out(text))
        return None
    from skillpass.files import write_new_file

    target = out or Path(f"presentation-{now().strftime('%Y%m%dT%H%M%SZ')}{suffix}")
    write_new_file(target, text.encode(), overwrite=force)
    return str(target)


def history(home: Home = None, passphrase_file: PassphraseFile = None, json_output: Json = False) -> None:
    """Every share you made: when, which credentials, which fields, for which challenge and domain.

    \b
    Example:
      skillpass history
      skillpass history --json
    """
    output(flow.share_history(session(home, passphrase_file)), json_output, render.history_table)
