"""`receive` without the network: the Credential Offer (OpenID4VCI 1.0 §4.1) read from hostile
input, the metadata checks and the proof JWTs against a fake `skillpass.net.http`, and the command
refusing before any connection. The protocol against a real issuer is tests/interop/test_interop_oid4vci.py."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import pytest

from skillpass.errors import BadInputError, NetworkError
from skillpass.net.http import NetPolicy, Response
from skillpass.oid4vci import did_web, holder, metadata, offer
from skillpass.oid4vci.offer import PRE_AUTHORIZED_GRANT, offer_location, read_offer

pytestmark = pytest.mark.usefixtures("no_network")

HTTPS = NetPolicy()
LOOPBACK = NetPolicy(allow_http=True)
ISSUER = "https://college.example"
OFFER = {"credential_issuer": ISSUER, "credential_configuration_ids": ["welding"],
         "grants": {PRE_AUTHORIZED_GRANT: {"pre-authorized_code": "abc",
                                           "tx_code": {"input_mode": "numeric", "length": 6,
                                                       "description": "from your email"}}}}


def link(document: Any) -> str:
    return "openid-credential-offer://?credential_offer=" + quote(json.dumps(document))


def read(text: str, policy: NetPolicy = HTTPS) -> offer.CredentialOffer:
    by_value, url = offer_location(text, policy)
    assert url is None and by_value is not None
    return read_offer(by_value, policy)


# -- the offer, read -------------------------------------------------------------------------


def test_an_offer_by_value_is_read() -> None:
    parsed = read(link(OFFER))
    assert parsed.credential_issuer == ISSUER and parsed.configuration_ids == ("welding",)
    assert parsed.pre_authorized_code == "abc"
    assert parsed.tx_code == offer.TxCode("numeric", 6, "from your email")


def test_an_offer_by_reference_and_an_https_url_are_fetched_from() -> None:
    reference = "openid-credential-offer://?credential_offer_uri=" + quote(f"{ISSUER}/offers/1", safe="")
    assert offer_location(reference, HTTPS) == (None, f"{ISSUER}/offers/1")
    assert offer_location(f"{ISSUER}/offers/2", HTTPS) == (None, f"{ISSUER}/offers/2")
    assert offer_location(json.dumps(OFFER), HTTPS)[0] == OFFER  # the JSON itself, e.g. on stdin


@pytest.mark.parametrize("text", ["ftp://college.example/offer", "openid4vp://?request_uri=x", "offer.json",
                                  "javascript:alert(1)", ""])
def test_what_is_not_an_offer_is_refused(text: str) -> None:
    with pytest.raises(BadInputError, match="not a credential offer"):
        offer_location(text, HTTPS)


@pytest.mark.parametrize("issuer", ["http://college.example", "http://10.0.0.1:8080"])
def test_plain_http_is_refused_even_with_allow_http_off_loopback(issuer: str) -> None:
    for policy in (HTTPS, LOOPBACK):
        with pytest.raises(NetworkError) as caught:
            read(link({**OFFER, "credential_issuer": issuer}), policy)
        assert caught.value.code == "E_NOT_HTTPS"
    with pytest.raises(NetworkError):
        offer_location(f"openid-credential-offer://?credential_offer_uri={quote(issuer + '/o', safe='')}", LOOPBACK)


def test_plain_http_to_loopback_needs_allow_http() -> None:
    local = link({**OFFER, "credential_issuer": "http://127.0.0.1:8443"})
    with pytest.raises(NetworkError):
        read(local)
    assert read(local, LOOPBACK).credential_issuer == "http://127.0.0.1:8443"


def test_a_huge_offer_is_refused_unread() -> None:
    with pytest.raises(BadInputError, match="larger than 64 KiB"):
        offer_location(link({**OFFER, "padding": "x" * 70_000}), HTTPS)
    with pytest.raises(BadInputError, match="larger than 64 KiB"):
        offer.parse_offer_json(b"{" + b" " * 70_000 + b"}")


@pytest.mark.parametrize("value", ["{", "[1, 2]", '{"a": 1, "a": 2}', "null", '"text"'])
def test_malformed_offer_json_is_refused(value: str) -> None:
    with pytest.raises(BadInputError) as caught:
        offer_location("openid-credential-offer://?credential_offer=" + quote(value), HTTPS)
    assert caught.value.code == "E_OFFER"


@pytest.mark.parametrize("value,reason", [
    ('{"a": "\x1b"}', "line 1, column 8: control character U+001B unescaped inside a string"),
    ('{"a": "x', "line 1, column 7: a string starts there and never ends"),
    ('{"a" 1}', "line 1, column 6: ':' was expected there"),
    ('{"a": "\\q"}', "line 1, column 8: a backslash escape JSON does not have"),
    ("{} 2", "line 1, column 4: more text after the end of the JSON value"),
])
def test_why_offer_json_is_refused_is_said_whole_with_where(value: str, reason: str) -> None:
    from skillpass import i18n

    with pytest.raises(BadInputError) as caught:
        offer_location("openid-credential-offer://?credential_offer=" + quote(value), HTTPS)
    assert caught.value.message == f"the credential offer is not valid JSON: {reason}"
    i18n.use_language("fr")
    try:
        french = i18n.translate_message(caught.value.message)
    finally:
        i18n.use_language(None)
    assert "ligne 1, colonne" in french and " was " not in french and " string" not in french


def test_exactly_one_of_by_value_and_by_reference() -> None:
    both = link(OFFER) + "&credential_offer_uri=" + quote(f"{ISSUER}/o", safe="")
    for text in (both, "openid-credential-offer://?", link(OFFER) + "&credential_offer=" + quote(json.dumps(OFFER))):
        with pytest.raises(BadInputError, match="exactly one"):
            offer_location(text, HTTPS)


@pytest.mark.parametrize("grants, message", [
    ({"urn:example:magic": {}}, r"the offer's grants \(urn:example:magic\) are none skillpass knows"),
    ({"authorization_code": "s"}, "authorization code grant is not an object"),
    ({"authorization_code": {"issuer_state": 7}}, "issuer_state is malformed"),
    ({PRE_AUTHORIZED_GRANT: {}}, "no pre-authorized_code"),
    ({PRE_AUTHORIZED_GRANT: {"pre-authorized_code": ""}}, "no pre-authorized_code"),
    ({PRE_AUTHORIZED_GRANT: {"pre-authorized_code": "a", "tx_code": {"input_mode": "qr"}}}, "tx_code is malformed"),
    ({PRE_AUTHORIZED_GRANT: {"pre-authorized_code": "a", "tx_code": {"length": True}}}, "tx_code is malformed"),
    ("everything", "the offer's grants is not an object"),
])
def test_unknown_or_malformed_grants_are_refused(grants: Any, message: str) -> None:
    with pytest.raises(BadInputError, match=message) as caught:
        read(link({**OFFER, "grants": grants}))
    assert caught.value.code == "E_OFFER_GRANT"


@pytest.mark.parametrize("grants", [None, {}])
def test_an_offer_without_grants_is_taken_by_the_authorization_code_grant(grants: Any) -> None:
    """OpenID4VCI 1.0 §4.1.1: grants is optional; the wallet then learns the grant types from
    the authorization server's metadata (the authorization code flow asks it for its endpoints)."""
    offer = {k: v for k, v in OFFER.items() if k != "grants"} if grants is None else {**OFFER, "grants": grants}
    read_back = read(link(offer))
    assert (read_back.pre_authorized_code, read_back.issuer_state, read_back.authorization_server) == (None, None, None)
    assert read_back.grant == "authorization_code"


