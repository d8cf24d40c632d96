"""Multibase (draft-multiformats-multibase) for the two bases credentials use, plus strict base64url.

`z` is base58btc (Bitcoin alphabet), `u` is base64url without padding. Decoders are strict:
non-canonical input is refused rather than normalised.

Every decoder takes `max_bytes`, the most its field can hold, and refuses longer text before doing
any work: a hostile 8 MiB `proofValue` must cost a length comparison, not hours of big-int
arithmetic (base58 decoding is quadratic in the length of its input).
"""

from __future__ import annotations

import binascii

from skillpass.errors import BadInputError

_B64URL_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_B64URL_INDEX = {c: i for i, c in enumerate(_B64URL_ALPHABET)}
_B64URL_TO_STANDARD = bytes.maketrans(b"-_", b"+/")
_STANDARD_TO_B64URL = bytes.maketrans(b"+/", b"-_")
_B58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(_B58_ALPHABET)}
_B58_PAIRS = {a + b: i * 58 + j for i, a in enumerate(_B58_ALPHABET) for j, b in enumerate(_B58_ALPHABET)}
_B58_PAIR_TEXTS = [a + b for a in _B58_ALPHABET for b in _B58_ALPHABET]  # i * 58 + j -> its two digits
_B58_DELETE = str.maketrans("", "", _B58_ALPHABET)
# log(256) / log(58) = 1.36566...: base58 characters per byte, rounded up (checked in the tests).
_B58_CHARS_PER_KILOBYTE = 1366


