"""Nothing readable on disk; any damage or swap is the one opaque error, never wrong data."""

from __future__ import annotations

import base64
import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from conftest import PASSPHRASE, add_credentials, sample_credential, sources, store_credential
from skillpass.errors import WalletLockedError
from skillpass.wallet import vault
from skillpass.wallet.unlock import Passphrase
from skillpass.wallet.wallet import create_wallet, open_wallet

MARKER = "SKP-CANARY-5d1e9b7c2a"


def _forms(marker: str) -> list[bytes]:
    raw = marker.encode()
    return [raw, raw.hex().encode(), raw.hex().upper().encode(), base64.b64encode(raw),
            base64.urlsafe_b64encode(raw).rstrip(b"="), base64.b64encode(raw).rstrip(b"="),
            marker.encode("utf-16-le")]


def _hits(root: Path, marker: str) -> list[str]:
    found = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found += [f"{path.name}: {form!r}" for form in _forms(marker) if form in data]
    return found


@pytest.fixture
def wallet_dir(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    create_wallet(home, passphrase=Passphrase(PASSPHRASE.encode()), use_keyring=False).close()
    return home


def test_no_claim_issuer_or_key_material_readable_on_disk(wallet_dir: Path, tmp_path: Path) -> None:
    credential = sample_credential(MARKER)
    credential["issuer"]["name"] = MARKER + " College"
    with open_wallet(wallet_dir, sources()) as wallet:
        store_credential(wallet, credential)
        secrets = [k.secret_multibase for k in wallet.holder_keys()]
        # Scan while the connection is open, so the -wal and -shm files are there too.
        assert (wallet_dir / "wallet.db-wal").exists()
        assert _hits(wallet_dir, MARKER) == []
        for secret in secrets:
            assert _hits(wallet_dir, secret) == []
        from skillpass.wallet.backup import write_backup

        backup = tmp_path / "backup.json"
        write_backup(backup, wallet.wallet_id, wallet.export_records(), wallet.passphrase, "now")
    assert _hits(wallet_dir, MARKER) == []
    assert _hits(tmp_path, MARKER) == []  # the backup file included
    assert PASSPHRASE.encode() not in backup.read_bytes()


def _records(home: Path) -> list[tuple[int, str, str, bytes]]:
    with sqlite3.connect(home / "wallet.db") as conn:
        return conn.execute("SELECT rowid, kind, id, body FROM records ORDER BY rowid").fetchall()


def _set_body(home: Path, rowid: int, body: bytes) -> None:
    conn = sqlite3.connect(home / "wallet.db")
    with conn:
        conn.execute("UPDATE records SET body = ? WHERE rowid = ?", (body, rowid))
    conn.close()


def _read_everything(home: Path) -> None:
    with open_wallet(home, sources()) as wallet:
        wallet.holder_keys()
        for cid, _ in wallet.entries():
            wallet.credential(cid)


def test_flipping_any_single_byte_of_a_sealed_record_is_detected(wallet_dir: Path) -> None:
    add_credentials(wallet_dir, 1)
    rowid, kind, _, body = next(r for r in _records(wallet_dir) if r[1] == "entry")
    for position in range(len(body)):
        damaged = bytearray(body)
        damaged[position] ^= 0x01
        _set_body(wallet_dir, rowid, bytes(damaged))
        with pytest.raises(WalletLockedError):
            _read_everything(wallet_dir)
    _set_body(wallet_dir, rowid, body)
    _read_everything(wallet_dir)


def test_swapping_two_records_ciphertexts_is_detected(wallet_dir: Path) -> None:
    add_credentials(wallet_dir, 2)
    entries = [r for r in _records(wallet_dir) if r[1] == "entry"]
    (row_a, _, _, body_a), (row_b, _, _, body_b) = entries
    _set_body(wallet_dir, row_a, body_b)
    _set_body(wallet_dir, row_b, body_a)
    with pytest.raises(WalletLockedError):
        _read_everything(wallet_dir)


def test_a_record_moved_to_another_kind_does_not_decrypt(wallet_dir: Path) -> None:
    add_credentials(wallet_dir, 1)
    records = _records(wallet_dir)
    credential_body = next(r[3] for r in records if r[1] == "credential")
    entry_row = next(r[0] for r in records if r[1] == "entry")
    _set_body(wallet_dir, entry_row, credential_body)
    with pytest.raises(WalletLockedError):
        _read_everything(wallet_dir)


def _header(home: Path) -> dict:
    with sqlite3.connect(home / "wallet.db") as conn:
        return json.loads(conn.execute("SELECT value FROM meta WHERE key='header'").fetchone()[0])


def _put_header(home: Path, header: dict) -> None:
    conn = sqlite3.connect(home / "wallet.db")
    with conn:
        conn.execute("UPDATE meta SET value = ? WHERE key='header'", (json.dumps(header),))
    conn.close()


def test_kdf_parameters_above_the_ceiling_are_refused_before_the_kdf_runs(wallet_dir: Path,
                                                                          monkeypatch) -> None:
    monkeypatch.setattr(vault, "KDF_LIMITS", vault.KdfLimits())  # the production bounds
    header = _header(wallet_dir)
    header["slots"][0]["kdf"].update(m=4 * 1024 * 1024, t=40)
    _put_header(wallet_dir, header)
    derived = []
    monkeypatch.setattr(vault, "Argon2id", lambda **cost: derived.append(cost))  # the KDF itself
    with pytest.raises(WalletLockedError):
        open_wallet(wallet_dir, sources())
    assert derived == []


def test_kdf_parameters_below_the_owasp_floor_are_refused(wallet_dir: Path, monkeypatch) -> None:
    monkeypatch.setattr(vault, "KDF_LIMITS", vault.KdfLimits())
    with pytest.raises(WalletLockedError):
        vault.derive_passphrase_kek(b"x", b"0" * 16, vault.KdfParams(memory_kib=8 * 1024, iterations=1))
    vault.KDF_LIMITS.check(vault.KdfParams())  # the defaults (64 MiB, t=3, p=4) pass
    assert vault.KdfParams() == vault.KdfParams(memory_kib=65536, iterations=3, lanes=4)


def test_an_altered_header_field_makes_the_wallet_refuse_to_open(wallet_dir: Path) -> None:
    header = _header(wallet_dir)
    header["slots"][0]["salt"] = header["slots"][0]["salt"][::-1]
    _put_header(wallet_dir, header)
    with pytest.raises(WalletLockedError):
        open_wallet(wallet_dir, sources())


def test_wrong_passphrase_is_the_same_error_as_damage(wallet_dir: Path) -> None:
    with pytest.raises(WalletLockedError) as wrong:
        open_wallet(wallet_dir, sources("not the passphrase"))
    (wallet_dir / "wallet.db").write_bytes(b"garbage" * 100)
    with pytest.raises(WalletLockedError) as damaged:
        open_wallet(wallet_dir, sources())
    assert str(wrong.value) == str(damaged.value) == "wrong passphrase or damaged wallet"


def test_home_is_0700_and_files_0600_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        home = tmp_path / "open-umask"
        create_wallet(home, passphrase=Passphrase(b"pw"), use_keyring=False).close()
        with open_wallet(home, sources("pw")) as wallet:
            credential = sample_credential()
            store_credential(wallet, credential)
    finally:
        os.umask(old)
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    files = list(home.iterdir())
    assert files
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_a_newer_schema_is_refused_with_a_clear_message(wallet_dir: Path) -> None:
    conn = sqlite3.connect(wallet_dir / "wallet.db")
    with conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.close()
    from skillpass.errors import FileError

    with pytest.raises(FileError, match="newer skillpass"):
        open_wallet(wallet_dir, sources())


def test_passphrase_change_rewraps_only_the_data_key(wallet_dir: Path) -> None:
    add_credentials(wallet_dir, 2)
    before = _records(wallet_dir)
    with open_wallet(wallet_dir, sources()) as wallet:
        wallet.change_passphrase(Passphrase(b"a new passphrase"))
    assert _records(wallet_dir) == before
    with pytest.raises(WalletLockedError):
        open_wallet(wallet_dir, sources())
    with open_wallet(wallet_dir, sources("a new passphrase")) as wallet:
        assert len(wallet.entries()) == 2


def test_a_missing_list_row_is_rebuilt_from_the_entry(wallet_dir: Path) -> None:
    from datetime import datetime, timezone

    from skillpass import flow

    [cid] = add_credentials(wallet_dir, 1, marker="Rebuilt")
    conn = sqlite3.connect(wallet_dir / "wallet.db")
    with conn:
        conn.execute("DELETE FROM records WHERE kind = 'row'")
    conn.close()
    rows = flow.list_credentials(flow.Session(wallet_dir, sources()), datetime.now(timezone.utc))
    assert [(r["id"], r["title"]) for r in rows] == [(cid, "Rebuilt 0")]
    with open_wallet(wallet_dir, sources()) as wallet:
        assert wallet.credentials_without_row() == []
