"""CBOR-LD's reader: cbor2's C decoder (wire.strict_loads) accepts exactly what the scan accepts.

wire.read builds a payload with cbor2 told to be strict and scans only what that refuses, so that
the error is the scan's. The invariant: whatever strict_loads accepts, the scan accepts too, and
plain cbor2.loads gives the same value (same types); anything else goes through the scan as
before. Checked on mutations of well-formed payloads, hostile tokens spliced in, every tag and the
depth bound; and read() gives the same value or the same error as scan + cbor2.loads.
"""

from __future__ import annotations

import math
from typing import Any

import cbor2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skillpass.encoding.cborld import wire
from skillpass.errors import BadInputError

LEGACY_TAG = bytes.fromhex("d90501")
VC2 = "https://www.w3.org/ns/credentials/v2"
HOSTILE = [b"\x9f", b"\xbf", b"\x5f", b"\x7f", b"\xff", b"\xc1", b"\xc2\x41\x01", b"\xd8\x1c", b"\xd9\xd9\xf7",
           b"\xd9\x01\x02", b"\xf7", b"\xf0", b"\xf8\x20", b"\xf8\x10", b"\x18\x01", b"\x1c", b"\x3c", b"\xfc",
           b"\x20", b"\x41\x00", b"\xf9\x7e\x00", b"\xf5", b"\xf6", b"\x80", b"\xa0", b"\x9b\x10" + bytes(7)]


def typed(value: Any) -> Any:
    """A value with its exact CBOR types, so that 1, 1.0 and True never compare equal."""
    if isinstance(value, dict):
        return ("map", [(typed(k), typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("array", [typed(item) for item in value])
    if isinstance(value, float):
        return ("float", "nan" if math.isnan(value) else value.hex())
    return (type(value).__name__, repr(value))


def old_outcome(payload: bytes) -> Any:
    """What the reader did before strict_loads: scan, then plain cbor2."""
    data = LEGACY_TAG + payload
    try:
        wire.scan(data, len(LEGACY_TAG))
    except BadInputError as error:
        return ("refused", error.code, error.message)
    try:
        return ("value", typed(cbor2.loads(payload)))
    except (cbor2.CBORDecodeError, ValueError, RecursionError):
        return ("refused", "E_CBORLD_BAD_CBOR", "cbor2")


def read_outcome(payload: bytes) -> Any:
    try:
        _header, value = wire.read(LEGACY_TAG + payload)
    except BadInputError as error:
        return ("refused", error.code, "cbor2" if "not valid CBOR" in error.message else error.message)
    return ("value", typed(value))


def check(payload: bytes) -> None:
    fast = wire.strict_loads(payload)
    old = old_outcome(payload)
    if fast is not wire.REFUSED:
        assert old == ("value", typed(fast)), payload.hex()
    assert read_outcome(payload) == old, payload.hex()


def test_this_cbor2_has_the_strict_decoder() -> None:
    # else every payload is scanned (correct, only slower) and the tests below test the scan alone
    assert wire._STRICT_CBOR2


keys = st.one_of(st.integers(0, 2**64 - 1), st.text(max_size=4), st.integers(-5, -1), st.binary(max_size=2),
                 st.floats(allow_nan=False, width=16), st.booleans())
scalars = st.one_of(st.none(), st.booleans(), st.integers(-(2**64), 2**64 - 1), st.floats(), st.text(max_size=6),
                    st.binary(max_size=6))
trees = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(keys, inner, max_size=4)), max_leaves=20)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees, st.data())
def test_strict_loads_accepts_only_what_the_scan_accepts(tree: Any, data: st.DataObject) -> None:
    encoded = bytearray(cbor2.dumps(tree))
    check(bytes(encoded))
    for _ in range(data.draw(st.integers(0, 3))):
        where = data.draw(st.integers(0, len(encoded)))
        action = data.draw(st.sampled_from(["insert", "replace", "delete", "byte"]))
        token = data.draw(st.sampled_from(HOSTILE))
        if action == "insert":
            encoded[where:where] = token
        elif action == "replace":
            encoded[where:where + len(token)] = token
        elif action == "delete":
            del encoded[where:where + data.draw(st.integers(1, 3))]
        else:
            encoded[where:where + 1] = bytes([data.draw(st.integers(0, 255))])
        check(bytes(encoded))


@pytest.mark.parametrize("tag", [*range(0, 300), 1004, 55799, 0xCB1D, 2**32 + 1])
def test_every_tag_is_refused_as_the_scan_refuses_it(tag: int) -> None:
    tagged = cbor2.dumps(cbor2.CBORTag(tag, 1))
    for payload in (tagged, b"\xa1\x18\x64" + tagged, b"\x81" + tagged, b"\xa1" + tagged + b"\x01"):
        assert wire.strict_loads(payload) is wire.REFUSED
        assert read_outcome(payload)[:2] == ("refused", "E_CBORLD_BAD_CBOR")
        check(payload)


@pytest.mark.parametrize("depth", [46, 47, 48, 49, 50])
@pytest.mark.parametrize("opening, inner", [(b"\x81", b"\x01"), (b"\x81", b"\x80"), (b"\xa1\x01", b"\x01"),
                                            (b"\xa1\x01", b"\xa0"), (b"\xa1\x01\x81", b"\x80")])
def test_the_depth_bound_is_the_scans(depth: int, opening: bytes, inner: bytes) -> None:
    check(opening * depth + inner)


