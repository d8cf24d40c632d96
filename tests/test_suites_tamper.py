"""One negative test per check of `verify_proofs`, across every suite and key type.

Each test starts from a credential our `sign` made (round trips are covered per suite) and
changes one thing.
"""

from __future__ import annotations

import copy
from datetime import datetime, timezone
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from skillpass import suites
from skillpass.errors import BadInputError, InvalidError, UnverifiableError
from skillpass.keys import multibase, multikey

VC1 = "https://www.w3.org/2018/credentials/v1"
VC2 = "https://www.w3.org/ns/credentials/v2"
OB303 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB30 = "https://purl.imsglobal.org/spec/ob/v3p0/context.json"
ED2020 = "https://w3id.org/security/suites/ed25519-2020/v1"
# Contexts that define none of the OB terms the credential uses: swapping one in changes meaning.
SWAP_V2 = "https://www.w3.org/ns/credentials/undefined-terms/v2"
SWAP_V1 = "https://w3id.org/vc/status-list/2021/v1"

SUITE_KEYS = [("eddsa-rdfc-2022", "Ed25519"), ("eddsa-jcs-2022", "Ed25519"),
              ("ecdsa-rdfc-2019", "P-256"), ("ecdsa-rdfc-2019", "P-384"),
              ("ecdsa-jcs-2019", "P-256"), ("ecdsa-jcs-2019", "P-384"),
              ("Ed25519Signature2020", "Ed25519"), ("Ed25519Signature2018", "Ed25519")]
LEGACY = {"Ed25519Signature2020", "Ed25519Signature2018"}


class Identity:
    def __init__(self, key_type: str) -> None:
        self.key = {"Ed25519": ed25519.Ed25519PrivateKey.generate,
                    "P-256": lambda: ec.generate_private_key(ec.SECP256R1()),
                    "P-384": lambda: ec.generate_private_key(ec.SECP384R1())}[key_type]()
        encoded = multikey.encode_public_key(self.key.public_key())
        self.did = f"did:key:{encoded}"
        self.vm = f"{self.did}#{encoded}"


def credential(suite: str, issuer: str) -> dict[str, Any]:
    legacy = suite in LEGACY
    contexts = [VC1, OB30] + ([ED2020] if suite == "Ed25519Signature2020" else []) if legacy \
        else [VC2, OB303]
    dated = {"issuanceDate": "2024-05-01T00:00:00Z"} if legacy else {
        "validFrom": "2024-05-01T00:00:00Z"}
    return {"@context": contexts, "id": "urn:uuid:2f1c0a2e-5b7d-4c1e-9a55-0f1d2c3b4a59",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": issuer, "type": "Profile", "name": "Collège Boréal"}, **dated,
            "name": "Teamwork",
            "credentialSubject": {"id": "did:example:learner", "type": "AchievementSubject",
                                  "achievement": {"id": "https://example.edu/a/1",
                                                  "type": "Achievement", "name": "Teamwork",
                                                  "criteria": {"narrative": "Peer nominated."}}}}


@pytest.fixture(scope="module", params=SUITE_KEYS, ids=lambda p: f"{p[0]}-{p[1]}")
def case(request: pytest.FixtureRequest) -> tuple[str, Identity, dict[str, Any]]:
    suite, key_type = request.param
    issuer = Identity(key_type)
    signed = suites.sign(credential(suite, issuer.did), suite=suite, private_key=issuer.key,
                         verification_method=issuer.vm, created="2024-05-01T12:00:00Z")
    return suite, issuer, signed


def verify(document: dict[str, Any], **kwargs: Any) -> list[suites.ProofResult]:
    kwargs.setdefault("expected_purpose", "assertionMethod")
    kwargs.setdefault("controller", document.get("issuer", {}).get("id"))
    return suites.verify_proofs(document, **kwargs)


def fails(document: dict[str, Any], error: type[Exception], code: str, **kwargs: Any) -> Any:
    with pytest.raises(error) as err:
        verify(document, **kwargs)
    assert err.value.code == code, err.value.message  # type: ignore[attr-defined]
    return err.value


