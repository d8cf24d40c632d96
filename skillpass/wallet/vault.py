"""The only module that touches the wallet's secrets: key derivation, key wrapping, record sealing.

Envelope encryption: a random 256-bit data key seals every record with AES-256-GCM; the data
key itself is wrapped by a key-encryption key that comes either from the passphrase (Argon2id,
parameters in the header) or from a random secret kept in the OS keyring (through HKDF).
Every failure to open anything is the same opaque `WalletLockedError`.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from skillpass.errors import SkillpassError, WalletLockedError
from skillpass.keys.multibase import b64url_decode, b64url_encode

NONCE_SIZE = 12
KEY_SIZE = 32
SALT_SIZE = 16  # what every writer of a passphrase slot or backup draws
GCM_TAG_SIZE = 16
WRAPPED_KEY_SIZE = KEY_SIZE + GCM_TAG_SIZE
RECORD_AAD_PREFIX = b"skillpass record v1\0"


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost. `memory_kib` is in KiB, as RFC 9106 and cryptography count it."""

    memory_kib: int = 64 * 1024
    iterations: int = 3
    lanes: int = 4

    def to_dict(self) -> dict[str, Any]:
        return {"alg": "argon2id", "m": self.memory_kib, "t": self.iterations, "p": self.lanes}

    @classmethod
    def from_dict(cls, data: Any) -> KdfParams:
        try:
            if data["alg"] != "argon2id":
                raise WalletLockedError()
            m, t, p = data["m"], data["t"], data["p"]
        except (KeyError, TypeError):
            raise WalletLockedError() from None
        if not all(type(v) is int for v in (m, t, p)):
            raise WalletLockedError()
        return cls(memory_kib=m, iterations=t, lanes=p)


@dataclass(frozen=True)
class KdfLimits:
    """OWASP's Argon2id floor (19 MiB, t=2) and a ceiling checked before the KDF ever runs."""

    min_memory_kib: int = 19 * 1024
    min_iterations: int = 2
    max_memory_kib: int = 1024 * 1024
    max_iterations: int = 16
    max_lanes: int = 16

    def check(self, params: KdfParams) -> None:
        too_weak = params.memory_kib < self.min_memory_kib or params.iterations < self.min_iterations
        too_costly = (params.memory_kib > self.max_memory_kib or params.iterations > self.max_iterations
                      or params.lanes > self.max_lanes)
        if too_weak or too_costly or params.lanes < 1 or params.memory_kib < 8 * params.lanes:
            # A header asking for out-of-bounds work is a damaged header: same opaque error.
            raise WalletLockedError()


# The test seam: tests lower these in-process (see tests/cheap_kdf.py); no flag or variable reaches them.
DEFAULT_KDF = KdfParams()
KDF_LIMITS = KdfLimits()


def random_key() -> bytes:
    return os.urandom(KEY_SIZE)


def derive_passphrase_kek(passphrase: bytes, salt: bytes, params: KdfParams) -> bytes:
    KDF_LIMITS.check(params)
    if not isinstance(salt, bytes) or len(salt) != SALT_SIZE:
        # Argon2id refuses salts under 8 bytes (RFC 9106 section 3.1) with a ValueError; every
        # salt skillpass writes is 16, so anything else is a damaged header.
        raise WalletLockedError()
    kdf = Argon2id(salt=salt, length=KEY_SIZE, iterations=params.iterations,
                   lanes=params.lanes, memory_cost=params.memory_kib)
    return kdf.derive(passphrase)


def derive_keyring_kek(secret: bytes, wallet_id: str) -> bytes:
    # The keyring secret is already uniformly random; HKDF only separates it by purpose.
    hkdf = HKDF(algorithm=hashes.SHA256(), length=KEY_SIZE, salt=wallet_id.encode(),
                info=b"skillpass v1 kek")
    return hkdf.derive(secret)


def wrap_key(kek: bytes, data_key: bytes, aad: bytes) -> dict[str, str]:
    nonce = os.urandom(NONCE_SIZE)
    wrapped = AESGCM(kek).encrypt(nonce, data_key, aad)
    return {"nonce": b64url_encode(nonce), "wrapped": b64url_encode(wrapped)}


