"""The agent's wire format: a 4-byte big-endian length, then that many bytes of one UTF-8 JSON
object. Anything longer than MAX_MESSAGE, not JSON, or not an object is a ProtocolError: the
connection is closed, nothing else happens.

Requests: {"op": "key", "wallet_id": ID}  -> {"ok": true, "key": BASE64} or {"ok": false}
          {"op": "status"}                -> {"ok": true, "wallet_id": ID, "until": EPOCH, "pid": PID}
          {"op": "lock"}                  -> {"ok": true}, then the agent forgets the key and exits
"""

from __future__ import annotations

import json
import socket
import struct
import time
from typing import Any

MAX_MESSAGE = 4096
_LENGTH = struct.Struct(">I")


class ProtocolError(Exception):
    pass


def encode(message: dict[str, Any]) -> bytes:
    body = json.dumps(message, separators=(",", ":")).encode()
    if len(body) > MAX_MESSAGE:
        raise ProtocolError("message too large")
    return _LENGTH.pack(len(body)) + body


def send(sock: socket.socket, message: dict[str, Any]) -> None:
    sock.sendall(encode(message))


def receive(sock: socket.socket, deadline: float | None = None) -> dict[str, Any]:
    """One message; with `deadline` (epoch seconds), the whole message must have come by then,
    however the sender spreads its bytes (a timeout per recv would let a slow one hold on)."""
    (length,) = _LENGTH.unpack(_read(sock, _LENGTH.size, deadline))
    if length > MAX_MESSAGE:
        raise ProtocolError("message too large")
    try:
        message = json.loads(_read(sock, length, deadline))
    except (ValueError, RecursionError):
        raise ProtocolError("not JSON") from None
    if not isinstance(message, dict):
        raise ProtocolError("not an object")
    return message


def _read(sock: socket.socket, size: int, deadline: float | None = None) -> bytes:
    data = bytearray()
    while len(data) < size:
        if deadline is not None:
            left = deadline - time.time()
            if left <= 0:
                raise ProtocolError("too slow")
            sock.settimeout(left)
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ProtocolError("connection closed")
        data += chunk
    return bytes(data)


def peer_uid(sock: socket.socket) -> int:
    """The uid of the process at the other end of a Unix socket (Linux SO_PEERCRED)."""
    return peer(sock)[1]


def peer(sock: socket.socket) -> tuple[int, int]:
    """The pid and uid of the process at the other end of a Unix socket (Linux SO_PEERCRED)."""
    creds = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    pid, uid, _gid = struct.unpack("3i", creds)
    return pid, uid
