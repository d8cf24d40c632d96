"""Status lists, from their specs' examples: Bitstring Status List v1.0, StatusList2021,
RevocationList2020, the IETF Token Status List draft, 1EdTech and OB 2.0 revocation lists;
then lists signed here with skillpass's own signer, looked up for a credential."""

from __future__ import annotations

import base64
import copy
import gzip
import json
import zlib
from datetime import UTC, datetime
from typing import Any

import pytest

from skillpass.errors import BadInputError, InvalidError
from skillpass.formats import jose
from skillpass.formats.base import Material
from skillpass.formats.issuer_keys import Trusted, parse_metadata
from skillpass.jsonld.loader import ContextStore
from skillpass.status import NOT_CHECKED, REVOKED, STALE, SUSPENDED, VALID, StatusList
from skillpass.status.bitstring import read_list_credential
from skillpass.status.lookup import same_issuer, status_of
from skillpass.status.onetech import read_ob2_list, read_onetech_list
from skillpass.status.read import read_status_list
from skillpass.status.token import decode_lst
from tests import issuing

NOW = datetime(2026, 6, 1, tzinfo=UTC)
# Bitstring Status List v1.0 §2.3 example (also the StatusList2021 draft's, without the 'u'):
# 16KB of zero bits, GZIP, base64url.
SPEC_ENCODED_LIST = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"
# vc-status-rl-2020 §2.2 example: 12,500 zero bytes (100,000 entries).
RL2020_ENCODED_LIST = "H4sIAAAAAAAAA-3BMQEAAADCoPVPbQsvoAAAAAAAAAAAAAAAAP4GcwM92tQwAAA"
# draft-ietf-oauth-status-list §4.1 and §5.1: the example key (its public half) and the token
TSL_KEY = {"kty": "EC", "crv": "P-256", "x": "I3HWm_0Ds1dPMI-IWmf4mBmH-YaeAVbPVu7vB27CxXo",
           "y": "6N_d5Elj9bs1htgV3okJKIdbHEpkgTmAluYKJemzn1M", "kid": "12"}
TSL_JWT = (
    "eyJhbGciOiJFUzI1NiIsImtpZCI6IjEyIiwidHlwIjoic3RhdHVzbGlzdCtqd3QifQ.e"
    "yJleHAiOjIyOTE3MjAxNzAsImlhdCI6MTY4NjkyMDE3MCwiaXNzIjoiaHR0cHM6Ly9le"
    "GFtcGxlLmNvbSIsInN0YXR1c19saXN0Ijp7ImJpdHMiOjEsImxzdCI6ImVOcmJ1UmdBQ"
    "WhjQlhRIn0sInN1YiI6Imh0dHBzOi8vZXhhbXBsZS5jb20vc3RhdHVzbGlzdHMvMSIsI"
    "nR0bCI6NDMyMDB9.2lKUUNG503R9htu4aHAYi7vjmr3sgApbfoDvPrl65N3URUO1EYqq"
    "Ql45Jfzd-Av4QzlKa3oVALpLwOEUOq-U_g")
LIST_URL = "https://status.example.edu/lists/3"


def material(metadata: dict[str, Any] | None = None) -> Material:
    return Material(ContextStore.bundled(), Trusted({}, {k: parse_metadata(v) for k, v in (metadata or {}).items()}))


def entry(kind: str = "BitstringStatusListEntry", index: Any = "94567", purpose: str | None = "revocation",
          url: str = LIST_URL, **extra: Any) -> dict[str, Any]:
    return {"type": kind, "purpose": purpose, "list": url, "index": index, **extra}


def encoded(bits: bytes, prefix: str = "u") -> str:
    return prefix + base64.urlsafe_b64encode(gzip.compress(bits)).decode().rstrip("=")


def with_bit(index: int, size: int = 16384) -> bytes:
    data = bytearray(size)
    data[index // 8] |= 0x80 >> (index % 8)  # §2.2: index 0 is the left-most bit
    return bytes(data)


def list_credential(issuer: str, encoded_list: str = SPEC_ENCODED_LIST, purpose: Any = "revocation",
                    **extra: Any) -> dict[str, Any]:
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2"], "id": LIST_URL,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"], "issuer": issuer,
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": f"{LIST_URL}#list", "type": "BitstringStatusList",
                              "statusPurpose": purpose, "encodedList": encoded_list}}
    credential.update(extra)
    return credential


