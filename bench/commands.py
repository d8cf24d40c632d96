"""Group 2: whole commands, each a fresh process: median wall time of several runs after one
warm-up, and the median peak RSS (GNU time's %M, common.one_run).

- `python3 -c pass` for scale; `skillpass --version` and `--help` (start-up).
- `skillpass verify FILE` of one presentation (one eddsa-rdfc-2022 credential about the holder,
  holder proof eddsa-rdfc-2022 over a challenge and a domain; no wallet in the home) against
  `node tests/interop/peer.mjs verify-presentation FILE`, Node's whole verify of the same file,
  the two run in turn.
- `import` of 1,000 signed credentials (eddsa-rdfc-2022, one issuer) from a directory into an
  empty wallet, restored before each run (credentials per second).
- `list --json` and `passport --json` on wallets of 100, 1,000 and 10,000 (bench/passport.py).
- `verify` of 1,000 presentation files in one command (presentations per second), when
  `verify` takes several files.
- The unlock on its own: Argon2id in-process, and `did --json` (start-up + unlock).
The wallet rows run through the agent (`skillpass unlock`, then no passphrase) when
`skillpass unlock --help` exits 0, else with SKILLPASS_PASSPHRASE per command; the mode column
says which. Under the table, a profile of our side (cProfile of the whole command, and the
imports that cost the most).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from common import (PASSPHRASE, REPO, command_env, import_times, measure, measure_pair, profile_command,
                    skillpass_command)

CHALLENGE, DOMAIN = "8c1d5e-bench", "hiring.example"
MANY = 1_000
HEADER = ["command", "mode", "wall (median)", "peak RSS", "rate / ratio", "target"]


@dataclass
class Group:
    rows: list[list[str]] = field(default_factory=list)
    profiles: list[str] = field(default_factory=list)


def seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def signed_files(where: Path, count: int) -> tuple[Path, Path]:
    """`count` credentials (one directory) and `count` presentations of one each (another)."""
    from issuing import new_issuer, ob3, sign

    from skillpass.formats.ldp_vc.presentation import build_presentation, sign_presentation
    from skillpass.jsonld.loader import ContextStore
    from skillpass.wallet.keys import generate_holder_key

    store = ContextStore.bundled()
    holder = generate_holder_key("Ed25519", "2026-11-01T00:00:00Z")
    issuer = new_issuer("Ed25519")
    credentials, presentations = where / "credentials", where / "presentations"
    credentials.mkdir()
    presentations.mkdir()
    for n in range(count):
        credential = sign(ob3(f"Micro-credential {n}", issuer=issuer, subject=holder.did, n=n), issuer,
                          "eddsa-rdfc-2022", store=store)
        (credentials / f"credential-{n:05d}.json").write_text(json.dumps(credential, indent=2))
        vp = sign_presentation(build_presentation([credential], holder=holder.did), key=holder,
                               suite="eddsa-rdfc-2022", challenge=CHALLENGE, domain=DOMAIN, store=store)
        (presentations / f"presentation-{n:05d}.json").write_text(json.dumps(vp, indent=2))
    return credentials, presentations


def empty_wallet(home: Path) -> None:
    from skillpass.wallet.unlock import Passphrase
    from skillpass.wallet.wallet import create_wallet

    with create_wallet(home, passphrase=Passphrase(PASSPHRASE.encode()), use_keyring=False):
        pass


class Agent:
    """`skillpass unlock` for one home, when this skillpass has it; `lock` on close."""

    def __init__(self, home: Path) -> None:
        self.home, self.process = home, None
        self.cmd = skillpass_command()
        self.active = self._start()

    def _start(self) -> bool:
        has_it = subprocess.run(self.cmd + ["unlock", "--help"], capture_output=True, check=False).returncode == 0
        if not has_it:
            return False
        self.process = subprocess.Popen(self.cmd + ["unlock"], env=command_env(self.home), stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            self.process.wait(timeout=15)  # an agent that forks away returns; one that stays is kept
        except subprocess.TimeoutExpired:
            pass
        probe = subprocess.run(self.cmd + ["did", "--json"], env=command_env(self.home, passphrase=False),
                               capture_output=True, check=False)
        return probe.returncode == 0

    def env(self) -> dict[str, str]:
        """The environment a command of this home runs in: no passphrase once unlocked."""
        return command_env(self.home, passphrase=not self.active)

    @property
    def mode(self) -> str:
        return "agent (`skillpass unlock`)" if self.active else "passphrase per command"

    def close(self) -> None:
        if self.active or self.process is not None:
            subprocess.run(self.cmd + ["lock"], env=command_env(self.home), capture_output=True, check=False)
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def startup(group: Group, runs: int) -> None:
    cmd = skillpass_command()
    for label, args in [("`python3 -c pass` (scale)", [sys.executable, "-c", "pass"]),
                        ("`skillpass --version`", cmd + ["--version"]), ("`skillpass --help`", cmd + ["--help"])]:
        wall, peak = measure(args, None, runs)
        target = "" if "python3" in label else f"< 100 ms: {'met' if wall < 0.1 else 'over'}"
        group.rows.append([label, "", seconds(wall), f"{peak:.0f} MiB", "", target])
    group.profiles.append(f"- **`skillpass --help`**: {import_times(['--help'], None)}")


def verify_one(group: Group, runs: int, node: str | None, presentation: Path, home: Path) -> None:
    args = ["verify", str(presentation), "--challenge", CHALLENGE, "--domain", DOMAIN, "--home", str(home)]
    theirs = None
    if node:
        node_args = [node, "tests/interop/peer.mjs", "verify-presentation", "--challenge", CHALLENGE, "--domain",
                     DOMAIN, str(presentation)]
        (wall, peak), (theirs, their_peak) = measure_pair(skillpass_command() + args, node_args, runs, cwd=REPO)
        group.rows.append(["Node: `peer.mjs verify-presentation FILE` (digitalbazaar, whole)", "", seconds(theirs),
                           f"{their_peak:.0f} MiB", "", ""])
    else:
        wall, peak = measure(skillpass_command() + args, None, runs)
    share = "" if theirs is None else f"{wall / theirs:.2f}x Node"
    verdict = "" if theirs is None else ("met" if wall / theirs <= 0.3 else "met, over aim" if wall / theirs <= 0.5
                                         else "over")
    group.rows.append(["`skillpass verify FILE` (one presentation, one credential)", "", seconds(wall),
                       f"{peak:.0f} MiB", share, f"≤ 0.5x Node, aim 0.3x: {verdict}" if verdict else ""])
    group.profiles.append(f"- **`skillpass verify FILE`**: {import_times(args, None)}  \n"
                          f"{profile_command(args, None)}")


def import_many(group: Group, runs: int, credentials: Path, scratch: Path) -> None:
    template, home = scratch / "import-template", scratch / "import-home"
    empty_wallet(template)

    def restore() -> None:
        shutil.rmtree(home, ignore_errors=True)
        shutil.copytree(template, home)

    restore()
    agent = Agent(home)
    try:
        args = skillpass_command() + ["import", str(credentials)]
        wall, peak = measure(args, agent.env(), runs, before=restore)
        count = len(list(credentials.iterdir()))
        group.rows.append([f"`skillpass import DIR` ({count:,} credentials, empty wallet)", agent.mode,
                           seconds(wall), f"{peak:.0f} MiB", f"{count / wall:.0f} credentials/s", ""])
        restore()
        group.profiles.append(f"- **`skillpass import` of {count:,}** (the main process): "
                              f"{profile_command(['import', str(credentials)], agent.env())}")
    finally:
        agent.close()


def list_and_passport(group: Group, runs: int, homes: dict[int, Path]) -> None:
    walls: dict[str, list[float]] = {}
    for count, home in homes.items():
        agent = Agent(home)
        try:
            for label, args in [("list --json", ["list", "--json"]), ("passport --json", ["passport", "--json"])]:
                wall, peak = measure(skillpass_command() + args, agent.env(), runs)
                walls.setdefault(label, []).append(wall)
                target = growth_target(walls[label], wall, peak) if count == max(homes) else ""
                group.rows.append([f"`skillpass {label}`, {count:,} credentials", agent.mode, seconds(wall),
                                   f"{peak:.0f} MiB", "", target])
                if count == max(homes):
                    group.profiles.append(f"- **`skillpass {label}` of {count:,}**: "
                                          f"{profile_command(args, agent.env())}")
        finally:
            agent.close()


def growth_target(walls: list[float], wall: float, peak: float) -> str:
    grows = "" if len(walls) < 3 else f"; 10k/1k {walls[2] / walls[1]:.1f}x, 1k/100 {walls[1] / walls[0]:.1f}x"
    met = "met" if wall < 0.5 and peak < 64 else "over"
    return f"< 500 ms and < 64 MiB: {met}{grows} (linear: ≤ 10x)"


def verify_many(group: Group, runs: int, presentations: Path, home: Path) -> None:
    files = sorted(str(path) for path in presentations.iterdir())
    args = ["verify", *files, "--challenge", CHALLENGE, "--domain", DOMAIN, "--home", str(home)]
    probe = subprocess.run(skillpass_command() + args[:1] + files[:2] + args[-6:], capture_output=True, text=True,
                           check=False)
    label = f"`skillpass verify FILE…` ({len(files):,} presentations, one command)"
    if probe.returncode == 2:
        first = (probe.stderr.strip().splitlines() or [""])[0]
        group.rows.append([label, "", "n/a", "", "", f"not measured: {first}"])
        return
    wall, peak = measure(skillpass_command() + args, None, runs, ok=(0, 9, 10))
    group.rows.append([label, "", seconds(wall), f"{peak:.0f} MiB", f"{len(files) / wall:.0f} presentations/s", ""])
    group.profiles.append(f"- **`skillpass verify` of {len(files):,} files** (the main process): "
                          f"{profile_command(args, None, ok=(0, 9, 10))}")


def unlock_cost(group: Group, runs: int, home: Path) -> None:
    from passport import kdf_seconds

    from skillpass.wallet import vault

    kdf = vault.DEFAULT_KDF
    group.rows.append([f"Argon2id unlock, in-process ({describe_kdf(kdf)})", "", seconds(kdf_seconds(runs)),
                       "", "", "paid once per session with the agent"])
    wall, peak = measure(skillpass_command() + ["did", "--json"], command_env(home), runs)
    group.rows.append(["`skillpass did --json` (start-up + unlock)", "passphrase per command", seconds(wall),
                       f"{peak:.0f} MiB", "", ""])
    agent = Agent(home)
    try:
        if agent.active:
            wall, peak = measure(skillpass_command() + ["did", "--json"], agent.env(), runs)
            group.rows.append(["`skillpass did --json` (start-up + the key from the agent)", agent.mode,
                               seconds(wall), f"{peak:.0f} MiB", "", ""])
    finally:
        agent.close()


def describe_kdf(kdf: Any) -> str:
    names = [("memory_kib", "{} MiB", 1024), ("iterations", "t={}", 1), ("lanes", "p={}", 1)]
    parts = [form.format(getattr(kdf, name) // scale) for name, form, scale in names if hasattr(kdf, name)]
    return ", ".join(parts) or str(kdf)


def run(runs: int, node: str | None, scratch: Path, sizes: tuple[int, ...], many: int = MANY,
        startup_only: bool = False, note: Callable[[str], None] = lambda text: print(text, file=sys.stderr)) -> Group:
    """The rows and profiles of this group; with startup_only, python3, --version and --help."""
    import passport

    group = Group()
    startup(group, runs * 2)
    if startup_only:
        return group
    started = time.perf_counter()
    credentials, presentations = signed_files(scratch, many)
    homes = {}
    for count in sizes:
        homes[count] = scratch / f"wallet-{count}"
        passport.build_wallet(homes[count], count)
    note(f"built {many:,} credentials and presentations and wallets of {sizes} in "
         f"{time.perf_counter() - started:.0f} s")
    verifier = scratch / "verifier-home"
    verify_one(group, runs * 2, node, next(iter(sorted(presentations.iterdir()))), verifier)
    import_many(group, max(2, runs // 2), credentials, scratch)
    list_and_passport(group, runs, homes)
    verify_many(group, max(2, runs // 2), presentations, verifier)
    unlock_cost(group, runs, homes[min(sizes)])
    try:
        phases = passport.in_process(homes[max(sizes)], profile=False)
    except (AttributeError, ImportError) as error:  # a phase's function renamed or moved
        group.profiles.append(f"- `passport --json` by phase: not measured ({error})")
        return group
    group.profiles.append(f"- **`passport --json` of {max(sizes):,} in-process, by phase** (one after another; "
                          "the command streams them): " + ", ".join(f"{label} {seconds(value)}"
                                                                           for label, value in phases))
    return group
