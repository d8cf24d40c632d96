"""A command line read without click, from an option table: exactly the forms a typer command
documents, or None so that typer answers (and words the error, or prints the help).

A table maps each long option to (field, kind): "flag" takes no value, "value" one (the last
wins, as in click), "many" one per use (repeatable), "int" one whole number. The tests of each
fast command (tests/test_verify_fast.py, tests/test_list_fast.py) keep its table equal to the
typer command's parameters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")


@dataclass
class Parsed:
    """The options read (field -> value, only those given) and the positional arguments."""

    values: dict[str, Any] = field(default_factory=dict)
    positional: list[str] = field(default_factory=list)

    def as_paths(self, keys: Iterable[str]) -> Parsed:
        """Each of `keys` given (a value, or a list of them) made a Path, as typer's Path type does."""
        for key in keys:
            value = self.values.get(key)
            if isinstance(value, list):
                self.values[key] = [Path(v) for v in value]
            elif value is not None:
                self.values[key] = Path(value)
        return self


def parse_options(args: list[str], options: dict[str, tuple[str, str]]) -> Parsed | None:
    """`args` read by `options`, or None when anything in them is not an ordinary form."""
    parsed = Parsed()
    rest = iter(args)
    for arg in rest:
        if arg == "--":
            parsed.positional += list(rest)
            break
        if arg == "-" or not arg.startswith("-"):
            parsed.positional.append(arg)
            continue
        name, has_value, inline = arg.partition("=")
        spec = options.get(name)
        if spec is None:
            return None  # --help, -h, an unknown or abbreviated option: typer's to answer
        key, kind = spec
        if kind == "flag":
            if has_value:
                return None
            parsed.values[key] = True
            continue
        value = inline if has_value else next(rest, None)
        if not _plain_value(value, kind):
            return None
        _store(parsed.values, key, kind, value)  # type: ignore[arg-type]
    return parsed


def _plain_value(value: str | None, kind: str) -> bool:
    """A value click would read the same way: present, not an option ('-' is one: stdin or
    stdout), a number where one is due."""
    if value is None or (value.startswith("-") and value != "-"):
        return False
    return kind != "int" or _WHOLE_NUMBER.fullmatch(value) is not None


def _store(values: dict[str, Any], key: str, kind: str, value: str) -> None:
    if kind == "many":
        values.setdefault(key, []).append(value)
    else:
        values[key] = int(value) if kind == "int" else value
