"""VPQR text: the published vector, round trips that still verify, base45, and hostile text."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

import pytest
from test_cborld import STORE, holder_key, sd_disclosure, verify, whole_presentation

from skillpass.encoding import cborld
from skillpass.errors import BadInputError, ExitStatus, UnverifiableError
from skillpass.qr.vpqr import (
    MAX_QR_CHARS,
    base45_decode,
    base45_encode,
    from_vpqr,
    payload_bytes,
    to_vpqr,
)

QR_ALPHANUMERIC = re.compile(r"[0-9A-Z $%*+\-./:]*")


def _b32(hex_bytes: str) -> str:
    return "VP1-B" + base64.b32encode(bytes.fromhex(hex_bytes)).decode("ascii").rstrip("=")


@pytest.fixture(scope="module")
def presentations() -> dict[str, dict[str, Any]]:
    holder = holder_key()
    return {"sd": sd_disclosure(holder), "whole": whole_presentation(holder)}


# -- the digitalcredentials/vpqr vector --------------------------------------------------------


@pytest.mark.vectors
def test_vector_is_legacy_cbor_ld_that_needs_the_age_context(vectors: Path) -> None:
    example = json.loads((vectors / "vpqr" / "digitalcredentials-vpqr-2.2.1-example.json").read_text())
    data = payload_bytes(example["qrText"])

    assert data.startswith(bytes.fromhex("d90501")) and cborld.header(data).compressed
    with pytest.raises(UnverifiableError) as error:  # https://w3id.org/age/v1 is not bundled
        from_vpqr(example["qrText"], store=STORE)
    assert error.value.code == "E_CBORLD_CONTEXT_UNKNOWN" and "https://w3id.org/age/v1" in error.value.message
    assert error.value.exit_status == ExitStatus.UNVERIFIABLE


# -- round trips -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["sd", "whole"])
def test_round_trip_still_verifies(presentations: dict[str, Any], kind: str) -> None:
    text = to_vpqr(presentations[kind], store=STORE)

    assert text.startswith("VP1-B") and QR_ALPHANUMERIC.fullmatch(text)
    assert len(text) <= MAX_QR_CHARS
    decoded = from_vpqr(text, store=STORE)
    assert decoded == presentations[kind]
    assert verify(decoded).outcome == "verified"


@pytest.mark.parametrize("multibase", ["B", "R"])
def test_cbor_ld_1_0_round_trip_in_either_base(presentations: dict[str, Any], multibase: str) -> None:
    text = to_vpqr(presentations["sd"], store=STORE, format=cborld.CBORLD_1_0, multibase=multibase)

    assert text.startswith("VP1-" + multibase) and QR_ALPHANUMERIC.fullmatch(text)
    assert from_vpqr(text, store=STORE) == presentations["sd"]
    assert len(text) < len(to_vpqr(presentations["sd"], store=STORE))


def test_a_scanners_line_break_is_ignored(presentations: dict[str, Any]) -> None:
    text = to_vpqr(presentations["whole"], store=STORE)

    assert from_vpqr(f"  {text}\r\n", store=STORE) == presentations["whole"]


def test_a_presentation_too_big_for_one_code_is_refused_unless_in_parts(presentations: dict[str, Any]) -> None:
    from skillpass.qr import parts
    from skillpass.qr.code import TooBig
    from skillpass.qr.payload import PART_CHARS, outgoing

    big = dict(presentations["whole"])
    big["verifiableCredential"] = presentations["whole"]["verifiableCredential"] * 4
    assert len(to_vpqr(big, store=STORE)) > MAX_QR_CHARS
    with pytest.raises(TooBig) as error:
        outgoing(big, STORE, parts=False, fields=40)
    assert error.value.code == "E_QR_TOO_BIG" and str(MAX_QR_CHARS) in error.value.message
    assert "field" in (error.value.hint or "")
    split = outgoing(big, STORE, parts=True, fields=40)
    assert len(split.texts) > 1 and all(len(t) <= PART_CHARS["alphanumeric"] for t in split.texts)
    assert from_vpqr(parts.join(list(reversed(split.texts))), store=STORE) == big


# -- base45 (RFC 9285) -------------------------------------------------------------------------


@pytest.mark.parametrize(("data", "text"), [
    (b"AB", "BB8"), (b"Hello!!", "%69 VD92EX0"), (b"base-45", "UJCLQE7W581"), (b"ietf!", "QED8WEX0"),
    (b"", ""), (b"\xff\xff", "FGW"),
])
def test_base45_rfc_9285_examples(data: bytes, text: str) -> None:
    assert base45_encode(data) == text
    assert base45_decode(text) == data


@pytest.mark.parametrize("text", ["GGW", "A", "ABCD", "ab", "A\u00e9B", ":::"])
def test_base45_refuses_what_rfc_9285_forbids(text: str) -> None:
    with pytest.raises(BadInputError) as error:
        base45_decode(text)
    assert error.value.code == "E_VPQR_ENCODING"


# -- hostile text ------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "code"), [
    ("", "E_VPQR_PREFIX"),
    ("https://example.org/", "E_VPQR_PREFIX"),
    ("VP2-B3ECQ", "E_VPQR_PREFIX"),
    ("vp1-b3ecq", "E_VPQR_PREFIX"),
    ("VP1-", "E_VPQR_MULTIBASE"),
    ("VP1-Zabc", "E_VPQR_MULTIBASE"),
    ("VP1-B3ECQ1", "E_VPQR_ENCODING"),  # '1' is not base32
    ("VP1-B3ecq", "E_VPQR_ENCODING"),  # QR alphanumeric has no lower case
    ("VP1-B3ECQ====", "E_VPQR_ENCODING"),
    ("VP1-B3", "E_VPQR_ENCODING"),  # 1 character: no whole byte
    ("VP1-RGGW", "E_VPQR_ENCODING"),
    ("VP1-B" + "A" * 140_000, "E_VPQR_TOO_LARGE"),
    ("VP1-BAAAA", "E_CBORLD_NOT_CBORLD"),  # two zero bytes
    (_b32("d90501"), "E_CBORLD_BAD_CBOR"),  # the tag and nothing after it
    (_b32("d90502a0"), "E_CBORLD_TAG_UNKNOWN"),
    (_b32("d905019bffffffffffffffff"), "E_CBORLD_BAD_CBOR"),  # 2**64 items declared
    ("VP1-R" + base45_encode(bytes.fromhex("d90501a1") + b"\x81" * 200), "E_CBORLD_BAD_CBOR"),
])
def test_hostile_text_is_bad_input(text: str, code: str) -> None:
    with pytest.raises(BadInputError) as error:
        from_vpqr(text, store=STORE)

    assert error.value.code == code, error.value.message
    assert error.value.exit_status == ExitStatus.BAD_INPUT and error.value.hint


def test_an_array_payload_is_not_a_presentation() -> None:
    with pytest.raises(BadInputError) as error:
        from_vpqr(_b32("d9050180"), store=STORE)
    assert error.value.code == "E_VPQR_NOT_PRESENTATION"


def test_text_that_is_not_a_string_is_bad_input() -> None:
    with pytest.raises(BadInputError):
        from_vpqr(b"VP1-B3ECQDAA", store=STORE)  # type: ignore[arg-type]


def test_a_huge_text_costs_a_length_check() -> None:
    with pytest.raises(BadInputError) as error:
        from_vpqr("VP1-B" + "A" * 50_000_000, store=STORE)

    assert error.value.code == "E_VPQR_TOO_LARGE"
