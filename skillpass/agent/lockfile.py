"""The flock `unlock` (and `lock`) hold on `<hash>.lock` in the agent directory for the whole
"stop the old agent, start the new one" sequence: two unlocks of one home run one after the
other, and a command never removes a socket an unlock is putting in place (client.py).

The file exists only while someone holds it: its holder unlinks it before letting go, so no
`.lock` is left per home once the agent ends. That is race-free because a lock counts only on
the file that is at the name: a process that opened the name before it was unlinked, and then
got the flock on the unlinked file, sees that the name is gone or another file, and tries
again on the name as it is."""

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
def hold(home: Path, wait: float = WAIT) -> Iterator[None]:
    """The home's lock for the `with` block, waited for `wait` seconds at most (Busy after)."""
    path = paths.lock_path(home)
    paths.ensure_private(path.parent)
    fd = acquire(path, time.monotonic() + wait)
    try:
        yield
    finally:
        release(path, fd)


def acquire(path: Path, end: float) -> int:
    """A descriptor holding the flock on the file at `path` (created if missing); Busy once
    `end` (time.monotonic()) has passed with another holder."""
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        try:
            _flock(fd, path, end)
        except BaseException:
            os.close(fd)
            raise
        if _still_at(path, fd):
            return fd
        os.close(fd)  # its holder unlinked it while we waited: lock the file now at the name


def release(path: Path, fd: int) -> None:
    """Unlink the lock file, then let go of it (closing the only descriptor releases the flock):
    only the holder unlinks, so the name is still the file `fd` locks."""
    try:
        os.unlink(path)
    except OSError:
        pass
    finally:
        os.close(fd)


def _flock(fd: int, path: Path, end: float) -> None:
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= end:
                raise Busy(str(path)) from None
            time.sleep(0.02)


def _still_at(path: Path, fd: int) -> bool:
    try:
        at_name = os.lstat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (at_name.st_dev, at_name.st_ino) == (held.st_dev, held.st_ino)
