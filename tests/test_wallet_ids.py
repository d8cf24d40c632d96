"""Record ids say nothing without the wallet's key, survive a restore, and old wallets are
rekeyed once."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from conftest import PASSPHRASE, add_credentials, sample_credential, sources, store_credential
from skillpass.wallet import ids
from skillpass.wallet.unlock import Passphrase
from skillpass.wallet.wallet import create_wallet, open_wallet


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    create_wallet(path, passphrase=Passphrase(PASSPHRASE.encode()), use_keyring=False).close()
    return path


def _stored_ids(home: Path) -> set[str]:
    with sqlite3.connect(home / "wallet.db") as conn:
        return {row[0] for row in conn.execute("SELECT id FROM records")}


def test_no_stored_id_is_a_hash_anyone_could_compute(home: Path) -> None:
    credential = sample_credential("Welding", 1)
    raw = json.dumps(credential, indent=2).encode()
    with open_wallet(home, sources()) as wallet:
        cid = store_credential(wallet, credential)
        dids = [key.did for key in wallet.holder_keys()]
        wallet.put_json("share", ids.random_id(), {"when": "2026-11-30T10:00:00Z", "credentials": []})

    guessable = {hashlib.sha256(v).hexdigest()[:16] for v in [raw, *(d.encode() for d in dids)]}
    stored = _stored_ids(home)
    assert cid in stored and not stored & guessable
    assert not any(i.startswith("000") and "-" in i for i in stored)  # no time-based share id


def test_ids_are_keyed_per_wallet_and_stable_within_it(home: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    create_wallet(other, passphrase=Passphrase(PASSPHRASE.encode()), use_keyring=False).close()
    credential = sample_credential("Welding", 1)

    with open_wallet(home, sources()) as wallet:
        first = store_credential(wallet, credential)
    with open_wallet(home, sources()) as wallet:
        again = wallet.has_credential(json.dumps(credential, indent=2).encode())
    with open_wallet(other, sources()) as wallet:
        elsewhere = store_credential(wallet, credential)

    assert first == again and first != elsewhere


def _make_it_old(home: Path) -> dict[str, str]:
    """Rewrite a wallet as skillpass wrote it before keyed ids: sha256 ids, no id key, no meta,
    time-based share ids. Returns old credential id -> its title."""
    with open_wallet(home, sources()) as wallet:
        cipher, store = wallet._cipher, wallet._store  # noqa: SLF001 - building a legacy file
        records = [(k, r, cipher.open(k, r, b)) for k in store.kinds() for r, b in store.items(k)]
        titles: dict[str, str] = {}
        with store.transaction():
            store.delete_all_records()
            store._execute("DELETE FROM meta WHERE key = 'record_ids'")  # noqa: SLF001
            by_credential = {rid: hashlib.sha256(p).hexdigest()[:16] for k, rid, p in records
                             if k == "credential"}
            for kind, rid, plain in records:
                if kind in ("idkey", "alias"):
                    continue
                old = {"credential": by_credential.get(rid), "entry": by_credential.get(rid),
                       "row": by_credential.get(rid)}.get(kind)
                if kind == "key":
                    old = hashlib.sha256(json.loads(plain)["did"].encode()).hexdigest()[:16]
                if kind == "share":
                    old = "001764496800000-abcd1234"
                old = old or rid
                if kind == "entry":
                    titles[old] = json.loads(plain)["summary"]["title"]
                    alias = json.loads(plain).get("alias")
                    if alias:
                        blind = cipher.blind_id(alias)
                        store.put("alias", blind, cipher.seal("alias", blind, json.dumps(old).encode()))
                store.put(kind, old, cipher.seal(kind, old, plain))
    return titles


def test_an_old_wallet_is_rekeyed_once_and_loses_nothing(home: Path) -> None:
    add_credentials(home, 3)
    with open_wallet(home, sources()) as wallet:
        wallet.put_json("share", ids.random_id(), {"when": "2026-11-30T10:00:00Z", "credentials": []})
        before = sorted(json.dumps(e["summary"], sort_keys=True) for _, e in wallet.entries())
        dids = sorted(key.did for key in wallet.holder_keys())
    titles = _make_it_old(home)
    old_ids = _stored_ids(home)

    with open_wallet(home, sources()) as wallet:
        after = sorted(json.dumps(e["summary"], sort_keys=True) for _, e in wallet.entries())
        assert sorted(key.did for key in wallet.holder_keys()) == dids
        assert len(wallet.items_json("share")) == 1
    new_ids = _stored_ids(home)
    with open_wallet(home, sources()) as wallet:  # a second open changes nothing
        assert _stored_ids(home) == new_ids
        for cid, _ in wallet.entries():
            wallet.credential(cid)

    assert after == before and len(titles) == 3
    assert not (set(titles) | {"001764496800000-abcd1234"}) & new_ids
    assert old_ids != new_ids
