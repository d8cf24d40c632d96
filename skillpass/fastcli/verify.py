"""The body of `skillpass verify`, shared by the typer command and the fast path: read the
input, verify it, print the report, return the exit status. Imports neither typer nor rich."""

from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from skillpass.errors import ExitStatus
from skillpass.fastcli.verify_args import VerifyArgs

MAX_AGE = 10**9  # seconds: --max-age's largest (timedelta and datetime overflow long after it)


def verify_command(args: VerifyArgs) -> int:
    """`skillpass verify` as asked: one input (or one QR sequence), or many files at once."""
    from skillpass.errors import UsageError, refuse_blank

    refuse_blank(("--challenge", args.challenge), ("--domain", args.domain))
    if args.max_age <= 0:
        raise UsageError("--max-age takes a number of seconds above 0", "e.g. --max-age 600")
    if args.max_age > MAX_AGE:  # beyond this, the oldest time allowed is no date at all
        raise UsageError("--max-age takes at most 1000000000 seconds (about 31 years)", "e.g. --max-age 600")
    if len(args.files) > 1 and not args.qr:
        from skillpass.fastcli.verify_many import verify_many

        return verify_many(args)
    if args.qr:
        from skillpass.qr.payload import scanned

        source = scanned(args.files)
    else:
        source = read_input(args.files[0])
    report = verify_source(args, source)
    from skillpass import render

    if args.json_output:
        render.emit_json(report)
    else:
        from skillpass.render.verification import verification_report

        verification_report(report)
    return outcome_status(report)


def outcome_status(report: dict[str, Any]) -> int:
    outcome = report["outcome"]
    if outcome == "verified":
        return ExitStatus.OK
    return ExitStatus.INVALID if outcome == "invalid" else ExitStatus.UNVERIFIABLE


def verify_source(args: VerifyArgs, source: bytes) -> dict[str, Any]:
    from skillpass import render
    from skillpass.flow.verifying import verify_presentation_file

    home = home_dir(args.home)
    return verify_presentation_file(home, source, challenge=args.challenge, domain=args.domain,
                                    allow_unbound=args.allow_unbound, require_trusted=args.require_trusted,
                                    now=datetime.now(timezone.utc), material=material(args, home),
                                    max_age=timedelta(seconds=args.max_age), notice=render.note)


def material(args: VerifyArgs, home: Path) -> Any:
    from skillpass.flow.session import Session
    from skillpass.flow.verifying import VerifierMaterial
    from skillpass.wallet.unlock import SecretSources

    session = Session(home, SecretSources.from_process(args.passphrase_file))
    return VerifierMaterial(context_files(args.context), list(args.did_file), session, list(args.status_list))


def home_dir(home: Path | None) -> Path:
    """--home, else $SKILLPASS_HOME, else the user data directory."""
    import os

    from skillpass.wallet.home import resolve_home

    return resolve_home(str(home) if home else None, os.environ)


def context_files(pairs: list[str]) -> dict[str, Path]:
    from skillpass.errors import UsageError

    contexts = {}
    for pair in pairs:
        url, sep, file = pair.partition("=")
        if not sep or not url.startswith("https://") or not file:
            raise UsageError(f"--context takes URL=FILE, not {pair!r}",
                             "e.g. --context https://example.org/ctx/v1=ctx.json")
        contexts[url] = Path(file)
    return contexts


def read_input(file: str) -> bytes:
    from skillpass.encoding.inflate import size
    from skillpass.errors import BadInputError
    from skillpass.files import read_limited
    from skillpass.formats.detect import HTML, detect, link_format, unsupported
    from skillpass.ingest import MAX_INPUT_BYTES
    from skillpass.verifier.page import MAX_PAGE_BYTES

    link = link_format(file)
    if link is not None:
        raise unsupported(link, file)
    # A passport page carries at most 100 credentials in its presentation but shows them all:
    # it may be larger (verifier/page.py bounds what it extracts).
    if file != "-":
        data = read_limited(Path(file), MAX_PAGE_BYTES, "a presentation or a passport page")
    else:
        data = sys.stdin.buffer.read(MAX_PAGE_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES and (len(data) > MAX_PAGE_BYTES or detect(data) != HTML):
        raise BadInputError(f"the input is over {size(MAX_INPUT_BYTES)}, too large to be a presentation",
                            "check the file", code="E_TOO_LARGE")
    return data
