"""Where a wallet lives: `--home DIR`, else `SKILLPASS_HOME`, else the platform's user data dir.

A home is a directory the learner owns, never a symbolic link, holding only skillpass's files.
`init` makes it 0700 only when it is new, empty or already a skillpass home: `--home /tmp` is
refused rather than changed. A wallet is built under a temporary name and linked into place
(`staging_path`, `publish`), so an interrupted init or restore leaves no `wallet.db` at all; an
empty `wallet.db` that an older skillpass left that way is recognised and replaced.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Mapping
from pathlib import Path

from skillpass.errors import FileError
from skillpass.files import process_alive

DB_NAME = "wallet.db"
_STAGING = ".wallet.db."
_STAGING_SUFFIX = ".creating"
# What a skillpass home may hold: the database and SQLite's companions, the trust list, and
# temporary files of our own writers.
_OURS = (DB_NAME, "trust.json")


def resolve_home(option: str | None, environ: Mapping[str, str]) -> Path:
    if option:
        return Path(option).expanduser()
    if environ.get("SKILLPASS_HOME"):
        return Path(environ["SKILLPASS_HOME"]).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("skillpass", appauthor=False))


def db_path(home: Path) -> Path:
    return home / DB_NAME


def check_home(home: Path) -> None:
    """Every command refuses a home that is a symbolic link (it could point anywhere)."""
    if home.is_symlink():
        raise FileError(f"refusing a wallet home that is a symbolic link: {home}",
                        "point --home at the real directory")


def ensure_private_dir(home: Path) -> None:
    """Create the home at 0700 whatever the umask; refuse a symlinked one, one owned by someone
    else, or an existing directory holding files that are not skillpass's."""
    check_home(home)
    if home.exists() and not home.is_dir():
        raise FileError(f"{home} is a file, not a directory: a wallet home is a directory",
                        "choose a new directory with --home")
    try:
        if home.is_dir():
            _check_existing(home)
            if home.stat().st_mode & 0o777 != 0o700:
                os.chmod(home, 0o700)
        else:
            home.mkdir(mode=0o700, parents=True)
            os.chmod(home, 0o700)  # whatever the umask
    except OSError as exc:
        raise FileError(f"cannot create the wallet home {home}: {exc.strerror}",
                        "choose another directory with --home") from None


def _check_existing(home: Path) -> None:
    info = home.stat()
    if info.st_uid != os.geteuid():
        raise FileError(f"{home} belongs to another user", "choose a directory of your own with --home")
    foreign = sorted(name for name in os.listdir(home) if not _is_ours(name))
    if foreign:
        raise FileError(f"{home} is not empty ({foreign[0]}{' and others' if len(foreign) > 1 else ''}), "
                        "and skillpass only makes a home of an empty directory",
                        "choose a new directory with --home")


def _is_ours(name: str) -> bool:
    return (name.startswith(_OURS) or name.endswith(".skillpass-tmp")
            or (name.startswith(_STAGING) and _STAGING_SUFFIX in name))


def restrict_files(home: Path) -> None:
    """Files 0600 whatever the umask: the database and SQLite's -wal/-shm companions (changed
    only when they are not: a read-only home's files, already 0600, are read, not refused)."""
    for path in home.glob(DB_NAME + "*"):
        if path.is_file() and not path.is_symlink() and path.stat().st_mode & 0o777 != 0o600:
            try:
                os.chmod(path, 0o600)
            except OSError as exc:  # a read-only file system keeps its modes (vfat, an ISO image)
                if exc.errno != errno.EROFS:
                    raise


# -- building a wallet under a temporary name --------------------------------------------------


def staging_path(home: Path) -> Path:
    return home / f"{_STAGING}{os.getpid()}.{os.urandom(4).hex()}{_STAGING_SUFFIX}"


def publish(staging: Path, path: Path) -> None:
    """Give the finished wallet its name: a hard link, which fails rather than replace a wallet
    that another init created meanwhile (FileExistsError), then the directory entry synced."""
    os.link(staging, path)
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def discard(staging: Path) -> None:
    """Remove a staging database and SQLite's companions (after publishing, or after failing)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{staging}{suffix}").unlink(missing_ok=True)


def is_incomplete(path: Path) -> bool:
    """An empty wallet.db: what an interrupted init or restore left before skillpass built
    wallets under a temporary name. It holds nothing, so it can be replaced."""
    try:
        return path.stat().st_size == 0 and not path.is_symlink()
    except OSError:
        return False


def clear_incomplete(home: Path) -> None:
    """Before building a wallet: remove an empty wallet.db and staging files of dead processes,
    and SQLite companions (-wal, -shm) that outlived the wallet.db they belonged to (removed by
    hand after a crash left them): SQLite would replay that old log onto the new wallet.db the
    first time it opens it, and damage it."""
    path = db_path(home)
    if is_incomplete(path):
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    elif not path.exists() and not path.is_symlink():
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    sweep_staging(home)


def sweep_staging(home: Path) -> None:
    """Remove wallets a killed init or restore was building (their process is gone)."""
    for leftover in home.glob(f"{_STAGING}*{_STAGING_SUFFIX}*"):
        pid = leftover.name[len(_STAGING):].split(".", 1)[0]
        if pid.isdigit() and not process_alive(int(pid)):
            leftover.unlink(missing_ok=True)

