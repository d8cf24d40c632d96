"""Wallet homes a learner may mistype, tried with the real command: one line that says what is
wrong and what to do, a documented exit code, and the thing named left as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Cli
from skillpass.errors import ExitStatus


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
