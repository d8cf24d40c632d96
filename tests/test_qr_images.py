"""QR images: a payload drawn as a code (terminal, PNG, SVG) reads back from the picture, a photo
of it included; a payload too big for one code is split into parts that join in any order;
an image that is not a credential's QR code is refused with its own error, quickly."""

from __future__ import annotations

import base64
import io
import random
import re
import struct
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image, ImageFilter

from skillpass.errors import BadInputError, ExitStatus, FileError
from skillpass.qr import code, parts, scan
from skillpass.qr.code import QrCode, TooBig

ALPHANUMERIC = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


def vpqr_text(length: int, seed: int = 1) -> str:
    noise = random.Random(seed).randbytes(length)
    return ("VP1-B" + base64.b32encode(noise).decode().rstrip("="))[:length]


def sd_jwt_text(length: int, seed: int = 2) -> str:
    rng = random.Random(seed)

    def b64(n: int) -> str:
        return base64.urlsafe_b64encode(rng.randbytes(n)).decode().rstrip("=")

    text = "eyJhbGciOiJFUzI1NiIsInR5cCI6ImRjK3NkLWp3dCJ9." + b64(300) + "." + b64(64)
    while len(text) < length:
        text += "~" + b64(40)
    return text[:length - 1] + "~"


def png_file(path: Path, text: str, scale: int = 6) -> Path:
    path.write_bytes(code.png(code.make(text), scale=scale))
    return path


