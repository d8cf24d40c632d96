"""Where a wallet lives: `--home DIR`, else `SKILLPASS_HOME`, else the platform's user data dir."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from skillpass.errors import FileError

DB_NAME = "wallet.db"


def resolve_home(option: str | None, environ: Mapping[str, str]) -> Path:
    if option:
        return Path(option).expanduser()
    if environ.get("SKILLPASS_HOME"):
        return Path(environ["SKILLPASS_HOME"]).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("skillpass", appauthor=False))


def db_path(home: Path) -> Path:
    return home / DB_NAME


def ensure_private_dir(home: Path) -> None:
    """Create the home at 0700 whatever the umask, and refuse a symlinked or foreign one."""
    if home.is_symlink():
        raise FileError(f"refusing a wallet home that is a symbolic link: {home}",
                        "point --home at the real directory")
    try:
        home.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(home, 0o700)
    except OSError as exc:
        raise FileError(f"cannot create the wallet home {home}: {exc.strerror}",
                        "choose another directory with --home") from None


def restrict_files(home: Path) -> None:
    """Files 0600 whatever the umask: the database and SQLite's -wal/-shm companions."""
    for path in home.glob(DB_NAME + "*"):
        if path.is_file() and not path.is_symlink():
            os.chmod(path, 0o600)
