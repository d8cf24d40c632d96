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


def receive(sock: socket.socket) -> dict[str, Any]:
    (length,) = _LENGTH.unpack(_read(sock, _LENGTH.size))
    if length > MAX_MESSAGE:
        raise ProtocolError("message too large")
    try:
        message = json.loads(_read(sock, length))
    except (ValueError, RecursionError):
        raise ProtocolError("not JSON") from None
    if not isinstance(message, dict):
        raise ProtocolError("not an object")
    return message


def _read(sock: socket.socket, size: int) -> bytes:
    data = bytearray()
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ProtocolError("connection closed")
        data += chunk
    return bytes(data)


def peer_uid(sock: socket.socket) -> int:
    """The uid of the process at the other end of a Unix socket (Linux SO_PEERCRED)."""
    creds = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    _pid, uid, _gid = struct.unpack("3i", creds)
    return uid
