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
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conftest import PASSPHRASE, Cli, Result, add_credentials

SCHEMAS = Path(__file__).resolve().parents[1] / "skillpass" / "schemas"
POLL_LIMIT = 60.0  # seconds: a bound on waiting for what must happen, not a measurement


def validate(result: Result, name: str) -> dict[str, Any]:
    document = result.json()
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text())
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(document)
    return document


def agent_pid(path: Path) -> int:
    """The pid of the process listening on `path` (the peer credentials of a connection)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.connect(str(path))
        pid, _uid, _gid = struct.unpack("3i", sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED,
                                                              struct.calcsize("3i")))
    return pid


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "Z" not in _state(pid)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


def wait_until(condition: Any) -> bool:
    end = time.monotonic() + POLL_LIMIT
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


class Agents:
    """Starts agents through `skillpass unlock` and makes sure none outlives the test."""

    def __init__(self, cli: Cli) -> None:
        self.cli, self.pids = cli, []

    def unlock(self, *args: str, passphrase: bool = True) -> Result:
        result = (self.cli.with_passphrase if passphrase else self.cli)("unlock", *args, "--json")
        if result.returncode == 0:
            self.pids.append(agent_pid(Path(result.json()["socket"])))
        return result

    def stop(self) -> None:
        self.cli("lock")
        for pid in self.pids:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


@pytest.fixture
def agents(cli: Cli, wallet_home: Path, runtime_dir: Path) -> Iterator[Agents]:
    cli.env["XDG_RUNTIME_DIR"] = str(runtime_dir)
    agents = Agents(cli)
    yield agents
    agents.stop()


def one_error_line(result: Result) -> str:
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("skillpass: error: "), result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


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


def _frame(body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + body


def test_garbage_and_oversized_requests_close_the_connection_not_the_agent(cli: Cli, agents: Agents) -> None:
    path = Path(agents.unlock().json()["socket"])
    bad = [b"", b"\x00", b"GET / HTTP/1.1\r\n\r\n", struct.pack(">I", 2**31) + b"x" * 100,
           _frame(b"x" * 5000), _frame(b"{not json"), _frame(b"[1, 2]"), _frame(b'"key"'),
           _frame(b'{"op": "nothing"}'), _frame(b'{"op": ["key"]}'), _frame(b"\xff\xfe{}"),
           _frame(b"[" * 3000 + b"]" * 3000), _frame(b'{"op": "key"}')[:-3]]
    for data in bad:
        assert _raw(path, data) == b"", data[:40]
    assert _raw(path, _frame(b'{"op": "key", "wallet_id": 7}')) == _frame(b'{"ok":false}')
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
    other = tmp_path / "other.txt"
    other.write_text("another passphrase\n")
    assert cli("backup", str(tmp_path / "b.json"), "--backup-passphrase-file", str(other)).returncode == 0
    assert cli.with_passphrase("backup", str(tmp_path / "c.json")).returncode == 0
    change = cli("passphrase", "--new-passphrase-file", str(other))
    assert change.returncode == 6
    one_error_line(change)


class FakeAgent:
    """A test server on the agent's socket path answering every key request with a wrong key."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(mode=0o700, exist_ok=True)
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(str(path))
        self.server.listen(4)
        self.asked = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                length = struct.unpack(">I", conn.recv(4))[0]
                conn.recv(length)
                self.asked += 1
                body = json.dumps({"ok": True, "key": base64.b64encode(os.urandom(32)).decode()}).encode()
                conn.sendall(_frame(body))

    def close(self) -> None:
        self.server.close()


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
    assert not path.exists()
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
    agents.pids.append(agent_pid(_socket(cli)))
    assert unlocked.returncode == 0 and "reste déverrouillé jusqu'à" in unlocked.stderr
    assert "est déverrouillé jusqu'à" in cli("unlock", "--status", "--lang", "fr").stderr
    assert "l'agent de déverrouillage a oublié sa clé" in cli("lock", "--lang", "fr").stderr
    refused = cli.with_passphrase("unlock", "--timeout", "2j", "--lang", "fr")
    assert refused.returncode == 2 and "pas une durée : 2j" in refused.stderr