def signed_list(issuer: issuing.Issuer, **kwargs: Any) -> bytes:
    document = issuing.sign(list_credential(issuer.did, **kwargs), issuer, "eddsa-rdfc-2022")
    return json.dumps(document).encode()


# -- Bitstring Status List v1.0 ---------------------------------------------------------------------

def test_bitstring_spec_example_is_131072_unset_entries() -> None:
    status_list = read_list_credential(list_credential("did:example:12345"), "did:example:12345", None, NOW)
    assert (status_list.kind, status_list.url, status_list.purposes) == ("bitstring", LIST_URL, ("revocation",))
    assert status_list.data == bytes(16384) and status_list.issued == "2026-01-01T00:00:00Z"
    result = status_of(entry(), "did:example:12345", {LIST_URL: status_list}, NOW)
    assert (result.state, result.purpose) == (VALID, "revocation")
    assert result.detail == f"not revoked: index 94567 of {LIST_URL}"


def test_bitstring_index_zero_is_the_left_most_bit() -> None:
    status_list = read_list_credential(list_credential("did:example:1", encoded(with_bit(0))),
                                       "did:example:1", None, NOW)
    lists = {LIST_URL: status_list}
    assert status_of(entry(index="0"), "did:example:1", lists, NOW).state == REVOKED
    assert status_of(entry(index="7"), "did:example:1", lists, NOW).state == VALID


def test_validate_step_5_purpose_must_be_one_the_list_is_for() -> None:
    status_list = read_list_credential(list_credential("did:example:1", purpose=["revocation", "suspension"],
                                                       encoded_list=encoded(with_bit(5))), "did:example:1", None, NOW)
    lists = {LIST_URL: status_list}
    assert status_of(entry(index="5", purpose="suspension"), "did:example:1", lists, NOW).state == SUSPENDED
    only_revocation = read_list_credential(list_credential("did:example:1"), "did:example:1", None, NOW)
    result = status_of(entry(purpose="suspension"), "did:example:1", {LIST_URL: only_revocation}, NOW)
    assert result.state == NOT_CHECKED and "is for revocation, not the suspension" in result.detail


def test_validate_step_9_a_list_under_131072_entries_is_refused() -> None:
    with pytest.raises(InvalidError) as caught:
        read_list_credential(list_credential("did:example:1", encoded(bytes(16383))), "did:example:1", None, NOW)
    assert caught.value.code == "E_STATUS_LIST_LENGTH"


def test_validate_step_10_an_index_beyond_the_list_is_not_checked() -> None:
    status_list = read_list_credential(list_credential("did:example:1"), "did:example:1", None, NOW)
    result = status_of(entry(index="131072"), "did:example:1", {LIST_URL: status_list}, NOW)
    assert result.state == NOT_CHECKED
    assert result.detail.startswith("index 131072 is beyond the 131072 entries")
    assert status_of(entry(index="-1"), "did:example:1", {LIST_URL: status_list}, NOW).state == NOT_CHECKED


def test_encoded_list_needs_its_multibase_prefix() -> None:
    with pytest.raises(InvalidError) as caught:
        read_list_credential(list_credential("did:example:1", SPEC_ENCODED_LIST[1:]), "did:example:1", None, NOW)
    assert caught.value.code == "E_STATUS_LIST_ENCODING"


def test_message_purpose_reports_the_value_and_is_not_a_revocation() -> None:
    data = bytearray(32768)
    data[0] = 0b01_10_00_00  # statusSize 2: entry 0 is 0x1, entry 1 is 0x2
    status_list = read_list_credential(list_credential("did:example:1", encoded(bytes(data)), purpose="message"),
                                       "did:example:1", None, NOW)
    messages = [{"status": "0x0", "message": "pending_review"}, {"status": "0x1", "message": "accepted"},
                {"status": "0x2", "message": "rejected"}, {"status": "0x3", "message": "undefined"}]
    result = status_of(entry(index="1", purpose="message", size=2, messages=messages), "did:example:1",
                       {LIST_URL: status_list}, NOW)
    assert result.state == VALID and result.purpose == "message"
    assert result.detail == f"status message 0x2 ('rejected') at index 1 of {LIST_URL}; this is not a revocation"


