"""The flock `unlock` (and `lock`) hold on `<hash>.lock` in the agent directory for the whole
"stop the old agent, start the new one" sequence: two unlocks of one home run one after the
other, and a command never removes a socket an unlock is putting in place (client.py)."""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from skillpass.agent import paths

WAIT = 30.0  # another unlock of this home (a passphrase KDF, an agent start) is done well before


class Busy(Exception):
    """Another `skillpass unlock` of this home held the lock for WAIT seconds."""


@contextlib.contextmanager
def hold(home: Path) -> Iterator[None]:
    path = paths.lock_path(home)
    paths.ensure_private(path.parent)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    try:
        end = time.monotonic() + WAIT
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= end:
                    raise Busy(str(path)) from None
                time.sleep(0.02)
        yield
    finally:
        os.close(fd)  # closing the only descriptor releases the flock
