"""What a command asks the agent of its wallet home. For a command that only wants the key, every
failure (no agent, a stale socket, an agent of another user, a malformed or missing answer) is
"no agent": the caller unlocks as it always did. `lock` and `unlock --status` also need to know
"a socket of ours is there and its listener does not answer" (Outcome.state "silent").

Standard library only, imported only when a wallet is opened; with no agent running this costs a
failed stat.
"""

from __future__ import annotations

import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skillpass.agent import paths

KEY_SIZE = 32
TIMEOUT = 5.0  # the agent answers at once; this only bounds a wedged one
CONNECT_RETRY = 1.0  # a full listen backlog (EAGAIN) is retried this long, then "no agent"
AGENT_MODULE = b"skillpass.agent.server"


@dataclass(frozen=True)
class Outcome:
    """none: no socket (or a stale one, or not ours); answered: `reply`; silent: a listener of
    ours (`pid`) that did not answer."""

    state: str
    reply: dict[str, Any] | None = None
    pid: int | None = None


def fetch_key(home: Path, wallet_id: str) -> bytes | None:
    """The data key the agent of `home` holds for `wallet_id`, or None."""
    reply = ask(home, {"op": "key", "wallet_id": wallet_id}).reply
    if reply is None or reply.get("ok") is not True or not isinstance(reply.get("key"), str):
        return None
    import base64

    try:
        key = base64.b64decode(reply["key"], validate=True)
    except ValueError:
        return None
    return key if len(key) == KEY_SIZE else None


def status(home: Path, timeout: float = TIMEOUT) -> Outcome:
    outcome = ask(home, {"op": "status"}, timeout)
    if outcome.state == "answered" and (outcome.reply or {}).get("ok") is not True:
        return Outcome("none")
    return outcome


def lock(home: Path, timeout: float = TIMEOUT) -> Outcome:
    """Tell the agent of `home` to forget its key and exit. A silent agent of ours is ended with
    SIGKILL once /proc says it is our uid running skillpass's agent: state "killed"; when that
    cannot be confirmed, the outcome stays "silent" (the caller says which pid). The caller holds
    the home's flock (paths.lock_path)."""
    outcome = ask(home, {"op": "lock"}, timeout, remove_stale=False)
    if outcome.state == "answered":
        return outcome if (outcome.reply or {}).get("ok") is True else Outcome("none")
    if outcome.state == "silent" and outcome.pid is not None and is_our_agent(outcome.pid):
        import signal

        path = paths.socket_path(home)
        try:
            info = os.lstat(path)
            os.kill(outcome.pid, signal.SIGKILL)
        except OSError:
            return outcome
        _wait_dead(outcome.pid)
        remove_if_stale(path, info)
        return Outcome("killed", pid=outcome.pid)
    if outcome.state == "none":
        _remove_stale_guarded(home, paths.socket_path(home), locked_by_caller=True)
    return outcome


def is_our_agent(pid: int) -> bool:
    """/proc says `pid` runs as our real uid and is skillpass's agent (its argv)."""
    try:
        status_text = Path(f"/proc/{pid}/status").read_text()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    uids = next((line.split()[1:] for line in status_text.splitlines() if line.startswith("Uid:")), [])
    return bool(uids) and all(u == str(os.getuid()) for u in uids) and AGENT_MODULE in cmdline.split(b"\0")


def ask(home: Path, request: dict[str, Any], timeout: float = TIMEOUT,
        remove_stale: bool = True) -> Outcome:
    path = paths.socket_path(home)
    try:
        info = os.lstat(path)
    except (OSError, ValueError):
        return Outcome("none")  # the usual case: no agent
    if not stat.S_ISSOCK(info.st_mode) or info.st_uid != os.getuid():
        return Outcome("none")
    import socket  # only now: with no agent, a command pays a stat and nothing more

    from skillpass.agent import protocol

    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        try:
            _connect(sock, str(path))
        except ConnectionRefusedError:
            if remove_stale:
                _remove_stale_guarded(home, path, info)
            return Outcome("none")
        except OSError:
            return Outcome("none")
        try:
            pid, uid = protocol.peer(sock)
        except OSError:
            return Outcome("none")
        if uid != os.getuid():
            return Outcome("none")  # not our agent: ask it nothing
        try:
            protocol.send(sock, request)
            return Outcome("answered", protocol.receive(sock, time.time() + timeout), pid)
        except (OSError, protocol.ProtocolError):
            return Outcome("silent", pid=pid)


def _connect(sock: Any, path: str) -> None:
    """connect(), retrying a full listen backlog (EAGAIN) for at most CONNECT_RETRY seconds: a
    burst of commands waits its turn instead of unlocking without the agent."""
    end = time.monotonic() + CONNECT_RETRY
    while True:
        try:
            sock.connect(path)
            return
        except BlockingIOError:
            if time.monotonic() >= end:
                raise
            time.sleep(0.005)


def _remove_stale_guarded(home: Path, path: Path, info: os.stat_result | None = None,
                          locked_by_caller: bool = False) -> None:
    """Remove a socket nobody listens on (an agent that was killed), only while holding the
    home's flock, so that no `unlock` is putting a new agent there at the same moment."""
    if info is None:
        try:
            info = os.lstat(path)
        except OSError:
            return
    if locked_by_caller:
        remove_if_stale(path, info)
        return
    from skillpass.agent import lockfile

    lock = paths.lock_path(home)
    try:
        fd = lockfile.acquire(lock, time.monotonic())  # not waited for
    except (OSError, lockfile.Busy):
        return  # an unlock is at work: it replaces the socket itself
    try:
        remove_if_stale(path, info)
    finally:
        lockfile.release(lock, fd)


def remove_if_stale(path: Path, info: os.stat_result) -> None:
    """Unlink `path` only when it is still the socket `info` described and nothing listens on it."""
    import socket

    try:
        now = os.lstat(path)
        if (now.st_dev, now.st_ino) != (info.st_dev, info.st_ino) or not stat.S_ISSOCK(now.st_mode):
            return
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            probe.settimeout(1.0)
            try:
                probe.connect(str(path))
                return  # someone listens: not stale
            except ConnectionRefusedError:
                pass
        now = os.lstat(path)
        if (now.st_dev, now.st_ino) == (info.st_dev, info.st_ino):
            os.unlink(path)
    except OSError:
        pass


def _wait_dead(pid: int) -> None:
    for _ in range(500):  # bounded: SIGKILL ends a process at once, even a stopped one
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return
        if state in ("Z", "X"):
            return
        time.sleep(0.01)