def _socket(cli: Cli) -> Path:
    from skillpass.agent.paths import socket_path

    return socket_path(cli.home)


def test_a_socket_of_another_user_is_not_asked(cli: Cli, agents: Agents) -> None:
    if os.getuid() != 0:
        pytest.skip("needs root, to give the socket to another user")
    path = _socket(cli)
    fake = FakeAgent(path)
    try:
        os.chown(path, 65534, 65534)
        result = cli("list")
        assert result.returncode == 6 and fake.asked == 0
        assert path.exists()  # not ours to remove
    finally:
        fake.close()
        path.unlink()


# -- review findings: silent agents, deadlines, races, bursts, directories, reasons ------------


def _unlocked(agents: Agents, *args: str) -> tuple[dict[str, Any], int]:
    result = agents.unlock(*args)
    assert result.returncode == 0, result.stderr
    return result.json(), agents.pids[-1]


def test_a_stopped_agent_is_not_called_locked_and_lock_ends_it(cli: Cli, agents: Agents) -> None:
    unlocked, pid = _unlocked(agents)
    os.kill(pid, signal.SIGSTOP)
    try:
        status = validate(cli("unlock", "--status", "--json"), "unlock-status")
        assert status["state"] == "not_answering" and status["pid"] == pid and status["unlocked"] is False
        assert f"pid {pid}" in cli("unlock", "--status").stderr
        locked = validate(cli("lock", "--json"), "lock")
        assert locked["how"] == "killed" and locked["pid"] == pid and locked["locked"] is True
    finally:
        if alive(pid):
            os.kill(pid, signal.SIGCONT)
    assert wait_until(lambda: not alive(pid))
    assert not Path(unlocked["socket"]).exists()
    assert cli("list").returncode == 6


def _silent_listener(path: Path) -> socket.socket:
    """A listener of ours on the agent's socket path that never accepts: not skillpass's agent."""
    path.parent.mkdir(mode=0o700, exist_ok=True)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.listen(8)
    return listener


def test_lock_fails_naming_the_pid_of_a_silent_listener_that_is_not_an_agent(cli: Cli, agents: Agents) -> None:
    path = _socket(cli)
    listener = _silent_listener(path)
    try:
        result = cli("lock")
        assert result.returncode == 11
        assert f"(pid {os.getpid()}) does not answer" in one_error_line(result)
        assert path.exists()  # not removed, not killed: it is not ours to end
        refused = cli.with_passphrase("unlock")
        assert refused.returncode == 11 and f"pid {os.getpid()}" in one_error_line(refused)
    finally:
        listener.close()
        path.unlink()


def test_the_lock_note_says_where_it_looked(cli: Cli, agents: Agents, runtime_dir: Path) -> None:
    result = cli("lock")
    assert result.returncode == 0
    assert f"(looked in {runtime_dir / 'skillpass'})" in result.stderr


def _ask_key(path: Path, wallet_id: str) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(POLL_LIMIT)
    sock.connect(str(path))
    sock.sendall(_frame(json.dumps({"op": "key", "wallet_id": wallet_id}).encode()))
    return sock


def test_an_agent_suspended_past_its_deadline_never_answers(cli: Cli, agents: Agents) -> None:
    unlocked, pid = _unlocked(agents, "--timeout", "3s")
    path = Path(unlocked["socket"])
    os.kill(pid, signal.SIGSTOP)
    try:
        until = _epoch(unlocked["until"])
        assert wait_until(lambda: time.time() > until + 1)
        with _ask_key(path, unlocked["wallet_id"]) as sock:  # queued while the agent is stopped
            os.kill(pid, signal.SIGCONT)
            try:
                answer = sock.recv(4096)
            except ConnectionResetError:  # closed with our request unread
                answer = b""
            assert answer == b""  # closed: the key is not given after the deadline
    finally:
        if alive(pid):
            os.kill(pid, signal.SIGCONT)
    assert wait_until(lambda: not alive(pid))


