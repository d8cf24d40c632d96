"""`skillpass demo`: the presenter's story, run for real in a throwaway wallet."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Cli


def test_demo_tells_the_whole_story_and_leaves_nothing_behind(cli: Cli) -> None:
    result = cli("demo", "--json")
    assert result.returncode == 0, result.stderr
    story = result.json()
    assert story["home"] is None
    outcomes = {step["title"][:1]: step for step in story["steps"]}
    assert [o["status"] for o in outcomes["3"]["imported"]] == ["imported", "imported"]
    assert outcomes["6"]["outcome"] == "verified"
    revealed = {d["path"] for d in outcomes["6"]["disclosed"]}
    assert "/credentialSubject/achievement/name" in revealed
    assert not any("result" in path or "creditsEarned" in path for path in revealed)
    assert outcomes["7"]["outcome"] == "invalid"
    assert not cli.home.exists(), "the learner's own wallet home is never touched"


def test_demo_keeps_its_wallet_on_request(cli: Cli, tmp_path: Path) -> None:
    keep = tmp_path / "demo"
    result = cli("demo", "--keep-in", str(keep))
    assert result.returncode == 0, result.stderr
    assert "verified" in result.stdout and "invalid" in result.stdout
    assert (keep / "presentation.json").exists()
    listed = cli("list", "--json", "--home", str(keep / "wallet"), "--passphrase-file", str(keep / "passphrase.txt"))
    assert len(listed.json()) == 2
    assert cli("demo", "--keep-in", str(keep)).returncode == 2  # not empty any more
    assert json.loads((keep / "presentation.json").read_text())["type"] == ["VerifiablePresentation"]
