"""`skillpass verify FILE FILE...`: each file verified on its own, on every core, reported in the
order given. One file that cannot be read or is not a presentation is reported, not fatal."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

from skillpass.errors import ExitStatus
from skillpass.fastcli.verify_args import VerifyArgs


def verify_many(args: VerifyArgs) -> int:
    """Verify every file; print one JSON array (--json) or one line a file; the exit status is
    0 when all verified, else 9 when any is invalid, else the first unreadable file's, else 10."""
    from skillpass import render
    from skillpass.fastcli.verify import home_dir, material
    from skillpass.flow.verifying import VerifyRequest, verification_context
    from skillpass.parallel import ordered_map
    from skillpass.progress import close, progress, silent

    home = home_dir(args.home)
    request = VerifyRequest(args.challenge, args.domain, args.allow_unbound, args.require_trusted,
                            datetime.now(timezone.utc), timedelta(seconds=args.max_age))
    context = verification_context(home, request, material(args, home), render.note)
    advance = (silent if args.json_output else progress)(len(args.files))
    results = []
    try:
        for file, result in zip(args.files, ordered_map(verify_raw, context, _inputs(args.files),
                                                        count=len(args.files), failed=lost)):
            results.append({"file": file, **result})
            advance()
    finally:
        close(advance)
    if args.json_output:
        render.emit_json([_for_json(r) for r in results])
    else:
        from skillpass.render.verification import files_report

        files_report(results)
    return _status(results)


def verify_raw(context: Any, raw: bytes) -> dict[str, Any]:
    """One file's report, or the error that stopped it (in a worker: plain data comes back)."""
    from skillpass.errors import SkillpassError
    from skillpass.flow.verifying import verify_with

    try:
        return {"report": verify_with(context, raw)}
    except SkillpassError as exc:
        return {"error": exc.as_dict()}


def lost(raw: bytes, exc: BaseException) -> dict[str, Any]:
    """The report of a file whose check failed unexpectedly (a bug, or its worker was killed)."""
    return {"error": internal_error(exc).as_dict()}


def internal_error(exc: BaseException) -> Any:
    """`exc` as the internal error the command line would report for a whole command."""
    from skillpass.errors import SkillpassError

    return SkillpassError(f"internal error ({type(exc).__name__}: {exc})", "run again with --debug and report it")


def _inputs(files: list[str]) -> Iterator[Any]:
    """Each file's bytes, read when its turn comes; a file that cannot be read, as its error."""
    from skillpass.errors import SkillpassError
    from skillpass.fastcli.verify import read_input
    from skillpass.parallel import Done

    for file in files:
        try:
            yield read_input(file)
        except SkillpassError as exc:
            yield Done({"error": exc.as_dict()})


def _for_json(result: dict[str, Any]) -> dict[str, Any]:
    """The file's name (and an error naming it) as text any output can carry: a name that is
    not UTF-8 shows its bytes as \\xff, as the text report does."""
    from skillpass.render.text import well_formed

    error = result.get("error")
    if error is not None:
        result = dict(result, error={k: well_formed(v) if isinstance(v, str) else v for k, v in error.items()})
    return dict(result, file=well_formed(result["file"]))


def _status(results: list[dict[str, Any]]) -> int:
    outcomes = [r["report"]["outcome"] if "report" in r else None for r in results]
    if all(o == "verified" for o in outcomes):
        return ExitStatus.OK
    if "invalid" in outcomes:
        return ExitStatus.INVALID
    errors = [r["error"]["exit_status"] for r in results if "error" in r]
    return int(errors[0]) if errors else ExitStatus.UNVERIFIABLE
