"""Restore tried from outside: a disk that fills while the restored wallet is being finished, and
what the learner has afterwards (one clear line, exit 13, no wallet that does not open)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PASSPHRASE, Cli, add_credentials
from skillpass.errors import ExitStatus
from test_faults import SKILLPASS, _altered_backup, _import_signed, _in_a_small_mount, in_repo_with


def test_a_disk_full_when_the_restored_wallet_is_finished_leaves_no_broken_wallet(
        cli: Cli, wallet_home: Path, tmp_path: Path) -> None:
    # The records fit in the write-ahead log, but not twice over: copying the log into the
    # database file (the checkpoint when the staging wallet is closed) is what fills the disk.
    add_credentials(wallet_home, 40, marker="A long course name " * 200)
    backup = tmp_path / "b.json"
    assert cli.with_passphrase("backup", str(backup)).returncode == 0
    restored = tmp_path / "full"
    assert cli.with_passphrase("restore", str(backup), "--home", str(restored)).returncode == 0
    size_kib = sum(p.stat().st_size for p in restored.iterdir()) // 1024
    script = (in_repo_with(PASSPHRASE) +
              f"{SKILLPASS} restore {backup} --home $MNT/h; echo rc=$?; "
              f"{SKILLPASS} list --home $MNT/h; echo rc=$?; ls -a $MNT/h")

    result = _in_a_small_mount(script, tmp_path, size=f"{size_kib * 3 // 2}k")

    assert "Traceback" not in result.stderr, result.stderr
    codes = [line for line in result.stdout.splitlines() if line.startswith("rc=")]
    assert codes == [f"rc={int(ExitStatus.IO)}", f"rc={int(ExitStatus.NO_WALLET)}"], (result.stdout, result.stderr)
    first = result.stderr.splitlines()[0]
    assert first.startswith("skillpass: error: ") and "space" in first, result.stderr
    assert "wallet.db" not in result.stdout  # nothing half-written left under the wallet's name


def test_a_restore_into_a_home_whose_wallet_does_not_open_says_where_else_to_restore(
        cli: Cli, wallet_home: Path, tmp_path: Path) -> None:
    """Not 'restore the wallet from a backup': that is what the learner is doing."""
    backup = tmp_path / "b.json"
    assert cli.with_passphrase("backup", str(backup)).returncode == 0
    database = wallet_home / "wallet.db"
    with open(database, "r+b") as damaged:
        damaged.write(b"not SQLite" * 10)
    before = database.read_bytes()

    result = cli.with_passphrase("restore", str(backup))
    french = cli.with_passphrase("restore", str(backup), "--lang", "fr")

    assert result.returncode == ExitStatus.LOCKED and result.stdout == ""
    assert result.stderr == (
        "skillpass: error: wrong passphrase or damaged wallet; the backup opened, but the wallet already in "
        f"{wallet_home} did not, and a restore there adds to it: give that wallet's passphrase with "
        "--passphrase-file FILE, or restore into a new home with --home DIR\n")
    assert french.returncode == ExitStatus.LOCKED
    assert french.stderr.startswith("skillpass : erreur : phrase de passe erronée, ou fichier endommagé "
                                    "(portefeuille) ; la sauvegarde s'est ouverte"), french.stderr
    assert database.read_bytes() == before
    elsewhere = tmp_path / "new"
    assert cli.with_passphrase("restore", str(backup), "--home", str(elsewhere)).returncode == 0


def test_what_a_restore_did_is_counted_with_the_right_words_in_english_and_french(
        cli: Cli, wallet_home: Path, tmp_path: Path) -> None:
    _import_signed(cli, tmp_path, "Welding", 1)
    backup = tmp_path / "b.json"
    assert cli.with_passphrase("backup", str(backup)).returncode == 0
    one, fr = tmp_path / "one", tmp_path / "fr"

    english = cli.with_passphrase("restore", str(backup), "--home", str(one))
    french = cli.with_passphrase("restore", str(backup), "--home", str(fr), "--lang", "fr")
    merged = cli.with_passphrase("restore", str(backup), "--home", str(fr), "--lang", "fr")

    assert english.stderr == f"skillpass: 1 credential restored to {one}\nskillpass: 2 holder keys added\n"
    assert french.stderr == (f"skillpass : 1 attestation restaurée dans {fr}\n"
                             "skillpass : 2 clés de titulaire ajoutées\n")
    assert merged.stderr == f"skillpass : 0 attestation fusionnée dans {fr}\n"


def test_a_credential_not_restored_is_said_in_french_with_its_reason(cli: Cli, wallet_home: Path,
                                                                      tmp_path: Path) -> None:
    _import_signed(cli, tmp_path, "Welding", 1)
    backup = tmp_path / "b.json"
    assert cli.with_passphrase("backup", str(backup)).returncode == 0
    _altered_backup(backup, "Master Welder")

    french = cli.with_passphrase("restore", str(backup), "--home", str(tmp_path / "fr"), "--lang", "fr")

    assert french.returncode == ExitStatus.INVALID
    lines = french.stderr.splitlines()
    assert lines[0] == f"skillpass : 0 attestation restaurée dans {tmp_path / 'fr'}", lines
    assert lines[1].startswith("skillpass : non restaurée ") and " : la signature n'est pas valide (" in lines[1], lines


LEAVE_A_WAL = """
import os, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA wal_autocheckpoint=0")
conn.execute("BEGIN IMMEDIATE")
conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('left', ?)", ("x" * 100_000,))
conn.execute("COMMIT")
os._exit(0)  # killed before it could close: its write stays in wallet.db-wal
"""


@pytest.mark.parametrize("command", ["restore", "init"])
def test_a_new_wallet_where_a_crashed_one_left_its_log_is_not_damaged_by_it(
        cli: Cli, wallet_home: Path, tmp_path: Path, command: str) -> None:
    """A crash left wallet.db-wal; the learner removed wallet.db to start again. SQLite would
    replay that old log onto the new wallet.db (the command said it succeeded, and the wallet
    then said 'damaged'): a log whose database is gone is removed before a new one is made."""
    backup = tmp_path / "b.json"
    assert cli.with_passphrase("backup", str(backup)).returncode == 0
    database = wallet_home / "wallet.db"
    subprocess.run([sys.executable, "-c", LEAVE_A_WAL, str(database)], check=True)
    assert (wallet_home / "wallet.db-wal").stat().st_size > 100_000
    database.unlink()

    made = cli.with_passphrase(*(["restore", str(backup)] if command == "restore" else ["init"]))

    assert made.returncode == 0, made.stderr
    assert cli.with_passphrase("did").returncode == 0
    assert cli.with_passphrase("list", "--json").returncode == 0
