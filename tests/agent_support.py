"""What tests/test_agent.py and tests/test_agent_hardening.py share: `Agents` (behind conftest's
`agents` fixture: each agent a test starts is locked, then killed if it is still there, when the test
ends), polling with a generous bound (nothing here times anything), and a fake agent on the socket path."""

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

import jsonschema

from conftest import Cli, Result

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


def one_error_line(result: Result) -> str:
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("skillpass: error: "), result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def frame(body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + body


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
                conn.sendall(frame(body))

    def close(self) -> None:
        self.server.close()


def agent_socket(cli: Cli) -> Path:
    from skillpass.agent.paths import socket_path

    return socket_path(cli.home)
