"""What a command asks the agent of its wallet home. Every failure (no agent, a stale socket, an
agent of another user, a malformed answer) is "no agent": the caller unlocks as it always did.

Standard library only, imported only when a wallet is opened; with no agent running this costs a
failed stat.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from skillpass.agent import paths

KEY_SIZE = 32
TIMEOUT = 5.0  # the agent answers at once; this only bounds a wedged one


def fetch_key(home: Path, wallet_id: str) -> bytes | None:
    """The data key the agent of `home` holds for `wallet_id`, or None."""
    reply = ask(home, {"op": "key", "wallet_id": wallet_id})
    if reply is None or reply.get("ok") is not True or not isinstance(reply.get("key"), str):
        return None
    import base64

    try:
        key = base64.b64decode(reply["key"], validate=True)
    except ValueError:
        return None
    return key if len(key) == KEY_SIZE else None


def status(home: Path) -> dict[str, Any] | None:
    reply = ask(home, {"op": "status"})
    return reply if reply is not None and reply.get("ok") is True else None


def lock(home: Path) -> bool:
    """Tell the agent of `home` to forget its key and exit; False when none was running."""
    reply = ask(home, {"op": "lock"})
    return reply is not None and reply.get("ok") is True


def ask(home: Path, request: dict[str, Any]) -> dict[str, Any] | None:
    path = paths.socket_path(home)
    try:
        info = os.lstat(path)
    except (OSError, ValueError):
        return None  # the usual case: no agent
    if not stat.S_ISSOCK(info.st_mode) or info.st_uid != os.getuid():
        return None
    import socket  # only now: with no agent, a command pays a stat and nothing more

    from skillpass.agent import protocol

    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(TIMEOUT)
        try:
            sock.connect(str(path))
        except ConnectionRefusedError:
            _remove_stale(path, info)
            return None
        except OSError:
            return None
        try:
            if protocol.peer_uid(sock) != os.getuid():
                return None  # not our agent: ask it nothing
            protocol.send(sock, request)
            return protocol.receive(sock)
        except (OSError, protocol.ProtocolError):
            return None


def _remove_stale(path: Path, info: os.stat_result) -> None:
    """A socket nobody listens on (an agent that was killed): ours, so removed."""
    try:
        now = os.lstat(path)
        if (now.st_dev, now.st_ino) == (info.st_dev, info.st_ino):
            os.unlink(path)
    except OSError:
        pass
