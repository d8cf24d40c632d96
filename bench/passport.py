"""The skills passport at scale: `skillpass passport` and `list` on wallets of 100, 1,000 and
10,000 credentials, with the passphrase KDF and with the wallet unlocked, beside the cost of
unlocking it.

Usage: python bench/passport.py [--runs N] [--update] [--profile]

1. Three wallets, built once each in a temporary directory with the production Argon2id cost
   (vault.DEFAULT_KDF) and reused by every run (bench/wallets.py). Each credential goes in through the library call
   `import` uses (Wallet.add_credential with its summary and views.row_record row, as
   tests/conftest.py store_credential). The credentials are Open Badges 3.0, unsigned (the
   passport reads rows only, never the proof): 2-4 alignments each from a pool of about 300
   skills (ESCO, O*NET, NOC 2021, Skills for Success, six issuers' own frameworks), drawn with a
   Zipf-like skew so that skills repeat across credentials as they do in a real wallet; one in
   twelve has tags only, about one in seven has expired, a few expire within 90 days; 20 issuers.
2. The real commands in a subprocess (stdout to /dev/null, or to a pseudo-terminal for "on a
   terminal"; keyring disabled), two ways: with the KDF (passphrase from SKILLPASS_PASSPHRASE:
   every command runs Argon2id) and unlocked (`unlocked_command`: the data key handed over, no
   KDF, as after `skillpass unlock`). Median wall time of N runs after one warm-up, and the peak
   RSS of each process, median, from GNU time's %M (/usr/bin/time -f %M: ru_maxrss of that
   process alone; wall time is taken around it, time's own fork adds about a millisecond).
   `did --json` opens the same wallet and prints two DIDs: start-up plus unlock; `--version` is
   start-up alone; the KDF is also timed in-process.
3. One `passport --json` of 10,000 in-process, step by step (the rows are a stream: each step
   here is run on its own, over what the previous one made); --profile also prints cProfile's
   top functions of the whole.
Not a test: nothing here asserts. With --update, the tables replace the "passport" section of
BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import redirect_stdout
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests"), str(REPO / "bench")]
SIZES = (100, 1_000, 10_000)
TARGET_WALL, AIM_WALL, TARGET_MIB = 1.5, 0.5, 64  # with the KDF; unlocked; unlocked
from wallets import PASSPHRASE, build_wallet  # noqa: E402 - bench/ on the path first

TIME = "/usr/bin/time" if Path("/usr/bin/time").exists() else None  # GNU time, for peak RSS

def skillpass_command() -> list[str]:
    installed = shutil.which("skillpass", path=str(Path(sys.executable).parent))
    return [installed] if installed else [sys.executable, "-m", "skillpass"]


def command_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SKILLPASS_", "PYTHON_KEYRING"))}
    return dict(env, SKILLPASS_HOME=str(home), SKILLPASS_PASSPHRASE=PASSPHRASE,
                PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring", COLUMNS="160")


# The unlocked wallet, until `skillpass unlock` is merged: the real CLI entry point, in a process
# of its own, with the wallet opened by the data key (wallet.open_wallet_with_key, as the agent
# will) instead of the passphrase's Argon2id. To measure the agent instead, make
# unlocked_command return (skillpass_command(), command_env(home) without SKILLPASS_PASSPHRASE)
# after running `skillpass unlock` once for that home.
UNLOCKED_DRIVER = """
import os, sys
from pathlib import Path
from skillpass.flow import session
from skillpass.wallet.wallet import open_wallet_with_key
key = bytes.fromhex(os.environ.pop("SKILLPASS_BENCH_DATA_KEY"))
session.Session.open = lambda self: open_wallet_with_key(self.home, key)
from skillpass.__main__ import main
sys.exit(main())
"""


def data_key(home: Path) -> bytes:
    from skillpass.wallet.unlock import SecretSources
    from skillpass.wallet.wallet import open_wallet

    with open_wallet(home, SecretSources(environ={"SKILLPASS_PASSPHRASE": PASSPHRASE})) as wallet:
        return bytes(wallet._data_key)  # noqa: SLF001 - the benchmark's stand-in for the agent


def unlocked_command(home: Path) -> tuple[list[str], dict[str, str]]:
    """The command prefix and environment of a command run with the wallet unlocked (no KDF)."""
    env = {k: v for k, v in command_env(home).items() if k != "SKILLPASS_PASSPHRASE"}
    return [sys.executable, "-c", UNLOCKED_DRIVER], dict(env, SKILLPASS_BENCH_DATA_KEY=data_key(home).hex())


def one_run(args: list[str], env: dict[str, str], terminal: bool = False) -> tuple[float, float | None]:
    """(seconds, peak MiB) of one process: wall clock around it; its maxrss from GNU time, which
    forks it from its own small process (a child forked from this big one would report this
    one's high-water mark: on Linux exec keeps it in ru_maxrss). `terminal`: its stdout is a
    pseudo-terminal, read to the end."""
    with tempfile.NamedTemporaryFile("r") as report:
        timer = [TIME, "-f", "%M", "-o", report.name] if TIME else []
        start = time.perf_counter()
        returncode, stderr = _on_terminal(timer + args, env) if terminal else _piped(timer + args, env)
        seconds = time.perf_counter() - start
        if returncode != 0:
            raise SystemExit(f"{' '.join(args[-3:])} failed ({returncode}): {stderr.decode()}")
        return seconds, int(report.read().split()[-1]) / 1024 if TIME else None  # KiB


def _piped(args: list[str], env: dict[str, str]) -> tuple[int, bytes]:
    proc = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    return proc.returncode, proc.stderr


def _on_terminal(args: list[str], env: dict[str, str]) -> tuple[int, bytes]:
    import pty

    master, slave = pty.openpty()
    proc = subprocess.Popen(args, stdout=slave, stderr=subprocess.PIPE, env=env)
    os.close(slave)
    while True:
        try:
            if not os.read(master, 1 << 16):
                break
        except OSError:  # EIO: the process closed its end
            break
    os.close(master)
    stderr = proc.stderr.read() if proc.stderr else b""
    return proc.wait(), stderr


def measure(args: list[str], env: dict[str, str], runs: int, terminal: bool = False) -> tuple[float, float]:
    one_run(args, env, terminal)  # warm-up: page cache, .pyc
    samples = [one_run(args, env, terminal) for _ in range(runs)]
    return statistics.median(s for s, _ in samples), statistics.median(m or 0.0 for _, m in samples)


def kdf_seconds(runs: int) -> float:
    from skillpass.wallet import vault

    salt = os.urandom(vault.SALT_SIZE)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        vault.derive_passphrase_kek(PASSPHRASE.encode(), salt, vault.DEFAULT_KDF)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def passport_shape(home: Path) -> str:
    out = subprocess.run(skillpass_command() + ["passport", "--json"], capture_output=True, env=command_env(home),
                         check=True)
    counts = json.loads(out.stdout)["counts"]
    return (f"{counts['credentials']:,} credentials, {counts['skills']} skills, {counts['issuers']} issuers, "
            f"{counts['expired']:,} expired, {counts['expiringSoon']} expiring soon; {len(out.stdout) / 1e6:.1f} MB")


def in_process(home: Path, profile: bool) -> list[tuple[str, float]]:
    """The steps of one `passport --json` of the unlocked wallet, each on its own (median of 3)."""
    import cProfile
    import pstats

    from skillpass import render
    from skillpass.encoding.json_text import object_chunks
    from skillpass.flow.credentials import iter_current_rows
    from skillpass.passport.build import build
    from skillpass.wallet.wallet import open_wallet_with_key

    key, now = data_key(home), datetime.now(timezone.utc)
    state: dict[str, Any] = {}

    def opened() -> None:
        state["wallet"] = open_wallet_with_key(home, key)

    def rows() -> None:
        state["rows"] = list(iter_current_rows(state["wallet"]))

    def built() -> None:
        state["passport"] = build(iter(state["rows"]), now=now, holder_name=None, holder_dids=())

    def members() -> None:
        state["members"] = list(state["passport"].json_parts(shared=True))

    def text() -> None:
        state["text"] = list(object_chunks(iter(state["members"])))

    def whole() -> None:
        with open_wallet_with_key(home, key) as wallet, redirect_stdout(io.StringIO()):
            render.emit_json_members(build(iter_current_rows(wallet), now=now, holder_name=None,
                                           holder_dids=()).json_parts(shared=True))

    whole()  # warm: imports
    steps = [("open the wallet with its data key", opened), ("read rows: decrypt + json.loads, 500 at a time", rows),
             ("build: held_of per row, roll_up (union-find)", built),
             ("the document's members (Passport.json_parts)", members),
             ("JSON text (indent=2): json_text.object_chunks", text),
             ("whole, in-process, streamed (no KDF, no start-up)", whole)]
    timings = []
    for label, step in steps:
        samples = []
        for _ in range(3):
            start = time.perf_counter()
            step()
            samples.append(time.perf_counter() - start)
        timings.append((label, statistics.median(samples)))
    state["wallet"].close()
    if profile:
        profiler = cProfile.Profile()
        profiler.runcall(whole)
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(40)
    return timings


def ratio(a: float, b: float) -> str:
    return f"{a / b:.1f}x" if b > 0 else "-"


COMMANDS = [("passport --json", ["passport", "--json"], False), ("passport (piped)", ["passport"], False),
            ("list --json", ["list", "--json"], False), ("list (piped)", ["list"], False),
            ("list (on a terminal)", ["list"], True), ("did --json", ["did", "--json"], False)]
SHOWN = ("passport --json", "passport (piped)", "list --json", "list (piped)", "list (on a terminal)")


def tables(runs: int, profile: bool) -> str:
    cmd = skillpass_command()
    wall: dict[str, list[float]] = {}
    peak: dict[str, list[float]] = {}
    shapes = []
    loads = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory() as scratch:
        homes = {}
        for count in SIZES:
            homes[count] = Path(scratch) / f"home-{count}"
            built = build_wallet(homes[count], count)
            print(f"built {count:,} in {built:.1f} s", file=sys.stderr)
        for count in SIZES:
            unlocked, unlocked_env = unlocked_command(homes[count])
            for label, args, terminal in COMMANDS:
                for way, prefix, env in (("kdf", cmd, command_env(homes[count])), ("unlocked", unlocked, unlocked_env)):
                    seconds, mib = measure(prefix + args, env, runs, terminal)
                    wall.setdefault(f"{label} {way}", []).append(seconds)
                    peak.setdefault(f"{label} {way}", []).append(mib)
            seconds, mib = measure(cmd + ["--version"], command_env(homes[count]), runs)
            wall.setdefault("--version", []).append(seconds)
            peak.setdefault("--version", []).append(mib)
            shapes.append(f"{count:,}: {passport_shape(homes[count])}")
        kdf = kdf_seconds(runs)
        phases = in_process(homes[SIZES[-1]], profile)
    loads.append(os.getloadavg()[0])
    machine = (f"{os.cpu_count()} cores; load average (1 min) {loads[0]:.1f} at the start of the run, "
               f"{loads[1]:.1f} at its end: other work on the machine lengthens the wall times, not the peak RSS")
    return _report(wall, peak, shapes, kdf, phases) + f"\n\nThe machine: {machine}."


def _report(wall: dict[str, list[float]], peak: dict[str, list[float]], shapes: list[str], kdf: float,
            phases: list[tuple[str, float]]) -> str:
    head = ["| command | 100 | 1,000 | 10,000 | 10k/1k | 1k/100 | target (10,000) |", "|---|---|---|---|---|---|---|"]
    lines = head[:]
    for label in SHOWN:
        for way, name in (("unlocked", "unlocked"), ("kdf", "with the KDF")):
            w = wall[f"{label} {way}"]
            target = (f"< {AIM_WALL} s: {'met' if w[2] < AIM_WALL else 'over'}; ratios ≤ 10x" if way == "unlocked"
                      else f"< {TARGET_WALL} s: {'met' if w[2] < TARGET_WALL else 'over'}")
            lines.append(f"| `{label}` wall, {name} | {w[0]:.2f} s | {w[1]:.2f} s | {w[2]:.2f} s | "
                         f"{ratio(w[2], w[1])} | {ratio(w[1], w[0])} | {target} |")
    for way, name in (("unlocked", "start-up + open with the key"), ("kdf", "start-up + unlock with the KDF")):
        w = wall[f"did --json {way}"]
        lines.append(f"| `did --json` wall ({name}) | {w[0]:.2f} s | {w[1]:.2f} s | {w[2]:.2f} s | | | |")
    w = wall["--version"]
    lines.append(f"| `--version` wall (start-up) | {w[0]:.2f} s | {w[1]:.2f} s | {w[2]:.2f} s | | | |")
    lines.append(f"| Argon2id alone, in-process (64 MiB, t=3, p=4): the unlock | {kdf:.2f} s | | | | | |")
    lines += ["", "Peak RSS (Argon2id's 64 MiB is in every command run with the KDF):", ""] + head
    for label in (*SHOWN, "did --json"):
        for way, name in (("unlocked", "unlocked"), ("kdf", "with the KDF")):
            m = peak[f"{label} {way}"]
            target = f"< {TARGET_MIB} MiB: {'met' if m[2] < TARGET_MIB else 'over'}" \
                if way == "unlocked" and label in SHOWN else ""
            lines.append(f"| `{label}`, {name} | {m[0]:.0f} MiB | {m[1]:.0f} MiB | {m[2]:.0f} MiB | "
                         f"{ratio(m[2], m[1])} | {ratio(m[1], m[0])} | {target} |")
    m = peak["--version"]
    lines.append(f"| `--version` | {m[0]:.0f} MiB | {m[1]:.0f} MiB | {m[2]:.0f} MiB | | | |")
    lines += ["", "The wallets (`passport --json` counts; size of its output):", ""]
    lines += [f"- {shape}" for shape in shapes]
    lines += ["", "One `passport --json` of 10,000 in-process, unlocked, step by step (each step on its own, "
              "median of 3; the command streams them: rows become credentials as they are read, and each "
              "member of the document is written before the next is made):", "", "| step | time |", "|---|---|"]
    lines += [f"| {label} | {seconds * 1000:.0f} ms |" for label, seconds in phases]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--update", action="store_true", help="rewrite the section of BENCHMARKS.md")
    parser.add_argument("--profile", action="store_true", help="also print cProfile's top functions (10,000)")
    args = parser.parse_args()
    text = tables(max(1, args.runs), args.profile)
    print(text)
    if args.update:
        from sections import replace_section

        replace_section("passport", text, "Skills passport at scale", "`python bench/passport.py --update`; "
                        "what is built and timed is in the script's docstring.")


if __name__ == "__main__":
    main()
