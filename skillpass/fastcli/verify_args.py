"""`skillpass verify`'s command line, parsed without click: exactly the forms its typer command
(skillpass/commands/verifying.py) documents, or None so that typer answers (and words the error).

tests/test_verify_fast.py keeps OPTIONS equal to the typer command's parameters.
"""

from __future__ import annotations

import re
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
_WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")


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
    values: dict[str, object] = {"files": []}
    rest = iter(args)
    for arg in rest:
        if arg == "--":
            values["files"] += list(rest)  # type: ignore[operator]
            break
        if arg == "-" or not arg.startswith("-"):
            values["files"].append(arg)  # type: ignore[attr-defined]
            continue
        name, has_value, inline = arg.partition("=")
        spec = OPTIONS.get(name)
        if spec is None:
            return None  # --help, -h, an unknown or abbreviated option: typer's to answer
        key, kind = spec
        if kind == "flag":
            if has_value:
                return None
            values[key] = True
            continue
        value = inline if has_value else next(rest, None)
        if not _plain_value(value, kind):
            return None
        _store(values, key, kind, value)  # type: ignore[arg-type]
    return _built(values)


def _plain_value(value: str | None, kind: str) -> bool:
    """A value click would read the same way: present, not an option, a number where one is due."""
    if value is None or value.startswith("-"):
        return False
    return kind != "int" or _WHOLE_NUMBER.fullmatch(value) is not None


def _store(values: dict[str, object], key: str, kind: str, value: str) -> None:
    if kind == "many":
        values.setdefault(key, []).append(value)  # type: ignore[attr-defined]
    else:
        values[key] = int(value) if kind == "int" else value


def _built(values: dict[str, object]) -> VerifyArgs | None:
    if not values["files"]:
        return None  # click's "Missing argument 'FILE...'"
    paths = {"did_file", "status_list"}
    for key in paths & values.keys():
        values[key] = [Path(v) for v in values[key]]  # type: ignore[attr-defined]
    for key in ("home", "passphrase_file"):
        if key in values:
            values[key] = Path(values[key])  # type: ignore[arg-type]
    return VerifyArgs(**values)  # type: ignore[arg-type]
