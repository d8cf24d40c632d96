"""Ed25519Signature2018: detached JWS (RFC 7797) over RDFC hashes; the ARUCC/MATTR VSP samples."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from skillpass import suites
from skillpass.dids import resolve_verification_method
from skillpass.errors import BadInputError, InvalidError, UnverifiableError
from skillpass.jsonld.loader import ContextStore
from skillpass.keys import multibase, multikey
from skillpass.suites import ed25519_signature_2018 as suite

MATTR_EXTENSIONS = "https://mattr.global/contexts/vc-extensions/v2"
ACADEMIC_VOCAB = "https://academic-microcredential-vocab.mattrlabs.com/v1"
VC_V1 = "https://www.w3.org/2018/credentials/v1"
VC_V2 = "https://www.w3.org/ns/credentials/v2"


def load(path: Path) -> Any:
    return json.loads(path.read_text())


@pytest.fixture
def arucc(vectors: Path) -> Path:
    return vectors / "mattr" / "arucc-vsp"


@pytest.fixture
def mattr_store(vectors: Path, arucc: Path) -> ContextStore:
    """What a user has after `skillpass contexts add` of the vocabulary (and, if ever pinned in
    the shared vectors, MATTR's extensions context)."""
    extra = {ACADEMIC_VOCAB: (arucc / "academic-microcredential-vocab-v1.jsonld").read_bytes()}
    for entry in load(vectors / "contexts" / "index.json"):
        if entry["url"] == MATTR_EXTENSIONS:
            extra[MATTR_EXTENSIONS] = (vectors / "contexts" / entry["file"]).read_bytes()
    return ContextStore.bundled().with_extra(extra)


def verify(document: dict[str, Any], store: ContextStore | None = None, **kwargs: Any) -> Any:
    kwargs.setdefault("expected_purpose", "assertionMethod")
    kwargs.setdefault("controller", None)
    return suites.verify_proofs(document, store=store, **kwargs)


def new_identity() -> tuple[ed25519.Ed25519PrivateKey, str, str]:
    key = ed25519.Ed25519PrivateKey.generate()
    encoded = multikey.encode_public_key(key.public_key())
    return key, f"did:key:{encoded}", f"did:key:{encoded}#{encoded}"


def vc_v1(issuer: str) -> dict[str, Any]:
    return {"@context": [VC_V1], "type": ["VerifiableCredential"], "issuer": issuer,
            "issuanceDate": "2024-01-01T00:00:00Z",
            "credentialSubject": {"id": "did:example:learner"}}


# -- the ARUCC VSP pilot samples (MATTR VII) ------------------------------------------------------


def test_the_vsp_sample_names_the_missing_mattr_context(arucc: Path,
                                                        mattr_store: ContextStore) -> None:
    signed = load(arucc / "academic-award.valid-ed25519signature2018.json")
    if MATTR_EXTENSIONS in mattr_store:
        [result] = verify(signed, mattr_store, controller=signed["issuer"]["id"])
        assert result.suite == "Ed25519Signature2018"
        return
    with pytest.raises(UnverifiableError) as err:
        verify(signed, mattr_store, controller=signed["issuer"]["id"])
    assert err.value.code == "E_CONTEXT_UNKNOWN"
    assert MATTR_EXTENSIONS in err.value.message


def test_the_modified_vsp_sample_cannot_pass(arucc: Path, mattr_store: ContextStore) -> None:
    with pytest.raises((InvalidError, UnverifiableError)):
        verify(load(arucc / "academic-award.modified-information.json"), mattr_store)


def test_the_vsp_sample_with_a_damaged_jws_is_invalid_before_any_json_ld(arucc: Path) -> None:
    # Refused even with no MATTR context at hand: the JWS header is not base64url JSON.
    with pytest.raises(InvalidError) as err:
        verify(load(arucc / "academic-award.bad-signature.json"))
    assert err.value.code == "E_PROOF_MALFORMED"


def test_the_jws_header_is_the_one_mattr_writes(arucc: Path) -> None:
    jws = load(arucc / "academic-award.valid-ed25519signature2018.json")["proof"]["jws"]
    assert jws.split("..")[0] == suite.ENCODED_HEADER
    header, signature = suite.parse_detached_jws(jws)
    assert header == "eyJhbGciOiJFZERTQSIsImI2NCI6ZmFsc2UsImNyaXQiOlsiYjY0Il19"
    assert len(signature) == 64


# -- the JWS ------------------------------------------------------------------------------------


def test_signing_input_is_the_header_a_dot_and_the_raw_hashes() -> None:
    data = bytes(range(64))
    assert suite.jws_signing_input("abc", data) == b"abc." + data


@pytest.mark.parametrize("header", [{"alg": "EdDSA", "b64": True, "crit": ["b64"]},
                                    {"alg": "EdDSA", "b64": 0, "crit": ["b64"]},
                                    {"alg": "ES256", "b64": False, "crit": ["b64"]},
                                    {"alg": "EdDSA", "b64": False, "crit": ["b64"], "kid": "x"}])
def test_only_the_exact_unencoded_eddsa_header_is_accepted(header: dict[str, Any]) -> None:
    encoded = multibase.b64url_encode(json.dumps(header, separators=(",", ":")).encode())
    with pytest.raises(InvalidError):
        suite.parse_detached_jws(f"{encoded}..{multibase.b64url_encode(bytes(64))}")


def test_an_attached_payload_is_refused() -> None:
    with pytest.raises(InvalidError):
        suite.parse_detached_jws(f"{suite.ENCODED_HEADER}.cGF5bG9hZA."
                                 f"{multibase.b64url_encode(bytes(64))}")


# -- signing and the two proof-option contexts --------------------------------------------------


def test_round_trip_gives_digitalbazaars_proof_shape() -> None:
    key, did, vm = new_identity()
    signed = suites.sign(vc_v1(did), suite="Ed25519Signature2018", private_key=key,
                         verification_method=vm, created="2024-01-02T03:04:05Z")
    assert list(signed["proof"]) == ["type", "created", "verificationMethod", "proofPurpose",
                                     "jws"]
    assert signed["proof"]["jws"].startswith(suite.ENCODED_HEADER + "..")
    [result] = verify(signed, controller=did)
    assert (result.suite, result.created) == ("Ed25519Signature2018", "2024-01-02T03:04:05Z")


def test_a_presentation_round_trip_with_challenge_and_domain() -> None:
    key, did, vm = new_identity()
    presentation = {"@context": [VC_V1], "type": ["VerifiablePresentation"], "holder": did}
    signed = suites.sign(presentation, suite="Ed25519Signature2018", private_key=key,
                         verification_method=vm, proof_purpose="authentication",
                         challenge="n-0S6_WzA2Mj", domain="https://employer.example")
    [result] = verify(signed, expected_purpose="authentication", controller=did,
                      challenge="n-0S6_WzA2Mj", domain="https://employer.example")
    assert result.challenge == "n-0S6_WzA2Mj"


@pytest.mark.parametrize("mode", suite.PROOF_CONTEXT_MODES)
def test_proofs_made_under_either_proof_options_context_verify(mode: str) -> None:
    # Under VC 2.0 the two contexts give different N-Quads, so only the right one verifies.
    key, did, vm = new_identity()
    document = {"@context": [VC_V2], "type": ["VerifiableCredential"], "issuer": did,
                "credentialSubject": {"id": "did:example:learner"}}
    options = {"type": "Ed25519Signature2018", "created": "2024-01-01T00:00:00Z",
               "verificationMethod": vm, "proofPurpose": "assertionMethod"}
    configs = {m: suite.proof_configuration(document, options, mode=m)
               for m in suite.PROOF_CONTEXT_MODES}
    assert configs["security-v2"] != configs["document"]
    data = suite.hashing(suite.transformation(document, options), configs[mode])
    proof = {**options, "jws": suite.proof_serialization(data, key)}
    suite.verify_proof(document, proof, resolve_verification_method(vm))


def test_signing_needs_exactly_one_context_defining_the_suite() -> None:
    key, did, vm = new_identity()
    credential = {**vc_v1(did), "@context": [VC_V2]}
    with pytest.raises(BadInputError) as err:
        suites.sign(credential, suite="Ed25519Signature2018", private_key=key,
                    verification_method=vm)
    assert err.value.code == "E_PROOF_CONTEXT"


def test_a_changed_claim_breaks_the_jws() -> None:
    key, did, vm = new_identity()
    signed = suites.sign(vc_v1(did), suite="Ed25519Signature2018", private_key=key,
                         verification_method=vm)
    signed["credentialSubject"]["id"] = "did:example:mallory"
    with pytest.raises(InvalidError) as err:
        verify(signed, controller=did)
    assert err.value.code == "E_SIG_INVALID"
    assert err.value.message == f"signature does not verify (Ed25519Signature2018, {vm})"
