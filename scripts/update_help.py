"""Regenerate skillpass/help.txt, the top-level `skillpass --help` that __main__ prints without
loading typer (start-up under 0.15 s). tests/test_cli_help.py fails when it is out of date."""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "skillpass" / "help.txt"


def typer_help() -> str:
    os.environ["COLUMNS"] = "80"
    from skillpass.cli import run

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        run(["--help"])
    return out.getvalue()


if __name__ == "__main__":
    TARGET.write_text(typer_help())
    print(f"wrote {TARGET}")
