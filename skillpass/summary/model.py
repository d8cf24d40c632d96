"""The summary's records and their codecs: plain dicts in the store, cheap to read back for `list`."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from skillpass.errors import BadInputError
from skillpass.langtext import LangText

SUMMARY_VERSION = 4  # 2: status entries; 3: result descriptions' alignments, SD-JWT skills; 4: SD-JWT status


class _Record:
    """Plain-dict (de)serialisation driven by a per-class codec table: cheap enough for `list`."""

    _codecs: tuple[tuple[str, Callable[[Any], Any] | None, Callable[[Any], Any] | None], ...] = ()
    _decoders: dict[str, Callable[[Any], Any] | None] = {}
    _defaults: dict[str, Any] = {}
    _required: tuple[str, ...] = ()

    def _encode(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, encode, _ in self._codecs:
            value = getattr(self, name)
            if value is None or value is False or value == ():
                continue
            out[name] = value if encode is None else encode(value)
        return out

    @classmethod
    def _decode(cls, data: dict[str, Any]) -> Any:
        # A frozen dataclass __init__ sets each field through object.__setattr__ (~0.3 µs a field);
        # `list` decodes 10,000 summaries, so fill the instance __dict__ directly (8x faster).
        record = object.__new__(cls)
        fields = record.__dict__
        fields.update(cls._defaults)
        decoders = cls._decoders
        for name, value in data.items():  # stored dicts are sparse: walk them, not the fields
            if name in decoders and value is not None:
                decode = decoders[name]
                fields[name] = value if decode is None else decode(value)
        for name in cls._required:
            if name not in fields:
                raise KeyError(name)
        return record

    def to_dict(self) -> dict[str, Any]:
        return self._encode()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Any:
        return cls._decode(data)


@dataclass(frozen=True)
class Party(_Record):
    """An issuer, an achievement's creator, or the organization that made an award."""

    id: str | None = None
    name: LangText | None = None
    url: str | None = None
    image: str | None = None

    def display(self, lang_preferences: Sequence[str] = ()) -> str:
        if self.name is not None and self.name.default:
            return self.name.pick(lang_preferences)
        return self.id or ""


@dataclass(frozen=True)
class Alignment(_Record):
    """OB 3.0 Alignment: a link to a competency framework or skill."""

    target_name: LangText | None = None
    target_url: str | None = None
    target_framework: LangText | None = None
    target_code: str | None = None
    target_type: str | None = None
    target_description: LangText | None = None


@dataclass(frozen=True)
class Achievement(_Record):
    id: str | None = None
    name: LangText | None = None
    description: LangText | None = None
    achievement_type: str | None = None
    criteria_narrative: LangText | None = None
    criteria_id: str | None = None
    image: str | None = None
    alignments: tuple[Alignment, ...] = ()
    credits_available: str | None = None
    field_of_study: LangText | None = None
    human_code: str | None = None
    tags: tuple[str, ...] = ()
    creator: Party | None = None


@dataclass(frozen=True)
class Result(_Record):
    """OB 3.0 Result; `name` and `level_name` resolve the ids against the achievement."""

    value: str | None = None
    status: str | None = None
    achieved_level: str | None = None
    result_description: str | None = None
    name: LangText | None = None
    level_name: LangText | None = None


@dataclass(frozen=True)
class StatusEntry(_Record):
    """A `credentialStatus` entry (VC DM 2.0 §4.10): where the issuer publishes revocation or
    suspension. Kept so no view calls a credential plainly valid while its status is unchecked."""

    type: str | None = None  # BitstringStatusListEntry, StatusList2021Entry, 1EdTechRevocationList...
    purpose: str | None = None  # revocation, suspension...
    list: str | None = None  # statusListCredential, revocationListCredential (else the entry's id)
    index: str | None = None  # statusListIndex, revocationListIndex; an id list: the credential's id
    size: str | None = None  # statusSize: bits a credential (Bitstring Status List §2.1)


@dataclass(frozen=True)
class Claim(_Record):
    """One leaf of the subject data. `path` is an RFC 6901 JSON pointer into the credential,
    so a view can show it and a selection can disclose it."""

    path: str = ""
    value: LangText = LangText("")


