"""Multibase (draft-multiformats-multibase) for the two bases credentials use, plus strict base64url.

`z` is base58btc (Bitcoin alphabet), `u` is base64url without padding. Decoders are strict:
non-canonical input is refused rather than normalised.
"""

from __future__ import annotations

import base64
import binascii

from skillpass.errors import BadInputError

_B58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(_B58_ALPHABET)}


def b58encode(data: bytes) -> str:
    zeros = len(data) - len(data.lstrip(b"\0"))
    n = int.from_bytes(data, "big")
    out = []
    while n:
        n, r = divmod(n, 58)
        out.append(_B58_ALPHABET[r])
    return "1" * zeros + "".join(reversed(out))


def b58decode(text: str) -> bytes:
    n = 0
    for c in text:
        digit = _B58_INDEX.get(c)
        if digit is None:
            raise BadInputError(f"not base58btc: unexpected character {c!r}", code="E_ENCODING")
        n = n * 58 + digit
    zeros = len(text) - len(text.lstrip("1"))
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    return b"\0" * zeros + body


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Decode unpadded base64url, refusing padding, foreign characters and non-zero trailing bits."""
    if not isinstance(text, str) or "=" in text or len(text) % 4 == 1:
        raise BadInputError("not canonical base64url", code="E_ENCODING")
    try:
        data = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raise BadInputError("not canonical base64url", code="E_ENCODING") from None
    if b64url_encode(data) != text:
        raise BadInputError("not canonical base64url", code="E_ENCODING")
    return data


def encode(data: bytes, base: str = "z") -> str:
    if base == "z":
        return "z" + b58encode(data)
    if base == "u":
        return "u" + b64url_encode(data)
    raise ValueError(f"unsupported multibase {base!r}")


def decode(text: str) -> bytes:
    if not isinstance(text, str) or not text:
        raise BadInputError("empty multibase value", code="E_ENCODING")
    prefix, body = text[0], text[1:]
    if prefix == "z":
        return b58decode(body)
    if prefix == "u":
        return b64url_decode(body)
    raise BadInputError(f"unsupported multibase prefix {prefix!r}", code="E_ENCODING")
