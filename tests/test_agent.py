"""`skillpass unlock` and `lock`: the key once per session, kept by a per-home agent process.

Real commands, real agent processes, each test in its own XDG_RUNTIME_DIR (tests/conftest.py);
every agent a test starts is locked, then killed if it is still there, when the test ends.
Waiting for an agent to end polls its socket with a generous bound: nothing here times anything.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import socket
import struct
from pathlib import Path
from typing import Any

import pytest

from agent_support import (Agents, FakeAgent, frame, agent_socket, agent_pid, alive,
                           one_error_line, validate, wait_until)
from conftest import PASSPHRASE, Cli, add_credentials
from skillpass.errors import ExitStatus


# -- the learner's session ---------------------------------------------------------------------


def test_after_unlock_commands_need_no_passphrase_and_after_lock_they_do(cli: Cli, agents: Agents) -> None:
    ids = add_credentials(cli.home, 2)
    assert cli("list").returncode == 6  # no passphrase, no terminal: as before
    unlocked = validate(agents.unlock(), "unlock")
    assert unlocked["timeout_seconds"] == 900 and unlocked["replaced"] is False
    listed = cli("list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert sorted(row["id"] for row in listed.json()) == sorted(ids)
    assert cli("show", ids[0][:8]).returncode == 0
    assert cli("passport", "--json").returncode == 0
    assert cli("did", "--json").returncode == 0
    status = validate(cli("unlock", "--status", "--json"), "unlock-status")
    runtime = str(Path(unlocked["socket"]).parent)
    assert status == {"home": str(cli.home), "unlocked": True, "until": unlocked["until"], "state": "unlocked",
                      "pid": None, "runtime_dir": runtime}
    locked = validate(cli("lock", "--json"), "lock")
    assert locked == {"home": str(cli.home), "locked": True, "how": "asked", "pid": None,
                      "runtime_dir": runtime}
    assert not Path(unlocked["socket"]).exists()
    assert wait_until(lambda: not alive(agents.pids[0]))
    after = cli("list")
    assert after.returncode == 6
    assert "no passphrase given" in one_error_line(after)
    again = cli("lock")
    assert again.returncode == 0 and f"no unlock agent was running for the wallet in {cli.home} " \
        f"(looked in {runtime})" in again.stderr
    assert validate(cli("unlock", "--status", "--json"), "unlock-status")["unlocked"] is False


def test_unlock_prints_until_when_for_a_person_and_nothing_on_stdout(cli: Cli, agents: Agents) -> None:
    from skillpass.agent.paths import socket_path

    result = cli.with_passphrase("unlock", "--timeout", "2h")
    agents.pids.append(agent_pid(socket_path(cli.home)))
    assert result.returncode == 0 and result.stdout == ""
    assert "stays unlocked until" in result.stderr and "skillpass lock" in result.stderr


def test_unlock_again_replaces_the_agent(cli: Cli, agents: Agents) -> None:
    first = agents.unlock("--timeout", "1h")
    second = validate(agents.unlock("--timeout", "30s"), "unlock")
    assert second["replaced"] is True and second["timeout_seconds"] == 30
    assert wait_until(lambda: not alive(agents.pids[0]))
    assert alive(agents.pids[1]) and first.json()["socket"] == second["socket"]
    assert cli("list").returncode == 0


def test_a_wrong_passphrase_starts_no_agent(cli: Cli, agents: Agents, tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not it\n")
    result = cli("unlock", "--passphrase-file", str(wrong))
    assert result.returncode == 5
    one_error_line(result)
    assert list(Path(os.environ["XDG_RUNTIME_DIR"]).glob("skillpass/*")) == []


@pytest.mark.parametrize("value", ["25h", "0s", "15", "1d", "m", "-5m", "15 m"])
def test_a_timeout_outside_1s_to_24h_or_not_a_duration_is_refused(cli: Cli, agents: Agents, value: str) -> None:
    result = cli.with_passphrase("unlock", "--timeout", value)
    assert result.returncode == 2
    assert "--timeout" in one_error_line(result) or "24h" in result.stderr


def test_durations() -> None:
    from skillpass.flow.agent import parse_timeout

    assert [parse_timeout(v) for v in ("30s", "15m", "2h", "1h30m", "24h", "1s")] == \
        [30, 900, 7200, 5400, 86400, 1]


def test_the_timeout_ends_the_agent_even_when_no_one_asks(cli: Cli, agents: Agents) -> None:
    socket_path = Path(validate(agents.unlock("--timeout", "1s"), "unlock")["socket"])
    assert wait_until(lambda: not socket_path.exists())
    assert wait_until(lambda: not alive(agents.pids[0]))
    assert cli("list").returncode == 6


def test_no_lock_file_is_left_once_the_agent_ends(cli: Cli, agents: Agents) -> None:
    """The flock file of a home exists only while an unlock, a lock or a stale check holds it."""
    directory = Path(validate(agents.unlock("--timeout", "1h"), "unlock")["socket"]).parent
    assert list(directory.glob("*.lock")) == []  # the agent runs; nobody holds the lock
    assert cli("lock").returncode == 0
    assert list(directory.iterdir()) == []
    assert cli("lock").returncode == 0  # with no agent running too
    socket_path = Path(validate(agents.unlock("--timeout", "1s"), "unlock")["socket"])
    assert wait_until(lambda: not socket_path.exists())
    assert list(directory.iterdir()) == []


def test_a_lock_on_the_file_its_holder_unlinked_is_taken_again_on_the_name(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The race of removing a lock file: B opened the file A holds, A unlinked it and let go, and
    B's flock on the unlinked file would not exclude C, who makes a new one. B locks the new one."""
    import time

    from skillpass.agent import lockfile

    path = tmp_path / "home.lock"
    held_by_a = lockfile.acquire(path, time.monotonic())
    flock, a_holds = lockfile._flock, [True]

    def a_lets_go_first(fd: int, at: Path, end: float) -> None:
        if a_holds:  # B has opened the file A holds: A lets go before B's flock
            lockfile.release(path, held_by_a)
            a_holds.clear()
        flock(fd, at, end)

    monkeypatch.setattr(lockfile, "_flock", a_lets_go_first)
    held_by_b = lockfile.acquire(path, time.monotonic())
    monkeypatch.setattr(lockfile, "_flock", flock)
    assert os.fstat(held_by_b).st_ino == os.lstat(path).st_ino
    with pytest.raises(lockfile.Busy):
        lockfile.acquire(path, time.monotonic())  # C waits for B
    lockfile.release(path, held_by_b)
    assert not path.exists()
    lockfile.release(path, lockfile.acquire(path, time.monotonic()))


