"""Baked badges (OB 2.0 "Baking", OB 3.0 §5.3): every published image yields what
../shared/vectors/ob2/expected-extraction.json says, and hostile images are refused, bounded."""

from __future__ import annotations

import hashlib
import json
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest

from conftest import VECTORS
from skillpass.errors import BadInputError, SkillpassError, UnverifiableError
from skillpass.formats.baked import baked_credential, extract, image_candidates, png
from skillpass.formats.ob2.detect import is_assertion, signed_assertion


def _expected(vectors: Path) -> dict[str, Any]:
    return json.loads((vectors / "ob2" / "expected-extraction.json").read_text())


_EXTRACTION = VECTORS / "ob2" / "expected-extraction.json"
EXPECTED_NAMES = sorted(json.loads(_EXTRACTION.read_text())) if _EXTRACTION.is_file() else []
ERROR_CODES = {"not a PNG (bad signature)": "E_PNG", "no openbadges chunk": "E_NO_BAKED_BADGE",
               "no openbadges element": "E_NO_BAKED_BADGE"}


@pytest.mark.parametrize("name", EXPECTED_NAMES)
def test_every_published_image_yields_what_expected_extraction_says(vectors: Path, name: str) -> None:
    expected = _expected(vectors)[name]
    raw = (vectors / "ob2" / name).read_bytes()
    if "error" in expected:
        with pytest.raises(BadInputError) as caught:
            extract(raw)
        assert caught.value.code == ERROR_CODES[expected["error"]]
        if expected["error"].startswith("not a PNG"):
            assert "not a PNG (bad signature)" in caught.value.message
        return
    baked = extract(raw)
    text_sha256 = hashlib.sha256(baked.text).hexdigest() if baked.text is not None else None
    assert text_sha256 == expected["text_sha256"]
    if "chunk" in expected:
        assert (baked.image, baked.place, baked.keyword) == ("png", expected["chunk"], expected["keyword"])
        assert baked.compression_flag == expected.get("compression_flag")
        assert baked.compression_method == expected.get("compression_method")
    else:
        assert (baked.image, baked.place, baked.namespace) == ("svg", expected["element"],
                                                                expected["xmlns:openbadges"])
        shown = expected["verify"]
        assert baked.verify is not None
        assert baked.verify.startswith(shown[:-3]) if shown.endswith("...") else baked.verify == shown


@pytest.mark.parametrize("name", EXPECTED_NAMES)
def test_the_text_inside_is_the_kind_expected_extraction_says(vectors: Path, name: str) -> None:
    expected = _expected(vectors)[name]
    if "error" in expected:
        return
    raw = (vectors / "ob2" / name).read_bytes()
    kind = (expected["text_class"] or expected.get("verify_class") or {})["kind"]
    if expected["text_class"] is None and kind == "url":  # an empty body and a URL: only a link
        with pytest.raises(UnverifiableError) as caught:
            baked_credential(raw)
        assert caught.value.code == "E_BAKED_LINK" and "never fetches" in caught.value.message
        return
    kind = (expected["text_class"] or expected["verify_class"])["kind"]
    if kind == "url":  # the pre-2.0 tEXt chunk: a URL and nothing else
        with pytest.raises(UnverifiableError) as caught:
            baked_credential(raw)
        assert caught.value.code == "E_BAKED_LINK" and "https://example.org/assertion" in caught.value.message
        assert caught.value.exit_status == 10
    elif kind == "jws":
        cls = expected["text_class"] or expected["verify_class"]
        assertion = signed_assertion(baked_credential(raw).decode("ascii"))
        assert assertion is not None
        assert (assertion["@context"], assertion["id"]) == (cls["payload_context"], cls["payload_id"])
    elif kind == "invalid-json":
        with pytest.raises(BadInputError) as caught:
            image_candidates("bad.svg", raw)
        assert caught.value.exit_status == 8
    else:
        cls = expected["text_class"]
        document = json.loads(baked_credential(raw))
        context = document.get("@context")
        assert ("(list)" if isinstance(context, list) else context) == cls["@context"]
        assert (document.get("type"), document.get("id")) == (cls["type"], cls["id"])
        method = document.get("verification", document.get("verify")) or {}
        assert method.get("type") == cls["verification_type"]
        # OB 2.0 and 1.x hosted assertions are OB 2.0 assertions; OB 3.0 credentials never are.
        assert is_assertion(document) is (cls["verification_type"] == "hosted")


