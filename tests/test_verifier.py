"""The verifier's side: presentations built here are verified, then tampered with one way each."""

from __future__ import annotations

import copy
import json
import os
import stat
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from issuing import Issuer, new_issuer, ob3, sign
from skillpass import suites
from skillpass.errors import BadInputError, NotFoundError
from skillpass.jsonld.loader import ContextStore
from skillpass.verifier import (
    FAILED,
    NOT_APPLICABLE,
    PASSED,
    WARNING,
    VerificationReport,
    read_presentation,
    verify_presentation,
)
from skillpass.suites import ecdsa_sd_2023
from skillpass.trust import TrustList
from skillpass.wallet.keys import HolderKey, generate_holder_key

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)
CHALLENGE = "c0ffee-1234"
DOMAIN = "https://employer.example"
VP_CREATED = "2026-05-30T12:00:00Z"
REVEAL = ["/credentialSubject/achievement/name"]
CITIZENSHIP = "https://w3id.org/citizenship/v4rc1"
EXTRA_CONTEXT = "https://example.org/contexts/extra/v1"
PRESENTATION_CHECKS = ["presentation format", "holder proof", "challenge", "domain"]
CREDENTIAL_CHECKS = ["proof", "disclosure", "validity", "status", "holder binding", "issuer trust"]


# -- building presentations --------------------------------------------------------------------


@pytest.fixture(scope="module")
def store() -> ContextStore:
    return ContextStore.bundled()


@pytest.fixture(scope="module")
def holder() -> HolderKey:
    return generate_holder_key("Ed25519", VP_CREATED)


@pytest.fixture(scope="module")
def sd_issuer() -> Issuer:
    return new_issuer("P-256")


@pytest.fixture(scope="module")
def base(sd_issuer: Issuer, holder: HolderKey, store: ContextStore) -> dict[str, Any]:
    """An ecdsa-sd-2023 credential as issued to the holder (issuer and subject id mandatory)."""
    return sign(ob3(issuer=sd_issuer, subject=holder.did), sd_issuer, "ecdsa-sd-2023",
                store=store, mandatory=("/issuer", "/credentialSubject/id"))


@pytest.fixture(scope="module")
def derived(base: dict[str, Any], store: ContextStore) -> dict[str, Any]:
    return ecdsa_sd_2023.derive_proof(base, selective_pointers=REVEAL, store=store)


@pytest.fixture(scope="module")
def whole_issuer() -> Issuer:
    return new_issuer("Ed25519")


@pytest.fixture(scope="module")
def whole(whole_issuer: Issuer, holder: HolderKey, store: ContextStore) -> dict[str, Any]:
    """An eddsa-rdfc-2022 credential: shared whole."""
    return sign(ob3("Spreadsheet Modelling", issuer=whole_issuer, subject=holder.did, n=2),
                whole_issuer, "eddsa-rdfc-2022", store=store)


def present(credentials: list[dict[str, Any]], key: HolderKey, *, holder_did: str | None = None,
            challenge: str = CHALLENGE, domain: str = DOMAIN, suite: str = "eddsa-rdfc-2022",
            store: ContextStore | None = None) -> dict[str, Any]:
    """A presentation of `credentials` signed by `key` (naming `holder_did`, default the key's)."""
    presentation = {"@context": ["https://www.w3.org/ns/credentials/v2"],
                    "type": ["VerifiablePresentation"], "holder": holder_did or key.did,
                    "verifiableCredential": copy.deepcopy(credentials)}
    return suites.sign(presentation, suite=suite, private_key=key.private_key(),
                       verification_method=key.verification_method,
                       proof_purpose="authentication", challenge=challenge, domain=domain,
                       created=VP_CREATED, store=store or ContextStore.bundled())


def check(document: Any, *, store: ContextStore | None = None, **options: Any) -> VerificationReport:
    kwargs: dict[str, Any] = {"did_cache": {}, "trust": None, "challenge": CHALLENGE,
                              "domain": DOMAIN, "now": NOW}
    kwargs.update(options)
    return verify_presentation(document, store=store or ContextStore.bundled(), **kwargs)


def statuses(report: VerificationReport) -> dict[str, str]:
    return {c.name: c.status for c in report.checks}


def failures(report: VerificationReport) -> dict[str, str | None]:
    return {c.name: c.code for c in report.checks if c.status == FAILED}