# -- what only we can reach --------------------------------------------------------------------


def test_the_socket_is_0600_in_a_0700_directory(agents: Agents) -> None:
    socket_path = Path(agents.unlock().json()["socket"])
    assert socket_path.stat().st_mode & 0o777 == 0o600
    assert socket_path.parent.stat().st_mode & 0o777 == 0o700
    assert socket_path.parent.stat().st_uid == os.getuid()


def test_an_open_runtime_directory_is_refused(cli: Cli, agents: Agents, runtime_dir: Path) -> None:
    (runtime_dir / "skillpass").mkdir(mode=0o755)
    os.chmod(runtime_dir / "skillpass", 0o755)
    result = cli.with_passphrase("unlock")
    assert result.returncode == 13
    assert "not private" in one_error_line(result)


def _connect_as(uid: int, path: Path) -> str:
    """Fork a child that becomes `uid` and asks the agent for the key: what it got, in a word."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        os.close(read)
        word = "error"
        try:
            os.setgid(uid)
            os.setuid(uid)
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(10)
                sock.connect(str(path))
                body = json.dumps({"op": "key", "wallet_id": "x"}).encode()
                sock.sendall(struct.pack(">I", len(body)) + body)
                word = "answered" if sock.recv(4) else "closed"
        except PermissionError:
            word = "denied"
        except OSError:
            word = "closed"
        finally:
            os.write(write, word.encode())
            os._exit(0)
    os.close(write)
    word = os.read(read, 100).decode()
    os.close(read)
    os.waitpid(pid, 0)
    return word


def test_another_user_is_refused(agents: Agents) -> None:
    if os.getuid() != 0:
        pytest.skip("needs root, to act as another user")
    socket_path = Path(agents.unlock().json()["socket"])
    assert _connect_as(65534, socket_path) == "denied"  # the 0700 directory, the 0600 socket
    opened = (socket_path.parent.parent, socket_path.parent)  # the test's runtime dir, ours
    for directory in opened:  # the second wall alone: peer credentials
        os.chmod(directory, 0o755)
    os.chmod(socket_path, 0o666)
    try:
        assert _connect_as(65534, socket_path) == "closed"
    finally:
        os.chmod(socket_path, 0o600)
        for directory in opened:
            os.chmod(directory, 0o700)
    assert agents.cli("list").returncode == 0  # and the agent is still there for us


def _raw(path: Path, data: bytes, shutdown: bool = True) -> bytes:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(30)
        sock.connect(str(path))
        sock.sendall(data)
        if shutdown:
            sock.shutdown(socket.SHUT_WR)
        try:
            return sock.recv(65536)
        except (ConnectionResetError, TimeoutError):
            return b""


def test_garbage_and_oversized_requests_close_the_connection_not_the_agent(cli: Cli, agents: Agents) -> None:
    path = Path(agents.unlock().json()["socket"])
    bad = [b"", b"\x00", b"GET / HTTP/1.1\r\n\r\n", struct.pack(">I", 2**31) + b"x" * 100,
           frame(b"x" * 5000), frame(b"{not json"), frame(b"[1, 2]"), frame(b'"key"'),
           frame(b'{"op": "nothing"}'), frame(b'{"op": ["key"]}'), frame(b"\xff\xfe{}"),
           frame(b"[" * 3000 + b"]" * 3000), frame(b'{"op": "key"}')[:-3]]
    for data in bad:
        assert _raw(path, data) == b"", data[:40]
    assert _raw(path, frame(b'{"op": "key", "wallet_id": 7}')) == frame(b'{"ok":false}')
    assert cli("list").returncode == 0  # still answering


def test_neither_argv_nor_environ_of_the_agent_holds_the_key_or_the_passphrase(cli: Cli, agents: Agents) -> None:
    from skillpass.agent.client import fetch_key
    from skillpass.wallet.wallet import open_wallet

    result = cli("unlock", "--json", env={"SKILLPASS_PASSPHRASE": PASSPHRASE})
    assert result.returncode == 0, result.stderr
    pid = agent_pid(Path(result.json()["socket"]))
    agents.pids.append(pid)
    with open_wallet(cli.home, _passphrase_sources(), use_agent=False) as wallet:
        wallet_id = wallet.wallet_id
    key = fetch_key(cli.home, wallet_id)
    assert key is not None and len(key) == 32
    secrets = [PASSPHRASE.encode(), key, key.hex().encode(), base64.b64encode(key),
               base64.urlsafe_b64encode(key).rstrip(b"=")]
    for name in ("cmdline", "environ"):
        try:
            text = Path(f"/proc/{pid}/{name}").read_bytes()
        except PermissionError:  # not dumpable (test_the_agent_is_not_dumpable): only root reads it
            continue
        assert not any(secret in text for secret in secrets), name
        assert b"SKILLPASS" not in text
    limits = Path(f"/proc/{pid}/limits").read_text()
    assert any(line.startswith("Max core file size") and line.split()[4:6] == ["0", "0"]
               for line in limits.splitlines()), limits
    assert Path(f"/proc/{pid}/fd/0").resolve() == Path("/dev/null")
    assert os.getsid(pid) == pid  # a session of its own, no controlling terminal


def _passphrase_sources() -> Any:
    from conftest import sources

    return sources()


# -- what scripts and other commands still get -------------------------------------------------


def test_an_explicit_passphrase_is_still_used_while_the_agent_runs(cli: Cli, agents: Agents, tmp_path: Path) -> None:
    agents.unlock()
    assert cli.with_passphrase("list").returncode == 0
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not it\n")
    assert cli("list", "--passphrase-file", str(wrong)).returncode == 5
    assert cli("list", env={"SKILLPASS_PASSPHRASE": "not it"}).returncode == 5


def test_backup_and_passphrase_change_still_need_the_passphrase(cli: Cli, agents: Agents, tmp_path: Path) -> None:
    agents.unlock()
    backup = cli("backup", str(tmp_path / "b.json"))
    assert backup.returncode == 6  # the backup is protected by the wallet's passphrase: asked for
    one_error_line(backup)
    assert backup.stderr == ("skillpass: error: a backup is protected by a passphrase, and none was given (nor a "
                             "terminal to ask on); give the wallet's with --passphrase-file FILE or "
                             "SKILLPASS_PASSPHRASE, or the backup's own with --backup-passphrase-file FILE\n")
    assert not (tmp_path / "b.json").exists()
    other = tmp_path / "other.txt"
    other.write_text("another passphrase\n")
    assert cli("backup", str(tmp_path / "b.json"), "--backup-passphrase-file", str(other)).returncode == 0
    assert cli.with_passphrase("backup", str(tmp_path / "c.json")).returncode == 0
    change = cli("passphrase", "--new-passphrase-file", str(other))
    assert change.returncode == 6
    one_error_line(change)


def test_a_wrong_key_from_an_agent_is_refused_and_changes_nothing(cli: Cli, agents: Agents) -> None:
    from skillpass.agent.paths import socket_path

    ids = add_credentials(cli.home, 3)
    before = cli.with_passphrase("list", "--json").json()
    path = socket_path(cli.home)
    fake = FakeAgent(path)
    try:
        result = cli("list")
        assert result.returncode == 5
        assert "skillpass lock" in one_error_line(result)
        assert cli("did").returncode == 5
        assert fake.asked >= 1
    finally:
        fake.close()
        path.unlink()
    after = cli.with_passphrase("list", "--json")
    assert after.returncode == 0 and after.json() == before
    assert sorted(row["id"] for row in after.json()) == sorted(ids)


def test_a_stale_socket_is_ignored_and_removed(cli: Cli, agents: Agents) -> None:
    from skillpass.agent.paths import socket_path

    path = socket_path(cli.home)
    path.parent.mkdir(mode=0o700, exist_ok=True)
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(path))
    stale.close()  # the file stays, nobody listens: an agent that was killed
    assert path.exists()
    result = cli("list")
    assert result.returncode == 6  # the usual answer, as if no agent had ever run
    assert not path.exists() and list(path.parent.glob("*.lock")) == []
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(path))
    stale.close()
    assert cli.with_passphrase("list").returncode == 0
    unlocked = agents.unlock()  # and unlock starts over it
    assert unlocked.returncode == 0, unlocked.stderr
    assert cli("list").returncode == 0


def test_a_killed_agent_leaves_the_usual_unlock(cli: Cli, agents: Agents) -> None:
    agents.unlock()
    os.kill(agents.pids[0], signal.SIGKILL)
    assert wait_until(lambda: not alive(agents.pids[0]))
    assert cli("list").returncode == 6
    assert cli.with_passphrase("list").returncode == 0


def test_each_home_has_its_own_agent(cli: Cli, agents: Agents, tmp_path: Path) -> None:
    agents.unlock()
    other = tmp_path / "other-home"
    assert cli.with_passphrase("init", "--home", str(other)).returncode == 0
    assert cli("list", "--home", str(other)).returncode == 6
    assert cli("list").returncode == 0
    assert cli("lock", "--home", str(other), "--json").json()["locked"] is False
    assert cli("list").returncode == 0


def test_unlock_again_asks_for_the_passphrase_again_and_keeps_the_agent_when_not_given(
        cli: Cli, agents: Agents) -> None:
    agents.unlock()
    again = cli("unlock")
    assert again.returncode == 6  # the agent's key does not extend the agent
    one_error_line(again)
    assert alive(agents.pids[0]) and cli("list").returncode == 0


def test_in_french(cli: Cli, agents: Agents) -> None:
    unlocked = cli.with_passphrase("unlock", "--timeout", "1m", "--lang", "fr")
    agents.pids.append(agent_pid(agent_socket(cli)))
    assert unlocked.returncode == 0 and "reste déverrouillé jusqu'à" in unlocked.stderr
    assert "est déverrouillé jusqu'à" in cli("unlock", "--status", "--lang", "fr").stderr
    assert "l'agent de déverrouillage a oublié sa clé" in cli("lock", "--lang", "fr").stderr
    refused = cli.with_passphrase("unlock", "--timeout", "2j", "--lang", "fr")
    assert refused.returncode == 2 and "pas une durée : 2j" in refused.stderr


def test_a_socket_of_another_user_is_not_asked(cli: Cli, agents: Agents) -> None:
    if os.getuid() != 0:
        pytest.skip("needs root, to give the socket to another user")
    path = agent_socket(cli)
    fake = FakeAgent(path)
    try:
        os.chown(path, 65534, 65534)
        result = cli("list")
        assert result.returncode == 6 and fake.asked == 0
        assert path.exists()  # not ours to remove
    finally:
        fake.close()
        path.unlink()


def test_a_restore_into_an_unlocked_home_ends_the_agent_of_the_wallet_that_was_there(
        cli: Cli, agents: Agents, tmp_path: Path) -> None:
    """The wallet's own backup, restored where it was: the same wallet id, another data key. The
    agent that held the old key is ended, so later commands ask for the passphrase (exit 6 without
    one), rather than failing with 'the unlock agent's key does not open the wallet' (exit 5)."""
    backup = tmp_path / "b.json"
    assert cli.with_passphrase("backup", str(backup)).returncode == 0
    agents.unlock()
    assert cli("did").returncode == 0
    (cli.home / "wallet.db").unlink()

    assert cli.with_passphrase("restore", str(backup)).returncode == 0

    assert cli("did").returncode == ExitStatus.NO_PASSPHRASE
    assert "is locked" in cli("unlock", "--status").stderr
    assert cli.with_passphrase("did").returncode == 0
