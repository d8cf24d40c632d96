"""The revocation list a MATTR compact credential's status claim (-65537: {2: index, 3: URL})
names: a CWT, signed like the credentials (COSE_Sign1 ES256 by the issuer's did:web key),
whose claim -65538 is the GZIP-compressed bitstring, most significant bit first; a set bit is
a revoked credential (MATTR sample-apps, manual-revocation-check).

What is read: MATTR's list endpoint (`.../v2/credentials/compact/revocation-lists/<id>`) answers
with the CBOR bytes of the COSE_Sign1 itself (the sample decodes the response body as CBOR), so
those bytes, as a browser saves them, are the main form. A list copied as text is read too: the
CSC:/1/-style base32 a compact credential uses, or base64 / base64url (what tools print for
binary), since a learner may only have a text copy. Nothing else is guessed at.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from skillpass.encoding.b64 import b64_decode_lenient
from skillpass.encoding.dates import from_numeric_date
from skillpass.errors import BadInputError, InvalidError
from skillpass.formats.mattr_cwt import cwt
from skillpass.status import MAX_LIST_BYTES, StatusList, inflate_list

KIND = "mattr-cwt"
_BASE64 = re.compile(rb"[A-Za-z0-9+/_-]+={0,2}")
_HINT = "give the file the list's URL serves, as downloaded"


def read_cwt_status_list(raw: bytes, url: str | None, material: Any, now: datetime) -> StatusList:
    """The list at `url`, its signature checked with the issuer's kept did:web key exactly as a
    credential's is (formats.base.Material: material.trusted.did_cache). `now` is not needed
    to read it: when it is current is the lookup's to say, from `stale_after` (its exp).
    With no `url`, the list's own `sub` (an https URL) names it, as in a CWT Token Status List;
    MATTR's sample lists carry none, so the caller must then say where it came from. A list
    whose `sub` names another URL than `url` is refused, as a Token Status List's is (§8.3 step
    4a), so that another list of the same issuer cannot stand in for the one a credential names."""
    # 1. the COSE_Sign1 bytes, from whichever form the list was saved in
    token = cwt.read_token(_cose_bytes(raw), max_bytes=MAX_LIST_BYTES)
    # 2. its issuer's key signed it (did:web + kid, assertionMethod, P-256, ES256)
    cwt.verify_token(token, material.trusted.did_cache)
    # 3. claim -65538: the GZIP-compressed bitstring
    compressed = token.claims.get(cwt.STATUS_LIST)
    if not isinstance(compressed, bytes) or not compressed:
        raise InvalidError("the MATTR status list carries no bitstring (claim -65538)",
                           "check the file is the list the credential names", code="E_STATUS_LIST")
    issuer = token.issuer
    assert issuer is not None  # verify_token checked it
    # GZIP, or ZLIB (wbits 47: either, by its header); bounded, nothing after the stream
    data = inflate_list(compressed, wbits=47, what="MATTR status list's bitstring")
    return StatusList(url=_list_url(token, url), kind=KIND, issuer=issuer, purposes=("revocation",), bits=1,
                      data=data, issued=from_numeric_date(token.claims.get(cwt.IAT)),
                      stale_after=from_numeric_date(token.claims.get(cwt.EXP)))


def _list_url(token: cwt.Token, url: str | None) -> str:
    sub = token.claims.get(cwt.SUB)
    if url is not None:
        if sub is not None and sub != url:
            raise InvalidError(f"the MATTR status list says it is {str(sub)[:200]!r}, not {url[:200]}",
                               "give the status list the credential names", code="E_STATUS_LIST_URL")
        return url
    if isinstance(sub, str) and sub.startswith("https://") and len(sub) <= 4096:
        return sub
    raise BadInputError("this MATTR status list does not say its own address, which the credentials "
                        "name it by", "keep it with 'skillpass status add FILE --url URL', the URL "
                        "the credential names", code="E_STATUS_LIST_URL")


def _cose_bytes(raw: bytes) -> bytes:
    """The COSE bytes of a list saved as served (CBOR), or as CSC-style base32 or base64 text."""
    if len(raw) > MAX_LIST_BYTES:  # the bound every status list is read with (status/read.py)
        raise BadInputError(f"the MATTR status list is over {MAX_LIST_BYTES // (1024 * 1024)} MiB", _HINT,
                            code="E_STATUS_LIST_TOO_LARGE")
    if raw[:1] == b"\xd2" or raw[:2] == b"\xd8\x3d":  # COSE_Sign1 tag 18, or CWT tag 61
        return raw
    text = raw.removeprefix(b"\xef\xbb\xbf").strip()
    if text.startswith((cwt.COMPACT.encode(), cwt.SEMANTIC.encode())):
        return cwt.decode_text(text.decode("ascii", "replace"))[1]
    compact = b"".join(text.split())
    if _BASE64.fullmatch(compact):
        try:
            decoded = b64_decode_lenient(compact, max_bytes=MAX_LIST_BYTES, what="the MATTR status list")
        except BadInputError:
            decoded = b""
        if decoded[:1] == b"\xd2" or decoded[:2] == b"\xd8\x3d":
            return decoded
    raise BadInputError("not a MATTR status list: neither the COSE bytes the list URL serves nor a "
                        "text copy of them", _HINT, code="E_STATUS_LIST")
