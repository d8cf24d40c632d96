"""Whether an issuer has revoked or suspended a credential: the status lists its credentials
name, as the wallet keeps them (`status add`, `status refresh`) or a verifier is given them
(`verify --status-list FILE`). Everything here is offline: fetching is flow/status.py's, on
the learner's request only.

Every kind of list is read, with its signature checked, into one `StatusList`, and a
credential's entry (summary.StatusEntry) is looked up in it:

    bitstring.py   BitstringStatusList (VC 2.0), StatusList2021, RevocationList2020: a credential
                   whose subject's `encodedList` is a GZIP-compressed bitstring, first bit first
    token.py       IETF Token Status List (a `statuslist+jwt`; ZLIB, 1/2/4/8 bits a token)
    onetech.py     1EdTech revocation lists (OB 3.0 `1EdTechRevocationList`, OB 2.0 RevocationList)
    formats/mattr_cwt/status_list.py   MATTR compact credentials' CWT status list (claim -65538)

`read.read_status_list(raw, url, material, now)` reads any of them; `lookup.status_of(entry,
issuer, lists, now)` answers for one entry; `lookup.list_key(url)` is the URL a list is kept under.

Every reader and fetcher uses the two bounds here: MAX_LIST_BYTES of a list as it is read (the
file, the download), MAX_INFLATED of the bitstring it decompresses to, so that a list one part
accepts is never one another part cannot read.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any

MAX_LIST_BYTES = 2 * 1024 * 1024  # a list as read: a list credential is a few KB; 2 MiB is absurd
MAX_INFLATED = 16 * 1024 * 1024  # its bitstring: 134 million one-bit entries, far beyond any real list
VALID, REVOKED, SUSPENDED = "valid", "revoked", "suspended"
NOT_CHECKED, STALE = "status not checked", "status not checked since"


@dataclass(frozen=True)
class StatusList:
    """A status list as verified: who published it, where, what its entries mean, and until when
    it is current. `data` is the decompressed bitstring (`bits` bits per credential, most
    significant bit first); lists of revoked ids (1EdTech, OB 2.0) keep `revoked_ids` instead."""

    url: str  # what credentials name: statusListCredential, the token's uri, the revocationList
    kind: str  # bitstring, statuslist2021, revocationlist2020, token-status-list, 1edtech, ob2, mattr-cwt
    issuer: str  # who signed it (a DID or an https issuer), or who the unsigned list says it is from
    purposes: tuple[str, ...] = ("revocation",)  # what a set bit means (token status lists: "status")
    bits: int = 1
    data: bytes = b""
    revoked_ids: frozenset[str] = field(default_factory=frozenset)
    issued: str | None = None  # when the issuer made it (validFrom, iat), as written
    stale_after: str | None = None  # validUntil, exp, or iat + ttl: fetch a newer one after it
    signed: bool = True  # False for the unsigned 1EdTech / OB 2.0 lists an issuer serves over https
    lsb_first: bool = False  # IETF Token Status List §4.1: index 0 is the first byte's lowest bits
    reasons: tuple[tuple[str, str], ...] = ()  # (revoked id, revocationReason) of the id lists

    def value_at(self, index: int, bits: int | None = None) -> int:
        """The value of the credential at `index`, `bits` bits wide (default: the list's), read
        first bit to last; IndexError beyond the list. Bitstring Status List §2.2: index 0 is the
        left-most bit and an entry of 3, 5, 6 or 7 bits crosses bytes; Token Status List §4.1
        (lsb_first): index 0 is the first byte's lowest bits."""
        size = bits or self.bits
        start, end = index * size, (index + 1) * size
        if index < 0 or end > len(self.data) * 8:
            raise IndexError(index)
        window = self.data[start // 8:(end + 7) // 8]
        if self.lsb_first:
            return (int.from_bytes(window, "little") >> (start % 8)) & ((1 << size) - 1)
        return (int.from_bytes(window, "big") >> (-end % 8)) & ((1 << size) - 1)

    def to_json(self) -> dict[str, Any]:
        return {"url": self.url, "kind": self.kind, "issuer": self.issuer, "purposes": list(self.purposes),
                "bits": self.bits, "data": base64.b64encode(self.data).decode("ascii"),
                "revoked_ids": sorted(self.revoked_ids), "issued": self.issued,
                "stale_after": self.stale_after, "signed": self.signed, "lsb_first": self.lsb_first,
                "reasons": dict(self.reasons)}

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> StatusList:
        return cls(value["url"], value["kind"], value["issuer"], tuple(value["purposes"]), int(value["bits"]),
                   base64.b64decode(value["data"]), frozenset(value["revoked_ids"]), value.get("issued"),
                   value.get("stale_after"), bool(value.get("signed", True)), bool(value.get("lsb_first")),
                   tuple(sorted((str(k), str(v)) for k, v in (value.get("reasons") or {}).items())))


@dataclass(frozen=True)
class StatusResult:
    """What one status entry of a credential says, from the lists at hand."""

    state: str  # VALID, REVOKED, SUSPENDED, NOT_CHECKED (no list), STALE (the list is out of date)
    list: str | None  # the list's URL
    detail: str  # one line for people: which list, which index, what it says
    purpose: str | None = None
    checked: str | None = None  # when the list used was obtained (STALE: the last time it was current)

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


def inflate_list(compressed: bytes, *, wbits: int, what: str = "status list", limit: int = MAX_INFLATED) -> bytes:
    """A list's bitstring, decompressed (encoding/inflate.py: bounded, nothing after the stream),
    in the words every status list reports: E_STATUS_LIST_TOO_LARGE beyond `limit`, InvalidError
    E_STATUS_LIST_ENCODING when the signed data does not decompress, is cut short, has data after
    it or is empty."""
    from skillpass.encoding.inflate import TOO_LARGE, inflate
    from skillpass.errors import BadInputError, InvalidError

    try:
        data = inflate(compressed, wbits=wbits, limit=limit, what=what)
    except BadInputError as exc:
        if exc.code == TOO_LARGE:
            raise BadInputError(exc.message, "this is not a real status list", code="E_STATUS_LIST_TOO_LARGE") from None
        raise InvalidError(exc.message, "ask the issuer for the status list again",
                           code="E_STATUS_LIST_ENCODING") from None
    if not data:
        raise InvalidError(f"the {what} is empty", "ask the issuer for a complete status list",
                           code="E_STATUS_LIST_ENCODING")
    return data
