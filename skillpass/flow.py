"""One function per command: the whole pipeline, readable in one file.

Each function takes plain values (paths, secret sources, ids, the time) and returns plain data
for the renderer. No printing, no option parsing.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from skillpass.errors import CancelledError, NoPassphraseError
from skillpass.wallet.unlock import Passphrase, SecretSources


@dataclass(frozen=True)
class Session:
    """Where the wallet is and how to unlock it, as the CLI resolved them."""

    home: Path
    sources: SecretSources

    def open(self) -> Any:
        from skillpass.wallet.wallet import open_wallet

        return open_wallet(self.home, self.sources)


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


def list_credentials(session: Session, now: datetime) -> list[dict[str, Any]]:
    from skillpass.views import list_row

    with session.open() as wallet:
        rows = [list_row(cid, entry, now) for cid, entry in wallet.entries()]
    rows.sort(key=lambda row: (row["issued"] or "", row["id"]), reverse=True)
    return rows


def show_credential(session: Session, prefix: str, now: datetime) -> dict[str, Any]:
    from skillpass.views import detail

    with session.open() as wallet:
        stored = wallet.credential(prefix)
    return detail(stored.id, stored.entry, stored.raw, now)


def raw_credential(session: Session, prefix: str) -> bytes:
    with session.open() as wallet:
        return wallet.credential(prefix).raw


def remove_credential(session: Session, prefix: str, confirm: Callable[[str], bool]) -> dict[str, Any]:
    with session.open() as wallet:
        stored = wallet.credential(prefix)
        title = stored.entry.get("summary", {}).get("title") or stored.id
        if not confirm(f"remove {stored.id} ({title})?"):
            raise CancelledError("nothing removed", "pass --yes to remove without asking")
        wallet.remove(stored.id)
    return {"removed": stored.id, "title": title}


def backup_wallet(session: Session, target: Path, backup_passphrase_file: Path | None,
                  *, overwrite: bool, created: str) -> dict[str, Any]:
    from skillpass.wallet.backup import write_backup

    with session.open() as wallet:
        passphrase = _backup_passphrase(session, wallet.passphrase, backup_passphrase_file)
        count = write_backup(target, wallet.wallet_id, wallet.export_records(), passphrase,
                             created, overwrite=overwrite)
    return {"file": str(target), "records": count}


def _backup_passphrase(session: Session, wallet_passphrase: Passphrase | None,
                       file: Path | None) -> Passphrase:
    from skillpass.wallet.unlock import read_passphrase_file

    if file is not None:
        return read_passphrase_file(file)
    if wallet_passphrase is not None:
        return wallet_passphrase
    if not session.sources.interactive:
        raise NoPassphraseError("this wallet opens with the OS keyring, so the backup needs its own passphrase",
                                "pass --backup-passphrase-file FILE")
    return session.sources.prompt("backup passphrase", confirm=True)


def restore_wallet(session: Session, source: Path, backup_passphrase_file: Path | None) -> dict[str, Any]:
    from skillpass.wallet import home as homes
    from skillpass.wallet.backup import read_backup
    from skillpass.wallet.unlock import read_passphrase_file
    from skillpass.wallet.wallet import create_wallet

    if backup_passphrase_file is not None:
        passphrase = read_passphrase_file(backup_passphrase_file)
    else:
        passphrase = session.sources.given_passphrase() or session.sources.prompt("backup passphrase")
    wallet_id, records = read_backup(source, passphrase)
    if homes.db_path(session.home).exists():
        with session.open() as wallet:
            added = wallet.import_records(records)
        return {"home": str(session.home), "merged": True, "added": added}
    wallet = create_wallet(session.home, passphrase=passphrase, use_keyring=False,
                           wallet_id=wallet_id, with_keys=False)
    try:
        with wallet:
            added = wallet.import_records(records)
    except BaseException:
        for leftover in session.home.glob(homes.DB_NAME + "*"):
            os.unlink(leftover)
        raise
    return {"home": str(session.home), "merged": False, "added": added}


def change_passphrase(session: Session, new_passphrase_file: Path | None) -> dict[str, Any]:
    from skillpass.wallet.unlock import read_passphrase_file

    with session.open() as wallet:
        if new_passphrase_file is not None:
            new = read_passphrase_file(new_passphrase_file)
        else:
            new = session.sources.prompt("new passphrase", confirm=True)
        wallet.change_passphrase(new)
    return {"changed": True, "home": str(session.home)}

