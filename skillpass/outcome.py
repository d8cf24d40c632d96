"""A command's outcome as its documented exit status and at most one line on stderr: the one
mapping for the typer CLI (skillpass.cli.run) and for the commands answered without it
(skillpass.fastcli)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from skillpass.errors import SkillpassError


def guarded(command: Callable[[], int], debug: bool,
            heard: Callable[[SkillpassError], None] | None = None) -> int:
    """`command()`'s exit status; a SkillpassError, Ctrl-C or anything unexpected becomes its
    exit status and one line (`heard`, for tests, also gets the SkillpassError itself)."""
    from skillpass.errors import ExitStatus, SkillpassError

    try:
        return command()
    except SkillpassError as exc:
        if heard is not None:
            heard(exc)
        return fail(exc.message, exc.hint, exc.exit_status, debug)
    except KeyboardInterrupt:
        return fail("cancelled", None, ExitStatus.CANCELLED, debug)
    except BrokenPipeError:
        return ExitStatus.OK
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback for users
        return fail(f"internal error ({type(exc).__name__}: {exc})",
                    "run again with --debug and report it", ExitStatus.INTERNAL, debug)


def fail(message: str, hint: str | None, status: int, debug: bool) -> int:
    """Say what went wrong in one line (with the traceback under --debug); `status` back."""
    from skillpass import render

    if debug:
        import traceback

        traceback.print_exc(file=sys.stderr)
    sys.stderr.write(render.error_line(message, hint) + "\n")
    return int(status)
