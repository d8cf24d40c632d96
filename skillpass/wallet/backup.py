"""Backup file: one JSON document, every record sealed under a key derived from a passphrase.

Format (version 1), documented in README ("Backup file format"):

    {"format": "skillpass-backup", "version": 1, "created": "<UTC time>",
     "kdf": {"alg": "argon2id", "m": <KiB>, "t": <iterations>, "p": <lanes>},
     "salt": "<base64url, 16 bytes>", "nonce": "<base64url, 12 bytes>",
     "ciphertext": "<base64url AES-256-GCM>"}

The key is Argon2id(passphrase, salt, kdf); the associated data is the canonical JSON (sorted
keys, no spaces) of every field but `nonce` and `ciphertext`, so the header cannot be altered.
The plaintext is JSON: {"wallet_id": "...", "records": [[kind, id, "<base64url bytes>"], ...]}.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from skillpass.errors import BadInputError, SkillpassError, WalletLockedError
from skillpass.files import read_limited, write_new_file
from skillpass.keys.multibase import b64url_decode, b64url_encode
from skillpass.wallet import vault
from skillpass.wallet.unlock import Passphrase

FORMAT = "skillpass-backup"
VERSION = 1
MAX_BACKUP_BYTES = 1 << 30
# The ciphertext holds no more than the file it is written in (base64url: 4 characters a 3 bytes).
_MAX_CIPHERTEXT_BYTES = MAX_BACKUP_BYTES * 3 // 4
Record = tuple[str, str, bytes]


def write_backup(path: Path, wallet_id: str, records: Iterable[Record], passphrase: Passphrase,
                 created: str, *, overwrite: bool = False) -> int:
    """Seal the records into `path` atomically (`-`: stdout, as restore reads `-` from stdin);
    returns the number of records written."""
    rows = [[kind, rid, b64url_encode(data)] for kind, rid, data in records]
    plaintext = json.dumps({"wallet_id": wallet_id, "records": rows}, separators=(",", ":")).encode()
    salt = os.urandom(16)
    header: dict[str, Any] = {"format": FORMAT, "version": VERSION, "created": created,
                              "kdf": vault.DEFAULT_KDF.to_dict(), "salt": b64url_encode(salt)}
    key = vault.derive_passphrase_kek(passphrase.value, salt, vault.DEFAULT_KDF)
    nonce, ciphertext = vault.seal_blob(key, plaintext, _aad(header))
    document = dict(header, nonce=b64url_encode(nonce), ciphertext=b64url_encode(ciphertext))
    data = json.dumps(document, indent=1).encode() + b"\n"
    if str(path) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        write_new_file(path, data, overwrite=overwrite)
    return len(rows)


def read_backup(path: Path, passphrase: Passphrase) -> tuple[str, list[Record]]:
    """Open a backup: (wallet id, records). A wrong passphrase or any damage: WalletLockedError."""
    header, nonce, ciphertext = _parse(_read(path))
    # The header is made canonical (the AAD) before the KDF runs: one that cannot be costs nothing.
    aad = _aad(header)
    params = vault.KdfParams.from_dict(header.get("kdf"))
    salt = _b64(header.get("salt"), vault.SALT_SIZE, "the backup's salt")
    key = vault.derive_passphrase_kek(passphrase.value, salt, params)
    plaintext = vault.open_blob(key, nonce, ciphertext, aad)
    try:
        payload = json.loads(plaintext)
        # A record can be no longer than the plaintext that holds it.
        records = [(_text(k), _text(i), b64url_decode(d, max_bytes=len(plaintext),
                                                       what="a record"))
                   for k, i, d in payload["records"]]
        return _text(payload["wallet_id"]), records
    except (ValueError, KeyError, TypeError, RecursionError, SkillpassError):
        raise WalletLockedError() from None


def _text(value: Any) -> str:
    # The plaintext is authenticated, so only a writer holding the passphrase could put anything
    # but strings here; still refused rather than turned into text with str().
    if not isinstance(value, str):
        raise TypeError("not a string")
    return value


def _aad(header: dict[str, Any]) -> bytes:
    try:
        return json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
    except (ValueError, RecursionError):  # a header json.loads took but cannot be written back
        raise WalletLockedError() from None


def _parse(data: bytes) -> tuple[dict[str, Any], bytes, bytes]:
    try:
        document = json.loads(data)
    except (ValueError, RecursionError):  # RecursionError: nesting deeper than the parser goes
        document = None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BadInputError("not a skillpass backup file",
                            "give the file written by 'skillpass backup'")
    version = document.get("version")
    if type(version) is not int or version != VERSION:
        # Only a number is named: a nested list would not print, a string could be megabytes.
        shown = f" {version}" if type(version) is int else ""
        raise BadInputError(f"unsupported backup version{shown}",
                            "restore it with the skillpass version that wrote it")
    header = {k: v for k, v in document.items() if k not in ("nonce", "ciphertext")}
    return (header, _b64(document.get("nonce"), vault.NONCE_SIZE, "the backup's nonce"),
            _b64(document.get("ciphertext"), _MAX_CIPHERTEXT_BYTES, "the backup's ciphertext"))


def _b64(value: Any, max_bytes: int, what: str) -> bytes:
    try:
        return b64url_decode(value, max_bytes=max_bytes, what=what)
    except SkillpassError:
        raise WalletLockedError() from None


def _read(path: Path) -> bytes:
    if str(path) == "-":  # stdin, as backup writes `-` to stdout
        data = sys.stdin.buffer.read(MAX_BACKUP_BYTES + 1)
        if len(data) > MAX_BACKUP_BYTES:
            raise BadInputError("stdin is over the size of a skillpass backup", "check what is piped in",
                                code="E_TOO_LARGE")
        return data
    return read_limited(path, MAX_BACKUP_BYTES, "a skillpass backup")