# -- a good presentation -----------------------------------------------------------------------


def test_presentation_of_a_derived_and_a_whole_credential_verifies(
        holder: HolderKey, derived: dict[str, Any], whole: dict[str, Any]) -> None:
    report = check(present([derived, whole], holder))

    assert report.outcome == "verified", report.checks
    assert report.kind == "presentation" and report.holder == holder.did
    assert [c.name for c in report.checks] == PRESENTATION_CHECKS + [
        f"credential {n} {name}" for n in (1, 2) for name in CREDENTIAL_CHECKS]
    # no trust list: a warning each; no status list: 'not applicable'
    assert set(statuses(report).values()) == {PASSED, WARNING, NOT_APPLICABLE}
    assert {statuses(report)[f"credential {n} status"] for n in (1, 2)} == {NOT_APPLICABLE}
    assert report.check("credential 1 disclosure").detail.startswith("selective disclosure")
    assert "eddsa-rdfc-2022" in report.check("credential 2 disclosure").detail
    assert len(report.warnings) == 2 and all("trust" in w for w in report.warnings)


def test_report_lists_only_what_was_disclosed(
        holder: HolderKey, derived: dict[str, Any], whole: dict[str, Any]) -> None:
    first, second = check(present([derived, whole], holder)).credentials

    shown = {item.path: item.value for item in first.disclosed}
    labels = {item.path: item.label for item in first.disclosed}
    assert labels["/credentialSubject/achievement/name"] == "Achievement name"
    assert labels["/credentialSubject/id"] == "Subject id"
    assert shown["/credentialSubject/achievement/name"] == "Intro to Data Analysis"
    assert shown["/credentialSubject/id"] == holder.did
    assert "/credentialSubject/achievement/description" not in shown  # not chosen: hidden
    assert not any(path.endswith("/type") or path == "/@context" for path in shown)
    assert "/credentialSubject/achievement/description" in {d.path for d in second.disclosed}
    assert (first.index, second.index) == (1, 2)
    assert first.title == "Intro to Data Analysis" and second.title == "Spreadsheet Modelling"
    assert first.types == ("VerifiableCredential", "OpenBadgeCredential")
    assert [c.name for c in first.checks] == [f"credential 1 {n}" for n in CREDENTIAL_CHECKS]


def test_to_dict_is_the_documented_json_document(
        holder: HolderKey, derived: dict[str, Any], sd_issuer: Issuer, tmp_path: Path) -> None:
    trust = TrustList.load(tmp_path)
    trust.add(sd_issuer.did, "Collège Boréal")
    document = check(present([derived], holder), trust=trust).to_dict()

    assert json.loads(json.dumps(document)) == document
    assert set(document) == {"outcome", "kind", "holder", "checked", "checks", "credentials",
                             "warnings"}
    assert document["checked"] == "2026-06-01T00:00:00Z" and document["warnings"] == []
    assert set(document["checks"][0]) == {"name", "status", "detail", "code", "hint"}
    credential = document["credentials"][0]
    assert {k: credential[k] for k in ("index", "issuer", "issuerName", "trusted")} == {
        "index": 1, "issuer": sd_issuer.did, "issuerName": "Collège Boréal", "trusted": True}
    assert {"path": "/credentialSubject/achievement/name", "label": "Achievement name",
            "value": "Intro to Data Analysis"} in credential["disclosed"]
    assert credential["status"] == []
    assert credential["checks"] == document["checks"][4:]


def test_derived_presentation_verifies_without_a_domain(
        holder: HolderKey, derived: dict[str, Any]) -> None:
    report = check(present([derived], holder), domain=None)

    assert report.outcome == "verified"
    assert report.check("domain").status == NOT_APPLICABLE
    assert report.check("domain").detail == f"no domain was asked for (the presentation names {DOMAIN!r})"


def test_no_domain_asked_for_and_none_named_says_so_plainly(holder: HolderKey, derived: dict[str, Any]) -> None:
    report = check(present([derived], holder, domain=None), domain=None)  # type: ignore[arg-type]

    assert report.outcome == "verified"
    assert report.check("domain").detail == "no domain was asked for, and the presentation names none"