@pytest.mark.parametrize("field, value", [
    ("credential_issuer", None), ("credential_issuer", 42), ("credential_configuration_ids", []),
    ("credential_configuration_ids", "welding"), ("credential_configuration_ids", [1]),
    ("credential_configuration_ids", [f"c{i}" for i in range(50)]),
])
def test_an_offer_missing_its_issuer_or_credentials_is_refused(field: str, value: Any) -> None:
    with pytest.raises(BadInputError):
        read(link({**OFFER, field: value}))


def test_an_issuer_with_a_query_is_refused() -> None:
    with pytest.raises(BadInputError, match="query or fragment"):
        read(link({**OFFER, "credential_issuer": ISSUER + "?x=1"}))


# -- the metadata, against a fake network ------------------------------------------------------


class FakeNetwork:
    """skillpass.net.http's get/post as a table: URL -> JSON document (404 otherwise)."""

    def __init__(self, documents: dict[str, Any]) -> None:
        self.documents = documents
        self.asked: list[str] = []

    def get(self, url: str, policy: NetPolicy, *, headers: Any = None) -> Response:
        self.asked.append(url)
        if url not in self.documents:
            return Response(404, url, {"content-type": "application/json"}, b'{"error": "not_found"}')
        return Response(200, url, {"content-type": "application/json"}, json.dumps(self.documents[url]).encode())


