"""Verifier requests, in process: reading OpenID4VP links and request objects, DCQL / Presentation
Exchange v2 / VC-API VPR queries into one Query, the Query against credentials into a selection,
the encrypted response; then hostile requests, one check each. The published request fixtures in
../shared/vectors/presentation-requests map to the expected selections (skipped when absent)."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from conftest import VECTORS
from cryptography.hazmat.primitives.asymmetric import ec

from skillpass.errors import (
    BadInputError,
    InvalidError,
    NetworkError,
    NotFoundError,
    SkillpassError,
)
from skillpass.net.http import NetPolicy
from skillpass.oid4vp import query as q
from skillpass.oid4vp.request import Reading, from_document, from_link, read_request
from skillpass.oid4vp.select import Candidate, matches

NOW = datetime(2026, 12, 1, tzinfo=UTC)
READING = Reading(NetPolicy(), None, NOW)
LOOPBACK = Reading(NetPolicy(allow_http=True), None, NOW)
RESPONSE_URI = "https://hiring.example/oid4vp/response"
VCT = "https://credentials.boreal.example/welding-safety"
DCQL = {"credentials": [{"id": "skills", "format": "dc+sd-jwt", "meta": {"vct_values": [VCT]},
                         "claims": [{"path": ["given_name"]}, {"path": ["address", "locality"]}]}]}
SD_JWT_CLAIMS = {"iss": "https://credentials.boreal.example", "vct": VCT, "given_name": "Ana", "family_name": "Roy",
                 "address": {"locality": "Sudbury", "region": "ON"}, "skills": ["welding", "blueprints"]}
OB3 = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential", "OpenBadgeCredential"],
       "issuer": {"id": "did:web:boreal.example"},
       "credentialSubject": {"id": "did:key:z6Mk", "achievement": {"name": "Welding Safety", "criteria": {}}}}
PRESENTATION_REQUESTS = VECTORS / "presentation-requests"


def link(**parameters: Any) -> str:
    base = {"client_id": f"redirect_uri:{RESPONSE_URI}", "response_type": "vp_token", "response_mode": "direct_post",
            "response_uri": RESPONSE_URI, "nonce": "n-0S6_WzA2Mj", "state": "st-1", "dcql_query": json.dumps(DCQL)}
    base.update({k: v for k, v in parameters.items() if v is not None})
    for k in [k for k, v in parameters.items() if v is None]:
        base.pop(k, None)
    return "openid4vp://?" + urlencode(base)


def sd_jwt(**claims: Any) -> Candidate:
    return Candidate("sd1", "dc+sd-jwt", "Welding Safety", {**SD_JWT_CLAIMS, **claims})


def ob3(cid: str = "ob1", **extra: Any) -> Candidate:
    return Candidate(cid, "ldp_vc", "Welding Safety", {**OB3, **extra})


# -- reading a request --------------------------------------------------------------------------


def test_a_link_by_value_is_read_with_its_unauthenticated_verifier() -> None:
    request = from_link(link(client_metadata=json.dumps({"client_name": "Boreal Hiring"})), READING)

    assert request.kind == "openid4vp" and request.nonce == "n-0S6_WzA2Mj" and request.state == "st-1"
    assert request.verifier.client_id == f"redirect_uri:{RESPONSE_URI}" and not request.verifier.authenticated
    assert request.verifier.name == "Boreal Hiring"
    assert request.domain == request.verifier.client_id  # the KB-JWT's aud: the whole client id
    assert (request.response_mode, request.response_uri) == ("direct_post", RESPONSE_URI)
    [credential] = request.query.credentials
    assert credential.formats == ("dc+sd-jwt",) and credential.vct_values == (VCT,)
    assert [c.path for c in credential.claims or ()] == [("given_name",), ("address", "locality")]


def test_a_request_file_and_stdin_read_alike(tmp_path: Path) -> None:
    import io

    path = tmp_path / "request.txt"
    path.write_text(link() + "\n")

    from_file = read_request(str(path), None, READING)
    from_stdin = read_request("-", io.BytesIO(link().encode()), READING)

    assert from_file.query == from_stdin.query and from_file.nonce == from_stdin.nonce


def test_http_to_loopback_needs_allow_http() -> None:
    loopback = link(client_id="redirect_uri:http://127.0.0.1:8080/r", response_uri="http://127.0.0.1:8080/r")

    assert from_link(loopback, LOOPBACK).response_uri == "http://127.0.0.1:8080/r"
    with pytest.raises(NetworkError) as refused:
        from_link(loopback, READING)
    assert refused.value.code == "E_NOT_HTTPS"


def test_allow_http_is_for_loopback_only() -> None:
    elsewhere = link(client_id="redirect_uri:http://hiring.example/r", response_uri="http://hiring.example/r")

    with pytest.raises(NetworkError) as refused:
        from_link(elsewhere, LOOPBACK)
    assert refused.value.code == "E_NOT_HTTPS" and "loopback" in refused.value.message


# -- DCQL -> selection --------------------------------------------------------------------------


def test_a_dcql_query_selects_exactly_the_claims_asked_for() -> None:
    [match] = matches(q.dcql_query(DCQL), [ob3(), sd_jwt()])

    assert match.credential.id == "sd1" and match.pointers == ("/given_name", "/address/locality")


def test_the_newest_match_answers_and_the_others_are_named() -> None:
    newer, older = sd_jwt(), Candidate("sd2", "dc+sd-jwt", "Welding Safety", dict(SD_JWT_CLAIMS))

    [match] = matches(q.dcql_query(DCQL), [newer, older])

    assert match.credential.id == "sd1" and match.others == ("sd2",)


def test_a_credential_of_another_vct_does_not_answer() -> None:
    with pytest.raises(NotFoundError) as missing:
        matches(q.dcql_query(DCQL), [sd_jwt(vct="https://other.example/vct")])
    assert missing.value.code == "E_REQUEST_UNSATISFIED" and VCT in missing.value.message


def test_a_request_nothing_satisfies_names_the_missing_claim() -> None:
    query = q.dcql_query({"credentials": [{**DCQL["credentials"][0], "claims": [{"path": ["birthdate"]}]}]})

    with pytest.raises(NotFoundError) as missing:
        matches(query, [sd_jwt()])
    assert "'skills'" in missing.value.message and "has no claim birthdate" in missing.value.message


def test_values_and_null_steps() -> None:
    query = q.dcql_query({"credentials": [{"id": "c", "format": "dc+sd-jwt", "claims": [
        {"path": ["skills", None]}, {"path": ["family_name"], "values": ["Roy", "Roi"]}]}]})
    wrong = q.dcql_query({"credentials": [{"id": "c", "format": "dc+sd-jwt", "claims": [
        {"path": ["family_name"], "values": ["Smith"]}]}]})

    [match] = matches(query, [sd_jwt()])
    assert match.pointers == ("/skills/0", "/skills/1", "/family_name")
    with pytest.raises(NotFoundError, match="with the value asked for"):
        matches(wrong, [sd_jwt()])


def test_claim_sets_take_the_first_the_credential_satisfies() -> None:
    query = q.dcql_query({"credentials": [{"id": "c", "format": "dc+sd-jwt", "claims": [
        {"id": "a", "path": ["birthdate"]}, {"id": "b", "path": ["given_name"]}, {"id": "d", "path": ["family_name"]}],
        "claim_sets": [["a", "b"], ["b", "d"], ["d"]]}]})

    [match] = matches(query, [sd_jwt()])
    assert match.pointers == ("/given_name", "/family_name")


def test_no_claims_asks_for_only_what_is_always_revealed() -> None:
    [match] = matches(q.dcql_query({"credentials": [{"id": "c", "format": "dc+sd-jwt"}]}), [sd_jwt()])

    assert match.pointers is None


def test_ldp_vc_types_match_as_terms_or_expanded_iris() -> None:
    expanded = q.dcql_query({"credentials": [{"id": "badge", "format": "ldp_vc", "meta": {"type_values": [
        ["https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential"]]},
        "claims": [{"path": ["credentialSubject", "achievement", "name"]}]}]})

    [match] = matches(expanded, [sd_jwt(), ob3()])
    assert match.credential.id == "ob1" and match.pointers == ("/credentialSubject/achievement/name",)


def test_credential_sets_pick_the_first_satisfiable_required_option() -> None:
    other = {"id": "other", "format": "dc+sd-jwt", "meta": {"vct_values": ["https://x.example/pid"]}}
    optional = {"id": "rewards", "format": "dc+sd-jwt", "meta": {"vct_values": [VCT]}}
    query = q.dcql_query({"credentials": [other, DCQL["credentials"][0], optional],
                          "credential_sets": [{"options": [["other"], ["skills"]]},
                                              {"required": False, "options": [["rewards"]]}]})

    chosen = matches(query, [sd_jwt()])

    assert [m.query_id for m in chosen] == ["skills"]  # an optional set is left out: minimal disclosure


def test_a_credential_sets_purpose_is_the_requests_purpose() -> None:
    """DCQL says why only in a credential set: the learner is shown it before answering."""
    query = {**DCQL, "credential_sets": [{"options": [["skills"]], "purpose": "To check your welding ticket"}]}

    request = read_request(link(dcql_query=json.dumps(query)), None, READING)

    assert request.purpose == "To check your welding ticket"


def test_selection_for_a_credential_that_cannot_hide_fields_is_whole() -> None:
    from skillpass.flow.answering import selection_for
    from skillpass.present.fields import Field, FieldList

    whole = FieldList(False, "VC-JWT (ES256)", "signed as one JWT", (Field("a", "/a", "A", "1", True, "whole"),))
    fields = FieldList(True, "SD-JWT (ES256)", None, (Field("cnf", "/cnf", "Holder key", "…", True, "holder binding"),
                                                      Field("given_name", "/given_name", "Given name", "Ana", False)))

    assert selection_for(whole, ("/a",))[1] is True and selection_for(whole, ("/a",))[0].reveal_all
    selection, is_whole = selection_for(fields, ("/given_name", "/cnf/jwk"))
    assert not is_whole and selection.pointers == ("/given_name", "/cnf")


# -- Presentation Exchange v2 and VC-API VPR ----------------------------------------------------


def test_presentation_exchange_fields_become_claims_with_alternatives() -> None:
    definition = {"id": "pd", "input_descriptors": [{"id": "badge", "purpose": "We hire welders", "constraints": {
        "fields": [{"path": ["$.type"], "filter": {"type": "array", "contains": {"const": "OpenBadgeCredential"}}},
                   {"path": ["$.credentialSubject.name", "$.vc.credentialSubject.achievement.name"]},
                   {"path": ["$.credentialSubject.email"], "optional": True}]}}]}

    query = q.presentation_definition(definition)
    [match] = matches(query, [sd_jwt(), ob3()])

    assert query.definition_id == "pd" and query.credentials[0].purpose == "We hire welders"
    assert query.credentials[0].type_values == (("OpenBadgeCredential",),)
    assert match.credential.id == "ob1" and match.pointers == ("/credentialSubject/achievement/name",)


def test_presentation_exchange_filters_const_and_pattern() -> None:
    def definition(flt: dict[str, Any]) -> q.Query:
        return q.presentation_definition({"id": "pd", "input_descriptors": [{"id": "i", "constraints": {
            "fields": [{"path": ["$.issuer.id", "$.iss"], "filter": flt}]}}]})

    assert matches(definition({"type": "string", "pattern": "^did:web:boreal"}), [ob3()])[0].pointers == ("/issuer/id",)
    with pytest.raises(NotFoundError):
        matches(definition({"type": "string", "const": "did:web:elsewhere"}), [ob3()])


def test_a_vpr_query_by_example_asks_for_its_type_and_issuer() -> None:
    vpr = {"query": [{"type": "QueryByExample", "credentialQuery": {
        "reason": "Show that you completed the safety course",
        "example": {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": "OpenBadgeCredential",
                    "credentialSubject": {"achievement": {"name": ""}}},
        "acceptedIssuers": [{"id": "did:web:boreal.example"}]}}, {"type": "DIDAuthentication"}],
        "challenge": "c-1", "domain": "hiring.example"}

    request = from_document(vpr, READING, "vpr.json")
    [match] = matches(request.query, [ob3("other", issuer="did:web:elsewhere"), ob3()])

    assert request.kind == "vpr" and (request.nonce, request.domain) == ("c-1", "hiring.example")
    assert request.purpose == "Show that you completed the safety course" and request.query.did_authentication
    assert match.credential.id == "ob1" and match.pointers == ("/credentialSubject/achievement/name",)


def test_an_unknown_vpr_query_type_is_refused() -> None:
    with pytest.raises(BadInputError) as refused:
        q.presentation_request({"query": {"type": "ZcapQuery"}})
    assert refused.value.code == "E_REQUEST_UNSUPPORTED"


# -- direct_post.jwt ----------------------------------------------------------------------------


def test_the_encrypted_response_opens_with_the_verifiers_key() -> None:
    from jwcrypto import jwe, jwk

    from skillpass.oid4vp.response import encrypted_response

    key = jwk.JWK.generate(kty="EC", crv="P-256", kid="enc-1")
    metadata = {"jwks": {"keys": [{**json.loads(key.export_public()), "use": "enc", "alg": "ECDH-ES"}]},
                "encrypted_response_enc_values_supported": ["A256GCM"]}

    token = encrypted_response({"vp_token": {"skills": ["x~y~z"]}, "state": "st-1"}, metadata)

    opened = jwe.JWE()
    opened.deserialize(token, key)
    header = json.loads(opened.objects["protected"])
    assert (header["alg"], header["enc"], header["kid"]) == ("ECDH-ES", "A256GCM", "enc-1")
    assert json.loads(opened.payload) == {"vp_token": {"skills": ["x~y~z"]}, "state": "st-1"}


@pytest.mark.parametrize("metadata", [{}, {"jwks": {"keys": [{"kty": "RSA", "n": "x", "e": "AQAB"}]}},
                                      {"jwks": {"keys": [{"kty": "EC", "crv": "P-256", "x": "x", "y": "y"}]},
                                       "encrypted_response_enc_values_supported": ["A128CBC-HS256"]}])
def test_an_encrypted_response_needs_a_key_and_an_encryption_skillpass_makes(metadata: dict[str, Any]) -> None:
    from skillpass.oid4vp.response import encryption_key

    with pytest.raises(BadInputError) as refused:
        encryption_key(metadata)
    assert refused.value.code == "E_RESPONSE_ENCRYPTION"


# -- hostile requests ---------------------------------------------------------------------------


@pytest.mark.parametrize(("given", "code"), [
    ("ftp://hiring.example/request", "E_REQUEST_SCHEME"),
    ("javascript:alert(1)", "E_REQUEST_SCHEME"),
    (link(response_uri="http://hiring.example/r", client_id="redirect_uri:http://hiring.example/r"), "E_NOT_HTTPS"),
    (link(response_uri="ftp://hiring.example/r", client_id="redirect_uri:ftp://hiring.example/r"), "E_NOT_HTTPS"),
    (link(dcql_query="{not json"), "E_REQUEST"),
    (link(dcql_query=json.dumps({"credentials": []})), "E_REQUEST"),
    (link(dcql_query=json.dumps({"credentials": [{"id": "a b", "format": "dc+sd-jwt"}]})), "E_REQUEST"),
    (link(dcql_query=json.dumps({"credentials": [{"id": "a", "format": "dc+sd-jwt", "claims": [{"path": []}]}]})),
     "E_REQUEST"),
    (link(nonce=None), "E_REQUEST"),
    (link(response_type="code"), "E_REQUEST_UNSUPPORTED"),
    (link(response_mode="fragment"), "E_REQUEST_UNSUPPORTED"),
    (link(transaction_data=json.dumps(["eyJ0eXBlIjoicGF5bWVudCJ9"])), "E_REQUEST_UNSUPPORTED"),
    (link(dcql_query=None, presentation_definition=json.dumps({"id": "p", "input_descriptors": []})),
     "E_REQUEST_UNSUPPORTED"),
    (link(dcql_query=None), "E_REQUEST"),
    (link(client_id=None), "E_REQUEST"),
    (link(client_id="hiring-portal"), "E_CLIENT_ID_PREFIX"),
    (link(client_id="bogus_prefix:hiring.example"), "E_CLIENT_ID_PREFIX"),
    (link(client_id="decentralized_identifier:did:web:hiring.example"), "E_CLIENT_ID_PREFIX"),
    (link(client_id="redirect_uri:https://elsewhere.example/r"), "E_CLIENT_ID_MISMATCH"),
    (link(client_id="x509_hash:" + "A" * 43), "E_REQUEST_UNSIGNED"),
    (link(client_id="x509_san_dns:hiring.example"), "E_REQUEST_UNSIGNED"),
    ("openid4vp://?" + "x" * (300 * 1024), "E_TOO_LARGE"),
])
def test_a_hostile_request_is_refused_before_the_wallet_is_opened(given: str, code: str) -> None:
    with pytest.raises(SkillpassError) as refused:
        read_request(given, None, READING)
    assert refused.value.code == code, refused.value.message


def test_a_link_too_long_for_a_request_says_the_limit_and_what_to_do() -> None:
    with pytest.raises(BadInputError, match="the link is longer than 256 KiB, too long to be a presentation "
                                            "request") as refused:
        read_request("openid4vp://?" + "x" * (300 * 1024), None, READING)
    assert refused.value.hint and refused.value.exit_status == 8


def test_a_huge_request_file_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    path.write_bytes(b" " * (300 * 1024) + b"{}")

    with pytest.raises(BadInputError) as refused:
        read_request(str(path), None, READING)
    assert refused.value.code == "E_TOO_LARGE"


@pytest.mark.parametrize("document", [[], {"hello": "world"}, {"query": []}, {"input_descriptors": "x"}])
def test_a_request_file_of_no_known_kind_is_refused(document: Any) -> None:
    with pytest.raises(BadInputError):
        from_document(document, READING, "f") if isinstance(document, dict) else q.dcql_query(document)


def test_a_presentation_exchange_jsonpath_it_cannot_follow_is_refused() -> None:
    with pytest.raises(BadInputError, match="JSONPath"):
        q.presentation_definition({"input_descriptors": [{"id": "i", "constraints": {
            "fields": [{"path": ["$..credentialSubject[?(@.x)]"]}]}}]})


# -- signed request objects ---------------------------------------------------------------------


def _pki() -> dict[str, Any]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.serialization import Encoding
    from cryptography.x509.oid import NameOID

    ca_key, leaf_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test CA")])

    def cert(subject: Any, key: Any, ca: bool, extra: list[Any]) -> Any:
        builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(ca_name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(NOW - timedelta(days=1))
                   .not_valid_after(NOW + timedelta(days=30))
                   .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True))
        for extension in extra:
            builder = builder.add_extension(extension, critical=False)
        return builder.sign(ca_key, hashes.SHA256())

    ca = cert(ca_name, ca_key, True, [x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()),
                                      x509.KeyUsage(False, False, False, False, False, True, True, False, False)])
    leaf = cert(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Hiring")]), leaf_key, False,
                [x509.SubjectAlternativeName([x509.DNSName("hiring.example")]),
                 x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key())])
    der = leaf.public_bytes(Encoding.DER)
    return {"ca": ca, "leaf_key": leaf_key, "x5c": [base64.b64encode(c.public_bytes(Encoding.DER)).decode()
                                                    for c in (leaf, ca)],
            "hash": base64.urlsafe_b64encode(hashlib.sha256(der).digest()).rstrip(b"=").decode()}


def _request_object(pki: dict[str, Any], client_id: str, **claims: Any) -> str:
    from skillpass.formats import jose

    payload = {"client_id": client_id, "response_type": "vp_token", "response_mode": "direct_post",
               "response_uri": RESPONSE_URI, "nonce": "n-1", "dcql_query": DCQL, **claims}
    header = {"typ": "oauth-authz-req+jwt", "x5c": pki["x5c"]}
    return jose.sign(header, json.dumps(payload).encode(), pki["leaf_key"])


@pytest.fixture
def anchored(tmp_path: Path) -> tuple[dict[str, Any], Reading]:
    from cryptography.hazmat.primitives.serialization import Encoding

    pki = _pki()
    anchor = tmp_path / "ca.pem"
    anchor.write_bytes(pki["ca"].public_bytes(Encoding.PEM))
    return pki, Reading(NetPolicy(), anchor, NOW)


@pytest.mark.parametrize("prefix", ["x509_san_dns", "x509_hash"])
def test_a_signed_request_object_checks_out_against_the_anchor(anchored: Any, prefix: str) -> None:
    pki, reading = anchored
    client_id = "x509_san_dns:hiring.example" if prefix == "x509_san_dns" else f"x509_hash:{pki['hash']}"
    token = _request_object(pki, client_id)

    request = from_link("openid4vp://?" + urlencode({"client_id": client_id, "request": token}), reading)

    assert request.verifier.authenticated and request.verifier.client_id == client_id
    assert "CN=Hiring" in request.verifier.how and request.domain == client_id


@pytest.mark.parametrize(("client_id", "claims", "code"), [
    ("x509_hash:" + "B" * 43, {}, "E_CLIENT_ID_MISMATCH"),
    ("x509_san_dns:other.example", {}, "E_CLIENT_ID_MISMATCH"),
    ("x509_san_dns:hiring.example", {"response_uri": "https://elsewhere.example/r"}, "E_CLIENT_ID_MISMATCH"),
    ("redirect_uri:" + RESPONSE_URI, {}, "E_REQUEST_SIGNED"),
    ("x509_san_dns:hiring.example", {"exp": int(NOW.timestamp()) - 3600}, "E_REQUEST_EXPIRED"),
])
def test_a_signed_request_that_does_not_check_out_is_refused(anchored: Any, client_id: str,
                                                             claims: dict[str, Any], code: str) -> None:
    pki, reading = anchored
    token = _request_object(pki, client_id, **claims)

    with pytest.raises(SkillpassError) as refused:
        from_link("openid4vp://?" + urlencode({"client_id": client_id, "request": token}), reading)
    assert refused.value.code == code


def test_a_tampered_or_unanchored_request_object_is_refused(anchored: Any) -> None:
    pki, reading = anchored
    token = _request_object(pki, "x509_san_dns:hiring.example")
    header, payload, signature = token.split(".")
    changed = json.loads(base64.urlsafe_b64decode(payload + "=="))
    changed["nonce"] = "another"
    forged = ".".join([header, base64.urlsafe_b64encode(json.dumps(changed).encode()).rstrip(b"=").decode(),
                       signature])
    unsigned = ".".join([base64.urlsafe_b64encode(b'{"alg":"none"}').rstrip(b"=").decode(), payload, ""])

    for bad_token, code in ((forged, "E_SIG_INVALID"), (unsigned, "E_REQUEST_UNSIGNED")):
        with pytest.raises(InvalidError) as refused:
            from_link("openid4vp://?" + urlencode({"client_id": "x509_san_dns:hiring.example",
                                                   "request": bad_token}), reading)
        assert refused.value.code == code
    with pytest.raises(InvalidError) as untrusted:
        from_link("openid4vp://?" + urlencode({"client_id": "x509_san_dns:hiring.example", "request": token}),
                  Reading(NetPolicy(), _other_anchor(reading), NOW))
    assert untrusted.value.code == "E_VERIFIER_UNTRUSTED"


def _other_anchor(reading: Reading) -> Path:
    from cryptography.hazmat.primitives.serialization import Encoding

    assert reading.anchor_file is not None
    other = reading.anchor_file.with_name("other-ca.pem")
    other.write_bytes(_pki()["ca"].public_bytes(Encoding.PEM))
    return other


# -- the published fixtures ---------------------------------------------------------------------


def fixture(name: str) -> Any:
    if not PRESENTATION_REQUESTS.is_dir():
        pytest.skip("../shared/vectors/presentation-requests is not present")
    return json.loads((PRESENTATION_REQUESTS / name).read_text())


def test_fixture_dcql_simple_maps_to_its_claims_and_names_what_the_example_lacks() -> None:
    query = q.dcql_query(fixture("oid4vp_dcql_simple.json"))
    unsecured = Candidate("pid", "dc+sd-jwt", "PID", fixture("oid4vp_credentials_sd_jwt_vc_unsecured.json"))
    full = Candidate("pid2", "dc+sd-jwt", "PID", {**unsecured.document, "address": {"street_address": "Main St 1"}})

    with pytest.raises(NotFoundError, match="address.street_address"):
        matches(query, [unsecured])
    assert matches(query, [full])[0].pointers == ("/family_name", "/given_name", "/address/street_address")


def test_fixture_dcql_ldp_vc_selects_the_subject_claims() -> None:
    query = q.dcql_query(fixture("oid4vp_request_dcql_ldp_vc.json"))
    credential = Candidate("id", "ldp_vc", "ID", fixture("oid4vp_credentials_ldp_vc.json"))

    [match] = matches(query, [credential])

    assert match.query_id == "example_ldp_vc" and len(match.pointers or ()) == 7
    assert "/credentialSubject/address/postal_code" in (match.pointers or ())


def test_fixture_dcql_jwt_vc_and_value_matching() -> None:
    jwt_query = q.dcql_query(fixture("oid4vp_request_dcql_jwt_vc.json"))
    values = q.dcql_query(fixture("oid4vp_dcql_value_matching_simple.json"))
    document = {**fixture("oid4vp_credentials_ldp_vc.json")}

    assert matches(jwt_query, [Candidate("j", "jwt_vc_json", "ID", document)])[0].pointers == (
        "/credentialSubject/family_name", "/credentialSubject/given_name")
    assert values.credentials[0].claims[0].values == ("Doe",)  # type: ignore[index]
    with pytest.raises(NotFoundError, match="value asked for"):
        matches(values, [Candidate("p", "dc+sd-jwt", "PID", {
            "vct": "https://credentials.example.com/identity_credential", "family_name": "Roe"})])


def test_fixture_dcql_alternatives_and_mdoc() -> None:
    sets = q.dcql_query(fixture("oid4vp_dcql_credentials_alternatives.json"))
    claim_sets = q.dcql_query(fixture("oid4vp_dcql_claims_alternatives.json"))
    mdoc = q.dcql_query(fixture("oid4vp_dcql_simple_mdoc.json"))
    pid = Candidate("p", "dc+sd-jwt", "PID", {"vct": "https://credentials.example.com/identity_credential",
                                              "given_name": "A", "family_name": "B",
                                              "address": {"street_address": "C"}, "locality": "L", "region": "R",
                                              "date_of_birth": "2000-01-01"})

    assert [m.query_id for m in matches(sets, [pid])] == ["pid"]
    assert matches(claim_sets, [pid])[0].pointers == ("/family_name", "/locality", "/region", "/date_of_birth")
    assert mdoc.credentials[0].formats == ()  # ISO mdoc: skillpass holds none
    with pytest.raises(NotFoundError, match="format skillpass does not hold"):
        matches(mdoc, [pid])
    q.dcql_query(fixture("oid4vp_dcql_multi_credentials.json"))
    q.dcql_query(fixture("oid4vp_dcql_complex_mdoc.json"))


@pytest.mark.parametrize("name", ["basic_example", "minimal_example", "single_group_example", "pd_filter2"])
def test_fixture_presentation_definitions_are_read(name: str) -> None:
    document = fixture(f"dif-pe-v2_presentation-definition_{name}.json")
    query = q.presentation_definition(document["presentation_definition"])

    assert query.language == "presentation_definition" and query.credentials


def test_fixture_pe_minimal_example_takes_either_path() -> None:
    query = q.presentation_definition(fixture("dif-pe-v2_presentation-definition_minimal_example.json")[
        "presentation_definition"])
    credential = ob3(credentialSubject={"dob": "2000-01-01"})

    [match] = matches(query, [credential])

    assert match.pointers == ("/credentialSubject/dob",) and query.credentials[0].purpose


def test_fixture_pe_with_no_input_descriptors_is_refused() -> None:
    with pytest.raises(BadInputError, match="input descriptors"):
        q.presentation_definition(fixture("dif-pe-v2_presentation-definition_format_example.json")[
            "presentation_definition"])


def test_fixture_vpr_did_authentication_is_answered_with_a_signed_empty_presentation(
        cli: Any, wallet_home: Path, tmp_path: Path) -> None:
    examples = [e for e in fixture("w3c-ccg-vpr_examples.json") if isinstance(e, dict) and "query" in e]
    by_key, by_example = tmp_path / "by-key.json", tmp_path / "by-example.json"
    by_key.write_text(json.dumps(examples[1]))  # acceptedMethods key, acceptedCryptosuites ecdsa-rdfc-2019
    by_example.write_text(json.dumps(examples[0]))  # acceptedMethods example
    out = tmp_path / "answer.json"

    answered = cli.with_passphrase("share", "--request", str(by_key), "--yes", "--out", str(out), "--json")
    refused = cli.with_passphrase("share", "--request", str(by_example), "--yes", "--out", str(tmp_path / "x.json"))
    report = cli("verify", str(out), "--challenge", examples[1]["challenge"], "--domain", "example.com", "--json")

    assert answered.returncode == 0, answered.stderr
    presentation = json.loads(out.read_text())
    assert presentation["holder"].startswith("did:key:zDn") and "verifiableCredential" not in presentation
    proof = presentation["proof"]
    assert (proof["cryptosuite"], proof["proofPurpose"], proof["challenge"], proof["domain"]) == (
        "ecdsa-rdfc-2019", "authentication", examples[1]["challenge"], "example.com")
    checks = {c["name"]: c["status"] for c in report.json()["checks"]}
    assert checks["holder proof"] == checks["challenge"] == checks["domain"] == "passed"
    assert refused.returncode == 2 and "method example" in refused.stderr


def test_fixture_vpr_did_authentication() -> None:
    examples = fixture("w3c-ccg-vpr_examples.json")
    requests = [from_document(e, READING, "vpr") for e in examples if isinstance(e, dict) and "query" in e]

    assert len(requests) == 2
    assert all(r.kind == "vpr" and r.query.did_authentication and not r.query.credentials for r in requests)
    assert requests[0].nonce == "99612b24-63d9-11ea-b99f-4f66f3e4f81a" and requests[0].domain == "example.com"


# -- through the real command: a request file answered to --out ------------------------------


@pytest.fixture
def badges(cli: Any, wallet_home: Path, tmp_path: Path) -> dict[str, str]:
    """An ecdsa-sd-2023 badge and an eddsa-rdfc-2022 badge, both issued to the wallet's Ed25519 DID."""
    from issuing import new_issuer, sign
    from issuing import ob3 as badge

    holder = next(k["did"] for k in cli.with_passphrase("did", "--json").json() if k["keyType"] == "Ed25519")
    sd_issuer, ed_issuer = new_issuer("P-256"), new_issuer("Ed25519")
    ids = {}
    for name, credential in (("sd", sign(badge("Intro to Data Analysis", issuer=sd_issuer, subject=holder),
                                         sd_issuer, "ecdsa-sd-2023")),
                             ("ed", sign(badge("Welding Safety", issuer=ed_issuer, subject=holder, n=2),
                                         ed_issuer, "eddsa-rdfc-2022"))):
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(credential))
        imported = cli.with_passphrase("import", str(path), "--json")
        assert imported.returncode == 0, imported.stdout
        ids[name] = imported.json()[0]["id"]
    return {**ids, "sd_issuer": sd_issuer.did, "ed_issuer": ed_issuer.did}


