"""The verifier's trust list: the issuers a user trusts, each with a display name: DIDs, and
https issuers of JWT-shaped credentials kept with their JWT VC Issuer Metadata (the key set
their SD-JWT VCs and VC-JWTs are checked with, draft-ietf-oauth-sd-jwt-vc §5).

Kept as plain JSON in `trust.json` in the skillpass home, apart from the wallet: what a verifier
trusts is not secret, and `skillpass verify` must work with no wallet and no passphrase. The file
is 0600 and replaced atomically (temporary file, fsync, rename), so a crash leaves the old list
or the new one, never half of either. Format (version 1):

    {"version": 1,
     "issuers": [{"did": "did:web:boreal.example", "name": "Collège Boréal",
                  "added": "2026-03-01T12:00:00Z"},
                 {"issuer": "https://credentials.boreal.example", "name": "Collège Boréal",
                  "added": "2026-03-01T12:00:00Z",
                  "metadata": {"issuer": "https://...", "jwks": {"keys": [...]}}}]}
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from skillpass.encoding.plain_text import unsafe_character
from skillpass.errors import BadInputError, NotFoundError
from skillpass.files import write_new_file

if TYPE_CHECKING:
    from skillpass.formats.issuer_keys import IssuerMetadata

TRUST_FILE = "trust.json"
FORMAT_VERSION = 1
MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_DID = 8192  # did:jwk carries a whole JWK
MAX_NAME = 200
# W3C DID Core 1.0, 3.1 DID Syntax (without path, query or fragment: an issuer is a DID).
_DID = re.compile(r"did:[a-z0-9]+:(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2}|:)*"
                  r"(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True)
class TrustEntry:
    did: str  # the issuer's id: a DID, or the https issuer its metadata names
    name: str
    added: str | None = None
    metadata: IssuerMetadata | None = None

    def to_dict(self) -> dict[str, Any]:
        entry: dict[str, Any] = ({"did": self.did} if self.metadata is None
                                 else {"issuer": self.did})
        entry["name"] = self.name
        if self.added is not None:
            entry["added"] = self.added
        if self.metadata is not None:
            entry["metadata"] = self.metadata.to_dict()
        return entry


def check_did(did: Any) -> str:
    """`did` if it is a DID (DID Core 3.1 syntax, no fragment); BadInputError otherwise."""
    if not isinstance(did, str) or len(did) > MAX_DID or not _DID.fullmatch(did):
        shown = did[:80] if isinstance(did, str) else type(did).__name__
        raise BadInputError(f"{shown!r} is not a DID",
                            "trust an issuer by its DID, e.g. did:web:college.example "
                            "(the issuer id shown by skillpass verify)", code="E_BAD_DID")
    return did


def check_name(name: Any) -> str:
    """The name with surrounding spaces removed; BadInputError when empty, not one line of text or too long."""
    cleaned = name.strip() if isinstance(name, str) else ""
    if not cleaned:
        raise BadInputError("the issuer's name is empty", "give the name to show for this issuer",
                            code="E_BAD_NAME")
    if _CONTROL.search(cleaned):  # a tab or an escape is no more a "too long" name than a newline is
        raise BadInputError("the issuer's name has a control character (a line break, a tab, an escape...)",
                            "give the name as one line of plain text", code="E_BAD_NAME")
    if len(cleaned) > MAX_NAME:
        raise BadInputError(f"the issuer's name must be one line of at most {MAX_NAME} characters",
                            "give a shorter name", code="E_BAD_NAME")
    return cleaned


class TrustList:
    """The trusted issuers of one skillpass home; changes are kept in memory until `save()`."""

    def __init__(self, path: Path, entries: list[TrustEntry] | tuple[TrustEntry, ...] = ()) -> None:
        self.path = path
        self._entries = {entry.did: entry for entry in entries}

    @classmethod
    def load(cls, home: Path) -> TrustList:
        """The list in `home` (empty when there is no trust.json yet)."""
        from skillpass.wallet.home import check_home

        check_home(Path(home))
        path = Path(home) / TRUST_FILE
        raw = _read(path)
        return cls(path, () if raw is None else _parse(raw, path))

    def add(self, did: str, name: str, *, now: datetime | None = None,
            metadata: IssuerMetadata | None = None) -> TrustEntry:
        """Trust `did` under `name` (or, with `metadata`, the https issuer it names, with its
        keys); an issuer already listed gets the new name and metadata."""
        did = metadata.issuer if metadata is not None else check_did(did)
        issuer_found = unsafe_character(did)  # a DID cannot have one; an https issuer could
        if issuer_found is not None:
            raise BadInputError(f"the issuer metadata's issuer has a control or invisible character ({issuer_found})",
                                "give the document the issuer serves at /.well-known/jwt-vc-issuer",
                                code="E_METADATA")
        name = check_name(name)
        found = unsafe_character(name)  # not in check_name: a list kept before still loads
        if found is not None:
            raise BadInputError(f"the issuer's name has a control or invisible character ({found})",
                                "give the name as one line of plain text", code="E_BAD_NAME")
        moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
        previous = self._entries.get(did)
        added = previous.added if previous else moment.strftime("%Y-%m-%dT%H:%M:%SZ")
        entry = TrustEntry(did, name, added, metadata)
        self._entries[did] = entry
        return entry

    def remove(self, did: str) -> TrustEntry:
        entry = self._entries.pop(did, None) if isinstance(did, str) else None
        if entry is None:
            raise NotFoundError(f"{did} is not in the trust list",
                                "see the trusted issuers with: skillpass trust list",
                                code="E_NOT_TRUSTED")
        return entry

    def entries(self) -> tuple[TrustEntry, ...]:
        return tuple(self._entries.values())

    def metadata(self) -> dict[str, IssuerMetadata]:
        """Issuer URL -> its JWT VC Issuer Metadata, for the issuers kept with one."""
        return {e.did: e.metadata for e in self._entries.values() if e.metadata is not None}

    def name_of(self, did: str | None) -> str | None:
        entry = self._entries.get(did) if isinstance(did, str) else None
        return entry.name if entry else None

    def __contains__(self, did: object) -> bool:
        return did in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def to_dict(self) -> dict[str, Any]:
        return {"version": FORMAT_VERSION, "issuers": [e.to_dict() for e in self._entries.values()]}

    def save(self) -> None:
        """Write trust.json atomically, 0600, creating the home (0700) if needed."""
        import json

        from skillpass.wallet.home import ensure_private_dir

        ensure_private_dir(self.path.parent)
        data = json.dumps(self.to_dict(), ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
        write_new_file(self.path, data, overwrite=True)


def _read(path: Path) -> bytes | None:
    from skillpass.files import read_regular_file

    if not path.exists() and not path.is_symlink():
        return None
    return read_regular_file(path, MAX_FILE_BYTES + 1)


def _parse(raw: bytes, path: Path) -> list[TrustEntry]:
    from skillpass.ingest import parse_json

    damaged = BadInputError(f"the trust list {path} is damaged",
                            "fix the file by hand, or delete it and add the issuers again",
                            code="E_TRUST_FILE")
    if len(raw) > MAX_FILE_BYTES:
        raise damaged
    try:
        document = parse_json(raw)
    except BadInputError:
        raise damaged from None
    if (not isinstance(document, dict) or document.get("version") != FORMAT_VERSION
            or not isinstance(document.get("issuers"), list)):
        raise damaged
    entries: list[TrustEntry] = []
    for item in document["issuers"]:
        if not isinstance(item, dict) or not isinstance(item.get("added", ""), str):
            raise damaged
        try:
            entries.append(_entry(item))
        except BadInputError:
            raise damaged from None
    if len({e.did for e in entries}) != len(entries):
        raise damaged
    return entries


def _entry(item: dict[str, Any]) -> TrustEntry:
    if "metadata" not in item:
        return TrustEntry(check_did(item.get("did")), check_name(item.get("name")), item.get("added"))
    from skillpass.formats.issuer_keys import parse_metadata

    metadata = parse_metadata(item["metadata"])
    if item.get("issuer") != metadata.issuer:
        raise BadInputError("a trust list entry's issuer is not its metadata's")
    return TrustEntry(metadata.issuer, check_name(item.get("name")), item.get("added"), metadata)
