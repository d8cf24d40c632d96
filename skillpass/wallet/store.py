"""The wallet database: one SQLite file holding a header and sealed records, nothing in clear.

WAL journal, `synchronous=FULL`, writes in `BEGIN IMMEDIATE` transactions and a busy timeout, so
concurrent commands wait for each other and a killed process leaves the state before or after
its transaction. Only ciphertext and opaque ids ever reach SQL, so the -wal and -shm files hold
nothing readable either.
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from skillpass.errors import BusyError, FileError, WalletLockedError

SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 30_000
NOTICE_AFTER_MS = 1_000  # a write kept waiting this long says why on a terminal, then waits on

# Each entry upgrades the schema from version N-1 to N; a new version appends one entry.
MIGRATIONS: dict[int, list[str]] = {
    1: [
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE records (kind TEXT NOT NULL, id TEXT NOT NULL, body BLOB NOT NULL,"
        " PRIMARY KEY (kind, id))",
    ],
}


class Store:
    """Raw access to the header and to sealed record blobs. Knows nothing of keys or formats."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path
        # opened read-only (_target), or a database file SQLite can only read
        self.read_only = not (os.access(path.parent, os.W_OK) and os.access(path, os.W_OK))

    @classmethod
    def create(cls, path: Path, header: dict[str, Any]) -> Store:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        except OSError as exc:
            raise _busy_or_damaged(sqlite3.OperationalError(_SQLITE_WORDS.get(exc.errno, "disk I/O error")),
                                   path) from None
        os.close(fd)
        store = cls(_connect(path), path)
        try:
            store._execute("PRAGMA journal_mode=WAL")
            with store.transaction():
                store._migrate(0)
                store._put_meta("header", json.dumps(header))
        except BaseException:
            store.close()
            raise
        return store

    @classmethod
    def open(cls, path: Path) -> Store:
        if path.is_symlink():
            raise FileError(f"refusing to open a wallet through a symbolic link: {path}",
                            "point --home at the real directory")
        store = cls(_connect(path), path)
        try:
            version = store._schema_version()
        except sqlite3.DatabaseError:
            store.close()
            raise WalletLockedError() from None
        if version > SCHEMA_VERSION:
            store.close()
            raise FileError("this wallet was written by a newer skillpass",
                            "upgrade skillpass to open it")
        if version < SCHEMA_VERSION:
            with store.transaction():
                store._migrate(store._schema_version())
        return store

    def close(self) -> None:
        self._conn.close()

    def checkpoint(self) -> None:
        """Copy the whole WAL into the database file, or raise. A connection's close checkpoints
        too, but says nothing when that fails (a full disk): a wallet built under a temporary
        name is published as its database file alone, so what is still in the WAL would be lost
        and the file left half-written."""
        try:
            busy, frames, done = self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlite3.OperationalError as exc:
            raise _busy_or_damaged(exc, self.path) from None
        except sqlite3.DatabaseError:
            raise WalletLockedError() from None
        if busy or frames != done:  # (0, -1, -1): not in WAL mode, nothing to copy
            raise FileError("cannot finish writing the wallet; nothing was changed",
                            "check free disk space and run the command again")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self._begin_immediate()
        try:
            yield
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        try:
            self._conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            raise _busy_or_damaged(exc, self.path) from None

    def _begin_immediate(self) -> None:
        """BEGIN IMMEDIATE, waiting up to BUSY_TIMEOUT_MS for another command's write to end;
        after NOTICE_AFTER_MS a terminal is told what the command waits for (else a learner sees
        nothing happen for up to 30 s)."""
        try:
            self._busy_timeout(NOTICE_AFTER_MS)
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                error = _busy_or_damaged(exc, self.path)
                if not isinstance(error, BusyError):
                    raise error from None
            _say_waiting()
            self._busy_timeout(BUSY_TIMEOUT_MS - NOTICE_AFTER_MS)
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise _busy_or_damaged(exc, self.path) from None
        finally:
            self._busy_timeout(BUSY_TIMEOUT_MS)

    def _busy_timeout(self, milliseconds: int) -> None:
        self._execute(f"PRAGMA busy_timeout={int(milliseconds)}")

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads that all see the same state of the wallet (one read transaction: in WAL mode,
        writers of other commands go on meanwhile and are not seen)."""
        self._execute("BEGIN")
        try:
            yield
        finally:
            try:
                self._conn.execute("COMMIT")
            except sqlite3.Error:
                pass

    def header(self) -> dict[str, Any]:
        raw = self._get_meta("header")
        try:
            header = json.loads(raw) if raw is not None else None
        except (ValueError, RecursionError):
            header = None
        if not isinstance(header, dict) or header.get("format") != "skillpass-wallet":
            raise WalletLockedError()
        return header

    def put_header(self, header: dict[str, Any]) -> None:
        self._put_meta("header", json.dumps(header))

    def meta(self, key: str) -> str | None:
        return self._get_meta(key)

    def put_meta(self, key: str, value: str) -> None:
        self._put_meta(key, value)

    def delete_all_records(self) -> None:
        self._execute("DELETE FROM records")

    def put(self, kind: str, record_id: str, body: bytes) -> bool:
        """Insert a record unless one with the same kind and id exists; True when inserted."""
        cur = self._execute("INSERT OR IGNORE INTO records (kind, id, body) VALUES (?, ?, ?)",
                            (kind, record_id, body))
        return cur.rowcount == 1

    def replace(self, kind: str, record_id: str, body: bytes) -> None:
        self._execute("INSERT OR REPLACE INTO records (kind, id, body) VALUES (?, ?, ?)",
                      (kind, record_id, body))

    def get(self, kind: str, record_id: str) -> bytes | None:
        row = self._execute("SELECT body FROM records WHERE kind = ? AND id = ?",
                            (kind, record_id)).fetchone()
        return row[0] if row else None

    def delete(self, kind: str, record_id: str) -> bool:
        return self._execute("DELETE FROM records WHERE kind = ? AND id = ?",
                             (kind, record_id)).rowcount == 1

    def ids(self, kind: str, prefix: str = "") -> list[str]:
        pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = self._execute("SELECT id FROM records WHERE kind = ? AND id LIKE ? ESCAPE '\\'"
                             " ORDER BY rowid", (kind, pattern)).fetchall()
        return [r[0] for r in rows]

    def ids_without(self, kind: str, other: str) -> list[str]:
        """The ids of `kind` that no record of kind `other` has, in order (a lookup in the
        primary key each, not two lists of every id)."""
        rows = self._execute("SELECT id FROM records AS r WHERE kind = ? AND NOT EXISTS"
                             " (SELECT 1 FROM records WHERE kind = ? AND id = r.id) ORDER BY id",
                             (kind, other)).fetchall()
        return [r[0] for r in rows]

    def items(self, kind: str) -> list[tuple[str, bytes]]:
        return self._execute("SELECT id, body FROM records WHERE kind = ? ORDER BY rowid",
                             (kind,)).fetchall()

    def iter_items(self, kind: str, batch: int) -> Iterator[list[tuple[str, bytes]]]:
        """`items(kind)` in lists of at most `batch`, read as they are wanted: ten thousand
        sealed rows are never all in memory at once."""
        # A scan of the table in rowid order, not the (kind, id) index and a sort: the sort would
        # hold every body of the kind in memory (temp_store=MEMORY) before the first is returned.
        cursor = self._execute("SELECT id, body FROM records NOT INDEXED WHERE kind = ? ORDER BY rowid", (kind,))
        while True:
            try:
                found = cursor.fetchmany(batch)
            except sqlite3.OperationalError as exc:
                raise _busy_or_damaged(exc, self.path) from None
            except sqlite3.DatabaseError:
                raise WalletLockedError() from None
            if not found:
                return
            yield found

    def kinds(self) -> list[str]:
        return [r[0] for r in self._execute("SELECT DISTINCT kind FROM records ORDER BY kind").fetchall()]

    def integrity_ok(self) -> bool:
        return self._execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    def _schema_version(self) -> int:
        if not self._execute("SELECT name FROM sqlite_master WHERE name = 'meta'").fetchone():
            raise WalletLockedError()
        raw = self._get_meta("schema_version")
        if raw is None or not raw.isdigit():
            raise WalletLockedError()
        return int(raw)

    def _migrate(self, current: int) -> None:
        for version in range(current + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[version]:
                self._execute(statement)
            self._put_meta("schema_version", str(version))

    def _get_meta(self, key: str) -> str | None:
        row = self._execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _put_meta(self, key: str, value: str) -> None:
        self._execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def _execute(self, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        try:
            return self._conn.execute(sql, params)
        except sqlite3.OperationalError as exc:
            raise _busy_or_damaged(exc, self.path) from None
        except sqlite3.DatabaseError:
            raise WalletLockedError() from None


def _connect(path: Path) -> sqlite3.Connection:
    try:
        target, uri = _target(path)
        conn = sqlite3.connect(target, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, uri=uri)
        for pragma in ("synchronous=FULL", f"busy_timeout={BUSY_TIMEOUT_MS}", "secure_delete=ON",
                       "temp_store=MEMORY", "foreign_keys=ON"):
            conn.execute(f"PRAGMA {pragma}")
    except sqlite3.OperationalError as exc:
        raise _busy_or_damaged(exc, path) from None
    except sqlite3.DatabaseError:
        raise WalletLockedError() from None
    return conn


def _target(path: Path) -> tuple[str, bool]:
    """What sqlite3.connect opens, and whether it is a URI: the file itself, or, in a home no one
    can write (a read-only file system, a directory without write permission), the file read-only.
    SQLite cannot make there the -shm index a WAL database needs even to be read: without a log
    to replay and no -shm index (a wallet every command closed cleanly), the file is opened
    immutable, read as it is; else read-only, which SQLite allows when the -wal and -shm files
    are there. An -shm index is what a live connection keeps (a home mounted read-only here and
    written elsewhere): immutable would read its pages as they change, without a lock. Either
    way list, show and passport work, and a write is the one read-only error (exit 13)."""
    if os.access(path.parent, os.W_OK):
        return str(path), False
    log = Path(f"{path}-wal")
    live = Path(f"{path}-shm").exists() or (log.exists() and log.stat().st_size)
    mode = "mode=ro" if live else "immutable=1"
    return f"{path.absolute().as_uri()}?{mode}", True


def _say_waiting() -> None:
    """On a terminal's stderr, one line saying what the command waits for (piped: nothing)."""
    try:
        terminal = sys.stderr.isatty()
    except (AttributeError, ValueError):
        terminal = False
    if terminal:
        from skillpass.render import note

        seconds = BUSY_TIMEOUT_MS // 1000
        note(f"waiting for another skillpass command using this wallet to finish (at most {seconds} s)...")
        sys.stderr.flush()


