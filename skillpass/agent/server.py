"""The agent process: `python -m skillpass.agent.server --key-fd N --ready-fd M`, started by
`skillpass unlock` (skillpass/agent/launcher.py), never by hand.

It reads the wallet id, the data key, its deadline and its socket path from the pipe `--key-fd`
(never argv, the environment or a file), makes itself undumpable, binds the socket 0600, says
"ok" (or "error REASON", a fixed code) on `--ready-fd`, and answers one request per connection from processes of the
same uid until the deadline or a `lock`. Nothing is written to disk but the socket, removed on
the way out. Bad input closes the connection; it never ends the agent.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import socket
import sys
import time
from pathlib import Path
from typing import Any

from skillpass.agent import paths, protocol

KEY_SIZE = 32
MAX_WAIT = 60.0  # accept() wakes at least this often, so a suspended laptop's deadline still holds
CLIENT_TIMEOUT = 2.0  # a client that connects and says nothing holds the agent this long at most
PR_SET_DUMPABLE = 4  # linux/prctl.h


class Held:
    """What the agent remembers: one wallet's data key and until when (wall-clock time)."""

    __slots__ = ("wallet_id", "key", "until")

    def __init__(self, wallet_id: str, key: bytearray, until: float) -> None:
        self.wallet_id, self.key, self.until = wallet_id, key, until

    def forget(self) -> None:
        # Best effort: Python may hold other copies (the base64 text it was decoded from), but
        # the one the agent answers with is overwritten.
        for i in range(len(self.key)):
            self.key[i] = 0

    def __repr__(self) -> str:
        return f"Held(wallet_id={self.wallet_id!r}, key=<redacted>)"


def harden() -> None:
    """No core file, and not dumpable: another process of the same user cannot ptrace this one or
    read /proc/PID/mem (only root can)."""
    import ctypes
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE, 0) failed")


def read_start(fd: int) -> tuple[Held, str]:
    """What `unlock` wrote on the pipe: one protocol message (launcher.start)."""
    with os.fdopen(fd, "rb") as pipe:
        data = pipe.read(protocol.MAX_MESSAGE + 4)
    length = int.from_bytes(data[:4], "big")
    if length != len(data) - 4:
        raise ValueError("not a start message")
    message = json.loads(data[4:])
    key = bytearray(base64.b64decode(message["key"], validate=True))
    if len(key) != KEY_SIZE or not isinstance(message["wallet_id"], str):
        raise ValueError("not a data key")
    return Held(message["wallet_id"], key, float(message["until"])), str(message["socket"])


class StartFailure(Exception):
    """Why the agent did not start, as one fixed reason code for `unlock` (launcher.REASONS)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def bind(path: str) -> tuple[socket.socket, tuple[int, int]]:
    """Listen on `path`, atomically: bound under a temporary name beside it, listening, 0600,
    then renamed onto `path`, so no one ever meets the final name not yet listening or not yet
    0600, and no two agents can both think the name is theirs. `unlock` holds the home's flock
    around this (paths.lock_path): an agent that still answers on `path` means someone else put
    it there, and is left alone ("busy")."""
    directory = os.path.dirname(path)
    try:
        paths.check_private(Path(directory))
    except (OSError, paths.UnsafeDirectory):
        raise StartFailure("not_private") from None
    if len(os.fsencode(path)) + 16 > paths.MAX_SOCKET_PATH:
        raise StartFailure("path_too_long")
    if _answers(path):
        raise StartFailure("busy")
    temporary = f"{path}.{os.getpid()}.tmp"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old = os.umask(0o177)
    try:
        _unlink_quietly(temporary)
        server.bind(temporary)
        server.listen(socket.SOMAXCONN)
        os.chmod(temporary, 0o600)
        info = os.lstat(temporary)
        os.rename(temporary, path)
    except OSError:
        server.close()
        _unlink_quietly(temporary)
        raise StartFailure("cannot_bind") from None
    finally:
        os.umask(old)
    return server, (info.st_dev, info.st_ino)


def _answers(path: str) -> bool:
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        probe.connect(path)
    except OSError:
        return False  # nothing there, or a socket nobody listens on: rename() replaces it
    finally:
        probe.close()
    return True


def _unlink_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def answer(held: Held, request: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The reply to one request, and whether the agent ends after it."""
    op = request.get("op")
    if op == "key":
        if request.get("wallet_id") != held.wallet_id:
            return {"ok": False}, False
        return {"ok": True, "key": base64.b64encode(bytes(held.key)).decode()}, False
    if op == "status":
        return {"ok": True, "wallet_id": held.wallet_id, "until": held.until, "pid": os.getpid()}, False
    if op == "lock":
        return {"ok": True}, True
    raise protocol.ProtocolError("unknown request")


def serve_one(server: socket.socket, held: Held) -> bool:
    """Accept and answer one connection; True when the agent should end (a lock, or its
    deadline: checked after accept() and again right before answering, so an agent that was
    suspended past its deadline never answers)."""
    try:
        conn, _ = server.accept()
    except (socket.timeout, InterruptedError):
        return False
    with conn:
        try:
            if time.time() >= held.until:
                return True
            # one deadline for the whole request: a client dribbling bytes cannot hold the agent
            deadline = min(time.time() + CLIENT_TIMEOUT, held.until)
            if protocol.peer_uid(conn) != os.getuid():
                return False  # another user: closed without a word
            request = protocol.receive(conn, deadline)
            if time.time() >= held.until:
                return True
            reply, stop = answer(held, request)
            conn.settimeout(max(deadline - time.time(), 0.001))
            protocol.send(conn, reply)
            return stop
        except (OSError, protocol.ProtocolError, ValueError, TypeError, AttributeError):
            return False


def run(held: Held, server: socket.socket) -> None:
    while True:
        left = held.until - time.time()
        if left <= 0:
            return
        server.settimeout(min(left, MAX_WAIT))
        try:
            if serve_one(server, held):
                return
        except Exception:  # noqa: BLE001 - the agent outlives any one bad connection
            continue


def _unlink_if_ours(path: str, identity: tuple[int, int]) -> None:
    try:
        info = os.lstat(path)
        if (info.st_dev, info.st_ino) == identity:
            os.unlink(path)
    except OSError:
        pass


def _fd_arg(argv: list[str], name: str) -> int:
    return int(argv[argv.index(name) + 1])


def main(argv: list[str]) -> int:
    ready = os.fdopen(_fd_arg(argv, "--ready-fd"), "w")
    try:
        reason = "cannot_harden"
        harden()
        reason = "bad_start"
        held, path = read_start(_fd_arg(argv, "--key-fd"))
        reason = "cannot_bind"
        server, identity = bind(path)
    except StartFailure as failure:
        reason = failure.reason
    except Exception:  # noqa: BLE001 - a fixed reason, which `unlock` says in one line
        pass
    else:
        reason = "ok"
    if reason != "ok":
        ready.write(f"error {reason}\n")
        ready.close()
        return 1
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    ready.write("ok\n")
    ready.close()
    try:
        run(held, server)
    finally:
        held.forget()
        server.close()
        _unlink_if_ours(path, identity)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