def test_the_signed_images_carry_the_signed_badge_byte_for_byte(vectors: Path) -> None:
    signed = vectors / "ob2" / "signed"
    token = (signed / "signed-embedded-badge.jws").read_bytes().strip()
    assert baked_credential((signed / "baked-signed.png").read_bytes()) == token
    svg = extract((signed / "baked-signed.svg").read_bytes())
    assert svg.verify == token.decode() and svg.text is None  # expected.json: body "none"
    assert baked_credential((signed / "baked-signed.svg").read_bytes()) == token


def test_an_ob3_credential_baked_under_openbadgecredential_is_read_as_the_file(vectors: Path) -> None:
    credential = (vectors / "ob3" / "signed" / "ob3_eddsa-rdfc-2022_signed.json").read_bytes()
    raw = (vectors / "ob2" / "png" / "baked-ob3-keyword.png").read_bytes()
    assert baked_credential(raw) == credential.strip()
    [candidate] = image_candidates("badge.png", raw)
    assert (candidate.origin, candidate.format, candidate.raw) == ("badge.png (baked)", "ldp_vc", credential.strip())


def test_an_ob2_signed_image_is_an_ob2_candidate(vectors: Path) -> None:
    raw = (vectors / "ob2" / "signed" / "baked-signed.svg").read_bytes()
    [candidate] = image_candidates("b.svg", raw)
    assert (candidate.origin, candidate.format) == ("b.svg (baked)", "ob2")


def test_an_image_with_no_badge_points_to_qr(vectors: Path) -> None:
    with pytest.raises(BadInputError) as caught:
        image_candidates("photo.png", (vectors / "ob2" / "png" / "unbaked.png").read_bytes())
    assert caught.value.message == "this is a PNG with no baked badge in it"
    assert "--qr" in (caught.value.hint or "")


def test_an_ob2_image_whose_json_is_no_assertion_is_refused(vectors: Path) -> None:
    with pytest.raises(BadInputError) as caught:
        image_candidates("m.svg", (vectors / "ob2" / "svg" / "minimal-cdata.svg").read_bytes())
    assert caught.value.code == "E_BAKED_NOT_ASSERTION"


# -- PNGs made here: bounds and damage -----------------------------------------------------------


def chunk(kind: bytes, data: bytes, crc: int | None = None) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) if crc is None else crc)


def itxt(text: bytes, keyword: bytes = b"openbadges", flag: int = 0, method: int = 0) -> bytes:
    return chunk(b"iTXt", keyword + b"\0" + bytes([flag, method]) + b"\0\0" + text)


def make_png(*chunks: bytes) -> bytes:
    ihdr = chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    idat = chunk(b"IDAT", zlib.compress(b"\0\0"))
    return png.SIGNATURE + ihdr + b"".join(chunks) + idat + chunk(b"IEND", b"")


ASSERTION = b'{"@context": "https://w3id.org/openbadges/v2", "type": "Assertion"}'


def test_a_png_made_here_yields_its_itxt_text() -> None:
    assert baked_credential(make_png(itxt(ASSERTION))) == ASSERTION
    compressed = extract(make_png(itxt(zlib.compress(ASSERTION), flag=1)))
    assert (compressed.text, compressed.compression_flag) == (ASSERTION, 1)


