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
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise FileError(f"cannot write {path}: {exc.strerror}",
                        "check the directory exists and has free space") from None
