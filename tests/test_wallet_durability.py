"""Concurrent writers wait for each other; a killed writer leaves the state before or after."""

from __future__ import annotations

import io
import os
import pty
import random
import select
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import PASSPHRASE, REPO, TESTS, sources
from skillpass.wallet.unlock import Passphrase
from skillpass.wallet.wallet import create_wallet, open_wallet

WRITER = """
import sys
sys.path[:0] = [{repo!r}, {tests!r}]
import cheap_kdf  # the vault's test seam
from conftest import add_credentials
from pathlib import Path
home, start, count = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
if count < 0:  # endless: report each committed add on stdout
    n = start
    while True:
        add_credentials(home, 1, start=n, marker="killed")
        print(n, flush=True)
        n += 1
add_credentials(home, count, start=start, marker="writer")
"""


def _writer(home: Path, start: int, count: int) -> subprocess.Popen:
    code = WRITER.format(repo=str(REPO), tests=str(TESTS))
    return subprocess.Popen([sys.executable, "-c", code, str(home), str(start), str(count)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    create_wallet(path, passphrase=Passphrase(PASSPHRASE.encode()), use_keyring=False).close()
    return path


def test_four_processes_adding_fifty_each_at_once_give_two_hundred(home: Path) -> None:
    writers = [_writer(home, start=1000 * i, count=50) for i in range(4)]
    for proc in writers:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()
        assert err == b""
    with open_wallet(home, sources()) as wallet:
        assert len(wallet.entries()) == 200
        assert len(set(wallet._store.ids("credential"))) == 200  # noqa: SLF001
        assert wallet.integrity_ok()


@pytest.mark.parametrize("seed", range(6))
def test_a_writer_killed_mid_add_leaves_the_state_before_or_after(home: Path, seed: int) -> None:
    proc = _writer(home, start=0, count=-1)
    assert proc.stdout is not None
    proc.stdout.readline()  # at least one add committed: the writer is in its loop
    time.sleep(random.Random(seed).uniform(0.0, 0.3))
    os.kill(proc.pid, signal.SIGKILL)
    out, _ = proc.communicate()
    committed = 1 + len(out.split())
    with open_wallet(home, sources()) as wallet:
        assert wallet.integrity_ok()
        entries = wallet.entries()
        credential_ids = wallet._store.ids("credential")  # noqa: SLF001
        # A credential and its entry are one transaction: never one without the other.
        assert sorted(cid for cid, _ in entries) == sorted(credential_ids)
        assert len(entries) in (committed, committed + 1)
        for cid, _ in entries:
            wallet.credential(cid)


def test_two_passphrase_changes_at_once_leave_one_that_opens_the_wallet(tmp_path: Path) -> None:
    """The second to write, having read the header before the first wrote it, is refused (exit 11)
    rather than silently putting back the old header with its own slot: each command that said
    'passphrase changed' set a passphrase that opens the wallet."""
    from skillpass.errors import BusyError

    home = tmp_path / "h"
    create_wallet(home, passphrase=Passphrase(b"old"), use_keyring=False).close()
    first, second = open_wallet(home, sources("old")), open_wallet(home, sources("old"))
    try:
        first.change_passphrase(Passphrase(b"first"))
        with pytest.raises(BusyError) as refused:
            second.change_passphrase(Passphrase(b"second"))
    finally:
        first.close()
        second.close()
    assert refused.value.exit_status == 11 and "nothing was changed" in refused.value.message
    open_wallet(home, sources("first")).close()


def test_a_backup_is_one_snapshot_while_another_command_writes(tmp_path: Path) -> None:
    """The records are read kind by kind; a credential another command adds between two kinds is
    in the backup whole (credential, entry, row) or not at all, never its entry without it."""
    from conftest import add_credentials

    home = tmp_path / "h"
    create_wallet(home, passphrase=Passphrase(PASSPHRASE.encode()), use_keyring=False).close()
    add_credentials(home, 2)
    with open_wallet(home, sources()) as wallet:
        exported = wallet.export_records()
        seen = [next(exported)]
        while seen[-1][0] == "credential":
            seen.append(next(exported))
        add_credentials(home, 1, start=10)  # another command, between the credentials and the rest
        seen += list(exported)
    kinds: dict[str, set[str]] = {}
    for kind, rid, _ in seen:
        kinds.setdefault(kind, set()).add(rid)
    assert kinds["entry"] == kinds["credential"] == kinds["row"]
    assert len(kinds["credential"]) == 2


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _held(home: Path) -> sqlite3.Connection:
    """Another command's write transaction on the wallet in `home`, held until rolled back."""
    other = sqlite3.connect(str(home / "wallet.db"), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    return other


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "skillpass: waiting for another skillpass command using this wallet to finish"),
    ("fr", "skillpass : en attente de la fin d'une autre commande skillpass qui utilise ce portefeuille"),
])
def test_a_write_kept_waiting_says_so_on_a_terminal_then_is_busy(
        home: Path, monkeypatch: pytest.MonkeyPatch, lang: str, said: str) -> None:
    from skillpass import i18n
    from skillpass.errors import BusyError
    from skillpass.wallet import store

    monkeypatch.setattr(store, "NOTICE_AFTER_MS", 20)
    monkeypatch.setattr(store, "BUSY_TIMEOUT_MS", 60)
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(i18n, "_chosen", lang)
    i18n.language.cache_clear()
    other = _held(home)
    try:
        with open_wallet(home, sources()) as wallet, pytest.raises(BusyError) as refused:
            wallet.put_json("note", "n1", {"a": 1})
    finally:
        other.rollback()
        other.close()
        i18n.language.cache_clear()
    assert refused.value.exit_status == 11
    assert terminal.getvalue().count("\n") == 1 and terminal.getvalue().startswith(said)
    with open_wallet(home, sources()) as wallet:
        assert wallet.get_json("note", "n1") is None


