"""Wallet homes a learner may mistype, tried with the real command: one line that says what is
wrong and what to do, a documented exit code, and the thing named left as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Cli
from skillpass.errors import ExitStatus
from test_faults import SKILLPASS, _in_a_small_mount, in_repo_with


@pytest.mark.parametrize("command", ["init", "restore"])
def test_a_home_that_is_a_file_is_called_a_file(cli: Cli, wallet_home: Path, tmp_path: Path, command: str) -> None:
    backup = tmp_path / "b.json"
    assert cli.with_passphrase("backup", str(backup)).returncode == 0
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n")
    args = ["init"] if command == "init" else ["restore", str(backup)]

    result = cli.with_passphrase(*args, "--home", str(notes))
    french = cli.with_passphrase(*args, "--home", str(notes), "--lang", "fr")

    assert result.returncode == ExitStatus.IO and result.stdout == ""
    assert result.stderr == (f"skillpass: error: {notes} is a file, not a directory: a wallet home is a "
                             "directory; choose a new directory with --home\n")
    assert french.returncode == ExitStatus.IO
    assert french.stderr == (f"skillpass : erreur : {notes} est un fichier, pas un répertoire : un portefeuille "
                             "vit dans un répertoire ; choisissez un nouveau répertoire avec --home\n")
    assert notes.read_text() == "my notes\n"


def test_a_wallet_on_a_full_disk_says_the_disk_is_full_and_reads_again_once_there_is_room(tmp_path: Path) -> None:
    """SQLite cannot even read a WAL wallet when it cannot make its -shm index (each command that
    finds none makes it; the last to close removes it): 'disk I/O error' named no cause, when
    the disk being full is the cause and freeing space is what to do."""
    script = (in_repo_with() +
              f"{SKILLPASS} init --home $MNT/h >/dev/null 2>&1; rm -f $MNT/h/wallet.db-shm $MNT/h/wallet.db-wal; "
              f"dd if=/dev/zero of=$MNT/filler bs=1k count=100000 2>/dev/null; "
              f"{SKILLPASS} did --home $MNT/h; echo rc=$?; "
              f"rm $MNT/filler; {SKILLPASS} did --home $MNT/h >/dev/null; echo rc=$?")

    result = _in_a_small_mount(script, tmp_path, size="1m")

    codes = [line for line in result.stdout.splitlines() if line.startswith("rc=")]
    assert codes == [f"rc={int(ExitStatus.IO)}", "rc=0"], (result.stdout, result.stderr)
    assert result.stderr == ("skillpass: error: no space left to write the wallet; nothing was changed; "
                             "free some space and run the command again\n")


def test_init_on_a_full_disk_says_so_and_leaves_no_wallet_and_no_keyring_key(tmp_path: Path) -> None:
    """init, with a passphrase and with --keyring, on a disk with no room at all: 'no space left'
    (exit 13), not an internal error; no wallet, and no key in the keyring for a wallet that was
    never made."""
    keys = tmp_path / "keyring"
    keys.mkdir()
    script = (in_repo_with() +
              f"dd if=/dev/zero of=$MNT/filler bs=1k count=100000 2>/dev/null; "
              f"{SKILLPASS} init --home $MNT/h; echo rc=$?; "
              f"PYTHON_KEYRING_BACKEND=dirkeyring.DirectoryKeyring SKILLPASS_TEST_KEYRING_DIR={keys} "
              f"{SKILLPASS} init --keyring --home $MNT/k; echo rc=$?; ls -A $MNT/h $MNT/k")

    result = _in_a_small_mount(script, tmp_path, size="1m")

    lines = result.stdout.splitlines()
    assert [line for line in lines if line.startswith("rc=")] == [f"rc={int(ExitStatus.IO)}"] * 2, (result.stdout,
                                                                                                 result.stderr)
    assert result.stderr == ("skillpass: error: no space left to write the wallet; nothing was changed; "
                             "free some space and run the command again\n") * 2
    assert not any("wallet.db" in line for line in lines), lines
    assert list(keys.iterdir()) == []
