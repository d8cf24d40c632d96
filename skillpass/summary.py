"""What the wallet remembers about a credential: the summary behind `list`, `show` and the passport.

A summary is display data derived from the credential, never the source: the credential is kept
byte-for-byte and its summary can be derived again (bump SUMMARY_VERSION when the shape changes).
Nothing here verifies anything. Values stay as the issuer wrote them: dates and numbers as strings,
texts as `LangText` with their languages. Input is untrusted, so every list and text is capped.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from typing import Any

from skillpass.encoding import dates
from skillpass.errors import BadInputError
from skillpass.keys.multibase import b64url_decode
from skillpass.langtext import LangText, language_map_terms, scalar_text, text_of

SUMMARY_VERSION = 2  # 2: status entries
MAX_ITEMS = 1000  # entries kept per list
MAX_TOTAL = 20_000  # entries kept per summary, nested credentials included
MAX_TEXT = 8192  # characters kept per value
MAX_IMAGE = 4096  # a longer image is an embedded data: URI; it stays in the credential
MAX_NESTING = 8  # credentials inside credentials (CLR)
MAX_CLAIM_DEPTH = 32
MAX_POINTER = 1024

VALID, EXPIRED, NOT_YET_VALID = dates.VALID, dates.EXPIRED, dates.NOT_YET_VALID
UNKNOWN = "unknown"

_VC2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
_VC1_CONTEXT = "https://www.w3.org/2018/credentials/v1"
# OB 3.0 §B.1.1: AchievementCredential is an alias of OpenBadgeCredential.
_OB_TYPES = ("OpenBadgeCredential", "AchievementCredential")
_TITLED_BY_ACHIEVEMENT = ("OpenBadgeCredential", "AcademicAward")
_WITHOUT_CLAIMS = ("OpenBadgeCredential", "ClrCredential")
# SD-JWT VC (draft-ietf-oauth-sd-jwt-vc §3.2.2) registered claims: metadata, not subject data.
_JWT_METADATA = frozenset({"iss", "sub", "iat", "nbf", "exp", "cnf", "vct", "vct#integrity",
                           "status", "jti", "aud", "_sd", "_sd_alg"})
_SKIP_KEYS = frozenset({"@context", "_sd", "_sd_alg"})


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
    list: str | None = None  # statusListCredential (or the entry's id when it names no list)
    index: str | None = None


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


# --- reading untrusted credential JSON ---------------------------------------------------------

class _Budget:
    def __init__(self) -> None:
        self.left = MAX_TOTAL


class _Reader:
    """Reads untrusted JSON under a budget: lists capped, texts cut, any cut noted in `truncated`."""

    def __init__(self, budget: _Budget, lang_terms: frozenset[str] = frozenset()) -> None:
        self.budget = budget
        self.lang_terms = lang_terms
        self.truncated = False

    def within(self, context: Any) -> _Reader:
        """A reader for a (nested) credential: its embedded context may declare language maps."""
        return _Reader(self.budget, self.lang_terms | language_map_terms(context))

    def items(self, value: Any, kind: type | tuple[type, ...] = dict) -> list[Any]:
        """The entries of a JSON-LD value (one value or an array) that have the expected type."""
        values = value if isinstance(value, list) else ([] if value is None else [value])
        limit = max(0, min(MAX_ITEMS, self.budget.left))
        picked = list(islice((v for v in values if isinstance(v, kind)), limit + 1))
        if len(picked) > limit:
            self.truncated = True
            del picked[limit:]
        self.budget.left -= len(picked)
        return picked

    def plain(self, value: Any) -> str | None:
        text = scalar_text(value)
        if text is not None and len(text) > MAX_TEXT:
            self.truncated = True
            return text[:MAX_TEXT]
        return text

    def text(self, value: Any, term: str = "") -> LangText | None:
        found = text_of(value, language_map=term in self.lang_terms)
        if found is None:
            return None
        langs = {tag: text for tag, text in found.langs.items() if len(tag) <= 64}
        if len(found.default) > MAX_TEXT or any(len(text) > MAX_TEXT for text in langs.values()):
            self.truncated = True
            return LangText(found.default[:MAX_TEXT], {t: s[:MAX_TEXT] for t, s in langs.items()})
        return found if len(langs) == len(found.langs) else LangText(found.default, langs)

    def ref(self, value: Any) -> str | None:
        """An IRI given as a string or as a node object with an `id`."""
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, dict):
            value = value.get("id")
        return self.plain(value) if isinstance(value, str) else None

    def image(self, value: Any) -> str | None:
        image = self.ref(value)
        if image is not None and len(image) > MAX_IMAGE:
            self.truncated = True
            return None
        return image


def summarize(credential: Any) -> Summary:
    """Summarize a parsed credential: a VC 1.1/2.0 JSON-LD document (Open Badge 3.0, CLR 2.0,
    AcademicAward, any other), a VC-JWT payload (`vc` claim) or SD-JWT VC claims (`vct`).

    Raises only BadInputError, whatever the shape of the input.
    """
    try:
        return _summarize(credential, _Reader(_Budget()), 0)
    except BadInputError:
        raise
    except (TypeError, ValueError, AttributeError, KeyError, IndexError, RecursionError) as exc:
        # A shape the readers above did not foresee must not crash an import over display data.
        raise BadInputError("credential has a shape skillpass cannot read",
                            hint="check the file is a verifiable credential", code="E_SHAPE") from exc


def _summarize(credential: Any, parent: _Reader, depth: int) -> Summary:
    if not isinstance(credential, dict):
        raise BadInputError("not a credential: expected a JSON object",
                            hint="check the file is a verifiable credential", code="E_NOT_CREDENTIAL")
    if "credentialSubject" not in credential:
        if isinstance(credential.get("vc"), dict):
            credential = _from_vc_jwt(credential)
        elif "vct" in credential:
            return _summarize_sd_jwt_vc(credential, parent.within(None))
    r = parent.within(credential.get("@context"))
    subjects = _subjects(credential.get("credentialSubject"))
    types = _types(credential.get("type"), r)
    kind = _kind(types)
    first = subjects[0][1]
    achievements, results = _achievements_and_results(subjects, r)
    awarded = r.plain(credential.get("awardedDate"))
    if kind == "AcademicAward":
        award, date_awarded = _academic_award(first, r)
        achievements = ([award] if award else []) + achievements
        awarded = awarded or date_awarded
    title, description = _title(credential, kind, types, achievements, r)
    credentials = _nested_credentials(subjects, r, depth) if kind == "ClrCredential" else ()
    claims = () if kind in _WITHOUT_CLAIMS else tuple(c for p, s in subjects for c in _claims(s, p, r))
    return Summary(
        title=title, kind=kind, types=types, description=description,
        issuer=_party(credential.get("issuer"), r) or Party(),
        subject_id=r.ref(first.get("id")), subject_name=_person_name(first, r),
        issued=r.plain(_first_given(credential, "validFrom", "issuanceDate")),
        expires=r.plain(_first_given(credential, "validUntil", "expirationDate")),
        awarded=awarded, vc_version=_vc_version(credential.get("@context")),
        credential_id=r.ref(credential.get("id")),
        image=r.image(credential.get("image")) or next((a.image for a in achievements if a.image), None),
        achievements=tuple(achievements), results=tuple(results),
        credits_earned=r.plain(first.get("creditsEarned")),
        activity_start=r.plain(first.get("activityStartDate")),
        activity_end=r.plain(first.get("activityEndDate")),
        credentials=credentials, claims=claims, status=_status_entries(credential, r),
        truncated=r.truncated,
    )


def _status_entries(credential: dict[str, Any], r: _Reader) -> tuple[StatusEntry, ...]:
    entries = r.items(credential.get("credentialStatus"))
    return tuple(StatusEntry(
        type=r.plain(entry.get("type") if isinstance(entry.get("type"), str) else
                     next(iter(r.items(entry.get("type"), str)), None)),
        purpose=r.plain(entry.get("statusPurpose")),
        list=r.ref(entry.get("statusListCredential")) or r.ref(entry.get("id")),
        index=r.plain(entry.get("statusListIndex"))) for entry in entries)


def _subjects(value: Any) -> list[tuple[str, dict[str, Any]]]:
    """(JSON pointer, subject) pairs; VC DM allows one subject or several."""
    if isinstance(value, dict):
        return [("/credentialSubject", value)]
    if isinstance(value, list):
        found = [(f"/credentialSubject/{i}", s) for i, s in enumerate(value[:MAX_ITEMS]) if isinstance(s, dict)]
        if found:
            return found
    raise BadInputError("credentialSubject is not an object",
                        hint="check the file is a verifiable credential", code="E_NOT_CREDENTIAL")


def _types(value: Any, r: _Reader) -> tuple[str, ...]:
    """Outside the budget: a credential cut short must still be recognised for what it is."""
    values = value if isinstance(value, list) else [value]
    return tuple(filter(None, map(r.plain, islice((v for v in values if isinstance(v, str)), MAX_ITEMS))))


def _kind(types: tuple[str, ...]) -> str:
    if "ClrCredential" in types:
        return "ClrCredential"
    if any(t in types for t in _OB_TYPES):
        return "OpenBadgeCredential"
    for kind in ("EndorsementCredential", "AcademicAward"):
        if kind in types:
            return kind
    return "VerifiableCredential"


def _title(credential: dict[str, Any], kind: str, types: tuple[str, ...], achievements: list[Achievement],
           r: _Reader) -> tuple[LangText, LangText | None]:
    name = _filled(r.text(credential.get("name"), "name"))
    description = _filled(r.text(credential.get("description"), "description"))
    lead = next((a for a in achievements[:1] if a.name is not None and a.name.default), None)
    if lead is not None and lead.name is not None and (kind in _TITLED_BY_ACHIEVEMENT or name is None):
        return lead.name, _filled(lead.description) or description
    specific = next((t for t in reversed(types) if t != "VerifiableCredential"), "VerifiableCredential")
    return name or LangText(specific), description


def _first_given(data: dict[str, Any], *keys: str) -> Any:
    """VC 2.0 names first, then their VC 1.1 equivalents."""
    return next((data[key] for key in keys if data.get(key) is not None), None)


def _filled(text: LangText | None) -> LangText | None:
    return text if text is not None and text.default.strip() else None


def _vc_version(context: Any) -> str | None:
    first = context[0] if isinstance(context, list) and context else context
    return {_VC2_CONTEXT: "2.0", _VC1_CONTEXT: "1.1"}.get(first) if isinstance(first, str) else None


def _party(value: Any, r: _Reader) -> Party | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, str):
        return Party(id=r.plain(value))
    if not isinstance(value, dict):
        return None
    # MATTR issuers carry logoUrl/iconUrl (vc-extensions) instead of an OB image.
    image = value.get("image") or value.get("logoUrl") or value.get("iconUrl")
    return Party(id=r.ref(value.get("id")), name=r.text(value.get("name"), "name"),
                 url=r.ref(value.get("url")), image=r.image(image))


def _person_name(subject: dict[str, Any], r: _Reader) -> LangText | None:
    name = _filled(r.text(subject.get("name"), "name"))
    if name is not None:
        return name
    parts = [r.plain(subject.get(key)) for key in ("givenName", "familyName")]
    joined = " ".join(part for part in parts if part)
    return LangText(joined) if joined else None


# --- Open Badges 3.0 / CLR 2.0 ------------------------------------------------------------------

def _achievements_and_results(subjects: list[tuple[str, dict[str, Any]]],
                              r: _Reader) -> tuple[list[Achievement], list[Result]]:
    names: dict[str, LangText] = {}
    achievements = [_achievement(a, r, names) for _, s in subjects for a in r.items(s.get("achievement"))]
    results = [_result(x, r, names) for _, s in subjects for x in r.items(s.get("result"))]
    return achievements, results


def _achievement(raw: dict[str, Any], r: _Reader, names: dict[str, LangText]) -> Achievement:
    criteria = raw.get("criteria")
    narrative = criteria.get("narrative") if isinstance(criteria, dict) else None
    _collect_result_names(raw, r, names)
    return Achievement(
        id=r.ref(raw.get("id")), name=r.text(raw.get("name"), "name"),
        description=r.text(raw.get("description"), "description"),
        achievement_type=r.plain(raw.get("achievementType")),
        criteria_narrative=r.text(narrative, "narrative"), criteria_id=r.ref(criteria),
        image=r.image(raw.get("image")),
        alignments=tuple(_alignment(a, r) for a in r.items(raw.get("alignment"))),
        credits_available=r.plain(raw.get("creditsAvailable")),
        field_of_study=r.text(raw.get("fieldOfStudy"), "fieldOfStudy"),
        human_code=r.plain(raw.get("humanCode")),
        tags=tuple(filter(None, map(r.plain, r.items(raw.get("tag"), str)))),
        creator=_party(raw.get("creator"), r),
    )


def _collect_result_names(raw: dict[str, Any], r: _Reader, names: dict[str, LangText]) -> None:
    """Results point at ResultDescription and RubricCriterionLevel ids; keep their names."""
    for description in r.items(raw.get("resultDescription")):
        for node in [description, *r.items(description.get("rubricCriterionLevel"))]:
            node_id, name = r.ref(node.get("id")), r.text(node.get("name"), "name")
            if node_id is not None and name is not None:
                names.setdefault(node_id, name)


def _alignment(raw: dict[str, Any], r: _Reader) -> Alignment:
    return Alignment(
        target_name=r.text(raw.get("targetName"), "targetName"), target_url=r.ref(raw.get("targetUrl")),
        target_framework=r.text(raw.get("targetFramework"), "targetFramework"),
        target_code=r.plain(raw.get("targetCode")), target_type=r.plain(raw.get("targetType")),
        target_description=r.text(raw.get("targetDescription"), "targetDescription"),
    )


def _result(raw: dict[str, Any], r: _Reader, names: dict[str, LangText]) -> Result:
    description, level = r.ref(raw.get("resultDescription")), r.ref(raw.get("achievedLevel"))
    return Result(value=r.plain(raw.get("value")), status=r.plain(raw.get("status")),
                  achieved_level=level, result_description=description,
                  name=names.get(description or ""), level_name=names.get(level or ""))


def _nested_credentials(subjects: list[tuple[str, dict[str, Any]]], r: _Reader,
                        depth: int) -> tuple[Summary, ...]:
    """CLR 2.0 §B.1.2 ClrSubject.verifiableCredential: objects, or compact VC-JWT strings."""
    if depth >= MAX_NESTING:
        r.truncated = True
        return ()
    nested = [v for _, s in subjects for v in r.items(s.get("verifiableCredential"), (dict, str))]
    return tuple(_nested(value, r, depth + 1) for value in nested)


def _nested(value: dict[str, Any] | str, r: _Reader, depth: int) -> Summary:
    try:
        summary = _summarize(_jwt_payload(value) if isinstance(value, str) else value, r, depth)
    except (BadInputError, RecursionError):
        return Summary(title=LangText("unreadable credential"), kind="Unreadable")
    r.truncated = r.truncated or summary.truncated
    return summary


def _jwt_payload(compact: str) -> Any:
    """The payload of a compact JWS, unverified: the enclosing credential's proof covers it."""
    parts = compact.split(".")
    if len(parts) != 3:
        raise BadInputError("not a compact JWS", code="E_NOT_CREDENTIAL")
    try:
        return json.loads(b64url_decode(parts[1], max_bytes=MAX_TEXT * 1024))
    except (ValueError, RecursionError) as exc:
        raise BadInputError("JWS payload is not JSON", code="E_NOT_CREDENTIAL") from exc


