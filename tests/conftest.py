"""Shared fixtures: a cheap KDF for in-process wallets, the real CLI in a subprocess, vectors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
VECTORS = REPO.parent / "shared" / "vectors"
PASSPHRASE = "correct horse battery staple"

# The property tests draw the same examples every run, so that the test command's verdict is the
# code's, not the draw's (a fresh draw once found a dataset RDFC-1.0 itself canonicalizes two
# ways: tests/test_rdfc10.py). SKILLPASS_HYPOTHESIS_RANDOM=1 draws new ones, to look for more.
if not os.environ.get("SKILLPASS_HYPOTHESIS_RANDOM"):
    from hypothesis import settings as _hypothesis_settings

    _hypothesis_settings.register_profile("skillpass", derandomize=True)
    _hypothesis_settings.load_profile("skillpass")


def command_paths() -> list[str]:
    """Every command path of the CLI: 'list', 'contexts', 'contexts add', ..."""
    import typer

    from skillpass.cli import app

    paths = []
    for name, command in typer.main.get_command(app).commands.items():  # type: ignore[attr-defined]
        paths.append(name)
        paths += [f"{name} {sub}" for sub in getattr(command, "commands", {})]
    return sorted(paths)


@pytest.fixture(autouse=True)
def cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process wallets use a cheap Argon2id cost through the vault's test seam."""
    from skillpass.wallet import vault

    monkeypatch.setattr(vault, "DEFAULT_KDF", vault.KdfParams(memory_kib=256, iterations=1, lanes=1))
    monkeypatch.setattr(vault, "KDF_LIMITS", vault.KdfLimits(min_memory_kib=8, min_iterations=1))


@pytest.fixture(autouse=True, scope="session")
def no_keyring_in_process() -> Iterator[None]:
    """In-process code sees keyring's fail backend, never the developer's real keyring (the
    subprocesses of `cli` get it through PYTHON_KEYRING_BACKEND; tests/test_keyring_real.py sets
    its own Secret Service backend and puts this one back)."""
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True, scope="session")
def session_runtime_dir() -> Iterator[Path]:
    """XDG_RUNTIME_DIR, where `skillpass unlock` agents put their sockets, is a directory of the
    test run's own (module fixtures included), never the developer's: a real running agent
    cannot unlock a test's wallet, and no test agent outlives the run unnoticed."""
    yield from _runtime_dir(os.environ)