@dataclass(frozen=True)
class Summary(_Record):
    """A credential as `list`, `show` and the passport display it.

    `kind` is OpenBadgeCredential (also AchievementCredential), ClrCredential, EndorsementCredential,
    AcademicAward, VerifiableCredential, SdJwtVc, or Unreadable (a nested credential that could not
    be read). `issued`/`expires` are validFrom/validUntil (VC 2.0) or issuanceDate/expirationDate
    (VC 1.1) as written; `awarded` is OB 3.0 awardedDate or AcademicAward dateAwarded. `credentials`
    are a CLR's nested credentials; `claims` flatten the subject of kinds without a richer shape.
    `truncated` says a cap cut something: the credential itself is intact.
    """

    title: LangText
    kind: str = "VerifiableCredential"
    types: tuple[str, ...] = ()
    description: LangText | None = None
    issuer: Party = Party()
    subject_id: str | None = None
    subject_name: LangText | None = None
    issued: str | None = None
    expires: str | None = None
    awarded: str | None = None
    vc_version: str | None = None
    credential_id: str | None = None
    image: str | None = None
    achievements: Sequence[Achievement] = ()
    results: Sequence[Result] = ()
    credits_earned: str | None = None
    activity_start: str | None = None
    activity_end: str | None = None
    credentials: Sequence[Summary] = ()
    claims: Sequence[Claim] = ()
    status: tuple[StatusEntry, ...] = ()
    truncated: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"v": SUMMARY_VERSION, **self._encode()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Summary:
        """Rebuild a stored summary. No validation beyond the version: the store authenticated it."""
        if not isinstance(data, dict) or data.get("v") != SUMMARY_VERSION:
            raise BadInputError("stored summary has an unknown version",
                                hint="derive the summary again from the stored credential",
                                code="E_SUMMARY_VERSION")
        try:
            return cls._decode(data)
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            raise BadInputError("stored summary is damaged",
                                hint="derive the summary again from the stored credential",
                                code="E_SUMMARY") from exc

    def list_row(self, lang_preferences: Sequence[str] = ()) -> dict[str, str | None]:
        """The few fields `list` shows; the record id is the store's to add."""
        return {"title": self.title.pick(lang_preferences), "issuer": self.issuer.display(lang_preferences),
                "kind": self.kind, "issued": self.issued, "expires": self.expires}


class _Lazy(Sequence[Any]):
    """A stored list of records, decoded on first use: `list` reads thousands of summaries and
    never looks at their achievements or claims. Compares and hashes like the tuple it stands for."""

    __slots__ = ("_raw", "_decode", "_items")

    def __init__(self, raw: list[Any], decode: Callable[[Any], Any]) -> None:
        self._raw, self._decode, self._items = raw, decode, None

    def _all(self) -> tuple[Any, ...]:
        if self._items is None:
            self._items = tuple(map(self._decode, self._raw))
        return self._items

    def __getitem__(self, index: Any) -> Any:
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._raw) if self._items is None else len(self._items)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (tuple, _Lazy)):
            return self._all() == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._all())

    def __repr__(self) -> str:
        return repr(self._all())


def _one(cls: type[_Record]) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    return cls._encode, cls._decode


def _many(cls: type[_Record], *, lazy: bool = False) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    def encode(items: Sequence[_Record]) -> list[dict[str, Any]]:
        return [item._encode() for item in items]

    def decode(items: list[Any]) -> Sequence[Any]:
        return _Lazy(items, cls._decode) if lazy else tuple(map(cls._decode, items))

    return encode, decode


def _bind(cls: type[_Record], **special: tuple[Callable[[Any], Any], Callable[[Any], Any]]) -> None:
    cls._codecs = tuple((f.name, *special.get(f.name, (None, None))) for f in dataclasses.fields(cls))
    cls._decoders = {name: decode for name, _, decode in cls._codecs}
    fields = dataclasses.fields(cls)
    cls._defaults = {f.name: f.default for f in fields if f.default is not dataclasses.MISSING}
    cls._required = tuple(f.name for f in fields if f.default is dataclasses.MISSING)


_TEXT = (LangText.to_json, LangText.from_json)
_STRINGS = (list, tuple)
_bind(Party, name=_TEXT)
_bind(Alignment, target_name=_TEXT, target_framework=_TEXT, target_description=_TEXT)
_bind(Achievement, name=_TEXT, description=_TEXT, criteria_narrative=_TEXT, field_of_study=_TEXT,
      alignments=_many(Alignment), tags=_STRINGS, creator=_one(Party))
_bind(Result, name=_TEXT, level_name=_TEXT)
_bind(Claim, value=_TEXT)
_bind(StatusEntry)
_bind(Summary, title=_TEXT, description=_TEXT, subject_name=_TEXT, types=_STRINGS, issuer=_one(Party),
      achievements=_many(Achievement, lazy=True), results=_many(Result, lazy=True),
      credentials=_many(Summary, lazy=True), claims=_many(Claim, lazy=True),
      status=_many(StatusEntry))
