"""ecdsa-rdfc-2019 (vc-di-ecdsa 3.3), P-256 and P-384, against the W3C vectors.

The vectors' signatures are RFC 6979 deterministic, and so are ours: signing reproduces them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from skillpass import suites
from skillpass.dids import resolve_verification_method
from skillpass.errors import InvalidError
from skillpass.jsonld import canon
from skillpass.jsonld.loader import ContextStore
from skillpass.keys import multibase, multikey
from skillpass.suites import ecdsa_rdfc_2019 as suite
from skillpass.suites.proof import data_integrity_proof_config, proof_options

EXAMPLES_V2 = "https://www.w3.org/ns/credentials/examples/v2"
CITIZENSHIP = "https://w3id.org/citizenship/v4rc1"
CURVES = {"p256": ("P-256", "ECDSAP256", 64), "p384": ("P-384", "ECDSAP384", 96)}


def load(path: Path) -> Any:
    return json.loads(path.read_text())


def vector_store(vectors: Path, *urls: str) -> ContextStore:
    files = {entry["url"]: entry["file"] for entry in load(vectors / "contexts" / "index.json")}
    return ContextStore.bundled().with_extra(
        {url: (vectors / "contexts" / files[url]).read_bytes() for url in urls})


@pytest.fixture
def store(vectors: Path) -> ContextStore:
    return vector_store(vectors, EXAMPLES_V2, CITIZENSHIP)


def text(path: Path) -> str:
    return path.read_text().strip()


CASES = [(curve, variant) for curve in CURVES for variant in ("", "employ")]


@pytest.mark.parametrize("curve, variant", CASES)
def test_each_step_reproduces_the_w3c_vector(vectors: Path, store: ContextStore, curve: str,
                                             variant: str) -> None:
    root = vectors / "ecdsa-rdfc-2019"
    key_type, tag, size = CURVES[curve]
    folder = root / curve / variant
    unsigned = load(root / ("employmentAuth.json" if variant else "unsigned.json"))
    options = proof_options(load(folder / f"signed{tag}.json")["proof"])

    transformed = suite.transformation(unsigned, options, key_type=key_type, store=store)
    assert transformed == (folder / f"canonDoc{tag}.txt").read_text()
    assert data_integrity_proof_config(unsigned, options) == load(folder / f"proofConfig{tag}.json")
    canonical_config = suite.proof_configuration(unsigned, options, key_type=key_type, store=store)
    assert canonical_config == (folder / f"proofCanon{tag}.txt").read_text()
    data = suite.hashing(transformed, canonical_config, key_type=key_type)
    half = len(data) // 2
    assert half == size // 2  # SHA-256 for P-256, SHA-384 for P-384
    assert data[:half].hex() == text(folder / f"proofHash{tag}.txt")
    assert data[half:].hex() == text(folder / f"docHash{tag}.txt")
    assert data.hex() == text(folder / f"combinedHash{tag}.txt")
    secret = multikey.decode_secret_key(load(root / f"{curve}KeyPair.json")["secretKeyMultibase"])
    assert suite.proof_serialization(data, secret).hex() == text(folder / f"sigHex{tag}.txt")


@pytest.mark.parametrize("curve, variant", CASES)
def test_sign_reproduces_and_verify_accepts_the_signed_vector(
        vectors: Path, store: ContextStore, curve: str, variant: str) -> None:
    root = vectors / "ecdsa-rdfc-2019"
    key_type, tag, _ = CURVES[curve]
    signed = load(root / curve / variant / f"signed{tag}.json")
    secret = multikey.decode_secret_key(load(root / f"{curve}KeyPair.json")["secretKeyMultibase"])
    ours = suites.sign(load(root / ("employmentAuth.json" if variant else "unsigned.json")),
                       suite="ecdsa-rdfc-2019", private_key=secret,
                       verification_method=signed["proof"]["verificationMethod"],
                       created=signed["proof"]["created"], store=store)
    assert ours == signed
    [result] = suites.verify_proofs(signed, expected_purpose="assertionMethod", controller=None,
                                    store=store)
    assert (result.suite, result.key_type) == ("ecdsa-rdfc-2019", key_type)


@pytest.mark.parametrize("curve", CURVES)
def test_a_der_encoded_signature_is_refused(vectors: Path, store: ContextStore,
                                            curve: str) -> None:
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    root = vectors / "ecdsa-rdfc-2019"
    signed = load(root / curve / f"signed{CURVES[curve][1]}.json")
    raw = multibase.decode(signed["proof"]["proofValue"], max_bytes=96)
    half = len(raw) // 2
    der = encode_dss_signature(int.from_bytes(raw[:half], "big"), int.from_bytes(raw[half:], "big"))
    signed["proof"]["proofValue"] = multibase.encode(der, "z")
    with pytest.raises(InvalidError) as err:
        suites.verify_proofs(signed, expected_purpose="assertionMethod", controller=None,
                             store=store)
    assert err.value.code == "E_PROOF_MALFORMED"
    assert f"must be {CURVES[curve][2]} bytes" in err.value.message


def test_p384_canonicalization_hashes_with_sha384() -> None:
    """vc-di-ecdsa 3.3.3: RDFC-1.0 itself uses the curve's hash; it decides blank node labels."""
    document = {"@context": ["https://www.w3.org/ns/credentials/v2"],
                "type": ["VerifiableCredential"], "issuer": "did:example:issuer",
                "credentialSubject": {"schema:knows": [{"schema:name": "a"},
                                                       {"schema:name": "b"}]}}
    sha256_form = canon.canonize(document)
    sha384_form = suite.canonize_for(document, "P-384", None)
    assert suite.canonize_for(document, "P-256", None) == sha256_form
    assert sha384_form != sha256_form  # the two blank nodes swap labels
    assert sorted(_shape(sha384_form)) == sorted(_shape(sha256_form))


def _shape(nquads: str) -> list[str]:
    import re

    return [re.sub(r"_:c14n\d+", "_:b", line) for line in nquads.splitlines()]


@pytest.mark.parametrize("curve, key_type", [(ec.SECP256R1(), "P-256"), (ec.SECP384R1(), "P-384")])
def test_round_trip_with_a_fresh_did_key(curve: ec.EllipticCurve, key_type: str) -> None:
    key = ec.generate_private_key(curve)
    encoded = multikey.encode_public_key(key.public_key())
    did = f"did:key:{encoded}"
    credential = {"@context": ["https://www.w3.org/ns/credentials/v2"],
                  "type": ["VerifiableCredential"], "issuer": did,
                  "credentialSubject": {"id": "did:example:learner",
                                        "schema:knows": [{"schema:name": "a"},
                                                         {"schema:name": "b"}]}}
    signed = suites.sign(credential, suite="ecdsa-rdfc-2019", private_key=key,
                         verification_method=f"{did}#{encoded}")
    [result] = suites.verify_proofs(signed, expected_purpose="assertionMethod", controller=did)
    assert result.key_type == key_type
    method = resolve_verification_method(f"{did}#{encoded}")
    suite.verify_proof({k: v for k, v in signed.items() if k != "proof"}, signed["proof"], method)