def test_ttl_and_valid_until_make_the_list_stale() -> None:
    status_list = read_list_credential(list_credential("did:example:1", validUntil="2026-09-01T00:00:00Z"),
                                       "did:example:1", None, NOW)
    assert status_list.stale_after == "2026-09-01T00:00:00Z"
    credential = list_credential("did:example:1")
    credential["credentialSubject"]["ttl"] = 3_600_000  # §2.2: milliseconds
    assert read_list_credential(credential, "did:example:1", None, NOW).stale_after == "2026-06-01T01:00:00Z"


# -- StatusList2021 and RevocationList2020 ------------------------------------------------------------

def test_statuslist2021_example() -> None:
    credential = list_credential("did:example:12345", SPEC_ENCODED_LIST[1:],
                                 type=["VerifiableCredential", "StatusList2021Credential"])
    credential["credentialSubject"]["type"] = "StatusList2021"
    status_list = read_list_credential(credential, "did:example:12345", None, NOW)
    assert status_list.kind == "statuslist2021" and len(status_list.data) == 16384
    result = status_of(entry("StatusList2021Entry"), "did:example:12345", {LIST_URL: status_list}, NOW)
    assert result.state == VALID
    bitstring_entry = status_of(entry(), "did:example:12345", {LIST_URL: status_list}, NOW)
    assert bitstring_entry.state == NOT_CHECKED and "is a StatusList2021" in bitstring_entry.detail


def test_revocationlist2020_example_has_100000_entries() -> None:
    credential = {"@context": ["https://www.w3.org/2018/credentials/v1", "https://w3id.org/vc-revocation-list-2020/v1"],
                  "id": "https://example.com/credentials/status/3",
                  "type": ["VerifiableCredential", "RevocationList2020Credential"],
                  "issuer": "did:example:12345", "issued": "2020-04-05T14:27:40Z",
                  "credentialSubject": {"id": "https://example.com/status/3#list", "type": "RevocationList2020",
                                        "encodedList": RL2020_ENCODED_LIST}}
    status_list = read_list_credential(credential, "did:example:12345", None, NOW)
    assert (status_list.kind, status_list.purposes, len(status_list.data)) == \
        ("revocationlist2020", ("revocation",), 12500)
    assert status_list.issued == "2020-04-05T14:27:40Z"
    lists = {status_list.url: status_list}
    named = entry("RevocationList2020Status", purpose=None, url="https://example.com/credentials/status/3")
    assert status_of(named, "did:example:12345", lists, NOW).state == VALID
    beyond = status_of({**named, "index": "100000"}, "did:example:12345", lists, NOW)
    assert beyond.state == NOT_CHECKED and "beyond the 100000 entries" in beyond.detail


def test_revocationlist2020_context_is_bundled() -> None:
    store = ContextStore.bundled()
    assert "https://w3id.org/vc-revocation-list-2020/v1" in set(store.urls())


# -- IETF Token Status List -------------------------------------------------------------------------

def test_token_status_list_1_bit_example() -> None:
    bits, data = decode_lst("eNrbuRgAAhcBXQ", 1)  # §4.1
    assert (bits, data) == (1, bytes([0xB9, 0xA3]))
    status_list = StatusList("u", "token-status-list", "i", ("status",), bits, data, lsb_first=True)
    assert [status_list.value_at(i) for i in range(16)] == [1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1]


def test_token_status_list_2_bit_example() -> None:
    bits, data = decode_lst("eNo76fITAAPfAgc", 2)  # §4.1: compressed 78da3be9f2130003df0207
    assert (bits, data) == (2, bytes([0xC9, 0x44, 0xF9]))
    status_list = StatusList("u", "token-status-list", "https://example.com", ("status",), bits, data,
                             lsb_first=True)
    assert [status_list.value_at(i) for i in range(12)] == [1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3]
    lists = {"u": status_list}
    states = [status_of(entry("TokenStatusList", i, None, "u"), "https://example.com", lists, NOW)
              for i in (0, 1, 2, 3)]
    assert [s.state for s in states] == [REVOKED, SUSPENDED, VALID, NOT_CHECKED]
    assert "status 0x03 at index 3 of u is specific to this issuer" in states[3].detail


