"""One QR code for one text payload, drawn for a terminal, as PNG or as SVG.

The symbol is the smallest version at error correction M (15% of the codewords may be lost:
enough for a phone photographing a screen or a crumpled print-out), and only when M cannot
hold the payload, at L (7%) — a code that exists beats a sturdier one that does not.

The payload is one segment in one mode, chosen here for the whole text and handed to the
library as one `QRData`, rather than left to the optimiser of `add_data`, which decides segment
by segment. A VPQR string (`VP1-B` + upper-case base32) is all QR alphanumeric characters,
5.5 bits a character instead of 8: 600 characters need version 15 at M instead of 19 in byte
mode. An SD-JWT (base64url, lower case) is byte mode.

Every drawing has the 4-module quiet zone of ISO/IEC 18004 §9.1, and light modules are drawn
light, dark dark, whatever the medium: scanners look for dark finder patterns on light.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

import qrcode
from qrcode import constants, util

from skillpass.errors import BadInputError

QUIET_ZONE = 4
_LEVELS = {"L": constants.ERROR_CORRECT_L, "M": constants.ERROR_CORRECT_M}
_MODES = {util.MODE_NUMBER: "numeric", util.MODE_ALPHA_NUM: "alphanumeric",
          util.MODE_8BIT_BYTE: "byte"}
# ISO/IEC 18004 Table 7, version 40-L: the most one QR code holds, in characters (bytes).
_CAPACITY_40L = {"numeric": 7089, "alphanumeric": 4296, "byte": 2953}
_SCALE = range(1, 65)


@dataclass(frozen=True)
class QrCode:
    """A QR symbol: `modules[row][column]` is True for a dark module (quiet zone not included)."""

    version: int  # 1..40, the symbol is 17 + 4 * version modules a side
    error_correction: str  # "M", or "L" when M could not hold the payload
    mode: str  # "numeric", "alphanumeric" or "byte" (UTF-8)
    payload_size: int  # characters in numeric/alphanumeric mode, bytes in byte mode
    modules: tuple[tuple[bool, ...], ...] = field(repr=False)

    @property
    def size(self) -> int:
        return len(self.modules)


class TooBig(BadInputError):
    """The payload does not fit one QR code even at version 40-L."""

    code = "E_QR_TOO_BIG"

    def __init__(self, size: int, capacity: int, mode: str, *, about: int | None = None) -> None:
        # each sentence whole: their French is in errors-c.po (a super().__init__ is not extracted)
        if mode == "byte":
            message = (f"the payload is {size} bytes; one QR code holds at most {capacity} bytes "
                       f"(byte mode, version 40-L), {size - capacity} too many")
        else:
            message = (f"the payload is {size} characters; one QR code holds at most {capacity} characters "
                       f"({mode} mode, version 40-L), {size - capacity} too many")
        fewer = (f"reveal about {about} fields fewer" if about and about != 1 else
                 "reveal about 1 field fewer" if about else "reveal fewer fields")
        super().__init__(message, f"use --qr-parts to spread it over several codes, or {fewer}")
        self.size, self.capacity, self.mode = size, capacity, mode


def capacity(text: str) -> int:
    """The most characters (or UTF-8 bytes, when `text` needs byte mode) one QR code can hold
    in the mode `text` needs: what a caller compares `len(text)` against to say how much must
    go."""
    return _CAPACITY_40L[_mode_name(text.encode("utf-8"))]


def make(text: str) -> QrCode:
    """The QR code for `text`: the smallest version at M, else at L; `TooBig` if none fits."""
    if not text:
        raise BadInputError("there is nothing to put in a QR code", "give a non-empty payload",
                            code="E_QR_EMPTY")
    data = text.encode("utf-8")
    mode = util.optimal_mode(data)
    for level in ("M", "L"):
        if not _fits_version_40(data, mode, level):
            continue
        symbol = qrcode.QRCode(error_correction=_LEVELS[level], border=0)
        symbol.add_data(util.QRData(data, mode=mode))
        symbol.make(fit=True)
        modules = tuple(tuple(bool(m) for m in row) for row in symbol.modules)
        return QrCode(symbol.version, level, _MODES[mode], len(data), modules)
    raise TooBig(len(data), _CAPACITY_40L[_MODES[mode]], _MODES[mode])


def _fits_version_40(data: bytes, mode: int, level: str) -> bool:
    # Asked first because qrcode 8.2's best_fit raises ValueError("Invalid version (was 41")
    # rather than its DataOverflowError for a payload too big for any version.
    bits = util.BitBuffer()
    bits.put(mode, 4)
    bits.put(len(data), util.length_in_bits(mode, 40))
    util.QRData(data, mode=mode).write(bits)
    return len(bits) <= util.BIT_LIMIT_TABLE[_LEVELS[level]][40]


def _mode_name(data: bytes) -> str:
    return _MODES[util.optimal_mode(data)] if data else "alphanumeric"


def _framed(code: QrCode) -> list[list[bool]]:
    """The modules inside their quiet zone (light, False)."""
    side = code.size + 2 * QUIET_ZONE
    blank = [False] * side
    pad = [False] * QUIET_ZONE
    return ([blank[:] for _ in range(QUIET_ZONE)] + [pad + list(row) + pad for row in code.modules]
            + [blank[:] for _ in range(QUIET_ZONE)])


# A character cell is about twice as tall as wide: one cell holds two modules, one above the
# other, so modules come out square. The key is (upper inked, lower inked).
_HALF_BLOCKS = {(False, False): " ", (True, False): "\u2580", (False, True): "\u2584",
                (True, True): "\u2588"}
# Black ink on a bright-white cell: the two ANSI colours every theme keeps dark and light.
_BLACK_ON_WHITE, _RESET = "\x1b[30;107m", "\x1b[0m"


def terminal(code: QrCode, *, dark_background: bool | None) -> str:
    """The code as lines of Unicode half blocks (each ending in a newline) with its quiet zone.

    A glyph is drawn in the terminal's foreground colour on its background colour, so which
    modules get ink depends on the theme:
    - `False` (dark text on a light background): ink is the dark modules; no escape codes.
    - `True` (light text on a dark background): ink is the light modules and the quiet zone,
      the terminal's own dark background shows through as the dark modules; no escape codes.
    - `None` (theme unknown): every line sets black ink on a bright-white background
      (SGR 30;107) and resets at its end, so the code is dark on light on any theme — use this
      unless the theme is known or colour is off (NO_COLOR).
    A code drawn with dark modules light would be inverted, which many phone scanners refuse.
    """
    rows = _framed(code)
    if len(rows) % 2:  # sides are odd: the last cell row's lower half is more quiet zone
        rows.append([False] * len(rows[0]))
    ink = dark_background is not True  # the module colour that gets a glyph
    start, end = (_BLACK_ON_WHITE, _RESET) if dark_background is None else ("", "")
    lines = []
    for upper, lower in zip(rows[0::2], rows[1::2]):
        cells = "".join(_HALF_BLOCKS[(u == ink, d == ink)] for u, d in zip(upper, lower))
        lines.append(f"{start}{cells}{end}\n")
    return "".join(lines)


def dark_background_from_env(environ: Mapping[str, str] = os.environ) -> bool | None:
    """Whether the terminal's background is dark, from `COLORFGBG` ("15;0": white on black,
    set by rxvt, Konsole and others), or None when nothing says."""
    value = environ.get("COLORFGBG", "").rsplit(";", 1)[-1]
    if not value.isdigit():
        return None
    return int(value) in (0, 1, 2, 3, 4, 5, 6, 8)  # ANSI colours that are dark in a palette


def png(code: QrCode, scale: int = 8) -> bytes:
    """A 1-bit PNG, `scale` pixels a module, quiet zone included."""
    from PIL import Image  # only drawing PNGs needs Pillow

    if scale not in _SCALE:
        raise BadInputError(f"a QR code scale of {scale} pixels a module is out of range",
                            f"give a scale from {_SCALE.start} to {_SCALE.stop - 1}",
                            code="E_QR_SCALE")
    rows = _framed(code)
    side = len(rows)
    pixels = bytes(0 if dark else 255 for row in rows for dark in row)
    image = Image.frombytes("L", (side, side), pixels)
    image = image.resize((side * scale, side * scale), Image.Resampling.NEAREST)
    out = io.BytesIO()
    image.convert("1", dither=Image.Dither.NONE).save(out, "PNG")
    return out.getvalue()


def svg(code: QrCode) -> str:
    """A self-contained SVG: one white square, one black path of module-high runs, one unit a
    module, `crispEdges` so a renderer does not anti-alias module edges into grey seams."""
    rows = _framed(code)
    side = len(rows)
    runs = []
    for y, row in enumerate(rows):
        x = 0
        while x < side:
            if not row[x]:
                x += 1
                continue
            start = x
            while x < side and row[x]:
                x += 1
            runs.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
    pixels = side * 8
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{pixels}" '
            f'height="{pixels}" viewBox="0 0 {side} {side}" shape-rendering="crispEdges">\n'
            f'<rect width="{side}" height="{side}" fill="#ffffff"/>\n'
            f'<path fill="#000000" d="{"".join(runs)}"/>\n'
            "</svg>\n")
