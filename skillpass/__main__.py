"""Entry point for `skillpass` and `python -m skillpass`."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except KeyboardInterrupt:  # Ctrl-C before the command's own handler is in place
        sys.stderr.write("skillpass: error: cancelled\n")
        return 12  # ExitStatus.CANCELLED, without importing anything more now


def _main(argv: list[str] | None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["--version"]:
        # Answered before typer loads: the version is asked for in scripts, often.
        from skillpass import __version__

        sys.stdout.write(f"skillpass {__version__}\n")
        return 0
    if args in ([], ["--help"], ["-h"]) and _print_cached_help():
        return 0
    debug = "--debug" in args
    args = [a for a in args if a != "--debug"]
    os.umask(0o077)  # whatever the user's umask, nothing we create is readable by others
    _no_core_dumps()
    from skillpass.cli import run

    return run(args, debug)


def _no_core_dumps() -> None:
    """A crash must not write the unlocked data key or a credential to a core file."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ImportError, ValueError, OSError):
        pass


def _print_cached_help() -> bool:
    """Print the top-level help typer would print, from skillpass/help.txt (written by
    scripts/update_help.py; a test keeps it identical), without loading typer. Click wraps help
    at 78 columns on any terminal of 80 or more, so only narrower terminals need typer."""
    import shutil
    from pathlib import Path

    if shutil.get_terminal_size().columns < 80:
        return False
    try:
        text = (Path(__file__).parent / "help.txt").read_text(encoding="utf-8")
    except OSError:
        return False
    sys.stdout.write(text)
    return True


if __name__ == "__main__":
    sys.exit(main())
