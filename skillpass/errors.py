"""One error hierarchy. The library raises these; only the CLI maps them to exit codes.

Every error carries a one-line `message` (what is wrong), an optional `hint` (what to do),
a stable machine `code` for `--json` output and scripts, and an `exit_status`. Both texts are
`bounded`: an id of 100 KB quoted from a credential makes no readable line.
"""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    """Documented exit codes (README, "Exit codes")."""

    OK = 0
    INTERNAL = 1  # a bug: run again with --debug and report it
    USAGE = 2  # bad command line (click's own code)
    NO_WALLET = 3
    WALLET_EXISTS = 4
    LOCKED = 5  # wrong passphrase or damaged wallet
    NO_PASSPHRASE = 6
    NOT_FOUND = 7
    BAD_INPUT = 8  # malformed, too large, not a credential
    INVALID = 9  # verification failed: bad signature, tampered, expired
    UNVERIFIABLE = 10  # cannot be checked here: unknown context, unsupported suite, unknown DID
    BUSY = 11
    CANCELLED = 12
    IO = 13
    NETWORK = 14  # an issuer or verifier could not be reached, or answered wrongly


MAX_MESSAGE = 600  # characters of a message or hint; the longest template is about 200


def bounded(text: str) -> str:
    """`text`, or its start and end around an ellipsis when it is longer than MAX_MESSAGE: what
    is wrong and the reason both stay, the middle of an outside value quoted in it goes."""
    if len(text) <= MAX_MESSAGE:
        return text
    return text[:400] + "…" + text[-(MAX_MESSAGE - 401):]


class SkillpassError(Exception):
    """Base of every error a user can see."""

    exit_status: ExitStatus = ExitStatus.INTERNAL
    code: str = "E_INTERNAL"

    def __init__(self, message: str, hint: str | None = None, *, code: str | None = None) -> None:
        message = bounded(message)
        super().__init__(message)
        self.message = message
        self.hint = bounded(hint) if hint is not None else None
        if code is not None:
            self.code = code

    def as_dict(self) -> dict[str, str | int | None]:
        return {"code": self.code, "message": self.message, "hint": self.hint,
                "exit_status": int(self.exit_status)}


class UsageError(SkillpassError):
    exit_status = ExitStatus.USAGE
    code = "E_USAGE"


def refuse_blank(*given: tuple[str, str | None]) -> None:
    """An option given an empty text (`--challenge ""`) is refused: a challenge or a domain that
    is blank binds a presentation to nothing, and a shell variable left unset makes one."""
    for option, value in given:
        if value is not None and not value.strip():
            raise UsageError(f"{option} is empty", f"give {option} a value, or leave it out")


class NoWalletError(SkillpassError):
    exit_status = ExitStatus.NO_WALLET
    code = "E_NO_WALLET"


class WalletExistsError(SkillpassError):
    exit_status = ExitStatus.WALLET_EXISTS
    code = "E_WALLET_EXISTS"


class WalletLockedError(SkillpassError):
    """Wrong passphrase and a damaged wallet are deliberately indistinguishable."""

    exit_status = ExitStatus.LOCKED
    code = "E_LOCKED"

    def __init__(self, what: str = "wallet", hint: str | None = None) -> None:
        super().__init__(
            f"wrong passphrase or damaged {what}",
            hint or "check the passphrase; if it is right, restore the wallet from a backup",
        )


class AgentKeyError(WalletLockedError):
    """The key an unlock agent gave does not open this wallet (exit 5, like a wrong passphrase)."""

    def __init__(self, message: str, hint: str) -> None:
        SkillpassError.__init__(self, message, hint)


class NoPassphraseError(SkillpassError):
    exit_status = ExitStatus.NO_PASSPHRASE
    code = "E_NO_PASSPHRASE"


class NotFoundError(SkillpassError):
    exit_status = ExitStatus.NOT_FOUND
    code = "E_NOT_FOUND"


class BadInputError(SkillpassError):
    exit_status = ExitStatus.BAD_INPUT
    code = "E_BAD_INPUT"


class InvalidError(SkillpassError):
    """The input was checked and is wrong: a bad signature, a tampered claim, an expired date."""

    exit_status = ExitStatus.INVALID
    code = "E_INVALID"


class UnverifiableError(SkillpassError):
    """The input could not be checked here: unknown context, unsupported suite, unknown DID."""

    exit_status = ExitStatus.UNVERIFIABLE
    code = "E_UNVERIFIABLE"


class BusyError(SkillpassError):
    exit_status = ExitStatus.BUSY
    code = "E_BUSY"


class CancelledError(SkillpassError):
    exit_status = ExitStatus.CANCELLED
    code = "E_CANCELLED"


class FileError(SkillpassError):
    exit_status = ExitStatus.IO
    code = "E_IO"


class NetworkError(SkillpassError):
    """An issuer or verifier that could not be reached, refused TLS, or answered outside the
    protocol (receive, share --request: the only commands that open connections)."""

    exit_status = ExitStatus.NETWORK
    code = "E_NETWORK"


class KeyringUnavailableError(NoPassphraseError):
    """No OS keyring skillpass may use here (none, or keyring's fail/null/plaintext backends),
    or one that cannot be reached: no Secret Service on the session's D-Bus."""

    code = "E_NO_KEYRING"


class KeyringLockedError(NoPassphraseError):
    """The OS keyring is there but locked, and no unlock prompt could be answered."""

    code = "E_KEYRING_LOCKED"


class KeyringNoKeyError(NoPassphraseError):
    """The OS keyring answers but has no (usable) key for this wallet: deleted, or another keyring."""

    code = "E_KEYRING_NO_KEY"
