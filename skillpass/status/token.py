"""IETF Token Status List (draft-ietf-oauth-status-list): the status list an SD-JWT VC's
`status.status_list` {idx, uri} names, as a Status List Token in JWT form (`statuslist+jwt`).

The token is checked as §8.3 (Validation Rules) asks: its signature (jose.py's allowlist, the
issuer key from a kept DID document or JWT VC Issuer Metadata, as for any JWT credential), its
`typ`, that its `sub` is the URI the credential names, `iat`; `status_list` {bits, lst} is
ZLIB (RFC 1950) and read with index 0 in the lowest bits of the first byte (§4.1).
An expired token (`exp` passed) is still read: `stale_after` says so and the lookup reports the
status as not checked since then, which is what a learner offline needs to know.

The CWT form (`statuslist+cwt`, §5.2) is not read here: no issuer the pilot works with publishes
one (MATTR's compact credentials have their own CWT list, formats/mattr_cwt/status_list.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from skillpass.errors import BadInputError, InvalidError
from skillpass.status import StatusList

if TYPE_CHECKING:
    from skillpass.formats.base import Material

TYPES = ("statuslist+jwt", "application/statuslist+jwt")  # RFC 7515 §4.1.9: the prefix may go
BITS = (1, 2, 4, 8)  # §4.1 step 1
MAX_TTL_S = 10 * 365 * 24 * 3600  # §12.5: a ttl beyond reason is treated as none
WHAT = "status list token"


def looks_like_token(text: str) -> bool:
    """A compact JWS whose header says statuslist+jwt, or whose claims hold a `status_list`
    (so that a list with another typ is refused as such, not read as some other JWT)."""
    from skillpass.errors import SkillpassError
    from skillpass.formats import jose

    if text.count(".") != 2 or not text.startswith("ey"):
        return False
    try:
        jws = jose.read_compact(text, WHAT)
        return jws.header.get("typ") in TYPES or "status_list" in jose.payload_json(jws, WHAT)
    except SkillpassError:  # only a guess at the kind; reading it again says what is wrong
        return False


def read_token_status_list(token: str, url: str | None, material: Material, now: datetime) -> StatusList:
    """The StatusList a Status List Token publishes, its signature checked."""
    from skillpass.formats import jose
    from skillpass.formats.issuer_keys import issuer_key

    jws = jose.read_compact(token.strip(), WHAT)
    # §5.1: typ MUST be statuslist+jwt (so no other JWT of the issuer passes for a list)
    if jws.header.get("typ") not in TYPES:
        raise InvalidError(f"the JWT's typ is {str(jws.header.get('typ'))[:40]!r}, not statuslist+jwt",
                           "give the status list token itself", code="E_STATUS_LIST_KIND")
    claims = jose.payload_json(jws, WHAT)
    iss = claims.get("iss")
    # §8.3 step 3a: RFC 7519 §7.2 validation, with the issuer's key found offline (§11.3)
    key = issuer_key(jws.header, iss, material.trusted)
    jose.verify(jws, key.public_key, WHAT)
    issuer = iss if isinstance(iss, str) and iss else key.source.split("#", 1)[0]
    subject = _subject(claims, url)
    issued = _time(claims, "iat", required=True)
    _not_before(claims, now)
    listed = claims.get("status_list")
    bits, data = _status_list(listed)
    return StatusList(url=subject, kind="token-status-list", issuer=issuer, purposes=("status",), bits=bits,
                      data=data, issued=issued, stale_after=_stale_after(claims, now), lsb_first=True)


def decode_lst(lst: Any, bits: Any) -> tuple[int, bytes]:
    """`status_list` {bits, lst}: §4.2 base64url of the ZLIB-compressed byte array."""
    from skillpass.keys.multibase import b64url_decode
    from skillpass.status import MAX_LIST_BYTES, inflate_list

    if isinstance(bits, bool) or bits not in BITS:
        raise InvalidError(f"the status list's bits is {str(bits)[:20]!r}, not 1, 2, 4 or 8 (§4.1)",
                           "ask the issuer for a conforming status list", code="E_STATUS_LIST_SIZE")
    if not isinstance(lst, str) or not lst:
        raise InvalidError("the status list has no lst", "ask the issuer for a complete status list",
                           code="E_STATUS_LIST_ENCODING")
    try:
        compressed = b64url_decode(lst, max_bytes=MAX_LIST_BYTES, what="the status list's lst")
    except BadInputError as exc:
        if exc.code == "E_TOO_LARGE":
            raise BadInputError(f"the status list is over {MAX_LIST_BYTES // (1024 * 1024)} MiB compressed",
                                "this is not a real status list",
                                code="E_STATUS_LIST_TOO_LARGE") from None
        raise InvalidError(f"the status list's lst is not base64url: {exc.message}",
                           "ask the issuer for a conforming status list", code="E_STATUS_LIST_ENCODING") from None
    return int(bits), inflate_list(compressed, wbits=15)  # §4.1 step 4: ZLIB only


def _status_list(listed: Any) -> tuple[int, bytes]:
    if not isinstance(listed, dict):
        raise InvalidError("the status list token has no status_list claim (§5.1)",
                           "give the status list token itself", code="E_STATUS_LIST_KIND")
    return decode_lst(listed.get("lst"), listed.get("bits"))


def _subject(claims: dict[str, Any], url: str | None) -> str:
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub:
        raise InvalidError("the status list token has no sub (its URI, §5.1)",
                           "ask the issuer for a conforming status list", code="E_STATUS_LIST_URL")
    # §8.3 step 4a: sub MUST equal the uri of the credential's status_list
    if url is not None and sub != url:
        raise InvalidError(f"the status list token is for {sub[:200]}, not {url[:200]}",
                           "give the status list the credential names", code="E_STATUS_LIST_URL")
    return sub[:2048]


def _time(claims: dict[str, Any], name: str, *, required: bool = False) -> str | None:
    from skillpass.encoding.dates import from_numeric_date

    value = claims.get(name)
    if value is None and not required:
        return None
    text = from_numeric_date(value)
    if text is None:
        raise InvalidError(f"the status list token's {name} is {'missing' if value is None else 'not a date'}",
                           "ask the issuer for a conforming status list", code="E_STATUS_LIST_DATE")
    return text


def _not_before(claims: dict[str, Any], now: datetime) -> None:
    from skillpass.encoding.dates import as_utc, numeric_date

    if "nbf" not in claims:
        return
    nbf = numeric_date(claims["nbf"])
    if nbf is None or nbf > as_utc(now):
        raise InvalidError("the status list token is not valid yet (nbf)",
                           "check this computer's clock, or get the list again later", code="E_STATUS_LIST_DATE")


def _stale_after(claims: dict[str, Any], now: datetime) -> str | None:
    """The earlier of `exp` and `ttl` seconds from `now`, when the list is read (§13.7: the
    recommended caching counts ttl from when the list was fetched)."""
    from skillpass.encoding.dates import as_utc, format_utc, numeric_date

    ends = []
    if claims.get("exp") is not None:
        exp = numeric_date(claims["exp"])
        if exp is None:
            raise InvalidError("the status list token's exp is not a date", "ask the issuer for a "
                               "conforming status list", code="E_STATUS_LIST_DATE")
        ends.append(exp)
    ttl = claims.get("ttl")
    if isinstance(ttl, (int, float)) and not isinstance(ttl, bool) and 0 < ttl <= MAX_TTL_S:
        ends.append(as_utc(now) + timedelta(seconds=ttl))
    return format_utc(min(ends)) if ends else None