def unwrap_key(kek: bytes, slot: Any, aad: bytes) -> bytes:
    try:
        nonce = b64url_decode(slot["nonce"], max_bytes=NONCE_SIZE, what="the slot's nonce")
        wrapped = b64url_decode(slot["wrapped"], max_bytes=WRAPPED_KEY_SIZE, what="the wrapped key")
        data_key = AESGCM(kek).decrypt(nonce, wrapped, aad)
    except (InvalidTag, KeyError, TypeError, ValueError, SkillpassError):
        raise WalletLockedError() from None
    if len(data_key) != KEY_SIZE:
        raise WalletLockedError()
    return data_key


def header_aad(header: dict[str, Any]) -> bytes:
    """The header fields every key slot is bound to (format, version, wallet id)."""
    try:
        bound = {k: header[k] for k in ("format", "version", "wallet_id")}
    except (KeyError, TypeError):
        raise WalletLockedError() from None
    return _canonical(bound)


def slot_aad(header: dict[str, Any], slot: dict[str, Any]) -> bytes:
    """A slot's wrap also authenticates its own parameters (KDF cost, salt, keyring name)."""
    if not isinstance(slot, dict):
        raise WalletLockedError()
    params = {k: v for k, v in slot.items() if k not in ("nonce", "wrapped")}
    return header_aad(header) + _canonical(params)


def _canonical(value: dict[str, Any]) -> bytes:
    try:
        return json.dumps(value, sort_keys=True, separators=(",", ":")).encode()
    except (TypeError, ValueError, RecursionError):  # not what a JSON header can hold: damaged
        raise WalletLockedError() from None


def record_aad(wallet_id: str, kind: str, record_id: str) -> bytes:
    return RECORD_AAD_PREFIX + f"{wallet_id}\0{kind}\0{record_id}".encode()


class RecordCipher:
    """Seals and opens records under the unwrapped data key. Holds the key; never prints it."""

    __slots__ = ("_aead", "_index_key", "wallet_id")

    def __init__(self, data_key: bytes, wallet_id: str) -> None:
        self._aead = AESGCM(data_key)
        self._index_key = HKDF(algorithm=hashes.SHA256(), length=KEY_SIZE, salt=None,
                               info=b"skillpass v1 blind index").derive(data_key)
        self.wallet_id = wallet_id

    def blind_id(self, text: str) -> str:
        """A keyed hash for looking a value up without storing it: equal inputs, equal ids."""
        from cryptography.hazmat.primitives.hmac import HMAC

        mac = HMAC(self._index_key, hashes.SHA256())
        mac.update(text.encode())
        return mac.finalize()[:16].hex()

    def __repr__(self) -> str:
        return f"RecordCipher(wallet_id={self.wallet_id!r}, key=<redacted>)"

    def seal(self, kind: str, record_id: str, plaintext: bytes) -> bytes:
        nonce = os.urandom(NONCE_SIZE)
        return nonce + self._aead.encrypt(nonce, plaintext, record_aad(self.wallet_id, kind, record_id))

    def open(self, kind: str, record_id: str, blob: bytes) -> bytes:
        if not isinstance(blob, bytes) or len(blob) < NONCE_SIZE + 16:
            raise WalletLockedError()
        try:
            return self._aead.decrypt(blob[:NONCE_SIZE], blob[NONCE_SIZE:],
                                      record_aad(self.wallet_id, kind, record_id))
        except InvalidTag:
            raise WalletLockedError() from None


def seal_blob(key: bytes, plaintext: bytes, aad: bytes) -> tuple[bytes, bytes]:
    """One-shot AES-256-GCM for the backup file: returns (nonce, ciphertext)."""
    nonce = os.urandom(NONCE_SIZE)
    return nonce, AESGCM(key).encrypt(nonce, plaintext, aad)


def open_blob(key: bytes, nonce: bytes, ciphertext: bytes, aad: bytes) -> bytes:
    try:
        return AESGCM(key).decrypt(nonce, ciphertext, aad)
    except (InvalidTag, ValueError):
        raise WalletLockedError() from None
