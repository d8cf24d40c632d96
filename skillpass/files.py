"""Writing the files a learner asked for (backups, presentations): private, atomic, never clobbered."""

from __future__ import annotations

import os
from pathlib import Path

from skillpass.errors import FileError


def write_new_file(path: Path, data: bytes, *, overwrite: bool = False) -> None:
    """Write `data` to `path` at 0600 through a temporary file, fsync and rename: a reader sees the
    old file or the whole new one. An existing file is kept unless `overwrite`."""
    if path.exists() and not overwrite:
        raise FileError(f"{path} already exists", "choose another file name or pass --force")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        _fsync_directory(path.parent)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise FileError(f"cannot write {path}: {exc.strerror}",
                        "check the directory exists and has free space") from None


def _fsync_directory(directory: Path) -> None:
    # The rename is durable only once the directory entry is on disk (POSIX; not on Windows).
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read_limited(path: Path, limit: int, what: str) -> bytes:
    """Read at most `limit` bytes of `path`; a larger file is refused before it is read whole."""
    from skillpass.errors import BadInputError

    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise FileError(f"cannot read {path}: {exc.strerror}", "check the path") from None
    if len(data) > limit:
        raise BadInputError(f"{path} is too large to be {what}", "check the file", code="E_TOO_LARGE")
    return data