def test_a_request_dribbled_past_the_deadline_gets_no_key(cli: Cli, agents: Agents) -> None:
    unlocked, pid = _unlocked(agents, "--timeout", "4s")
    until = _epoch(unlocked["until"])
    request = _frame(json.dumps({"op": "key", "wallet_id": unlocked["wallet_id"]}).encode())
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(POLL_LIMIT)
        sock.connect(unlocked["socket"])
        answer = b""
        try:
            sent = 0
            while time.time() <= until + 0.5 and sent < len(request) - 1:
                sock.sendall(request[sent:sent + 1])  # one byte each 0.5 s: never 2 s of silence
                sent += 1
                time.sleep(0.5)
            assert time.time() > until  # the request is still unfinished at the deadline
            sock.sendall(request[sent:])
            answer = sock.recv(4096)
        except OSError:  # closed (reset) under us: what must happen
            answer = b""
        assert answer == b""  # no key once the deadline has passed
    assert wait_until(lambda: not alive(pid))


def _epoch(text: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def test_a_client_dribbling_bytes_does_not_hold_the_agent(cli: Cli, agents: Agents) -> None:
    import select

    unlocked, _pid = _unlocked(agents, "--timeout", "10m")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.connect(str(unlocked["socket"]))
        sock.sendall(struct.pack(">I", 4000))
        closed = False
        for _ in range(int(POLL_LIMIT / 0.3)):  # a byte every 0.3 s: each recv alone is quick
            try:
                sock.sendall(b" ")
            except OSError:
                closed = True
                break
            if select.select([sock], [], [], 0.3)[0] and sock.recv(16) == b"":
                closed = True
                break
        assert closed
    assert cli("list").returncode == 0  # and the agent answers the next client


def test_two_unlocks_at_once_leave_exactly_one_agent(cli: Cli, agents: Agents) -> None:
    import subprocess
    import sys

    from conftest import TESTS

    command = [sys.executable, str(TESTS / "cheap_kdf.py"), "unlock", "--json",
               "--passphrase-file", str(cli.passphrase_file)]
    procs = [subprocess.Popen(command, env=cli.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for _ in range(2)]
    outputs = [proc.communicate(timeout=120) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], outputs
    assert sorted(json.loads(out)["replaced"] for out, _ in outputs) == [False, True]
    pid = agent_pid(_socket(cli))
    agents.pids.append(pid)
    agent_pids = [p for p in _all_agent_pids() if _runtime_of(p) == str(_socket(cli))]
    assert agent_pids == [pid]
    assert cli("lock", "--json").json()["how"] == "asked"
    assert wait_until(lambda: not alive(pid))


def _all_agent_pids() -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and alive(int(entry.name)):
            try:
                if b"skillpass.agent.server" in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _runtime_of(pid: int) -> str:
    """Which socket an agent serves: the one whose listener is `pid`."""
    for path in Path(os.environ["XDG_RUNTIME_DIR"]).glob("skillpass/*.sock"):
        try:
            if agent_pid(path) == pid:
                return str(path)
        except OSError:
            continue
    return ""


def test_a_stale_check_never_removes_a_socket_that_was_replaced(cli: Cli, agents: Agents) -> None:
    from skillpass.agent.client import remove_if_stale

    path = _socket(cli)
    path.parent.mkdir(mode=0o700, exist_ok=True)
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(path))
    stale.close()
    old = os.lstat(path)
    unlocked, _pid = _unlocked(agents)  # a new agent renamed its socket onto the name
    remove_if_stale(path, old)
    assert path.exists() and cli("list").returncode == 0
    remove_if_stale(path, os.lstat(path))  # the same inode, but listening: kept
    assert path.exists() and cli("list").returncode == 0


def test_a_burst_of_64_parallel_clients_all_get_the_key(cli: Cli, agents: Agents) -> None:
    from skillpass.agent.client import fetch_key

    unlocked, _pid = _unlocked(agents)
    barrier = threading.Barrier(64)
    got: list[bool] = []

    def fetch() -> None:
        barrier.wait()
        got.append(fetch_key(cli.home, unlocked["wallet_id"]) is not None)

    threads = [threading.Thread(target=fetch) for _ in range(64)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert got == [True] * 64


def test_a_shared_xdg_runtime_dir_is_not_used_and_the_fallback_is_under_home(
        cli: Cli, agents: Agents, tmp_path: Path) -> None:
    import shutil
    import tempfile

    from skillpass.agent import paths

    user_home = Path(tempfile.mkdtemp(prefix="sp-h-"))  # short: the socket path must fit 107 bytes
    try:
        _fallback_under(cli, agents, tmp_path, user_home, paths)
    finally:
        cli("lock", env={"XDG_RUNTIME_DIR": "/tmp", "HOME": str(user_home)})
        shutil.rmtree(user_home, ignore_errors=True)


def _fallback_under(cli: Cli, agents: Agents, tmp_path: Path, user_home: Path, paths: Any) -> None:
    env = {"XDG_RUNTIME_DIR": "/tmp", "HOME": str(user_home)}
    assert paths.runtime_dir(env) == user_home / ".cache" / "skillpass" / "agent"
    private = tmp_path / "run"
    private.mkdir(mode=0o700)
    assert paths.runtime_dir({"XDG_RUNTIME_DIR": str(private), "HOME": str(user_home)}) == private / "skillpass"
    cli.env.update(env)
    unlocked, _pid = _unlocked(agents)
    assert Path(unlocked["socket"]).parent == user_home / ".cache" / "skillpass" / "agent"
    assert Path(unlocked["socket"]).parent.stat().st_mode & 0o777 == 0o700
    assert cli("list").returncode == 0
    assert cli("lock", "--json").json()["how"] == "asked"


def test_an_agent_directory_of_another_owner_is_refused_naming_the_owner(
        cli: Cli, agents: Agents, tmp_path: Path) -> None:
    if os.getuid() != 0:
        pytest.skip("needs root, to give the directory to another user")
    import pwd

    user_home = tmp_path / "h"
    taken = user_home / ".cache" / "skillpass" / "agent"
    taken.mkdir(parents=True, mode=0o700)
    os.chown(taken, 65534, 65534)
    cli.env.update({"XDG_RUNTIME_DIR": "/tmp", "HOME": str(user_home)})
    result = cli.with_passphrase("unlock")
    assert result.returncode == 13
    line = one_error_line(result)
    assert "not private to you" in line and f"its owner is {pwd.getpwuid(65534).pw_name}" in line


def test_a_socket_path_too_long_says_so_in_one_translated_line(cli: Cli, agents: Agents, tmp_path: Path) -> None:
    deep = tmp_path / ("x" * 90)
    deep.mkdir(mode=0o700)
    cli.env["XDG_RUNTIME_DIR"] = str(deep)
    result = cli.with_passphrase("unlock")
    assert result.returncode == 13
    line = one_error_line(result)
    assert "too long for a Unix socket" in line and "set XDG_RUNTIME_DIR to a shorter directory" in line
    assert "OSError" not in line
    french = cli.with_passphrase("unlock", "--lang", "fr")
    assert "trop long" in french.stderr and "XDG_RUNTIME_DIR" in french.stderr


# -- tests that must fail when the protection is gone ------------------------------------------

PR_CAPS_VERSION_3 = 0x20080522
CAP_SYS_PTRACE = 19
SYS_KCMP, KCMP_VM = 312, 1


def _may_inspect(pid: int) -> bool:
    """Whether a process of our uid *without* CAP_SYS_PTRACE (a forked child that drops it from
    its effective set, keeping the permitted set) passes the kernel's ptrace access check on
    `pid` (kcmp(2), PTRACE_MODE_READ_REALCREDS): for a same-uid target, only dumpable decides."""
    import ctypes

    read, write = os.pipe()
    child = os.fork()
    if child == 0:
        os.close(read)
        word = b"error"
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            header = (ctypes.c_uint32 * 2)(PR_CAPS_VERSION_3, 0)
            data = (ctypes.c_uint32 * 6)()
            if libc.syscall(125, header, data) == 0:  # capget
                data[0] &= ~(1 << CAP_SYS_PTRACE)  # effective, low word
                if libc.syscall(126, header, data) != 0:  # capset
                    raise OSError(ctypes.get_errno(), "capset")
            result = libc.syscall(SYS_KCMP, os.getpid(), pid, KCMP_VM, 0, 0)
            word = b"yes" if result >= 0 else (b"no" if ctypes.get_errno() == 1 else b"error")
        finally:
            os.write(write, word)
            os._exit(0)
    os.close(write)
    word = os.read(read, 10)
    os.close(read)
    os.waitpid(child, 0)
    assert word in (b"yes", b"no"), word
    return word == b"yes"


def test_the_agent_is_not_dumpable(agents: Agents) -> None:
    import subprocess

    _unlocked(agents)
    control = subprocess.Popen(["sleep", "60"])  # an ordinary process of ours: dumpable
    try:
        assert _may_inspect(control.pid) is True
        assert _may_inspect(agents.pids[0]) is False
    finally:
        control.kill()
        control.wait()


def test_our_socket_with_a_listener_of_another_uid_is_never_asked(cli: Cli, agents: Agents) -> None:
    if os.getuid() != 0:
        pytest.skip("needs root, to run the listener as another user")
    path = _socket(cli)
    path.parent.mkdir(mode=0o700, exist_ok=True)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))  # the file is ours (root's), 0700 dir: the check left is SO_PEERCRED
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # inherits the bound socket, becomes nobody, then listens (SO_PEERCRED: nobody)
        os.close(read)
        try:
            os.setgid(65534)
            os.setuid(65534)
            listener.listen(8)
            os.write(write, b"L")
            listener.settimeout(POLL_LIMIT)
            while True:
                conn, _ = listener.accept()
                conn.settimeout(5)
                try:
                    asked = conn.recv(4096)
                except OSError:
                    asked = b""
                os.write(write, b"A" if asked else b"C")
                if asked:
                    body = json.dumps({"ok": True, "key": base64.b64encode(os.urandom(32)).decode()})
                    conn.sendall(_frame(body.encode()))
                conn.close()
        finally:
            os._exit(0)
    os.close(write)
    listener.close()
    try:
        assert os.read(read, 1) == b"L"
        assert os.stat(path).st_uid == os.getuid()
        result = cli("list")
        assert result.returncode == 6  # as with no agent: the usual "no passphrase"
        assert cli.with_passphrase("list").returncode == 0
    finally:
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
    said = b""
    os.set_blocking(read, False)
    try:
        said = os.read(read, 4096)
    except BlockingIOError:
        pass
    os.close(read)
    assert b"A" not in said  # connected, maybe, but never sent a request
    path.unlink()