def test_no_challenge_given_is_a_warning(holder: HolderKey, derived: dict[str, Any]) -> None:
    report = check(present([derived], holder), challenge=None)

    assert report.outcome == "verified"
    assert report.check("challenge").status == WARNING
    assert report.check("challenge").code == "E_NO_CHALLENGE"
    assert CHALLENGE in report.check("challenge").detail


def test_p256_holder_and_ecdsa_rdfc_2019(store: ContextStore, derived: dict[str, Any]) -> None:
    p256_holder = generate_holder_key("P-256", VP_CREATED)
    credential = copy.deepcopy(derived)  # the subject is another holder: allowed unbound here

    report = check(present([credential], p256_holder, suite="ecdsa-rdfc-2019"), allow_unbound=True)

    assert report.outcome == "verified", failures(report)
    assert "ecdsa-rdfc-2019" in report.check("holder proof").detail


# -- rejected, each for its own reason ---------------------------------------------------------


def test_wrong_challenge_fails(holder: HolderKey, derived: dict[str, Any]) -> None:
    report = check(present([derived], holder, challenge="another-request"))

    assert report.outcome == "invalid"
    assert failures(report) == {"challenge": "E_CHALLENGE"}
    assert report.check("holder proof").status == PASSED


def test_wrong_domain_fails(holder: HolderKey, derived: dict[str, Any]) -> None:
    report = check(present([derived], holder, domain="https://other.example"))

    assert report.outcome == "invalid"
    assert failures(report) == {"domain": "E_DOMAIN"}


def test_altered_revealed_value_fails(holder: HolderKey, derived: dict[str, Any]) -> None:
    altered = copy.deepcopy(derived)
    altered["credentialSubject"]["achievement"]["name"] = "Advanced Data Analysis"

    report = check(present([altered], holder))  # the holder signs the altered copy

    assert report.outcome == "invalid"
    assert failures(report) == {"credential 1 proof": "E_SIG_INVALID"}
    assert {statuses(report)[f"credential 1 {n}"] for n in CREDENTIAL_CHECKS[1:]} == {
        NOT_APPLICABLE}
    assert report.credentials[0].trusted is False


def test_hidden_statement_added_back_fails(holder: HolderKey, base: dict[str, Any],
                                           derived: dict[str, Any]) -> None:
    revealed_more = copy.deepcopy(derived)
    hidden = base["credentialSubject"]["achievement"]["description"]
    revealed_more["credentialSubject"]["achievement"]["description"] = hidden

    report = check(present([revealed_more], holder))

    assert failures(report) == {"credential 1 proof": "E_SIG_INVALID"}


def test_credential_added_after_signing_fails(holder: HolderKey, derived: dict[str, Any],
                                              whole: dict[str, Any]) -> None:
    presentation = present([derived], holder)
    presentation["verifiableCredential"] = [*presentation["verifiableCredential"], whole]

    report = check(presentation)

    assert report.outcome == "invalid"
    assert failures(report) == {"holder proof": "E_SIG_INVALID"}
    assert statuses(report)["challenge"] == NOT_APPLICABLE
    assert len(report.credentials) == 2  # each is still checked and shown


def test_credential_removed_after_signing_fails(holder: HolderKey, derived: dict[str, Any],
                                                whole: dict[str, Any]) -> None:
    presentation = present([derived, whole], holder)
    presentation["verifiableCredential"] = presentation["verifiableCredential"][:1]

    assert failures(check(presentation)) == {"holder proof": "E_SIG_INVALID"}


def test_holder_proof_by_another_key_fails(holder: HolderKey, derived: dict[str, Any]) -> None:
    intruder = generate_holder_key("Ed25519", VP_CREATED)

    report = check(present([derived], intruder, holder_did=holder.did))

    assert failures(report) == {"holder proof": "E_CONTROLLER_MISMATCH"}


def test_subject_that_is_not_the_holder_fails_unless_allowed(
        derived: dict[str, Any]) -> None:
    someone_else = generate_holder_key("Ed25519", VP_CREATED)
    presentation = present([derived], someone_else)

    report = check(presentation)
    allowed = check(presentation, allow_unbound=True)

    assert report.outcome == "invalid"
    assert failures(report) == {"credential 1 holder binding": "E_NOT_BOUND"}
    assert allowed.outcome == "verified"
    assert allowed.check("credential 1 holder binding").status == WARNING
    assert allowed.check("credential 1 holder binding").code == "E_NOT_BOUND"


