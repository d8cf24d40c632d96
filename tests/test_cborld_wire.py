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