def _busy_or_damaged(exc: sqlite3.OperationalError, path: Path | None = None) -> Exception:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return BusyError("the wallet is busy: another skillpass command is still writing to it",
                         "wait for it to finish and run the command again")
    if "full" in text:
        return FileError("no space left to write the wallet; nothing was changed",
                         "free some space and run the command again")
    if "readonly" in text or "read-only" in text or (path is not None and _read_only(path)):
        return read_only_error()
    if "disk" in text or "unable to open" in text:
        if path is not None and _disk_full(path):
            # SQLite says "disk I/O error" when it cannot grow the -shm file it needs even to read
            # a WAL database: on a full disk, that is the learner's problem to solve, named as such
            return FileError("no space left to write the wallet; nothing was changed",
                             "free some space and run the command again")
        return FileError(f"cannot write the wallet: {exc}", "check free disk space and permissions")
    return WalletLockedError()


def read_only_error() -> FileError:
    return FileError("the wallet's home is on a read-only file system",
                     "make it writable, or copy the home elsewhere and use --home")


# What SQLite would have said of the same failure: one mapping (_busy_or_damaged) for both.
_SQLITE_WORDS = {errno.ENOSPC: "database or disk is full", errno.EDQUOT: "database or disk is full",
                 errno.EROFS: "attempt to write a readonly database"}


def _disk_full(path: Path) -> bool:
    """Less room left on the wallet's file system than SQLite needs to go on (its -shm index
    alone takes 32 KiB): what a failed write there most likely ran into."""
    try:
        info = os.statvfs(path.parent)
    except OSError:
        return False
    return info.f_bavail * info.f_frsize < _FULL_BELOW


_FULL_BELOW = 256 * 1024


def _read_only(path: Path) -> bool:
    try:
        return bool(os.statvfs(path.parent).f_flag & os.ST_RDONLY)
    except OSError:
        return False