def test_token_status_list_jwt_example_verifies_with_the_issuer_metadata() -> None:
    given = material({"https://example.com": {"issuer": "https://example.com", "jwks": {"keys": [TSL_KEY]}}})
    status_list = read_status_list(TSL_JWT.encode(), "https://example.com/statuslists/1", given, NOW)
    assert (status_list.kind, status_list.issuer, status_list.bits, status_list.data) == \
        ("token-status-list", "https://example.com", 1, bytes([0xB9, 0xA3]))
    assert status_list.issued == "2023-06-16T12:56:10Z"
    assert status_list.stale_after == "2026-06-01T12:00:00Z"  # ttl 43200 s from when it is read
    with pytest.raises(InvalidError) as caught:
        read_status_list(TSL_JWT.encode(), "https://example.com/statuslists/2", given, NOW)
    assert caught.value.code == "E_STATUS_LIST_URL"  # §8.3 step 4a: sub == the credential's uri
    tampered = TSL_JWT[:-4] + ("AAAA" if not TSL_JWT.endswith("AAAA") else "BBBB")
    with pytest.raises(InvalidError):
        read_status_list(tampered.encode(), None, given, NOW)


def _token(key: Any, claims: dict[str, Any], typ: str = "statuslist+jwt") -> bytes:
    header = {"alg": "ES256", "typ": typ, "kid": "k1"}
    return jose.sign(header, json.dumps(claims).encode(), key).encode()


def test_token_typ_is_required_and_an_expired_list_is_stale() -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    from skillpass.keys.multikey import public_key_to_jwk

    key = ec.generate_private_key(ec.SECP256R1())
    jwk = {**public_key_to_jwk(key.public_key()), "kid": "k1"}
    given = material({"https://issuer.example": {"issuer": "https://issuer.example", "jwks": {"keys": [jwk]}}})
    claims = {"iss": "https://issuer.example", "sub": "https://issuer.example/sl", "iat": 1767225600,
              "exp": 1777593600, "status_list": {"bits": 1, "lst": "eNrbuRgAAhcBXQ"}}
    with pytest.raises(InvalidError) as caught:
        read_status_list(_token(key, claims, typ="JWT"), None, given, NOW)
    assert caught.value.code == "E_STATUS_LIST_KIND"
    status_list = read_status_list(_token(key, claims), None, given, NOW)
    assert status_list.stale_after == "2026-05-01T00:00:00Z"
    lists, named = {status_list.url: status_list}, entry("TokenStatusList", 1, None, status_list.url)
    stale = status_of(named, "https://issuer.example", lists, NOW, {status_list.url: "2026-04-02T00:00:00Z"})
    assert (stale.state, stale.checked) == (STALE, "2026-04-02T00:00:00Z")
    revoked = status_of({**named, "index": 0}, "https://issuer.example", lists, NOW)
    assert revoked.state == REVOKED  # a revocation an old list shows still stands


# -- 1EdTech and OB 2.0 revocation lists --------------------------------------------------------------

OB2_SPEC_LIST = {
    "@context": "https://w3id.org/openbadges/v2", "id": "https://example.org/revocationList.json",
    "type": "RevocationList", "issuer": "https://example.org/issuer",
    "revokedAssertions": ["urn:uuid:3c574c87-b96f-4f06-8eb5-68a29335b60e",
                          {"id": "urn:uuid:e79a6c18-787e-4868-8e65-e6a4530fb418",
                           "revocationReason": "Honor code violation"},
                          {"uid": "abc123", "revocationReason": "Issued in error."}]}


