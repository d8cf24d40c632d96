"""What every command shares: the --home, --passphrase-file and --json options, the session they
resolve to, the clock, the confirmation prompt, and the one output helper."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from skillpass import flow, render
from skillpass.errors import CancelledError

Home = Annotated[Optional[Path], typer.Option(
    "--home", metavar="DIR", show_default=False,
    help="Wallet directory [default: $SKILLPASS_HOME, else your user data directory].")]
PassphraseFile = Annotated[Optional[Path], typer.Option(
    "--passphrase-file", metavar="FILE", show_default=False,
    help="Read the passphrase from FILE (else $SKILLPASS_PASSPHRASE, the OS keyring, or a prompt).")]
Json = Annotated[bool, typer.Option("--json", help="Print one JSON document instead of text.")]
CredentialId = Annotated[str, typer.Argument(metavar="ID", help="A credential id, or its first characters.")]


def output(result: Any, json_output: bool, text: Callable[[Any], None]) -> None:
    """`result` as the one JSON document --json prints, else as `text` renders it for a person."""
    if json_output:
        render.emit_json(result)
    else:
        text(result)


def session(home: Path | None, passphrase_file: Path | None) -> flow.Session:
    from skillpass.wallet.unlock import SecretSources

    return flow.Session(home_dir(home), SecretSources.from_process(passphrase_file))


def home_dir(home: Path | None) -> Path:
    """--home, else $SKILLPASS_HOME, else the user data directory."""
    import os

    from skillpass.wallet.home import resolve_home

    return resolve_home(str(home) if home else None, os.environ)


def now() -> datetime:
    return datetime.now(timezone.utc)


def confirm(question: str) -> bool:
    from skillpass.render import ask_yes_no

    if not sys.stdin.isatty():
        raise CancelledError("refusing to continue without confirmation", "pass --yes")
    return ask_yes_no(question)
