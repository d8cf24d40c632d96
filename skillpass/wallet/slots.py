"""The slots of a wallet's header: which secret unwraps its data key. The agent of `skillpass
unlock` (the key itself, checked on the id key record), the OS keyring (a random secret, through
HKDF), a passphrase (Argon2id); and the slots a new wallet or a new passphrase writes."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from skillpass.errors import NoPassphraseError, SkillpassError, WalletLockedError
from skillpass.wallet import ids, vault
from skillpass.wallet.store import Store
from skillpass.wallet.unlock import ENV_PASSPHRASE, Passphrase, SecretSources, keyring_get

def agent_key(home: Path, header: dict[str, Any], store: Store, sources: SecretSources) -> bytes | None:
    """The data key the agent holds for this wallet, checked against it; None (unlock as usual)
    when a passphrase is given (a script's explicit choice), no agent answers, or the wallet has
    no id key yet (its rekeying must be done under a key known to be right)."""
    if sources.passphrase_file is not None or sources.environ.get(ENV_PASSPHRASE):
        return None
    wallet_id = header.get("wallet_id")
    if not isinstance(wallet_id, str) or store.meta("record_ids") != ids.SCHEME:
        return None
    from skillpass.agent.client import fetch_key

    data_key = fetch_key(home, wallet_id)
    if data_key is None:
        return None
    body = store.get(ids.ID_KEY, ids.ID_KEY_RECORD)
    try:
        if body is None:
            raise WalletLockedError()
        # A wrong key fails here, on a read, before anything is written under it.
        vault.RecordCipher(data_key, wallet_id).open(ids.ID_KEY, ids.ID_KEY_RECORD, body)
    except WalletLockedError:
        from skillpass.errors import AgentKeyError

        raise AgentKeyError(f"the unlock agent's key does not open the wallet in {home}",
                            "run 'skillpass lock', then 'skillpass unlock' again") from None
    return data_key


def unwrap_data_key(header: dict[str, Any], sources: SecretSources) -> tuple[bytes, Passphrase | None]:
    slots = header.get("slots")
    if not isinstance(slots, list) or not slots or not isinstance(header.get("wallet_id"), str):
        raise WalletLockedError()
    by_type = {s["type"]: s for s in slots if isinstance(s, dict) and isinstance(s.get("type"), str)}
    given = sources.given_passphrase()
    keyring_problem: NoPassphraseError | None = None
    # A given passphrase wins over the keyring, except for a wallet that has no passphrase slot
    if "keyring" in by_type and (given is None or "passphrase" not in by_type):
        try:
            return _open_keyring_slot(header, by_type["keyring"]), None
        except NoPassphraseError as problem:  # locked, unreachable, or no key for this wallet
            if "passphrase" not in by_type:
                raise
            keyring_problem = problem
        except WalletLockedError:  # a stale keyring key (another wallet's, or a replaced one)
            if "passphrase" not in by_type:
                raise
            from skillpass.errors import KeyringNoKeyError

            keyring_problem = KeyringNoKeyError("the OS keyring's key does not open this wallet",
                                                "restore the wallet from a backup")
    if "passphrase" not in by_type:
        raise WalletLockedError()  # no slot skillpass knows: a damaged header
    passphrase = given or _ask_passphrase(sources, keyring_problem)
    return _open_passphrase_slot(header, by_type["passphrase"], passphrase), passphrase


WALLET_HAS_A_PASSPHRASE_TOO = ("this wallet has a passphrase as well: give it with --passphrase-file FILE "
                               "or SKILLPASS_PASSPHRASE")


def _open_keyring_slot(header: dict[str, Any], slot: dict[str, Any]) -> bytes:
    secret = keyring_get(header["wallet_id"])
    kek = vault.derive_keyring_kek(secret, header["wallet_id"])
    return vault.unwrap_key(kek, slot, vault.slot_aad(header, slot))


def _ask_passphrase(sources: SecretSources, keyring_problem: NoPassphraseError | None) -> Passphrase:
    """The prompt; without a terminal, the keyring's error (why it did not open the wallet) with
    a hint that says the wallet has a passphrase as well, and how to give it."""
    if keyring_problem is None:
        return sources.prompt()
    if sources.interactive:
        from skillpass import render

        render.note(f"the OS keyring did not open the wallet ({keyring_problem.message}): "
                    "asking for its passphrase instead")
        return sources.prompt()
    raise type(keyring_problem)(keyring_problem.message, WALLET_HAS_A_PASSPHRASE_TOO)


def passphrase_slot(header: dict[str, Any], data_key: bytes, passphrase: Passphrase) -> dict[str, Any]:
    from skillpass.keys.multibase import b64url_encode

    salt = os.urandom(vault.SALT_SIZE)
    slot: dict[str, Any] = {"type": "passphrase", "kdf": vault.DEFAULT_KDF.to_dict(),
                            "salt": b64url_encode(salt)}
    kek = vault.derive_passphrase_kek(passphrase.value, salt, vault.DEFAULT_KDF)
    slot.update(vault.wrap_key(kek, data_key, vault.slot_aad(header, slot)))
    return slot


def _open_passphrase_slot(header: dict[str, Any], slot: dict[str, Any], passphrase: Passphrase) -> bytes:
    from skillpass.keys.multibase import b64url_decode

    params = vault.KdfParams.from_dict(slot.get("kdf"))
    try:
        salt = b64url_decode(slot["salt"], max_bytes=vault.SALT_SIZE)
    except (KeyError, TypeError, SkillpassError):
        raise WalletLockedError() from None
    if len(salt) != vault.SALT_SIZE:  # Argon2id refuses a salt under 8 bytes; ours are 16
        raise WalletLockedError()
    kek = vault.derive_passphrase_kek(passphrase.value, salt, params)
    return vault.unwrap_key(kek, slot, vault.slot_aad(header, slot))


def keyring_slot(header: dict[str, Any], data_key: bytes, secret: bytes) -> dict[str, Any]:
    slot: dict[str, Any] = {"type": "keyring", "service": "skillpass", "username": header["wallet_id"]}
    kek = vault.derive_keyring_kek(secret, header["wallet_id"])
    slot.update(vault.wrap_key(kek, data_key, vault.slot_aad(header, slot)))
    return slot