def issuer_metadata(**changes: Any) -> dict[str, Any]:
    return {"credential_issuer": ISSUER, "credential_endpoint": f"{ISSUER}/credential",
            "nonce_endpoint": f"{ISSUER}/nonce", "display": [{"name": "Collège Boréal", "locale": "fr-CA"}],
            "credential_configurations_supported": {"welding": {
                "format": "dc+sd-jwt", "vct": "https://credentials.example/welding",
                "credential_metadata": {"display": [{"name": "Welding Safety", "locale": "en"}]}}},
            **changes}


def network(monkeypatch: pytest.MonkeyPatch, documents: dict[str, Any]) -> FakeNetwork:
    fake = FakeNetwork(documents)
    monkeypatch.setattr(metadata, "get", fake.get)
    monkeypatch.setattr(holder, "get", fake.get)
    return fake


def test_metadata_is_fetched_from_the_well_known_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = network(monkeypatch, {
        f"{ISSUER}/.well-known/openid-credential-issuer": issuer_metadata(),
        f"{ISSUER}/.well-known/openid-configuration": {"issuer": ISSUER, "token_endpoint": f"{ISSUER}/token",
                                                       "dpop_signing_alg_values_supported": ["ES256"]}})
    prepared = holder.prepare(link(OFFER), HTTPS)
    assert prepared.issuer.name == "Collège Boréal"
    assert prepared.offered == (holder.Offered("welding", "dc+sd-jwt", "Welding Safety"),)
    assert prepared.server.token_endpoint == f"{ISSUER}/token" and prepared.server.dpop_algs == ("ES256",)
    assert fake.asked[1] == f"{ISSUER}/.well-known/oauth-authorization-server"  # RFC 8414 first


def test_the_well_known_segment_goes_before_the_issuer_path() -> None:
    assert metadata.well_known("https://x.example/tenant/7", "openid-credential-issuer") \
        == "https://x.example/.well-known/openid-credential-issuer/tenant/7"


@pytest.mark.parametrize("changes, message", [
    ({"credential_issuer": "https://evil.example"}, "metadata is for another issuer"),
    ({"credential_endpoint": None}, "no credential_endpoint"),
    ({"credential_endpoint": "http://college.example/credential"}, "over https only"),
])
def test_metadata_that_does_not_belong_to_the_issuer_is_refused(monkeypatch: pytest.MonkeyPatch,
                                                                changes: dict[str, Any], message: str) -> None:
    network(monkeypatch, {f"{ISSUER}/.well-known/openid-credential-issuer": issuer_metadata(**changes)})
    with pytest.raises(NetworkError, match=message):
        holder.prepare(link(OFFER), HTTPS)


def test_an_offered_credential_the_metadata_does_not_describe_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    network(monkeypatch, {f"{ISSUER}/.well-known/openid-credential-issuer": issuer_metadata()})
    with pytest.raises(BadInputError, match="does not describe"):
        holder.prepare(link({**OFFER, "credential_configuration_ids": ["other"]}), HTTPS)


def test_an_unknown_format_is_refused_before_any_token(monkeypatch: pytest.MonkeyPatch) -> None:
    changed = issuer_metadata(credential_configurations_supported={"welding": {"format": "mso_mdoc"}})
    network(monkeypatch, {f"{ISSUER}/.well-known/openid-credential-issuer": changed})
    with pytest.raises(BadInputError, match="mso_mdoc"):
        holder.prepare(link(OFFER), HTTPS)