def _vpr(tmp_path: Path, issuer: str) -> Path:
    path = tmp_path / "vpr.json"
    path.write_text(json.dumps({"query": [{"type": "QueryByExample", "credentialQuery": {
        "reason": "Proof of the data analysis course",
        "example": {"type": ["VerifiableCredential", "OpenBadgeCredential"],
                    "credentialSubject": {"achievement": {"name": ""}}},
        "acceptedIssuers": [issuer]}}], "challenge": "c-77", "domain": "hiring.example"}))
    return path


def test_a_vpr_file_is_answered_with_only_the_field_it_asks_for(cli: Any, badges: dict[str, str],
                                                                 tmp_path: Path) -> None:
    out = tmp_path / "answer.json"
    answered = cli.with_passphrase("share", "--request", str(_vpr(tmp_path, badges["sd_issuer"])), "--yes",
                                   "--out", str(out), "--json")
    report = cli("verify", str(out), "--challenge", "c-77", "--domain", "hiring.example", "--json")

    assert answered.returncode == 0, answered.stderr
    document = answered.json()
    assert document["file"] == str(out) and document["kind"] == "vpr"
    assert document["purpose"] == "Proof of the data analysis course"
    [credential] = document["credentials"]
    assert credential["id"] == badges["sd"] and credential["whole"] is False
    assert report.returncode == 0, report.stdout
    text = out.read_text()
    assert "Intro to Data Analysis" in text and "Passed the final assessment" not in text
    [record] = cli.with_passphrase("history", "--json").json()
    assert (record["challenge"], record["domain"]) == ("c-77", "hiring.example")