def b58encode(data: bytes) -> str:
    zeros = len(data) - len(data.lstrip(b"\0"))
    n = int.from_bytes(data, "big")
    out = []
    texts = _B58_PAIR_TEXTS
    while n:  # four digits a step (58 ** 4 < 2 ** 30: one small division after the big one)
        n, r = divmod(n, 11_316_496)
        out.append(texts[r // 3364] + texts[r % 3364])
    return "1" * zeros + "".join(reversed(out)).lstrip("1")  # the first step may add up to three "1"s


def b58_max_chars(max_bytes: int) -> int:
    """The longest base58btc text of `max_bytes` bytes: at most 1.366 characters a byte."""
    return -(-max_bytes * _B58_CHARS_PER_KILOBYTE // 1000)


def b58decode(text: str, *, max_bytes: int, what: str = "the value") -> bytes:
    """Decode base58btc holding at most `max_bytes` bytes; longer text is refused unread."""
    _check_text(text, b58_max_chars(max_bytes), max_bytes, what, "base58btc")
    unexpected = text.translate(_B58_DELETE)  # what is left once every digit is taken out
    if unexpected:
        raise BadInputError(f"{what} is not base58btc: unexpected character {unexpected[0]!r}",
                            code="E_ENCODING")
    # Two digits at a time (58 * 58 values), from an odd first digit on: half the steps.
    odd = len(text) % 2
    n = _B58_INDEX[text[0]] if odd else 0
    pairs = _B58_PAIRS
    for start in range(odd, len(text), 2):
        n = n * 3364 + pairs[text[start:start + 2]]
    zeros = len(text) - len(text.lstrip("1"))
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    if zeros + len(body) > max_bytes:  # the character bound is a little loose, the byte bound not
        raise _too_long(what, max_bytes)
    return b"\0" * zeros + body


def b64url_encode(data: bytes) -> str:
    # urlsafe_b64encode, without its two Python-level calls: digests are encoded by the thousand
    return binascii.b2a_base64(data, newline=False).translate(_STANDARD_TO_B64URL).rstrip(b"=").decode("ascii")


def b64url_max_chars(max_bytes: int) -> int:
    """The longest unpadded base64url text of at most `max_bytes` bytes (4 characters a 3 bytes)."""
    return (4 * max_bytes + 2) // 3


def b64url_decode(text: str, *, max_bytes: int, what: str = "the value") -> bytes:
    """Decode unpadded base64url of at most `max_bytes` bytes, refusing padding, foreign
    characters and non-zero trailing bits; longer text is refused unread."""
    if not isinstance(text, str) or len(text) > (4 * max_bytes + 2) // 3:  # b64url_max_chars
        _check_text(text, b64url_max_chars(max_bytes), max_bytes, what, "base64url")
    tail = len(text) % 4
    # This decoder runs for every signature, key and JWT part, so its checks are C calls over
    # the text, never a Python step (or a regular expression) a character: a2b_base64's strict
    # mode refuses any character outside the standard alphabet; of that alphabet, + / and the
    # padding are not base64url.
    if tail == 1 or not text.isascii() or "+" in text or "/" in text or "=" in text:
        raise _not_base64url(what)
    try:
        decoded = binascii.a2b_base64(text.encode("ascii").translate(_B64URL_TO_STANDARD) + _B64URL_PADDING[tail],
                                      strict_mode=True)
    except binascii.Error:
        raise _not_base64url(what) from None
    # RFC 4648 §3.5: the bits after the last whole byte are zero, so each value has one text.
    if tail and _B64URL_INDEX[text[-1]] & _TRAILING_BITS[tail]:
        raise _not_base64url(what)
    return decoded


_B64URL_PADDING = (b"", b"", b"==", b"=")  # by the length mod 4 (1 is refused before)
_TRAILING_BITS = (0, 0, 0b1111, 0b11)  # by the length mod 4: the bits after the last whole byte


def b64url_decode_each(texts: list[str], *, max_bytes: int, what: str = "the value") -> list[bytes]:
    """b64url_decode of each text, in order: the same bytes, or the same first error. The texts
    are encoded, checked for + / = and translated once for all of them (an SD-JWT's disclosures
    come by the dozen); at the first doubt, b64url_decode takes each of them."""
    max_chars, index, padding, a2b = b64url_max_chars(max_bytes), _B64URL_INDEX, _B64URL_PADDING, binascii.a2b_base64
    try:
        joined = "".join(texts)
    except TypeError:  # a text that is no str
        joined = "="
    if joined.isascii() and not ("+" in joined or "/" in joined or "=" in joined):
        standard, start, out = joined.encode("ascii").translate(_B64URL_TO_STANDARD), 0, []
        try:
            for text in texts:
                size = len(text)
                tail = size & 3
                if size > max_chars or tail == 1:
                    break
                out.append(a2b(standard[start:start + size] + padding[tail], strict_mode=True))
                if tail and index[text[-1]] & _TRAILING_BITS[tail]:
                    break
                start += size
            else:
                return out
        except binascii.Error:
            pass
    return [b64url_decode(text, max_bytes=max_bytes, what=what) for text in texts]


def encode(data: bytes, base: str = "z") -> str:
    if base == "z":
        return "z" + b58encode(data)
    if base == "u":
        return "u" + b64url_encode(data)
    raise ValueError(f"unsupported multibase {base!r}")


def decode(text: str, *, max_bytes: int, what: str = "the value") -> bytes:
    """Decode a `z` (base58btc) or `u` (base64url) multibase value of at most `max_bytes` bytes."""
    if not isinstance(text, str) or not text:
        raise BadInputError(f"{what} is not a multibase value (empty or not a string)",
                            code="E_ENCODING")
    prefix = text[0]
    if prefix not in _MAX_CHARS:
        raise BadInputError(f"{what} has an unsupported multibase prefix {prefix!r}",
                            code="E_ENCODING")
    if len(text) - 1 > _MAX_CHARS[prefix](max_bytes):  # before `text[1:]` copies megabytes
        raise _too_long(what, max_bytes)
    if prefix == "z":
        return b58decode(text[1:], max_bytes=max_bytes, what=what)
    return b64url_decode(text[1:], max_bytes=max_bytes, what=what)


_MAX_CHARS = {"z": b58_max_chars, "u": b64url_max_chars}


def _check_text(text: object, max_chars: int, max_bytes: int, what: str, base: str) -> None:
    # Type and length only: this runs before anything proportional to the input.
    if not isinstance(text, str):
        raise BadInputError(f"{what} is not {base} text", code="E_ENCODING")
    if len(text) > max_chars:
        raise _too_long(what, max_bytes)


def _too_long(what: str, max_bytes: int) -> BadInputError:
    return BadInputError(f"{what} is too long: it can hold at most {max_bytes} bytes",
                         "the input is damaged or not what it claims to be; check its source",
                         code="E_TOO_LARGE")


def _not_base64url(what: str) -> BadInputError:
    return BadInputError(f"{what} is not canonical base64url", code="E_ENCODING")