def framed(symbol: QrCode) -> list[list[bool]]:
    side = symbol.size + 8
    rows = [[False] * side for _ in range(4)]
    rows += [[False] * 4 + list(row) + [False] * 4 for row in symbol.modules]
    return rows + [[False] * side for _ in range(4)]


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_header_only(width: int, height: int) -> bytes:
    """A grey PNG claiming `width` x `height`, with a few bytes of pixel data."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", zlib.compress(b"\0" * 64))
            + png_chunk(b"IEND", b""))


def photo_of(png: bytes, scale: float = 0.7, blur: float = 1) -> bytes:
    """A phone-photo-like JPEG: scaled (70%), rotated 4 degrees on light grey, blurred (radius 1),
    quality 60."""
    image = Image.open(io.BytesIO(png)).convert("L")
    image = image.resize((int(image.width * scale),) * 2, Image.Resampling.BILINEAR)
    image = image.rotate(4, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=200)
    canvas = Image.new("L", (image.width + 240, image.height + 160), 200)
    canvas.paste(image, (150, 70))
    out = io.BytesIO()
    canvas.filter(ImageFilter.GaussianBlur(blur)).save(out, "JPEG", quality=60)
    return out.getvalue()


@pytest.fixture(scope="module")
def vpqr() -> str:
    return vpqr_text(600)


@pytest.fixture(scope="module")
def sd_jwt() -> str:
    return sd_jwt_text(900)


@pytest.fixture(scope="module")
def images(tmp_path_factory: pytest.TempPathFactory, vpqr: str, sd_jwt: str) -> Path:
    """Every picture the tests read, drawn once."""
    folder = tmp_path_factory.mktemp("qr-images")
    png_file(folder / "vpqr.png", vpqr)
    png_file(folder / "sd-jwt.png", sd_jwt)
    (folder / "photo.jpg").write_bytes(photo_of(code.png(code.make(vpqr), scale=8)))
    (folder / "tiny.jpg").write_bytes(photo_of(code.png(code.make(vpqr), scale=8), 0.4, 1.5))
    png_file(folder / "url.png", "https://example.com/jobs?id=42")
    png_file(folder / "wifi.png", "WIFI:S:x;T:WPA;P:y;;")
    png_file(folder / "offer.png", "openid-credential-offer://?credential_offer_uri=https%3A%2F%2Fx")
    png_file(folder / "control.png", "hello \x1b]0;pwned\x07\x1b[2J world")
    beside = Image.new("L", (900, 500), 255)
    beside.paste(Image.open(io.BytesIO(code.png(code.make("https://example.com"), 6))), (0, 0))
    beside.paste(Image.open(io.BytesIO(code.png(code.make(vpqr), 4))), (400, 0))
    beside.save(folder / "beside.png")
    Image.new("L", (400, 300), 255).save(folder / "blank.png")
    (folder / "notes.txt").write_text("not a picture\n")
    (folder / "page.eps").write_text("%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n")
    whole = (folder / "vpqr.png").read_bytes()
    (folder / "truncated.png").write_bytes(whole[: len(whole) // 2])
    (folder / "bomb.png").write_bytes(png_header_only(60_000, 60_000))
    (folder / "big.png").write_bytes(png_header_only(8_000, 8_000))
    return folder


# --- make: version, error correction, mode, capacity ---

def test_a_600_character_vpqr_is_alphanumeric_version_15_at_m(vpqr: str, images: Path) -> None:
    symbol = code.make(vpqr)

    # ISO/IEC 18004 Table 7: version 15-M holds 600 alphanumeric characters but only 412
    # bytes, so this symbol can only be alphanumeric; zxing-cpp reads the same version back.
    assert (symbol.version, symbol.error_correction, symbol.mode) == (15, "M", "alphanumeric")
    assert symbol.payload_size == 600 and symbol.size == 17 + 4 * 15
    found = zxingcpp.read_barcodes(Image.open(images / "vpqr.png"))
    assert found[0].extra["Version"] == "15" and found[0].extra["ECLevel"] == "M"


def test_an_sd_jwt_is_byte_mode(sd_jwt: str) -> None:
    symbol = code.make(sd_jwt)

    assert (symbol.error_correction, symbol.mode, symbol.payload_size) == ("M", "byte", 900)
    assert symbol.version == 24  # ISO/IEC 18004 Table 7: 23-M holds 857 bytes, 24-M 911


def test_m_gives_way_to_l_only_when_m_cannot_hold_the_payload() -> None:
    at_m, at_l = code.make("A" * 3391), code.make("A" * 3392)  # 40-M holds 3391 alphanumeric

    assert (at_m.version, at_m.error_correction) == (40, "M")
    assert (at_l.version, at_l.error_correction) == (36, "L")  # the smallest version at L


@pytest.mark.parametrize(("text", "capacity"), [("A", 4296), ("1", 7089), ("a", 2953)])
def test_capacity_is_version_40_l_for_the_mode_and_one_more_is_too_big(text: str, capacity: int) -> None:
    assert code.capacity(text) == capacity and code.make(text * capacity).version == 40

    with pytest.raises(TooBig) as too_big:
        code.make(text * (capacity + 100))

    error = too_big.value
    assert error.code == "E_QR_TOO_BIG" and error.exit_status == ExitStatus.BAD_INPUT
    assert (error.size, error.capacity) == (capacity + 100, capacity)
    assert f"{capacity + 100}" in error.message and f"{capacity}" in error.message
    assert "100 too many" in error.message and "--qr-parts" in str(error.hint)


def test_an_empty_payload_is_refused() -> None:
    with pytest.raises(BadInputError) as empty:
        code.make("")
    assert empty.value.code == "E_QR_EMPTY"


# --- drawings ---

def test_vpqr_and_sd_jwt_read_back_from_their_png(images: Path, vpqr: str, sd_jwt: str) -> None:
    found = scan.read_images([images / "vpqr.png", str(images / "sd-jwt.png")])

    assert [(s.kind, s.text) for s in found] == [("vpqr", vpqr), ("sd-jwt", sd_jwt)]
    assert found[0].path == str(images / "vpqr.png")


def test_the_png_has_a_four_module_quiet_zone_and_the_scale_asked(vpqr: str) -> None:
    symbol = code.make(vpqr)
    image = Image.open(io.BytesIO(code.png(symbol, scale=3))).convert("L")

    assert image.size == ((symbol.size + 8) * 3,) * 2
    expected = [255 if not dark else 0 for row in framed(symbol) for dark in row]
    assert image.resize(((symbol.size + 8),) * 2, Image.Resampling.NEAREST).tobytes() == bytes(expected)
    with pytest.raises(BadInputError):
        code.png(symbol, scale=0)


def rasterise(document: str) -> Image.Image:
    """Draws the SVG subset `svg` writes (a white square, `M x y h w v1 h-w z` runs) to pixels:
    no SVG renderer is installed here, and Pillow reads no SVG."""
    root = ET.fromstring(document)
    ns = "{http://www.w3.org/2000/svg}"
    side = int(root.get("viewBox", "").split()[2])
    (rect,) = root.iter(f"{ns}rect")
    assert (rect.get("width"), rect.get("height"), rect.get("fill")) == (str(side), str(side), "#ffffff")
    image = Image.new("L", (side, side), 255)
    (path,) = root.iter(f"{ns}path")
    runs = path.get("d", "")
    assert re.fullmatch(r"(M\d+ \d+h(\d+)v1h-\2z)+", runs)
    for x, y, width in re.findall(r"M(\d+) (\d+)h(\d+)", runs):
        for dx in range(int(width)):
            image.putpixel((int(x) + dx, int(y)), 0)
    return image


def test_the_svg_is_well_formed_self_contained_and_draws_the_code(vpqr: str, tmp_path: Path) -> None:
    symbol = code.make(vpqr)
    document = code.svg(symbol)
    root = ET.fromstring(document)

    assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("shape-rendering") == "crispEdges"
    assert root.get("viewBox") == f"0 0 {symbol.size + 8} {symbol.size + 8}"
    assert "href" not in document and "<image" not in document and "<script" not in document
    drawn = rasterise(document)
    assert drawn.tobytes() == bytes(0 if dark else 255 for row in framed(symbol) for dark in row)
    drawn.resize((drawn.width * 6,) * 2, Image.Resampling.NEAREST).save(tmp_path / "svg.png")
    assert [s.text for s in scan.read_images([tmp_path / "svg.png"])] == [vpqr]


def modules_from_terminal(drawing: str, dark_background: bool | None) -> list[list[bool]]:
    """The module matrix (True = dark) a terminal drawing shows, quiet zone included."""
    ink_is_dark = dark_background is not True
    rows: list[list[bool]] = []
    for line in ESCAPE.sub("", drawing).splitlines():
        assert set(line) <= set(" \u2580\u2584\u2588")
        rows.append([(glyph in "\u2580\u2588") == ink_is_dark for glyph in line])
        rows.append([(glyph in "\u2584\u2588") == ink_is_dark for glyph in line])
    return rows


@pytest.mark.parametrize("dark_background", [None, False, True])
def test_the_terminal_drawing_shows_exactly_the_modules(vpqr: str, dark_background: bool | None) -> None:
    symbol = code.make(vpqr)
    drawing = code.terminal(symbol, dark_background=dark_background)

    shown = modules_from_terminal(drawing, dark_background)
    side = symbol.size + 8
    assert len(shown) == side + 1 and all(len(row) == side for row in shown)
    assert shown[:side] == framed(symbol) and not any(shown[side])  # odd side: half a row more quiet
    lines = drawing.splitlines()
    assert drawing.endswith("\n") and len(lines) == (side + 1) // 2
    if dark_background is None:
        assert all(line.startswith("\x1b[30;107m") and line.endswith("\x1b[0m") for line in lines)
    else:
        assert "\x1b" not in drawing


def test_the_terminal_background_is_read_from_colorfgbg() -> None:
    assert code.dark_background_from_env({"COLORFGBG": "15;0"}) is True
    assert code.dark_background_from_env({"COLORFGBG": "0;default;15"}) is False
    assert code.dark_background_from_env({"COLORFGBG": "default"}) is None
    assert code.dark_background_from_env({}) is None


# --- reading pictures ---

def test_a_phone_photo_of_the_code_still_decodes(images: Path, vpqr: str) -> None:
    assert [(s.kind, s.text) for s in scan.read_images([images / "photo.jpg"])] == [("vpqr", vpqr)]


def test_a_tiny_blurred_photo_decodes_when_tried_harder(images: Path, vpqr: str) -> None:
    tiny = Image.open(images / "tiny.jpg")

    assert zxingcpp.read_barcodes(tiny) == []  # 3.2 pixels a module, blurred: not at first
    assert [s.text for s in scan.read_images([images / "tiny.jpg"])] == [vpqr]


def test_a_transparent_background_is_read_as_white(tmp_path: Path, vpqr: str) -> None:
    grey = Image.open(io.BytesIO(code.png(code.make(vpqr), 5))).convert("L")
    clear = Image.new("RGBA", grey.size, (0, 0, 0, 0))
    clear.putalpha(grey.point(lambda v: 255 - v))  # black modules, transparent (black) elsewhere
    clear.save(tmp_path / "clear.png")

    assert [s.text for s in scan.read_images([tmp_path / "clear.png"])] == [vpqr]


def test_a_foreign_code_beside_a_credential_is_skipped(images: Path, vpqr: str) -> None:
    assert [(s.kind, s.text) for s in scan.read_images([images / "beside.png"])] == [("vpqr", vpqr)]


@pytest.mark.parametrize(("text", "kind"), [
    ("VP1-B3ECQ", "vpqr"), ("CSC:/1/ABCDEF", "mattr-compact"), ("CSS:/1/ABCDEF", "mattr-compact"),
    ("eyJhbGciOiJFUzI1NiJ9.eyJ4IjoxfQ.c2ln~WyJhIiwiYiJd~\n", "sd-jwt"),
    ("SKP1:ABCDEFGH:1/2:VP1-B3", "part"), ("eyJhbGciOiJFUzI1NiJ9.eyJ4IjoxfQ.c2ln", "jwt"),
    ("https://example.com", None), ("WIFI:S:x;T:WPA;P:y;;", None), ("hello", None)])
def test_what_a_code_holds_is_classified(text: str, kind: str | None) -> None:
    assert scan.classify(text) == kind


@pytest.mark.parametrize(("name", "holds", "hidden"), [
    ("url.png", "a web address", None), ("wifi.png", "Wi-Fi network", "P:y"),
    ("offer.png", "OpenID4VCI credential offer", None), ("control.png", "not a credential", "\x1b")])
def test_a_foreign_code_is_refused_saying_what_it_holds(images: Path, name: str, holds: str,
                                                         hidden: str | None) -> None:
    with pytest.raises(BadInputError) as foreign:
        scan.read_images([images / name])

    error = foreign.value
    assert error.code == "E_QR_FOREIGN" and name in error.message and holds in error.message
    assert error.hint and "\n" not in error.message
    if hidden is not None:
        assert hidden not in error.message + error.hint
    assert "pwned" not in error.message and "example.com" not in error.message  # never repeated back


@pytest.mark.parametrize(("name", "expected"), [
    ("notes.txt", "E_QR_NOT_IMAGE"), ("page.eps", "E_QR_NOT_IMAGE"), ("truncated.png", "E_QR_BAD_IMAGE"), ("blank.png", "E_QR_NONE"),
    ("bomb.png", "E_QR_IMAGE_TOO_BIG"), ("big.png", "E_QR_IMAGE_TOO_BIG")])
def test_a_picture_that_is_no_credential_code_is_refused_quickly(images: Path, name: str,
                                                                 expected: str) -> None:
    with pytest.raises(BadInputError) as refused:
        scan.read_images([images / "vpqr.png", images / name])

    assert refused.value.code == expected and name in refused.value.message and refused.value.hint


def test_the_file_size_bound_is_checked_before_decoding(images: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scan, "MAX_FILE_BYTES", 1000)

    with pytest.raises(BadInputError) as refused:
        scan.read_images([images / "vpqr.png"])
    assert refused.value.code == "E_QR_IMAGE_TOO_BIG"


def test_a_missing_file_is_a_file_error(tmp_path: Path) -> None:
    with pytest.raises(FileError):
        scan.read_images([tmp_path / "absent.png"])


# --- parts ---

def test_parts_join_in_any_order(vpqr: str) -> None:
    text = vpqr * 3
    pieces = parts.split(text, 500)
    shuffled = pieces[:]
    random.Random(3).shuffle(shuffled)

    assert len(pieces) == 4 and all(len(p) <= 500 and parts.is_part(p) for p in pieces)
    assert all(set(p) <= ALPHANUMERIC for p in pieces)  # a VPQR's parts stay alphanumeric
    assert pieces[1].startswith(f"SKP1:{parts.digest(text)}:2/4:")
    assert parts.join(shuffled) == text
    assert parts.join(shuffled + [pieces[2]]) == text  # the same part scanned twice


def test_ten_parts_or_more_still_fit_their_size() -> None:
    text = vpqr_text(1000)
    pieces = parts.split(text, 118)  # 100 a part with a one-digit count: 10, so two digits

    assert len(pieces) == 11 and max(map(len, pieces)) <= 118
    assert parts.join(pieces[::-1]) == text and parts.split(text, 10_000) == [
        f"SKP1:{parts.digest(text)}:1/1:{text}"]


def test_no_part_of_a_base45_payload_ends_with_a_space() -> None:
    """Base45 (a CBOR-LD 1.0 code) has spaces, and a part kept as a line of text is read stripped
    (qr/payload.decoded): a chunk never ends with one, so the lines join back."""
    rng = random.Random(4)
    text = "VP1-R" + "".join(rng.choice("ABC $%*+-./: ") for _ in range(3000)) + "Z"
    for room in (60, 100, 499):
        pieces = parts.split(text, room)
        assert not any(p.endswith(" ") for p in pieces) and max(map(len, pieces)) <= room
        assert parts.join([p.strip() for p in reversed(pieces)]) == text


def test_a_payload_too_big_for_99_parts_is_refused() -> None:
    with pytest.raises(BadInputError) as refused:
        parts.split("A" * 10_000, 100)
    assert refused.value.code == "E_QR_PARTS_SIZE"


def refusal(texts: list[str]) -> BadInputError:
    with pytest.raises(BadInputError) as refused:
        parts.join(texts)
    assert refused.value.hint
    return refused.value


def test_joining_refuses_a_mix_a_gap_a_conflict_and_a_corrupt_whole(vpqr: str) -> None:
    pieces = parts.split(vpqr, 250)
    other = parts.split(vpqr_text(600, seed=9), 250)
    head, _, tail = pieces[1].rpartition(":")
    changed = f"{head}:{'A' if tail[0] != 'A' else 'B'}{tail[1:]}"

    assert refusal([pieces[0], other[1], pieces[2]]).code == "E_QR_PARTS_MIXED"
    missing = refusal([pieces[0], pieces[2]])
    assert missing.code == "E_QR_PARTS_MISSING" and "missing part 2 of 3" in missing.message
    assert refusal(pieces + [changed]).code == "E_QR_PARTS_CONFLICT"
    assert refusal([pieces[0], changed, pieces[2]]).code == "E_QR_PARTS_CORRUPT"
    assert refusal([]).code == "E_QR_PARTS_MISSING"
    not_part = refusal(pieces + ["hello\x1b[2J"])
    assert not_part.code == "E_QR_PART_BAD" and "\x1b" not in not_part.message


@pytest.mark.parametrize("text", ["SKP1:ABCDEFGH:3/2:x", "SKP1:ABCDEFGH:01/2:x", "SKP1:abcdefgh:1/2:x",
                                  "SKP1:ABCDEFGH:1/100:x", "SKP1:ABCDEFGH:1/2", "VP1-B3"])
def test_not_a_part(text: str) -> None:
    assert not parts.is_part(text)


def test_parts_read_from_pictures_join_back(tmp_path: Path) -> None:
    text = vpqr_text(5000)
    pieces = parts.split(text, 1800)
    codes = [Image.open(io.BytesIO(code.png(code.make(p), 4))) for p in pieces]
    pair = Image.new("L", (codes[0].width + codes[1].width, codes[0].height), 255)
    pair.paste(codes[0], (0, 0))
    pair.paste(codes[1], (codes[0].width, 0))
    pair.save(tmp_path / "parts-1-2.png")
    codes[2].save(tmp_path / "part-3.png")

    found = scan.read_images([tmp_path / "part-3.png", tmp_path / "parts-1-2.png"])

    assert len(pieces) == 3 and code.make(pieces[0]).mode == "alphanumeric"
    assert [s.kind for s in found] == ["part"] * 3
    assert parts.join([s.text for s in found]) == text
