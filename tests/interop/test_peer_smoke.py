"""Proves the Node peer harness works on its own: Node signs, Node verifies.

Python-vs-Node tests live elsewhere; these only show the peer is sound, so a
failure there points at skillpass and not at the harness.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest


pytestmark = pytest.mark.interop

NodePeer = Any  # the `peer` fixture from conftest.py (not importable as a module)

SUITES_V2 = ["eddsa-rdfc-2022", "ecdsa-rdfc-2019", "ecdsa-sd-2023", "eddsa-jcs-2022", "ecdsa-jcs-2019"]
SUITES_V1 = ["Ed25519Signature2020", "Ed25519Signature2018"]
SD_MANDATORY = "/issuer,/validFrom"
SD_REVEAL = "/credentialSubject/achievement/name"


def _issue(peer: NodePeer, suite: str, *extra: object) -> dict[str, Any]:
    name = "ob3-v1-unsigned.json" if suite in SUITES_V1 else "ob3-unsigned.json"
    args: list[object] = ["--suite", suite, *extra]
    if suite == "ecdsa-sd-2023":
        args += ["--mandatory", SD_MANDATORY]
    signed = peer.run("issue", *args, input_json=peer.fixture(name))
    assert isinstance(signed, dict)
    return signed


@pytest.fixture(scope="module")
def signed_by_suite(peer: NodePeer) -> dict[str, dict[str, Any]]:
    return {suite: _issue(peer, suite) for suite in SUITES_V2 + SUITES_V1}


@pytest.fixture(scope="module")
def derived(peer: NodePeer, signed_by_suite: dict[str, dict[str, Any]]) -> dict[str, Any]:
    result = peer.run("derive", "--reveal", SD_REVEAL, input_json=signed_by_suite["ecdsa-sd-2023"])
    assert isinstance(result, dict)
    return result


@pytest.mark.parametrize("key_type", ["Ed25519", "P-256", "P-384"])
def test_keygen_returns_did_key_and_multikeys(peer: NodePeer, key_type: str) -> None:
    key = peer.run("keygen", "--type", key_type)

    assert key["type"] == key_type
    assert key["did"] == f"did:key:{key['publicKeyMultibase']}"
    assert key["verificationMethod"] == f"{key['did']}#{key['publicKeyMultibase']}"
    assert key["secretKeyMultibase"].startswith("z")


@pytest.mark.parametrize("suite", sorted(set(SUITES_V2 + SUITES_V1) - {"ecdsa-sd-2023"}))
def test_issued_credential_verifies(
    peer: NodePeer, signed_by_suite: dict[str, dict[str, Any]], suite: str
) -> None:
    signed = signed_by_suite[suite]

    result = peer.run("verify-credential", input_json=signed)

    assert result == {"verified": True}
    proof = signed["proof"]
    assert proof.get("cryptosuite", proof["type"]) == suite
    assert signed["issuer"]["id"] == proof["verificationMethod"].split("#")[0]


def test_issue_with_given_key_uses_its_did(peer: NodePeer, tmp_path: Any) -> None:
    key = peer.run("keygen", "--type", "P-384")
    key_file = tmp_path / "key.json"
    key_file.write_text(json.dumps(key), encoding="utf-8")

    signed = _issue(peer, "ecdsa-rdfc-2019", "--key", key_file)

    assert signed["issuer"]["id"] == key["did"]
    assert signed["proof"]["verificationMethod"] == key["verificationMethod"]
    assert peer.run("verify-credential", input_json=signed)["verified"] is True


def test_sd_base_proof_is_not_verifiable_until_derived(
    peer: NodePeer, signed_by_suite: dict[str, dict[str, Any]], derived: dict[str, Any]
) -> None:
    base_result = peer.run("verify-credential", input_json=signed_by_suite["ecdsa-sd-2023"])

    assert base_result["verified"] is False
    assert peer.run("verify-credential", input_json=derived) == {"verified": True}


def test_derive_reveals_only_mandatory_and_selected(derived: dict[str, Any]) -> None:
    achievement = derived["credentialSubject"]["achievement"]

    assert achievement["name"] == "Data Literacy Foundations"
    assert "description" not in achievement
    assert "criteria" not in achievement
    assert "validFrom" in derived
    assert derived["proof"]["cryptosuite"] == "ecdsa-sd-2023"


@pytest.mark.parametrize(
    "suite", ["eddsa-rdfc-2022", "ecdsa-jcs-2019", "Ed25519Signature2018", "ecdsa-sd-2023"]
)
def test_tampered_credential_fails(
    peer: NodePeer,
    signed_by_suite: dict[str, dict[str, Any]],
    derived: dict[str, Any],
    suite: str,
) -> None:
    tampered = copy.deepcopy(derived if suite == "ecdsa-sd-2023" else signed_by_suite[suite])
    tampered["credentialSubject"]["achievement"]["name"] = "Forged Achievement"

    result = peer.run("verify-credential", input_json=tampered)

    assert result["verified"] is False
    assert result["error"]


@pytest.mark.parametrize(
    ("suite", "key_type"),
    [("eddsa-rdfc-2022", "Ed25519"), ("ecdsa-rdfc-2019", "P-256"), ("Ed25519Signature2018", "Ed25519")],
)
def test_presentation_round_trip(
    peer: NodePeer,
    signed_by_suite: dict[str, dict[str, Any]],
    derived: dict[str, Any],
    suite: str,
    key_type: str,
) -> None:
    key = peer.run("keygen", "--type", key_type)
    credentials = [derived, signed_by_suite["eddsa-rdfc-2022"]]
    presentation = peer.run(
        "present", "--suite", suite, "--challenge", "c-123", "--domain", "verifier.example",
        "--key", json.dumps(key), input_json={"credentials": credentials},
    )  # fmt: skip

    good = peer.run(
        "verify-presentation", "--challenge", "c-123", "--domain", "verifier.example",
        input_json=presentation,
    )  # fmt: skip
    replayed = peer.run(
        "verify-presentation", "--challenge", "c-999", "--domain", "verifier.example",
        input_json=presentation,
    )  # fmt: skip

    assert presentation["holder"] == key["did"]
    assert presentation["proof"]["proofPurpose"] == "authentication"
    assert good["verified"] is True
    assert [r["verified"] for r in good["credentialResults"]] == [True, True]
    assert replayed["verified"] is False
    assert "challenge" in replayed["error"]


def test_unknown_remote_document_is_never_fetched(
    peer: NodePeer, signed_by_suite: dict[str, dict[str, Any]]
) -> None:
    remote = copy.deepcopy(signed_by_suite["eddsa-rdfc-2022"])
    remote["proof"]["verificationMethod"] = "https://issuer.example/keys#1"

    result = peer.run("verify-credential", input_json=remote)

    assert result["verified"] is False
    assert "not found in document loader" in result["error"]


def test_bad_usage_exits_non_zero_with_json_error(peer: NodePeer) -> None:
    returncode, output = peer.run_result("issue", "--suite", "no-such-suite", input_json={})

    assert returncode == 2
    assert "--suite" in output["error"]
    with pytest.raises(AssertionError, match="exited 2"):
        peer.run("issue", "--suite", "no-such-suite", input_json={})


def test_command_line_reads_stdin_and_file(
    peer: NodePeer, signed_by_suite: dict[str, dict[str, Any]], tmp_path: Any
) -> None:
    signed = signed_by_suite["eddsa-rdfc-2022"]
    credential_file = tmp_path / "vc.json"
    credential_file.write_text(json.dumps(signed), encoding="utf-8")

    from_stdin = peer.run_cli("verify-credential", input_json=signed)
    from_file = peer.run_cli("verify-credential", credential_file)
    bad_usage = peer.run_cli("present", "--suite", "eddsa-rdfc-2022", input_json={})

    assert from_stdin == (0, {"verified": True})
    assert from_file == (0, {"verified": True})
    assert bad_usage[0] == 2
    assert "--challenge" in bad_usage[1]["error"]


def test_bench_reports_median(peer: NodePeer) -> None:
    returncode, result = peer.run_cli(
        "bench", "--suite", "eddsa-jcs-2022", "--runs", "3", "--warmup", "1"
    )

    assert returncode == 0

    assert result["suite"] == "eddsa-jcs-2022"
    assert result["op"] == "verify"
    assert result["median_ms"] > 0
