"""`skillpass verify`'s command line, parsed without click: exactly the forms its typer command
(skillpass/commands/verifying.py) documents, or None so that typer answers (and words the error).

tests/test_verify_fast.py keeps OPTIONS equal to the typer command's parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# option -> (field, kind): "flag" takes no value, "value" one (the last wins, as in click),
# "many" one per use (repeatable), "int" one whole number
OPTIONS: dict[str, tuple[str, str]] = {
    "--challenge": ("challenge", "value"), "--domain": ("domain", "value"),
    "--allow-unbound": ("allow_unbound", "flag"), "--require-trusted": ("require_trusted", "flag"),
    "--context": ("context", "many"), "--did": ("did_file", "many"),
    "--status-list": ("status_list", "many"), "--max-age": ("max_age", "int"),
    "--qr": ("qr", "flag"), "--home": ("home", "value"), "--passphrase-file": ("passphrase_file", "value"),
    "--json": ("json_output", "flag"),
}


@dataclass(frozen=True)
class VerifyArgs:
    """What `skillpass verify` was asked, whichever parser read it."""

    files: list[str]
    challenge: str | None = None
    domain: str | None = None
    allow_unbound: bool = False
    require_trusted: bool = False
    context: list[str] = field(default_factory=list)
    did_file: list[Path] = field(default_factory=list)
    status_list: list[Path] = field(default_factory=list)
    max_age: int = 300
    qr: bool = False
    home: Path | None = None
    passphrase_file: Path | None = None
    json_output: bool = False


def parse(args: list[str]) -> VerifyArgs | None:
    """The arguments after `verify`, or None when anything in them is not an ordinary form."""
    from skillpass.fastcli.args import parse_options

    parsed = parse_options(args, OPTIONS)
    if parsed is None or not parsed.positional:
        return None  # not an ordinary form, or click's "Missing argument 'FILE...'"
    parsed.as_paths(("did_file", "status_list", "home", "passphrase_file"))
    return VerifyArgs(parsed.positional, **parsed.values)
