"""Credentials issued by digitalbazaar's libraries import into skillpass; ours verify there."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli
from issuing import SUITE_KEYS, signed_ob3

pytestmark = pytest.mark.interop

NODE_SUITES = {"eddsa-rdfc-2022": (), "ecdsa-rdfc-2019": (), "ecdsa-rdfc-2019/P-384": ("--curve", "P-384"),
               "ecdsa-sd-2023": ("--mandatory", "/issuer,/validFrom"), "eddsa-jcs-2022": (),
               "ecdsa-jcs-2019": (), "ecdsa-jcs-2019/P-384": ("--curve", "P-384"),
               "Ed25519Signature2020": (), "Ed25519Signature2018": ()}
V1_SUITES = ("Ed25519Signature2020", "Ed25519Signature2018")


def _issued_by_node(peer: Any, name: str) -> dict[str, Any]:
    suite = name.split("/")[0]
    fixture = "ob3-v1-unsigned.json" if suite in V1_SUITES else "ob3-unsigned.json"
    return peer.run("issue", "--suite", suite, *NODE_SUITES[name], input_json=peer.fixture(fixture))


def test_skillpass_import_verifies_open_badges_issued_by_digitalbazaar_in_every_suite(
        peer: Any, cli: Cli, wallet_home: Path, tmp_path: Path) -> None:
    paths = []
    for name in NODE_SUITES:
        path = tmp_path / f"{name.replace('/', '-')}.json"
        path.write_text(json.dumps(_issued_by_node(peer, name)))
        paths.append(str(path))
    result = cli.with_passphrase("import", *paths, "--json")
    assert result.returncode == 0, result.stdout
    assert [o["status"] for o in result.json()] == ["imported"] * len(NODE_SUITES)
    suites = sorted(p["suite"] for row in cli.with_passphrase("list", "--json").json()
                    for p in cli.with_passphrase("show", row["id"], "--json").json()["verification"]["proofs"])
    assert suites == sorted(name.split("/")[0] for name in NODE_SUITES)


def test_a_credential_digitalbazaar_signed_then_tampered_is_rejected(peer: Any, cli: Cli, wallet_home: Path,
                                                                     tmp_path: Path) -> None:
    credential = _issued_by_node(peer, "eddsa-rdfc-2022")
    credential["credentialSubject"]["achievement"]["name"] = "Something else"
    path = tmp_path / "tampered.json"
    path.write_text(json.dumps(credential))
    result = cli.with_passphrase("import", str(path), "--json")
    assert result.json()[0]["code"] == "E_SIG_INVALID"


@pytest.mark.parametrize("suite", sorted(SUITE_KEYS))
def test_credentials_signed_by_skillpass_verify_in_digitalbazaar(peer: Any, suite: str) -> None:
    credential, _ = signed_ob3(suite)
    if suite == "ecdsa-sd-2023":
        # A base proof is for the holder; a verifier checks what the holder derives.
        credential = peer.run("derive", "--reveal", "/credentialSubject/achievement/name", input_json=credential)
    result = peer.run("verify-credential", input_json=credential)
    assert result["verified"] is True, result


def test_p384_ecdsa_rdfc_with_several_blank_nodes_verifies_both_ways(peer: Any) -> None:
    from issuing import new_issuer, ob3, sign
    from skillpass.jsonld.loader import ContextStore
    from skillpass.formats.ldp_vc.verify import verify_credential
    from datetime import datetime, timezone

    issuer = new_issuer("P-384")
    ours = sign(ob3(issuer=issuer), issuer, "ecdsa-rdfc-2019")
    assert peer.run("verify-credential", input_json=ours)["verified"] is True
    theirs = _issued_by_node(peer, "ecdsa-rdfc-2019/P-384")
    verify_credential(theirs, store=ContextStore.bundled(), did_cache={}, now=datetime.now(timezone.utc))
