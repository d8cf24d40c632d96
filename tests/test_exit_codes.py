"""The exit codes are one documented, stable table: README "Exit codes" and
skillpass/errors.py ExitStatus say the same, every error and every `typer.Exit` uses a code of
the table, and the table says which command can end with which code."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from typing import Any

from conftest import REPO
from skillpass import errors
from skillpass.errors import ExitStatus

README = (REPO / "README.md").read_text(encoding="utf-8")


def section() -> str:
    start = README.index("\n## Exit codes\n")
    end = README.index("\n## ", start + 1)
    return README[start:end]


def rows(text: str) -> Iterator[list[str]]:
    for line in text.splitlines():
        if line.startswith("|") and not line.startswith("|---"):
            yield [cell.strip() for cell in line.strip().strip("|").split("|")]


def code_table() -> dict[int, str]:
    return {int(cells[0]): cells[1].strip("`") for cells in rows(section()) if cells[0].isdigit()}


def command_table() -> dict[str, str]:
    table = {}
    for cells in rows(section()):
        if cells[0].startswith("`") and len(cells) == 2:
            for name in re.findall(r"`([a-z ]+)`", cells[0]):
                table[name] = cells[1]
    return table


def test_the_readme_table_is_exit_status() -> None:
    assert code_table() == {int(status): status.name for status in ExitStatus}


def test_codes_are_stable() -> None:
    """Scripts rely on these numbers: changing one is a breaking change, not a refactoring."""
    assert [(s.name, int(s)) for s in ExitStatus] == [
        ("OK", 0), ("INTERNAL", 1), ("USAGE", 2), ("NO_WALLET", 3), ("WALLET_EXISTS", 4), ("LOCKED", 5),
        ("NO_PASSPHRASE", 6), ("NOT_FOUND", 7), ("BAD_INPUT", 8), ("INVALID", 9), ("UNVERIFIABLE", 10),
        ("BUSY", 11), ("CANCELLED", 12), ("IO", 13), ("NETWORK", 14)]


def _commands() -> Iterator[str]:
    import typer

    from skillpass.cli import app

    def walk(command: Any, path: str) -> Iterator[str]:
        if hasattr(command, "commands"):
            for name, sub in command.commands.items():
                yield from walk(sub, f"{path} {name}")
        else:
            yield path.strip()

    yield from walk(typer.main.get_command(app), "")


def test_the_readme_says_what_each_command_can_return() -> None:
    table = command_table()
    assert sorted(table) == sorted(_commands())
    codes = {int(status) for status in ExitStatus}
    for name, returns in table.items():
        for number in re.findall(r"(?<![\w.])(\d+)(?! s\b)", returns):
            assert int(number) in codes, f"{name}: {number} is not an exit code"


def _error_classes() -> list[type[errors.SkillpassError]]:
    found, todo = [], [errors.SkillpassError]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo += cls.__subclasses__()
    return found


def test_every_error_exits_with_a_documented_code_and_every_code_has_an_error() -> None:
    import skillpass.cli  # noqa: F401 - the commands, and through them most error classes

    statuses = {cls.exit_status for cls in _error_classes()}
    assert all(isinstance(status, ExitStatus) for status in statuses)
    assert set(ExitStatus) - statuses == {ExitStatus.OK}


def _exits() -> Iterator[tuple[str, ast.Call]]:
    for path in (REPO / "skillpass").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and ast.unparse(node.func) in ("typer.Exit", "Exit", "SystemExit",
                                                                          "sys.exit"):
                yield f"{path.relative_to(REPO)}:{node.lineno}", node


def _literals(expr: ast.expr) -> list[int]:
    """The numbers an exit's argument can evaluate to as written (not those it compares)."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, int):
        return [expr.value]
    if isinstance(expr, ast.IfExp):
        return _literals(expr.body) + _literals(expr.orelse)
    return []


def test_every_exit_in_the_code_uses_exit_status() -> None:
    """`typer.Exit(ExitStatus.X)` or a status carried by an error's result, never a bare number."""
    bare = [where for where, call in _exits() for arg in call.args if any(code != 0 for code in _literals(arg))]
    assert bare == []
    named = {node.attr for _, call in _exits() for arg in call.args for node in ast.walk(arg)
             if isinstance(node, ast.Attribute) and ast.unparse(node.value) == "ExitStatus"}
    assert named <= set(ExitStatus.__members__)
