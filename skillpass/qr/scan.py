"""QR codes read from pictures: a screenshot, a scan, or a phone photo of a screen or a print-out.

Images come from outside, so reading one is bounded before it costs anything: only the common
raster formats (`_FORMATS`), at most `MAX_FILE_BYTES` read, at most `MAX_PIXELS` decoded
(checked from the header, before the pixels are), and Pillow's decompression-bomb guard left
on, its warning made an error. Every way an
image can fail has its own error naming the file: not readable, not an image, damaged, too big,
no QR code in it, or only QR codes that hold something else (a link, a Wi-Fi network).

Decoding is zxing-cpp, a maintained port of ZXing, asked in rising order of effort (see
`_attempts`) and stopped at the first answer: a clean PNG decodes on the first try, a blurred,
tilted, moiré-striped photo of a screen on a later one.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any

from skillpass.errors import BadInputError, SkillpassError
from skillpass.files import read_regular_file
from skillpass.formats import detect
from skillpass.qr.parts import is_part
from skillpass.render.text import visible

MAX_FILE_BYTES = 40 * 1024 * 1024  # a 48-Mpx phone JPEG is 15-25 MB
MAX_PIXELS = 16_000_000  # 4896 x 3264, a 16-Mpx phone photo; a QR code needs far less
MAX_IMAGES = 99  # qr/parts.MAX_PARTS
KINDS = ("vpqr", "sd-jwt", "jwt", "part", "mattr-compact")
_ROUTED = {"vpqr", "sd-jwt", "jwt", "mattr-compact"}  # detect's tags that are a kind as they are
# Raster formats a camera, a scanner or a screenshot tool writes. Not "whatever Pillow opens":
# EPS would run Ghostscript, and the rare plugins (FLI, PCD, SGI, ...) are attack surface only.
_FORMATS = ("PNG", "JPEG", "GIF", "BMP", "TIFF", "WEBP", "AVIF", "PPM")
_LOOK_FOR = "scan the QR code of the credential or presentation itself (its text starts VP1-)"


@dataclass(frozen=True)
class Scanned:
    """One QR code found in an image: what its text is (one of KINDS) and the text."""

    path: str
    kind: str
    text: str


def read_images(paths: Iterable[str | PathLike[str]]) -> list[Scanned]:
    """Every recognised QR code in every image, in the order given (several codes in one image:
    in the order zxing-cpp finds them). An image whose codes are all foreign is refused; a
    foreign code beside a recognised one (a poster's link beside a credential) is skipped."""
    found: list[Scanned] = []
    paths = list(paths)
    if len(paths) > MAX_IMAGES:
        raise BadInputError(f"{len(paths)} images were given; a QR code sequence has at most {MAX_IMAGES} parts",
                            "give the images of one code or one sequence", code="E_QR_TOO_MANY_IMAGES")
    for path in paths:
        name = visible(str(path))
        texts = _decode(_open(Path(path), name))
        if not texts:
            raise BadInputError(f"{name}: no QR code found in the image",
                                "photograph the code straight on, filling most of the picture, "
                                "in focus and without glare", code="E_QR_NONE")
        known = [(kind, text) for kind, text in map(_classified, texts) if kind is not None]
        if not known:
            raise _foreign(name, texts[0])
        found.extend(Scanned(str(path), kind, text) for kind, text in known)
    return found


def classify(text: str) -> str | None:
    """The kind of a QR code's text (one of KINDS), or None for a foreign one."""
    return _classified(text)[0]


def _classified(text: str) -> tuple[str | None, str]:
    # A part keeps its text exactly (a chunk may end in a space); the others lose the stray
    # newline some generators add, as import would strip it from a file.
    if is_part(text):
        return "part", text
    stripped = text.strip()
    tag = detect.detect(stripped.encode("utf-8"))
    return (tag if tag in _ROUTED else None), stripped


def _open(path: Path, name: str) -> Any:
    """The image at `path` in 8-bit grey, transparency flattened onto white."""
    from PIL import Image, UnidentifiedImageError

    data = read_regular_file(path, MAX_FILE_BYTES + 1)  # FileError when it cannot be read
    if len(data) > MAX_FILE_BYTES:
        raise _too_big(name, f"more than {MAX_FILE_BYTES // 2**20} MB")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=_formats())
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise _too_big(name, f"{width} x {height} pixels")
            return _grey(image)
        except SkillpassError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_big(name, "a decompression bomb") from None
        except UnidentifiedImageError:
            raise BadInputError(f"{name} is not an image skillpass can read (PNG, JPEG, GIF, BMP, "
                                "TIFF, WebP)",
                                "give a PNG or JPEG picture of the QR code (a phone's HEIC photo: "
                                "export or share it as JPEG)", code="E_QR_NOT_IMAGE") from None
        except Exception:  # noqa: BLE001 - each image plugin fails on bad data its own way
            raise BadInputError(f"{name} is a damaged or truncated image",
                                "copy or download the picture again", code="E_QR_BAD_IMAGE") from None


