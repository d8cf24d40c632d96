"""Ed25519Signature2020 (the legacy OB 3.0 suite) against the vc-di-eddsa vector."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from skillpass import suites
from skillpass.errors import InvalidError
from skillpass.jsonld.loader import ContextStore
from skillpass.keys import multikey
from skillpass.suites import ed25519_signature_2020 as suite
from skillpass.suites.proof import proof_options

EXAMPLES_V2 = "https://www.w3.org/ns/credentials/examples/v2"


def load(path: Path) -> Any:
    return json.loads(path.read_text())


@pytest.fixture
def folder(vectors: Path) -> Path:
    return vectors / "ed25519-signature-2020"


@pytest.fixture
def store(vectors: Path) -> ContextStore:
    files = {e["url"]: e["file"] for e in load(vectors / "contexts" / "index.json")}
    return ContextStore.bundled().with_extra(
        {EXAMPLES_V2: (vectors / "contexts" / files[EXAMPLES_V2]).read_bytes()})


def text(path: Path) -> str:
    return path.read_text().strip()


def test_each_step_reproduces_the_vector(folder: Path, store: ContextStore) -> None:
    # The unsigned input lacks the suite context; signing adds it, as jsonld-signatures does.
    unsigned = suite.ensure_suite_context(load(folder / "unsigned.json"))
    assert unsigned["@context"] == load(folder / "signedEdSig.json")["@context"]
    options = proof_options(load(folder / "signedEdSig.json")["proof"])
    transformed = suite.transformation(unsigned, options, store=store)
    assert transformed == (folder / "canonDocEdSig.txt").read_text()
    canonical_config = suite.proof_configuration(unsigned, options, store=store)
    assert canonical_config == (folder / "proofCanonEdSig.txt").read_text()
    data = suite.hashing(transformed, canonical_config)
    assert data[:32].hex() == text(folder / "proofHashEdSig.txt")
    assert data[32:].hex() == text(folder / "docHashEdSig.txt")
    assert data.hex() == text(folder / "combinedHashEdSig.txt")
    secret = multikey.decode_secret_key(load(folder / "keyPair.json")["privateKeyMultibase"])
    assert suite.proof_serialization(data, secret).hex() == text(folder / "sigHexEdSig.txt")


def test_sign_reproduces_and_verify_accepts_the_signed_vector(folder: Path,
                                                              store: ContextStore) -> None:
    signed = load(folder / "signedEdSig.json")
    secret = multikey.decode_secret_key(load(folder / "keyPair.json")["privateKeyMultibase"])
    ours = suites.sign(load(folder / "unsigned.json"), suite="Ed25519Signature2020",
                       private_key=secret,
                       verification_method=signed["proof"]["verificationMethod"],
                       created=signed["proof"]["created"], store=store)
    assert ours == signed
    assert list(ours["proof"]) == ["type", "created", "verificationMethod", "proofPurpose",
                                   "proofValue"]
    [result] = suites.verify_proofs(signed, expected_purpose="assertionMethod", controller=None,
                                    store=store)
    assert (result.suite, result.proof_type) == ("Ed25519Signature2020", "Ed25519Signature2020")


def test_a_document_without_the_suite_context_is_refused(folder: Path,
                                                         store: ContextStore) -> None:
    signed = load(folder / "signedEdSig.json")
    signed["@context"] = signed["@context"][:2]
    with pytest.raises(InvalidError) as err:
        suites.verify_proofs(signed, expected_purpose="assertionMethod", controller=None,
                             store=store)
    assert err.value.code == "E_PROOF_CONTEXT"


def test_signing_adds_the_suite_context_when_missing() -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    encoded = multikey.encode_public_key(key.public_key())
    did = f"did:key:{encoded}"
    credential = {"@context": ["https://www.w3.org/2018/credentials/v1"],
                  "type": ["VerifiableCredential"], "issuer": did,
                  "issuanceDate": "2024-01-01T00:00:00Z",
                  "credentialSubject": {"id": "did:example:learner"}}
    signed = suites.sign(credential, suite="Ed25519Signature2020", private_key=key,
                         verification_method=f"{did}#{encoded}")
    assert signed["@context"] == ["https://www.w3.org/2018/credentials/v1", suite.SUITE_CONTEXT]
    [result] = suites.verify_proofs(signed, expected_purpose="assertionMethod", controller=did)
    assert result.key_type == "Ed25519"
