"""One bounded decompressor for ZLIB (RFC 1950), raw DEFLATE (RFC 1951) and GZIP (RFC 1952) data
from untrusted input: a baked PNG's compressed iTXt chunk, a status list's bitstring.

The output is never inflated past `limit` (+1 byte, to tell "exactly the limit" from "more"): a
decompression bomb costs at most about twice `limit` bytes of memory (zlib's output blocks, then
the bytes they are joined into), whatever its ratio. The stream must end
where the data ends: a stream cut short and data after the stream (a second GZIP member, bytes
appended to a chunk) are both refused, so the bytes that were checked are the bytes that were read.

`wbits` is zlib's: 15 ZLIB only, -15 raw DEFLATE, 31 GZIP only, 47 (32 + 15) GZIP or ZLIB by the
header.
"""

from __future__ import annotations

import zlib

from skillpass.errors import BadInputError

TOO_LARGE = "E_TOO_LARGE"
DAMAGED = "E_COMPRESSED"  # callers that report damage in their own words catch this code


def inflate(data: bytes, *, wbits: int, limit: int, what: str) -> bytes:
    """The decompressed `data`, at most `limit` bytes. BadInputError E_TOO_LARGE beyond `limit`;
    BadInputError E_COMPRESSED when it does not decompress, is cut short or has data after it.
    `what` names the data in the message ("status list", "compressed iTXt badge chunk")."""
    inflater = zlib.decompressobj(wbits)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error:
        raise _damaged(what, "does not decompress (damaged, or not compressed)") from None
    if len(out) > limit:
        raise BadInputError(f"the {what} decompresses to more than {size(limit)}",
                            "this is not what the issuer publishes: ask the issuer for the file again",
                            code=TOO_LARGE)
    if not inflater.eof:
        raise _damaged(what, "is cut short")
    if inflater.unused_data:
        raise _damaged(what, "has data after its compressed stream")
    return out


def size(count: int) -> str:
    """A byte count as a message says it: '8 MiB', '64 KiB', '1,000 bytes'."""
    for unit, scale in (("MiB", 1024 * 1024), ("KiB", 1024)):
        if count >= scale and count % scale == 0:
            return f"{count // scale} {unit}"
    return f"{count:,} bytes"


def _damaged(what: str, reason: str) -> BadInputError:
    return BadInputError(f"cannot read the {what}: it {reason}", "check the file is whole, or download it again",
                         code=DAMAGED)