# -- did:web issuers (did:web Method Specification §3.2), against a fake network ------------------

WEB_DID = "did:web:college.example"
WEB_DOCUMENT = {"id": WEB_DID, "verificationMethod": [
    {"id": f"{WEB_DID}#key-1", "type": "Multikey", "controller": WEB_DID,
     "publicKeyMultibase": "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"}],
    "assertionMethod": [f"{WEB_DID}#key-1"]}


@pytest.mark.parametrize(("did", "url"), [
    ("did:web:example.com", "https://example.com/.well-known/did.json"),
    ("did:web:example.com:user:alice", "https://example.com/user/alice/did.json"),
    ("did:web:example.com%3A3000", "https://example.com:3000/.well-known/did.json"),
    ("did:web:example.com%3a3000:user:alice", "https://example.com:3000/user/alice/did.json"),
    ("did:web:w3c-ccg.github.io:user:alice", "https://w3c-ccg.github.io/user/alice/did.json"),
])
def test_a_did_web_maps_to_its_did_json_url(did: str, url: str) -> None:
    assert did_web.did_web_url(did, HTTPS) == url
    assert did_web.did_web_url(did, LOOPBACK) == url  # allow_http changes nothing off loopback


def test_a_loopback_did_web_uses_http_only_with_allow_http() -> None:
    assert did_web.did_web_url("did:web:127.0.0.1%3A8443", HTTPS) == "https://127.0.0.1:8443/.well-known/did.json"
    assert did_web.did_web_url("did:web:127.0.0.1%3A8080", LOOPBACK) == "http://127.0.0.1:8080/.well-known/did.json"


@pytest.mark.parametrize("did", [
    "did:web:", "did:web:example.com:..", "did:web:example.com:user:..:admin", "did:web:example.com:.",
    "did:web:example.com::alice", "did:web:example.com:", "did:web:..", "did:web:example..com",
    "did:web:example.com:%2e%2e", "did:web:example.com%2F..", "did:web:example.com:a%2Fb",
    "did:web:example.com:a/b", "did:web:example.com%3A", "did:web:example.com%3A0",
    "did:web:example.com%3A99999", "did:web:example.com%3A80%3A81", "did:web:user@example.com",
    "did:web:example.com?x=1", "did:web:example.com#key-1", "did:key:z6Mkexample", "https://example.com",
])
def test_a_did_web_with_path_traversal_or_empty_segments_is_refused(did: str) -> None:
    with pytest.raises(BadInputError) as refused:
        did_web.did_web_url(did, LOOPBACK)
    assert refused.value.code == "E_DID_MALFORMED"


def ldp(issuer: Any) -> holder.Received:
    return holder.Received("badge", "ldp_vc", json.dumps({"issuer": issuer, "proof": {}}).encode())


def test_the_did_document_is_fetched_from_the_issuers_host_and_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeNetwork({"https://college.example/.well-known/did.json": WEB_DOCUMENT})
    monkeypatch.setattr("skillpass.net.http.get", fake.get)
    found = did_web.did_documents_for([ldp({"id": WEB_DID, "name": "Boréal"}), ldp(WEB_DID)], {}, HTTPS)
    assert found == {WEB_DID: WEB_DOCUMENT}
    assert fake.asked == ["https://college.example/.well-known/did.json"]  # once, for both


def test_nothing_is_fetched_for_a_did_the_wallet_resolves_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = network(monkeypatch, {})
    monkeypatch.setattr("skillpass.net.http.get", fake.get)
    offline = [ldp(WEB_DID), ldp("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"),
               ldp("https://college.example/issuer"), ldp("did:web:example.com:.."),
               holder.Received("welding", "dc+sd-jwt", b"not a JWT")]
    assert did_web.did_documents_for(offline, {WEB_DID: WEB_DOCUMENT}, HTTPS) == {}
    assert fake.asked == []


