"""Entry point for `skillpass` and `python -m skillpass`."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    try:
        status = _main(argv)
    except KeyboardInterrupt:  # Ctrl-C before the command's own handler is in place
        sys.stderr.write("skillpass: error: cancelled\n")
        status = 12  # ExitStatus.CANCELLED, without importing anything more now
    if argv is None:
        _done()
    return status


def _done() -> None:
    """The program's outcome is said: a Ctrl-C from now until the process ends (the interpreter
    flushing stdout, joining threads) would be a KeyboardInterrupt no handler catches, a
    traceback and a death by SIGINT after the command had succeeded and said so. Only when
    run as the program (no `argv`): a caller's own process keeps its Ctrl-C."""
    import signal

    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: not the program's end either
        pass


def _main(argv: list[str] | None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if os.environ.get("_SKILLPASS_COMPLETE"):  # a shell asking for completions, or for its script
        from typer._completion_classes import completion_init

        completion_init()
        from skillpass.cli import run

        return run(args)
    args, lang = _take_lang(args)
    if lang == "":
        return _bad_lang(args)
    if lang is not None:
        from skillpass import i18n

        i18n.use_language(lang)
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
    if args[:1] in (["verify"], ["list"], ["passport"]):  # scripts' loops: without typer when plain
        from skillpass.fastcli import run_fast

        status = run_fast(args, debug)
        if status is not None:
            return status
    from skillpass.cli import run

    return run(args, debug)


def _take_lang(args: list[str]) -> tuple[list[str], str | None]:
    """`--lang en|fr` (or `--lang=fr`) taken out of the arguments wherever it is, like --debug:
    every command has it. The language is '' when the value is missing or not en/fr (the value,
    for the message, is left at the end of the arguments)."""
    rest: list[str] = []
    lang: str | None = None
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest += args[i:]
            break
        if arg == "--lang" or arg.startswith("--lang="):
            value = arg[len("--lang="):] if "=" in arg else (args[i + 1] if i + 1 < len(args) else "")
            i += 1 if "=" in arg else 2
            if value not in ("en", "fr"):
                return [value], ""
            lang = value
            continue
        rest.append(arg)
        i += 1
    return rest, lang


def _bad_lang(args: list[str]) -> int:
    """A usage error, in one line (exit 2), in the language the environment asks for."""
    from skillpass import render

    value = args[0] if args else ""
    message = f"unknown --lang {value}" if value else "--lang needs a value"
    sys.stderr.write(render.error_line(message, "choose en or fr") + "\n")
    return 2  # ExitStatus.USAGE


def _no_core_dumps() -> None:
    """A crash must not write the unlocked data key or a credential to a core file."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ImportError, ValueError, OSError):
        pass


def _print_cached_help() -> bool:
    """Print the top-level help typer would print, from skillpass/help.txt or help.fr.txt (written by
    scripts/update_help.py; a test keeps it identical), without loading typer. Click wraps help
    at 78 columns on any terminal of 80 or more, so only narrower terminals need typer."""
    import shutil
    from pathlib import Path

    if shutil.get_terminal_size().columns < 80:
        return False
    from skillpass.i18n import language

    name = "help.fr.txt" if language() == "fr" else "help.txt"
    try:
        text = (Path(__file__).parent / name).read_text(encoding="utf-8")
    except OSError:
        return False
    sys.stdout.write(text)
    return True


if __name__ == "__main__":
    sys.exit(main())