# --- AcademicAward (ARUCC / MATTR Virtual Skills Passport pilot) ---------------------------------

def _academic_award(subject: dict[str, Any], r: _Reader) -> tuple[Achievement | None, str | None]:
    """academic-microcredential-vocab v1: awardDetails is the award, educationalOrganization the
    institution that made it (the issuer DID may name a different body)."""
    details = subject.get("awardDetails")
    details = details if isinstance(details, dict) else {}
    org = subject.get("educationalOrganization")
    creator = None
    if isinstance(org, dict):
        creator = Party(id=r.plain(org.get("identifier")), url=r.ref(org.get("url")),
                        name=r.text(org.get("organizationName"), "organizationName"))
    if not details and creator is None:
        return None, None
    award = Achievement(
        id=r.plain(details.get("awardId")), name=r.text(details.get("awardTitle"), "awardTitle"),
        description=r.text(details.get("awardDescription"), "awardDescription"),
        achievement_type=r.plain(details.get("awardType")), creator=creator,
    )
    return award, r.plain(details.get("dateAwarded"))


# --- JWT-shaped credentials ----------------------------------------------------------------------

def _from_vc_jwt(payload: dict[str, Any]) -> dict[str, Any]:
    """VC 1.1 §6.3.1 JWT decoding: registered claims fill in what the `vc` claim leaves out."""
    vc = dict(payload["vc"])
    registered = {"issuer": payload.get("iss"), "id": payload.get("jti"),
                  "issuanceDate": dates.from_numeric_date(payload.get("nbf", payload.get("iat"))),
                  "expirationDate": dates.from_numeric_date(payload.get("exp"))}
    for key, value in registered.items():
        if value is not None and key not in vc and not (key == "issuanceDate" and "validFrom" in vc):
            vc[key] = value
    subject, sub = vc.get("credentialSubject"), payload.get("sub")
    if isinstance(subject, dict) and isinstance(sub, str) and "id" not in subject:
        vc["credentialSubject"] = {**subject, "id": sub}
    return vc


