"""A payload too big for one QR code, as a numbered sequence of codes scanned in any order.

Part text format, version 1 (one part is the whole text of one QR code):

    SKP1:<DIGEST>:<i>/<n>:<chunk>

- `SKP1:` names the format and its version, so a reader routes a part before parsing it.
- `<DIGEST>` is the first 8 characters of the RFC 4648 base32 of SHA-256 over the UTF-8 of the
  whole payload. Every part of a sequence carries it: parts of two sequences are told apart,
  and the joined payload is checked against it. It catches mix-ups and mis-scans, not forgery:
  40 bits is no security margin, and needs none — the credential's own signature is that.
- `<i>/<n>`: part i of n, decimal without leading zeros, 1 <= i <= n <= 99.
- `<chunk>`: the i-th slice of the payload, as is; the chunks in order are the payload.

The header uses only upper-case letters, digits and `:` `/`, all in the QR alphanumeric set
(0-9 A-Z space $ % * + - . / :), so a part of a VPQR payload stays in alphanumeric mode; a part
of an SD-JWT is byte mode, as the SD-JWT itself is. The header costs 18 to 20 characters a part.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass

from skillpass.errors import BadInputError
from skillpass.render.text import visible

PREFIX = "SKP1:"
MAX_PARTS = 99
_PART = re.compile(r"SKP1:([A-Z2-7]{8}):([1-9][0-9]?)/([1-9][0-9]?):(.*)\Z", re.DOTALL)
_RESCAN = "scan all the parts again from the holder's screen or print-out"


@dataclass(frozen=True)
class Part:
    digest: str
    index: int  # 1-based
    count: int
    chunk: str


def digest(text: str) -> str:
    """The 8-character digest that names the sequence of `text`."""
    return base64.b32encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")[:8]


def is_part(text: str) -> bool:
    """Whether `text` is one part of a sequence (then `join` it with the others)."""
    return _parse(text) is not None


def split(text: str, max_chars: int) -> list[str]:
    """`text` as parts 1..n, in order, each at most `max_chars` characters, header included.

    Characters, not bytes: for ASCII payloads (VPQR, SD-JWT) they are the same.
    """
    if not text:
        raise BadInputError("there is nothing to split into QR codes", "give a non-empty payload",
                            code="E_QR_EMPTY")
    for digits in (1, 2):  # n's digits decide the header's length, which decides n
        room = max_chars - len(f"{PREFIX}XXXXXXXX:{'9' * digits}/{'9' * digits}:")
        chunks = _chunks(text, room) if room > 0 else []
        if 0 < len(chunks) < 10 ** digits:
            break
    else:
        raise BadInputError(
            f"{len(text)} characters do not fit {MAX_PARTS} QR codes of {max_chars} characters",
            "allow bigger QR codes, or reveal fewer fields", code="E_QR_PARTS_SIZE")
    name = digest(text)
    return [f"{PREFIX}{name}:{i + 1}/{len(chunks)}:{chunk}" for i, chunk in enumerate(chunks)]


def _chunks(text: str, room: int) -> list[str]:
    """`text` in slices of at most `room` characters, none ending with a space where a shorter
    one can help it (base45 has spaces, and a part kept as a line of text is read stripped)."""
    chunks, start = [], 0
    while start < len(text):
        end = min(start + room, len(text))
        while end < len(text) and end - 1 > start and text[end - 1] == " ":
            end -= 1
        chunks.append(text[start:end])
        start = end
    return chunks


def join(parts: list[str]) -> str:
    """The payload the parts were split from, whatever their order; the same part twice is
    accepted. Refused: a text that is not a part, parts of two sequences, two different texts
    for one part, a part missing, and a whole that does not match its digest."""
    parsed = [_parse_or_refuse(text) for text in parts]
    if not parsed:
        raise BadInputError("there are no QR code parts to join", "scan the parts first",
                            code="E_QR_PARTS_MISSING")
    # 1. One sequence: one digest, one count.
    sequences = {(p.digest, p.count) for p in parsed}
    if len(sequences) > 1:
        names = ", ".join(sorted({name for name, _ in sequences}))
        raise BadInputError(f"these QR code parts come from {len(sequences)} different sequences "
                            f"({names})", "scan the parts of one code sequence only: they share "
                            "the name after SKP1:", code="E_QR_PARTS_MIXED")
    name, count = sequences.pop()
    # 2. Each part once, or repeated identically.
    chunks: dict[int, str] = {}
    for part in parsed:
        if chunks.setdefault(part.index, part.chunk) != part.chunk:
            raise BadInputError(f"part {part.index} of {count} of QR code sequence {name} was read "
                                "twice with different contents", _RESCAN, code="E_QR_PARTS_CONFLICT")
    # 3. None missing.
    missing = [i for i in range(1, count + 1) if i not in chunks]
    if missing:
        listed = ", ".join(map(str, missing[:10])) + (", ..." if len(missing) > 10 else "")
        raise BadInputError(f"QR code sequence {name} is missing part{'s' if len(missing) > 1 else ''} "
                            f"{listed} of {count}", "scan the missing parts too",
                            code="E_QR_PARTS_MISSING")
    # 4. The whole matches the digest every part carries.
    whole = "".join(chunks[i] for i in range(1, count + 1))
    if digest(whole) != name:
        raise BadInputError(f"the {count} parts of QR code sequence {name} do not join into what "
                            "was split", _RESCAN, code="E_QR_PARTS_CORRUPT")
    return whole


def _parse(text: str) -> Part | None:
    match = _PART.match(text)
    if match is None:
        return None
    name, index, count, chunk = match.groups()
    if int(index) > int(count):
        return None
    return Part(name, int(index), int(count), chunk)


def _parse_or_refuse(text: str) -> Part:
    part = _parse(text)
    if part is None:
        excerpt = visible(text[:24]) + ("..." if len(text) > 24 else "")
        raise BadInputError(f"'{excerpt}' is not a part of a QR code sequence (SKP1:...)",
                            "give only the texts of the parts of one sequence", code="E_QR_PART_BAD")
    return part
