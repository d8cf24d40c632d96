"""skillpass against the reference implementations, in one run: prints the tables and rewrites
BENCHMARKS.md.

Usage: python bench/bench.py [--runs N] [--quick] [--only GROUP ...] [--write | --no-write]

Groups: suites, sdjwt, vpqr (in-process, ours against digitalbazaar, the PyPI sd-jwt reference,
@sd-jwt/sd-jwt-vc and @digitalcredentials/vpqr: bench/inprocess.py); startup, commands (whole
commands: bench/commands.py; commands includes startup); qr (QR sizes: bench/qr.py); hostile
(worst inputs under the limits: bench/hostile.py). Without --only, all of them, and
BENCHMARKS.md is rewritten (--quick or --only write it only with --write). Installs the Node peer
(npm ci in tests/interop) when node_modules is missing; the PyPI `sd-jwt` reference comes with
`pip install -e '.[test]'`. Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import REPO, ensure_node_modules, machine, markdown, plain  # noqa: E402

GROUPS = ["suites", "sdjwt", "vpqr", "startup", "commands", "qr", "hostile"]
COMMAND = "python bench/bench.py"


def sections(groups: set[str], runs: int, quick: bool, node: str | None, scratch: Path) -> list[str]:
    """The Markdown sections of the groups asked for; each table is printed as it is done."""
    import commands
    import inprocess

    found = []
    parts = groups & {"suites", "sdjwt", "vpqr"}
    if parts:
        rows, profiles = inprocess.run(parts, runs, node, scratch)
        show(inprocess.HEADER, rows)
        found.append(section("In-process, against the reference implementations", inprocess.__doc__,
                             markdown(inprocess.HEADER, rows), profiles))
    if groups & {"startup", "commands"}:
        sizes = (100, 1_000) if quick else (100, 1_000, 10_000)
        group = commands.run(max(2, runs // 10), node, scratch, sizes, many=100 if quick else commands.MANY,
                             startup_only="commands" not in groups)
        show(commands.HEADER, group.rows)
        found.append(section("Whole commands", commands.__doc__, markdown(commands.HEADER, group.rows),
                             group.profiles))
    if "qr" in groups:
        import qr

        text = qr.table(max(3, runs // 10))
        print(text)
        found.append(section("QR codes: sizes, against @digitalcredentials/vpqr", qr.__doc__, text, []))
    if "hostile" in groups:
        import hostile

        text = hostile.table()
        print(text)
        found.append(section("Hostile input", hostile.__doc__, text, []))
    return found


def show(header: list[str], rows: list[list[str]]) -> None:
    print(plain(header, rows), end="\n\n", flush=True)


def section(title: str, doc: str | None, table: str, profiles: list[str]) -> str:
    """A heading, the table, how it was measured (the module's docstring), what dominates."""
    how = "\n".join(line for line in (doc or "").strip().splitlines()
                    if not line.startswith(("Usage:", "Not a test")))
    text = f"## {title}\n\n{table}\n\n### How it is measured\n\n{how}\n"
    if profiles:
        text += "\n### What dominates (profile of our side)\n\n" + "\n".join(profiles) + "\n"
    return text


def document(parts: list[str], command: str, took: float) -> str:
    head = ["# Benchmarks", "",
            f"Written by `{command}` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, in {took / 60:.1f} minutes; run "
            "the same command in the repository, in a venv with `pip install -e '.[test]'` (it installs the "
            "Node peer when it is missing). Medians; "
            "the machine is shared and noisy, so read the ratios rather than the last digit. Targets "
            "(issue 15): every in-process operation ≤ 0.25x the reference; a whole `skillpass verify` ≤ "
            "0.5x Node's (aim 0.3x); `--version` and `--help` under 0.1 s; `list` and `passport` of "
            "10,000 under 0.5 s and 64 MiB, growing linearly.", "", "The machine:", "", *machine(), ""]
    return "\n".join(head) + "\n" + "\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50, help="in-process runs per operation (commands: a tenth)")
    parser.add_argument("--quick", action="store_true", help="fewer runs, wallets of 100 and 1,000 only")
    parser.add_argument("--only", action="append", choices=GROUPS, help="this group only (repeatable)")
    parser.add_argument("--write", action=argparse.BooleanOptionalAction, default=None,
                        help="rewrite BENCHMARKS.md (the default without --only and --quick)")
    args = parser.parse_args()
    started = time.perf_counter()
    groups = set(args.only or GROUPS)
    runs = min(args.runs, 10) if args.quick else args.runs
    node = ensure_node_modules() if groups & {"suites", "sdjwt", "vpqr", "commands", "qr"} else None
    with tempfile.TemporaryDirectory(prefix="skillpass-bench-") as scratch:
        parts = sections(groups, max(1, runs), args.quick, node, Path(scratch))
    took = time.perf_counter() - started
    print(f"took {took:.0f} s", file=sys.stderr)
    if args.write or (args.write is None and not args.only and not args.quick):
        command = " ".join([COMMAND, *sys.argv[1:]])
        (REPO / "BENCHMARKS.md").write_text(document(parts, command, took))
        print("BENCHMARKS.md rewritten", file=sys.stderr)


if __name__ == "__main__":
    main()
