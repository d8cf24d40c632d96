"""Regenerate skillpass/help.txt and skillpass/help.fr.txt, the top-level `skillpass --help` that
__main__ prints without loading typer (start-up under 0.15 s), in English and in French.
tests/test_cli_help.py and tests/test_french.py fail when one is out of date."""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "skillpass"
TARGET = PACKAGE / "help.txt"
TARGETS = {"en": TARGET, "fr": PACKAGE / "help.fr.txt"}


def typer_help(lang: str = "en") -> str:
    os.environ["COLUMNS"] = "80"
    from skillpass import i18n
    from skillpass.cli import run

    out = io.StringIO()
    i18n.use_language(lang)
    try:
        with contextlib.redirect_stdout(out):
            run(["--help"])
    finally:
        i18n.use_language(None)
    return out.getvalue()


if __name__ == "__main__":
    for lang, target in TARGETS.items():
        target.write_text(typer_help(lang), encoding="utf-8")
        print(f"wrote {target}")