@pytest.mark.parametrize("payload", [
    b"", b"\x01\x02", b"\xa1\x01\x01\x00", b"\xa2\x01\x01\x01\x02", b"\x61\xff", b"\xa1\x61\xff\x01",
    b"\x5b" + bytes([0xFF] * 8), b"\xf8\x20", b"\xf7", b"\x82\x01\xf7", b"\xa1\x01\x81\xf0", b"\xa1\x01\xf7",
    b"\xa1\x01\xf0", b"\xa1\x61a\xf8\x20", b"\xa1\x01\x81\x81\xf7", b"\xa1\x20\x01", b"\xa1\xf5\x01",
    b"\xa1\xf9\x3c\x00\x01", b"\xa1\x41a\x01", b"\xa1\x80\x01"])
def test_hostile_payloads_read_as_before(payload: bytes) -> None:
    check(payload)


# -- cborld.decode leaves map keys and simple values to the walk (wire.read checked=False) --------


def old_decode(data: bytes, store: Any) -> Any:
    """cborld.decode as it read before: the scan, then plain cbor2, then the walk."""
    from skillpass.encoding.cborld import registry
    from skillpass.encoding.cborld.decode import Decompressor, uncompressed

    data = bytes(data)
    if len(data) > wire.MAX_BYTES:
        raise BadInputError("too large", code="E_CBORLD_TOO_LARGE")
    head = wire.parse_header(data)
    wire.scan(data, head.payload_start)
    try:
        payload = cbor2.loads(data[head.payload_start:])
    except (cbor2.CBORDecodeError, ValueError, RecursionError):
        raise BadInputError("not valid CBOR", code="E_CBORLD_BAD_CBOR") from None
    if head.registry_entry_id is not None and head.registry_entry_id not in registry.SUPPORTED_REGISTRY_ENTRIES:
        registry.profile_for(head.format, head.registry_entry_id)
    if not head.compressed:
        return uncompressed(payload)
    profile = registry.LEGACY if head.format == registry.LEGACY_SINGLETON else \
        registry.profile_for(head.format, head.registry_entry_id)  # type: ignore[arg-type]
    return Decompressor(store, profile).document(payload)


def decode_outcome(decode: Any, data: bytes, store: Any) -> Any:
    import json

    from skillpass.errors import SkillpassError

    try:
        return ("ok", json.dumps(decode(data, store)))
    except SkillpassError as error:
        message = "not valid CBOR" if "not valid CBOR" in error.message else error.message
        return ("error", error.code, "too large" if error.code == "E_CBORLD_TOO_LARGE" else message)


@pytest.fixture(scope="module")
def real_payloads() -> list[bytes]:
    from test_cborld import holder_key, sd_disclosure, whole_presentation

    from skillpass.encoding import cborld
    from skillpass.jsonld.loader import ContextStore

    holder = holder_key()
    store = ContextStore.bundled()
    return [cborld.encode(document, store=store, format=format)
            for document in (sd_disclosure(holder), whole_presentation(holder)) for format in cborld.FORMATS]


VALUE_TOKENS = [*HOSTILE, b"\xf7", b"\xf0", b"\xf8\xff", b"\xa1\xf7\x01", b"\xa1\x20\x01", b"\xa1\x41\x00\x01",
                b"\xa1\xf9\x3c\x00\x01", b"\xa1\xf5\x01", b"\xa1\x80\x01", b"\x82\x19\x04\x01\xf7", b"\x81\xf7"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.data())
def test_decode_gives_what_scan_then_walk_gave(real_payloads: list[bytes], data: st.DataObject) -> None:
    from skillpass.encoding import cborld
    from skillpass.jsonld.loader import ContextStore

    store = ContextStore.bundled()
    encoded = bytearray(data.draw(st.sampled_from(real_payloads)))
    for _ in range(data.draw(st.integers(1, 3))):
        where = data.draw(st.integers(0, len(encoded)))
        token = data.draw(st.sampled_from(VALUE_TOKENS))
        if data.draw(st.booleans()):
            encoded[where:where] = token
        else:
            encoded[where:where + len(token)] = token
    payload = bytes(encoded)
    new = decode_outcome(lambda d, s: cborld.decode(d, store=s), payload, store)
    assert new == decode_outcome(old_decode, payload, store), payload.hex()


@pytest.mark.parametrize("value", [b"\xf7", b"\xf0", b"\xf8\x20", b"\x81\xf7", b"\xa1\x61a\xf7", b"\x82\x01\xf7"])
def test_a_simple_value_anywhere_in_a_document_is_the_scans_error(real_payloads: list[bytes], value: bytes) -> None:
    """A simple value where the walk reads a value as it is (a string's place, a context's), or
    a map key the scan refuses: the same error as before, the scan's, never a document."""
    from skillpass.encoding import cborld
    from skillpass.jsonld.loader import ContextStore

    store = ContextStore.bundled()
    original = real_payloads[0]
    text = cbor2.dumps("c0ffee-cborld")  # the challenge, a value the walk keeps as it is
    assert text in original
    for payload in (original.replace(text, value),
                    original.replace(cbor2.dumps(VC2), value, 1)):
        new = decode_outcome(lambda d, s: cborld.decode(d, store=s), payload, store)
        assert new[0] == "error" and new == decode_outcome(old_decode, payload, store)
        assert new[1] == "E_CBORLD_BAD_CBOR", new
