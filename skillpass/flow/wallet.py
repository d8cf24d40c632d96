"""The wallet itself: init, did, passphrase, backup, restore."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from skillpass.errors import NoPassphraseError, SkillpassError, WalletLockedError

if TYPE_CHECKING:
    from skillpass.flow.session import Session
    from skillpass.wallet.unlock import Passphrase


def init_wallet(session: Session, *, use_keyring: bool) -> dict[str, Any]:
    from skillpass.wallet.wallet import create_wallet

    passphrase = session.sources.given_passphrase()
    if passphrase is None and not use_keyring:
        passphrase = session.sources.prompt("new passphrase", confirm=True)
    with create_wallet(session.home, passphrase=passphrase, use_keyring=use_keyring) as wallet:
        return {"home": str(session.home), "wallet_id": wallet.wallet_id,
                "unlock": [slot["type"] for slot in wallet.header["slots"]],
                "dids": [key.describe() for key in wallet.holder_keys()]}


def holder_dids(session: Session) -> list[dict[str, Any]]:
    with session.open() as wallet:
        return [key.describe() for key in wallet.holder_keys()]


def backup_wallet(session: Session, target: Path, backup_passphrase_file: Path | None,
                  *, overwrite: bool, created: str) -> dict[str, Any]:
    from skillpass.wallet.backup import write_backup

    # the wallet's passphrase protects the backup unless another is given: the agent has no passphrase
    with _wallet_to_back_up(session, use_agent=backup_passphrase_file is not None) as wallet:
        passphrase = _backup_passphrase(session, wallet.passphrase, backup_passphrase_file)
        count = write_backup(target, wallet.wallet_id, wallet.export_records(), passphrase,
                             created, overwrite=overwrite)
    return {"file": str(target), "records": count}


def _wallet_to_back_up(session: Session, *, use_agent: bool) -> Any:
    """The wallet, opened; without a passphrase to protect the backup with, an error that says
    which ones would do (an unlocked wallet's agent holds its key, never its passphrase)."""
    try:
        return session.open(use_agent=use_agent)
    except NoPassphraseError as exc:
        if use_agent or type(exc) is not NoPassphraseError:  # the keyring's own errors say what they need
            raise
        raise NoPassphraseError("a backup is protected by a passphrase, and none was given (nor a terminal to "
                                "ask on)", "give the wallet's with --passphrase-file FILE or SKILLPASS_PASSPHRASE, "
                                "or the backup's own with --backup-passphrase-file FILE") from None


def _backup_passphrase(session: Session, wallet_passphrase: Passphrase | None,
                       file: Path | None) -> Passphrase:
    from skillpass.wallet.unlock import read_passphrase_file

    if file is not None:
        return read_passphrase_file(file, "--backup-passphrase-file")
    if wallet_passphrase is not None:
        return wallet_passphrase
    if not session.sources.interactive:
        raise NoPassphraseError("this wallet opens with the OS keyring, so the backup needs its own passphrase",
                                "pass --backup-passphrase-file FILE")
    return session.sources.prompt("backup passphrase", confirm=True)


def restore_wallet(session: Session, source: Path, backup_passphrase_file: Path | None, *,
                   now: datetime, merge_keys: bool = False) -> dict[str, Any]:
    """Restore a backup into an empty home, or merge it into the wallet there; every credential
    is verified again first (skillpass/restore.py) and what was refused is reported."""
    from skillpass.restore import check_records
    from skillpass.wallet import home as homes
    from skillpass.wallet.backup import read_backup
    from skillpass.wallet.unlock import read_passphrase_file
    from skillpass.wallet.wallet import create_wallet

    if str(source) == "-":  # the backup comes on stdin: the passphrases are asked on the terminal
        session = replace(session, sources=session.sources.asking_on_the_terminal())
    if backup_passphrase_file is not None:
        passphrase = read_passphrase_file(backup_passphrase_file, "--backup-passphrase-file")
    else:
        passphrase = session.sources.given_passphrase() or session.sources.prompt(
            "backup passphrase", hint="give it with --backup-passphrase-file FILE")
    try:
        wallet_id, records = read_backup(source, passphrase)
    except WalletLockedError:
        raise WalletLockedError("backup", "the backup opens with the passphrase it was made with "
                                "(the wallet's, or backup --backup-passphrase-file's): give it "
                                "with --backup-passphrase-file FILE") from None
    added: dict[str, int] = {}
    path = homes.db_path(session.home)
    if path.exists() and not homes.is_incomplete(path):
        with _wallet_to_merge_into(session) as wallet:
            checked = check_records(records, now=now, take_keys=merge_keys or wallet.wallet_id == wallet_id)
            added = wallet.import_records(checked.records)
        merged = True
    else:
        checked = check_records(records, now=now, take_keys=True)
        def populate(wallet: Any) -> None:
            wallet.adopt_id_key(records)  # the same wallet again: the same ids
            added.update(wallet.import_records(checked.records))

        create_wallet(session.home, passphrase=passphrase, use_keyring=False, wallet_id=wallet_id,
                      with_keys=False, populate=populate).close()
        _forget_agent(session)
        merged = False
    return {"home": str(session.home), "merged": merged, "added": added, "refused": checked.refused,
            "keysNotMerged": checked.keys_held_back}


def _forget_agent(session: Session) -> None:
    """End the unlock agent of this home, if one runs: it holds the key of the wallet that was
    here before (the same wallet id, when its own backup was restored, but another data key),
    which would make every command say 'the unlock agent's key does not open the wallet'. Best
    effort: an agent that does not answer is found by the next command."""
    import os

    from skillpass.agent import paths
    from skillpass.flow.agent import lock

    try:
        if not os.path.lexists(paths.socket_path(session.home)):
            return  # the usual case: no agent, and no agent directory made for nothing
        lock(session)
    except (SkillpassError, OSError, ValueError):
        pass


def _wallet_to_merge_into(session: Session) -> Any:
    """The wallet already in the home, opened. When it does not open, the backup did: the usual
    hint ('restore the wallet from a backup') is what the learner is doing, so it says instead
    which passphrase is wanted, and where a damaged wallet's backup can go."""
    from skillpass.errors import AgentKeyError

    try:
        return session.open()
    except AgentKeyError:
        raise
    except WalletLockedError:
        raise WalletLockedError("wallet", f"the backup opened, but the wallet already in {session.home} did not, "
                                "and a restore there adds to it: give that wallet's passphrase with "
                                "--passphrase-file FILE, or restore into a new home with --home DIR") from None


def change_passphrase(session: Session, new_passphrase_file: Path | None) -> dict[str, Any]:
    from skillpass.wallet.unlock import read_passphrase_file

    with session.open(use_agent=False) as wallet:  # the old passphrase, not the agent's key
        if new_passphrase_file is not None:
            new = read_passphrase_file(new_passphrase_file, "--new-passphrase-file")
        else:
            new = session.sources.prompt("new passphrase", confirm=True,
                                         hint="give it with --new-passphrase-file FILE")
        wallet.change_passphrase(new)
    return {"changed": True, "home": str(session.home)}
