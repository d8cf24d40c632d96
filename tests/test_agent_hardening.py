"""`skillpass unlock`: what review found (silent agents, deadlines, races, bursts, directories,
reasons) and the tests that must fail when a protection is gone. Real commands and agent processes,
as in tests/test_agent.py."""

from __future__ import annotations

import base64
import json
import os
import signal
import socket
import struct
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from agent_support import (POLL_LIMIT, Agents, FakeAgent, frame, agent_socket, agent_pid, alive,
                           one_error_line, validate, wait_until)
from conftest import Cli, add_credentials


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
    path = agent_socket(cli)
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


def test_the_status_of_a_silent_listener_that_is_not_an_agent_says_what_lock_says(cli: Cli, agents: Agents) -> None:
    """Not "'skillpass lock' ends it": lock leaves a process that is not skillpass's agent alone."""
    path = agent_socket(cli)
    listener = _silent_listener(path)
    try:
        status = cli("unlock", "--status")
        french = cli("unlock", "--status", "--lang", "fr")
    finally:
        listener.close()
        path.unlink()
    assert status.returncode == 0 and french.returncode == 0
    pid = os.getpid()
    assert status.stderr == (f"skillpass: the wallet in {cli.home} is locked: a process (pid {pid}) that is not "
                             "skillpass's unlock agent listens on its socket and does not answer; end it with "
                             f"'kill -9 {pid}' if it is yours to end\n")
    assert "skillpass lock" not in status.stderr
    assert french.stderr.startswith(f"skillpass : le portefeuille de {cli.home} est verrouillé : un processus "
                                    f"(pid {pid})"), french.stderr


def test_the_lock_note_says_where_it_looked(cli: Cli, agents: Agents, runtime_dir: Path) -> None:
    result = cli("lock")
    assert result.returncode == 0
    assert f"(looked in {runtime_dir / 'skillpass'})" in result.stderr


def _ask_key(path: Path, wallet_id: str) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(POLL_LIMIT)
    sock.connect(str(path))
    sock.sendall(frame(json.dumps({"op": "key", "wallet_id": wallet_id}).encode()))
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
    request = frame(json.dumps({"op": "key", "wallet_id": unlocked["wallet_id"]}).encode())
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
    pid = agent_pid(agent_socket(cli))
    agents.pids.append(pid)
    agent_pids = [p for p in _all_agent_pids() if _runtime_of(p) == str(agent_socket(cli))]
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

    path = agent_socket(cli)
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
    path = agent_socket(cli)
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
                    conn.sendall(frame(body.encode()))
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
