"""What the bench scripts share: timing (alone, paired, alternated with the Node peer), whole
commands with their peak memory, cProfile summaries, the machine's description, Markdown tables.
Not a test: nothing here asserts."""

from __future__ import annotations

import cProfile
import json
import os
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
INTEROP = REPO / "tests" / "interop"
for _path in (str(REPO / "tests"), str(REPO)):
    if _path not in sys.path:
        sys.path.insert(0, _path)
PASSPHRASE = "benchmark passphrase"
TIME = "/usr/bin/time" if Path("/usr/bin/time").exists() else None  # GNU time, for peak RSS


def median_ms(fn: Callable[[], Any], runs: int, warmup: int = 3) -> float:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def paired_medians(ours: Callable[[], Any], theirs: Callable[[], Any], runs: int,
                   warmup: int = 5) -> tuple[float, float]:
    """Median ms of each, timed alternately so that both sides see the same machine."""
    for _ in range(warmup):
        ours(), theirs()
    samples: tuple[list[float], list[float]] = ([], [])
    for n in range(runs):
        order = ((0, ours), (1, theirs)) if n % 2 == 0 else ((1, theirs), (0, ours))
        for side, fn in order:
            start = time.perf_counter()
            fn()
            samples[side].append((time.perf_counter() - start) * 1000)
    return statistics.median(samples[0]), statistics.median(samples[1])


# ------------------------------------------------------------------------- the Node peer

def ensure_node_modules() -> str | None:
    """node, with tests/interop/node_modules installed (npm ci the first time); None without node."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None:
        return None
    if not (INTEROP / "node_modules" / "@digitalbazaar").is_dir():
        if npm is None:
            return None
        print("installing the Node peer: npm ci in tests/interop", file=sys.stderr)
        done = subprocess.run([npm, "ci", "--prefix", str(INTEROP), "--no-audit", "--no-fund"],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(f"npm ci failed: {done.stderr[-1000:]}", file=sys.stderr)
            return None
    return node


class NodeBench:
    """`node peer.mjs serve`, kept running: bench-load an operation from a file, then time it in
    blocks of runs between blocks of ours."""

    def __init__(self, node: str, scratch: Path) -> None:
        self.scratch = scratch
        self.process = subprocess.Popen([node, str(INTEROP / "peer.mjs"), "serve"], cwd=INTEROP, text=True,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

    def _ask(self, args: list[str]) -> Any:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps({"args": args}) + "\n")
        self.process.stdin.flush()
        reply = json.loads(self.process.stdout.readline())
        if reply["code"] != 0:
            raise RuntimeError(f"peer.mjs {args[0]}: {reply['output']}")
        return reply["output"]

    def load(self, job: dict[str, Any]) -> str:
        """Writes the job's inputs to a file the peer reads; returns its id."""
        path = self.scratch / f"node-{job['id']}.json"
        path.write_text(json.dumps(job))
        self._ask(["bench-load", "--file", str(path)])
        return str(job["id"])

    def samples(self, job_id: str, runs: int) -> list[float]:
        return [float(ms) for ms in self._ask(["bench-time", "--id", job_id, "--runs", str(runs)])["samples"]]

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait(timeout=30)


