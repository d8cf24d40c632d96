"""CBOR-LD: the published vectors, round trips whose proofs still verify, and hostile bytes.

Byte-for-byte agreement with the JavaScript peers is in tests/interop/test_interop_vpqr.py;
here the vectors from digitalbazaar/cborld stand in for it, and everything else runs offline.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import cbor2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from issuing import new_issuer, ob3, sign

from skillpass.encoding import cborld
from skillpass.encoding.cborld import codecs, registry, wire
from skillpass.encoding.cborld.encode import Compressor
from skillpass.errors import (
    BadInputError,
    ExitStatus,
    SkillpassError,
    UnverifiableError,
)
from skillpass.formats.ldp_vc.fields import disclosable_fields
from skillpass.formats.ldp_vc.presentation import present
from skillpass.jsonld.loader import ContextStore
from skillpass.keys import multibase as mb
from skillpass.present.select import REVEAL_ALL, resolve_selection
from skillpass.verifier import VerificationReport, verify_input
from skillpass.wallet.keys import HolderKey, generate_holder_key

STORE = ContextStore.bundled()
NOW = datetime(2026, 6, 1, tzinfo=UTC)
CHALLENGE, DOMAIN = "c0ffee-cborld", "https://employer.example"
LEGACY_TAG, TAG_1_0 = bytes.fromhex("d90501"), bytes.fromhex("d9cb1d8201")
VC2 = "https://www.w3.org/ns/credentials/v2"
VECTOR_NAMES = ["cit", "didKey", "empty-array", "empty-object", "note", "prc", "uncompressible"]
REVEAL = ["credentialSubject.achievement.name", "validFrom"]


# -- presentations (shared with test_vpqr.py and the interop tests) ----------------------------


def holder_key() -> HolderKey:
    return generate_holder_key("Ed25519", "2026-05-30T12:00:00Z")


def sd_disclosure(holder: HolderKey) -> dict[str, Any]:
    """A one-credential OB 3.0 ecdsa-sd-2023 disclosure: achievement name, issuer and validFrom."""
    return _present([_sd_item(holder)], holder)


def whole_presentation(holder: HolderKey) -> dict[str, Any]:
    """A whole eddsa-rdfc-2022 OB 3.0 credential in a presentation."""
    return _present([_whole_item(holder)], holder)


def two_credentials(holder: HolderKey) -> dict[str, Any]:
    """Both: the second credential meets the first one's contexts still on the stack, a quirk of
    the legacy walk that both sides must share (see skillpass.encoding.cborld.terms)."""
    return _present([_sd_item(holder), _whole_item(holder)], holder)


def _sd_item(holder: HolderKey) -> tuple[dict[str, Any], Any]:
    issuer = new_issuer("P-256")
    base = sign(ob3(issuer=issuer, subject=holder.did), issuer, "ecdsa-sd-2023",
                mandatory=("/issuer", "/credentialSubject/id"))
    return base, resolve_selection(disclosable_fields(base), REVEAL, False)


def _whole_item(holder: HolderKey) -> tuple[dict[str, Any], Any]:
    issuer = new_issuer("Ed25519")
    return sign(ob3("Spreadsheet Modelling", issuer=issuer, subject=holder.did, n=2), issuer,
                "eddsa-rdfc-2022"), REVEAL_ALL


def _present(items: list[tuple[dict[str, Any], Any]], holder: HolderKey) -> dict[str, Any]:
    return present(items, key=holder, challenge=CHALLENGE, domain=DOMAIN,
                   now=datetime(2026, 5, 30, 12, tzinfo=UTC)).presentation


def verify(presentation: dict[str, Any]) -> VerificationReport:
    return verify_input(json.dumps(presentation).encode(), store=STORE, did_cache={}, trust=None,
                        challenge=CHALLENGE, domain=DOMAIN, now=NOW)


@pytest.fixture(scope="module")
def holder() -> HolderKey:
    return holder_key()


@pytest.fixture(scope="module")
def presentations(holder: HolderKey) -> dict[str, dict[str, Any]]:
    return {"sd": sd_disclosure(holder), "whole": whole_presentation(holder), "both": two_credentials(holder)}


def payload(data: bytes) -> Any:
    """The compressed payload after the tag, as plain CBOR."""
    return cbor2.loads(data[wire.parse_header(data).payload_start:])


def legacy(payload_value: Any) -> bytes:
    return LEGACY_TAG + wire.dumps(payload_value)


def code_of(error: pytest.ExceptionInfo[SkillpassError]) -> str:
    return error.value.code


# -- vectors (digitalbazaar/cborld examples) ---------------------------------------------------


@pytest.mark.vectors
@pytest.mark.parametrize("name", VECTOR_NAMES)
def test_vector_decodes_and_encodes_byte_for_byte(vectors: Path, name: str) -> None:
    data = (vectors / "cborld" / f"{name}.cborld").read_bytes()
    document = json.loads((vectors / "cborld" / f"{name}.jsonld").read_text())
    missing = sorted(_context_urls(document) - set(STORE.urls()))

    if missing:  # activitystreams, cit/v1, citizenship/v1 are not bundled: unverifiable, said so
        with pytest.raises(UnverifiableError) as error:
            cborld.decode(data, store=STORE)
        assert code_of(error) == "E_CBORLD_CONTEXT_UNKNOWN" and missing[0] in error.value.message
        assert error.value.exit_status == ExitStatus.UNVERIFIABLE
        return
    assert cborld.decode(data, store=STORE) == document
    assert cborld.encode(document, store=STORE) == data


def _context_urls(document: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(document, dict):
        context = document.get("@context", [])
        found |= {c for c in (context if isinstance(context, list) else [context]) if isinstance(c, str)}
        for value in document.values():
            found |= _context_urls(value)
    elif isinstance(document, list):
        for item in document:
            found |= _context_urls(item)
    return found


@pytest.mark.vectors
def test_did_document_vector_term_ids(vectors: Path) -> None:
    """did v1 + multikey v1: the ids the peer assigned, decoded the same way here."""
    compressed = payload((vectors / "cborld" / "didKey.cborld").read_bytes())

    assert compressed[1] == [0x12, 0x31]  # both contexts by their registry ids
    did = next(v for v in compressed.values() if isinstance(v, list) and v[:1] == [1025])
    assert did[1][:2] == b"\xed\x01" and len(did[1]) == 34  # did:key as its multikey bytes


# -- round trips that still verify -------------------------------------------------------------


@pytest.mark.parametrize("kind", ["sd", "whole", "both"])
def test_round_trip_is_the_same_json_and_still_verifies(presentations: dict[str, Any], kind: str) -> None:
    presentation = presentations[kind]
    data = cborld.encode(presentation, store=STORE)

    assert data.startswith(LEGACY_TAG)
    decoded = cborld.decode(data, store=STORE)
    assert json.dumps(decoded, sort_keys=True) == json.dumps(presentation, sort_keys=True)
    report = verify(decoded)
    assert report.outcome == "verified", report.checks
    assert len(data) < 0.7 * len(json.dumps(presentation, separators=(",", ":")))


@pytest.mark.parametrize("kind", ["sd", "whole"])
def test_cbor_ld_1_0_round_trip_still_verifies(presentations: dict[str, Any], kind: str) -> None:
    data = cborld.encode(presentations[kind], store=STORE, format=cborld.CBORLD_1_0)

    assert data.startswith(TAG_1_0)
    assert cborld.header(data).registry_entry_id == 1
    assert verify(cborld.decode(data, store=STORE)).outcome == "verified"


def test_cbor_ld_1_0_carries_the_derived_proof_value_as_bytes(presentations: dict[str, Any]) -> None:
    """The legacy format keeps a `u` (base64url) proofValue as text, as the peer must read it."""
    presentation = presentations["sd"]
    proof_value = presentation["verifiableCredential"][0]["proof"]["proofValue"]
    legacy_bytes = cborld.encode(presentation, store=STORE)
    v1_bytes = cborld.encode(presentation, store=STORE, format=cborld.CBORLD_1_0)

    assert proof_value.startswith("u") and proof_value.encode() in legacy_bytes
    assert proof_value.encode() not in v1_bytes
    assert len(v1_bytes) < len(legacy_bytes) - 100


def test_values_are_compressed_by_their_codecs(presentations: dict[str, Any]) -> None:
    compressed = payload(cborld.encode(presentations["whole"], store=STORE))
    credential = next(v for v in compressed.values() if isinstance(v, list) and v and isinstance(v[0], dict)
                      and 1 in v[0])[0]

    assert credential[1] == [VC2, "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]  # no id
    uuid = next(v for v in credential.values() if isinstance(v, list) and v[:1] == [3])
    assert isinstance(uuid[1], bytes) and len(uuid[1]) == 16
    assert 1768435200 in credential.values()  # validFrom 2026-01-15T00:00:00Z as seconds
    proof = next(v for v in credential.values() if isinstance(v, dict) and 1768435200 in v.values())
    signature = next(v for v in proof.values() if isinstance(v, bytes))
    assert signature[:1] == b"z" and len(signature) == 65  # proofValue: 'z' + the 64 signature bytes


def test_a_lone_credential_and_an_array_of_documents(presentations: dict[str, Any]) -> None:
    credential = presentations["whole"]["verifiableCredential"][0]
    both = [credential, {"@context": VC2, "type": "VerifiablePresentation"}]

    assert cborld.decode(cborld.encode(credential, store=STORE), store=STORE) == credential
    assert cborld.decode(cborld.encode(both, store=STORE), store=STORE) == both


OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
LEAKING_VP = {"@context": [VC2], "type": "VerifiablePresentation", "verifiableCredential": [
    {"@context": [VC2, OB3], "type": ["VerifiableCredential"], "credentialSubject": {"narrative": "a"}},
    {"@context": [VC2], "type": ["VerifiableCredential"],
     "credentialSubject": {"narrative": "b", "awardedDate": "2026-01-01T00:00:00Z"}}]}


def test_a_credential_sees_the_contexts_of_the_one_before_it() -> None:
    """The legacy walk never pops an embedded context (terms module): the second credential may
    use OB 3.0 terms it does not declare, as @digitalcredentials/cborld lets it."""
    second_alone = {"@context": [VC2], **LEAKING_VP["verifiableCredential"][1]}

    assert cborld.decode(cborld.encode(LEAKING_VP, store=STORE), store=STORE) == LEAKING_VP
    with pytest.raises(BadInputError, match="'awardedDate'"):
        cborld.encode(second_alone, store=STORE)


def test_numbers_keep_their_json_type() -> None:
    """1 and 1.0 are different literals to JSON-LD (xsd:integer, xsd:double)."""
    document = _credential(name=[1, 1.0, 2.5, 0.1, -7, True, None, 2**53 - 1, "1"])
    decoded = cborld.decode(cborld.encode(document, store=STORE), store=STORE)

    assert json.dumps(decoded) == json.dumps(document)


@pytest.mark.parametrize("tag", ["d90500", "d9cb1d8200", "d90600"])
def test_uncompressed_payloads_are_plain_cbor(tag: str) -> None:
    document = {"@context": VC2, "type": "VerifiableCredential", "name": "Soudure", "n": [1, 1.5, None]}

    assert cborld.decode(bytes.fromhex(tag) + cbor2.dumps(document), store=STORE) == document


@pytest.mark.parametrize("number", [float("nan"), float("inf"), float("-inf")])
def test_numbers_json_cannot_hold_are_bad_input(number: float) -> None:
    with pytest.raises(BadInputError) as error:
        cborld.decode(bytes.fromhex("d90500") + cbor2.dumps({"n": number}), store=STORE)
    assert code_of(error) == "E_CBORLD_BAD_VALUE"


def test_legacy_range_entry_1_reads_as_cbor_ld_1_0(presentations: dict[str, Any]) -> None:
    v1_0 = cborld.encode(presentations["whole"], store=STORE, format=cborld.CBORLD_1_0)
    legacy_range = bytes.fromhex("d90601") + v1_0[len(TAG_1_0):]

    assert cborld.header(legacy_range).format == cborld.LEGACY_RANGE
    assert cborld.decode(legacy_range, store=STORE) == presentations["whole"]


# -- codecs ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "legacy_form", "v1_form"), [
    ("2026-01-15T00:00:00Z", 1768435200, 1768435200),
    ("2026-01-15T00:00:00.250Z", [1768435200, 250], [1768435200, 250]),
    ("1969-12-31T23:59:59Z", codecs.MISSING, -1),  # 4.3.4 writes unsigned seconds only
    ("0999-12-31T23:59:59.500Z", codecs.MISSING, [-30610224001, 500]),  # toISOString's "0999"
    ("0001-01-01T00:00:00Z", codecs.MISSING, -62135596800),
    ("2026-01-15T00:00:00+00:00", codecs.MISSING, codecs.MISSING),  # not toISOString's form
    ("2026-02-30T00:00:00Z", codecs.MISSING, codecs.MISSING),
    ("2026-01-15T00:00:00.1Z", codecs.MISSING, codecs.MISSING),
])
def test_datetime_codec_compresses_only_what_it_gives_back(value: str, legacy_form: Any,
                                                           v1_form: Any) -> None:
    assert codecs.encode_datetime(value, legacy=True) == legacy_form
    assert codecs.encode_datetime(value, legacy=False) == v1_form
    if v1_form is not codecs.MISSING:
        assert codecs.decode_datetime(v1_form) == value


@pytest.mark.parametrize("value", ["2026-01-15", "0999-01-01", "0001-01-01"])
def test_date_codec_gives_back_the_four_digit_year(value: str) -> None:
    assert codecs.decode_date(codecs.encode_date(value, legacy=False)) == value


@pytest.mark.parametrize(("value", "legacy_form", "v1_form"), [
    ("urn:uuid:188e8450-269e-11eb-b545-d3692cf35398",
     [3, bytes.fromhex("188e8450269e11ebb545d3692cf35398")], None),
    ("urn:uuid:188E8450-269E-11EB-B545-D3692CF35398", [3, "188E8450-269E-11EB-B545-D3692CF35398"], None),
    ("urn:uuid:0190a8f2-0000-7000-8000-000000000000",  # a v7 UUID: not valid to uuid@8
     [3, "0190a8f2-0000-7000-8000-000000000000"], [3, bytes.fromhex("0190a8f2000070008000000000000000")]),
    ("https://example.edu/a?b#c", [2, "example.edu/a?b#c"], None),
    ("http://example.edu", [1, "example.edu"], None),
    ("https://example.edu:8443/x", codecs.MISSING, None),  # the peers' scheme test fails on a port
    ("https://exa mple.edu/", codecs.MISSING, None),
    ("did:key:z6MkhNZxXHvf4YMbtZkEkgA9QAz6gN8f9ZtP47EdCEJMF5Hh#key-1", None, None),
    ("did:key:z6Mk#a#b", codecs.MISSING, None),  # the peers would drop "#b"
    ("data:text/plain;base64,SGk=", codecs.MISSING, [4, "text/plain", b"Hi"]),
    ("data:text/plain,Hi", codecs.MISSING, [4, "text/plain,Hi"]),
    ("urn:isbn:0451450523", codecs.MISSING, None),
])
def test_url_codec(value: str, legacy_form: Any, v1_form: Any) -> None:
    encoded = codecs.encode_url(value, legacy=True)
    if legacy_form is not None:
        assert encoded == legacy_form
    v1 = codecs.encode_url(value, legacy=False)
    if v1_form is not None:
        assert v1 == v1_form
    for form in (encoded, v1):
        if form is not codecs.MISSING:
            assert codecs.decode_url(form, None, legacy=True) == value


def test_did_key_parts_become_key_bytes() -> None:
    key = "z6MkhNZxXHvf4YMbtZkEkgA9QAz6gN8f9ZtP47EdCEJMF5Hh"
    value = f"did:key:{key}#{key}"
    encoded = codecs.encode_url(value, legacy=True)

    assert encoded[0] == 1025 and encoded[1] == encoded[2] and encoded[1][:2] == b"\xed\x01"
    assert codecs.decode_url(encoded, None, legacy=True) == value


@pytest.mark.parametrize(("value", "legacy_bytes", "v1_bytes"), [
    ("z3yMk", True, True), ("MAAEC", True, True), ("uAAEC", False, True),
    ("MAAE", False, False),  # not canonical padded base64
    ("z0OIl", False, False), ("x123", False, False),
])
def test_multibase_codec(value: str, legacy_bytes: bool, v1_bytes: bool) -> None:
    for is_legacy, compressed in ((True, legacy_bytes), (False, v1_bytes)):
        encoded = codecs.encode_multibase(value, legacy=is_legacy)
        assert (encoded is not codecs.MISSING) is compressed
        if compressed:
            assert encoded[:1] == value[:1].encode() and codecs.decode_multibase(encoded) == value


# -- what CBOR-LD cannot carry -----------------------------------------------------------------


def _credential(**subject: Any) -> dict[str, Any]:
    return {"@context": [VC2], "type": ["VerifiableCredential"], "credentialSubject": subject}


@pytest.mark.parametrize(("document", "where"), [
    (_credential(nickname="x"), "'nickname' at /credentialSubject/nickname is not a term"),
    ({"@context": VC2, "type": "VerifiableCredential", "validFrom": 1768435200}, "/validFrom"),
    (_credential(**{"@context": None, "name": "x"}), "/credentialSubject/@context"),
    (_credential(name=float("nan")), "NaN"),
    (_credential(name=2**53), "2**53"),  # JavaScript readers would round it
    (_credential(name={"@value": "Soudure", "@language": "fr"}), "'@language' at /credentialSubject/name"),
    (["not an object"], "/0"),
])
def test_documents_cborld_cannot_carry_are_refused(document: Any, where: str) -> None:
    with pytest.raises(BadInputError) as error:
        cborld.encode(document, store=STORE)

    keyword = where.startswith("'@")  # a value object: what CBOR-LD 1.0 carries (qr/payload.py turns to it)
    assert code_of(error) == ("E_CBORLD_LEGACY_KEYWORD" if keyword else "E_CBORLD_UNENCODABLE")
    assert where in error.value.message
    assert error.value.hint and error.value.exit_status == ExitStatus.BAD_INPUT


def test_cbor_ld_1_0_writes_undefined_terms_as_text_and_value_objects() -> None:
    document = _credential(nickname="x", name={"@value": "Soudure", "@language": "fr"})
    data = cborld.encode(document, store=STORE, format=cborld.CBORLD_1_0)

    assert cborld.decode(data, store=STORE) == document and b"nickname" in data


def test_a_context_not_in_the_store_is_unverifiable() -> None:
    document = {"@context": "https://example.org/contexts/unknown/v1", "type": "Thing"}

    with pytest.raises(UnverifiableError) as error:
        cborld.encode(document, store=STORE)
    assert code_of(error) == "E_CBORLD_CONTEXT_UNKNOWN" and "skillpass contexts add" in error.value.hint


def test_deep_nesting_is_refused_before_recursion_runs_out() -> None:
    document: dict[str, Any] = {"@context": VC2, "type": "VerifiableCredential", "credentialSubject": {}}
    inner = document["credentialSubject"]
    for _ in range(200):
        inner["name"] = {}
        inner = inner["name"]

    with pytest.raises(BadInputError) as error:
        cborld.encode(document, store=STORE)
    assert code_of(error) == "E_CBORLD_UNENCODABLE" and "nests deeper" in error.value.message


# -- hostile bytes -----------------------------------------------------------------------------

VC2_CONTEXT = {0: VC2}


@pytest.mark.parametrize(("data", "code"), [
    (b"", "E_CBORLD_BAD_CBOR"),
    (bytes.fromhex("a0"), "E_CBORLD_NOT_CBORLD"),
    (bytes.fromhex("d90502a0"), "E_CBORLD_TAG_UNKNOWN"),
    (bytes.fromhex("c0a0"), "E_CBORLD_TAG_UNKNOWN"),
    (bytes.fromhex("d9cb1da0"), "E_CBORLD_BAD_HEADER"),
    (bytes.fromhex("d9cb1d826161a0"), "E_CBORLD_BAD_HEADER"),
    (bytes.fromhex("d90680824180a0"), "E_CBORLD_BAD_HEADER"),  # varint that never ends
    (bytes.fromhex("d90501"), "E_CBORLD_BAD_CBOR"),
    (bytes.fromhex("d90501a1"), "E_CBORLD_BAD_CBOR"),
    (bytes.fromhex("d90501a000"), "E_CBORLD_BAD_CBOR"),  # trailing bytes
    (bytes.fromhex("d90501bfff"), "E_CBORLD_BAD_CBOR"),  # indefinite length
    (bytes.fromhex("d90501a11864c100"), "E_CBORLD_BAD_CBOR"),  # a tag inside
    (bytes.fromhex("d90501a11864f7"), "E_CBORLD_BAD_CBOR"),  # undefined
    (bytes.fromhex("d90501a11864f8ff"), "E_CBORLD_BAD_CBOR"),  # simple value 255
    (bytes.fromhex("d90501a1410000"), "E_CBORLD_BAD_CBOR"),  # bytes as a key
    (bytes.fromhex("d90501a1f93c0000"), "E_CBORLD_BAD_CBOR"),  # a float as a key
    (bytes.fromhex("d90501a1186462fffe"), "E_CBORLD_BAD_CBOR"),  # invalid UTF-8
    (bytes.fromhex("d905015bffffffffffffffff"), "E_CBORLD_BAD_CBOR"),  # 2**64 bytes declared
    (bytes.fromhex("d905019bffffffffffffffff"), "E_CBORLD_BAD_CBOR"),  # 2**64 items declared
    (bytes.fromhex("d90501bbffffffffffffffff"), "E_CBORLD_BAD_CBOR"),
    (bytes.fromhex("d90501a119ffff00"), "E_CBORLD_TERM_ID_UNKNOWN"),
    (bytes.fromhex("d90501a1186400"), "E_CBORLD_TERM_ID_UNKNOWN"),  # 100: no context defines it
    (bytes.fromhex("d90501a1206161"), "E_CBORLD_BAD_CBOR"),  # negative key
    (bytes.fromhex("d9050181f6"), "E_CBORLD_BAD_VALUE"),  # an array of documents holding null
])
def test_malformed_bytes_are_bad_input(data: bytes, code: str) -> None:
    with pytest.raises(BadInputError) as error:
        cborld.decode(data, store=STORE)

    assert code_of(error) == code, error.value.message
    assert error.value.exit_status == ExitStatus.BAD_INPUT and error.value.hint
    assert "\n" not in error.value.message


@pytest.mark.parametrize(("data", "code"), [
    (bytes.fromhex("d9cb1d8202a0"), "E_CBORLD_REGISTRY_UNKNOWN"),
    (bytes.fromhex("d90605a0"), "E_CBORLD_REGISTRY_UNKNOWN"),
    (bytes.fromhex("d9068082410aa0"), "E_CBORLD_REGISTRY_UNKNOWN"),  # entry 0x80 | 10 << 7
    (legacy({0: 0x99}), "E_CBORLD_CONTEXT_ID_UNKNOWN"),
    (legacy({0: 0x8001}), "E_CBORLD_CONTEXT_ID_UNKNOWN"),  # an application's own context id
    (legacy({0: "https://example.org/unknown/v1"}), "E_CBORLD_CONTEXT_UNKNOWN"),
    (legacy({0: 0x16}), "E_CBORLD_CONTEXT_UNKNOWN"),  # age/v1: registered, not bundled
])
def test_valid_codes_needing_what_we_lack_are_unverifiable(data: bytes, code: str) -> None:
    with pytest.raises(UnverifiableError) as error:
        cborld.decode(data, store=STORE)

    assert code_of(error) == code and error.value.exit_status == ExitStatus.UNVERIFIABLE
    assert error.value.hint


def _vc2_with(entries: dict[Any, Any], *, v1_0: bool = False) -> bytes:
    """A payload {@context: VC 2.0, type: VerifiableCredential, ...entries}, legacy or CBOR-LD 1.0."""
    ids = _ids_for([VC2], registry.DEFAULT_1_0 if v1_0 else registry.LEGACY)
    compressed = {0: VC2, 2: ids["VerifiableCredential"],
                  **{ids[k] if isinstance(k, str) else k: v for k, v in entries.items()}}
    return (TAG_1_0 if v1_0 else LEGACY_TAG) + wire.dumps(compressed)


def _ids_for(contexts: list[str], profile: registry.Profile = registry.LEGACY) -> dict[str, int]:
    compressor = Compressor(STORE, profile)
    compressor.object({"@context": contexts, "type": "VerifiableCredential"}, [], "", 0)
    return compressor.ids.to_id


@pytest.mark.parametrize(("entries", "v1_0", "what"), [
    ({"issuer": [99, "example.org"]}, False, "unknown form"),
    ({"issuer": [3, b"short"]}, False, "unknown form"),
    ({"issuer": 7777}, True, "no term or registered URL"),  # the legacy format passes it through
    ({"issuer": b"\x11"}, True, "not text, a term id or a compressed URL"),
    ({"validFrom": 10**15}, False, "outside the years 1 to 9999"),
    ({"validFrom": -(10**15)}, True, "outside the years 1 to 9999"),
    ({"validFrom": 1.5}, False, "not a whole number of seconds"),
    ({"name": b"\x01\x02\x03"}, False, "bytes"),
    ({"name": b"\x11"}, True, "bytes"),  # a string-table id, which entry 1 does not have
    ({"credentialSubject": [[5]]}, False, "compressed object"),
])
def test_malformed_values_are_bad_input(entries: dict[Any, Any], v1_0: bool, what: str) -> None:
    with pytest.raises(BadInputError) as error:
        cborld.decode(_vc2_with(entries, v1_0=v1_0), store=STORE)

    assert code_of(error) == "E_CBORLD_BAD_VALUE" and what in error.value.message


def test_an_array_id_with_a_single_value_is_bad_input() -> None:
    ids = _ids_for([VC2])
    with pytest.raises(BadInputError) as error:
        cborld.decode(legacy({0: VC2, 3: ids["VerifiableCredential"]}), store=STORE)
    assert code_of(error) == "E_CBORLD_BAD_VALUE"


def test_oversized_input_is_refused_unread() -> None:
    with pytest.raises(BadInputError) as error:
        cborld.decode(LEGACY_TAG + b"\x5a" + b"\xff" * 10_000_000, store=STORE)

    assert code_of(error) == "E_CBORLD_TOO_LARGE"


def test_deep_nesting_is_refused_by_the_scan() -> None:
    with pytest.raises(BadInputError) as error:
        cborld.decode(LEGACY_TAG + b"\x81" * 5000 + b"\xa0", store=STORE)
    assert code_of(error) == "E_CBORLD_TOO_DEEP"


def test_many_type_scoped_contexts_stay_cheap() -> None:
    """Each listed type pushes its scoped context: bounded by the payload, and quick."""
    ids = _ids_for([VC2])
    data = legacy({0: VC2, ids["type"] + 1: [ids["VerifiableCredential"]] * 1200})
    decoded = cborld.decode(data, store=STORE)

    assert decoded["type"] == ["VerifiableCredential"] * 1200


def test_legacy_payloads_of_digitalbazaar_cborld_are_read(presentations: dict[str, Any]) -> None:
    """Its legacy mode writes cryptosuite ids, base64url multibase as bytes and text keys."""
    presentation = presentations["sd"]
    compressed = payload(cborld.encode(presentation, store=STORE))
    proof = next(v for v in compressed.values() if isinstance(v, dict) and "eddsa-rdfc-2022" in v.values())
    proof[next(k for k, v in proof.items() if v == "eddsa-rdfc-2022")] = 3  # its cryptosuite table
    credential = next(v for v in compressed.values() if isinstance(v, list) and isinstance(v[0], dict))[0]
    inner_proof = next(v for v in credential.values()
                       if isinstance(v, dict) and "ecdsa-sd-2023" in v.values())
    key, text = next((k, v) for k, v in inner_proof.items() if isinstance(v, str) and v.startswith("u2V"))
    inner_proof[key] = b"u" + mb.b64url_decode(text[1:], max_bytes=len(text))
    credential["nickname"] = "an undefined term, as text"

    decoded = cborld.decode(legacy(compressed), store=STORE)

    assert decoded["verifiableCredential"][0].pop("nickname") == "an undefined term, as text"
    assert decoded == presentation


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_damaged_payloads_fail_cleanly(presentations: dict[str, Any], data: st.DataObject) -> None:
    """Flipped, dropped or inserted bytes: a SkillpassError or a (different) document, never a crash."""
    original = bytearray(cborld.encode(presentations["whole"], store=STORE))
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(original) - 1))
        action = data.draw(st.sampled_from(["flip", "drop", "insert", "truncate"]))
        if action == "flip":
            original[at] ^= data.draw(st.integers(1, 255))
        elif action == "drop":
            del original[at]
        elif action == "insert":
            original.insert(at, data.draw(st.integers(0, 255)))
        else:
            del original[at:]
        if not original:
            break
    try:
        decoded = cborld.decode(bytes(original), store=STORE)
    except SkillpassError as error:
        assert error.code.startswith(("E_CBORLD_", "E_CONTEXT_")) and error.hint
        return
    json.dumps(decoded, allow_nan=False)  # whatever decodes is plain JSON
