"""Answering a verifier: share, history."""

import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from skillpass import flow, render
from skillpass.commands.common import Home, Json, PassphraseFile, now, output, session


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
    qr: Annotated[bool, typer.Option("--qr", help="Draw the presentation as a QR code in the terminal.")] = False,
    qr_png: Annotated[Optional[Path], typer.Option(
        "--qr-png", metavar="FILE", help="Write the QR code as a PNG image.")] = None,
    qr_svg: Annotated[Optional[Path], typer.Option(
        "--qr-svg", metavar="FILE", help="Write the QR code as an SVG image.")] = None,
    qr_parts: Annotated[bool, typer.Option(
        "--qr-parts", help="When one code cannot hold it, a numbered sequence of codes (FILE-1.png, ...).")] = False,
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

    \b
    Example:
      skillpass share 3f2a --reveal credentialSubject.achievement.name \\
          --challenge 8c1d5e --domain hiring.example.ca --out for-employer.json
      skillpass share 3f2a 91bc --reveal-all --challenge 8c1d5e > presentation.json
      skillpass share 7c0e --reveal given_name --reveal skills[1] --challenge 8c1d5e \\
          --domain hiring.example.ca --out for-employer.sd-jwt
      skillpass share 3f2a --reveal credentialSubject.achievement.name --challenge 8c1d5e --qr
      skillpass share 3f2a 91bc --reveal-all --qr-png code.png --qr-parts
    """
    from skillpass.errors import UsageError

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
    output(result, json_output, _shared)


def _shared(result: dict[str, Any]) -> None:
    for warning in result["warnings"]:
        render.note(f"{render.t('warning')}: {warning}")
    if result.get("qr"):
        from skillpass.commands.qr import qr_summary

        qr_summary(result["qr"])
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
        sys.stdout.write(text)
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
