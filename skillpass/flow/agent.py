"""The key once per session: `unlock` opens the wallet (paying the KDF once) and hands its data
key to an agent (skillpass/agent/); `lock` ends it. Later commands find it by themselves
(wallet.open_wallet)."""

from __future__ import annotations

import re
import time
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from skillpass.errors import FileError, UsageError

if TYPE_CHECKING:
    from skillpass.flow.session import Session

DEFAULT_TIMEOUT = "15m"
MAX_TIMEOUT = 24 * 3600  # a day: past that, unlocking again is the smaller risk
_UNITS = {"s": 1, "m": 60, "h": 3600}
_DURATION = re.compile(r"(\d{1,6})([smh])")
_GONE_POLLS = 500  # an old agent removes its socket right after its reply; wait for it, bounded


def parse_timeout(text: str) -> int:
    """'30s', '15m', '2h', '1h30m' as seconds; at least 1 s, at most 24 h."""
    value = text.strip().lower()
    parts = _DURATION.findall(value)
    if not value or "".join(n + u for n, u in parts) != value:
        raise UsageError(f"not a duration: {text}", "write a number and s, m or h, e.g. --timeout 15m")
    seconds = sum(int(n) * _UNITS[u] for n, u in parts)
    if not 1 <= seconds <= MAX_TIMEOUT:
        raise UsageError(f"the timeout {text} is outside 1s to 24h", "choose a timeout between 1s and 24h")
    return seconds


def unlock(session: Session, timeout: int, now: datetime) -> dict[str, Any]:
    """Open the wallet as usual (never through a running agent: unlocking again proves the
    passphrase again), then replace any agent of this home by one holding the key for `timeout`."""
    from skillpass.agent import client, launcher, paths

    with session.open(use_agent=False) as wallet:
        wallet_id, data_key = wallet.wallet_id, wallet._data_key  # noqa: SLF001 - handed to the agent only
    replaced = client.lock(session.home)
    if replaced:
        _wait_gone(paths.socket_path(session.home))
    until = now.timestamp() + timeout
    try:
        started = launcher.start(session.home, wallet_id, data_key, until)
    except paths.UnsafeDirectory as exc:
        raise FileError(f"the agent directory {exc} is not private to you",
                        "remove it, or set XDG_RUNTIME_DIR to a directory only you can enter") from None
    except (launcher.AgentStartError, OSError) as exc:
        raise FileError(f"the unlock agent could not start: {exc}",
                        "give the passphrase to each command instead") from None
    return {"home": str(session.home), "wallet_id": wallet_id, "unlocked": True,
            "until": _utc(until), "timeout_seconds": timeout, "replaced": replaced,
            "socket": str(started.socket)}


def lock(session: Session) -> dict[str, Any]:
    from skillpass.agent import client, paths

    locked = client.lock(session.home)
    if locked:
        _wait_gone(paths.socket_path(session.home))
    return {"home": str(session.home), "locked": locked}


def unlock_status(session: Session) -> dict[str, Any]:
    from skillpass.agent import client

    held = client.status(session.home)
    until = held.get("until") if held else None
    if not isinstance(until, (int, float)) or isinstance(until, bool):
        return {"home": str(session.home), "unlocked": False, "until": None}
    return {"home": str(session.home), "unlocked": True, "until": _utc(until)}


def _utc(epoch: float) -> str:
    from skillpass.encoding.dates import format_utc

    return format_utc(datetime.fromtimestamp(epoch, timezone.utc))


def _wait_gone(path: Any) -> None:
    for _ in range(_GONE_POLLS):
        if not path.exists():
            return
        time.sleep(0.01)