def test_ob2_spec_revocation_list() -> None:
    status_list = read_status_list(json.dumps(OB2_SPEC_LIST).encode(), None, material(), NOW)
    assert (status_list.kind, status_list.issuer, status_list.signed) == ("ob2", "https://example.org/issuer", False)
    assert status_list.revoked_ids == {"urn:uuid:3c574c87-b96f-4f06-8eb5-68a29335b60e",
                                       "urn:uuid:e79a6c18-787e-4868-8e65-e6a4530fb418", "abc123"}
    lists = {status_list.url: status_list}

    def named(credential: Any) -> dict[str, Any]:
        return entry("OB2RevocationList", None, None, status_list.url, credential=credential)

    revoked = status_of(named("urn:uuid:e79a6c18-787e-4868-8e65-e6a4530fb418"), "https://example.org/issuer",
                        lists, NOW)
    assert revoked.state == REVOKED and revoked.detail.endswith(": Honor code violation")
    by_uid = status_of(named(["https://example.org/assertions/9", "abc123"]), "https://example.org/issuer", lists, NOW)
    assert by_uid.state == REVOKED
    assert status_of(named("urn:uuid:other"), "https://example.org/issuer", lists, NOW).state == VALID
    other = status_of(named("abc123"), "https://elsewhere.example/issuer", lists, NOW)
    assert other.state == NOT_CHECKED and "not from the credential's issuer" in other.detail


@pytest.mark.vectors
def test_ob2_vector_revocation_lists(vectors: Any) -> None:
    for name in ("json/spec-revocationlist.json", "signed/revocationlist.json"):
        document = json.loads((vectors / "ob2" / name).read_bytes())
        status_list = read_ob2_list(document, None)
        assert status_list.revoked_ids and status_list.issuer == document["issuer"]


def test_onetech_revocation_list() -> None:
    document = {"id": "https://1edtech.edu/credentials/3732/revocations", "issuer": {"id": "did:web:1edtech.edu"},
                "revokedCredentials": [{"id": "urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002",
                                        "revocationReason": "Issued in error"}]}
    status_list = read_onetech_list(document, None)
    lists = {status_list.url: status_list}
    named = entry("1EdTechRevocationList", None, None, status_list.url,
                  credential="urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002")
    result = status_of(named, "did:web:1edtech.edu", lists, NOW)
    assert result.state == REVOKED
    assert result.detail == (f"revoked by {status_list.url} (an unsigned list, as the issuer serves it): "
                             "Issued in error")
    assert status_of({**named, "credential": "urn:uuid:x"}, "did:web:1edtech.edu", lists, NOW).state == VALID
    assert StatusList.from_json(status_list.to_json()) == status_list


# -- lists signed here: eddsa-rdfc-2022 by skillpass's own signer --------------------------------------

def test_signed_list_with_a_bit_set_revokes_its_credential() -> None:
    issuer = issuing.new_issuer()
    status_list = read_status_list(signed_list(issuer, encoded_list=encoded(with_bit(42))), None, material(), NOW)
    assert (status_list.issuer, status_list.signed) == (issuer.did, True)
    lists = {LIST_URL: status_list}
    assert status_of(entry(index="42"), issuer.did, lists, NOW).state == REVOKED
    assert status_of(entry(index="43"), f"{issuer.did}#key-1", lists, NOW).state == VALID
    assert StatusList.from_json(json.loads(json.dumps(status_list.to_json()))) == status_list


def test_a_list_signed_by_another_issuer_does_not_check_the_credential() -> None:
    issuer, other = issuing.new_issuer(), issuing.new_issuer()
    status_list = read_status_list(signed_list(other, encoded_list=encoded(with_bit(42))), None, material(), NOW)
    result = status_of(entry(index="42"), issuer.did, {LIST_URL: status_list}, NOW)
    assert result.state == NOT_CHECKED
    assert result.detail == (f"the status list {LIST_URL} is from {other.did}, not from the credential's issuer "
                             f"{issuer.did}: the credential's status is not checked")
    assert not same_issuer(other.did, issuer.did) and same_issuer("https://a.example", "https://a.example")


