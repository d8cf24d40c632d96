"""Speed is measured in bench/ (BENCHMARKS.md), never asserted in a test: a test that bounds an
operation's wall time fails on a busy machine and proves nothing on a quiet one. Where a test
must show that work is bounded, it shows it by what was (not) done: the error raised before the
work, the budget's count, the function never called."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
CLOCKS = {"perf_counter", "monotonic", "time", "perf_counter_ns", "monotonic_ns", "time_ns"}


def _reads_clock(node: ast.AST) -> bool:
    return any(isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
               and call.func.attr in CLOCKS and isinstance(call.func.value, ast.Name)
               and call.func.value.id == "time" for call in ast.walk(node))


def _elapsed(node: ast.AST, durations: set[str]) -> bool:
    """A clock difference, or a name that holds one."""
    return any((isinstance(sub, ast.BinOp) and isinstance(sub.op, ast.Sub) and _reads_clock(sub))
               or (isinstance(sub, ast.Name) and sub.id in durations) for sub in ast.walk(node))


def _durations(tree: ast.AST) -> set[str]:
    """Names that hold a clock difference or something made of one (a list of them, its median)."""
    durations: set[str] = set()
    while True:
        found = {target.id for node in ast.walk(tree) if isinstance(node, ast.Assign)
                 and _elapsed(node.value, durations) for target in node.targets if isinstance(target, ast.Name)}
        found |= {call.func.value.id for call in ast.walk(tree) if isinstance(call, ast.Call)
                  and isinstance(call.func, ast.Attribute) and call.func.attr == "append"
                  and isinstance(call.func.value, ast.Name) and any(_elapsed(a, durations) for a in call.args)}
        if found <= durations:
            return durations
        durations |= found


def timed_assertions(source: str) -> list[int]:
    tree = ast.parse(source)
    durations = _durations(tree)
    return [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Assert)
            and any(isinstance(compare, ast.Compare) and any(isinstance(op, (ast.Lt, ast.LtE)) for op in compare.ops)
                    and _elapsed(compare, durations) for compare in ast.walk(node.test))]


def test_the_rule_finds_a_timed_assertion() -> None:
    assert timed_assertions("import time\ns = time.perf_counter()\nrun()\nassert time.perf_counter() - s < 2\n") == [4]
    assert timed_assertions("import time\ns = time.monotonic()\nrun()\nelapsed = time.monotonic() - s\n"
                            "assert elapsed < 20, elapsed\n") == [5]
    assert timed_assertions("import time\ntimes = []\nfor _ in range(9):\n    s = time.perf_counter()\n"
                            "    times.append(time.perf_counter() - s)\nmedian = statistics.median(times)\n"
                            "assert median * 1000 < 50\n") == [7]
    assert timed_assertions("import time\nassert time.time() > until  # a deadline passed, not a speed\n") == []


def test_no_test_asserts_on_elapsed_time() -> None:
    found = {str(path.relative_to(TESTS)): lines for path in sorted(TESTS.rglob("*.py"))
             if "node_modules" not in path.parts
             and (lines := timed_assertions(path.read_text(encoding="utf-8")))}
    assert found == {}, f"timed assertions (measure them in bench/ instead): {found}"
