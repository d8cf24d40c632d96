"""Entry point for `skillpass` and `python -m skillpass`."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["--version"]:
        # Answered before typer loads: the version is asked for in scripts, often.
        from skillpass import __version__

        sys.stdout.write(f"skillpass {__version__}\n")
        return 0
    debug = "--debug" in args
    args = [a for a in args if a != "--debug"]
    os.umask(0o077)  # whatever the user's umask, nothing we create is readable by others
    from skillpass.cli import run

    return run(args, debug)


if __name__ == "__main__":
    sys.exit(main())
