"""The text a baked PNG carries (OB 2.0 "Baking" §PNG, OB 3.0 §5.3.1): one `iTXt` chunk with
the keyword `openbadges` (OB 2.0) or `openbadgecredential` (OB 3.0), or the pre-2.0 `tEXt`
chunk `openbadges` that holds only the assertion's URL.

The file is untrusted, so the walk is bounded: the PNG signature, then chunk by chunk each length
within the file and at most 2^31-1 (PNG §5.3), each CRC checked (a damaged file is refused rather
than read in part), at most MAX_CHUNKS chunks, no text over MAX_TEXT_BYTES, nothing after IEND.

Compression: both specs say an iTXt badge "MUST NOT" be compressed. One published image does it
anyway (compression flag 1, zlib), and refusing it would lose the learner a readable badge, so a
compressed text is inflated, through a bounded decompressor that stops at MAX_TEXT_BYTES (a
zlib bomb is refused, never inflated past the bound). Only method 0 (zlib, PNG §11.3.4.5) exists.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

from skillpass.errors import BadInputError

SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_CHUNKS = 4096
MAX_TEXT_BYTES = 8 * 1024 * 1024
KEYWORDS = ("openbadges", "openbadgecredential")  # OB 2.0, OB 3.0 §5.3.1
_MAX_LENGTH = 2**31 - 1  # PNG §5.3: a chunk length is at most 2^31-1


@dataclass(frozen=True)
class TextChunk:
    """A badge's text chunk as found: which chunk and keyword, its iTXt flags, its text."""

    chunk: str  # iTXt, tEXt
    keyword: str
    text: bytes  # UTF-8 (iTXt) or Latin-1 (tEXt), inflated when it was compressed
    compression_flag: int | None = None  # iTXt only
    compression_method: int | None = None


def badge_chunks(raw: bytes) -> list[TextChunk]:
    """Every badge text chunk (iTXt/tEXt with an Open Badges keyword) of the PNG `raw`."""
    if not raw.startswith(SIGNATURE):
        raise damaged("not a PNG (bad signature)")
    found: list[TextChunk] = []
    for kind, data in _chunks(raw):
        if kind == b"iTXt":
            chunk = _itxt(data)
        elif kind == b"tEXt":
            chunk = _text(data)
        else:
            continue
        if chunk is not None:
            found.append(chunk)
    return found


def _chunks(raw: bytes) -> list[tuple[bytes, bytes]]:
    """(type, data) of each chunk, up to IEND, every CRC checked (PNG §5.3)."""
    chunks: list[tuple[bytes, bytes]] = []
    offset = len(SIGNATURE)
    while True:
        if len(chunks) >= MAX_CHUNKS:
            raise damaged(f"it has more than {MAX_CHUNKS} chunks")
        if offset + 12 > len(raw):
            raise damaged("it ends before its IEND chunk (truncated)")
        length, kind = struct.unpack(">I4s", raw[offset:offset + 8])
        end = offset + 8 + length
        if length > _MAX_LENGTH or end + 4 > len(raw):
            raise damaged(f"a chunk's length ({length}) runs past the end of the file")
        if not kind.isalpha():
            raise damaged("a chunk type is not four letters")
        data = raw[offset + 8:end]
        (crc,) = struct.unpack(">I", raw[end:end + 4])
        if zlib.crc32(kind + data) != crc:
            raise damaged(f"the CRC of its {kind.decode('ascii')} chunk does not match")
        chunks.append((kind, data))
        if kind == b"IEND":
            return chunks
        offset = end + 4


def _itxt(data: bytes) -> TextChunk | None:
    # PNG §11.3.4.5: keyword \0 flag method language \0 translated-keyword \0 text
    keyword, sep, rest = data.partition(b"\0")
    if not sep or keyword.decode("latin-1") not in KEYWORDS:
        return None
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
    return TextChunk("iTXt", keyword.decode("latin-1"), text, flag, method)


def _text(data: bytes) -> TextChunk | None:
    # PNG §11.3.4.3: keyword \0 text (Latin-1). Only the pre-2.0 `openbadges` URL lives here.
    keyword, sep, text = data.partition(b"\0")
    if not sep or keyword != b"openbadges":
        return None
    _bounded(text)
    return TextChunk("tEXt", "openbadges", text)


def _inflate(compressed: bytes) -> bytes:
    inflater = zlib.decompressobj()
    try:
        text = inflater.decompress(compressed, MAX_TEXT_BYTES + 1)
    except zlib.error:
        raise damaged("its compressed iTXt badge chunk does not inflate") from None
    if len(text) > MAX_TEXT_BYTES or inflater.unconsumed_tail:
        raise _too_large()
    if not inflater.eof:
        raise damaged("its compressed iTXt badge chunk is cut short")
    return text


def _bounded(text: bytes) -> None:
    if len(text) > MAX_TEXT_BYTES:
        raise _too_large()


def _too_large() -> BadInputError:
    return BadInputError(f"the badge text in this PNG is over {MAX_TEXT_BYTES // (1024 * 1024)} MiB",
                         "ask the issuer for the credential file (.json) instead", code="E_BAKED_TOO_LARGE")


def damaged(reason: str) -> BadInputError:
    return BadInputError(f"this PNG cannot be read: {reason}",
                         "check the image is the one the issuer sent, whole", code="E_PNG")
