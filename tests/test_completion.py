"""Shell completion: the scripts for bash, zsh and fish, and the completions themselves, asked of
skillpass as a shell asks (typer's `_SKILLPASS_COMPLETE` protocol)."""

from __future__ import annotations

import pytest

from conftest import Cli


@pytest.mark.parametrize(("shell", "marker"), [("bash", "_skillpass_completion"), ("zsh", "compdef"),
                                               ("fish", "complete --command skillpass")])
def test_the_script_for_each_shell(cli: Cli, shell: str, marker: str) -> None:
    result = cli(env={"_SKILLPASS_COMPLETE": f"source_{shell}"})
    assert result.returncode == 0, result.stderr
    assert marker in result.stdout


def test_bash_completes_a_command_and_an_option(cli: Cli) -> None:
    command = cli(env={"_SKILLPASS_COMPLETE": "complete_bash", "COMP_WORDS": "skillpass tr", "COMP_CWORD": "1"})
    assert command.stdout.split() == ["trust"]
    option = cli(env={"_SKILLPASS_COMPLETE": "complete_bash", "COMP_WORDS": "skillpass share --rev",
                      "COMP_CWORD": "2"})
    assert set(option.stdout.split()) == {"--reveal", "--reveal-all"}


def test_the_root_help_offers_to_install_it(cli: Cli) -> None:
    assert "--install-completion" in cli("--help").stdout
