"""VC-JWT both ways with decentralized-identity's did-jwt-vc (npm, in tests/interop/vcjwt.mjs),
through the real command: its credentials (ES256 and EdDSA, did:key issuers) import here and
are shared in a JWT presentation its verifier accepts; its presentations verify here.

did-jwt-vc puts the challenge in `nonce` and the domain in `aud` (a one-element array), as
skillpass does (`aud` a string). It writes no header `kid`, and no `iat` or `jti` on a
presentation: skillpass then takes the one key of the `iss` did:key. did-jwt ignores
skillpass's `kid` and tries each key the holder's DID document lists (here for
`authentication`)."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli
from skillpass.errors import ExitStatus

pytestmark = pytest.mark.interop

NodePeer = Any  # the `peer` fixture from conftest.py
KEY_TYPES = {"P-256": "ES256", "Ed25519": "EdDSA"}
CHALLENGE, DOMAIN = "5b9e1c-vc-jwt-interop", "hr.example"
VC_V1 = "https://www.w3.org/2018/credentials/v1"
CREDENTIAL_ID = "urn:uuid:0c6f2b1e-4d7a-4a53-9c1e-5e1f0a9b7c3d"
SUBJECT = {"name": "Blueprint Reading", "hours": 30, "skills": ["orthographic views", "tolerances"]}
SHOWN_CLAIMS = {"/credentialSubject/name": "Blueprint Reading", "/credentialSubject/hours": "30",
                "/credentialSubject/skills/0": "orthographic views", "/credentialSubject/skills/1": "tolerances"}


def credential(subject_did: str, issuer_did: str) -> dict[str, Any]:
    """A VC 1.1 credential in W3C form: did-jwt-vc moves issuer, id, issuanceDate and the subject's
    id into iss, jti, nbf and sub (VC 1.1 §6.3.1), which skillpass has to put back."""
    return {"@context": [VC_V1], "id": CREDENTIAL_ID,
            "type": ["VerifiableCredential", "MicroCredential"], "issuer": issuer_did,
            "issuanceDate": "2026-01-15T00:00:00Z", "credentialSubject": {"id": subject_did, **SUBJECT}}


def issue(peer: NodePeer, issuer: dict[str, Any], subject_did: str) -> str:
    token = peer.run("vcjwt-issue", "--key", json.dumps(issuer),
                     input_json=credential(subject_did, issuer["did"]))["jwt"]
    assert isinstance(token, str)
    return token


def jwt_part(token: str, index: int) -> dict[str, Any]:
    part = token.split(".")[index]
    decoded = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    assert isinstance(decoded, dict)
    return decoded


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text + "\n")
    return path


def wallet_dids(cli: Cli) -> dict[str, str]:
    return {k["keyType"]: k["did"] for k in cli.with_passphrase("did", "--json").json()}


@pytest.fixture(scope="module")
def issuers(peer: NodePeer) -> dict[str, dict[str, Any]]:
    """One did:key issuer per key type, made by the peer (keygen output with the private JWK)."""
    return {key_type: peer.run("vcjwt-keygen", "--type", key_type) for key_type in KEY_TYPES}


@pytest.fixture
def imported(peer: NodePeer, issuers: dict[str, dict[str, Any]], cli: Cli, wallet_home: Path,
             tmp_path: Path) -> dict[str, dict[str, Any]]:
    """did-jwt-vc credentials, each issued to the wallet's DID of its issuer's key type, imported
    in one `skillpass import`: key type -> {token, outcome, holder}."""
    holders = wallet_dids(cli)
    tokens = {key_type: issue(peer, issuers[key_type], holders[key_type]) for key_type in KEY_TYPES}
    paths = [str(write(tmp_path, f"{key_type}.jwt", token)) for key_type, token in tokens.items()]
    result = cli.with_passphrase("import", *paths, "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    return {key_type: {"token": tokens[key_type], "outcome": outcome, "holder": holders[key_type]}
            for key_type, outcome in zip(tokens, result.json(), strict=True)}


# -- did-jwt-vc issues, skillpass imports ---------------------------------------------------------


def test_did_jwt_vc_credentials_import_and_show_their_claims(cli: Cli, imported: dict[str, dict[str, Any]],
                                                             issuers: dict[str, dict[str, Any]]) -> None:
    for key_type, alg in KEY_TYPES.items():
        token, outcome = imported[key_type]["token"], imported[key_type]["outcome"]
        shown = cli.with_passphrase("show", outcome["id"], "--json")
        assert shown.returncode == 0, shown.stderr
        document = shown.json()

        assert jwt_part(token, 0) == {"alg": alg, "typ": "JWT"}
        assert jwt_part(token, 1)["sub"] == imported[key_type]["holder"]
        assert outcome["status"] == "imported" and "warning" not in outcome, outcome
        summary = document["summary"]
        assert {c["path"]: c["value"] for c in summary["claims"]} == SHOWN_CLAIMS
        assert summary["subject_id"] == imported[key_type]["holder"]
        assert summary["credential_id"] == CREDENTIAL_ID and summary["vc_version"] == "1.1"
        assert document["issuer"] == issuers[key_type]["did"] and document["format"] == "jwt_vc_json"
        assert (document["issued"], document["status"]) == ("2026-01-15T00:00:00Z", "valid")
        assert [p["suite"] for p in document["verification"]["proofs"]] == [f"VC-JWT ({alg})"]


def test_a_did_jwt_vc_credential_changed_in_one_character_is_refused(
        peer: NodePeer, issuers: dict[str, dict[str, Any]], cli: Cli, wallet_home: Path, tmp_path: Path) -> None:
    header, payload, signature = issue(peer, issuers["P-256"], wallet_dids(cli)["P-256"]).split(".")
    claims = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode()
    assert claims.count('"hours":30') == 1
    changed = base64.urlsafe_b64encode(claims.replace('"hours":30', '"hours":39').encode()).decode().rstrip("=")
    result = cli.with_passphrase("import", str(write(tmp_path, "tampered.jwt", f"{header}.{changed}.{signature}")),
                                 "--json")

    assert result.returncode == ExitStatus.INVALID, result.stdout + result.stderr
    assert result.json()[0]["code"] == "E_SIG_INVALID"
    assert cli.with_passphrase("list", "--json").json() == []


# -- skillpass presents, did-jwt-vc verifies ------------------------------------------------------


@pytest.mark.parametrize("key_type", KEY_TYPES)
def test_our_jwt_presentation_verifies_in_did_jwt_vc(peer: NodePeer, cli: Cli, imported: dict[str, dict[str, Any]],
                                                    tmp_path: Path, key_type: str) -> None:
    out = tmp_path / "vp.jwt"
    shared = cli.with_passphrase("share", imported[key_type]["outcome"]["id"], "--reveal-all",
                                 "--challenge", CHALLENGE, "--domain", DOMAIN, "--out", str(out))
    assert shared.returncode == 0, shared.stderr
    vp = {"jwt": out.read_text().strip()}
    accepted = peer.run("vcjwt-verify-presentation", "--challenge", CHALLENGE, "--domain", DOMAIN, input_json=vp)
    other_challenge = peer.run("vcjwt-verify-presentation", "--challenge", "another", "--domain", DOMAIN,
                               input_json=vp)
    other_domain = peer.run("vcjwt-verify-presentation", "--challenge", CHALLENGE, "--domain", "elsewhere.example",
                            input_json=vp)

    holder = imported[key_type]["holder"]
    assert jwt_part(vp["jwt"], 0)["alg"] == KEY_TYPES[key_type]
    assert accepted["verified"] is True, accepted
    assert accepted["holder"] == holder
    assert [(r["verified"], r["subject"]) for r in accepted["credentialResults"]] == [(True, holder)]
    assert other_challenge["verified"] is False and "challenge" in other_challenge["error"]
    assert other_domain["verified"] is False and "aud" in other_domain["error"]


# -- did-jwt-vc presents, skillpass verifies ------------------------------------------------------


@pytest.fixture(scope="module", params=list(KEY_TYPES))
def peer_presentation(request: pytest.FixtureRequest, peer: NodePeer,
                      issuers: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A did-jwt-vc JWT presentation by a holder did:key the peer made, of a credential issued to
    it, with CHALLENGE and DOMAIN."""
    holder = peer.run("vcjwt-keygen", "--type", request.param)
    token = issue(peer, issuers[request.param], holder["did"])
    vp = peer.run("vcjwt-present", "--key", json.dumps(holder), "--challenge", CHALLENGE, "--domain", DOMAIN,
                  input_json={"credentials": [token]})["jwt"]
    return {"jwt": vp, "holder": holder["did"]}


