"""CBOR-LD decoding's short ways give what its plain ways give, value for value and error for error.

- A date in whole seconds (codecs._iso_seconds) reads as JavaScript's toISOString without its
  milliseconds, as codecs._iso reads it.
- The text of a did:key part is kept across payloads (codecs.did_key_base58): "z" and base58btc
  of its bytes, however many keys were met since.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skillpass.encoding.cborld import codecs
from skillpass.errors import SkillpassError
from skillpass.keys import multibase as mb


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