def test_a_tampered_list_is_refused() -> None:
    issuer = issuing.new_issuer()
    document = json.loads(signed_list(issuer, encoded_list=encoded(with_bit(42))))
    document["credentialSubject"]["encodedList"] = SPEC_ENCODED_LIST  # "un-revoke" every entry
    with pytest.raises(InvalidError):
        read_status_list(json.dumps(document).encode(), None, material(), NOW)
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    with pytest.raises(InvalidError) as caught:
        read_status_list(json.dumps(unsigned).encode(), None, material(), NOW)
    assert caught.value.code == "E_STATUS_LIST_UNSIGNED"


def test_an_expired_list_is_read_and_stale() -> None:
    issuer = issuing.new_issuer()
    raw = signed_list(issuer, encoded_list=encoded(with_bit(42)), validUntil="2026-03-01T00:00:00Z")
    status_list = read_status_list(raw, LIST_URL, material(), NOW)
    lists = {LIST_URL: status_list}
    stale = status_of(entry(index="43"), issuer.did, lists, NOW, {LIST_URL: "2026-02-01T10:00:00Z"})
    assert (stale.state, stale.checked) == (STALE, "2026-02-01T10:00:00Z")
    assert stale.detail.startswith("the status list is out of date since 2026-03-01T00:00:00Z")
    assert status_of(entry(index="42"), issuer.did, lists, NOW).state == REVOKED


def test_a_list_whose_id_is_another_url_is_refused() -> None:
    issuer = issuing.new_issuer()
    with pytest.raises(InvalidError) as caught:
        read_status_list(signed_list(issuer), "https://status.example.edu/lists/4", material(), NOW)
    assert caught.value.code == "E_STATUS_LIST_URL"


def test_no_list_kept_and_unknown_entry_types_are_not_checked() -> None:
    assert status_of(entry(), "did:example:1", {}, NOW).state == NOT_CHECKED
    unknown = status_of(entry("CRLBloomFilter2023Entry"), "did:example:1", {}, NOW)
    assert unknown.state == NOT_CHECKED and "CRLBloomFilter2023Entry" in unknown.detail


def test_a_decompression_bomb_is_refused_quickly() -> None:
    bomb = zlib.compress(bytes(64 * 1024 * 1024), 9)  # 64 MiB of zeros in ~64 KB
    gz = gzip.compress(bytes(64 * 1024 * 1024), 9)
    with pytest.raises(BadInputError) as caught:
        read_list_credential(list_credential("did:example:1", "u" + base64.urlsafe_b64encode(gz).decode()),
                             "did:example:1", None, NOW)
    assert caught.value.code == "E_STATUS_LIST_TOO_LARGE"
    with pytest.raises(BadInputError):
        decode_lst(base64.urlsafe_b64encode(bomb).decode().rstrip("="), 1)
    big = "u" + "A" * (3 * 1024 * 1024)
    with pytest.raises(BadInputError):
        read_list_credential(list_credential("did:example:1", big), "did:example:1", None, NOW)


def test_lists_round_trip_through_json() -> None:
    status_list = read_list_credential(list_credential("did:example:1"), "did:example:1", None, NOW)
    copied = StatusList.from_json(copy.deepcopy(status_list.to_json()))
    assert copied == status_list


def test_a_jwt_secured_list_credential_is_verified_as_a_vc_jwt() -> None:
    issuer = issuing.new_issuer()
    credential = list_credential(issuer.did, encoded(with_bit(9)))
    header = {"alg": "EdDSA", "typ": "vc+jwt", "kid": issuer.verification_method}
    token = jose.sign(header, json.dumps(credential).encode(), issuer.private_key)
    status_list = read_status_list(token.encode(), LIST_URL, material(), NOW)
    assert (status_list.kind, status_list.issuer) == ("bitstring", issuer.did)
    assert status_of(entry(index="9"), issuer.did, {LIST_URL: status_list}, NOW).state == REVOKED
    other = {**credential, "type": ["VerifiableCredential"]}
    with pytest.raises(BadInputError) as caught:
        read_status_list(jose.sign(header, json.dumps(other).encode(), issuer.private_key).encode(), None,
                         material(), NOW)
    assert caught.value.code == "E_STATUS_LIST_KIND"


@pytest.mark.parametrize(("context", "kind", "subject_type"), [
    ("https://w3id.org/vc/status-list/2021/v1", "StatusList2021Credential", "StatusList2021"),
    ("https://w3id.org/vc-revocation-list-2020/v1", "RevocationList2020Credential", "RevocationList2020")])