def test_subject_id_not_disclosed_fails(holder: HolderKey, sd_issuer: Issuer,
                                        store: ContextStore) -> None:
    base = sign(ob3(issuer=sd_issuer, subject=holder.did), sd_issuer, "ecdsa-sd-2023", store=store)
    # a field under credentialSubject would reveal its id too (selection keeps ids on the path)
    derived = ecdsa_sd_2023.derive_proof(base, selective_pointers=["/validFrom"], store=store)

    report = check(present([derived], holder))

    assert failures(report) == {"credential 1 holder binding": "E_NO_SUBJECT_ID"}


def test_credential_as_issued_in_a_presentation_fails(holder: HolderKey,
                                                      base: dict[str, Any]) -> None:
    report = check(present([base], holder))

    assert report.outcome == "invalid"
    assert failures(report) == {"credential 1 disclosure": "E_BASE_PROOF"}
    assert report.check("credential 1 proof").status == PASSED


def test_expired_credential_fails(holder: HolderKey, whole_issuer: Issuer,
                                  store: ContextStore) -> None:
    expired = sign(ob3(issuer=whole_issuer, subject=holder.did, validUntil="2026-03-01T00:00:00Z"),
                   whole_issuer, "eddsa-rdfc-2022", store=store)

    report = check(present([expired], holder))

    assert failures(report) == {"credential 1 validity": "E_EXPIRED"}
    assert "2026-03-01" in report.check("credential 1 validity").detail


def test_not_yet_valid_credential_fails(holder: HolderKey, whole_issuer: Issuer,
                                        store: ContextStore) -> None:
    future = sign(ob3(issuer=whole_issuer, subject=holder.did, validFrom="2027-01-01T00:00:00Z"),
                  whole_issuer, "eddsa-rdfc-2022", store=store)

    assert failures(check(present([future], holder))) == {
        "credential 1 validity": "E_NOT_YET_VALID"}


def test_unknown_context_is_unverifiable(holder: HolderKey, whole_issuer: Issuer) -> None:
    extra = json.dumps({"@context": {"@protected": True,
                                     "shoeSize": "https://example.org/vocab#shoeSize"}}).encode()
    signing_store = ContextStore.bundled().with_extra({EXTRA_CONTEXT: extra})
    credential = ob3(issuer=whole_issuer, subject=holder.did)
    credential["@context"] = [*credential["@context"], EXTRA_CONTEXT]
    credential["credentialSubject"]["shoeSize"] = "42"
    signed = sign(credential, whole_issuer, "eddsa-rdfc-2022", store=signing_store)
    presentation = present([signed], holder, store=signing_store)

    report = check(presentation)

    assert report.outcome == "unverifiable"
    assert failures(report) == {"holder proof": "E_CONTEXT_UNKNOWN",
                                "credential 1 proof": "E_CONTEXT_UNKNOWN"}
    assert EXTRA_CONTEXT in report.check("credential 1 proof").hint
    assert check(presentation, store=signing_store).outcome == "verified"


def test_unsupported_suite_is_unverifiable(holder: HolderKey, whole: dict[str, Any]) -> None:
    bbs = copy.deepcopy(whole)
    bbs["proof"] = {**bbs["proof"], "cryptosuite": "bbs-2023"}

    report = check(present([bbs], holder))

    assert report.outcome == "unverifiable"
    assert failures(report) == {"credential 1 proof": "E_SUITE_UNSUPPORTED"}


def test_invalid_wins_over_unverifiable(holder: HolderKey, derived: dict[str, Any],
                                        whole: dict[str, Any]) -> None:
    bbs = copy.deepcopy(whole)
    bbs["proof"] = {**bbs["proof"], "cryptosuite": "bbs-2023"}

    report = check(present([derived, bbs], holder, challenge="stale"))

    assert report.outcome == "invalid"


def test_unsigned_presentation_fails_unless_allowed(holder: HolderKey,
                                                    derived: dict[str, Any]) -> None:
    unsigned = {k: v for k, v in present([derived], holder).items() if k != "proof"}

    report = check(unsigned)
    allowed = check(unsigned, allow_unsigned=True, challenge=None, domain=None)
    asked = check(unsigned, allow_unsigned=True)

    assert failures(report) == {"holder proof": "E_UNSIGNED", "challenge": "E_CHALLENGE",
                                "domain": "E_DOMAIN"}
    assert report.check("holder proof").detail == "presentation is not signed by its holder"
    assert allowed.outcome == "verified" and allowed.check("holder proof").status == WARNING
    assert failures(asked) == {"challenge": "E_CHALLENGE", "domain": "E_DOMAIN"}


