"""Record ids that say nothing to whoever holds the wallet file but not its key.

A record's id used to be the SHA-256 of what it holds (a credential's bytes, a DID, a context
URL) and a share's id its time: anyone with a copy of a credential could confirm that a stolen
wallet holds it. Ids are now HMAC-SHA-256 under the wallet's id key, a random secret kept as a
sealed record (kind `idkey`), with the record's kind as domain separation: stable for the
wallet, meaningless without its key. The id key travels in backups, so a wallet restored into a
new home keeps its ids (the ones `history` names); a backup merged into another wallet takes
that wallet's ids. The short ids a learner types are these, computed after unlock. A share gets
a random id. Wallets written before carry meta `record_ids` unset and are rekeyed once, in one
transaction, when they are first opened (Wallet.rekey_if_needed).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
SCHEME = "keyed-v1"
ID_LENGTH = 16  # hex characters, as before
ID_KEY, ID_KEY_RECORD = "idkey", "0"  # the record holding the id key
# What names a record of each kind, by its plaintext: its id is a keyed hash of that.
Namer = Callable[[bytes], str]
_JSON_FIELD = {"context": "url", "did": "id", "issuer": "issuer"}


def keyed_id(id_key: bytes, kind: str, value: bytes | str) -> str:
    """The id of the record of `kind` that holds (or is named by) `value`."""
    from cryptography.hazmat.primitives import hashes, hmac

    data = value.encode("utf-8") if isinstance(value, str) else value
    mac = hmac.HMAC(id_key, hashes.SHA256())
    mac.update(kind.encode("utf-8") + b"\n" + hashlib.sha256(data).digest())
    return mac.finalize().hex()[:ID_LENGTH]


def random_id() -> str:
    return os.urandom(ID_LENGTH // 2).hex()


def natural_name(kind: str, plaintext: bytes) -> bytes | str | None:
    """What a record's id is derived from, or None for kinds whose id is random or given."""
    if kind == "credential":
        return plaintext
    if kind == "key":
        return str(json.loads(plaintext)["did"])
    field = _JSON_FIELD.get(kind)
    if field is not None:
        return str(json.loads(plaintext)[field])
    return None


def remap(records: Iterable[tuple[str, str, bytes]],
          name_of: Callable[[str, bytes | str], str]) -> list[tuple[str, str, bytes]]:
    """`records` (kind, id, plaintext) under this wallet's ids: credentials, keys, contexts and
    DID documents by their content, a credential's entry and row with it, shares and other kinds
    as they are. Aliases are dropped (rebuilt from the entries), and so is another wallet's id
    key."""
    records = list(records)
    credentials = {rid: name_of("credential", plain) for kind, rid, plain in records
                   if kind == "credential"}
    out: list[tuple[str, str, bytes]] = []
    for kind, rid, plain in records:
        if kind in ("alias", ID_KEY):
            continue
        if kind in ("entry", "row"):
            new = credentials.get(rid)
            if new is None:
                continue  # derived data of a credential that is not there
        else:
            natural = natural_name(kind, plain)
            new = rid if natural is None else name_of(kind, natural)
        out.append((kind, new, plain))
    return out
