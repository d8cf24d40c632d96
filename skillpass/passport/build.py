"""The passport document: the skills rolled up across the wallet's credentials, each with the
credentials that prove it, and the holder, counts, timeline, issuers and totals around them.

Built from the list rows alone (views.row_record keeps each credential's skills), so ten thousand
credentials read no full entry. The same skill from several credentials is one line: the same
`targetUrl`, the same `targetCode` within a framework, or the same name within a framework with
case, accents and spacing ignored. The document is `Passport.to_dict()`; its JSON Schema is
skillpass/passport/passport.schema.json, and `--json` prints it as is (values as issued: the
language only changes what the text and HTML views pick).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from operator import attrgetter
from datetime import datetime, timedelta
from typing import Any

from skillpass.bulk import collector_paused
from skillpass.langtext import LangText
from skillpass.passport.skills import (FRAMEWORK_NAMES, FRAMEWORKS, SkillRef, match_name, match_url,
                                       official_sfs_name)
from skillpass.views import NUMBER_TYPES, epoch_seconds, proof_checked, row_status, text_of

SCHEMA_VERSION = 1
EXPIRING_WITHIN = timedelta(days=90)
_EXPIRING_SECONDS = EXPIRING_WITHIN.total_seconds()
_WITHDRAWN = ("revoked", "suspended")
STATUSES = ("valid", "expired", "not yet valid", "status not checked", "unverified", "unknown", "revoked",
            "suspended", "not verifiable", "not verified (hosted badge)")


@dataclass(frozen=True)
class Filters:
    skill: str | None = None
    issuer: str | None = None
    framework: str | None = None
    since: datetime | None = None
    status: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"skill": self.skill, "issuer": self.issuer, "framework": self.framework,
                "since": self.since.strftime("%Y-%m-%dT%H:%M:%SZ") if self.since else None,
                "status": self.status}


@dataclass(frozen=True)
class Held:
    """One credential as the passport shows it (a list row, with its status as of `now`)."""

    id: str
    title: LangText
    issuer: LangText
    issuer_id: str
    format: str
    kind: str
    issued: str
    expires: str
    awarded: str
    status: str
    expiring_soon: bool
    description: LangText | None  # for `list --search`; None in a passport, which does not show it
    skills: tuple[SkillRef, ...]
    credits: float | None
    hours: float | None
    issued_at: float | None  # epoch seconds of the validity start, for sorting and --since
    verified: bool = False  # its proof was checked (an unsigned or unchecked one names no issuer for others)
    test_issuer: bool = False  # `skillpass issue` made it: its issuer is labelled, once it is named

    def evidence(self, langs: Sequence[str]) -> dict[str, Any]:
        return {"id": self.id, "title": self.title.pick(langs), "issuer": self.issuer.pick(langs),
                "issued": self.awarded or self.issued, "status": self.status}


@dataclass
class Skill:
    name: LangText
    framework: str
    framework_name: LangText | None
    code: str | None
    url: str | None
    proofs: list[Held] = field(default_factory=list)

    def to_dict(self, langs: Sequence[str], evidence: Mapping[str, dict[str, Any]] | None = None,
                shared: bool = False) -> dict[str, Any]:
        """`evidence`: each credential's `Held.evidence` by id, when the caller made them already
        (copied, unless `shared`)."""
        made = evidence or {}
        return {"name": self.name.pick(langs), "framework": self.framework,
                "frameworkName": self.framework_name.pick(langs) if self.framework_name else None,
                "code": self.code, "url": self.url,
                "credentials": [(made[held.id] if shared else dict(made[held.id])) if held.id in made
                                else held.evidence(langs) for held in self.proofs]}


@dataclass
class Passport:
    generated: str
    holder_name: str | None
    holder_dids: tuple[str, ...]
    filters: Filters
    credentials: list[Held]
    skills: list[Skill]
    langs: tuple[str, ...] = ()

    def counts(self) -> dict[str, int]:
        statuses = Counter(map(attrgetter("status"), self.credentials))  # C loops: ten thousand credentials
        return {"credentials": len(self.credentials), "issuers": len(set(self._issuer_keys())),
                "skills": len(self.skills), "valid": statuses["valid"], "expired": statuses["expired"],
                "expiringSoon": sum(map(attrgetter("expiring_soon"), self.credentials)),
                "notYetValid": statuses["not yet valid"], "revoked": statuses["revoked"],
                "statusNotChecked": statuses["status not checked"], "unverified": statuses["unverified"],
                "unknown": statuses["unknown"], "suspended": statuses["suspended"],
                "notVerifiable": statuses["not verifiable"] + statuses["not verified (hosted badge)"]}

    def frameworks(self, evidence: Mapping[str, dict[str, Any]] | None = None,
                   shared: bool = False) -> list[dict[str, Any]]:
        by_framework: dict[str, list[Skill]] = {}
        for skill in self.skills:
            by_framework.setdefault(skill.framework, []).append(skill)
        return [{"id": framework, "name": FRAMEWORK_NAMES[framework],
                 "skills": [skill.to_dict(self.langs, evidence, shared) for skill in by_framework[framework]]}
                for framework in FRAMEWORKS if framework in by_framework]

    def timeline(self) -> list[dict[str, Any]]:
        dated = sorted(self.credentials, key=lambda held: (held.awarded or held.issued or "~", held.id))
        return [{"date": held.awarded or held.issued or None, "id": held.id, "title": held.title.pick(self.langs),
                 "issuer": held.issuer.pick(self.langs), "kind": held.kind, "status": held.status}
                for held in dated]

    def _issuer_keys(self) -> list[str]:
        return [held.issuer_id or held.issuer.default for held in self.credentials]

    def issuers(self) -> list[dict[str, Any]]:
        keys = self._issuer_keys()
        counted = Counter(keys)  # in the order each issuer first comes
        first = dict(zip(reversed(keys), reversed(self.credentials)))  # each issuer's first credential
        entries = [{"id": first[key].issuer_id or None, "name": first[key].issuer.pick(self.langs),
                    "credentials": count} for key, count in counted.items()]
        return sorted(entries, key=lambda e: (-e["credentials"], e["name"]))

    def totals(self) -> dict[str, float | None]:
        def total(values: Iterable[float | None]) -> float | None:
            found = [v for v in values if v is not None]
            return round(sum(found), 2) if found else None
        # what an issuer has withdrawn, for good or for now, no longer counts
        standing = [held for held in self.credentials if held.status not in _WITHDRAWN]
        return {"credits": total(map(attrgetter("credits"), standing)),
                "hours": total(map(attrgetter("hours"), standing))}

    @collector_paused
    def to_dict(self) -> dict[str, Any]:
        return dict(self.json_parts())

    def json_parts(self, shared: bool = False, records: bool = True) -> Iterator[tuple[str, Any]]:
        """The document's members in order, each made when it is wanted: `--json` writes one and
        drops it before the next is made (json_text.object_chunks). `shared`: a credential's
        evidence is one dict wherever a skill lists it (the text is the same; a document to
        keep, `to_dict`, has a copy in each). Without `records`, no `credentials` member: the
        text views read the timeline, which has the same credentials."""
        evidence = {held.id: held.evidence(self.langs) for held in self.credentials}  # once, not once a skill
        yield "version", SCHEMA_VERSION
        yield "generated", self.generated
        yield "holder", {"name": self.holder_name, "dids": list(self.holder_dids)}
        yield "filters", self.filters.to_dict()
        yield "counts", self.counts()
        yield "frameworks", self.frameworks(evidence, shared)
        if records:  # each record begins with its evidence, copied (made once, above)
            made = [{**evidence[held.id], "issuerId": held.issuer_id or None, "format": held.format,
                     "kind": held.kind, "expires": held.expires or None, "expiringSoon": held.expiring_soon,
                     "skills": len(held.skills)} for held in self.credentials]
            del evidence
            yield "credentials", made
            del made
        else:
            del evidence
        yield "timeline", self.timeline()
        yield "issuers", self.issuers()
        yield "totals", self.totals()


class Shared:
    """One object for each repeated value among the credentials of one build: ten thousand
    credentials name twenty issuers, a few formats and kinds, and titles that repeat."""

    def __init__(self) -> None:
        self._strings: dict[str, str] = {}
        self._texts: dict[str, LangText] = {}

    def string(self, value: str) -> str:
        found = self._strings.get(value)
        if found is None:  # each distinct value checked once (a damaged row: TypeError)
            if type(value) is not str:
                raise TypeError("a credential's format, kind, issuer id or end of validity is not a string")
            found = self._strings[value] = value
        return found

    def text(self, value: str | dict[str, Any]) -> LangText:
        if type(value) is not str:  # a text with languages: its own (its map is a dict)
            return text_of(value)
        found = self._texts.get(value)
        if found is None:
            found = self._texts[value] = LangText.from_json(value)
        return found


def held_of(cid: str, row: dict[str, Any], now: datetime, issuer_names: Mapping[str, str] | None = None, *,
            shared: Shared | None = None, describe: bool = True) -> Held:
    """The passport's view of one list row; `issuer_names` (the trust list's) names issuers
    that name themselves nowhere in their credentials (an https issuer of SD-JWT VCs). `shared`
    makes one object of repeated values; without `describe`, no description (only `list
    --search` reads it)."""
    shared = shared or Shared()
    status = row_status(row, now)
    until = row.get("until")
    soon = status == "valid" and until is not None and until - epoch_seconds(now) <= _EXPIRING_SECONDS
    description = row.get("description") if describe else None
    issuer, issuer_id = shared.text(row["issuer"]), shared.string(row.get("issuer_id") or "")
    if issuer_names and issuer.default == issuer_id and issuer_id in issuer_names:
        issuer = LangText(issuer_names[issuer_id])
    issued, awarded = row["issued"], row.get("awarded") or ""
    credits, hours, start = row.get("credits"), row.get("hours"), row.get("from")
    if (type(issued) is not str or type(awarded) is not str or type(credits) not in NUMBER_TYPES
            or type(hours) not in NUMBER_TYPES or type(start) not in NUMBER_TYPES):
        # The views write these as they are (the text and strings above are checked where they
        # are read): a damaged row fails here, before anything is shown, not its output halfway
        # (flow.listing.with_sound_rows derives it again).
        raise TypeError("a credential's dates, credits or hours are not of the type a row holds")
    # Past the frozen __init__ (one object.__setattr__ per field, as LangText.from_json does):
    # one Held per credential. tests/test_passport_scale.py checks that every field is set.
    held = object.__new__(Held)
    held.__dict__.update(
        id=cid, title=shared.text(row["title"]), issuer=issuer, issuer_id=issuer_id,
        format=shared.string(row["format"]), kind=shared.string(row.get("kind") or ""), issued=issued,
        expires=shared.string(row["expires"]), awarded=awarded, status=status,
        expiring_soon=soon, description=shared.text(description) if description else None,
        skills=tuple(map(SkillRef.from_row, row.get("skills") or ())), credits=credits,
        hours=hours, issued_at=start, verified=proof_checked(row), test_issuer=bool(row.get("test_issuer")))
    return held


def _test_labelled(issuer: LangText) -> LangText:
    """A test issuer's name with its label (as `list` gives it), in English and in French: the
    label it signed in one language only is given in the other too."""
    from skillpass.views import test_labelled, test_labelled_in_french

    english = test_labelled(issuer.default)
    langs = {tag: test_labelled_in_french(text) if tag.lower().startswith("fr") else test_labelled(text)
             for tag, text in issuer.langs.items()}  # a name borrowed from another credential too
    for lang, text in (("en", english), ("fr", test_labelled_in_french(english))):
        if not any(tag.lower().split("-")[0] == lang for tag in langs):
            langs[lang] = text
    return LangText(english, langs)


@collector_paused
def build(rows: Iterable[tuple[str, dict[str, Any]]], *, now: datetime, holder_name: str | None,
          holder_dids: Sequence[str], filters: Filters = Filters(), langs: Sequence[str] = (),
          issuer_names: Mapping[str, str] | None = None) -> Passport:
    from skillpass.encoding.dates import format_utc

    shared = Shared()
    credentials = test_labelled_issuers(named_by_their_issuer(
        [held_of(cid, row, now, issuer_names, shared=shared, describe=False) for cid, row in rows]))
    credentials = [held for held in credentials if _kept(held, filters)]
    credentials.sort(key=lambda held: (held.awarded or held.issued or "", held.id), reverse=True)
    skills = [skill for skill in roll_up(credentials, langs) if skill_shown(skill, filters)]
    if filters.skill is not None or filters.framework is not None:  # only credentials proving a shown skill
        proving = {held.id for skill in skills for held in skill.proofs}
        credentials = [held for held in credentials if held.id in proving]
    return Passport(format_utc(now), holder_name, tuple(holder_dids), filters, credentials, skills, tuple(langs))


def named_by_their_issuer(credentials: list[Held]) -> list[Held]:
    """A credential that names its issuer by its id alone (a MATTR or SD-JWT VC credential names
    no organisation) takes the name that the same issuer signed into another of its credentials,
    one whose proof was verified: one issuer, one name, across the passport."""
    names: dict[str, LangText] = {}
    for held in credentials:
        if held.verified and held.issuer_id and held.issuer.default != held.issuer_id:
            names.setdefault(held.issuer_id, held.issuer)
    if not names:
        return credentials
    return [replace(held, issuer=names[held.issuer_id])
            if held.issuer.default == held.issuer_id and held.issuer_id in names else held
            for held in credentials]


def test_labelled_issuers(credentials: list[Held]) -> list[Held]:
    """Each credential a test issuer made with its issuer's label, in the reader's language, as
    `list` gives it: after naming, which compares the names as the issuers signed them."""
    if not any(held.test_issuer for held in credentials):
        return credentials
    return [replace(held, issuer=_test_labelled(held.issuer)) if held.test_issuer else held for held in credentials]


def roll_up(credentials: Sequence[Held], langs: Sequence[str] = ()) -> list[Skill]:
    """One Skill per distinct skill, most proved first, then by name as `langs` show it
    (union-find over url, code and name)."""
    occurrences = [(held, ref) for held in credentials for ref in held.skills]
    # The union-find runs over the distinct refs, not the occurrences: credentials share a few
    # hundred skills among tens of thousands of occurrences, and SkillRef.from_row hands out one
    # object per skill. An equal ref that is another object is one more node, joined by its keys.
    ref_of: dict[int, int] = {}
    refs: list[SkillRef] = []
    for _, ref in occurrences:
        if id(ref) not in ref_of:
            ref_of[id(ref)] = len(refs)
            refs.append(ref)
    parent = list(range(len(refs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_with: dict[tuple[str, ...], int] = {}
    for index, ref in enumerate(refs):
        for key in _match_keys(ref):
            other = first_with.setdefault(key, index)
            if other != index:
                parent[find(index)] = find(other)
    root = [find(index) for index in range(len(refs))]
    groups: dict[int, list[tuple[Held, SkillRef]]] = {}
    for occurrence in occurrences:  # in order: members and groups keep the credentials' order
        groups.setdefault(root[ref_of[id(occurrence[1])]], []).append(occurrence)
    skills = [_skill(members) for members in groups.values()]
    skills.sort(key=lambda s: (FRAMEWORKS.index(s.framework), -len(s.proofs), match_name(s.name.pick(langs))))
    return skills


def _match_keys(ref: SkillRef) -> list[tuple[str, ...]]:
    official = official_sfs_name(ref)  # "Reading" and "Lecture" are one skill
    keys = [("name", ref.framework, match_name(official[0] if official else ref.name.default))]
    if ref.url:
        keys.append(("url", match_url(ref.url)))
    if ref.code:
        keys.append(("code", ref.framework, ref.code.strip().casefold()))
    return keys


def _skill(members: list[tuple[Held, SkillRef]]) -> Skill:
    refs = [ref for _, ref in reversed(members)]  # oldest credential first: its spelling wins a tie
    names = Counter(ref.name.default for ref in refs)  # the most used spelling, not SHOUTED
    shown = max(names, key=lambda text: (names[text], not text.isupper()))
    name = next(ref.name for ref in refs if ref.name.default == shown)
    official = next(filter(None, map(official_sfs_name, refs)), None)
    if official is not None:  # the default stays as issued (--json); the issuer's own languages win
        given = {tag.split("-")[0].lower() for tag in name.langs}
        added = {tag: text for tag, text in zip(("en", "fr"), official) if tag not in given}
        name = LangText(shown, {**added, **name.langs})
    proofs: dict[str, Held] = {}
    for held, _ in members:
        proofs.setdefault(held.id, held)
    return Skill(name, refs[0].framework, next((r.framework_name for r in refs if r.framework_name), None),
                 next((r.code for r in refs if r.code), None), next((r.url for r in refs if r.url), None),
                 list(proofs.values()))


def _kept(held: Held, filters: Filters) -> bool:
    if filters.status is not None and held.status != filters.status and not (
            filters.status == "expiring" and held.expiring_soon):
        return False
    if filters.since is not None and (held.issued_at is None or held.issued_at < filters.since.timestamp()):
        return False
    if filters.issuer is not None:
        wanted = match_name(filters.issuer)
        if not any(wanted in match_name(text) for text in (held.issuer_id, *_texts(held.issuer))):
            return False
    return True


def skill_shown(skill: Skill, filters: Filters) -> bool:
    if filters.framework is not None:
        wanted = match_name(filters.framework)
        names = [skill.framework, FRAMEWORK_NAMES[skill.framework], *(_texts(skill.framework_name))]
        if not any(wanted == match_name(n) or wanted in match_name(n) for n in names):
            return False
    if filters.skill is not None:
        wanted = match_name(filters.skill)
        if not any(wanted in match_name(text) for text in (*_texts(skill.name), skill.code or "")):
            return False
    return True


def _texts(text: LangText | None) -> list[str]:
    return [] if text is None else [text.default, *text.langs.values()]


def matches_search(held: Held, query: str) -> bool:
    """`list --search`: the query in the title, the description or a skill (case and accents
    ignored)."""
    wanted = match_name(query)
    texts = [*_texts(held.title), *_texts(held.description)] + [t for s in held.skills for t in _texts(s.name)]
    return any(wanted in match_name(text) for text in texts)