def _summarize_sd_jwt_vc(claims: dict[str, Any], r: _Reader) -> Summary:
    vct = r.plain(claims.get("vct")) if isinstance(claims.get("vct"), str) else None
    subject = {key: value for key, value in claims.items() if key not in _JWT_METADATA}
    # Display names live in the vct's type metadata, not in the claims; `name` is the holder's.
    return Summary(
        title=LangText(vct or "SD-JWT VC"), kind="SdJwtVc", types=(vct,) if vct else (),
        issuer=Party(id=r.ref(claims.get("iss"))), subject_id=r.ref(claims.get("sub")),
        subject_name=_person_name({"name": claims.get("name"), "givenName": claims.get("given_name"),
                                   "familyName": claims.get("family_name")}, r),
        issued=dates.from_numeric_date(claims.get("nbf", claims.get("iat"))),
        expires=dates.from_numeric_date(claims.get("exp")), credential_id=r.ref(claims.get("jti")),
        claims=tuple(_claims(subject, "", r)), truncated=r.truncated,
    )


# --- claims: the subject data of any other credential, flattened ---------------------------------

def _claims(root: Any, pointer: str, r: _Reader) -> list[Claim]:
    out: list[Claim] = []
    stack: list[tuple[str, Any, int]] = [(pointer, root, 0)]
    while stack:
        path, value, depth = stack.pop()
        if len(out) >= MAX_ITEMS or r.budget.left <= 0:
            r.truncated = True
            break
        leaf = _leaf(value, path, r)
        if leaf is not None:
            if len(path) > MAX_POINTER:
                r.truncated = True
                continue
            out.append(Claim(path, leaf))
            r.budget.left -= 1
        elif isinstance(value, (dict, list)):
            if depth >= MAX_CLAIM_DEPTH:
                r.truncated = True
                continue
            children = _children(value, path, depth + 1, r)
            if depth == 0:  # the subject's own id and type are shown elsewhere
                children = [c for c in children if c[0] not in (f"{pointer}/id", f"{pointer}/type")]
            stack.extend(reversed(children))
    return out


