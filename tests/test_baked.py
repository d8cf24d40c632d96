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
from skillpass.formats.baked import svg as svg_module
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
    (make_png(itxt(b"not zlib", flag=1)), "does not decompress"),
    (make_png(itxt(zlib.compress(ASSERTION) + b"tail", flag=1)), "has data after its compressed stream"),
    (make_png(itxt(zlib.compress(ASSERTION)[:-6], flag=1)), "is cut short"),
    (make_png(itxt("Collège".encode("latin-1"))), "not UTF-8"),
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


# -- hostile images: bounded before they cost anything ------------------------------------------


def _peak_bytes(action: Any) -> tuple[int, BaseException | None]:
    """The most memory Python allocated while `action()` ran, and what it raised."""
    import tracemalloc

    tracemalloc.start()
    try:
        action()
        raised = None
    except BaseException as exc:  # noqa: BLE001 - handed back to the test
        raised = exc
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak, raised


BOMB = zlib.compress(b"\0" * png.MAX_TEXT_BYTES, 9)  # 8 MiB of zeros in about 8 KiB


def test_a_second_badge_chunk_is_refused_before_anything_is_inflated() -> None:
    raw = make_png(*[itxt(BOMB, flag=1)] * 100)  # the review's image: under a MiB, 800 MiB inflated
    assert len(raw) < 1024 * 1024
    peak, raised = _peak_bytes(lambda: extract(raw))
    assert isinstance(raised, BadInputError) and raised.code == "E_BAKED_AMBIGUOUS"
    assert peak < png.MAX_TEXT_BYTES // 4  # not one of the chunks was inflated


def test_compressed_chunks_under_other_keywords_are_never_inflated() -> None:
    raw = make_png(*[itxt(BOMB, keyword=b"Comment", flag=1)] * 100, itxt(ASSERTION))
    peak, raised = _peak_bytes(lambda: extract(raw))
    assert raised is None and peak < png.MAX_TEXT_BYTES // 4
    assert baked_credential(raw) == ASSERTION


def test_the_one_compressed_badge_is_inflated_once_within_the_bound() -> None:
    raw = make_png(itxt(zlib.compress(b" " * (png.MAX_TEXT_BYTES - len(ASSERTION)) + ASSERTION), flag=1))
    peak, raised = _peak_bytes(lambda: extract(raw))
    assert raised is None and peak < 3 * png.MAX_TEXT_BYTES


def test_a_png_baked_into_a_png_is_not_read_however_deep_it_nests() -> None:
    raw = make_png(itxt(ASSERTION))
    for _ in range(2000):  # the review's 2000 levels (about 92 KiB) ended in RecursionError
        raw = make_png(itxt(raw))
    for read in (baked_credential, lambda r: image_candidates("nested.png", r)):
        with pytest.raises(BadInputError) as caught:
            read(raw)
        # PNG §11.3.4.5: an iTXt text is UTF-8, which no PNG is
        assert caught.value.code == "E_PNG" and "not UTF-8" in caught.value.message


@pytest.mark.parametrize("raw, inner", [
    (make_png(itxt(svg("<rect/>"))), "an SVG"),
    (svg(f"<openbadges:credential><![CDATA[{svg('').decode()}]]></openbadges:credential>"), "an SVG"),
    (svg(f"<openbadges:assertion><![CDATA[{svg('').decode()}]]></openbadges:assertion>",
         namespace="http://openbadges.org"), "an SVG"),
])
def test_an_image_baked_into_an_image_is_refused(raw: bytes, inner: str) -> None:
    for read in (baked_credential, lambda r: image_candidates("nested", r)):
        with pytest.raises(BadInputError) as caught:
            read(raw)
        assert caught.value.code == "E_BAKED_NESTED" and caught.value.exit_status == 8
        assert f"itself {inner} image" in caught.value.message