def test_signed_vc_1_1_lists_use_their_bundled_contexts(context: str, kind: str, subject_type: str) -> None:
    """Signing refuses a term the contexts do not define, so every term here resolves."""
    issuer = issuing.new_issuer()
    credential = {"@context": ["https://www.w3.org/2018/credentials/v1", context,
                               "https://w3id.org/security/data-integrity/v2"],
                  "id": LIST_URL, "type": ["VerifiableCredential", kind], "issuer": issuer.did,
                  "issuanceDate": "2026-01-01T00:00:00Z",
                  "credentialSubject": {"id": f"{LIST_URL}#list", "type": subject_type,
                                        "encodedList": encoded(with_bit(3), prefix="")}}
    if subject_type == "StatusList2021":
        credential["credentialSubject"]["statusPurpose"] = "revocation"
    signed = issuing.sign(credential, issuer, "eddsa-rdfc-2022")
    status_list = read_status_list(json.dumps(signed).encode(), None, material(), NOW)
    entry_type = "StatusList2021Entry" if subject_type == "StatusList2021" else "RevocationList2020Status"
    assert status_of(entry(entry_type, "3"), issuer.did, {LIST_URL: status_list}, NOW).state == REVOKED


# -- review findings --------------------------------------------------------------------------------

def test_gzip_with_data_after_it_is_refused() -> None:
    trailing = "u" + base64.urlsafe_b64encode(gzip.compress(bytes(16384)) + b"junk").decode().rstrip("=")
    with pytest.raises(InvalidError) as caught:
        read_list_credential(list_credential("did:example:1", trailing), "did:example:1", None, NOW)
    assert caught.value.code == "E_STATUS_LIST_ENCODING" and "data after" in caught.value.message
    two_members = "u" + base64.urlsafe_b64encode(gzip.compress(bytes(16384)) * 2).decode().rstrip("=")
    with pytest.raises(InvalidError):
        read_list_credential(list_credential("did:example:1", two_members), "did:example:1", None, NOW)


def test_validate_step_9_counts_entries_of_the_entry_status_size() -> None:
    """§3.2 step 9: the bitstring's length divided by the entry's statusSize is at least 131,072."""
    spec = read_list_credential(list_credential("did:example:1"), "did:example:1", None, NOW)  # 131,072 bits
    lists = {LIST_URL: spec}
    assert status_of(entry(index="5"), "did:example:1", lists, NOW).state == VALID
    short = status_of(entry(index="5", size=2), "did:example:1", lists, NOW)
    assert short.state == NOT_CHECKED
    assert short.detail == (f"the status list {LIST_URL} holds 65536 entries of 2 bits, fewer than the 131072 "
                            "Bitstring Status List §3.2 requires: the credential's status is not checked")
    data = bytearray(32768)  # 131,072 two-bit entries; entry 5 is bits 10-11: 0b11
    data[1] = 0b00110000
    wide = read_list_credential(list_credential("did:example:1", encoded(bytes(data)), purpose="message"),
                                "did:example:1", None, NOW)
    result = status_of(entry(index="5", purpose="message", size=2), "did:example:1", {LIST_URL: wide}, NOW)
    assert (result.state, result.detail.split(" at ")[0]) == (VALID, "status message 0x3")


def test_one_bit_reader_for_every_size_and_order() -> None:
    data = bytes([0b10110011, 0b01011100])
    msb = StatusList(LIST_URL, "bitstring", "did:example:1", data=data)
    assert [msb.value_at(i, 3) for i in range(5)] == [0b101, 0b100, 0b110, 0b101, 0b110]  # 3 bits cross bytes
    assert [msb.value_at(i, 8) for i in range(2)] == [0b10110011, 0b01011100]
    lsb = StatusList(LIST_URL, "token-status-list", "x", bits=2, data=data, lsb_first=True)
    assert [lsb.value_at(i) for i in range(4)] == [0b11, 0b00, 0b11, 0b10]
    with pytest.raises(IndexError):
        msb.value_at(5, 3)
    with pytest.raises(IndexError):
        msb.value_at(-1)