def _leaf(value: Any, path: str, r: _Reader) -> LangText | None:
    if isinstance(value, dict):
        key = path.rpartition("/")[2]
        return r.text(value, key) if "@value" in value or key in r.lang_terms else None
    if isinstance(value, list):
        multilingual = value and all(isinstance(v, dict) and "@value" in v for v in value[:MAX_ITEMS])
        return r.text(value) if multilingual else None
    return r.text(value)


def _children(value: dict[str, Any] | list[Any], path: str, depth: int,
              r: _Reader) -> list[tuple[str, Any, int]]:
    entries = value.items() if isinstance(value, dict) else enumerate(value)
    children = []
    for key, child in islice(entries, MAX_ITEMS + 1):
        if len(children) == MAX_ITEMS:
            r.truncated = True
            break
        # SD-JWT: digests and undisclosed array elements ({"...": digest}) are not data.
        if key in _SKIP_KEYS or (isinstance(child, dict) and "..." in child and len(child) == 1):
            continue
        step = str(key).replace("~", "~0").replace("/", "~1")
        children.append((f"{path}/{step}", child, depth))
    return children


# --- validity period ------------------------------------------------------------------------------

def status_of(summary: Summary, now: datetime | None = None) -> str:
    """'valid', 'expired', 'not yet valid' from the validity period alone (no proof, no status
    list), or 'unknown' when a date cannot be read. A naive `now` is taken as UTC."""
    try:
        start, end = dates.validity_bounds(summary.issued, summary.expires)
    except ValueError:
        return UNKNOWN
    return dates.period_status(start, end, dates.as_utc(now or datetime.now(UTC)))
