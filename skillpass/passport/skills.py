"""The skills a credential shows, and which framework each belongs to.

Read from a credential's summary when it is stored (the list row keeps them, so the passport of
ten thousand credentials reads no full entry):
- Open Badges 3.0 / CLR 2.0 `alignment` of achievements and of their result descriptions, and of
  the credentials a CLR carries (CLR 2.0 §B.1.2);
- SD-JWT VC skill claims (`skills`, `competencies`...: summary/jwt.py makes them alignments);
- where a credential has no alignment at all: its achievements' `tag`s and its results' names,
  as skills of no framework.

Frameworks are recognised by the alignment's `targetUrl` or `targetFramework`: ESCO, O*NET,
Canada's NOC and Skills for Success; any other named framework is the issuer's own; a skill with
no framework is "other". Skills for Success has nine skills with official English and French
names (ESDC, canada.ca "Learn about the Skills" / "En apprendre davantage sur les Compétences"):
a credential that names one in either language is the same skill, shown in the reader's language.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from skillpass.langtext import LangText

if TYPE_CHECKING:
    from skillpass.summary import Summary

ESCO, ONET, NOC, SFS, ISSUER, OTHER = "esco", "onet", "noc", "skills-for-success", "issuer", "other"
FRAMEWORKS = (ESCO, ONET, NOC, SFS, ISSUER, OTHER)  # the order the passport shows them in
FRAMEWORK_NAMES = {ESCO: "ESCO", ONET: "O*NET", NOC: "National Occupational Classification (NOC)",
                   SFS: "Skills for Success", ISSUER: "Issuer-defined", OTHER: "Other skills"}
MAX_SKILLS = 200  # per credential, as kept in its row
MAX_TEXT = 300
_BY_HOST = {"data.europa.eu": ESCO, "esco.ec.europa.eu": ESCO, "www.onetonline.org": ONET,
            "onetonline.org": ONET, "www.onetcenter.org": ONET, "services.onetcenter.org": ONET,
            "noc.esdc.gc.ca": NOC}
_BY_NAME = ((re.compile(r"\besco\b", re.I), ESCO), (re.compile(r"\bo\s*\*?\s*net\b", re.I), ONET),
            (re.compile(r"\bnoc\b|\bcnp\b|national occupational classification|classification nationale "
                        r"des professions", re.I), NOC),
            (re.compile(r"skills for success|compétences pour réussir", re.I), SFS))
# The nine Skills for Success, English and French as the Government of Canada names them; then
# spellings issuers use for one of them.
SFS_SKILLS = (("Adaptability", "Adaptabilité"), ("Collaboration", "Collaboration"),
              ("Communication", "Communication"), ("Creativity and innovation", "Créativité et innovation"),
              ("Digital", "Compétences numériques"), ("Numeracy", "Calcul"),
              ("Problem solving", "Résolution de problèmes"), ("Reading", "Lecture"), ("Writing", "Rédaction"))
_SFS_ALIASES = {"digital skills": "Digital", "numerique": "Digital", "creativity & innovation":
                "Creativity and innovation", "creativite & innovation": "Creativity and innovation",
                "numeratie": "Numeracy", "ecriture": "Writing"}  # Écriture: ESDC's first French, 2021


@dataclass(frozen=True)
class SkillRef:
    """One skill as one credential shows it."""

    name: LangText
    framework: str  # one of FRAMEWORKS
    framework_name: LangText | None = None  # as the credential names it
    url: str | None = None
    code: str | None = None

    def to_row(self) -> list[Any]:
        return [self.name.to_json(), self.framework,
                self.framework_name.to_json() if self.framework_name is not None else None,
                self.url, self.code]

    @classmethod
    def from_row(cls, row: list[Any]) -> SkillRef:
        name, framework, framework_name, url, code = row
        if type(name) is str and (framework_name is None or type(framework_name) is str):
            # A wallet's credentials share a few hundred skills: each is read once, then reused
            # (frozen, and a text without languages holds nothing mutable).
            return _plain_ref(name, framework, framework_name, url, code)
        if not sound_skill_row(row):
            raise TypeError("a skill's row is not what SkillRef.to_row writes")
        return cls(LangText.from_json(name), _as_now(framework, url),
                   LangText.from_json(framework_name) if framework_name is not None else None, url, code)


@lru_cache(maxsize=4096)
def _plain_ref(name: str, framework: str, framework_name: str | None, url: str | None, code: str | None) -> SkillRef:
    if not sound_skill_row([name, framework, framework_name, url, code]):  # a damaged row: checked once
        raise TypeError("a skill's row is not what SkillRef.to_row writes")
    return SkillRef(LangText(name), _as_now(framework, url),
                    LangText(framework_name) if framework_name is not None else None, url, code)


def _as_now(framework: str, url: str | None) -> str:
    """A stored skill's framework as framework_of tells it today: rows kept before canada.ca's
    French Skills for Success pages (competence-reussir) were recognised say 'issuer'."""
    if framework == ISSUER and url and framework_of(url, None) == SFS:
        return SFS
    return framework


def sound_skill_row(row: Any) -> bool:
    """Whether `row` is what SkillRef.to_row writes (views.sound_row)."""
    from skillpass.views import OPTIONAL_STR_TYPES, sound_text

    if type(row) is not list or len(row) != 5:
        return False
    name, framework, framework_name, url, code = row
    return (framework in FRAMEWORKS and sound_text(name) and (framework_name is None or sound_text(framework_name))
            and type(url) in OPTIONAL_STR_TYPES and type(code) in OPTIONAL_STR_TYPES)


def skills_of(summary: Summary) -> list[SkillRef]:
    """Every skill `summary` shows, each once, at most MAX_SKILLS."""
    found: dict[tuple[Any, ...], SkillRef] = {}
    for skill in _aligned(summary, 0):
        found.setdefault((skill.framework, skill.url, skill.code, match_name(skill.name.default)), skill)
    if not found:
        for skill in _untagged(summary):
            found.setdefault((OTHER, match_name(skill.name.default)), skill)
    return list(found.values())[:MAX_SKILLS]


def _aligned(summary: Summary, depth: int) -> Iterator[SkillRef]:
    for achievement in summary.achievements:
        for alignment in achievement.alignments:
            if alignment.target_name is not None and alignment.target_name.default.strip():
                yield SkillRef(_cut(alignment.target_name), framework_of(alignment.target_url,
                                                                         alignment.target_framework),
                               _cut(alignment.target_framework) if alignment.target_framework else None,
                               alignment.target_url, alignment.target_code)
    if depth < 8:
        for nested in summary.credentials:
            yield from _aligned(nested, depth + 1)


def _untagged(summary: Summary) -> Iterator[SkillRef]:
    for achievement in summary.achievements:
        for tag in achievement.tags:
            if tag.strip():
                yield SkillRef(LangText(tag[:MAX_TEXT]), OTHER)
    for result in summary.results:
        if result.name is not None and result.name.default.strip():
            yield SkillRef(_cut(result.name), OTHER)


def framework_of(url: str | None, framework: LangText | None) -> str:
    """The framework an alignment belongs to, by the host of its URL, then by the name given."""
    if url:
        host = (urlsplit(url).hostname or "").lower()
        if host in _BY_HOST and (host != "data.europa.eu" or "/esco/" in url):
            return _BY_HOST[host]
        if host.endswith("canada.ca") and ("skills-success" in url or "competence-reussir" in url):
            return SFS
    names = [framework.default, *framework.langs.values()] if framework is not None else []
    for text in names:
        for pattern, known in _BY_NAME:
            if pattern.search(text):
                return known
    return ISSUER if any(n.strip() for n in names) or url else OTHER


@lru_cache(maxsize=8192)  # skill names repeat across credentials, and NFKD is the costly part
def match_name(name: str) -> str:
    """A skill name compared across credentials: case, accents and spacing ignored."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def official_sfs_name(ref: SkillRef) -> tuple[str, str] | None:
    """The (English, French) official names of the Skills for Success skill `ref` names in any of
    its languages, or None (another framework, or a name that is not one of the nine)."""
    if ref.framework != SFS:
        return None
    for text in (ref.name.default, *ref.name.langs.values()):
        found = _sfs_by_name().get(match_name(text.replace("-", " ")))  # "Problem-solving" too
        if found is not None:
            return found
    return None


@lru_cache(maxsize=1)
def _sfs_by_name() -> dict[str, tuple[str, str]]:
    names = {match_name(name): (en, fr) for en, fr in SFS_SKILLS for name in (en, fr)}
    by_english = {en: (en, fr) for en, fr in SFS_SKILLS}
    names.update({match_name(alias): by_english[en] for alias, en in _SFS_ALIASES.items()})
    return names


@lru_cache(maxsize=4096)
def match_url(url: str) -> str:
    parts = urlsplit(url.strip())
    return f"{parts.scheme.lower()}://{(parts.netloc or '').lower()}{parts.path.rstrip('/')}" + (
        f"?{parts.query}" if parts.query else "")


def _cut(text: LangText) -> LangText:
    if len(text.default) <= MAX_TEXT and all(len(v) <= MAX_TEXT for v in text.langs.values()):
        return text
    return LangText(text.default[:MAX_TEXT], {k: v[:MAX_TEXT] for k, v in text.langs.items()})
