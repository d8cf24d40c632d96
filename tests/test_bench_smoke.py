"""bench/bench.py still runs: its start-up group, and one group against the Node peer. Nothing
here looks at a figure (no timed assertions); only that the tables come out."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "bench" / "bench.py"


def run_bench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(BENCH), "--quick", "--no-write", *args], capture_output=True,
                          text=True, cwd=REPO, timeout=300, check=False)


def test_startup_group_prints_its_table_and_leaves_benchmarks_md_alone() -> None:
    before = (REPO / "BENCHMARKS.md").read_bytes()
    done = run_bench("--only", "startup")
    assert done.returncode == 0, done.stderr[-2000:]
    rows = [line for line in done.stdout.splitlines() if line.startswith("`skillpass")]
    assert [row.split("`")[1] for row in rows] == ["skillpass --version", "skillpass --help"]
    assert all(" ms " in row or " s " in row for row in rows), rows
    assert (REPO / "BENCHMARKS.md").read_bytes() == before


@pytest.mark.skipif(shutil.which("node") is None or not (REPO / "tests" / "interop" / "node_modules").is_dir(),
                    reason="needs node and tests/interop/node_modules")
def test_vpqr_group_times_both_sides() -> None:
    done = run_bench("--only", "vpqr", "--runs", "3")
    assert done.returncode == 0, done.stderr[-2000:]
    rows = [line for line in done.stdout.splitlines() if line.startswith("VPQR")]
    assert len(rows) == 2 and all("@digitalcredentials/vpqr" in row and "x " in row for row in rows), rows
