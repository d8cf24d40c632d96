"""VPQR: a verifiable presentation as QR code text, `VP1-` + a multibase string of CBOR-LD bytes.

    to_vpqr(presentation, store=...) -> "VP1-B3ECQ..."
    from_vpqr(text, store=...) -> the presentation

The format is @digitalcredentials/vpqr 2.2.1's (toQrCode/fromQrCode): the header `VP1-`, then
`B` and RFC 4648 base32 (upper case, no padding) of legacy CBOR-LD (tag 0x0501). Both alphabets
fit QR alphanumeric mode (0-9, A-Z, space and $%*+-./:), which stores 5.5 bits a character.
skillpass writes that by default, character for character what the JavaScript library writes for
the same presentation, so its readers can read it (and @digitalbazaar/vpqr 6, for a VC 1.1
presentation: see below).

Reading also takes what @digitalbazaar/vpqr 5 and 6 write: `R` and base45 (RFC 9285), and
CBOR-LD 1.0 (tag 0xcb1d) for registry entries 0 and 1. `format="cbor-ld-1.0"` writes that (with
`multibase="R"` for base45): for an ecdsa-sd-2023 disclosure a tenth fewer bytes and 15% fewer
characters, but
@digitalcredentials/vpqr cannot read it and @digitalbazaar/cborld 8.1 cannot read a VC 2.0
presentation in any format.

What the readers cannot read is refused rather than written (E_CBORLD_UNENCODABLE): a term no
context defines, a JSON-LD keyword key other than @id and @type (a value object, such as a text
with its language: E_CBORLD_LEGACY_KEYWORD in the legacy format, which CBOR-LD 1.0 carries, so
qr/payload.py writes that instead), a non-string @id or @type, anything CBOR-LD would not give
back as the same JSON.

Size: base32 costs 8 characters for 5 bytes, so for an ecdsa-sd-2023 disclosure, whose derived
proofValue stays text in the legacy format, the QR text is about as long as the JSON; a whole
eddsa-rdfc-2022 credential's is about 12% shorter. Either needs a QR code of version 25-27.

Bounds: a QR code holds at most 4,296 alphanumeric characters (version 40, error correction L);
text joined from a sequence of parts (qr/parts.py) holds at most MAX_TEXT, and longer text is
refused before any decoding (E_VPQR_TOO_LARGE). Whether a presentation fits one code is the
caller's question (qr/payload.py: one code, or parts). The CBOR-LD beneath has its own bounds
(skillpass.encoding.cborld).
"""

from __future__ import annotations

import base64
from typing import Any

from skillpass.encoding import cborld
from skillpass.errors import BadInputError

PREFIX = "VP1-"
BASE32 = "B"  # multibase: RFC 4648 base32, upper case, no padding
BASE45 = "R"  # multibase: RFC 9285 base45
MAX_QR_CHARS = 4296  # QR version 40-L, alphanumeric mode
MAX_TEXT = 99 * 1_400  # qr/parts.MAX_PARTS parts of qr/payload.PART_CHARS
_BASE45_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_BASE45_INDEX = {c: i for i, c in enumerate(_BASE45_ALPHABET)}


def to_vpqr(presentation: dict[str, Any], *, store: Any, format: str = cborld.LEGACY_SINGLETON,
            multibase: str = BASE32) -> str:
    """The QR code text of a presentation. BadInputError E_CBORLD_UNENCODABLE when CBOR-LD
    cannot carry it exactly."""
    if not isinstance(presentation, dict):
        raise BadInputError("a VPQR code carries one presentation, a JSON object",
                            code="E_VPQR_NOT_PRESENTATION")
    # 1. CBOR-LD, 2. multibase text behind the header
    data = cborld.encode(presentation, store=store, format=format)
    if multibase == BASE32:
        text = PREFIX + BASE32 + base64.b32encode(data).decode("ascii").rstrip("=")
    elif multibase == BASE45:
        text = PREFIX + BASE45 + base45_encode(data)
    else:
        raise ValueError("multibase must be 'B' (base32) or 'R' (base45)")
    return text


def from_vpqr(text: str, *, store: Any) -> dict[str, Any]:
    """The presentation in VPQR text (as a QR scanner gives it). BadInputError (E_VPQR_*,
    E_CBORLD_*) for text that is not a VPQR code or is damaged; UnverifiableError when it
    needs a context or CBOR-LD registry entry skillpass does not have."""
    presentation = cborld.decode(payload_bytes(text), store=store)
    if not isinstance(presentation, dict):
        raise BadInputError("this VPQR code does not hold a presentation (a JSON object)",
                            "ask the holder for a presentation code", code="E_VPQR_NOT_PRESENTATION")
    return presentation


