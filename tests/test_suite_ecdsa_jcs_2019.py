"""ecdsa-jcs-2019 (vc-di-ecdsa 3.4), P-256 and P-384, against the W3C vectors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from skillpass import suites
from skillpass.errors import BadInputError, InvalidError
from skillpass.keys import multikey
from skillpass.suites import ecdsa_jcs_2019 as suite
from skillpass.suites.proof import proof_options

CURVES = {"p256": ("P-256", "JCSECDSAP256"), "p384": ("P-384", "JCSECDSAP384")}


def load(path: Path) -> Any:
    return json.loads(path.read_text())


def text(path: Path) -> str:
    return path.read_text().strip()


def secret(root: Path, curve: str) -> Any:
    return multikey.decode_secret_key(load(root / f"{curve}KeyPair.json")["secretKeyMultibase"])


@pytest.mark.parametrize("curve", CURVES)
def test_each_step_reproduces_the_w3c_vector(vectors: Path, curve: str) -> None:
    root = vectors / "ecdsa-jcs-2019"
    key_type, tag = CURVES[curve]
    folder = root / curve
    unsigned = load(root / "unsigned.json")
    options = proof_options(load(folder / f"signed{tag}.json")["proof"])
    assert options == load(folder / f"proofConfig{tag}.json")
    transformed = suite.transformation(unsigned, options)
    assert transformed == (folder / f"canonDoc{tag}.txt").read_bytes().strip()
    canonical_config = suite.proof_configuration(options)
    assert canonical_config == (folder / f"proofCanon{tag}.txt").read_bytes().strip()
    data = suite.hashing(transformed, canonical_config, key_type=key_type)
    half = len(data) // 2
    assert half == (32 if key_type == "P-256" else 48)
    assert data[:half].hex() == text(folder / f"proofHash{tag}.txt")
    assert data[half:].hex() == text(folder / f"docHash{tag}.txt")
    assert data.hex() == text(folder / f"combinedHash{tag}.txt")
    assert suite.proof_serialization(data, secret(root, curve)).hex() == text(
        folder / f"sigHex{tag}.txt")


@pytest.mark.parametrize("curve", CURVES)
def test_sign_reproduces_and_verify_accepts_the_signed_vector(vectors: Path, curve: str) -> None:
    root = vectors / "ecdsa-jcs-2019"
    key_type, tag = CURVES[curve]
    signed = load(root / curve / f"signed{tag}.json")
    ours = suites.sign(load(root / "unsigned.json"), suite="ecdsa-jcs-2019",
                       private_key=secret(root, curve),
                       verification_method=signed["proof"]["verificationMethod"],
                       created=signed["proof"]["created"])
    assert ours == signed
    [result] = suites.verify_proofs(signed, expected_purpose="assertionMethod", controller=None)
    assert (result.suite, result.key_type) == ("ecdsa-jcs-2019", key_type)


@pytest.mark.parametrize("curve", CURVES)
def test_a_changed_number_is_caught(vectors: Path, curve: str) -> None:
    signed = load(vectors / "ecdsa-jcs-2019" / curve / f"signed{CURVES[curve][1]}.json")
    signed["credentialSubject"]["alumniOf"] = "The School of Forgeries"
    with pytest.raises(InvalidError) as err:
        suites.verify_proofs(signed, expected_purpose="assertionMethod", controller=None)
    assert err.value.code == "E_SIG_INVALID"


@pytest.mark.parametrize("curve, key_type", [(ec.SECP256R1(), "P-256"), (ec.SECP384R1(), "P-384")])
def test_round_trip_with_a_fresh_did_key(curve: ec.EllipticCurve, key_type: str) -> None:
    key = ec.generate_private_key(curve)
    encoded = multikey.encode_public_key(key.public_key())
    did = f"did:key:{encoded}"
    credential = {"@context": ["https://www.w3.org/ns/credentials/v2"],
                  "type": ["VerifiableCredential"], "issuer": did,
                  "credentialSubject": {"id": "did:example:learner", "credits": 7.5}}
    signed = suites.sign(credential, suite="ecdsa-jcs-2019", private_key=key,
                         verification_method=f"{did}#{encoded}")
    [result] = suites.verify_proofs(signed, expected_purpose="assertionMethod", controller=did)
    assert result.key_type == key_type


def test_an_ed25519_key_cannot_sign_ecdsa() -> None:
    from cryptography.hazmat.primitives.asymmetric import ed25519

    key = ed25519.Ed25519PrivateKey.generate()
    encoded = multikey.encode_public_key(key.public_key())
    with pytest.raises(BadInputError) as err:
        suites.sign({"a": 1}, suite="ecdsa-jcs-2019", private_key=key,
                    verification_method=f"did:key:{encoded}#{encoded}")
    assert err.value.code == "E_KEY_TYPE"