def alternated(ours: Callable[[], Any], node: NodeBench, job_id: str, runs: int,
               blocks: int = 10, warmup: int = 3) -> tuple[float, float]:
    """Median ms of ours and of the peer's, in `blocks` alternating blocks of runs/blocks each."""
    for _ in range(warmup):
        ours()
    node.samples(job_id, warmup)
    per_block = max(1, runs // blocks)
    mine: list[float] = []
    theirs: list[float] = []
    for block in range(blocks):
        if block % 2:
            theirs += node.samples(job_id, per_block)
        for _ in range(per_block):
            start = time.perf_counter()
            ours()
            mine.append((time.perf_counter() - start) * 1000)
        if not block % 2:
            theirs += node.samples(job_id, per_block)
    return statistics.median(mine), statistics.median(theirs)


# ------------------------------------------------------------------------ whole commands

def skillpass_command() -> list[str]:
    installed = shutil.which("skillpass", path=str(Path(sys.executable).parent))
    return [installed] if installed else [sys.executable, "-m", "skillpass"]


def clean_env() -> dict[str, str]:
    """This environment without PYTHONDONTWRITEBYTECODE: an installed skillpass starts from its
    .pyc files, and the warm-up run writes them; without them every start compiles every module."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def command_env(home: Path, passphrase: bool = True) -> dict[str, str]:
    env = {k: v for k, v in clean_env().items() if not k.startswith(("SKILLPASS_", "PYTHON_KEYRING"))}
    env.update(SKILLPASS_HOME=str(home), PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    if passphrase:
        env["SKILLPASS_PASSPHRASE"] = PASSPHRASE
    return env


def one_run(args: list[str], env: dict[str, str] | None = None, ok: Sequence[int] = (0,),
            cwd: Path | None = None) -> tuple[float, float | None]:
    """(seconds, peak MiB) of one process: wall clock around it; its maxrss from GNU time, which
    forks it from its own small process (a child forked from this big one would report this
    one's high-water mark: on Linux exec keeps it in ru_maxrss)."""
    with tempfile.NamedTemporaryFile("r") as report:
        timer = [TIME, "-f", "%M", "-o", report.name] if TIME else []
        start = time.perf_counter()
        proc = subprocess.run(timer + args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env or clean_env(),
                              cwd=cwd)
        seconds = time.perf_counter() - start
        if proc.returncode not in ok:
            raise RuntimeError(f"{' '.join(args)} exited {proc.returncode}: {proc.stderr.decode()[-800:]}")
        return seconds, int(report.read().split()[-1]) / 1024 if TIME else None  # KiB


def measure(args: list[str], env: dict[str, str] | None, runs: int, ok: Sequence[int] = (0,),
            cwd: Path | None = None, before: Callable[[], None] | None = None) -> tuple[float, float]:
    """Median seconds and median peak MiB of `runs` runs after one warm-up (page cache, .pyc);
    `before` runs ahead of each, outside the timing."""
    samples = []
    for _ in range(runs + 1):
        if before:
            before()
        samples.append(one_run(args, env, ok, cwd))
    samples = samples[1:]
    return statistics.median(s for s, _ in samples), statistics.median(m or 0.0 for _, m in samples)


def measure_pair(ours: list[str], theirs: list[str], runs: int, cwd: Path | None = None
                 ) -> tuple[tuple[float, float], tuple[float, float]]:
    """measure() of two commands, run by run in turn (a noisy minute falls on both)."""
    samples: tuple[list[Any], list[Any]] = ([], [])
    for n in range(runs + 1):
        for side, args in ((0, ours), (1, theirs)) if n % 2 else ((1, theirs), (0, ours)):
            samples[side].append(one_run(args, None, cwd=cwd))
    return tuple((statistics.median(s for s, _ in runs_[1:]),  # type: ignore[return-value]
                  statistics.median(m or 0.0 for _, m in runs_[1:])) for runs_ in samples)


# ----------------------------------------------------------------------------- profiles

def _where(key: tuple[str, int, str]) -> str:
    filename, line, name = key
    path = filename.replace("\\", "/")
    for marker in ("/skillpass/", "site-packages/", "/lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
            path = ("skillpass/" + path) if marker == "/skillpass/" else path
            break
    return f"{name} ({Path(path).name}:{line})" if filename != "~" else name


def profile_summary(stats: pstats.Stats, top: int = 5) -> str:
    """Two Markdown lines: the functions with the most own time, and our functions (skillpass/)
    with the most cumulative time, in % of the whole."""
    entries: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = sum(tt for _, _, tt, _, _ in entries.values()) or 1.0
    own = sorted(entries.items(), key=lambda item: item[1][2], reverse=True)[:top]
    # our functions below the chain every call goes through (those at nearly 100%)
    ours = sorted(((key, value) for key, value in entries.items()
                   if "/skillpass/" in key[0] and not key[0].endswith("__main__.py") and value[3] / total < 0.9),
                  key=lambda item: item[1][3], reverse=True)[:top]
    show = lambda rows, field: ", ".join(f"`{_where(key)}` {value[field] / total:.0%}" for key, value in rows)
    return f"own time: {show(own, 2)}  \ncumulative, skillpass: {show(ours, 3)}"


def profile_calls(fn: Callable[[], Any], runs: int, top: int = 5) -> str:
    profiler = cProfile.Profile()
    for _ in range(runs):
        profiler.runcall(fn)
    return profile_summary(pstats.Stats(profiler), top)


def profile_command(args: list[str], env: dict[str, str] | None, top: int = 5, ok: Sequence[int] = (0,)) -> str:
    """cProfile of a whole `skillpass ARGS` (imports included), in a fresh process."""
    with tempfile.NamedTemporaryFile(suffix=".prof") as out:
        done = subprocess.run([sys.executable, "-m", "cProfile", "-o", out.name, "-m", "skillpass", *args],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env or clean_env(), check=False)
        if done.returncode not in ok:
            return f"(profile failed: exit {done.returncode})"
        return profile_summary(pstats.Stats(out.name), top)


def import_times(args: list[str], env: dict[str, str] | None, top: int = 6) -> str:
    """The packages (not skillpass's own) whose import costs `skillpass ARGS` the most, from
    `python -X importtime`: cumulative, so a package includes what it imports."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "skillpass", *args], capture_output=True,
                          text=True, env=env or clean_env(), check=False)
    costs: dict[str, int] = {}
    for line in done.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if not line.startswith("import time:") or len(parts) != 3 or not parts[1].strip().isdigit():
            continue
        root = parts[2].strip().split(".")[0]
        if root != "skillpass":
            costs[root] = max(costs.get(root, 0), int(parts[1]))
    slowest = sorted(costs.items(), key=lambda item: item[1], reverse=True)[:top]
    return "imports (cumulative): " + ", ".join(f"`{name}` {us / 1000:.0f} ms" for name, us in slowest)


# ------------------------------------------------------------------------------ context

def _first(path: str, prefix: str, separator: str = ":") -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(prefix) and separator in line:
                return line.split(separator, 1)[1].strip().strip('"')
    except OSError:
        pass
    return "unknown"


def _tool_version(args: list[str]) -> str:
    try:
        return subprocess.run(args, capture_output=True, text=True, check=False).stdout.strip() or "absent"
    except OSError:
        return "absent"


def node_package(name: str) -> str:
    try:
        return str(json.loads((INTEROP / "node_modules" / name / "package.json").read_text())["version"])
    except (OSError, KeyError, ValueError):
        return "absent"


def machine() -> list[str]:
    """Markdown bullets: the machine, the OS, the runtimes and the packages measured."""
    from importlib.metadata import PackageNotFoundError, version

    def py(name: str) -> str:
        try:
            return f"{name} {version(name)}"
        except PackageNotFoundError:
            return f"{name} absent"

    ram = _first("/proc/meminfo", "MemTotal")
    ram_gib = f"{int(ram.split()[0]) / 1048576:.1f} GiB" if ram[:1].isdigit() else ram
    node_packages = ["@digitalbazaar/vc", "@digitalbazaar/data-integrity", "@digitalbazaar/ecdsa-sd-2023-cryptosuite",
                     "jsonld", "rdf-canonize", "@sd-jwt/sd-jwt-vc", "@digitalcredentials/vpqr"]
    return [f"- CPU: {_first('/proc/cpuinfo', 'model name')}, {os.cpu_count()} cores; RAM {ram_gib}",
            f"- OS: {_first('/etc/os-release', 'PRETTY_NAME', '=')}, {platform.system()} {platform.release()} "
            f"{platform.machine()}",
            f"- Python {platform.python_version()} ({sys.executable}); Node {_tool_version(['node', '--version'])}",
            "- Python packages: " + ", ".join(py(name) for name in (
                "skillpass", "cryptography", "PyLD", "typer", "rich", "sd-jwt", "jwcrypto", "cbor2", "qrcode")),
            "- Node packages: " + ", ".join(f"{name} {node_package(name)}" for name in node_packages)]


def markdown(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


def plain(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """The same table for a terminal: columns padded, no Markdown."""
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    return "\n".join("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip()
                     for row in [header, ["-" * w for w in widths], *rows])


def ms(value: float) -> str:
    return f"{value:.2f} ms" if value < 10 else f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"


def ratio(ours: float, theirs: float) -> str:
    return f"{ours / theirs:.2f}x" if theirs > 0 else "-"
