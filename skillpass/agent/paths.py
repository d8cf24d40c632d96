"""Where an agent's socket lives: one socket per wallet home, in a directory only we can use.

One agent per home (the name is a hash of the home's resolved path), not one per user keyed by
wallet id: a command finds its agent before reading the wallet, `lock` ends exactly the home it
names, and a throwaway home (tests, the demo) never meets the learner's own agent. The agent
still answers only for the wallet id it was given, and the key is checked against the wallet.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

SOCKET_SUFFIX = ".sock"
NAME_CHARS = 16  # 64 bits of the home's hash: short, so the path fits sun_path (108 bytes)


class UnsafeDirectory(Exception):
    """The runtime directory exists but is not ours alone (another owner, or group/other access)."""


def runtime_dir(environ: dict[str, str] | None = None) -> Path:
    """$XDG_RUNTIME_DIR/skillpass when the variable names a directory, else /tmp/skillpass-UID."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_RUNTIME_DIR", "")
    if base and os.path.isdir(base):
        return Path(base) / "skillpass"
    return Path("/tmp") / f"skillpass-{os.getuid()}"


def socket_path(home: Path, environ: dict[str, str] | None = None) -> Path:
    digest = hashlib.sha256(os.fsencode(str(home.resolve()))).hexdigest()[:NAME_CHARS]
    return runtime_dir(environ) / f"{digest}{SOCKET_SUFFIX}"


def ensure_private(directory: Path) -> None:
    """Create `directory` 0700, or accept it only when it is a real directory of ours that no one
    else can enter (what tmux and ssh-agent check); UnsafeDirectory otherwise."""
    try:
        os.mkdir(directory, 0o700)
    except FileExistsError:
        pass
    check_private(directory)


def check_private(directory: Path) -> None:
    info = os.lstat(directory)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise UnsafeDirectory(str(directory))
