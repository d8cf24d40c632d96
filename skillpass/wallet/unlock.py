"""Where the secret that opens a wallet comes from.

First source that exists wins: `--passphrase-file`, `SKILLPASS_PASSPHRASE`, the OS keyring (for a
wallet created with `init --keyring`; one with no passphrase slot asks the keyring whatever is
given), else a hidden prompt on a terminal. A passphrase is never a flag value. The keyring's
failures are three errors a user can act on: locked, none reachable, no key for this wallet.
"""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from skillpass.encoding.inflate import size
from skillpass.errors import (
    BadInputError,
    CancelledError,
    FileError,
    KeyringLockedError,
    KeyringNoKeyError,
    KeyringUnavailableError,
    NoPassphraseError,
    SkillpassError,
)

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

    def asking_on_the_terminal(self) -> SecretSources:
        """These sources, able to ask when stdin carries data (`restore -`) but the process has a
        terminal (stderr one, /dev/tty opens): getpass reads the answer from /dev/tty, as ssh does."""
        if self.interactive or not sys.stderr.isatty():
            return self
        try:
            os.close(os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY))
        except OSError:
            return self
        return replace(self, interactive=True)

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
            first = getpass.getpass(_asked(what), stream=sys.stderr)
            if confirm:
                again = getpass.getpass(_asked(f"{what}, again"), stream=sys.stderr)
                if again != first:
                    raise BadInputError("the two passphrases differ", "run the command again")
        except (EOFError, KeyboardInterrupt):
            # the prompt's line was left open (the typed Enter ends it, and none was typed): the
            # error goes on a line of its own
            sys.stderr.write("\n")
            raise CancelledError("cancelled") from None
        return Passphrase(first.encode())


def _asked(what: str) -> str:
    """The prompt for `what` ('new passphrase'), in the user's language."""
    from skillpass.i18n import _, colon, language

    return f"{'skillpass : ' if language() == 'fr' else 'skillpass: '}{_(what)}{colon()}"


def read_passphrase_file(path: Path, flag: str = "--passphrase-file") -> Passphrase:
    """The passphrase in `path`, which the option `flag` named (said in the hint)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_PASSPHRASE_FILE + 1)
    except OSError as exc:
        raise FileError(f"cannot read the passphrase file {path}: {exc.strerror}",
                        f"check the path given to {flag}") from None
    if len(data) > MAX_PASSPHRASE_FILE:
        raise BadInputError(f"the passphrase file {path} is over {size(MAX_PASSPHRASE_FILE)}, too large for one",
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
    return _backend() is not None


def _backend() -> object | None:
    """keyring's backend, or None where there is no real one (or keyring cannot even pick one:
    a backend forced by PYTHON_KEYRING_BACKEND whose service is not running raises here)."""
    try:
        import keyring

        backend = keyring.get_keyring()
    except Exception:  # noqa: BLE001 - any broken keyring setup means "not usable"
        return None
    name = f"{type(backend).__module__}.{type(backend).__name__}".lower()
    return None if any(bad in name for bad in _INSECURE_BACKENDS) else backend


def keyring_get(wallet_id: str) -> bytes:
    """The wallet's secret from the OS keyring; else one of the three answers a user can act on:
    no usable keyring here (or it cannot be reached), the keyring is locked, or it has no key
    for this wallet."""
    backend = _backend()
    if backend is None:
        raise KeyringUnavailableError(
            "no usable OS keyring: none is running or reachable in this session",
            "log in to the desktop session (its keyring opens with it), or restore the wallet from a backup")
    from keyring.errors import KeyringLocked

    from skillpass.keys.multibase import b64url_decode
    from skillpass.wallet.vault import KEY_SIZE

    try:
        value = backend.get_password(KEYRING_SERVICE, wallet_id)  # type: ignore[attr-defined]
    except KeyringLocked:
        raise KeyringLockedError("the OS keyring is locked",
                                 "unlock it (or log in to the desktop session) and run the command again") from None
    except Exception:  # noqa: BLE001 - D-Bus, a daemon gone mid-call: the keyring cannot be reached
        raise KeyringUnavailableError(
            "cannot reach the OS keyring",
            "log in to the desktop session (its keyring opens with it), or restore the wallet from a backup") from None
    if not value:
        raise KeyringNoKeyError("the OS keyring has no key for this wallet",
                                "restore the wallet from a backup (the key was deleted, or this is another keyring)")
    try:
        # The stored secret is vault.random_key(): KEY_SIZE bytes.
        secret = b64url_decode(value, max_bytes=KEY_SIZE, what="the keyring secret")
    except SkillpassError:
        secret = b""
    if len(secret) != KEY_SIZE:
        raise KeyringNoKeyError("the OS keyring's key for this wallet is damaged",
                                "restore the wallet from a backup")
    return secret


def keyring_set(wallet_id: str, secret: bytes) -> None:
    backend = _backend()
    if backend is None:
        raise KeyringUnavailableError("no usable OS keyring on this machine",
                                      "create the wallet without --keyring and use a passphrase")
    from keyring.errors import KeyringLocked

    from skillpass.keys.multibase import b64url_encode

    try:
        backend.set_password(KEYRING_SERVICE, wallet_id, b64url_encode(secret))  # type: ignore[attr-defined]
    except KeyringLocked:
        raise KeyringLockedError("the OS keyring is locked",
                                 "unlock it, or create the wallet without --keyring and use a passphrase") from None
    except Exception:  # noqa: BLE001 - refused, or unreachable: no wallet is made either way
        raise KeyringUnavailableError("the OS keyring refused to store the key, or cannot be reached",
                                      "create the wallet without --keyring and use a passphrase") from None


def keyring_forget(wallet_id: str) -> None:
    """Remove the wallet's secret from the OS keyring, as far as it lets us: what an init that
    failed after storing it leaves behind (a key for a wallet that was never made)."""
    backend = _backend()
    if backend is None:
        return
    try:
        backend.delete_password(KEYRING_SERVICE, wallet_id)  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - best effort: the init's own error is the one to tell
        pass