def test_presentation_without_holder_fails(holder: HolderKey, derived: dict[str, Any]) -> None:
    presentation = present([derived], holder)
    del presentation["holder"]

    report = check(presentation)

    assert failures(report) == {"holder proof": "E_NO_HOLDER",
                                "credential 1 holder binding": "E_NOT_BOUND"}


# -- trust -------------------------------------------------------------------------------------


def test_unknown_issuer_is_a_warning_or_a_failure_when_trust_is_required(
        holder: HolderKey, derived: dict[str, Any], whole: dict[str, Any], whole_issuer: Issuer,
        sd_issuer: Issuer, tmp_path: Path) -> None:
    trust = TrustList.load(tmp_path)
    trust.add(sd_issuer.did, "Collège Boréal")
    presentation = present([derived, whole], holder)

    lenient = check(presentation, trust=trust)
    strict = check(presentation, trust=trust, require_trusted=True)

    assert lenient.outcome == "verified"
    assert statuses(lenient)["credential 1 issuer trust"] == PASSED
    assert lenient.check("credential 2 issuer trust").status == WARNING
    assert whole_issuer.did in lenient.check("credential 2 issuer trust").hint
    assert lenient.warnings == (f"credential 2 issuer trust: the issuer {whole_issuer.did} "
                                "is not in the trust list",)
    assert strict.outcome == "invalid"
    assert failures(strict) == {"credential 2 issuer trust": "E_UNTRUSTED_ISSUER"}
    assert [c.trusted for c in strict.credentials] == [True, False]
    assert strict.credentials[0].issuer_name == "Collège Boréal"


def test_trust_list_round_trip(tmp_path: Path) -> None:
    home = tmp_path / "home"
    trust = TrustList.load(home)
    assert trust.entries() == ()
    trust.add("did:web:boreal.example", " Collège Boréal ",
              now=datetime(2026, 3, 1, 12, tzinfo=timezone.utc))
    trust.add("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", "Riverside")
    trust.save()

    again = TrustList.load(home)
    again.add("did:web:boreal.example", "Collège Boréal (Sudbury)")

    assert [e.did for e in again.entries()] == [
        "did:web:boreal.example", "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"]
    assert again.name_of("did:web:boreal.example") == "Collège Boréal (Sudbury)"
    assert again.entries()[0].added == "2026-03-01T12:00:00Z"  # kept when renamed
    assert TrustList.load(home).name_of("did:web:boreal.example") == "Collège Boréal"
    assert TrustList.load(home).name_of("did:web:unknown.example") is None
    assert stat.S_IMODE(os.stat(home / "trust.json").st_mode) == 0o600
    assert stat.S_IMODE(os.stat(home).st_mode) == 0o700
    assert sorted(p.name for p in home.iterdir()) == ["trust.json"]  # no temporary file left


def test_trust_list_remove(tmp_path: Path) -> None:
    trust = TrustList.load(tmp_path)
    trust.add("did:web:boreal.example", "Collège Boréal")

    removed = trust.remove("did:web:boreal.example")
    trust.save()

    assert removed.name == "Collège Boréal"
    assert TrustList.load(tmp_path).entries() == ()
    with pytest.raises(NotFoundError):
        trust.remove("did:web:boreal.example")


@pytest.mark.parametrize("did", ["", "https://boreal.example", "did:", "did:web:",
                                 "did:web:boreal.example#key-1", "did:WEB:boreal.example",
                                 "did:web:boreal example", None])
def test_trust_list_refuses_what_is_not_a_did(tmp_path: Path, did: Any) -> None:
    with pytest.raises(BadInputError) as raised:
        TrustList.load(tmp_path).add(did, "Collège Boréal")
    assert raised.value.code == "E_BAD_DID"


@pytest.mark.parametrize("name", ["", "   ", "two\nlines", "x" * 201])
def test_trust_list_refuses_a_bad_name(tmp_path: Path, name: str) -> None:
    with pytest.raises(BadInputError) as raised:
        TrustList.load(tmp_path).add("did:web:boreal.example", name)
    assert raised.value.code == "E_BAD_NAME"