def signature_value(proof: dict[str, Any]) -> str:
    return "jws" if "jws" in proof else "proofValue"


# -- positive control ---------------------------------------------------------------------------


def test_the_untouched_credential_verifies(case: Any) -> None:
    suite, issuer, signed = case
    [result] = verify(signed)
    assert (result.suite, result.controller) == (suite, issuer.did)


# -- one change each ----------------------------------------------------------------------------


def test_a_changed_claim_is_invalid(case: Any) -> None:
    suite, issuer, signed = case
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["achievement"]["name"] = "Leadership"
    error = fails(tampered, InvalidError, "E_SIG_INVALID")
    assert error.message == f"signature does not verify ({suite}, {issuer.vm})"


def test_a_changed_signature_is_invalid(case: Any) -> None:
    _, _, signed = case
    tampered = copy.deepcopy(signed)
    proof = tampered["proof"]
    if "jws" in proof:
        header, signature = proof["jws"].split("..")
        raw = bytearray(multibase.b64url_decode(signature, max_bytes=64))
        raw[0] ^= 1
        proof["jws"] = f"{header}..{multibase.b64url_encode(bytes(raw))}"
    else:
        raw = bytearray(multibase.decode(proof["proofValue"], max_bytes=96))
        raw[-1] ^= 1
        proof["proofValue"] = multibase.encode(bytes(raw), "z")
    fails(tampered, InvalidError, "E_SIG_INVALID")


def test_another_keys_verification_method_is_invalid(case: Any) -> None:
    suite, issuer, signed = case
    tampered = copy.deepcopy(signed)
    other = Identity(multikey.key_type(issuer.key))
    tampered["proof"]["verificationMethod"] = other.vm
    fails(tampered, InvalidError, "E_SIG_INVALID", controller=None)
    # and with the issuer check on, the foreign key is named before any crypto
    fails(tampered, InvalidError, "E_CONTROLLER_MISMATCH")


def test_a_credential_claiming_another_issuer_is_refused(case: Any) -> None:
    _, _, signed = case
    tampered = copy.deepcopy(signed)
    tampered["issuer"]["id"] = Identity("Ed25519").did
    fails(tampered, InvalidError, "E_CONTROLLER_MISMATCH")


def test_the_wrong_purpose_is_refused(case: Any) -> None:
    _, _, signed = case
    fails(signed, InvalidError, "E_PROOF_PURPOSE", expected_purpose="authentication")
    relabelled = copy.deepcopy(signed)
    relabelled["proof"]["proofPurpose"] = "authentication"  # the purpose is signed too
    fails(relabelled, InvalidError, "E_SIG_INVALID", expected_purpose="authentication")


def test_a_swapped_context_is_invalid(case: Any) -> None:
    suite, _, signed = case
    tampered = copy.deepcopy(signed)
    contexts = tampered["@context"]
    contexts[1] = SWAP_V1 if suite in LEGACY else SWAP_V2
    if suite in LEGACY:
        # The swapped-in status-list context does not define the badge's terms: refused before
        # any signature is checked, rather than left out of the signed statements.
        fails(tampered, BadInputError, "E_JSONLD_UNDEFINED_TERM")
        return
    code = "E_PROOF_CONTEXT" if suite.endswith(("jcs-2022", "jcs-2019")) else "E_SIG_INVALID"
    fails(tampered, InvalidError, code)


def test_a_removed_proof_is_not_a_signed_document(case: Any) -> None:
    _, _, signed = case
    unsigned = {k: v for k, v in signed.items() if k != "proof"}
    fails(unsigned, InvalidError, "E_NO_PROOF")
    fails({**unsigned, "proof": []}, InvalidError, "E_NO_PROOF")


def test_a_truncated_signature_is_malformed(case: Any) -> None:
    _, _, signed = case
    tampered = copy.deepcopy(signed)
    proof = tampered["proof"]
    if "jws" in proof:
        proof["jws"] = proof["jws"][:-8]
    else:
        proof["proofValue"] = multibase.encode(multibase.decode(proof["proofValue"], max_bytes=96)[:-1], "z")
    fails(tampered, InvalidError, "E_PROOF_MALFORMED")