@pytest.mark.parametrize("raw, reason", [
    (make_png(chunk(b"iTXt", b"openbadges\0\0\0\0\0x", crc=1)), "CRC"),
    (make_png(itxt(ASSERTION))[:-12], "truncated"),
    (png.SIGNATURE + struct.pack(">I", 2**31 - 1) + b"IHDR" + b"\0" * 20, "runs past"),
    (make_png(*[chunk(b"tEXt", b"Comment\0x")] * png.MAX_CHUNKS), f"more than {png.MAX_CHUNKS} chunks"),
    (make_png(itxt(ASSERTION, method=1, flag=1)), "method 1"),
    (make_png(itxt(ASSERTION, flag=2)), "compression flag 2"),
    (make_png(itxt(b"not zlib", flag=1)), "does not inflate"),
    (make_png(chunk(b"iTXt", b"openbadges\0\0")), "cut short"),
])
def test_a_damaged_or_unbounded_png_is_refused(raw: bytes, reason: str) -> None:
    with pytest.raises(BadInputError) as caught:
        extract(raw)
    assert caught.value.code == "E_PNG" and reason in caught.value.message


def test_a_zlib_bomb_is_not_inflated_past_the_bound() -> None:
    bomb = zlib.compress(b"\0" * (png.MAX_TEXT_BYTES + 1), 9)
    assert len(bomb) < 20_000
    with pytest.raises(BadInputError) as caught:
        extract(make_png(itxt(bomb, flag=1)))
    assert caught.value.code == "E_BAKED_TOO_LARGE"


def test_a_text_over_the_bound_is_refused() -> None:
    with pytest.raises(BadInputError) as caught:
        extract(make_png(itxt(b" " * (png.MAX_TEXT_BYTES + 1))))
    assert caught.value.code == "E_BAKED_TOO_LARGE"


def test_two_badges_in_one_image_are_refused() -> None:
    with pytest.raises(BadInputError) as caught:
        extract(make_png(itxt(ASSERTION), itxt(ASSERTION, keyword=b"openbadgecredential")))
    assert caught.value.code == "E_BAKED_AMBIGUOUS"


def test_other_text_chunks_are_not_badges() -> None:
    with pytest.raises(BadInputError) as caught:
        extract(make_png(chunk(b"tEXt", b"Software\0skillpass"), itxt(ASSERTION, keyword=b"Comment")))
    assert caught.value.code == "E_NO_BAKED_BADGE"


# -- SVGs made here ------------------------------------------------------------------------------

OB3_NS = "https://purl.imsglobal.org/ob/v3p0"


def svg(body: str, namespace: str = OB3_NS) -> bytes:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="{namespace}">{body}'
            '<rect width="1" height="1"/></svg>').encode()


def test_an_ob3_svg_carries_its_credential_in_cdata_or_its_jwt_in_verify() -> None:
    credential = b'{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"]}'
    raw = svg(f"<openbadges:credential><![CDATA[ {credential.decode()} ]]></openbadges:credential>")
    baked = extract(raw)
    assert (baked.place, baked.namespace, baked.ob3) == ("openbadges:credential", OB3_NS, True)
    assert baked_credential(raw) == credential
    token = "eyJhbGciOiJFZERTQSJ9.eyJ9.c2ln"
    assert baked_credential(svg(f'<openbadges:credential verify="{token}"/>')) == token.encode()


@pytest.mark.parametrize("raw", [
    b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><svg>&b;</svg>',
    b'<!DOCTYPE svg SYSTEM "http://example.org/evil.dtd"><svg/>',
    b'<svg><!ENTITY x SYSTEM "file:///etc/passwd"></svg>',
    b'<svg><openbadges:assertion xmlns:openbadges="http://openbadges.org">&xxe;</openbadges:assertion></svg>',
    b"<svg>" + b"<g>" * 300 + b"</g>" * 300 + b"</svg>",
    b"<svg><g></svg>",
])
def test_an_svg_with_a_dtd_entities_deep_nesting_or_bad_xml_is_refused(raw: bytes) -> None:
    with pytest.raises(BadInputError) as caught:
        extract(raw)
    assert caught.value.code == "E_SVG"


def test_errors_are_skillpass_errors_for_any_prefix_of_an_image(vectors: Path) -> None:
    raw = (vectors / "ob2" / "signed" / "baked-signed.png").read_bytes()
    for end in range(0, len(raw), 97):
        try:
            extract(raw[:end])
        except SkillpassError:
            pass
