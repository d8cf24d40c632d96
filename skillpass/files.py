"""The files a learner names, written and read with care: nothing clobbered, nothing left behind,
nothing but regular files, never a wait on a pipe nobody writes to.

Writing (backups, presentations, the trust list): an existing file is replaced only when the
caller was told to (`--force`), and then only a regular file or a symbolic link itself (never
what it points to); a directory, FIFO, socket or device is never replaced. The bytes go to an
unnamed file in the target's directory (Linux O_TMPFILE), are flushed to disk, then get their
name in one step: linkat for a new file, which fails rather than replace one that appeared
meanwhile, or a rename over the old one. A killed process leaves the old file or the new one
and no temporary file. Where O_TMPFILE is missing, a temporary file created with O_EXCL beside
the target takes its place, and leftovers of dead processes are swept on the next write.

Reading: the path must be a regular file, not a symbolic link (not followed, as `import` does),
opened without blocking, so a FIFO or a device is refused at once, and at most `limit` bytes are
read.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from skillpass.encoding.inflate import size
from skillpass.errors import BadInputError, FileError

_TMP_SUFFIX = ".skillpass-tmp"
_KINDS = {stat.S_IFDIR: "a directory", stat.S_IFIFO: "a FIFO (named pipe)", stat.S_IFSOCK: "a socket",
          stat.S_IFCHR: "a device", stat.S_IFBLK: "a device"}


def write_new_file(path: Path, data: bytes, *, overwrite: bool = False) -> None:
    """Write `data` to `path` at 0600, atomically; an existing file only with `overwrite`."""
    _check_target(path, overwrite)
    try:
        _sweep_leftovers(path)
        with _Unnamed(path.parent) as staged:
            staged.write(data)
            staged.publish(path, overwrite)
        _fsync_directory(path.parent)
    except FileExistsError:
        raise _exists(path) from None
    except OSError as exc:
        raise write_error(path, exc) from None


def check_targets(paths: list[Path], *, overwrite: bool = False) -> None:
    """Refuse, before anything is written, a set of files a command would write where one
    exists (without `overwrite`) or is no regular file, or where two are the same file: a
    command that writes several files writes all of them or none."""
    from skillpass.errors import UsageError

    seen: set[Path] = set()
    for path in paths:
        resolved = path.resolve()
        if resolved in seen:
            raise UsageError(f"{path} is named twice", "give each file its own name")
        seen.add(resolved)
        _check_target(path, overwrite)


def write_error(path: Path, exc: OSError) -> FileError:
    """One clear line for a write that failed, saying what to do."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return FileError(f"no space left to write {path}", "free some space and run the command again")
    if exc.errno == errno.EROFS:
        return FileError(f"cannot write {path}: the file system is read-only",
                         "write to another directory")
    return FileError(f"cannot write {path}: {exc.strerror}",
                     "check the directory exists and that you may write to it")


def _check_target(path: Path, overwrite: bool) -> None:
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise write_error(path, exc) from None
    if stat.S_ISLNK(mode):
        _check_link_target(path)
    if stat.S_ISLNK(mode) or stat.S_ISREG(mode):
        if not overwrite:
            raise _exists(path, link=stat.S_ISLNK(mode))
        return
    raise FileError(f"{path} is {_KINDS.get(stat.S_IFMT(mode), 'not a regular file')}, which "
                    "skillpass never replaces", "choose the name of a regular file")


def _check_link_target(path: Path) -> None:
    """A symbolic link to anything but a regular file is never replaced, --force or not: the link
    is the system's (/dev/stdout -> /proc/self/fd/1), and the learner meant the terminal or
    pipe it names, which '-' writes to."""
    try:
        mode = os.stat(path).st_mode
    except OSError:  # a dangling link, or one into a loop: replacing it loses nothing
        return
    if not stat.S_ISREG(mode):
        raise FileError(f"{path} is a symbolic link to {_KINDS.get(stat.S_IFMT(mode), 'not a regular file')}, "
                        "which skillpass never replaces", "choose the name of a regular file, or - for stdout")


