"""The holder's VerifiablePresentation: context, signature with each suite, binding, present()."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import pytest
from issuing import Issuer, new_issuer, ob3, sign, signed_ob3

from skillpass import suites
from skillpass.errors import BadInputError, InvalidError, UnverifiableError
from skillpass.formats.ldp_vc.presentation import (
    ED25519_2018_CONTEXT,
    VC_V1,
    VC_V2,
    build_presentation,
    holder_binding_warnings,
    present,
    sign_presentation,
)
from skillpass.present.select import REVEAL_ALL, Selection
from skillpass.wallet.keys import HolderKey, generate_holder_key

CHALLENGE, DOMAIN = "3c1f6a0e-challenge", "employer.example"
DI_V2 = "https://w3id.org/security/data-integrity/v2"
Signed = tuple[dict[str, Any], Issuer]
ALLOWED = [("eddsa-rdfc-2022", "Ed25519"), ("ecdsa-rdfc-2019", "P-256"),
           ("Ed25519Signature2018", "Ed25519")]
REFUSED = [("eddsa-rdfc-2022", "P-256"), ("ecdsa-rdfc-2019", "Ed25519"),
           ("Ed25519Signature2018", "P-256")]


@pytest.fixture(scope="module")
def keys() -> dict[str, HolderKey]:
    return {kind: generate_holder_key(kind, "2026-11-01T00:00:00Z") for kind in ("Ed25519", "P-256")}


@pytest.fixture(scope="module")
def sd_signed(keys: dict[str, HolderKey]) -> Signed:
    issuer = new_issuer("P-256")
    credential = ob3("Data Analysis Fundamentals", issuer=issuer, subject=keys["Ed25519"].did)
    credential["name"] = "Micro-credential: data analysis"
    return sign(credential, issuer, "ecdsa-sd-2023"), issuer


def verify_vp(vp: dict[str, Any], holder: str, challenge: str = CHALLENGE,
              domain: str = DOMAIN) -> list[Any]:
    return suites.verify_proofs(vp, expected_purpose="authentication", controller=holder,
                                challenge=challenge, domain=domain)


# -- build --------------------------------------------------------------------------------------

def test_presentation_shape() -> None:
    credential, _ = signed_ob3("eddsa-rdfc-2022")

    vp = build_presentation([credential], holder="did:key:z6MkHolder", vp_id="urn:uuid:1")

    assert vp == {"@context": [VC_V2], "type": ["VerifiablePresentation"],
                  "verifiableCredential": [credential], "id": "urn:uuid:1",
                  "holder": "did:key:z6MkHolder"}


@pytest.mark.parametrize(("suites_used", "context"), [
    (["Ed25519Signature2018"], VC_V1),
    (["Ed25519Signature2018", "Ed25519Signature2020"], VC_V1),
    (["eddsa-rdfc-2022"], VC_V2),
    (["Ed25519Signature2018", "eddsa-rdfc-2022"], VC_V2),  # a mix: 2.0
    ([], VC_V2),
])
def test_context_follows_the_credentials(suites_used: list[str], context: str) -> None:
    credentials = [signed_ob3(suite)[0] for suite in suites_used]

    vp = build_presentation(credentials, holder=None)

    assert vp["@context"] == [context]
    assert "holder" not in vp
    assert ("verifiableCredential" in vp) == bool(credentials)


def test_a_credential_without_a_vc_context_is_refused() -> None:
    with pytest.raises(BadInputError) as caught:
        build_presentation([{"@context": ["https://schema.org"], "type": ["Thing"]}], holder=None)
    assert caught.value.code == "E_CONTEXT_FIRST"


# -- sign ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("suite", "key_type"), ALLOWED)
@pytest.mark.parametrize("vc_suite", ["ecdsa-sd-2023", "eddsa-rdfc-2022", "Ed25519Signature2018"])
def test_signed_presentation_verifies(keys: dict[str, HolderKey], sd_signed: Signed,
                                      suite: str, key_type: str, vc_suite: str) -> None:
    key = keys[key_type]
    credential = (present([(sd_signed[0], Selection(("/name",)))], key=None, unsigned=True)
                  .presentation["verifiableCredential"][0]
                  if vc_suite == "ecdsa-sd-2023" else signed_ob3(vc_suite)[0])
    vp = build_presentation([credential], holder=key.did)

    signed = sign_presentation(vp, key=key, suite=suite, challenge=CHALLENGE, domain=DOMAIN,
                               created="2026-11-29T10:00:00Z")

    [result] = verify_vp(signed, key.did)
    assert (result.suite, result.proof_purpose, result.challenge, result.domain) == (
        suite, "authentication", CHALLENGE, (DOMAIN,))
    assert signed["proof"]["created"] == "2026-11-29T10:00:00Z"
    assert signed["proof"]["verificationMethod"] == key.verification_method
    assert "proof" not in vp  # the input is left alone


@pytest.mark.parametrize(("suite", "key_type"), REFUSED)
def test_a_suite_that_cannot_use_the_key_is_refused(keys: dict[str, HolderKey], suite: str,
                                                    key_type: str) -> None:
    key = keys[key_type]
    with pytest.raises(BadInputError) as caught:
        sign_presentation(build_presentation([], holder=key.did), key=key, suite=suite,
                          challenge=CHALLENGE, domain=DOMAIN)
    assert caught.value.code == "E_KEY_TYPE"
    assert caught.value.hint is not None and "P-256 key" in caught.value.hint


def test_an_unknown_suite_is_refused(keys: dict[str, HolderKey]) -> None:
    key = keys["Ed25519"]
    with pytest.raises(BadInputError) as caught:
        sign_presentation(build_presentation([], holder=key.did), key=key, suite="eddsa-jcs-2022",
                          challenge=CHALLENGE, domain=DOMAIN)
    assert caught.value.code == "E_SUITE_UNSUPPORTED"
    assert "eddsa-rdfc-2022" in str(caught.value.hint)


def test_the_holder_must_be_the_signing_key(keys: dict[str, HolderKey]) -> None:
    vp = build_presentation([], holder=keys["P-256"].did)
    with pytest.raises(BadInputError) as caught:
        sign_presentation(vp, key=keys["Ed25519"], challenge=CHALLENGE, domain=DOMAIN)
    assert caught.value.code == "E_HOLDER_MISMATCH"


@pytest.mark.parametrize(("suite", "key_type", "context"), [
    ("eddsa-rdfc-2022", "Ed25519", [VC_V1, DI_V2]),
    ("ecdsa-rdfc-2019", "P-256", [VC_V1, DI_V2]),
    ("Ed25519Signature2018", "Ed25519", [VC_V1]),
])
def test_vc_1_1_presentation_contexts(keys: dict[str, HolderKey], suite: str, key_type: str,
                                      context: list[str]) -> None:
    key = keys[key_type]
    vp = build_presentation([signed_ob3("Ed25519Signature2018")[0]], holder=key.did)

    signed = sign_presentation(vp, key=key, suite=suite, challenge=CHALLENGE, domain=DOMAIN)

    assert signed["@context"] == context
    verify_vp(signed, key.did)


def test_ed25519_signature_2018_adds_its_context_to_a_vc_2_0_presentation(
        keys: dict[str, HolderKey]) -> None:
    key = keys["Ed25519"]

    signed = sign_presentation(build_presentation([], holder=key.did), key=key,
                               suite="Ed25519Signature2018", challenge=CHALLENGE, domain=DOMAIN)

    assert signed["@context"] == [VC_V2, ED25519_2018_CONTEXT]
    assert signed["proof"]["type"] == "Ed25519Signature2018" and "jws" in signed["proof"]
    verify_vp(signed, key.did)


def test_replay_to_another_challenge_or_domain_fails(keys: dict[str, HolderKey]) -> None:
    key = keys["Ed25519"]
    signed = sign_presentation(build_presentation([], holder=key.did), key=key,
                               challenge=CHALLENGE, domain=DOMAIN)

    with pytest.raises(InvalidError, match="challenge"):
        verify_vp(signed, key.did, challenge="other")
    with pytest.raises(InvalidError, match="domain"):
        verify_vp(signed, key.did, domain="elsewhere.example")


# -- holder binding -----------------------------------------------------------------------------

def test_holder_binding_warnings() -> None:
    mine, other = "did:key:z6MkMine", "did:example:someone-else"
    bound = ob3("Bound", issuer=new_issuer(), subject=f"{mine}#key-1")
    foreign = ob3("Foreign", issuer=new_issuer(), subject=other)
    bearer = ob3("Bearer", issuer=new_issuer())

    warnings = holder_binding_warnings([bound, foreign, bearer], [mine])

    assert warnings == [f"credential 2 (Foreign) is about {other}, not {mine}: "
                        "a verifier may refuse it",
                        "credential 3 (Bearer) names no subject (no credentialSubject.id): "
                        "a verifier that checks holder binding will refuse it"]


# -- present ------------------------------------------------------------------------------------

def test_present_reveals_only_what_was_chosen(keys: dict[str, HolderKey],
                                              sd_signed: Signed) -> None:
    sd_credential, sd_issuer = sd_signed
    whole_issuer = new_issuer("Ed25519")
    unsigned_whole = ob3("Spreadsheet Skills", issuer=whole_issuer, subject="did:example:bob")
    unsigned_whole["credentialSubject"]["achievement"] = {
        "id": "https://boreal.example/achievements/spreadsheets", "type": ["Achievement"],
        "name": "Spreadsheet Skills", "criteria": {"narrative": "Built three workbooks."}}
    whole = sign(unsigned_whole, whole_issuer, "eddsa-rdfc-2022")
    key = keys["Ed25519"]
    now = datetime(2026, 11, 29, 12, 0, tzinfo=timezone.utc)

    result = present([(sd_credential, Selection(("/credentialSubject/achievement/name",))),
                      (whole, REVEAL_ALL)],
                     key=key, challenge=CHALLENGE, domain=DOMAIN, now=now)

    vp = result.presentation
    text = json.dumps(vp, ensure_ascii=False)
    achievement = sd_credential["credentialSubject"]["achievement"]
    for hidden in (achievement["description"], achievement["criteria"]["narrative"],
                   achievement["alignment"][0]["targetUrl"], sd_credential["name"]):
        assert json.dumps(hidden, ensure_ascii=False) not in text
    assert vp["holder"] == key.did and vp["@context"] == [VC_V2]
    assert vp["proof"]["created"] == "2026-11-29T12:00:00Z"
    assert result.suite == "eddsa-rdfc-2022"
    assert [(f.pointer, f.why) for f in result.disclosed[0]] == [
        ("/issuer/id", "issuer"), ("/issuer/name", "issuer"), ("/credentialSubject/id", "holder binding"),
        ("/credentialSubject/achievement/name", None)]
    assert [f.pointer for f in result.disclosed[1]] == [
        "/name", "/issuer/id", "/issuer/name", "/validFrom", "/credentialSubject/id",
        "/credentialSubject/achievement/name", "/credentialSubject/achievement/criteria/narrative"]
    assert all(f.why == "whole" for f in result.disclosed[1])
    assert result.warnings == (f"credential 2 (Spreadsheet Skills) is about did:example:bob, "
                               f"not {key.did}: a verifier may refuse it",)
    verify_vp(vp, key.did)
    derived, shared_whole = vp["verifiableCredential"]
    suites.verify_proofs(derived, expected_purpose="assertionMethod", controller=sd_issuer.did)
    assert shared_whole == whole
    assert json.loads(json.dumps(result.to_dict()))["disclosed"][0] == [
        f.to_dict() for f in result.disclosed[0]]


def test_present_unsigned(keys: dict[str, HolderKey], sd_signed: Signed) -> None:
    result = present([(sd_signed[0], REVEAL_ALL)], key=keys["P-256"], unsigned=True)

    assert "proof" not in result.presentation
    assert result.presentation["holder"] == keys["P-256"].did
    assert result.suite is None
    assert result.warnings  # bound to the Ed25519 DID, presented by the P-256 one


def test_present_refuses_what_it_cannot_do(keys: dict[str, HolderKey],
                                           sd_signed: Signed) -> None:
    item = [(sd_signed[0], REVEAL_ALL)]
    cases = [
        (dict(key=keys["P-256"], unsigned=True, challenge=CHALLENGE), "E_UNSIGNED_CHALLENGE"),
        (dict(key=None, challenge=CHALLENGE), "E_NO_HOLDER_KEY"),
        (dict(key=keys["P-256"], challenge=CHALLENGE), "E_KEY_TYPE"),  # default suite is EdDSA
    ]
    for kwargs, code in cases:
        with pytest.raises(BadInputError) as caught:
            present(item, **kwargs)  # type: ignore[arg-type]
        assert caught.value.code == code


def test_present_needs_every_context_in_the_store(keys: dict[str, HolderKey]) -> None:
    from skillpass.jsonld.loader import ContextStore

    url = "https://college.example/contexts/transcript/v1"
    extra = {url: json.dumps({"@context": {"gpa": "https://college.example/vocab#gpa"}}).encode()}
    store = ContextStore.bundled().with_extra(extra)
    issuer = new_issuer("P-256")
    credential = ob3(issuer=issuer)
    credential["@context"].append(url)
    credential["credentialSubject"]["gpa"] = "3.9"
    signed = sign(credential, issuer, "ecdsa-sd-2023", store=store)

    with pytest.raises(UnverifiableError) as caught:
        present([(signed, Selection(("/credentialSubject/gpa",)))], key=keys["Ed25519"],
                challenge=CHALLENGE, domain=DOMAIN)
    assert caught.value.code == "E_CONTEXT_UNKNOWN"
    result = present([(signed, Selection(("/credentialSubject/gpa",)))], key=keys["Ed25519"],
                     challenge=CHALLENGE, domain=DOMAIN, store=store)
    assert result.presentation["verifiableCredential"][0]["credentialSubject"]["gpa"] == "3.9"
    suites.verify_proofs(result.presentation, expected_purpose="authentication",
                         controller=keys["Ed25519"].did, challenge=CHALLENGE, domain=DOMAIN,
                         store=store)


# -- what every disclosure carries -----------------------------------------------------------------


def test_a_disclosure_of_top_level_fields_keeps_the_subject_and_issuer(
        keys: dict[str, HolderKey], sd_signed: Signed) -> None:
    credential, issuer = sd_signed

    result = present([(credential, Selection(("/name",)))], key=keys["Ed25519"],
                     challenge=CHALLENGE, domain=DOMAIN)

    [derived] = result.presentation["verifiableCredential"]
    assert derived["credentialSubject"] == {"id": keys["Ed25519"].did, "type": ["AchievementSubject"]}
    assert derived["issuer"]["id"] == issuer.did and derived["name"] == credential["name"]
    assert "achievement" not in derived["credentialSubject"]
    suites.verify_proofs(derived, expected_purpose="assertionMethod", controller=issuer.did)
    assert result.warnings == ()


def test_a_vc_1_1_disclosure_keeps_its_issuance_date(keys: dict[str, HolderKey]) -> None:
    issuer = new_issuer("P-256")
    credential = sign(ob3("Welding Basics", issuer=issuer, v1=True, subject=keys["P-256"].did),
                      issuer, "ecdsa-sd-2023", mandatory=())

    result = present([(credential, Selection(("/credentialSubject/achievement/name",)))],
                     key=keys["P-256"], suite="ecdsa-rdfc-2019", challenge=CHALLENGE, domain=DOMAIN)

    [derived] = result.presentation["verifiableCredential"]
    assert derived["issuanceDate"] == credential["issuanceDate"]
    assert derived["issuer"] == {"id": issuer.did, "type": ["Profile"]}  # the id, not the name
    assert derived["credentialSubject"]["id"] == keys["P-256"].did
    assert {f.pointer: f.why for f in result.disclosed[0] if f.mandatory} == {
        "/issuer/id": "required", "/issuanceDate": "required", "/credentialSubject/id": "holder binding"}
    suites.verify_proofs(derived, expected_purpose="assertionMethod", controller=issuer.did)


def test_a_subject_with_neither_id_nor_type_needs_a_field_of_its_own() -> None:
    issuer = new_issuer("P-256")
    credential = ob3(issuer=issuer)
    credential["credentialSubject"] = {"name": "Ana Lavoie"}  # bound to no one, of no type
    signed = sign(credential, issuer, "ecdsa-sd-2023")
    key = generate_holder_key("Ed25519", "2026-11-01T00:00:00Z")

    with pytest.raises(BadInputError) as refused:
        present([(signed, Selection(("/name",)))], key=key, challenge=CHALLENGE)
    shared = present([(signed, Selection(("/credentialSubject/name",)))], key=key,
                     challenge=CHALLENGE)

    assert refused.value.code == "E_SUBJECT_REQUIRED"
    assert "credentialSubject" in shared.presentation["verifiableCredential"][0]
