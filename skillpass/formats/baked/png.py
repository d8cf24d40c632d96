"""The text a baked PNG carries (OB 2.0 "Baking" §PNG, OB 3.0 §5.3.1): one `iTXt` chunk with
the keyword `openbadges` (OB 2.0) or `openbadgecredential` (OB 3.0), or the pre-2.0 `tEXt`
chunk `openbadges` that holds only the assertion's URL.

The file is untrusted, so the walk is bounded: the PNG signature, then chunk by chunk each length
within the file and at most 2^31-1 (PNG §5.3), each CRC checked (a damaged file is refused rather
than read in part), at most MAX_CHUNKS chunks, no text over MAX_TEXT_BYTES, nothing after IEND.

Compression: both specs say an iTXt badge "MUST NOT" be compressed. One published image does it
anyway (compression flag 1, zlib), and refusing it would lose the learner a readable badge, so a
compressed text is inflated, through the bounded decompressor (skillpass.encoding.inflate) that
stops at MAX_TEXT_BYTES (a zlib bomb is refused, never inflated past the bound), and only the one
badge chunk of an image is ever inflated. Only method 0 (zlib, PNG §11.3.4.5) exists.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from skillpass.errors import BadInputError
from skillpass.formats.baked import ambiguous

SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_CHUNKS = 4096
MAX_TEXT_BYTES = 8 * 1024 * 1024
KEYWORDS = ("openbadges", "openbadgecredential")  # OB 2.0, OB 3.0 §5.3.1
_MAX_LENGTH = 2**31 - 1  # PNG §5.3: a chunk length is at most 2^31-1
_MAX_KEYWORD = max(len(k) for k in KEYWORDS)


@dataclass(frozen=True)
class TextChunk:
    """A badge's text chunk as found: which chunk and keyword, its iTXt flags, its text."""

    chunk: str  # iTXt, tEXt
    keyword: str
    text: bytes  # UTF-8 (iTXt) or Latin-1 (tEXt), inflated when it was compressed
    compression_flag: int | None = None  # iTXt only
    compression_method: int | None = None


def badge_chunks(raw: bytes) -> list[TextChunk]:
    """The badge text chunk (iTXt/tEXt with an Open Badges keyword) of the PNG `raw`: none or one.

    A second badge chunk is refused (E_BAKED_AMBIGUOUS) as soon as its keyword is read, and the
    one badge is inflated only once the whole file has been walked: however many compressed
    chunks an image holds, reading it inflates at most one, to at most MAX_TEXT_BYTES.
    """
    if not raw.startswith(SIGNATURE):
        raise damaged("not a PNG (bad signature)")
    found: tuple[bytes, bytes] | None = None
    for kind, data in _chunks(raw):
        if kind not in (b"iTXt", b"tEXt") or not _is_badge(kind, data):
            continue
        if found is not None:
            raise ambiguous()  # OB 2.0 Baking, OB 3.0 §5.3: one badge an image
        found = (kind, bytes(data))
    if found is None:
        return []
    kind, data = found
    return [_itxt(data) if kind == b"iTXt" else _text(data)]


def _chunks(raw: bytes) -> Iterator[tuple[bytes, memoryview]]:
    """(type, data) of each chunk, up to IEND, every CRC checked (PNG §5.3)."""
    view = memoryview(raw)
    offset = len(SIGNATURE)
    for _ in range(MAX_CHUNKS):
        if offset + 12 > len(raw):
            raise damaged("it ends before its IEND chunk (truncated)")
        length, kind = struct.unpack(">I4s", raw[offset:offset + 8])
        end = offset + 8 + length
        if length > _MAX_LENGTH or end + 4 > len(raw):
            raise damaged(f"a chunk's length ({length}) runs past the end of the file")
        if not kind.isalpha():
            raise damaged("a chunk type is not four letters")
        data = view[offset + 8:end]
        (crc,) = struct.unpack(">I", raw[end:end + 4])
        if zlib.crc32(data, zlib.crc32(kind)) != crc:
            raise damaged(f"the CRC of its {kind.decode('ascii')} chunk does not match")
        yield kind, data
        if kind == b"IEND":
            return
        offset = end + 4
    raise damaged(f"it has more than {MAX_CHUNKS} chunks")


def _is_badge(kind: bytes, data: memoryview) -> bool:
    keyword, sep, _ = bytes(data[:_MAX_KEYWORD + 1]).partition(b"\0")
    if not sep:
        return False
    return keyword == b"openbadges" if kind == b"tEXt" else keyword.decode("latin-1") in KEYWORDS


def _itxt(data: bytes) -> TextChunk:
    # PNG §11.3.4.5: keyword \0 flag method language \0 translated-keyword \0 text
    keyword, _, rest = data.partition(b"\0")
    if len(rest) < 2:
        raise damaged("its iTXt badge chunk is cut short")
    flag, method = rest[0], rest[1]
    _language, sep1, rest = rest[2:].partition(b"\0")
    _translated, sep2, text = rest.partition(b"\0")
    if not (sep1 and sep2):
        raise damaged("its iTXt badge chunk is cut short")
    if flag not in (0, 1):
        raise damaged(f"its iTXt badge chunk has the compression flag {flag}, not 0 or 1")
    if flag == 1:
        if method != 0:
            raise damaged(f"its iTXt badge chunk is compressed with method {method}, not zlib")
        text = _inflate(text)
    _bounded(text)
    try:
        text.decode("utf-8")  # PNG §11.3.4.5: the text of an iTXt chunk is UTF-8
    except UnicodeDecodeError:
        raise damaged("its iTXt badge text is not UTF-8") from None
    return TextChunk("iTXt", keyword.decode("latin-1"), text, flag, method)


def _text(data: bytes) -> TextChunk:
    # PNG §11.3.4.3: keyword \0 text (Latin-1). Only the pre-2.0 `openbadges` URL lives here.
    _keyword, _, text = data.partition(b"\0")
    _bounded(text)
    return TextChunk("tEXt", "openbadges", text)


def _inflate(compressed: bytes) -> bytes:
    from skillpass.encoding.inflate import TOO_LARGE, inflate

    try:
        return inflate(compressed, wbits=zlib.MAX_WBITS, limit=MAX_TEXT_BYTES, what="compressed iTXt badge chunk")
    except BadInputError as exc:
        if exc.code == TOO_LARGE:
            raise _too_large() from None
        raise damaged("its " + exc.message.removeprefix("the ")) from None


def _bounded(text: bytes) -> None:
    if len(text) > MAX_TEXT_BYTES:
        raise _too_large()


def _too_large() -> BadInputError:
    return BadInputError(f"the badge text in this PNG is over {MAX_TEXT_BYTES // (1024 * 1024)} MiB",
                         "ask the issuer for the credential file (.json) instead", code="E_BAKED_TOO_LARGE")


def damaged(reason: str) -> BadInputError:
    return BadInputError(f"this PNG cannot be read: {reason}",
                         "check the image is the one the issuer sent, whole", code="E_PNG")