@pytest.mark.parametrize(("document", "status"), [
    (None, 404), ({**WEB_DOCUMENT, "id": "did:web:other.example"}, 200),
    ({"id": WEB_DID}, 200), ([WEB_DOCUMENT], 200),
])
def test_a_did_document_that_is_missing_or_not_the_dids_is_a_network_error(
        monkeypatch: pytest.MonkeyPatch, document: Any, status: int) -> None:
    fake = FakeNetwork({} if document is None else {"https://college.example/.well-known/did.json": document})
    monkeypatch.setattr("skillpass.net.http.get", fake.get)
    with pytest.raises(NetworkError) as failed:
        did_web.fetch_did_document(WEB_DID, HTTPS)
    assert failed.value.code == "E_NETWORK_BAD_ANSWER" and "college.example" in failed.value.message


def test_the_did_of_a_jwt_credential_is_its_iss() -> None:
    from skillpass.keys.multibase import b64url_encode

    def jwt(claims: dict[str, Any]) -> bytes:
        parts = ({"alg": "ES256", "typ": "JWT"}, claims)
        return (".".join(b64url_encode(json.dumps(p).encode()) for p in parts) + "." + "A" * 86).encode()

    assert did_web.unverified_issuer_did(holder.Received("w", "jwt_vc_json", jwt({"iss": WEB_DID}))) == WEB_DID
    assert did_web.unverified_issuer_did(holder.Received("w", "dc+sd-jwt", jwt({"iss": WEB_DID}) + b"~")) == WEB_DID
    assert did_web.unverified_issuer_did(holder.Received("w", "dc+sd-jwt", jwt({"iss": ISSUER}) + b"~")) is None


# -- the proofs --------------------------------------------------------------------------------


def test_the_key_proof_is_an_openid4vci_proof_jwt() -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    from skillpass.formats import jose
    from skillpass.keys.multikey import public_key_from_jwk
    from skillpass.oid4vci.proof import key_proof

    key = ec.generate_private_key(ec.SECP256R1())
    token = key_proof(key, audience=ISSUER, nonce="n-1", now=datetime(2026, 12, 1, tzinfo=UTC))
    jws = jose.read_compact(token)
    assert jws.header["typ"] == "openid4vci-proof+jwt" and jws.header["alg"] == "ES256"
    assert jose.payload_json(jws) == {"aud": ISSUER, "iat": 1796083200, "nonce": "n-1"}
    jose.verify(jws, public_key_from_jwk(jws.header["jwk"]))
    with_kid = jose.read_compact(key_proof(key, audience=ISSUER, nonce=None, now=datetime.now(UTC),
                                           kid="did:key:zDn#zDn"))
    assert with_kid.header["kid"] == "did:key:zDn#zDn" and "jwk" not in with_kid.header


def test_a_dpop_proof_names_the_request_and_the_token() -> None:
    import hashlib

    from skillpass.formats import jose
    from skillpass.keys.multibase import b64url_encode
    from skillpass.oid4vci.proof import DpopKey

    dpop = DpopKey()
    dpop.nonce = "server-nonce"
    jws = jose.read_compact(dpop.proof("POST", f"{ISSUER}/credential?x=1", datetime.now(UTC), "token-1"))
    claims = jose.payload_json(jws)
    assert jws.header["typ"] == "dpop+jwt" and set(jws.header["jwk"]) == {"kty", "crv", "x", "y"}
    assert claims["htm"] == "POST" and claims["htu"] == f"{ISSUER}/credential" and claims["nonce"] == "server-nonce"
    assert claims["ath"] == b64url_encode(hashlib.sha256(b"token-1").digest())
    assert "redacted" in repr(dpop)


# -- the command -------------------------------------------------------------------------------


def test_receive_without_a_wallet_connects_nowhere(cli: Any) -> None:
    result = cli.with_passphrase("receive", link(OFFER), "--yes")
    assert result.returncode == 3 and result.stdout == ""


def test_receive_refuses_a_hostile_offer_in_one_line(cli: Any, wallet_home: Any) -> None:
    result = cli.with_passphrase("receive", link({**OFFER, "credential_issuer": "http://college.example"}),
                                 "--yes", "--allow-http")
    assert result.returncode == 14
    assert result.stderr.startswith("skillpass: error: plain http is allowed to loopback addresses only")
    assert len(result.stderr.strip().splitlines()) == 1
    malformed = cli.with_passphrase("receive", "-", "--yes", input=b"openid-credential-offer://?credential_offer=%7B")
    assert malformed.returncode == 8 and "not valid JSON" in malformed.stderr