def test_a_write_kept_waiting_on_a_pipe_says_nothing(home: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    from skillpass.errors import BusyError
    from skillpass.wallet import store

    monkeypatch.setattr(store, "NOTICE_AFTER_MS", 20)
    monkeypatch.setattr(store, "BUSY_TIMEOUT_MS", 60)
    other = _held(home)
    try:
        with open_wallet(home, sources()) as wallet, pytest.raises(BusyError):
            wallet.put_json("note", "n1", {"a": 1})
    finally:
        other.rollback()
        other.close()
    assert capsys.readouterr().err == ""


def test_remove_on_a_terminal_says_it_waits_for_another_command_and_goes_on_when_it_ends(home: Path) -> None:
    """The real command in a pseudo-terminal: the notice comes while the other write holds the
    wallet (30 s at most), and once it ends the command goes on and succeeds."""
    from conftest import add_credentials
    from terminal import read_until_closed

    cid = add_credentials(home, 1)[0]
    env = {k: v for k, v in os.environ.items() if not k.startswith("SKILLPASS_")}
    env.update(PYTHONPATH=os.pathsep.join([str(REPO), str(TESTS)]), SKILLPASS_PASSPHRASE=PASSPHRASE,
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    other = _held(home)
    primary, secondary = pty.openpty()
    try:
        proc = subprocess.Popen([sys.executable, str(TESTS / "cheap_kdf.py"), "remove", cid, "--yes",
                                 "--home", str(home)], stdin=secondary, stdout=secondary,
                                stderr=secondary, env=env, cwd=REPO)
        os.close(secondary)
        seen = b""
        while b"waiting for another skillpass command" not in seen:
            ready, _, _ = select.select([primary], [], [], 60)
            assert ready, seen.decode(errors="replace")
            seen += os.read(primary, 65536)
    finally:
        other.rollback()
        other.close()
    seen += read_until_closed(primary)
    assert proc.wait(timeout=60) == 0, seen.decode(errors="replace")
    assert b"removed" in seen and b"error" not in seen
    with open_wallet(home, sources()) as wallet:
        assert wallet.entries() == []
