"""CBOR-LD decoding's short ways give what its plain ways give, value for value and error for error.

- A date in whole seconds (codecs._iso_seconds) reads as JavaScript's toISOString without its
  milliseconds, as codecs._iso reads it.
- A legacy tag's header is one made once (wire._LEGACY_HEADERS): what Header builds for it.
- The text of a did:key part is kept across payloads (codecs.did_key_base58): "z" and base58btc
  of its bytes, however many keys were met since.
- An object's entries are read inline in Decompressor.object where they can be: each one as
  Decompressor._entry reads it, in both formats, for every kind of term (dates, multibase,
  URLs, @id, property-scoped, plain) and any value CBOR can carry.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skillpass.encoding.cborld import codecs, registry, wire
from skillpass.encoding.cborld.decode import Decompressor, _plan
from skillpass.encoding.cborld.stack import apply_type_scopes, push
from skillpass.errors import SkillpassError
from skillpass.jsonld.loader import ContextStore
from skillpass.keys import multibase as mb

STORE = ContextStore.bundled()
VC2 = "https://www.w3.org/ns/credentials/v2"
PROFILES = {"legacy": registry.LEGACY, "cbor-ld-1.0": registry.DEFAULT_1_0}


def outcome(read: Callable[[], Any]) -> Any:
    """What reading gives: its JSON text (types and key order included), or its error."""
    try:
        return ("ok", json.dumps(read()))
    except SkillpassError as error:
        return ("error", error.code, error.message)


# -- dates -------------------------------------------------------------------------------------

YEAR_1 = -62_135_596_800  # 0001-01-01T00:00:00Z
YEAR_1000 = -30_610_224_000
YEAR_10000 = 253_402_300_800
BOUNDARIES = [0, -1, 1, 1_780_142_400, YEAR_1, YEAR_1 - 1, YEAR_1000, YEAR_1000 - 1, YEAR_1000 + 1,
              YEAR_10000, YEAR_10000 - 1, 10**15, -(10**15), 2**63, -(2**63)]


def plain_datetime(seconds: int) -> str:
    return codecs._iso(seconds * 1000)[:-5] + "Z"


def plain_date(seconds: int) -> str:
    return codecs._iso(seconds * 1000)[:10]


@pytest.mark.parametrize("seconds", BOUNDARIES)
def test_a_date_in_whole_seconds_reads_as_toisostring_without_milliseconds(seconds: int) -> None:
    assert outcome(lambda: codecs.decode_datetime(seconds)) == outcome(lambda: plain_datetime(seconds))
    assert outcome(lambda: codecs.decode_date(seconds)) == outcome(lambda: plain_date(seconds))


@given(st.integers(min_value=YEAR_1 - 10**6, max_value=YEAR_10000 + 10**6) | st.integers())
def test_any_whole_second_reads_as_the_plain_path_reads_it(seconds: int) -> None:
    assert outcome(lambda: codecs.decode_datetime(seconds)) == outcome(lambda: plain_datetime(seconds))
    assert outcome(lambda: codecs.decode_date(seconds)) == outcome(lambda: plain_date(seconds))


# -- headers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("head", "format", "compressed"), [
    ("d90500", registry.LEGACY_SINGLETON, False), ("d90501", registry.LEGACY_SINGLETON, True),
    ("da00000501", registry.LEGACY_SINGLETON, True),  # a longer head than any writer writes
    ("db0000000000000500", registry.LEGACY_SINGLETON, False),
    ("d90600", registry.LEGACY_RANGE, False), ("d9cb1d8201", registry.CBORLD_1_0, True),
])
def test_a_header_is_what_its_constructor_builds(head: str, format: str, compressed: bool) -> None:
    data = bytes.fromhex(head) + b"\xa0"
    found = wire.parse_header(data)
    assert found == wire.Header(format, found.registry_entry_id, compressed, len(head) // 2)


# -- did:key text ------------------------------------------------------------------------------


@given(st.binary(max_size=80))
def test_a_did_key_part_is_z_and_its_base58btc(part: bytes) -> None:
    assert codecs.did_key_base58(part) == "z" + mb.b58encode(part)


def test_did_key_texts_are_bounded_and_stay_right_past_the_bound() -> None:
    keys = [bytes([0xED, 0x01]) + i.to_bytes(32, "big") for i in range(codecs.DID_KEY_TEXTS + 20)]
    for key in keys + keys[:5]:
        url = codecs.decode_url([1025, key, key], None, legacy=True)
        assert url == f"did:key:z{mb.b58encode(key)}#z{mb.b58encode(key)}"
    assert codecs.did_key_base58.cache_info().currsize <= codecs.DID_KEY_TEXTS


# -- entries read inline -----------------------------------------------------------------------

TERMS = ["created", "expires", "proofValue", "digestMultibase", "verificationMethod", "previousProof",
         "proofPurpose", "cryptosuite", "challenge", "exp", "id", "cnf", "name"]
KEY = bytes([0xED, 0x01]) + bytes(range(32))
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**40), 2**64), st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=6), st.binary(max_size=12),
    st.sampled_from([b"z" + KEY, b"zA", b"u\x00\x01", b"M\xff", b"", 1_780_142_400, 108, 190, 1, -5]),
)
URLS = st.tuples(st.sampled_from([1, 2, 3, 4, 1024, 1025, 77]),
                 st.lists(st.one_of(st.text(max_size=6), st.binary(max_size=16), st.just(KEY)), max_size=3))
COMPRESSED_URLS = URLS.map(lambda url: [url[0], *url[1]])
NESTED = st.recursive(SCALARS | COMPRESSED_URLS,
                      lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.integers(0, 300), inner,
                                                                                   max_size=2),
                      max_leaves=6)
VALUES = SCALARS | COMPRESSED_URLS | NESTED


def proof_scope(decompressor: Decompressor) -> tuple[list[Any], list[Any]]:
    """The stack of an object holding VC 2.0 and typed DataIntegrityProof, and the stack before its
    type-scoped context (what its values are read with)."""
    stack: list[Any] = []
    push(stack, VC2, decompressor.contexts)
    before = list(stack)
    apply_type_scopes(stack, ["DataIntegrityProof"], decompressor.contexts)
    return stack, before


def inline(profile: registry.Profile, term: str, plural: bool, value: Any) -> Any:
    decompressor = Decompressor(STORE, profile)
    stack, _ = proof_scope(decompressor)  # only to learn the ids a fresh walk gives
    ids = decompressor.ids.to_id
    compressed = {0: VC2, ids["type"]: ids["DataIntegrityProof"], ids[term] + plural: value}
    return Decompressor(STORE, profile).object(compressed, [])[term]


def by_entry(profile: registry.Profile, term: str, plural: bool, value: Any) -> Any:
    decompressor = Decompressor(STORE, profile)
    stack, before = proof_scope(decompressor)
    active = stack[-1]
    out: dict[str, Any] = {}
    decompressor._entry(out, term, plural, value, active, stack, before, _plan(active, term))
    return out[term]


@pytest.mark.parametrize("format", PROFILES)
@pytest.mark.parametrize("term", TERMS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=VALUES, plural=st.sampled_from([False, False, True]))  # an array id less often
def test_an_entry_read_inline_is_what_entry_reads(format: str, term: str, value: Any, plural: bool) -> None:
    profile = PROFILES[format]
    expected = outcome(lambda: by_entry(profile, term, plural, value))
    assert outcome(lambda: inline(profile, term, plural, value)) == expected