@pytest.fixture(autouse=True)
def runtime_dir(session_runtime_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The same, a new one for each test (short: a socket path has at most 107 bytes)."""
    path = Path(tempfile.mkdtemp(prefix="sp-run-"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(path))
    yield path
    _lock_agents(path)
    shutil.rmtree(path, ignore_errors=True)


def _lock_agents(runtime: Path) -> None:
    """Ask every agent whose socket is in `runtime` to end (a test that failed half-way)."""
    import socket

    from skillpass.agent import protocol

    for path in runtime.glob("skillpass/*.sock"):
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(5)
                sock.connect(str(path))
                protocol.send(sock, {"op": "lock"})
                protocol.receive(sock)
        except (OSError, protocol.ProtocolError):
            pass


def _runtime_dir(environ: Any) -> Iterator[Path]:
    before = environ.get("XDG_RUNTIME_DIR")
    path = Path(tempfile.mkdtemp(prefix="sp-run-"))
    environ["XDG_RUNTIME_DIR"] = str(path)
    try:
        yield path
    finally:
        if before is None:
            environ.pop("XDG_RUNTIME_DIR", None)
        else:
            environ["XDG_RUNTIME_DIR"] = before
        _lock_agents(path)
        shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def vectors() -> Path:
    """The published test vectors in ../shared/vectors; tests using it skip when it is absent."""
    if not VECTORS.is_dir():
        pytest.skip("../shared/vectors is not present")
    return VECTORS


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str
    stdout_bytes: bytes

    def json(self) -> Any:
        return json.loads(self.stdout)


@dataclass
class Cli:
    """Runs the real `skillpass` command in a subprocess against a throwaway home."""

    home: Path
    passphrase_file: Path
    env: dict[str, str]
    real_kdf: bool = False

    def __call__(self, *args: str, input: bytes | None = None, env: dict[str, str] | None = None,
                 timeout: float = 120) -> Result:
        if self.real_kdf:
            command = [sys.executable, "-m", "skillpass", *args]
        else:
            command = [sys.executable, str(TESTS / "cheap_kdf.py"), *args]
        full_env = dict(self.env, **(env or {}))
        proc = subprocess.run(command, input=input if input is not None else b"", capture_output=True,
                              env=full_env, timeout=timeout, cwd=REPO)
        return Result(proc.returncode, proc.stdout.decode("utf-8", "replace"),
                      proc.stderr.decode("utf-8", "replace"), proc.stdout)

    def with_passphrase(self, *args: str, **kwargs: Any) -> Result:
        return self(*args, "--passphrase-file", str(self.passphrase_file), **kwargs)


def _base_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SKILLPASS_", "PYTHON_KEYRING"))}
    env.update(SKILLPASS_HOME=str(home), PYTHONPATH=os.pathsep.join([str(REPO), str(TESTS)]),
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring", COLUMNS="200")
    return env


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    passphrase_file = tmp_path / "passphrase.txt"
    passphrase_file.write_text(PASSPHRASE + "\n")
    return Cli(tmp_path / "home", passphrase_file, _base_env(tmp_path / "home"))


@pytest.fixture
def wallet_home(cli: Cli) -> Path:
    """An initialised wallet (via the real command) with the cheap KDF."""
    result = cli.with_passphrase("init")
    assert result.returncode == 0, result.stderr
    return cli.home


@pytest.fixture
def agents(cli: Cli, wallet_home: Path, runtime_dir: Path) -> Iterator[Any]:
    """The unlock agents a test starts (tests/agent_support.py), stopped when it ends."""
    from agent_support import Agents

    cli.env["XDG_RUNTIME_DIR"] = str(runtime_dir)
    started = Agents(cli)
    yield started
    started.stop()


def sources(passphrase: str = PASSPHRASE) -> Any:
    from skillpass.wallet.unlock import SecretSources

    return SecretSources(environ={"SKILLPASS_PASSPHRASE": passphrase})


def make_entry(credential: dict[str, Any], verification: dict[str, Any] | None = None) -> dict[str, Any]:
    from skillpass.summary import summarize

    return {"summary": summarize(credential).to_dict(), "format": "ldp_vc",
            "added": "2026-11-29T00:00:00Z", "verification": verification}


def sample_credential(marker: str = "Data Analysis Fundamentals", n: int = 0) -> dict[str, Any]:
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": f"urn:uuid:00000000-0000-4000-8000-{n:012d}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
                   "type": ["Profile"], "name": "Collège Boréal"},
        "validFrom": "2026-01-15T00:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {"id": "https://example.edu/achievements/1", "type": ["Achievement"],
                            "name": marker, "description": f"Awarded for {marker}",
                            "criteria": {"narrative": "Completed all modules"}},
        },
    }


def add_credentials(home: Path, count: int, start: int = 0, marker: str = "Badge") -> list[str]:
    from skillpass.wallet.wallet import open_wallet

    ids = []
    with open_wallet(home, sources()) as wallet:
        for n in range(start, start + count):
            credential = sample_credential(f"{marker} {n}", n)
            ids.append(store_credential(wallet, credential))
    return ids


def store_credential(wallet: Any, credential: dict[str, Any]) -> str:
    """The library call that adds a credential with its summary (no verification)."""
    from skillpass.views import row_record

    entry = make_entry(credential)
    return wallet.add_credential(json.dumps(credential, indent=2).encode(), entry, row_record(entry)).id


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """A socket guard: any connection or name lookup fails the test."""
    import socket

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("network access attempted")

    for name in ("connect", "connect_ex", "sendto"):
        monkeypatch.setattr(socket.socket, name, refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
