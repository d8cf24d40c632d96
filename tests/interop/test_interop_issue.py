"""What `skillpass issue` makes verifies in digitalbazaar's verifier: eddsa-rdfc-2022 whole, and
ecdsa-sd-2023 once digitalbazaar derives a disclosure from its base proof (with the test
issuer's label among what is always disclosed)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import Cli

pytestmark = pytest.mark.interop


def _issued(cli: Cli, tmp_path: Path, suite: str, *args: str) -> dict[str, Any]:
    path = tmp_path / f"{suite}.json"
    result = cli.with_passphrase("issue", "--suite", suite, "--name", "Applied Data Analysis",
                                 "--skill", "Data analysis@Ontario Skills", "--subject", "me",
                                 *args, "--out", str(path))
    assert result.returncode == 0, result.stderr
    return json.loads(path.read_text())


def test_an_eddsa_rdfc_2022_credential_skillpass_issues_verifies_in_digitalbazaar(
        peer: Any, cli: Cli, wallet_home: Path, tmp_path: Path) -> None:
    credential = _issued(cli, tmp_path, "eddsa-rdfc-2022", "--name-fr", "Analyse de données appliquée")

    assert peer.run("verify-credential", input_json=credential)["verified"] is True
    credential["issuer"]["name"] = "Collège Boréal"  # the label taken off: the signature no longer holds
    assert peer.run("verify-credential", input_json=credential)["verified"] is False


def test_an_ecdsa_sd_2023_credential_skillpass_issues_derives_and_verifies_in_digitalbazaar(
        peer: Any, cli: Cli, wallet_home: Path, tmp_path: Path) -> None:
    credential = _issued(cli, tmp_path, "ecdsa-sd-2023", "--mandatory", "/validFrom")

    derived = peer.run("derive", "--reveal", "/credentialSubject/achievement/name", input_json=credential)
    result = peer.run("verify-credential", input_json=derived)

    assert result["verified"] is True, result
    assert derived["issuer"]["name"] == "test-issuer (test issuer)"
    assert "alignment" not in derived["credentialSubject"]["achievement"]
