"""The unlocked wallet: create, open, and every read and write of sealed records.

Record kinds: `credential` (the bytes exactly as received), `entry` (the derived summary, format
and verification result behind `list` and `show`), `key` (holder keys), and later kinds added by
other features through `put_json`/`get_json`. A credential and its entry are written in one
transaction, so a killed process leaves both or neither.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skillpass.bulk import collector_paused
from skillpass.encoding import json_read
from skillpass.errors import (BusyError, NoPassphraseError, NoWalletError, NotFoundError, UsageError,
                              WalletExistsError, WalletLockedError)
from skillpass.wallet import home as homes
from skillpass.wallet import ids, vault
from skillpass.wallet import slots as key_slots
from skillpass.wallet.keys import HOLDER_KEY_TYPES, HolderKey, generate_holder_key
from skillpass.wallet.store import Store
from skillpass.wallet.unlock import Passphrase, SecretSources, keyring_forget, keyring_set

FORMAT = "skillpass-wallet"
VERSION = 1
CREDENTIAL, ENTRY, ROW, KEY, ALIAS = "credential", "entry", "row", "key", "alias"
ROW_BATCH = 500  # rows decrypted and parsed at a time: a few hundred KB


def utc_now() -> str:
    from skillpass.encoding.dates import format_utc

    return format_utc()


@dataclass(frozen=True)
class StoredCredential:
    id: str
    raw: bytes
    entry: dict[str, Any]


@dataclass(frozen=True)
class AddResult:
    id: str
    added: bool


class Wallet:
    def __init__(self, store: Store, header: dict[str, Any], data_key: bytes,
                 passphrase: Passphrase | None) -> None:
        self._store = store
        self._data_key = data_key  # kept only to rewrap it under a new passphrase
        self._cipher = vault.RecordCipher(data_key, str(header["wallet_id"]))
        self.header = header
        self.passphrase = passphrase  # what unlocked it, when a passphrase did (backup reuses it)
        self._ids: bytes | None = None  # the id key, read on first use

    def __enter__(self) -> Wallet:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._store.close()
        homes.restrict_files(self._store.path.parent)

    @property
    def wallet_id(self) -> str:
        return str(self.header["wallet_id"])

    @property
    def uses_keyring(self) -> bool:
        return any(slot["type"] == "keyring" for slot in self.header["slots"])

    def record_id(self, kind: str, value: bytes | str) -> str:
        """The keyed id of the record of `kind` holding or named by `value` (wallet/ids.py)."""
        return ids.keyed_id(self._id_key(), kind, value)

    def _id_key(self) -> bytes:
        if self._ids is None:
            body = self._store.get(ids.ID_KEY, ids.ID_KEY_RECORD)
            if body is None:
                raise WalletLockedError()  # a keyed wallet without its id key is damaged
            self._ids = self._cipher.open(ids.ID_KEY, ids.ID_KEY_RECORD, body)
        return self._ids

    def _put_id_key(self, key: bytes) -> None:
        self._store.replace(ids.ID_KEY, ids.ID_KEY_RECORD,
                            self._cipher.seal(ids.ID_KEY, ids.ID_KEY_RECORD, key))
        self._ids = key

    def adopt_id_key(self, records: list[tuple[str, str, bytes]]) -> None:
        """Take the id key a backup carries (restoring into a new home keeps the wallet's ids)."""
        for kind, _, plaintext in records:
            if kind == ids.ID_KEY and len(plaintext) == vault.KEY_SIZE:
                with self._store.transaction():
                    self._put_id_key(plaintext)

    # -- credentials -------------------------------------------------------------------------

    def add_credential(self, raw: bytes, entry: dict[str, Any], row: dict[str, Any],
                       alias: str | None = None) -> AddResult:
        """Store a credential, its full entry (for `show`) and its compact row (for `list`); not
        when the same bytes, or the same `alias` (issuer and credential id), are already here.
        The alias is kept only as a blind index."""
        cid = self.record_id(CREDENTIAL, raw)
        with self._store.transaction():
            if alias is not None:
                existing = self._find_alias(alias)
                if existing is not None:
                    return AddResult(existing, False)
            if not self._store.put(CREDENTIAL, cid, self._cipher.seal(CREDENTIAL, cid, raw)):
                return AddResult(cid, False)
            self._store.put(ENTRY, cid, self._seal_json(ENTRY, cid, entry))
            self._store.put(ROW, cid, self._seal_json(ROW, cid, row))
            if alias is not None:
                self._put_alias(alias, cid)
        return AddResult(cid, True)

    def _put_alias(self, alias: str, cid: str) -> None:
        blind = self._cipher.blind_id(alias)
        self._store.replace(ALIAS, blind, self._seal_json(ALIAS, blind, cid))

    def _find_alias(self, alias: str) -> str | None:
        blind = self._cipher.blind_id(alias)
        body = self._store.get(ALIAS, blind)
        if body is None:
            return None
        cid = self._open_json(ALIAS, blind, body)
        return cid if self._store.get(CREDENTIAL, cid) is not None else None

    def has_credential(self, raw: bytes) -> str | None:
        cid = self.record_id(CREDENTIAL, raw)
        return cid if self._store.get(CREDENTIAL, cid) is not None else None

    def entries(self) -> list[tuple[str, dict[str, Any]]]:
        return [(rid, self._open_json(ENTRY, rid, body)) for rid, body in self._store.items(ENTRY)]

    @collector_paused
    def rows(self) -> list[tuple[str, dict[str, Any]]]:
        return list(self.iter_rows())

    def iter_rows(self, batch: int = ROW_BATCH) -> Iterator[tuple[str, dict[str, Any]]]:
        """Every credential's list row, in the order they were written, read and decrypted
        `batch` at a time (`list` and `passport` turn each into what they show as it comes)."""
        for items in self._store.iter_items(ROW, batch):
            # One parse of a batch, as one array: the parser shares each key among the batch's
            # rows, and one call costs less than hundreds. Each sealed row is one JSON object
            # (_seal_json wrote it; the AEAD tag proves it), so the array has one item per row.
            array = bytearray(b"[")
            for n, (rid, body) in enumerate(items):
                if n:
                    array += b","
                array += self._cipher.open(ROW, rid, body)
            array += b"]"
            try:
                values = json_read.loads(array)  # orjson where installed: half of json.loads's time
            except ValueError:
                raise WalletLockedError() from None
            if len(values) != len(items):
                raise WalletLockedError()
            yield from zip((rid for rid, _ in items), values)

    def credentials_without_row(self) -> list[str]:
        """Credentials whose list row is missing (a wallet written before rows existed)."""
        return self._store.ids_without(CREDENTIAL, ROW)

    def resolve_id(self, prefix: str) -> str:
        text = prefix.strip().lower()
        if not text or any(c not in "0123456789abcdef" for c in text):
            raise UsageError(f"not a credential id: {prefix!r}",
                             "use the id (or its first characters) shown by 'skillpass list'")
        matches = self._store.ids(CREDENTIAL, text)
        if not matches:
            raise NotFoundError(f"no credential with id {prefix}",
                                "run 'skillpass list' to see the ids")
        if len(matches) > 1:
            raise NotFoundError(f"the id prefix {prefix} matches {len(matches)} credentials",
                                "type more characters of the id", code="E_AMBIGUOUS")
        return matches[0]

    def credential(self, prefix: str) -> StoredCredential:
        cid = self.resolve_id(prefix)
        raw_body, entry_body = self._store.get(CREDENTIAL, cid), self._store.get(ENTRY, cid)
        if raw_body is None or entry_body is None:
            raise WalletLockedError()
        return StoredCredential(cid, self._cipher.open(CREDENTIAL, cid, raw_body),
                                self._open_json(ENTRY, cid, entry_body))

    def require_writable(self) -> None:
        """The read-only error (wallet/store.py) before a command does what it could not keep a
        record of: a share delivered to a file or a verifier and then missing from the history."""
        if self._store.read_only:
            from skillpass.wallet.store import read_only_error

            raise read_only_error()

    def replace_derived(self, cid: str, entry: dict[str, Any], row: dict[str, Any]) -> None:
        """Write a credential's entry and row again (derived data, rebuilt by a newer skillpass).
        A wallet opened read-only (wallet/store.py) keeps what it has: the command reads on with
        what is stored (list, passport) or derived in memory (show), and the rows are derived and
        written again once the home is writable."""
        if self._store.read_only:
            return
        with self._store.transaction():
            if self._store.get(CREDENTIAL, cid) is None:
                return
            self._store.replace(ENTRY, cid, self._seal_json(ENTRY, cid, entry))
            self._store.replace(ROW, cid, self._seal_json(ROW, cid, row))

    def remove(self, cid: str) -> None:
        with self._store.transaction():
            for kind in (CREDENTIAL, ENTRY, ROW):
                self._store.delete(kind, cid)

    # -- holder keys -------------------------------------------------------------------------

    def holder_keys(self) -> list[HolderKey]:
        return [HolderKey.from_json(self._cipher.open(KEY, rid, body))
                for rid, body in self._store.items(KEY)]

    def _add_holder_key(self, key: HolderKey) -> bool:
        rid = self.record_id(KEY, key.did)
        return self._store.put(KEY, rid, self._cipher.seal(KEY, rid, key.to_json()))

    # -- generic sealed records (contexts, DID documents, history, trust...) -----------------

    def put_json(self, kind: str, record_id: str, value: Any, *, replace: bool = False) -> bool:
        body = self._seal_json(kind, record_id, value)
        with self._store.transaction():
            if replace:
                self._store.replace(kind, record_id, body)
                return True
            return self._store.put(kind, record_id, body)

    def get_json(self, kind: str, record_id: str) -> Any | None:
        body = self._store.get(kind, record_id)
        return None if body is None else self._open_json(kind, record_id, body)

    def items_json(self, kind: str) -> list[tuple[str, Any]]:
        return [(rid, self._open_json(kind, rid, body)) for rid, body in self._store.items(kind)]

    def delete_record(self, kind: str, record_id: str) -> bool:
        with self._store.transaction():
            return self._store.delete(kind, record_id)

    # -- whole-wallet operations -------------------------------------------------------------

    def export_records(self) -> Iterator[tuple[str, str, bytes]]:
        """Every record in plaintext, for the backup writer (which seals them again at once).
        Blind-index aliases are keyed to this wallet's data key: they are rebuilt on import. One
        snapshot: an import or remove running meanwhile is in the backup whole or not at all."""
        with self._store.snapshot():
            for kind in self._store.kinds():
                if kind == ALIAS:
                    continue
                for rid, body in self._store.items(kind):
                    yield kind, rid, self._cipher.open(kind, rid, body)

    def import_records(self, records: Iterable[tuple[str, str, bytes]]) -> dict[str, int]:
        """Add records that are not already here, in one transaction, under this wallet's ids
        (another wallet's ids are keyed by its own data key). Returns counts per kind."""
        added: dict[str, int] = {}
        with self._store.transaction():
            for kind, rid, plaintext in ids.remap(records, self.record_id):
                if not self._store.put(kind, rid, self._cipher.seal(kind, rid, plaintext)):
                    continue
                added[kind] = added.get(kind, 0) + 1
                self._index_alias(kind, rid, plaintext)
        return added

    def _index_alias(self, kind: str, rid: str, plaintext: bytes) -> None:
        if kind == ENTRY and json.loads(plaintext).get("alias"):
            self._put_alias(json.loads(plaintext)["alias"], rid)

    def rekey_if_needed(self) -> None:
        """Give every record its keyed id, once, in one transaction (wallet/ids.py)."""
        if self._store.meta("record_ids") == ids.SCHEME:
            return
        with self._store.transaction():
            if self._store.meta("record_ids") == ids.SCHEME:
                return  # another process did it while this one waited
            records = [(kind, rid, self._cipher.open(kind, rid, body))
                       for kind in self._store.kinds() for rid, body in self._store.items(kind)]
            self._store.delete_all_records()
            self._put_id_key(vault.random_key())
            for kind, rid, plaintext in ids.remap(records, self.record_id):
                rid = ids.random_id() if kind == "share" else rid
                self._store.put(kind, rid, self._cipher.seal(kind, rid, plaintext))
                self._index_alias(kind, rid, plaintext)
            self._store.put_meta("record_ids", ids.SCHEME)

    def change_passphrase(self, new: Passphrase) -> None:
        """Rewrap the data key under a new passphrase; record ciphertexts stay as they are."""
        data_key = self._data_key
        slots = [s for s in self.header["slots"] if s["type"] != "passphrase"]
        header = dict(self.header, slots=slots)
        header["slots"] = [key_slots.passphrase_slot(header, data_key, new)] + slots
        with self._store.transaction():
            if self._store.header() != self.header:
                # another command changed it since this one opened the wallet: writing on would
                # silently undo that change, and the passphrase it set would no longer open it
                raise BusyError("the wallet's passphrase was changed by another command meanwhile; "
                                "nothing was changed", "run the command again")
            self._store.put_header(header)
        self.header, self.passphrase = header, new

    def integrity_ok(self) -> bool:
        return self._store.integrity_ok()

    def _seal_json(self, kind: str, record_id: str, value: Any) -> bytes:
        data = json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()
        return self._cipher.seal(kind, record_id, data)

    def _open_json(self, kind: str, record_id: str, body: bytes) -> Any:
        try:
            return json.loads(self._cipher.open(kind, record_id, body))
        except ValueError:
            raise WalletLockedError() from None


# -- creating and opening ----------------------------------------------------------------------


def create_wallet(home: Path, *, passphrase: Passphrase | None, use_keyring: bool,
                  wallet_id: str | None = None, with_keys: bool = True,
                  populate: Callable[[Wallet], None] | None = None) -> Wallet:
    """A new wallet in `home`, built whole under a temporary name (holder keys, then whatever
    `populate` adds: a restore's records) and only then linked into place as wallet.db, so a
    killed init or restore leaves no wallet rather than half of one. Returns it open."""
    homes.ensure_private_dir(home)
    path = homes.db_path(home)
    homes.clear_incomplete(home)
    if path.exists() or path.is_symlink():
        raise WalletExistsError(f"a wallet already exists in {home}",
                                "use it as it is, or choose another --home")
    if passphrase is None and not use_keyring:
        raise NoPassphraseError("a new wallet needs a passphrase or --keyring",
                                "use --passphrase-file FILE, SKILLPASS_PASSPHRASE, or --keyring")
    import uuid  # only a new wallet needs it: not imported by every command that opens one

    header: dict[str, Any] = {"format": FORMAT, "version": VERSION,
                              "wallet_id": wallet_id or uuid.uuid4().hex, "slots": []}
    data_key = vault.random_key()
    if use_keyring:
        secret = vault.random_key()
        keyring_set(header["wallet_id"], secret)
        header["slots"].append(key_slots.keyring_slot(header, data_key, secret))
    if passphrase is not None:
        header["slots"].insert(0, key_slots.passphrase_slot(header, data_key, passphrase))
    staging = homes.staging_path(home)
    try:
        _build(Wallet(Store.create(staging, header), header, data_key, passphrase), with_keys, populate)
        homes.publish(staging, path)
    except BaseException as exc:
        if use_keyring:  # the key of a wallet that will not exist
            keyring_forget(header["wallet_id"])
        if isinstance(exc, FileExistsError):
            raise WalletExistsError(f"a wallet already exists in {home}",
                                    "use it as it is, or choose another --home") from None
        raise
    finally:
        homes.discard(staging)
    homes.restrict_files(home)
    return Wallet(Store.open(path), header, data_key, passphrase)


def _build(wallet: Wallet, with_keys: bool, populate: Callable[[Wallet], None] | None) -> None:
    try:
        with wallet._store.transaction():  # noqa: SLF001 - the wallet's own construction
            wallet._store.put_meta("record_ids", ids.SCHEME)  # noqa: SLF001
            wallet._put_id_key(vault.random_key())  # noqa: SLF001
            if with_keys:
                created = utc_now()
                for key_type in HOLDER_KEY_TYPES:
                    wallet._add_holder_key(generate_holder_key(key_type, created))  # noqa: SLF001
        if populate is not None:
            populate(wallet)
        wallet._store.checkpoint()  # noqa: SLF001 - published without its WAL: all of it in the file
    finally:
        wallet._store.close()  # noqa: SLF001 - checkpoints the WAL into the file


def kept_counts(home: Path, kinds: tuple[str, ...]) -> dict[str, int]:
    """How many records of each kind the wallet in `home` keeps, read without unlocking it (the
    kinds and counts are not secret; the records are); zeros when there is no wallet."""
    homes.check_home(home)
    path = homes.db_path(home)
    if not path.exists() or homes.is_incomplete(path):
        return dict.fromkeys(kinds, 0)
    store = Store.open(path)
    try:
        return {kind: len(store.ids(kind)) for kind in kinds}
    finally:
        store.close()


def open_wallet(home: Path, sources: SecretSources, *, use_agent: bool = True) -> Wallet:
    """The wallet in `home`, unlocked by the agent of `skillpass unlock` when one holds its key
    and no passphrase is given (`use_agent=False`: a command that needs the passphrase itself),
    else as `sources` say."""
    homes.check_home(home)
    path = homes.db_path(home)
    if not path.exists():
        raise NoWalletError(f"no wallet in {home}", "create one with 'skillpass init'")
    if homes.is_incomplete(path):
        raise NoWalletError(f"the wallet in {home} was never finished (an interrupted init or "
                            "restore left an empty file)", "run 'skillpass init' (or the restore) again")
    homes.sweep_staging(home)
    store = Store.open(path)
    try:
        header = store.header()
        data_key = key_slots.agent_key(home, header, store, sources) if use_agent else None
        if data_key is not None:
            passphrase = None
        else:
            data_key, passphrase = key_slots.unwrap_data_key(header, sources)
        wallet = Wallet(store, header, data_key, passphrase)
        wallet.rekey_if_needed()
    except BaseException:
        store.close()
        raise
    return wallet