# -- checks that do not depend on the suite -----------------------------------------------------


@pytest.fixture(scope="module")
def signed_vc() -> tuple[Identity, dict[str, Any]]:
    issuer = Identity("Ed25519")
    return issuer, suites.sign(credential("eddsa-rdfc-2022", issuer.did), suite="eddsa-rdfc-2022",
                               private_key=issuer.key, verification_method=issuer.vm)


@pytest.mark.parametrize("proof, name", [
    ({"type": "BbsSignature2022"}, "BbsSignature2022"),
    ({"type": "BbsBlsSignature2020"}, "BbsBlsSignature2020"),
    ({"type": "BbsBlsSignatureProof2020"}, "BbsBlsSignatureProof2020"),
    ({"type": "DataIntegrityProof", "cryptosuite": "bbs-2023"}, "bbs-2023"),
    ({"type": "RsaSignature2018"}, "RsaSignature2018"),
])
def test_an_unsupported_suite_is_unverifiable_and_named(signed_vc: Any, proof: dict[str, Any],
                                                        name: str) -> None:
    _, signed = signed_vc
    document = {**signed, "proof": {**proof, "proofPurpose": "assertionMethod",
                                    "verificationMethod": "did:example:x#1", "proofValue": "z1"}}
    error = fails(document, UnverifiableError, "E_SUITE_UNSUPPORTED")
    assert error.message == f"unsupported proof suite {name}"
    # one unsupported proof in a set makes the whole document unverifiable
    fails({**signed, "proof": [signed["proof"], document["proof"]]}, UnverifiableError,
          "E_SUITE_UNSUPPORTED")


def test_challenge_and_domain_must_match_when_expected() -> None:
    holder = Identity("Ed25519")
    presentation = {"@context": [VC2], "type": ["VerifiablePresentation"], "holder": holder.did}
    signed = suites.sign(presentation, suite="eddsa-rdfc-2022", private_key=holder.key,
                         verification_method=holder.vm, proof_purpose="authentication",
                         challenge="nonce-1", domain="https://employer.example")
    check = dict(expected_purpose="authentication", controller=holder.did)
    [result] = verify(signed, challenge="nonce-1", domain="https://employer.example", **check)
    assert (result.challenge, result.domain) == ("nonce-1", ("https://employer.example",))
    fails(signed, InvalidError, "E_CHALLENGE", challenge="nonce-2", **check)
    fails(signed, InvalidError, "E_DOMAIN", domain="https://other.example", **check)
    unbound = suites.sign(presentation, suite="eddsa-rdfc-2022", private_key=holder.key,
                          verification_method=holder.vm, proof_purpose="authentication")
    fails(unbound, InvalidError, "E_CHALLENGE", challenge="nonce-1", **check)
    fails(unbound, InvalidError, "E_DOMAIN", domain="https://employer.example", **check)


def test_an_expired_proof_is_invalid() -> None:
    from skillpass.suites import eddsa_rdfc_2022

    issuer = Identity("Ed25519")
    document = credential("eddsa-rdfc-2022", issuer.did)
    options = {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022",
               "created": "2024-05-01T00:00:00Z", "expires": "2025-05-01T00:00:00Z",
               "verificationMethod": issuer.vm, "proofPurpose": "assertionMethod"}
    signed = {**document, "proof": eddsa_rdfc_2022.create_proof(document, options, issuer.key)}
    verify(signed, now=datetime(2025, 4, 30, tzinfo=timezone.utc))
    fails(signed, InvalidError, "E_PROOF_EXPIRED", now=datetime(2025, 5, 2, tzinfo=timezone.utc))


def test_a_key_listed_only_for_authentication_cannot_issue(signed_vc: Any) -> None:
    issuer, signed = signed_vc
    did = "did:web:college.example"
    document = {"id": did, "verificationMethod": [
        {"id": f"{did}#k", "type": "Multikey", "controller": did,
         "publicKeyMultibase": multikey.encode_public_key(issuer.key.public_key())}],
        "authentication": [f"{did}#k"]}
    tampered = copy.deepcopy(signed)
    tampered["proof"]["verificationMethod"] = f"{did}#k"
    tampered["issuer"]["id"] = did
    fails(tampered, InvalidError, "E_VM_RELATIONSHIP", did_cache={did: document})


