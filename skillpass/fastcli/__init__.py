"""Commands answered without typer, click or rich: `verify`, which a verifier runs in scripts and
loops, and `list` and `passport`, which read the wallet's rows; loading the whole command tree
would be most of their time.

`run_fast` returns None for anything it does not recognise exactly (help, completion, an
unknown option, a malformed value): the typer command answers that, so its errors stay its own.
"""

from __future__ import annotations

from skillpass.outcome import guarded

FAST = ("verify", "list", "passport")  # the commands answered here when their form is plain


def run_fast(args: list[str], debug: bool = False) -> int | None:
    """The exit status of `args` run here, or None to hand them to typer."""
    if not args or args[0] not in FAST:
        return None
    if args[0] != "verify":
        return _run_rows(args, debug)
    from skillpass.fastcli.verify_args import parse

    parsed = parse(args[1:])
    if parsed is None:
        return None
    from skillpass.fastcli.verify import verify_command

    return guarded(lambda: verify_command(parsed), debug)


def _run_rows(args: list[str], debug: bool) -> int | None:
    """`list` and `passport`: the wallet's rows, read in scripts and loops."""
    from skillpass.fastcli import rows, rows_args

    if args[0] == "list":
        listed = rows_args.parse_list(args[1:])
        return None if listed is None else guarded(lambda: rows.list_command(listed), debug)
    asked = rows_args.parse_passport(args[1:])
    return None if asked is None else guarded(lambda: rows.passport_command(asked), debug)