def test_a_key_the_issuer_takes_no_proof_from_is_refused_before_the_code_is_spent(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from skillpass.flow.receiving import check_proof_alg, holder_key
    from skillpass.wallet.keys import generate_holder_key

    configuration = {"format": "dc+sd-jwt", "proof_types_supported": {"jwt": {
        "proof_signing_alg_values_supported": ["ES256"]}}}
    network(monkeypatch, {f"{ISSUER}/.well-known/openid-credential-issuer": issuer_metadata(
                              credential_configurations_supported={"welding": configuration}),
                          f"{ISSUER}/.well-known/oauth-authorization-server": {
                              "issuer": ISSUER, "token_endpoint": f"{ISSUER}/token"}})
    prepared = holder.prepare(link(OFFER), HTTPS)
    keys = [generate_holder_key("Ed25519", "2026-12-01"), generate_holder_key("P-256", "2026-12-01")]
    assert holder_key(keys, None) is keys[1]
    check_proof_alg(prepared, "welding", keys[1])
    with pytest.raises(BadInputError, match="EdDSA"):
        check_proof_alg(prepared, "welding", holder_key(keys, keys[0].did))
    from skillpass.errors import NotFoundError

    with pytest.raises(NotFoundError):
        holder_key(keys, "did:key:zUnknown")


# -- the authorization code flow (RFC 7636, RFC 8252 loopback, RFC 9126) ------------------------


def test_an_offer_with_only_the_authorization_code_grant_is_read() -> None:
    parsed = read(link({**OFFER, "grants": {"authorization_code": {"issuer_state": "st-1"}}}))
    assert parsed.pre_authorized_code is None and parsed.issuer_state == "st-1"
    assert parsed.grant == "authorization_code" and parsed.tx_code is None
    both = read(link({**OFFER, "grants": {**OFFER["grants"], "authorization_code": {}}}))
    assert both.grant == PRE_AUTHORIZED_GRANT  # no browser when the offer does not need one


def test_pkce_s256_matches_rfc_7636_appendix_b() -> None:
    from skillpass.oid4vci.authorization import code_challenge, code_verifier

    # the RFC's own vector (the challenge is SHA-256 of the verifier's ASCII, base64url)
    assert code_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") \
        == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    verifier = code_verifier()
    assert len(verifier) == 43 and verifier != code_verifier()  # §4.1: 43-128 unreserved characters
    assert set(verifier) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def test_the_authorization_request_names_the_offered_configurations() -> None:
    from skillpass.oid4vci.authorization import request_parameters

    parameters = request_parameters({"welding": {}}, ("welding",), "st-1", "http://127.0.0.1:5/callback", "s",
                                    "c")
    assert json.loads(parameters.pop("authorization_details")) == [
        {"type": "openid_credential", "credential_configuration_id": "welding"}]
    assert parameters == {"response_type": "code", "client_id": "skillpass",
                          "redirect_uri": "http://127.0.0.1:5/callback", "state": "s", "code_challenge": "c",
                          "code_challenge_method": "S256", "issuer_state": "st-1"}
    by_scope = request_parameters({"welding": {"scope": "welding_vc"}}, ("welding",), None, "r", "s", "c")
    assert by_scope["scope"] == "welding_vc" and "authorization_details" not in by_scope
    assert "issuer_state" not in by_scope


@pytest.mark.parametrize("changes, message", [
    ({"authorization_endpoint": None}, "no authorization_endpoint"),
    ({"pkce_methods": ("plain",)}, "PKCE S256"),
    ({"require_par": True}, "requires pushed authorization requests"),
    ({"authorization_endpoint": "http://college.example/authorize"}, "https only"),
])
def test_an_authorization_server_the_wallet_cannot_use_is_refused(changes: dict[str, Any], message: str) -> None:
    from dataclasses import replace

    from skillpass.oid4vci.authorization import authorization_url

    server = replace(metadata.ServerMetadata(ISSUER, f"{ISSUER}/token", (), f"{ISSUER}/authorize"), **changes)
    with pytest.raises(NetworkError, match=message):
        authorization_url(server, {"client_id": "skillpass"}, HTTPS)


def test_without_par_the_parameters_go_in_the_address() -> None:
    from skillpass.oid4vci.authorization import authorization_url

    server = metadata.ServerMetadata(ISSUER, f"{ISSUER}/token", (), f"{ISSUER}/authorize?tenant=7")
    assert authorization_url(server, {"client_id": "skillpass", "state": "a b"}, HTTPS) \
        == f"{ISSUER}/authorize?tenant=7&client_id=skillpass&state=a+b"


def ask(callback: Any, request_line: str) -> tuple[int, str]:
    """One HTTP request to the callback server's handler over a socket pair (no listening, no
    connection): (status, body)."""
    import socket

    ours, theirs = socket.socketpair()
    with ours, theirs:
        theirs.sendall(f"{request_line} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        callback._server.RequestHandlerClass(ours, ("127.0.0.1", 0), callback._server)
        ours.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := theirs.recv(4096):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert b"content-type: text/plain; charset=utf-8" in head.lower()
    return int(head.split()[1]), body.decode()


@pytest.fixture
def callback() -> Any:
    from skillpass.oid4vci.authorization import CallbackServer

    server = CallbackServer("the-state", ISSUER)
    yield server
    server._server.server_close()


def test_the_callback_listens_on_loopback_and_returns_the_code(callback: Any) -> None:
    assert callback.redirect_uri.startswith("http://127.0.0.1:") and callback.redirect_uri.endswith("/callback")
    assert callback._server.server_address[0] == "127.0.0.1"
    status, page = ask(callback, f"GET /callback?code=c-1&state=the-state&iss={quote(ISSUER)}")
    assert status == 200 and "close this window" in page
    assert callback.wait(0) == "c-1"
    assert ask(callback, "GET /callback?code=c-2&state=the-state")[0] == 404  # one answer only


@pytest.mark.parametrize("query", ["code=c-1", "code=c-1&state=other", "code=c-1&state=the-state&state=the-state",
                                   "error=access_denied&state=<script>"])
def test_a_callback_without_this_state_is_refused_and_ends_the_flow(callback: Any, query: str) -> None:
    status, page = ask(callback, f"GET /callback?{query}")
    assert status == 400 and page.startswith("skillpass refused this answer") and "script" not in page
    with pytest.raises(NetworkError, match="did not carry this request's state") as caught:
        callback.wait(0)
    assert caught.value.code == "E_OID4VCI_STATE"


def test_a_callback_from_another_server_is_refused(callback: Any) -> None:
    assert ask(callback, "GET /callback?code=c-1&state=the-state&iss=https%3A%2F%2Fevil.example")[0] == 400
    with pytest.raises(NetworkError, match="another authorization server"):
        callback.wait(0)


@pytest.mark.parametrize("request_line", ["GET /", "GET /favicon.ico", "POST /callback?code=c&state=the-state",
                                          "GET /callback/../x?state=the-state"])
def test_anything_but_the_callback_is_refused_and_not_counted(callback: Any, request_line: str) -> None:
    assert ask(callback, request_line)[0] in (404, 405)
    assert ask(callback, "GET /callback?code=c-1&state=the-state")[0] == 200
    assert callback.wait(0) == "c-1"


def test_a_denied_authorization_is_cancelled(callback: Any) -> None:
    from skillpass.errors import CancelledError

    status, page = ask(callback, "GET /callback?error=access_denied&state=the-state")
    assert status == 200 and "did not authorize" in page
    with pytest.raises(CancelledError, match="denied"):
        callback.wait(0)


def test_other_authorization_errors_and_a_missing_code_are_network_errors(callback: Any) -> None:
    ask(callback, "GET /callback?error=server_error%1b%5b2J&state=the-state")
    with pytest.raises(NetworkError, match=r"server_error\\x1b") as caught:
        callback.wait(0)
    assert caught.value.code == "E_OID4VCI_AUTHORIZATION"


def test_no_callback_before_the_timeout_is_cancelled(callback: Any) -> None:
    from skillpass.errors import CancelledError

    with pytest.raises(CancelledError, match="within 0.1 s"):
        callback.wait(0.1)