def _formats() -> tuple[str, ...]:
    from PIL import Image

    Image.init()  # registers every plugin; naming one this Pillow lacks (AVIF) is a KeyError
    return tuple(f for f in _FORMATS if f in Image.OPEN)


def _grey(image: Any) -> Any:
    from PIL import Image

    image.draft("L", image.size)  # JPEG: decode straight to grey, at full size
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        # A QR drawn on a transparent background: its light modules are transparent black,
        # which a plain conversion to grey would turn dark.
        rgba = image.convert("RGBA")
        image = Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba)
    return image.convert("L")


def _too_big(name: str, what: str) -> BadInputError:
    return BadInputError(f"{name} is too big to read as a QR image ({what}; at most "
                         f"{MAX_FILE_BYTES // 2**20} MB and {MAX_PIXELS // 10**6} megapixels)",
                         "crop the picture to the QR code or save it smaller",
                         code="E_QR_IMAGE_TOO_BIG")


def _decode(image: Any) -> list[str]:
    """The texts of the QR codes zxing-cpp finds, from the first attempt that finds any."""
    import zxingcpp

    for variant, binarizer in _attempts(image):
        barcodes = zxingcpp.read_barcodes(
            variant, formats=zxingcpp.BarcodeFormat.QRCode, try_rotate=True, try_downscale=True,
            try_invert=True, binarizer=binarizer, text_mode=zxingcpp.TextMode.Plain)
        texts = [b.text for b in barcodes if b.valid]
        if texts:
            return list(dict.fromkeys(texts))
    return []


def _attempts(image: Any) -> Iterator[tuple[Any, Any]]:
    """Image variants and binarizers, cheapest and likeliest first, each made only if needed."""
    from PIL import ImageFilter, ImageOps
    from zxingcpp import Binarizer

    # 1. As is: local thresholds cope with uneven light across a photo.
    yield image, Binarizer.LocalAverage
    # 2. One global threshold: better where LocalAverage cuts large dark modules into holes.
    yield image, Binarizer.GlobalHistogram
    # 3. Contrast stretched: a washed-out photo of a dim screen.
    stretched = ImageOps.autocontrast(image, cutoff=2)
    yield stretched, Binarizer.FixedThreshold
    # 4. Blurred: a photo of a screen carries moiré and sub-pixel stripes finer than a module.
    yield stretched.filter(ImageFilter.GaussianBlur(2)), Binarizer.LocalAverage
    # 5. Resized: halved by averaging (a big photo's noise and moiré), doubled (modules of two
    #    or three pixels, blurred together); doubled only while that stays cheap.
    width, height = image.size
    if max(width, height) > 2000:
        yield image.reduce(2), Binarizer.LocalAverage
    if width * height <= 4_000_000:
        yield image.resize((width * 2, height * 2)), Binarizer.LocalAverage


# What a foreign QR code most likely is, by how its text starts (lower-cased). What it holds (a
# contact, a Wi-Fi password, a link) is never repeated back.
_FOREIGN = (("wifi:", "a Wi-Fi network's name and password"), ("begin:vcard", "a contact card (vCard)"),
            ("mecard:", "a contact card"), ("begin:vcalendar", "a calendar event"),
            ("begin:vevent", "a calendar event"), ("mailto:", "an e-mail address"), ("tel:", "a phone number"),
            ("smsto:", "a text message"), ("sms:", "a text message"), ("geo:", "a map location"))


def _foreign(name: str, text: str) -> BadInputError:
    """The refusal of a QR code that holds no credential, saying what it holds instead."""
    head = text.strip()[:16].lower()
    what, hint = "text that is not a credential", _LOOK_FOR
    for prefix, description in _FOREIGN:
        if head.startswith(prefix):
            what = description
            break
    else:
        tag = detect.detect(text.strip().encode("utf-8"))
        if tag in detect.FORMATS:
            what = detect.FORMATS[tag].description
            if tag != "url":
                hint = detect.FORMATS[tag].hint
    tail = "" if what == "text that is not a credential" else ", not a credential"
    return BadInputError(f"{name}: the QR code holds {what}{tail}", hint, code="E_QR_FOREIGN")