def test_one_size_limit_for_what_is_read_and_fetched() -> None:
    from skillpass.status import MAX_INFLATED, MAX_LIST_BYTES

    assert (MAX_LIST_BYTES, MAX_INFLATED) == (2 * 1024 * 1024, 16 * 1024 * 1024)
    # an encodedList no list of MAX_LIST_BYTES can hold is refused, not read
    with pytest.raises(BadInputError) as caught:
        read_list_credential(list_credential("did:example:1", "u" + "A" * MAX_LIST_BYTES), "did:example:1", None, NOW)
    assert caught.value.code == "E_STATUS_LIST_TOO_LARGE"
    with pytest.raises(BadInputError) as whole:
        read_status_list(b" " * (MAX_LIST_BYTES + 1), None, material(), NOW)
    assert whole.value.code == "E_STATUS_LIST_TOO_LARGE" and "over 2 MiB" in whole.value.message


def test_a_list_is_kept_under_its_url_without_fragment() -> None:
    from skillpass.status.lookup import list_key

    assert list_key(f"{LIST_URL}#94567") == LIST_URL and list_key(LIST_URL) == LIST_URL
    status_list = read_list_credential(list_credential("did:example:1", encoded(with_bit(7))),
                                       "did:example:1", None, NOW)
    result = status_of(entry(index="7", url=f"{LIST_URL}#7"), "did:example:1", {list_key(LIST_URL): status_list}, NOW)
    assert result.state == REVOKED


def test_draft_lists_take_either_base64_alphabet_but_nothing_else() -> None:
    standard = base64.b64encode(gzip.compress(with_bit(3))).decode()  # padded, + and /
    credential = list_credential("did:example:1", standard, type=["VerifiableCredential", "StatusList2021Credential"])
    credential["credentialSubject"]["type"] = "StatusList2021"
    status_list = read_list_credential(credential, "did:example:1", None, NOW)
    assert status_of(entry("StatusList2021Entry", "3"), "did:example:1", {LIST_URL: status_list}, NOW).state == REVOKED
    credential["credentialSubject"]["encodedList"] = standard[:8] + "!" + standard[8:]  # was silently skipped
    with pytest.raises(InvalidError) as caught:
        read_list_credential(credential, "did:example:1", None, NOW)
    assert caught.value.code == "E_STATUS_LIST_ENCODING"


def test_what_a_status_list_says_is_said_in_french_with_its_place() -> None:
    from skillpass import i18n

    status_list = read_list_credential(list_credential("did:example:12345"), "did:example:12345", None, NOW)
    found = status_of(entry(), "did:example:12345", {LIST_URL: status_list}, NOW).detail
    short = status_of(entry(index="5", size=2), "did:example:12345", {LIST_URL: status_list}, NOW).detail
    i18n.use_language("fr")
    try:
        assert i18n.translate_message(found) == f"non révoquée : index 94567 de {LIST_URL}"
        assert i18n.translate_message(short) == (
            f"la liste d'état {LIST_URL} contient 65536 entrées de 2 bits, moins que les 131072 qu'exige la "
            "section 3.2 de Bitstring Status List : l'état de l'attestation n'est pas vérifié")
    finally:
        i18n.use_language(None)


def test_what_a_token_status_list_says_is_said_in_french() -> None:
    from skillpass import i18n

    bits, data = decode_lst("eNo76fITAAPfAgc", 2)  # §4.1: 1 revoked, 2 suspended, 0 valid
    lists = {"u": StatusList("u", "token-status-list", "https://example.com", ("status",), bits, data,
                             lsb_first=True)}
    details = [status_of(entry("TokenStatusList", i, None, "u"), "https://example.com", lists, NOW).detail
               for i in (0, 1, 2)]
    i18n.use_language("fr")
    try:
        assert [i18n.translate_message(d) for d in details] == [
            "révoquée (INVALIDE) : état 0x01 à l'index 0 de u", "suspendue : état 0x02 à l'index 1 de u",
            "ni révoquée ni suspendue : état 0x00 à l'index 2 de u"]
    finally:
        i18n.use_language(None)
