"""Where an agent's socket lives: one socket per wallet home, in a directory only we can use.

One agent per home (the name is a hash of the home's resolved path), not one per user keyed by
wallet id: a command finds its agent before reading the wallet, `lock` ends exactly the home it
names, and a throwaway home (tests, the demo) never meets the learner's own agent. The agent
still answers only for the wallet id it was given, and the key is checked against the wallet.

The directory: $XDG_RUNTIME_DIR/skillpass when $XDG_RUNTIME_DIR is a directory of ours no one
else can enter (what systemd-logind makes, /run/user/UID); else ~/.cache/skillpass/agent, under
the user's own home: never a fixed name in /tmp, which another local user could create first.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

SOCKET_SUFFIX = ".sock"
LOCK_SUFFIX = ".lock"
NAME_CHARS = 16  # 64 bits of the home's hash: short, so the path fits sun_path (108 bytes)
MAX_SOCKET_PATH = 107  # sun_path is 108 bytes on Linux, with its terminating NUL


class UnsafeDirectory(Exception):
    """The agent directory exists but is not ours alone (another owner, or group/other access)."""

    def __init__(self, directory: Path, owner: int) -> None:
        super().__init__(str(directory))
        self.directory, self.owner = directory, owner

    def owner_name(self) -> str:
        import pwd

        try:
            return pwd.getpwuid(self.owner).pw_name
        except KeyError:
            return f"uid {self.owner}"


class PathTooLong(Exception):
    """The socket path would not fit in sun_path."""


def runtime_dir(environ: dict[str, str] | None = None) -> Path:
    """$XDG_RUNTIME_DIR/skillpass when that variable names a private directory of ours, else
    ~/.cache/skillpass/agent."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_RUNTIME_DIR", "")
    if base and _is_private(Path(base)):
        return Path(base) / "skillpass"
    return fallback_dir(env)


def fallback_dir(environ: dict[str, str] | os._Environ[str]) -> Path:
    home = environ.get("HOME") or os.path.expanduser("~")
    return Path(home) / ".cache" / "skillpass" / "agent"


def socket_path(home: Path, environ: dict[str, str] | None = None) -> Path:
    return runtime_dir(environ) / f"{_digest(home)}{SOCKET_SUFFIX}"


def lock_path(home: Path, environ: dict[str, str] | None = None) -> Path:
    """The file `unlock` holds an flock on while it replaces the agent of `home`."""
    return runtime_dir(environ) / f"{_digest(home)}{LOCK_SUFFIX}"


def check_length(path: Path) -> None:
    # a temporary name beside it (server.bind) is longer by ".PID.tmp": counted here too
    if len(os.fsencode(str(path))) + 16 > MAX_SOCKET_PATH:
        raise PathTooLong(str(path))


def ensure_private(directory: Path) -> None:
    """Create `directory` 0700 (its missing parents too, 0700), or accept it only when it is a
    real directory of ours that no one else can enter (what tmux and ssh-agent check);
    UnsafeDirectory otherwise."""
    try:
        os.makedirs(directory.parent, 0o700, exist_ok=True)
        os.mkdir(directory, 0o700)
    except FileExistsError:
        pass
    check_private(directory)


def check_private(directory: Path) -> None:
    info = os.lstat(directory)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise UnsafeDirectory(directory, info.st_uid)


def _is_private(directory: Path) -> bool:
    try:
        check_private(directory)
    except (OSError, UnsafeDirectory):
        return False
    return True


def _digest(home: Path) -> str:
    return hashlib.sha256(os.fsencode(str(home.resolve()))).hexdigest()[:NAME_CHARS]