def test_a_wrong_agent_key_writes_nothing_for_import_remove_and_share(
        cli: Cli, agents: Agents, tmp_path: Path) -> None:
    from skillpass.agent.paths import socket_path

    ids = add_credentials(cli.home, 2)
    new = tmp_path / "new.json"
    _write_a_credential(cli, new)
    db = cli.home / "wallet.db"
    before = db.read_bytes()
    path = socket_path(cli.home)
    fake = FakeAgent(path)
    try:
        for args in (("import", str(new)), ("remove", ids[0], "--yes"), ("share", ids[1][:8], "--reveal-all")):
            result = cli(*args)
            assert result.returncode == 5, (args, result.stderr)
            line = one_error_line(result)
            assert "the unlock agent's key does not open the wallet" in line and "wrong passphrase" not in line
    finally:
        fake.close()
        path.unlink()
    assert db.read_bytes() == before
    assert fake.asked >= 3


def _write_a_credential(cli: Cli, path: Path) -> None:
    from conftest import sample_credential

    path.write_text(json.dumps(sample_credential("Another badge", 99)))


def test_status_after_a_restore_says_the_agent_holds_another_wallet(cli: Cli, agents: Agents) -> None:
    _unlocked(agents)
    for entry in cli.home.iterdir():
        if entry.name.startswith("wallet.db"):
            entry.unlink()
    assert cli.with_passphrase("init").returncode == 0  # a new wallet id in the same home
    status = validate(cli("unlock", "--status", "--json"), "unlock-status")
    assert status["state"] == "other_wallet" and status["unlocked"] is False
    assert "another wallet" in cli("unlock", "--status").stderr