@pytest.mark.parametrize("name", ["Coll\x1b[31mège", "Tab\there", "Bell\x07"])
def test_a_name_with_a_control_character_is_refused_as_such_not_as_too_long(tmp_path: Path, name: str) -> None:
    with pytest.raises(BadInputError) as raised:
        TrustList.load(tmp_path).add("did:web:boreal.example", name)
    assert raised.value.code == "E_BAD_NAME"
    assert "control character" in raised.value.message and "shorter" not in (raised.value.hint or "")


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u200b", "\ufeff", "\u00ad"])
def test_a_name_with_a_bidi_control_or_an_invisible_character_is_refused(tmp_path: Path, char: str) -> None:
    with pytest.raises(BadInputError) as raised:
        TrustList.load(tmp_path).add("did:web:boreal.example", f"Coll{char}ège")
    assert raised.value.code == "E_BAD_NAME"
    assert raised.value.message == (f"the issuer's name has a control or invisible character "
                                    f"(U+{ord(char):04X})")
    assert not (tmp_path / "trust.json").exists()


def test_issuer_metadata_whose_issuer_has_a_bidi_control_is_refused(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    from skillpass.formats.issuer_keys import parse_metadata
    from skillpass.keys.multikey import public_key_to_jwk

    key = {**public_key_to_jwk(ec.generate_private_key(ec.SECP256R1()).public_key()), "kid": "k1"}
    metadata = parse_metadata({"issuer": "https://boreal.example/\u202eissuer", "jwks": {"keys": [key]}})
    with pytest.raises(BadInputError) as raised:
        TrustList.load(tmp_path).add("", "Collège Boréal", metadata=metadata)
    assert raised.value.code == "E_METADATA" and "(U+202E)" in raised.value.message


def test_a_trust_list_kept_with_such_a_name_still_loads(tmp_path: Path) -> None:
    (tmp_path / "trust.json").write_text(json.dumps({"version": 1, "issuers": [
        {"did": "did:web:boreal.example", "name": "Coll\u202eège"}]}))
    assert [entry.name for entry in TrustList.load(tmp_path).entries()] == ["Coll\u202eège"]


@pytest.mark.parametrize("content", [b"not json", b"[]", b'{"version": 2, "issuers": []}',
                                     b'{"version": 1, "issuers": [{"did": "x", "name": "y"}]}',
                                     b'{"version": 1, "issuers": [{"did": "did:web:a", "name": "a"},'
                                     b' {"did": "did:web:a", "name": "b"}]}'])
def test_damaged_trust_list_is_refused(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "trust.json").write_bytes(content)

    with pytest.raises(BadInputError) as raised:
        TrustList.load(tmp_path)
    assert raised.value.code == "E_TRUST_FILE"


def test_trust_list_symlink_is_not_followed(tmp_path: Path) -> None:
    (tmp_path / "elsewhere.json").write_text('{"version": 1, "issuers": []}')
    (tmp_path / "trust.json").symlink_to(tmp_path / "elsewhere.json")

    with pytest.raises(Exception) as raised:
        TrustList.load(tmp_path)
    assert getattr(raised.value, "code", None) == "E_IO"


# -- a lone credential, and what is neither --------------------------------------------------


def test_lone_credential_is_verified_as_a_credential(whole: dict[str, Any]) -> None:
    report = check(whole, challenge=None, domain=None)

    assert report.outcome == "verified" and report.kind == "credential"
    assert report.holder is None
    assert [c.name for c in report.checks] == PRESENTATION_CHECKS + [
        f"credential 1 {n}" for n in CREDENTIAL_CHECKS]
    assert {statuses(report)[n] for n in ("holder proof", "challenge", "domain", "credential 1 status",
                                          "credential 1 holder binding")} == {NOT_APPLICABLE}


def test_lone_credential_answers_no_challenge(whole: dict[str, Any]) -> None:
    assert failures(check(whole, domain=None)) == {"challenge": "E_CHALLENGE"}


def test_lone_credential_as_issued_is_a_warning(base: dict[str, Any]) -> None:
    report = check(base, challenge=None, domain=None)

    assert report.outcome == "verified"
    assert report.check("credential 1 disclosure").status == WARNING


def test_w3c_derived_vector_as_a_credential(vectors: Path) -> None:
    """The published derived document: its proof is checked; its issuer id is not its signer.

    vc-di-ecdsa's vector names issuer did:key:zDnaegE6... but signs with did:key:zDnaepBu...,
    so it is rejected for that reason (as digitalbazaar's issuer check does), not its signature.
    """
    context = (vectors / "contexts" / "citizenship-v4rc1.jsonld").read_bytes()
    store = ContextStore.bundled().with_extra({CITIZENSHIP: context})
    document = json.loads((vectors / "ecdsa-sd-2023" / "employ" / "derivedRevealDocument.json")
                          .read_text("utf-8"))

    report = check(document, store=store, challenge=None, domain=None)
    [result] = suites.verify_proofs(document, expected_purpose="assertionMethod", controller=None,
                                    store=store, now=NOW)
    tampered = copy.deepcopy(document)
    tampered["credentialSubject"]["birthCountry"] = "Canada"

    assert failures(report) == {"credential 1 proof": "E_CONTROLLER_MISMATCH"}
    # nothing is 'passed' about a credential whose proof failed
    assert report.check("credential 1 disclosure").status == NOT_APPLICABLE
    assert result.suite == "ecdsa-sd-2023"
    assert ("/credentialSubject/birthCountry", "Bahamas") in {
        (d.path, d.value) for d in report.credentials[0].disclosed}
    with pytest.raises(Exception) as raised:
        suites.verify_proofs(tampered, expected_purpose="assertionMethod", controller=None,
                             store=store, now=NOW)
    assert getattr(raised.value, "code", None) == "E_SIG_INVALID"


@pytest.mark.parametrize("document", [
    None, [], "text", 42, {}, {"type": "VerifiablePresentation"},
    {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": "VerifiablePresentation"},
    {"@context": ["https://example.org/other"], "type": "VerifiablePresentation",
     "verifiableCredential": [{}]},
    {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"],
     "holder": {"id": 5}, "proof": [1], "verifiableCredential": ["eyJhbGciOi.eyJpc3Mi.sig", 7,
                                                                {"type": "VerifiableCredential"}]},
])
def test_never_raises_for_what_it_finds(document: Any) -> None:
    report = check(document)

    assert report.outcome in ("invalid", "unverifiable")
    assert report.checks[0].name == "presentation format"
    json.dumps(report.to_dict())


def test_not_a_presentation_is_one_failed_check() -> None:
    report = check({"hello": "world"})

    assert report.kind is None and report.outcome == "invalid"
    assert [(c.name, c.code) for c in report.checks] == [("presentation format",
                                                          "E_NOT_PRESENTATION")]


def test_a_malformed_jwt_credential_inside_fails_its_proof(holder: HolderKey) -> None:
    presentation = {"@context": ["https://www.w3.org/ns/credentials/v2"],
                    "type": ["VerifiablePresentation"], "holder": holder.did,
                    "verifiableCredential": ["eyJhbGciOi.eyJpc3Mi.sig"]}

    report = check(presentation, allow_unsigned=True, challenge=None, domain=None)

    assert failures(report) == {"credential 1 proof": "E_JWT"}
    assert report.outcome == "invalid"


def test_read_presentation_uses_the_strict_parser() -> None:
    assert read_presentation(b'\xef\xbb\xbf{"type": "VerifiablePresentation"}') == {
        "type": "VerifiablePresentation"}
    with pytest.raises(BadInputError) as raised:
        read_presentation(b'{"holder": "a", "holder": "b"}')
    assert raised.value.code == "E_DUP_KEY"


def test_a_presentation_with_one_derived_credential_verifies_each_time_it_is_checked(
        holder: HolderKey, derived: dict[str, Any], store: ContextStore) -> None:
    """The second check runs on warm caches (contexts, keys, canonical forms): the same report."""
    presentation = present([derived], holder)
    first, again = check(presentation, store=store), check(presentation, store=store)
    assert first.outcome == again.outcome == "verified"
    assert first.to_dict() == again.to_dict()


def test_lone_credential_with_an_unknown_context_is_unverifiable(whole: dict[str, Any]) -> None:
    credential = copy.deepcopy(whole)
    credential["@context"] = [*credential["@context"], EXTRA_CONTEXT]

    report = check(credential, challenge=None, domain=None)

    assert report.outcome == "unverifiable"
    assert failures(report) == {"credential 1 proof": "E_CONTEXT_UNKNOWN"}


def test_a_status_entry_is_a_warning_that_names_it(holder: HolderKey, whole_issuer: Issuer,
                                                   store: ContextStore) -> None:
    status = {"id": "https://boreal.example/status/3#94567", "type": "BitstringStatusListEntry",
              "statusPurpose": "revocation", "statusListIndex": "94567",
              "statusListCredential": "https://boreal.example/status/3"}
    credential = sign(ob3(issuer=whole_issuer, subject=holder.did, credentialStatus=status),
                      whole_issuer, "eddsa-rdfc-2022", store=store)

    report = check(present([credential], holder))

    assert report.outcome == "verified"
    found = report.check("credential 1 status")
    assert (found.status, found.code) == (WARNING, "E_STATUS_NOT_CHECKED")
    assert "BitstringStatusListEntry" in found.detail and "https://boreal.example/status/3" in found.detail
    assert any(w.startswith("credential 1 status: not checked") for w in report.warnings)
    assert report.to_dict()["credentials"][0]["status"] == [
        {"type": "BitstringStatusListEntry", "purpose": "revocation",
         "list": "https://boreal.example/status/3", "index": "94567"}]


def test_the_binding_hint_names_the_flag(holder: HolderKey, whole_issuer: Issuer,
                                         store: ContextStore) -> None:
    credential = sign(ob3(issuer=whole_issuer, subject="did:example:someone-else"), whole_issuer,
                      "eddsa-rdfc-2022", store=store)

    binding = check(present([credential], holder)).check("credential 1 holder binding")

    assert binding.status == FAILED and "--allow-unbound" in str(binding.hint)


# -- the disclosed leaves come from one walk, with label_of's labels -----------------------------

def _json_documents() -> Any:
    from hypothesis import strategies as st

    keys = st.sampled_from(["name", "id", "type", "@context", "proof", "@value", "en", "fr-CA",
                            "credentialSubject", "achievement", "alignment", "targetName",
                            "a/b", "x~y", "ünï", "https://e.example/v#term", "_x", ""])
    leaves = st.none() | st.booleans() | st.integers() | st.text(max_size=5)
    values = st.recursive(leaves, lambda inner: st.lists(inner, max_size=3)
                          | st.dictionaries(keys, inner, max_size=4), max_leaves=20)
    return st.dictionaries(keys, values, max_size=5)


def test_disclosed_labels_are_label_of_each_path() -> None:
    from hypothesis import given, settings

    from skillpass.present.fields import label_of
    from skillpass.verifier.report import _leaves, disclosed_leaves

    @settings(max_examples=300, deadline=None)
    @given(_json_documents())
    def agree(document: dict[str, Any]) -> None:
        shown = disclosed_leaves(document)
        assert [(d.path, d.value) for d in shown] == [(p, v) for p, _, v in _leaves(document, "", [], 0, top=True)]
        assert [d.label for d in shown] == [label_of(document, d.path) for d in shown]

    agree()


def test_the_summary_is_made_once_per_credential(whole: dict[str, Any], holder: HolderKey,
                                                  store: ContextStore, monkeypatch: pytest.MonkeyPatch) -> None:
    import skillpass.summary as summary

    calls: list[Any] = []
    real = summary.summarize
    monkeypatch.setattr(summary, "summarize", lambda credential: calls.append(1) or real(credential))
    report = check(present([whole], holder), store=store)
    assert report.verified and len(calls) == 1
    assert report.credentials[0].title and report.credentials[0].status == ()


def test_an_issuer_id_of_100_kb_makes_bounded_check_details(holder: HolderKey) -> None:
    from skillpass.errors import MAX_MESSAGE

    issuer = new_issuer("Ed25519")
    credential = ob3("Welding", issuer=issuer, subject=holder.did)
    credential["issuer"] = {"id": "did:web:" + "b" * 100_000, "type": ["Profile"], "name": "N"}
    report = check(sign(credential, issuer, "eddsa-rdfc-2022"))

    assert report.outcome == "invalid"
    assert report.check("credential 1 proof").code == "E_CONTROLLER_MISMATCH"
    assert all(len(c.detail) <= MAX_MESSAGE and len(c.hint or "") <= MAX_MESSAGE for c in report.checks)
    assert all(len(c.detail) <= MAX_MESSAGE for credential in report.credentials for c in credential.checks)