def test_verify_refuses_an_image_baked_into_an_image(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "nested.png"
    path.write_bytes(make_png(itxt(svg("<rect/>"))))
    result = cli("verify", str(path), "--json")
    assert result.returncode == 8 and "itself an SVG image" in result.stderr


def test_a_deeply_nested_svg_is_refused_before_it_is_parsed_whole() -> None:
    raw = b'<svg xmlns="http://www.w3.org/2000/svg">' + b"<g>" * 1_000_000 + b"</g>" * 1_000_000 + b"</svg>"
    peak, raised = _peak_bytes(lambda: extract(raw))
    assert isinstance(raised, BadInputError) and raised.code == "E_SVG"
    assert f"nests deeper than {svg_module.MAX_DEPTH} levels" in raised.message
    assert peak < len(raw) + 4 * 1024 * 1024  # the text once, and one chunk of tree (whole: 100s of MiB)


def test_a_wide_svg_is_refused_at_its_element_bound() -> None:
    raw = b'<svg xmlns="http://www.w3.org/2000/svg">' + b"<g/>" * (svg_module.MAX_ELEMENTS + 1) + b"</svg>"
    with pytest.raises(BadInputError) as caught:
        extract(raw)
    assert caught.value.code == "E_SVG" and f"more than {svg_module.MAX_ELEMENTS:,} elements" in caught.value.message


def test_an_svg_is_read_as_utf8_only_whatever_it_declares() -> None:
    declared = b'<?xml version="1.0" encoding="UTF-16"?>'
    utf16 = '<!DOCTYPE svg [<!ENTITY a "a">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>'.encode("utf-16")
    with pytest.raises(BadInputError) as caught:
        svg_module.badge_elements(utf16)  # its DOCTYPE never reaches the parser
    assert caught.value.code == "E_SVG" and "not UTF-8" in caught.value.message
    with pytest.raises(BadInputError) as caught:
        svg_module.badge_elements(declared + '<!DOCTYPE svg><svg/>'.encode("utf-16-le"))
    assert caught.value.code == "E_SVG"
    # a declaration that names another encoding does not change what is read: UTF-8, as checked
    latin = b'<?xml version="1.0" encoding="ISO-8859-1"?>' + svg(
        "<openbadges:assertion>Coll\u00e8ge</openbadges:assertion>", namespace="http://openbadges.org")
    assert extract(latin).text == "Coll\u00e8ge".encode()


def test_two_badge_elements_in_one_svg_are_refused() -> None:
    body = "<openbadges:credential>{}</openbadges:credential>"
    with pytest.raises(BadInputError) as caught:
        extract(svg(body + body))
    assert caught.value.code == "E_BAKED_AMBIGUOUS"


# -- skillpass.encoding.inflate: the one bounded decompressor ------------------------------------


def test_inflate_reads_zlib_gzip_and_raw_deflate_up_to_its_limit() -> None:
    import gzip

    from skillpass.encoding.inflate import inflate

    data = b"status " * 1000
    raw_deflate = zlib.compressobj(wbits=-15)
    deflated = raw_deflate.compress(data) + raw_deflate.flush()
    for compressed, wbits in ((zlib.compress(data), 15), (gzip.compress(data), 47), (zlib.compress(data), 47),
                              (gzip.compress(data), 31), (deflated, -15)):
        assert inflate(compressed, wbits=wbits, limit=len(data), what="status list") == data


@pytest.mark.parametrize("compressed, wbits, limit, code, message", [
    (zlib.compress(bytes(64 * 1024 * 1024), 9), 15, 1024 * 1024, "E_TOO_LARGE",
     "the status list decompresses to more than 1 MiB"),
    (BOMB, 15, png.MAX_TEXT_BYTES - 1, "E_TOO_LARGE", "the status list decompresses to more than 8,388,607 bytes"),
    (zlib.compress(b"x" * 1025), 15, 1024, "E_TOO_LARGE", "the status list decompresses to more than 1 KiB"),
    (zlib.compress(b"x") + b"\0", 15, 10, "E_COMPRESSED", "cannot read the status list: it has data after its compressed stream"),
    (zlib.compress(b"x") * 2, 15, 10, "E_COMPRESSED", "cannot read the status list: it has data after its compressed stream"),
    (zlib.compress(b"x" * 100)[:-5], 15, 1000, "E_COMPRESSED", "cannot read the status list: it is cut short"),
    (b"not compressed", 47, 1000, "E_COMPRESSED", "cannot read the status list: it does not decompress (damaged, or not compressed)"),
])
def test_inflate_refuses_a_bomb_trailing_data_and_damage(compressed: bytes, wbits: int, limit: int, code: str,
                                                         message: str) -> None:
    from skillpass.encoding.inflate import inflate

    peak, raised = _peak_bytes(lambda: inflate(compressed, wbits=wbits, limit=limit, what="status list"))
    assert isinstance(raised, BadInputError) and (raised.code, raised.message) == (code, message)
    assert peak < 2 * limit + 1024 * 1024  # never inflated past the limit (zlib's blocks, then their join)
