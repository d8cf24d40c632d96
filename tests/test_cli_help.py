"""Every command has help with an example, and every command is in the README."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import REPO, command_paths


@pytest.mark.parametrize("command", command_paths())
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = subprocess.run([sys.executable, "-m", "skillpass", *command.split(), "--help"],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert "Example:" in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize("command", command_paths())
def test_every_command_is_in_the_readme(command: str) -> None:
    assert f"| `{command}" in (REPO / "README.md").read_text()


def test_version_and_top_level_help() -> None:
    version = subprocess.run([sys.executable, "-m", "skillpass", "--version"], capture_output=True,
                             text=True, cwd=REPO)
    assert version.returncode == 0 and version.stdout.startswith("skillpass ")
    bare = subprocess.run([sys.executable, "-m", "skillpass"], capture_output=True, text=True, cwd=REPO)
    assert bare.returncode == 0 and "Commands" in bare.stdout


def test_the_cli_module_does_not_import_heavy_libraries() -> None:
    code = ("import sys, skillpass.cli; heavy = [m for m in ('pyld', 'cryptography', 'qrcode', "
            "'keyring', 'sqlite3') if m in sys.modules]; print(','.join(heavy))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert result.stdout.strip() == ""


def test_the_cached_top_level_help_is_what_typer_prints() -> None:
    """`skillpass --help` is answered from skillpass/help.txt without loading typer."""
    sys.path.insert(0, str(REPO / "scripts"))
    from update_help import TARGET, typer_help

    assert TARGET.read_text() == typer_help(), "run: python scripts/update_help.py"
    fast = subprocess.run([sys.executable, "-m", "skillpass", "--help"], capture_output=True, text=True,
                          cwd=REPO, env={**os.environ, "COLUMNS": "120"})
    assert fast.stdout == TARGET.read_text()
    narrow = subprocess.run([sys.executable, "-m", "skillpass", "--help"], capture_output=True, text=True,
                            cwd=REPO, env={**os.environ, "COLUMNS": "60"})
    assert narrow.returncode == 0 and "Commands" in narrow.stdout