def payload_bytes(text: str) -> bytes:
    """The CBOR-LD bytes in VPQR text, not yet decoded."""
    if not isinstance(text, str):
        raise BadInputError("VPQR text must be text", code="E_VPQR_PREFIX")
    if len(text) > MAX_TEXT + 16:  # room for a scanner's line break; checked before any work
        raise BadInputError(f"this text is longer than any QR code or sequence of codes ({len(text)} "
                            f"characters, at most {MAX_TEXT})", "it is not a VPQR code", code="E_VPQR_TOO_LARGE")
    text = text.lstrip().rstrip("\r\n\t")  # a trailing space is base45
    if not text.startswith(PREFIX):
        raise BadInputError("this is not a VPQR code: it does not start with VP1-",
                            "scan the verifiable presentation QR code again", code="E_VPQR_PREFIX")
    body = text[len(PREFIX):]
    if body[:1] == BASE32:
        return _base32_decode(body[1:])
    if body[:1] == BASE45:
        return base45_decode(body[1:])
    raise BadInputError(f"this VPQR code uses multibase {body[:1]!r}, which skillpass does not read",
                        "VPQR codes are base32 (VP1-B...) or base45 (VP1-R...)", code="E_VPQR_MULTIBASE")


def _base32_decode(text: str) -> bytes:
    """RFC 4648 §6 base32, upper case, unpadded (what VPQR writes). As one integer: the
    alphabet mapped to the digits int() reads in base 32 (linear for a power-of-two base),
    where base64.b32decode loops over the text in Python. A lower-case letter, a padding sign
    or any other character is refused, as b32decode refuses them; so is a length no byte
    count gives. Extra bits past the last byte are dropped, as b32decode drops them."""
    if len(text) % 8 in (1, 3, 6) or not text.isascii():
        raise _not_encoded("base32")
    raw = text.encode("ascii")  # bytes.translate works from a 256-byte table, str's from a dict
    if not raw:
        return b""
    size = len(raw) * 5 // 8
    try:  # every byte outside the alphabet became "!", which int() refuses wherever it stands
        value = int(raw.translate(_BASE32_TO_DIGITS), 32) >> (len(raw) * 5 - size * 8)
    except ValueError:
        raise _not_encoded("base32") from None
    return value.to_bytes(size, "big")


_BASE32_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_BASE32_DIGITS = b"0123456789abcdefghijklmnopqrstuv"
_BASE32_TO_DIGITS = bytes(_BASE32_DIGITS[_BASE32_ALPHABET.index(byte)] if byte in _BASE32_ALPHABET else ord("!")
                          for byte in range(256))


def base45_encode(data: bytes) -> str:
    """RFC 9285 §4: two bytes to three characters, a last single byte to two, low digit first."""
    out = []
    for i in range(0, len(data) - 1, 2):
        n = data[i] * 256 + data[i + 1]
        out += [_BASE45_ALPHABET[n % 45], _BASE45_ALPHABET[n // 45 % 45], _BASE45_ALPHABET[n // 2025]]
    if len(data) % 2:
        n = data[-1]
        out += [_BASE45_ALPHABET[n % 45], _BASE45_ALPHABET[n // 45]]
    return "".join(out)


def base45_decode(text: str) -> bytes:
    """RFC 9285 §4; a value past 65535 (or 255 for a last pair) is an error (§6)."""
    if len(text) % 3 == 1:
        raise _not_encoded("base45")
    digits = [_BASE45_INDEX.get(c) for c in text]
    if None in digits:
        raise _not_encoded("base45")
    out = bytearray()
    for i in range(0, len(digits), 3):
        chunk = digits[i:i + 3]
        n = sum(d * 45 ** k for k, d in enumerate(chunk))  # type: ignore[operator]
        if n > (0xFFFF if len(chunk) == 3 else 0xFF):
            raise _not_encoded("base45")
        out += n.to_bytes(2 if len(chunk) == 3 else 1, "big")
    return bytes(out)


def _not_encoded(base: str) -> BadInputError:
    return BadInputError(f"this VPQR code is not valid {base}",
                         "the code is damaged: scan it again", code="E_VPQR_ENCODING")
