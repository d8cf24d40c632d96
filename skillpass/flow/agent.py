"""The key once per session: `unlock` opens the wallet (paying the KDF once) and hands its data
key to an agent (skillpass/agent/); `lock` ends it. Later commands find it by themselves
(wallet.open_wallet)."""

from __future__ import annotations

import re
import time
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from skillpass.errors import BusyError, FileError, SkillpassError, UsageError

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
    passphrase again), then replace any agent of this home by one holding the key for `timeout`,
    under the home's flock (two unlocks at once run one after the other)."""
    from skillpass.agent import launcher, lockfile, paths

    with session.open(use_agent=False) as wallet:
        wallet_id, data_key = wallet.wallet_id, wallet._data_key  # noqa: SLF001 - handed to the agent only
    socket = paths.socket_path(session.home)
    until = now.timestamp() + timeout
    try:
        with lockfile.hold(session.home):
            replaced = _end_agent(session) != "none"
            started = launcher.start(session.home, wallet_id, data_key, until)
    except paths.UnsafeDirectory as exc:
        raise _unsafe(exc) from None
    except paths.PathTooLong:
        raise _start_error("path_too_long", session, socket) from None
    except lockfile.Busy:
        raise _start_error("busy", session, socket) from None
    except launcher.AgentStartError as exc:
        raise _start_error(exc.reason, session, socket) from None
    except OSError:
        raise _start_error("failed", session, socket) from None
    return {"home": str(session.home), "wallet_id": wallet_id, "unlocked": True,
            "until": _utc(until), "timeout_seconds": timeout, "replaced": replaced,
            "socket": str(started.socket)}


def lock(session: Session) -> dict[str, Any]:
    """End the agent of this home: asked to, or, when it does not answer, killed once /proc says
    it is our own skillpass agent; BusyError naming its pid otherwise."""
    from skillpass.agent import lockfile, paths

    where = paths.runtime_dir()
    try:
        with lockfile.hold(session.home):
            how, pid = _end_agent(session, with_pid=True)
    except paths.UnsafeDirectory as exc:
        raise _unsafe(exc) from None
    except lockfile.Busy:
        raise _start_error("busy", session, paths.socket_path(session.home)) from None
    except OSError:
        how, pid = "none", None  # no agent directory we could use: no agent there either
    return {"home": str(session.home), "locked": how != "none", "how": how, "pid": pid,
            "runtime_dir": str(where)}


def _end_agent(session: Session, with_pid: bool = False) -> Any:
    """'asked', 'killed' or 'none' (with the pid when `with_pid`); the caller holds the flock."""
    from skillpass.agent import client, paths

    outcome = client.lock(session.home)
    if outcome.state == "silent":
        raise BusyError(f"the unlock agent of the wallet in {session.home} (pid {outcome.pid}) does not answer",
                        f"end it with 'kill -9 {outcome.pid}', then try again")
    how = {"answered": "asked", "killed": "killed"}.get(outcome.state, "none")
    if how == "asked":
        _wait_gone(paths.socket_path(session.home))
    return (how, outcome.pid if how == "killed" else None) if with_pid else how


def unlock_status(session: Session) -> dict[str, Any]:
    """unlocked, locked (no agent), not_answering (a socket of ours, a listener that is silent),
    other_wallet (the agent holds the key of another wallet: this home was restored since)."""
    from skillpass.agent import client, paths

    outcome = client.status(session.home)
    result: dict[str, Any] = {"home": str(session.home), "unlocked": False, "until": None,
                              "state": "locked", "pid": None, "runtime_dir": str(paths.runtime_dir())}
    if outcome.state == "silent":
        result.update(state="not_answering", pid=outcome.pid)
        return result
    held = outcome.reply if outcome.state == "answered" else None
    until = held.get("until") if held else None
    if held is None or not isinstance(until, (int, float)) or isinstance(until, bool):
        return result
    if held.get("wallet_id") != _wallet_id(session):
        result.update(state="other_wallet", pid=outcome.pid)
        return result
    result.update(unlocked=True, until=_utc(until), state="unlocked")
    return result


def lock_ends(pid: int | None) -> bool:
    """Whether `lock` would end the silent listener `pid`: only skillpass's own agent, run by
    us, is killed; any other process listening on the socket is left for the learner to end."""
    from skillpass.agent import client

    return pid is not None and client.is_our_agent(pid)


def _wallet_id(session: Session) -> str | None:
    """The id in this home's wallet header (not secret: read without the passphrase)."""
    from skillpass.wallet import home as homes
    from skillpass.wallet.store import Store

    path = homes.db_path(session.home)
    if not path.exists():
        return None
    try:
        store = Store.open(path)
    except SkillpassError:
        return None
    try:
        wallet_id = store.header().get("wallet_id")
    except SkillpassError:
        wallet_id = None
    finally:
        store.close()
    return wallet_id if isinstance(wallet_id, str) else None


def _unsafe(exc: Any) -> FileError:
    return FileError(f"the agent directory {exc.directory} is not private to you (its owner is {exc.owner_name()})",
                     "remove it, or set XDG_RUNTIME_DIR to a directory only you can enter")


def _start_error(reason: str, session: Session, socket: Any) -> SkillpassError:
    """One line for each reason code the agent (or unlock itself) gives (launcher.REASONS)."""
    if reason == "path_too_long":
        return FileError(f"the unlock agent's socket path {socket} is too long for a Unix socket",
                         "set XDG_RUNTIME_DIR to a shorter directory")
    if reason == "busy":
        return BusyError(f"another unlock agent is being started for the wallet in {session.home}",
                         "another 'skillpass unlock' is running for this home: wait for it, then try again")
    if reason == "not_private":
        return FileError(f"the agent directory {socket.parent} is not private to you",
                         "remove it, or set XDG_RUNTIME_DIR to a directory only you can enter")
    if reason == "cannot_harden":
        return FileError("the unlock agent could not protect its memory from other processes",
                         "give the passphrase to each command instead")
    if reason == "cannot_bind":
        return FileError(f"the unlock agent could not listen on {socket}",
                         "check that the directory is yours and not full, or give the passphrase to each command")
    return FileError("the unlock agent could not start", "give the passphrase to each command instead")


def _utc(epoch: float) -> str:
    from skillpass.encoding.dates import format_utc

    return format_utc(datetime.fromtimestamp(epoch, timezone.utc))


def _wait_gone(path: Any) -> None:
    for _ in range(_GONE_POLLS):
        if not path.exists():
            return
        time.sleep(0.01)
