"""The three status lists a W3C credential carries as a bitstring: BitstringStatusList v1.0 (VC
2.0), StatusList2021 and RevocationList2020 (w3c-ccg drafts, the pilot's MATTR credentials).

Each is a verifiable credential whose subject's `encodedList` is a GZIP-compressed bitstring,
index 0 at the left-most (most significant) bit of the first byte. What differs:

    BitstringStatusListCredential   'u' + base64url (multibase), purpose(s), ttl, >= 131,072 entries
    StatusList2021Credential        base64url, no multibase prefix, statusPurpose
    RevocationList2020Credential    base64url, no purpose (revocation); the spec says ZLIB and
                                    at least 16KB, its own example is GZIP and 100,000 bits

The credential's proof is checked by read.py before it comes here; this module reads what it
says. Decompression is bounded (status.MAX_LIST_BYTES of encodedList in, status.MAX_INFLATED
out), so that a few kilobytes of DEFLATE cannot make the wallet allocate gigabytes.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from skillpass.encoding.b64 import b64_decode_lenient
from skillpass.errors import BadInputError, InvalidError
from skillpass.status import MAX_LIST_BYTES, StatusList, inflate_list

MIN_ENTRIES = 131_072  # Bitstring Status List §3.2 (validate) step 2: minimumNumberOfEntries
MAX_TTL_MS = 10 * 365 * 24 * 3600 * 1000  # a ttl past ten years is treated as none

# credential type -> (StatusList.kind, credentialSubject type)
CREDENTIAL_TYPES = {
    "BitstringStatusListCredential": ("bitstring", "BitstringStatusList"),
    "StatusList2021Credential": ("statuslist2021", "StatusList2021"),
    "RevocationList2020Credential": ("revocationlist2020", "RevocationList2020"),
}


def list_kind(unverified_credential: Any) -> str | None:
    """Which of the three list credentials this is (by its `type`), or None."""
    if not isinstance(unverified_credential, dict):
        return None
    types = unverified_credential.get("type")
    types = [types] if isinstance(types, str) else types if isinstance(types, list) else []
    for name, (kind, _) in CREDENTIAL_TYPES.items():
        if name in types:
            return kind
    return None


def read_list_credential(credential: dict[str, Any], issuer: str, url: str | None,
                         now: datetime) -> StatusList:
    """The StatusList a verified list credential of `issuer` publishes. `url` is where the
    credential names it (statusListCredential); None takes the credential's own `id`."""
    kind = list_kind(credential)
    if kind is None:
        raise BadInputError("not a status list credential (its type names no BitstringStatusList"
                            "Credential, StatusList2021Credential or RevocationList2020Credential)",
                            "give the status list the credential names", code="E_STATUS_LIST_KIND")
    subject = _subject(credential, kind)
    data = inflate_list(decode_encoded_list(subject.get("encodedList"), kind), wbits=47)
    bits = _status_size(subject)
    # §3.2 step 9: the bitstring's length divided by the entry's statusSize is at least the minimum
    # (STATUS_LIST_LENGTH_ERROR). The entry's size is the lookup's to apply (lookup._too_short);
    # here a list too short even for one-bit entries is refused. The two older drafts are read at
    # any length (RevocationList2020's own example has 100,000).
    if kind == "bitstring" and len(data) * 8 < MIN_ENTRIES:
        raise InvalidError(f"the status list has {len(data) * 8} bits, fewer than the {MIN_ENTRIES} "
                           "entries Bitstring Status List §3.2 requires",
                           "ask the issuer for a conforming status list", code="E_STATUS_LIST_LENGTH")
    return StatusList(url=list_url(credential, url), kind=kind, issuer=issuer, purposes=_purposes(subject, kind),
                      bits=bits, data=data, issued=_first_text(credential, "validFrom", "issuanceDate", "issued"),
                      stale_after=_stale_after(credential, subject, kind, now))


def list_url(credential: dict[str, Any], url: str | None) -> str:
    """Where the list is named. A list whose `id` says it is another list is refused, so that an
    old or unrelated list of the same issuer cannot stand in for the one a credential names."""
    own = credential.get("id")
    if url is None:
        if not isinstance(own, str) or not own:
            raise BadInputError("the status list has no id, so skillpass cannot tell which "
                                "credentials it is for", "give the URL the credential names with it",
                                code="E_STATUS_LIST_URL")
        return own[:2048]
    if isinstance(own, str) and own != url:
        raise InvalidError(f"the status list says it is {own[:200]}, not {url[:200]}",
                           "give the status list the credential names", code="E_STATUS_LIST_URL")
    return url