def test_a_presentation_definition_file_is_answered_to_out(cli: Any, badges: dict[str, str],
                                                           tmp_path: Path) -> None:
    request = tmp_path / "pd.json"
    request.write_text(json.dumps({"presentation_definition": {"id": "pd-1", "input_descriptors": [{
        "id": "badge", "constraints": {"fields": [
            {"path": ["$.issuer.id", "$.issuer"], "filter": {"type": "string", "const": badges["ed_issuer"]}},
            {"path": ["$.credentialSubject.achievement.name"]}]}}]}, "nonce": "n-5", "domain": "hiring.example"}))
    out = tmp_path / "answer.json"

    answered = cli.with_passphrase("share", "--request", str(request), "--yes", "--out", str(out), "--json")

    assert answered.returncode == 0, answered.stderr
    [credential] = answered.json()["credentials"]
    assert credential["id"] == badges["ed"] and credential["whole"] is True  # eddsa-rdfc-2022 cannot hide
    assert cli("verify", str(out), "--challenge", "n-5", "--domain", "hiring.example").returncode == 0


def test_without_a_terminal_or_yes_nothing_is_shared(cli: Any, badges: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "answer.json"
    refused = cli.with_passphrase("share", "--request", str(_vpr(tmp_path, badges["sd_issuer"])), "--out", str(out))

    assert refused.returncode == 12 and "--yes" in refused.stderr and "Traceback" not in refused.stderr
    assert not out.exists() and cli.with_passphrase("history", "--json").json() == []


def test_a_request_nothing_in_the_wallet_answers_says_what_is_missing(cli: Any, badges: dict[str, str],
                                                                      tmp_path: Path) -> None:
    refused = cli.with_passphrase("share", "--request", str(_vpr(tmp_path, "did:web:nobody.example")), "--yes")

    assert refused.returncode == 7 and "no credential in the wallet answers" in refused.stderr


@pytest.mark.parametrize("extra", [["--reveal-all"], ["--challenge", "x"], ["--qr"], ["--unsigned"]])
def test_request_does_not_go_with_the_manual_options(cli: Any, wallet_home: Path, extra: list[str]) -> None:
    refused = cli.with_passphrase("share", "--request", "x.json", *extra)

    assert refused.returncode == 2 and "does not go with --request" in refused.stderr


def test_share_without_ids_or_request_and_request_options_without_request(cli: Any, wallet_home: Path) -> None:
    nothing = cli.with_passphrase("share")
    stray = cli.with_passphrase("share", "abc", "--yes")

    assert nothing.returncode == 2 and "ID..." in nothing.stderr
    assert stray.returncode == 2 and "go with --request" in stray.stderr


class _Catcher:
    """A response endpoint on 127.0.0.1 that keeps what it is posted (stopped by the test)."""

    def __init__(self) -> None:
        import http.server
        import threading
        from urllib.parse import parse_qs

        posted: list[dict[str, list[str]]] = []
        self.posted = posted

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                posted.append(parse_qs(body.decode()))
                answer = b'{"redirect_uri": "https://hiring.example/thanks"}'
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.uri = f"http://127.0.0.1:{self.server.server_address[1]}/response"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_an_ldp_vc_dcql_answer_is_posted_with_nonce_and_client_id(cli: Any, badges: dict[str, str],
                                                                  tmp_path: Path) -> None:
    catcher = _Catcher()
    try:
        client_id = f"redirect_uri:{catcher.uri}"
        dcql = {"credentials": [{"id": "course", "format": "ldp_vc",
                                 "meta": {"type_values": [["OpenBadgeCredential"]]},
                                 "claims": [{"path": ["credentialSubject", "achievement", "name"]}]}]}
        request = link(client_id=client_id, response_uri=catcher.uri, nonce="n-ldp", dcql_query=json.dumps(dcql))
        answered = cli.with_passphrase("share", "--request", request, badges["sd"], "--yes", "--allow-http", "--json")
    finally:
        catcher.stop()

    assert answered.returncode == 0, answered.stderr
    assert answered.json()["sent"] == {"status": 200, "redirectUri": "https://hiring.example/thanks"}
    [form] = catcher.posted
    assert form["state"] == ["st-1"]
    [presentation] = json.loads(form["vp_token"][0])["course"]
    assert presentation["proof"]["challenge"] == "n-ldp" and presentation["proof"]["domain"] == client_id
    out = tmp_path / "posted.json"
    out.write_text(json.dumps(presentation))
    assert cli("verify", str(out), "--challenge", "n-ldp", "--domain", client_id).returncode == 0
    assert "Passed the final assessment" not in json.dumps(presentation)
    [record] = cli.with_passphrase("history", "--json").json()
    assert record["domain"] == client_id and record["via"] == "direct_post to 127.0.0.1"


def test_in_french_how_the_verifier_was_authenticated_is_said_in_french(
        cli: Any, badges: dict[str, str], tmp_path: Path) -> None:
    import os
    import pty
    import subprocess
    import sys

    from conftest import REPO, TESTS
    from test_cli_share import _read_until

    primary, secondary = pty.openpty()
    proc = subprocess.Popen([sys.executable, str(TESTS / "cheap_kdf.py"), "share", "--request",
                             str(_vpr(tmp_path, badges["sd_issuer"])), "--out", str(tmp_path / "answer.json"),
                             "--passphrase-file", str(cli.passphrase_file), "--lang", "fr"],
                            stdin=secondary, stdout=secondary, stderr=secondary, env=dict(cli.env, COLUMNS="160"),
                            cwd=REPO)
    os.close(secondary)
    shown = _read_until(primary, "partager exactement ceci ?".encode()).decode(errors="replace")
    os.write(primary, b"n\n")
    assert proc.wait(timeout=60) == 12
    os.close(primary)

    assert "skillpass : non authentifié (un fichier de demande de présentation)" in shown
    assert "unauthenticated" not in shown


def test_on_a_terminal_the_verifier_purpose_and_fields_are_shown_before_anything_is_signed(
        cli: Any, badges: dict[str, str], tmp_path: Path) -> None:
    import os
    import pty
    import subprocess
    import sys

    from conftest import REPO, TESTS
    from test_cli_share import _read_until

    out = tmp_path / "answer.json"
    primary, secondary = pty.openpty()
    proc = subprocess.Popen([sys.executable, str(TESTS / "cheap_kdf.py"), "share", "--request",
                             str(_vpr(tmp_path, badges["sd_issuer"])), "--out", str(out),
                             "--passphrase-file", str(cli.passphrase_file)],
                            stdin=secondary, stdout=secondary, stderr=secondary, env=dict(cli.env, COLUMNS="160"),
                            cwd=REPO)
    os.close(secondary)
    shown = _read_until(primary, b"share exactly this?").decode(errors="replace")
    os.write(primary, b"n\n")
    status = proc.wait(timeout=60)
    os.close(primary)

    assert "verifier: hiring.example" in shown and "unauthenticated" in shown
    assert "purpose: Proof of the data analysis course" in shown and "Intro to Data Analysis" in shown
    assert "Passed the final assessment" not in shown
    assert status == 12 and not out.exists()
    assert cli.with_passphrase("history", "--json").json() == []
