"""Open Badges 2.0 (OB 2.0 §Verification): a signed badge verifies offline with its issuer's
CryptographicKey, Profile and BadgeClass kept (`dids add`); a hosted badge is never fetched and
only kept with --allow-unverified, shown "not verified (hosted badge)"; a tampered JWS is invalid."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from conftest import Cli
from skillpass.errors import BadInputError, InvalidError, UnverifiableError
from skillpass.formats.ob2 import assertion as ob2
from skillpass.formats.ob2 import documents
from skillpass.formats.ob2.detect import is_assertion, signed_assertion
from skillpass.formats.ob2.summary import summary_of

NOW = datetime(2026, 6, 1, tzinfo=UTC)
DOCUMENTS = ("cryptographickey.json", "issuer-profile.json", "badgeclass.json")
HOSTED = "not verified (hosted badge)"


def keep(cli: Cli, vectors: Path, *names: str) -> None:
    for name in names or DOCUMENTS:
        result = cli.with_passphrase("dids", "add", str(vectors / "ob2" / "signed" / name))
        assert result.returncode == 0, result.stderr


def imported(cli: Cli, *paths: Path | str, flags: tuple[str, ...] = ()) -> tuple[int, list[dict[str, Any]]]:
    result = cli.with_passphrase("import", *map(str, paths), *flags, "--json")
    return result.returncode, result.json()


# -- the CLI, with the published vectors ---------------------------------------------------------


def test_the_signed_set_verifies_with_its_documents_kept(cli: Cli, wallet_home: Path, vectors: Path) -> None:
    signed = vectors / "ob2" / "signed"
    keep(cli, vectors)
    code, outcomes = imported(cli, signed / "baked-signed.png", signed / "signed-embedded-badge.jws",
                              signed / "baked-signed.svg", signed / "signed-linked-badge.jws")
    assert code == 0
    assert [o["status"] for o in outcomes] == ["imported", "duplicate", "duplicate", "imported"]
    assert outcomes[0]["source"].endswith("baked-signed.png (baked)")
    assert outcomes[0]["id"] == outcomes[1]["id"] == outcomes[2]["id"]  # one badge, three carriers
    rows = cli.with_passphrase("list", "--json").json()
    assert sorted((r["title"], r["issuer"], r["format"], r["status"]) for r in rows) == [
        ("Python Basics", "Example College", "ob2", "status not checked")] * 2
    linked = cli.with_passphrase("show", outcomes[3]["id"], "--json").json()
    assert linked["statusEntries"] == [{"type": "OB2RevocationList", "purpose": "revocation",
                                        "list": "https://issuer.example.org/revocations.json",
                                        "index": "urn:uuid:7d0e4b1a-5c6f-4e89-a1b2-c3d4e5f60718"}]
    proof = linked["verification"]["proofs"][0]
    assert (proof["suite"], proof["verificationMethod"]) == ("OB 2.0 signed badge (RS256)",
                                                             "https://issuer.example.org/keys/1.json")
    assert linked["verification"]["issuer"] == "https://issuer.example.org/issuer.json"
    assert linked["summary"]["issued"] == "2024-05-01T12:00:00Z"


def test_a_tampered_jws_is_invalid_and_leaves_the_wallet_unchanged(cli: Cli, wallet_home: Path,
                                                                   vectors: Path) -> None:
    keep(cli, vectors)
    code, [outcome] = imported(cli, vectors / "ob2" / "signed" / "signed-tampered.jws")
    assert (code, outcome["status"], outcome["code"]) == (9, "rejected", "E_SIG_INVALID")
    assert cli.with_passphrase("list", "--json").json() == []


@pytest.mark.parametrize("kept, missing", [((), "CryptographicKey"), (("cryptographickey.json",), "issuer Profile"),
                                           (("cryptographickey.json", "issuer-profile.json"), "BadgeClass")])
def test_without_its_documents_a_signed_badge_is_unverifiable(cli: Cli, wallet_home: Path, vectors: Path,
                                                              kept: tuple[str, ...], missing: str) -> None:
    if kept:
        keep(cli, vectors, *kept)
    code, [outcome] = imported(cli, vectors / "ob2" / "signed" / "signed-linked-badge.jws")
    assert (code, outcome["code"]) == (10, "E_OB2_DOCUMENT_UNKNOWN")
    assert f"badge's {missing} https://issuer.example.org/" in outcome["reason"]
    assert "skillpass dids add FILE" in outcome["hint"]


def test_a_hosted_badge_is_kept_only_with_allow_unverified(cli: Cli, wallet_home: Path, vectors: Path) -> None:
    image = vectors / "ob2" / "png" / "ob2-hosted-itxt.png"
    code, [outcome] = imported(cli, image)
    assert (code, outcome["code"]) == (10, "E_HOSTED_BADGE")
    assert "--allow-unverified" in outcome["hint"]
    code, [outcome] = imported(cli, image, flags=("--allow-unverified",))
    assert (code, outcome["status"]) == (0, "imported")
    [row] = cli.with_passphrase("list", "--json").json()
    assert (row["status"], row["format"], row["issued"]) == (HOSTED, "ob2", "2016-12-31T23:59:59Z")
    shown = cli.with_passphrase("show", row["id"], "--json").json()
    assert shown["verification"]["proofs"] == [] and "never does" in shown["verification"]["unverified"]


def test_an_expired_hosted_badge_needs_allow_expired_too(cli: Cli, wallet_home: Path, vectors: Path) -> None:
    image = vectors / "ob2" / "png" / "baked-hosted-compressed.png"  # expires 2017-06-30
    code, [outcome] = imported(cli, image, flags=("--allow-unverified",))
    assert (code, outcome["code"]) == (9, "E_EXPIRED")
    code, [outcome] = imported(cli, image, flags=("--allow-unverified", "--allow-expired"))
    assert (code, outcome["status"]) == (0, "imported")
    assert cli.with_passphrase("list", "--json").json()[0]["status"] == "expired"  # its dates first, then HOSTED


def test_ob1_hosted_images_are_kept_unverified_too(cli: Cli, wallet_home: Path, vectors: Path) -> None:
    images = [vectors / "ob2" / "png" / "ob1-hosted-itxt.png", vectors / "ob2" / "png" / "ob1-hosted-itxt-badgr.png",
              vectors / "ob2" / "svg" / "ob1-hosted-cdata.svg"]
    code, outcomes = imported(cli, *images, flags=("--allow-unverified",))
    assert code == 0 and [o["status"] for o in outcomes] == ["imported"] * 3
    assert {r["status"] for r in cli.with_passphrase("list", "--json").json()} == {HOSTED}


def test_an_image_that_only_links_to_its_assertion_is_refused(cli: Cli, wallet_home: Path, vectors: Path) -> None:
    code, [outcome] = imported(cli, vectors / "ob2" / "png" / "legacy-text-url.png", flags=("--allow-unverified",))
    assert (code, outcome["code"]) == (10, "E_BAKED_LINK")
    assert "never fetches" in outcome["reason"] and "download" in outcome["hint"]


def verify(cli: Cli, path: Path, *flags: str) -> tuple[int, dict[str, Any]]:
    result = cli("verify", str(path), *flags, "--json")
    return result.returncode, result.json()


def test_verify_of_a_signed_badge_passes_with_its_documents(cli: Cli, vectors: Path) -> None:
    signed = vectors / "ob2" / "signed"
    dids = [arg for name in DOCUMENTS for arg in ("--did", str(signed / name))]
    for carrier in ("signed-embedded-badge.jws", "baked-signed.png", "baked-signed.svg", "signed-linked-badge.jws"):
        code, report = verify(cli, signed / carrier, *dids)
        assert (code, report["outcome"]) == (0, "verified"), report
        checks = {c["name"]: c for c in report["checks"]}
        assert checks["credential 1 proof"]["detail"].startswith(
            "signed by its issuer https://issuer.example.org/issuer.json")
        assert report["credentials"][0]["title"] == "Python Basics"


def test_verify_of_a_tampered_badge_is_invalid(cli: Cli, vectors: Path) -> None:
    signed = vectors / "ob2" / "signed"
    dids = [arg for name in DOCUMENTS for arg in ("--did", str(signed / name))]
    code, report = verify(cli, signed / "signed-tampered.jws", *dids)
    assert (code, report["outcome"]) == (9, "invalid")


def test_verify_of_a_hosted_badge_is_unverifiable(cli: Cli, vectors: Path) -> None:
    for path in (vectors / "ob2" / "png" / "ob2-hosted-itxt.png", vectors / "ob2" / "json" / "spec-assertion-hosted.json"):
        code, report = verify(cli, path)
        assert (code, report["outcome"]) == (10, "unverifiable")
        proof = next(c for c in report["checks"] if c["name"] == "credential 1 proof")
        assert proof["detail"].startswith(HOSTED) and proof["code"] == "E_HOSTED_BADGE"


def test_dids_add_keeps_ob2_documents_and_refuses_unusable_ones(cli: Cli, wallet_home: Path, vectors: Path) -> None:
    spec = vectors / "ob2" / "json"
    assert cli.with_passphrase("dids", "add", str(spec / "spec-issuer-profile.json")).returncode == 0
    # The spec's CryptographicKey has an abbreviated publicKeyPem ("...") and cannot be used.
    result = cli.with_passphrase("dids", "add", str(spec / "spec-cryptographickey.json"))
    assert result.returncode == 8 and "publicKeyPem" in result.stderr
    # The spec's BadgeClass has raw newlines in a string: not JSON, and skillpass reads JSON strictly.
    assert cli.with_passphrase("dids", "add", str(spec / "spec-badgeclass.nonstrict.json")).returncode == 8


def test_the_spec_signed_example_is_read_but_its_key_does_not_exist(cli: Cli, wallet_home: Path,
                                                                    vectors: Path) -> None:
    token = (vectors / "ob2" / "jws" / "spec-signed-example.jws").read_text().strip()
    claims = signed_assertion(token)
    assert claims is not None and claims["verify"]["creator"] == "https://example.org/publicKey"
    code, [outcome] = imported(cli, vectors / "ob2" / "jws" / "spec-signed-example.jws")
    assert (code, outcome["code"]) == (10, "E_OB2_DOCUMENT_UNKNOWN")


def test_the_claims_of_a_signed_badge_without_its_signature_are_not_a_hosted_badge(cli: Cli, wallet_home: Path,
                                                                                   vectors: Path) -> None:
    claims = vectors / "ob2" / "json" / "spec-signed-assertion-claims.json"
    code, [outcome] = imported(cli, claims, flags=("--allow-unverified",))
    assert (code, outcome["code"]) == (10, "E_OB2_UNSIGNED")


# -- the spec's JSON examples --------------------------------------------------------------------


def test_the_spec_examples_are_told_apart(vectors: Path) -> None:
    spec = vectors / "ob2" / "json"

    def read(name: str) -> Any:
        return json.loads((spec / name).read_text(), strict=False)

    assert is_assertion(read("spec-assertion-hosted.json")) and is_assertion(read("spec-signed-assertion-claims.json"))
    for name in ("spec-badgeclass.nonstrict.json", "spec-issuer-profile.json", "spec-cryptographickey.json",
                 "spec-revocationlist.json", "spec-revoked-hosted-assertion.json"):
        assert not is_assertion(read(name)), name
    ob3 = json.loads((vectors / "ob3" / "signed" / "ob3_eddsa-rdfc-2022_signed.json").read_text())
    assert not is_assertion(ob3)
    assert [documents.kind_of(read(n)) for n in ("spec-badgeclass.nonstrict.json", "spec-issuer-profile.json",
                                                 "spec-cryptographickey.json")] == ["BadgeClass", "Profile",
                                                                                    "CryptographicKey"]


def test_the_summary_carries_the_badgeclass_alignments_as_skills(vectors: Path) -> None:
    from skillpass.passport.skills import skills_of

    spec = vectors / "ob2" / "json"
    hosted = json.loads((spec / "spec-assertion-hosted.json").read_text())
    badge = json.loads((spec / "spec-badgeclass.nonstrict.json").read_text(), strict=False)
    profile = json.loads((spec / "spec-issuer-profile.json").read_text())
    summary = summary_of(hosted, badge, profile)
    assert (summary.title.default, summary.kind, summary.issuer.display()) == (
        "Awesome Robotics Badge", "OpenBadge2", "An Example Badge Issuer")
    assert (summary.issued, summary.expires) == ("2016-12-31T23:59:59Z", "2017-06-30T23:59:59Z")
    assert summary.achievements[0].criteria_id == "https://example.org/robotics-badge.html"
    assert [s.name.default for s in skills_of(summary)] == ["CCSS.ELA-Literacy.RST.11-12.3", "Problem-Solving"]
    assert [c.value.default for c in summary.claims] == [
        "email (hashed): sha256$c7ef86405ba71b85acd8e2e95166c4b111448089f2e1599f42fe1bba46e865c5"]
    assert [(e.type, e.list, e.index) for e in summary.status] == [
        ("OB2RevocationList", "https://example.org/revocationList.json", "https://example.org/beths-robotics-badge.json")]


# -- signed badges made here: each verification step -------------------------------------------

KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
KEY_ID, PROFILE_ID, BADGE_ID = ("https://ob.example/key.json", "https://ob.example/issuer.json",
                                "https://ob.example/badge.json")


def pem(public_key: Any) -> str:
    return public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def cache(**changes: Any) -> dict[str, Any]:
    docs = {KEY_ID: {"type": "CryptographicKey", "id": KEY_ID, "owner": PROFILE_ID, "publicKeyPem": pem(KEY.public_key())},
            PROFILE_ID: {"type": "Profile", "id": PROFILE_ID, "name": "OB Example", "publicKey": KEY_ID},
            BADGE_ID: {"type": "BadgeClass", "id": BADGE_ID, "name": "Welding", "issuer": PROFILE_ID}}
    for doc_id, change in changes.items():
        docs[{"key": KEY_ID, "profile": PROFILE_ID, "badge": BADGE_ID}[doc_id]].update(change)
    return docs


def signed(header: dict[str, Any] | None = None, key: Any = KEY, **claims: Any) -> bytes:
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    payload = {"@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": "urn:uuid:1",
               "recipient": {"type": "email", "hashed": False, "identity": "ana@example.org"}, "badge": BADGE_ID,
               "issuedOn": "2026-01-01T00:00:00Z", "verification": {"type": "SignedBadge", "creator": KEY_ID}, **claims}
    signing_input = b64(json.dumps(header or {"alg": "RS256"}).encode()) + "." + b64(json.dumps(payload).encode())
    return (signing_input + "." + b64(key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256()))).encode()


def test_a_badge_made_here_verifies_and_reads_as_its_badgeclass() -> None:
    verified = ob2.verify_signed(ob2.read(signed()), cache(), NOW)
    assert (verified.issuer, verified.key_id, verified.validity) == (PROFILE_ID, KEY_ID, "valid")
    summary = summary_of(verified.assertion, verified.badge, verified.profile)
    assert (summary.title.default, summary.issuer.display(), summary.claims[0].value.default) == (
        "Welding", "OB Example", "email: ana@example.org")


@pytest.mark.parametrize("token, docs, error, code", [
    (signed(key=rsa.generate_private_key(public_exponent=65537, key_size=2048)), cache(), InvalidError, "E_SIG_INVALID"),
    (signed({"alg": "PS256"}), cache(), InvalidError, "E_JWS_ALG"),
    (signed(), cache(profile={"publicKey": "https://ob.example/other-key.json"}), InvalidError, "E_OB2_KEY_NOT_LISTED"),
    (signed(), cache(badge={"issuer": "https://evil.example/issuer.json"}), InvalidError, "E_OB2_ISSUER_MISMATCH"),
    (signed(), cache(key={"owner": "https://evil.example/issuer.json"}), UnverifiableError, "E_OB2_DOCUMENT_UNKNOWN"),
    (signed(), cache(key={"publicKeyPem": pem(rsa.generate_private_key(public_exponent=65537,
                                                                        key_size=1024).public_key())}),
     UnverifiableError, "E_OB2_DOCUMENT_UNKNOWN"),  # a kept key under 2048 bits is no key
    (signed(verification={"type": "hosted"}), cache(), UnverifiableError, "E_HOSTED_BADGE"),
    (signed(verification={"type": "SignedBadge"}), cache(), UnverifiableError, "E_OB2_NO_CREATOR"),
    (signed(expires="2026-02-01T00:00:00Z"), cache(), None, "expired"),
])
def test_each_step_of_signed_badge_verification_fails_on_its_own(token: bytes, docs: dict[str, Any],
                                                                 error: Any, code: str) -> None:
    if error is None:
        assert ob2.verify_signed(ob2.read(token), docs, NOW).validity == code
        return
    with pytest.raises(error) as caught:
        ob2.verify_signed(ob2.read(token), docs, NOW)
    assert caught.value.code == code


@pytest.mark.parametrize("document, reason", [
    ({"type": "CryptographicKey", "id": "http://ob.example/k", "owner": PROFILE_ID}, "https"),
    ({"type": "CryptographicKey", "id": KEY_ID, "owner": PROFILE_ID,
      "publicKeyPem": pem(ec.generate_private_key(ec.SECP256R1()).public_key())}, "not an RSA key"),
    ({"type": "CryptographicKey", "id": KEY_ID, "publicKeyPem": pem(KEY.public_key())}, "owner"),
    ({"type": "BadgeClass", "id": BADGE_ID}, "issuer"),
    ({"type": "Assertion", "id": BADGE_ID}, "not a CryptographicKey"),
])
def test_unusable_issuer_documents_are_refused(document: dict[str, Any], reason: str) -> None:
    with pytest.raises(BadInputError) as caught:
        documents.read_document(document)
    assert caught.value.code == "E_OB2_DOCUMENT" and reason in caught.value.message


def test_share_gives_the_badge_whole_and_says_it_has_no_holder_proof() -> None:
    from skillpass.formats.base import Chosen, ShareOptions
    from skillpass.formats.ob2.format import FORMAT, NO_HOLDER_PROOF

    raw = signed()
    fields = FORMAT.fields(raw, None)
    assert not fields.selective
    request = ShareOptions(None, None, None, False)
    chosen = [Chosen("1", raw, fields, None)]  # type: ignore[arg-type]
    signer = FORMAT.signer(chosen, [], request)
    presentation = FORMAT.present(chosen, signer, request, None, NOW)  # type: ignore[arg-type]
    assert (presentation.body, presentation.suffix, presentation.suite) == (raw.decode(), ".jws", None)
    assert presentation.warnings == (NO_HOLDER_PROOF,)


# -- OB 2.0 §RevocationList: an assertion is revoked by its id or by its uid ----------------------

LIST_URL = "https://ob.example/revocations.json"


def _revocation_list(*revoked: Any) -> Any:
    from skillpass.status.onetech import read_ob2_list

    return read_ob2_list({"type": "RevocationList", "id": LIST_URL, "issuer": PROFILE_ID,
                          "revokedAssertions": list(revoked)}, LIST_URL)


def _verified_status(token: bytes, status_list: Any) -> tuple[str, ...]:
    from skillpass.formats.ob2.presented import Ob2Credential
    from skillpass.verifier.checks import Options

    options = Options(None, cache(profile={"revocationList": LIST_URL}), None, None, None, False, False,  # type: ignore[arg-type]
                      False, NOW, status_lists={LIST_URL: status_list})
    credential = Ob2Credential(ob2.read(token))
    credential.proof(options)
    return credential.status(options)


def test_an_assertion_names_its_id_and_its_uid_in_its_status_entries() -> None:
    token = signed(uid="a7c3f1")
    verified = ob2.verify_signed(ob2.read(token), cache(profile={"revocationList": LIST_URL}), NOW)
    summary = summary_of(verified.assertion, verified.badge, verified.profile)
    assert [(e.type, e.purpose, e.list, e.index) for e in summary.status] == [
        ("OB2RevocationList", "revocation", LIST_URL, "urn:uuid:1"),
        ("OB2RevocationList", "revocation", LIST_URL, "a7c3f1")]
    only_uid = summary_of({**verified.assertion, "id": None}, verified.badge, verified.profile)
    assert [e.index for e in only_uid.status] == ["a7c3f1"]
    same = summary_of({**verified.assertion, "uid": "urn:uuid:1"}, verified.badge, verified.profile)
    assert [e.index for e in same.status] == ["urn:uuid:1"]


@pytest.mark.parametrize("listed", [{"uid": "a7c3f1", "revocationReason": "issued in error"}, "urn:uuid:1",
                                    {"id": "urn:uuid:1"}])
def test_an_assertion_listed_by_its_uid_or_its_id_is_revoked(listed: Any) -> None:
    with pytest.raises(InvalidError) as caught:
        _verified_status(signed(uid="a7c3f1"), _revocation_list(listed))
    assert caught.value.code == "E_REVOKED"


def test_an_assertion_listed_by_neither_is_not_revoked() -> None:
    state, detail, code = _verified_status(signed(uid="a7c3f1"), _revocation_list({"uid": "other"}, "urn:uuid:2"))
    # not revoked; a warning only because an OB 2.0 list is unsigned
    assert (state, code) == ("warning", "E_STATUS_UNSIGNED")
    assert detail.startswith(f"not in the revocation list {LIST_URL}")


def test_the_jws_header_is_decoded_once_for_detection_and_verification() -> None:
    from skillpass.formats.ob2.detect import signed_parts

    token = signed({"alg": "RS256", "kid": KEY_ID})
    header, payload = signed_parts(token.decode()) or ({}, {})
    assert (header, payload["id"]) == ({"alg": "RS256", "kid": KEY_ID}, "urn:uuid:1")
    assert ob2.read(token).header == header  # what verify_signed checks the alg of
    assert signed_parts(signed({"alg": "none"}).decode()) is None
