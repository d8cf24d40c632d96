"""eddsa-rdfc-2022 (vc-di-eddsa 3.3) against the W3C vectors, the 1EdTech OB 3.0 / CLR 2.0 vectors,
and the proof set / proof chain vectors (VC Data Integrity 4.5)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from skillpass import suites
from skillpass.dids import resolve_verification_method
from skillpass.errors import InvalidError
from skillpass.jsonld.loader import ContextStore
from skillpass.keys import multikey
from skillpass.suites import eddsa_rdfc_2022 as suite
from skillpass.suites.proof import data_integrity_proof_config, proof_options

EXAMPLES_V2 = "https://www.w3.org/ns/credentials/examples/v2"
CITIZENSHIP = "https://w3id.org/citizenship/v4rc1"
CLR_201 = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"


def load(path: Path) -> Any:
    return json.loads(path.read_text())


def vector_store(vectors: Path, *urls: str) -> ContextStore:
    """The bundled contexts plus the named ones from the vector folder (test-only contexts)."""
    files = {entry["url"]: entry["file"] for entry in load(vectors / "contexts" / "index.json")}
    return ContextStore.bundled().with_extra(
        {url: (vectors / "contexts" / files[url]).read_bytes() for url in urls})


@pytest.fixture
def w3c(vectors: Path) -> Path:
    return vectors / "eddsa-rdfc-2022"


@pytest.fixture
def store(vectors: Path) -> ContextStore:
    return vector_store(vectors, EXAMPLES_V2, CITIZENSHIP, CLR_201)


def text(path: Path) -> str:
    return path.read_text().strip()


def secret_key(folder: Path) -> Any:
    return multikey.decode_secret_key(load(folder / "keyPair.json")["privateKeyMultibase"])


# -- the W3C vectors, step by step ---------------------------------------------------------------


@pytest.mark.parametrize("variant, unsigned_name", [("", "unsigned.json"),
                                                    ("employ", "employmentAuth.json")])
def test_each_step_reproduces_the_w3c_vector(w3c: Path, store: ContextStore, variant: str,
                                             unsigned_name: str) -> None:
    folder = w3c / variant
    unsigned = load(w3c / unsigned_name)
    options = proof_options(load(folder / "signedDataInt.json")["proof"])

    transformed = suite.transformation(unsigned, options, store=store)
    assert transformed == (folder / "canonDocDataInt.txt").read_text()
    proof_config = load(folder / "proofConfigDataInt.json")
    assert data_integrity_proof_config(unsigned, options) == proof_config
    canonical_config = suite.proof_configuration(unsigned, options, store=store)
    assert canonical_config == (folder / "proofCanonDataInt.txt").read_text()
    data = suite.hashing(transformed, canonical_config)
    assert data[:32].hex() == text(folder / "proofHashDataInt.txt")
    assert data[32:].hex() == text(folder / "docHashDataInt.txt")
    assert data.hex() == text(folder / "combinedHashDataInt.txt")
    signature = suite.proof_serialization(data, secret_key(w3c))
    assert signature.hex() == text(folder / "sigHexDataInt.txt")


@pytest.mark.parametrize("variant, unsigned_name", [("", "unsigned.json"),
                                                    ("employ", "employmentAuth.json")])
def test_sign_reproduces_the_signed_vector(w3c: Path, store: ContextStore, variant: str,
                                           unsigned_name: str) -> None:
    signed = load(w3c / variant / "signedDataInt.json")
    ours = suites.sign(load(w3c / unsigned_name), suite="eddsa-rdfc-2022",
                       private_key=secret_key(w3c),
                       verification_method=signed["proof"]["verificationMethod"],
                       created=signed["proof"]["created"], store=store)
    assert ours == signed
    assert list(ours["proof"]) == ["type", "cryptosuite", "created", "verificationMethod",
                                   "proofPurpose", "proofValue"]


def test_verify_accepts_the_signed_vector(w3c: Path, store: ContextStore) -> None:
    signed = load(w3c / "signedDataInt.json")
    [result] = suites.verify_proofs(signed, expected_purpose="assertionMethod", controller=None,
                                    store=store)
    assert result.suite == "eddsa-rdfc-2022"
    assert result.proof_type == "DataIntegrityProof"
    assert result.verification_method == signed["proof"]["verificationMethod"]
    assert result.controller == "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    assert result.key_type == "Ed25519"
    assert result.created == "2023-02-24T23:36:38Z"


def test_verify_proof_checks_the_signature_itself(w3c: Path, store: ContextStore) -> None:
    signed = load(w3c / "signedDataInt.json")
    method = resolve_verification_method(signed["proof"]["verificationMethod"])
    unsigned = {k: v for k, v in signed.items() if k != "proof"}
    suite.verify_proof(unsigned, signed["proof"], method, store=store)
    unsigned["name"] = "Forged Credential"
    with pytest.raises(InvalidError) as err:
        suite.verify_proof(unsigned, signed["proof"], method, store=store)
    assert err.value.code == "E_SIG_INVALID"


# -- Open Badges 3.0 and CLR 2.0 (1EdTech) --------------------------------------------------------


def ob3_issuer_document(key: dict[str, Any]) -> dict[str, Any]:
    return {"@context": ["https://www.w3.org/ns/did/v1"], "id": key["controller"],
            "verificationMethod": [{"id": key["verificationMethod"], "type": "Multikey",
                                    "controller": key["controller"],
                                    "publicKeyMultibase": key["publicKeyMultibase"]}],
            "assertionMethod": [key["verificationMethod"]]}


@pytest.mark.parametrize("name", ["ob3", "clr2"])
def test_open_badge_and_clr_vectors_verify_against_the_issuer_profile(
        vectors: Path, store: ContextStore, name: str) -> None:
    folder = vectors / "ob3" / "signed"
    key = load(folder / "key.json")
    signed = load(folder / f"{name}_eddsa-rdfc-2022_signed.json")
    [proof] = signed["proof"] if isinstance(signed["proof"], list) else [signed["proof"]]
    unsigned = load(folder / f"{name}_unsigned.json")
    options = proof_options(proof)

    transformed = suite.transformation(unsigned, options, store=store)
    canonical_config = suite.proof_configuration(unsigned, options, store=store)
    assert transformed == (folder / f"{name}_document-canon.nq").read_text()
    assert canonical_config == (folder / f"{name}_proof-canon.nq").read_text()
    data = suite.hashing(transformed, canonical_config)
    assert data[:32].hex() == key["expected"][name]["proofHashHex"]
    assert data[32:].hex() == key["expected"][name]["documentHashHex"]

    [result] = suites.verify_proofs(signed, expected_purpose="assertionMethod",
                                    controller=signed["issuer"]["id"], store=store,
                                    did_cache={key["controller"]: ob3_issuer_document(key)})
    assert result.controller == key["controller"]


def test_ob3_signature_is_reproduced_from_the_published_key(vectors: Path,
                                                            store: ContextStore) -> None:
    folder = vectors / "ob3" / "signed"
    key = load(folder / "key.json")
    seed = bytes.fromhex(key["privateKeyHex_seed_plus_public"])[:32]
    signed = load(folder / "ob3_eddsa-rdfc-2022_signed.json")
    unsigned = load(folder / "ob3_unsigned.json")
    proof = suite.create_proof(unsigned, proof_options(signed["proof"]),
                               ed25519.Ed25519PrivateKey.from_private_bytes(seed), store=store)
    assert proof == signed["proof"]


# -- proof sets and proof chains (VC Data Integrity 4.5) -----------------------------------------


@pytest.mark.parametrize("name, count", [("signedProofSet1.json", 1), ("signedProofSet2.json", 2),
                                         ("signedProofChain1.json", 3),
                                         ("signedProofChain2.json", 4)])
def test_every_proof_of_a_set_or_chain_verifies(vectors: Path, store: ContextStore, name: str,
                                                count: int) -> None:
    signed = load(vectors / "eddsa-proof-sets" / name)
    results = suites.verify_proofs(signed, expected_purpose="assertionMethod", controller=None,
                                   store=store)
    assert len(results) == count
    assert len({r.verification_method for r in results}) == count


def test_a_chained_proof_signs_the_document_with_the_proofs_it_names(vectors: Path,
                                                                     store: ContextStore) -> None:
    folder = vectors / "eddsa-proof-sets"
    last = load(folder / "signedProofChain2.json")["proof"][-1]
    assert proof_options(last) == load(folder / "proofChainConfig2.json")
    # proofChainTempDoc2 = the document plus proof 3, the proof the last one chains to.
    temp_document = load(folder / "proofChainTempDoc2.json")
    key = multikey.decode_secret_key(
        load(folder / "multiKeyPairs.json")["keyPair4"]["privateKeyMultibase"])
    assert suite.create_proof(temp_document, proof_options(last), key, store=store) == last
    method = resolve_verification_method(last["verificationMethod"])
    suite.verify_proof(temp_document, last, method, store=store)


def test_a_chain_missing_the_proof_it_names_is_invalid(vectors: Path, store: ContextStore) -> None:
    signed = load(vectors / "eddsa-proof-sets" / "signedProofChain2.json")
    del signed["proof"][2]  # the proof the last one chains to
    with pytest.raises(InvalidError) as err:
        suites.verify_proofs(signed, expected_purpose="assertionMethod", controller=None,
                             store=store)
    assert err.value.code == "E_PROOF_CHAIN"


def test_one_bad_proof_fails_the_whole_set(vectors: Path, store: ContextStore) -> None:
    signed = load(vectors / "eddsa-proof-sets" / "signedProofSet2.json")
    signed["proof"][1]["proofValue"] = signed["proof"][0]["proofValue"]
    with pytest.raises(InvalidError) as err:
        suites.verify_proofs(signed, expected_purpose="assertionMethod", controller=None,
                             store=store)
    assert err.value.code == "E_SIG_INVALID"
    assert signed["proof"][1]["verificationMethod"] in err.value.message


# -- round trip ---------------------------------------------------------------------------------


def test_round_trip_with_a_fresh_did_key(store: ContextStore) -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    encoded = multikey.encode_public_key(key.public_key())
    did = f"did:key:{encoded}"
    credential = {"@context": ["https://www.w3.org/ns/credentials/v2"],
                  "type": ["VerifiableCredential"], "issuer": did,
                  "credentialSubject": {"id": "did:example:learner"}}
    signed = suites.sign(credential, suite="eddsa-rdfc-2022", private_key=key,
                         verification_method=f"{did}#{encoded}", store=store)
    [result] = suites.verify_proofs(signed, expected_purpose="assertionMethod", controller=did,
                                    store=store)
    assert result.suite == "eddsa-rdfc-2022"