def test_an_unknown_did_web_issuer_is_unverifiable(signed_vc: Any) -> None:
    _, signed = signed_vc
    tampered = copy.deepcopy(signed)
    tampered["proof"]["verificationMethod"] = "did:web:college.example#k"
    error = fails(tampered, UnverifiableError, "E_DID_UNKNOWN", controller=None)
    assert "skillpass dids add FILE" in error.hint and "verify --did FILE" in error.hint


def test_a_key_of_the_wrong_type_for_the_suite_is_refused(signed_vc: Any) -> None:
    _, signed = signed_vc
    tampered = copy.deepcopy(signed)
    tampered["proof"]["verificationMethod"] = Identity("P-256").vm
    fails(tampered, InvalidError, "E_KEY_TYPE", controller=None)


def test_an_unknown_context_is_unverifiable_and_named(signed_vc: Any) -> None:
    _, signed = signed_vc
    tampered = {**signed, "@context": [*signed["@context"], "https://example.org/unknown/v1"]}
    error = fails(tampered, UnverifiableError, "E_CONTEXT_UNKNOWN")
    assert "https://example.org/unknown/v1" in error.message


@pytest.mark.parametrize("change", [
    {"verificationMethod": None}, {"proofPurpose": None}, {"type": None},
    {"cryptosuite": None}, {"proofValue": None}, {"proofValue": "uAAAA"},
    {"proofValue": "z0OIl"}, {"created": "yesterday"}, {"expires": "2030-01-01T00:00:00"},
    {"domain": 42}, {"previousProof": 7},
])
def test_malformed_proof_fields_are_named(signed_vc: Any, change: dict[str, Any]) -> None:
    _, signed = signed_vc
    proof = {k: v for k, v in signed["proof"].items() if change.get(k, v) is not None}
    proof.update({k: v for k, v in change.items() if v is not None})
    fails({**signed, "proof": proof}, InvalidError, "E_PROOF_MALFORMED")


def test_a_proof_that_is_not_an_object_is_malformed(signed_vc: Any) -> None:
    _, signed = signed_vc
    fails({**signed, "proof": [signed["proof"], "zSig"]}, InvalidError, "E_PROOF_MALFORMED")


def test_a_document_that_is_not_an_object_is_bad_input() -> None:
    with pytest.raises(BadInputError):
        suites.verify_proofs([], expected_purpose="assertionMethod",  # type: ignore[arg-type]
                             controller=None)


def test_signing_refuses_a_key_that_does_not_match_the_method() -> None:
    issuer, other = Identity("Ed25519"), Identity("Ed25519")
    with pytest.raises(BadInputError) as err:
        suites.sign(credential("eddsa-rdfc-2022", issuer.did), suite="eddsa-rdfc-2022",
                    private_key=other.key, verification_method=issuer.vm)
    assert err.value.code == "E_KEY_MISMATCH"


def test_signing_refuses_an_already_signed_document(signed_vc: Any) -> None:
    issuer, signed = signed_vc
    with pytest.raises(BadInputError):
        suites.sign(signed, suite="eddsa-rdfc-2022", private_key=issuer.key,
                    verification_method=issuer.vm)


def test_expiry_accepts_a_naive_now_as_utc_and_refuses_dates_python_cannot_hold() -> None:
    from skillpass.suites import eddsa_rdfc_2022

    issuer = Identity("Ed25519")
    document = credential("eddsa-rdfc-2022", issuer.did)
    options = {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022",
               "verificationMethod": issuer.vm, "proofPurpose": "assertionMethod",
               "expires": "2025-05-01T00:00:00Z"}
    signed = {**document, "proof": eddsa_rdfc_2022.create_proof(document, options, issuer.key)}
    fails(signed, InvalidError, "E_PROOF_EXPIRED", now=datetime(2025, 5, 2))
    signed["proof"]["expires"] = "12025-05-01T00:00:00Z"
    fails(signed, InvalidError, "E_PROOF_MALFORMED")
