"""skillpass benchmarks: prints a table of medians, with digitalbazaar's Node stack as the yardstick.

Usage: python bench/bench.py [--runs N] [--skip-list] [--skip-node]

- CLI start-up: `skillpass --version` and `--help`, wall time of the real command.
- Verify (in-process, warm) per proof suite on an Open Badges 3.0 credential, and ecdsa-sd-2023
  derive; the same operations in digitalbazaar's libraries (tests/interop/peer.mjs bench) when
  tests/interop/node_modules is installed.
- `skillpass list` of 10,000 credentials with the production KDF (unlock included): wall time and
  peak memory of the real command.
Not a test: nothing here asserts; BENCHMARKS.md records the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

SUITES = ["eddsa-rdfc-2022", "ecdsa-rdfc-2019", "Ed25519Signature2020", "Ed25519Signature2018",
          "eddsa-jcs-2022", "ecdsa-jcs-2019", "ecdsa-sd-2023"]


def median_ms(fn: Callable[[], Any], runs: int, warmup: int = 3) -> float:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def command_ms(args: list[str], runs: int, env: dict[str, str] | None = None) -> float:
    def run() -> None:
        subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
    return median_ms(run, runs, warmup=1)


def skillpass_command() -> list[str]:
    installed = shutil.which("skillpass", path=str(Path(sys.executable).parent))
    return [installed] if installed else [sys.executable, "-m", "skillpass"]


def bench_startup(runs: int) -> list[tuple[str, str, str, str]]:
    cmd = skillpass_command()
    return [("skillpass --version", f"{command_ms(cmd + ['--version'], runs):.0f} ms", "< 150 ms", ""),
            ("skillpass --help", f"{command_ms(cmd + ['--help'], runs):.0f} ms", "< 150 ms", "")]


def node_medians(runs: int) -> dict[tuple[str, str], float]:
    peer = REPO / "tests" / "interop" / "peer.mjs"
    if not (REPO / "tests" / "interop" / "node_modules").is_dir() or not shutil.which("node"):
        return {}
    found = {}
    for suite in SUITES:
        for op in (["verify", "derive"] if suite == "ecdsa-sd-2023" else ["verify"]):
            out = subprocess.run(["node", str(peer), "bench", "--suite", suite, "--op", op, "--runs", str(runs)],
                                 capture_output=True, text=True, cwd=peer.parent)
            if out.returncode == 0:
                found[(suite, op)] = float(json.loads(out.stdout)["median_ms"])
    return found


def bench_suites(runs: int, with_node: bool) -> list[tuple[str, str, str, str]]:
    from issuing import signed_ob3
    from skillpass.jsonld.loader import ContextStore
    from skillpass.suites.ecdsa_sd_2023 import derive_proof
    from skillpass.formats.ldp_vc.verify import verify_credential

    store = ContextStore.bundled()
    now = datetime.now(timezone.utc)
    node = node_medians(runs) if with_node else {}
    rows = []
    for suite in SUITES:
        credential, _ = signed_ob3(suite)
        if suite == "ecdsa-sd-2023":
            derived = derive_proof(credential, selective_pointers=["/credentialSubject/achievement/name"], store=store)
            ours = median_ms(lambda: derive_proof(credential, selective_pointers=["/credentialSubject/achievement/name"],
                                                  store=store), runs)
            rows.append(_row(f"derive {suite}", ours, node.get((suite, "derive"))))
            credential = derived
        ours = median_ms(lambda: verify_credential(credential, store=store, did_cache={}, now=now), runs)
        rows.append(_row(f"verify {suite}", ours, node.get((suite, "verify"))))
    return rows


def _row(name: str, ours: float, theirs: float | None) -> tuple[str, str, str, str]:
    if theirs is None:
        return (name, f"{ours:.1f} ms", "-", "")
    return (name, f"{ours:.1f} ms", f"{theirs:.1f} ms", f"{ours / theirs:.2f}x")


def build_wallet(home: Path, count: int, passphrase: str) -> None:
    from issuing import ob3, new_issuer
    from skillpass.summary import summarize
    from skillpass.views import row_record
    from skillpass.wallet.unlock import Passphrase
    from skillpass.wallet.wallet import create_wallet, credential_id

    issuer = new_issuer("Ed25519")
    records = []
    for n in range(count):
        credential = ob3(f"Micro-credential {n}", issuer=issuer, n=n)
        raw = json.dumps(credential, indent=2).encode()
        cid = credential_id(raw)
        entry = {"summary": summarize(credential).to_dict(), "format": "ldp_vc", "added": "2026-11-29T00:00:00Z",
                 "verification": {"issuer": issuer.did, "proofs": [], "checked": "2026-11-29T00:00:00Z"}}
        records += [("credential", cid, raw), ("entry", cid, json.dumps(entry).encode()),
                    ("row", cid, json.dumps(row_record(entry)).encode())]
    with create_wallet(home, passphrase=Passphrase(passphrase.encode()), use_keyring=False) as wallet:
        wallet.import_records(records)


def bench_list(runs: int, count: int = 10_000) -> list[tuple[str, str, str, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        build_wallet(home, count, "benchmark passphrase")
        env = dict(os.environ, SKILLPASS_HOME=str(home), SKILLPASS_PASSPHRASE="benchmark passphrase")
        cmd = skillpass_command()
        rows = []
        for flag in ([], ["--json"]):
            wall = command_ms(cmd + ["list", *flag], runs, env)
            rows.append((f"list {count:,} credentials{' --json' if flag else ''}", f"{wall:.0f} ms", "< 1500 ms",
                         "production KDF included"))
        if shutil.which("script"):  # util-linux: run the command on a pseudo-terminal
            shell = " ".join(cmd + ["list"])
            wall = command_ms(["script", "-q", "-c", shell, "/dev/null"], runs, dict(env, COLUMNS="120"))
            rows.append((f"list {count:,} credentials (terminal)", f"{wall:.0f} ms", "< 1500 ms",
                         "production KDF included"))
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        subprocess.run(cmd + ["list", "--json"], stdout=subprocess.DEVNULL, env=env, check=True)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        rows.append((f"list {count:,} peak memory", f"{max(peak, before) / 1024:.0f} MiB", "-", "max RSS of children"))
        return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--skip-list", action="store_true")
    parser.add_argument("--skip-node", action="store_true")
    args = parser.parse_args()
    rows = bench_startup(args.runs) + bench_suites(args.runs * 5, not args.skip_node)
    if not args.skip_list:
        rows += bench_list(max(3, args.runs // 4))
    widths = [max(len(r[i]) for r in rows + [("what", "skillpass", "target / digitalbazaar", "ratio")])
              for i in range(4)]
    header = ("what", "skillpass", "target / digitalbazaar", "ratio")
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)))


if __name__ == "__main__":
    main()