def decode_encoded_list(value: Any, kind: str) -> bytes:
    """`encodedList` as bytes: multibase base64url for Bitstring Status List (§2.2: the 'u'
    prefix is required), base64url without a prefix for the two drafts (standard base64 and
    padding are accepted too: RevocationList2020 says only "base-64")."""
    if not isinstance(value, str) or not value:
        raise InvalidError("the status list has no encodedList", "ask the issuer for a complete status list",
                           code="E_STATUS_LIST_ENCODING")
    if len(value) > MAX_LIST_BYTES:  # no longer than the list that holds it (status/read.py)
        raise BadInputError(f"the status list's encodedList is over {MAX_LIST_BYTES // (1024 * 1024)} MiB",
                            "this is not a real status list", code="E_STATUS_LIST_TOO_LARGE")
    if kind == "bitstring":
        if not value.startswith("u"):
            raise InvalidError("the status list's encodedList does not start with 'u' (multibase "
                               "base64url), as Bitstring Status List §2.2 requires",
                               "ask the issuer for a conforming status list", code="E_STATUS_LIST_ENCODING")
        value = value[1:]
    elif value.startswith("uH4sI"):  # a StatusList2021 written with the later multibase prefix
        value = value[1:]
    try:
        return b64_decode_lenient(value, max_bytes=MAX_LIST_BYTES, what="the status list's encodedList")
    except BadInputError:
        raise InvalidError("the status list's encodedList is not base64url", "ask the issuer for a "
                           "conforming status list", code="E_STATUS_LIST_ENCODING") from None


def _subject(credential: dict[str, Any], kind: str) -> dict[str, Any]:
    expected = next(t for k, t in CREDENTIAL_TYPES.values() if k == kind)
    subject = credential.get("credentialSubject")
    subjects = subject if isinstance(subject, list) else [subject]
    for candidate in subjects[:8]:
        if isinstance(candidate, dict):
            types = candidate.get("type")
            types = [types] if isinstance(types, str) else types if isinstance(types, list) else []
            if expected in types:
                return candidate
    raise InvalidError(f"the status list's credentialSubject is not a {expected}",
                       "ask the issuer for a conforming status list", code="E_STATUS_LIST_KIND")


def _purposes(subject: dict[str, Any], kind: str) -> tuple[str, ...]:
    if kind == "revocationlist2020":
        return ("revocation",)  # RevocationList2020 has no purpose: a set bit is a revocation
    value = subject.get("statusPurpose")
    values = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    purposes = tuple(v[:64] for v in values[:16] if isinstance(v, str) and v)
    if not purposes:
        raise InvalidError("the status list names no statusPurpose", "ask the issuer for a conforming "
                           "status list", code="E_STATUS_LIST_PURPOSE")
    return purposes


def _status_size(subject: dict[str, Any]) -> int:
    """Bits an entry: 1. Bitstring Status List puts `statusSize` on each credential's entry (the
    lookup uses it); drafts of 2023 put it on the list, and it is read here when present."""
    size = subject.get("statusSize", 1)
    if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= 8:
        raise InvalidError(f"the status list's statusSize {str(size)[:20]!r} is not 1 to 8 bits",
                           "ask the issuer for a conforming status list", code="E_STATUS_LIST_SIZE")
    return size


def _stale_after(credential: dict[str, Any], subject: dict[str, Any], kind: str, now: datetime) -> str | None:
    """The earlier of the list's end of validity (validUntil, VC 1.1 expirationDate) and, for
    Bitstring lists, `ttl` milliseconds from `now`, when the list is read (the wallet reads a list
    when it obtains it). §2.2: ttl has no default, and does not extend the validity period."""
    from skillpass.encoding.dates import as_utc, format_utc, parse

    ends = []
    until = _first_text(credential, "validUntil", "expirationDate")
    if until is not None and parse(until, end_of_day=True) is not None:
        ends.append(parse(until, end_of_day=True))
    ttl = subject.get("ttl")
    if kind == "bitstring" and isinstance(ttl, (int, float)) and not isinstance(ttl, bool) \
            and 0 < ttl <= MAX_TTL_MS:
        ends.append(as_utc(now) + timedelta(milliseconds=ttl))
    return format_utc(min(ends)) if ends else None


def _first_text(document: dict[str, Any], *names: str) -> str | None:
    for name in names:
        value = document.get(name)
        if isinstance(value, str) and value:
            return value[:64]
    return None