def _exists(path: Path, *, link: bool = False) -> FileError:
    hint = "choose another file name, or pass --force to replace it"
    if link:
        return FileError(f"{path} is a symbolic link", hint)
    return FileError(f"{path} already exists", hint)


class _Unnamed:
    """A file being written in `directory`, with no name until `publish` gives it one."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.fd = -1
        self.temporary: Path | None = None  # only where O_TMPFILE is missing

    def __enter__(self) -> _Unnamed:
        flags = getattr(os, "O_TMPFILE", 0)
        if flags and os.path.isdir("/proc/self/fd"):  # linked into place through /proc
            try:
                self.fd = os.open(self.directory, flags | os.O_WRONLY, 0o600)
                return self
            except OSError as exc:
                if exc.errno not in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):
                    raise
        self.temporary = self.directory / f".{os.getpid()}.{os.urandom(6).hex()}{_TMP_SUFFIX}"
        self.fd = os.open(self.temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        return self

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(self.fd, view):]
        os.fsync(self.fd)

    def publish(self, path: Path, overwrite: bool) -> None:
        if overwrite:
            name = path.parent / f".{os.getpid()}.{os.urandom(6).hex()}{_TMP_SUFFIX}"
            self._link(name)
            os.replace(name, path)
        else:
            self._link(path)  # EEXIST rather than replace a file created meanwhile
        if self.temporary is not None:
            self.temporary.unlink(missing_ok=True)
            self.temporary = None

    def _link(self, name: Path) -> None:
        if self.temporary is not None:
            os.link(self.temporary, name)
            return
        # linkat(2) of the unnamed file through its /proc/self/fd entry (open(2), O_TMPFILE);
        # a directory fd makes os.link call linkat, which follows that magic link
        proc = os.open("/proc/self/fd", os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.link(str(self.fd), name, src_dir_fd=proc, follow_symlinks=True)
        finally:
            os.close(proc)

    def __exit__(self, *exc: object) -> None:
        if self.fd >= 0:
            os.close(self.fd)
        if self.temporary is not None:
            self.temporary.unlink(missing_ok=True)


def _sweep_leftovers(path: Path) -> None:
    """Remove temporary files that processes killed mid-write left in `path`'s directory."""
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return
    for entry in entries:
        if not (entry.name.startswith(".") and entry.name.endswith(_TMP_SUFFIX)):
            continue
        pid = entry.name[1:].split(".", 1)[0]
        if pid.isdigit() and not process_alive(int(pid)):
            try:
                os.unlink(entry.path)
            except OSError:
                pass


def process_alive(pid: int) -> bool:
    """Whether process `pid` exists (a leftover's writer may still be at work)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


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
    """Read at most `limit` bytes of the regular file `path`; a larger file is refused before
    it is read whole, and anything but a regular file at once."""
    data = read_regular_file(path, limit + 1)
    if len(data) > limit:
        raise BadInputError(f"{path} is over {size(limit)}, too large to be {what}", "check the file",
                            code="E_TOO_LARGE")
    return data


def read_regular_file(path: Path, limit: int) -> bytes:
    """Up to `limit` bytes of `path`, which must be a regular file and not a symbolic link.

    Opened non-blocking, so a FIFO with no writer or a device is refused instead of waited on.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise FileError(f"cannot read {path}: {exc.strerror}",
                        "a symbolic link is not followed; give the file itself" if exc.errno == errno.ELOOP
                        else "check the path") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = _KINDS.get(stat.S_IFMT(mode), "not a regular file")
        raise BadInputError(f"{path} is {kind}, not a file", "give the path of a file",
                            code="E_NOT_A_FILE")
    with os.fdopen(fd, "rb") as handle:
        try:
            return handle.read(limit)
        except OSError as exc:
            raise FileError(f"cannot read {path}: {exc.strerror}", "check the file") from None
