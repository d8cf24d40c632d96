"""Where the secret that opens a wallet comes from.

First source that exists wins: `--passphrase-file`, `SKILLPASS_PASSPHRASE`, the OS keyring (for a
wallet created with `init --keyring`), else a hidden prompt on a terminal. A passphrase is never
a flag value.
"""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from skillpass.errors import BadInputError, CancelledError, FileError, NoPassphraseError

ENV_PASSPHRASE = "SKILLPASS_PASSPHRASE"
KEYRING_SERVICE = "skillpass"
MAX_PASSPHRASE_FILE = 64 * 1024
_INSECURE_BACKENDS = ("keyring.backends.fail", "keyring.backends.null", "plaintext")


class Passphrase:
    """A passphrase as bytes, with a repr that never shows it."""

    __slots__ = ("value",)

    def __init__(self, value: bytes) -> None:
        if not value:
            raise BadInputError("the passphrase is empty", "choose a non-empty passphrase")
        self.value = value

    def __repr__(self) -> str:
        return "Passphrase(<redacted>)"


@dataclass(frozen=True)
class SecretSources:
    passphrase_file: Path | None = None
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    interactive: bool = False

    @classmethod
    def from_process(cls, passphrase_file: Path | None) -> SecretSources:
        return cls(passphrase_file, dict(os.environ), sys.stdin.isatty() and sys.stderr.isatty())

    def given_passphrase(self) -> Passphrase | None:
        """The passphrase from a file or the environment, when one of them is set."""
        if self.passphrase_file is not None:
            return read_passphrase_file(self.passphrase_file)
        value = self.environ.get(ENV_PASSPHRASE)
        if value:
            # the environment's bytes as they are: Python decoded them with surrogateescape, so
            # a passphrase that is not UTF-8 comes back intact instead of failing to encode
            return Passphrase(os.fsencode(value))
        return None

    def prompt(self, what: str = "passphrase", confirm: bool = False,
               hint: str | None = None) -> Passphrase:
        """Ask on the terminal; without one, NoPassphraseError with `hint` (the flag to use)."""
        if not self.interactive:
            raise NoPassphraseError(
                f"no {what} given and no terminal to ask on",
                hint or f"use --passphrase-file FILE or set {ENV_PASSPHRASE}",
            )
        try:
            first = getpass.getpass(f"skillpass: {what}: ", stream=sys.stderr)
            if confirm:
                again = getpass.getpass(f"skillpass: {what} again: ", stream=sys.stderr)
                if again != first:
                    raise BadInputError("the two passphrases differ", "run the command again")
        except (EOFError, KeyboardInterrupt):
            raise CancelledError("cancelled") from None
        return Passphrase(first.encode())


def read_passphrase_file(path: Path) -> Passphrase:
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_PASSPHRASE_FILE + 1)
    except OSError as exc:
        raise FileError(f"cannot read the passphrase file {path}: {exc.strerror}",
                        "check the path given to --passphrase-file") from None
    if len(data) > MAX_PASSPHRASE_FILE:
        raise BadInputError(f"the passphrase file {path} is too large",
                            "put only the passphrase in it")
    # One trailing newline is what `echo` and editors add; it is not part of the passphrase.
    if data.endswith(b"\r\n"):
        data = data[:-2]
    elif data.endswith(b"\n"):
        data = data[:-1]
    if not data:
        raise BadInputError(f"the passphrase file {path} is empty", "write the passphrase in it")
    return Passphrase(data)


def keyring_usable() -> bool:
    """True only for a real OS backend: the fail, null and plaintext backends are refused."""
    try:
        import keyring

        backend = keyring.get_keyring()
    except Exception:  # noqa: BLE001 - any broken keyring setup means "not usable"
        return False
    name = f"{type(backend).__module__}.{type(backend).__name__}".lower()
    return not any(bad in name for bad in _INSECURE_BACKENDS)


def keyring_get(wallet_id: str) -> bytes | None:
    if not keyring_usable():
        return None
    import keyring

    from skillpass.keys.multibase import b64url_decode
    from skillpass.wallet.vault import KEY_SIZE

    try:
        value = keyring.get_password(KEYRING_SERVICE, wallet_id)
        if not value:
            return None
        # The stored secret is vault.random_key(): KEY_SIZE bytes.
        return b64url_decode(value, max_bytes=KEY_SIZE, what="the keyring secret")
    except Exception:  # noqa: BLE001 - a locked or broken keyring falls back to the passphrase
        return None


def keyring_set(wallet_id: str, secret: bytes) -> None:
    if not keyring_usable():
        raise NoPassphraseError("no usable OS keyring on this machine",
                                "create the wallet without --keyring and use a passphrase")
    import keyring

    from skillpass.keys.multibase import b64url_encode

    try:
        keyring.set_password(KEYRING_SERVICE, wallet_id, b64url_encode(secret))
    except Exception as exc:  # noqa: BLE001
        raise NoPassphraseError(f"the OS keyring refused to store the key: {exc}",
                                "create the wallet without --keyring and use a passphrase") from None