def test_a_did_jwt_vc_presentation_verifies_here(cli: Cli, tmp_path: Path,
                                                 peer_presentation: dict[str, Any]) -> None:
    path = write(tmp_path, "vp.jwt", peer_presentation["jwt"])
    report = cli("verify", str(path), "--challenge", CHALLENGE, "--domain", DOMAIN, "--json")
    wrong = cli("verify", str(path), "--challenge", "another", "--domain", DOMAIN, "--json")
    elsewhere = cli("verify", str(path), "--challenge", CHALLENGE, "--domain", "elsewhere.example", "--json")

    claims = jwt_part(peer_presentation["jwt"], 1)
    assert (claims["nonce"], claims["aud"]) == (CHALLENGE, [DOMAIN])  # did-jwt-vc's encoding
    assert report.returncode == 0, report.stdout + report.stderr
    document = report.json()
    checks = {c["name"]: c["status"] for c in document["checks"]}
    assert document["outcome"] == "verified" and document["holder"] == peer_presentation["holder"]
    assert checks["holder proof"] == checks["challenge"] == checks["domain"] == "passed"
    assert checks["credential 1 holder binding"] == "passed"
    assert wrong.returncode == ExitStatus.INVALID, wrong.stdout + wrong.stderr
    assert {c["name"]: c["status"] for c in wrong.json()["checks"]}["challenge"] == "failed"
    assert elsewhere.returncode == ExitStatus.INVALID, elsewhere.stdout + elsewhere.stderr
    assert {c["name"]: c["status"] for c in elsewhere.json()["checks"]}["domain"] == "failed"
