"""Lenient base64, for values whose writers disagree on the alphabet and the padding.

keys/multibase.b64url_decode is strict (one text per value), which is right for signatures and
keys. Status lists are read from what issuers and tools actually write: StatusList2021 and
RevocationList2020 say only "base64" and are met with both alphabets, padded or not, and a
MATTR status list copied as text is whatever a tool printed for its bytes. This decoder accepts
either alphabet (RFC 4648 §4 and §5) with or without padding, and refuses anything else.
"""

from __future__ import annotations

import binascii

from skillpass.errors import BadInputError
from skillpass.keys.multibase import b64url_max_chars

_TO_STANDARD = bytes.maketrans(b"-_", b"+/")


def b64_decode_lenient(text: str | bytes, *, max_bytes: int, what: str = "the value") -> bytes:
    """Decode base64 or base64url, padded or not, of at most `max_bytes` bytes. BadInputError
    E_TOO_LARGE for longer text (refused unread), E_ENCODING for a character outside both
    alphabets, misplaced padding or an impossible length."""
    if len(text) > b64url_max_chars(max_bytes) + 2:  # + 2: the padding
        raise BadInputError(f"{what} is too long: it can hold at most {max_bytes} bytes",
                            "the input is damaged or not what it claims to be; check its source",
                            code="E_TOO_LARGE")
    raw = text.encode("ascii", "replace") if isinstance(text, str) else bytes(text)
    body = raw.rstrip(b"=")
    # RFC 4648 §3.2: padding only completes the last group, and at most two characters of it.
    if len(raw) - len(body) > 2 or len(body) % 4 == 1 or (len(raw) != len(body) and len(raw) % 4):
        raise _not_base64(what)
    try:  # strict_mode: a character outside the alphabet (now +/ for -_) is refused, not skipped
        decoded = binascii.a2b_base64(body.translate(_TO_STANDARD) + b"=" * (-len(body) % 4), strict_mode=True)
    except binascii.Error:
        raise _not_base64(what) from None
    if len(decoded) > max_bytes:
        raise BadInputError(f"{what} is too long: it can hold at most {max_bytes} bytes",
                            "the input is damaged or not what it claims to be; check its source",
                            code="E_TOO_LARGE")
    return decoded


def _not_base64(what: str) -> BadInputError:
    return BadInputError(f"{what} is not base64 or base64url", "check it was copied whole", code="E_ENCODING")
