"""How `skillpass unlock` starts an agent: a detached process (a new session, no terminal,
stdin/stdout/stderr on /dev/null, an environment with no secret in it) that receives the data
key through a pipe and says on another pipe when it listens."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from skillpass.agent import paths, protocol

READY_LIMIT = 4096
_KEPT_ENV = ("PATH", "PYTHONPATH")  # enough to start the same Python on the same skillpass


# What the agent may answer on its ready pipe besides "ok" (server.main): a fixed code each,
# which `unlock` turns into one translated line (flow/agent.py); anything else is "failed".
REASONS = frozenset({"path_too_long", "busy", "not_private", "cannot_harden", "bad_start",
                     "cannot_bind", "failed"})


class AgentStartError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason if reason in REASONS else "failed"


@dataclass(frozen=True)
class Started:
    pid: int
    socket: Path


def start(home: Path, wallet_id: str, data_key: bytes, until: float) -> Started:
    """Start the agent of `home` holding `data_key` until `until` (epoch seconds)."""
    socket_path = paths.socket_path(home)
    paths.check_length(socket_path)
    paths.ensure_private(socket_path.parent)
    key_read, key_write = os.pipe()
    ready_read, ready_write = os.pipe()
    env = {k: os.environ[k] for k in _KEPT_ENV if k in os.environ}
    # -P: the working directory ("/") is not put on sys.path: only the installed skillpass runs
    command = [sys.executable, "-P", "-m", "skillpass.agent.server",
               "--key-fd", str(key_read), "--ready-fd", str(ready_write)]
    try:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, env=env, cwd="/", start_new_session=True,
                                   pass_fds=(key_read, ready_write), close_fds=True)
    except OSError:
        for fd in (key_read, key_write, ready_read, ready_write):
            os.close(fd)
        raise AgentStartError("failed") from None
    os.close(key_read)
    os.close(ready_write)
    message = {"wallet_id": wallet_id, "key": base64.b64encode(data_key).decode(), "until": until,
               "socket": str(socket_path)}
    with os.fdopen(key_write, "wb") as pipe:
        try:
            pipe.write(protocol.encode(message))
        except BrokenPipeError:
            pass
    with os.fdopen(ready_read, "rb") as pipe:
        said = pipe.read(READY_LIMIT).decode("utf-8", "replace").strip()
    if said != "ok":
        process.wait()
        raise AgentStartError(said.removeprefix("error "))
    return Started(process.pid, socket_path)
