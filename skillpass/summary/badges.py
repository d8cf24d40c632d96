"""Open Badges 3.0 and CLR 2.0 achievements, results and profiles, and the pilot's AcademicAward."""

from __future__ import annotations

from typing import Any

from skillpass.langtext import LangText
from skillpass.summary.model import Achievement, Alignment, Party, Result
from skillpass.summary.reader import Reader


def party(value: Any, r: Reader) -> Party | None:
    """An issuer or creator: a DID or URL, or an OB 3.0 Profile (id, name, url, image)."""
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


# --- Open Badges 3.0 / CLR 2.0 ------------------------------------------------------------------

def achievements_and_results(subjects: list[tuple[str, dict[str, Any]]],
                             r: Reader) -> tuple[list[Achievement], list[Result]]:
    names: dict[str, LangText] = {}
    achievements = [_achievement(a, r, names) for _, s in subjects for a in r.items(s.get("achievement"))]
    results = [_result(x, r, names) for _, s in subjects for x in r.items(s.get("result"))]
    return achievements, results


def _achievement(raw: dict[str, Any], r: Reader, names: dict[str, LangText]) -> Achievement:
    criteria = raw.get("criteria")
    narrative = criteria.get("narrative") if isinstance(criteria, dict) else None
    _collect_result_names(raw, r, names)
    return Achievement(
        id=r.ref(raw.get("id")), name=r.text(raw.get("name"), "name"),
        description=r.text(raw.get("description"), "description"),
        achievement_type=r.plain(raw.get("achievementType")),
        criteria_narrative=r.text(narrative, "narrative"), criteria_id=r.ref(criteria),
        image=r.image(raw.get("image")),
        alignments=tuple(_alignment(a, r) for a in [*r.items(raw.get("alignment")), *(
            a for d in r.items(raw.get("resultDescription")) for a in r.items(d.get("alignment")))]),
        credits_available=r.plain(raw.get("creditsAvailable")),
        field_of_study=r.text(raw.get("fieldOfStudy"), "fieldOfStudy"),
        human_code=r.plain(raw.get("humanCode")),
        tags=tuple(filter(None, map(r.plain, r.items(raw.get("tag"), str)))),
        creator=party(raw.get("creator"), r),
    )


def _collect_result_names(raw: dict[str, Any], r: Reader, names: dict[str, LangText]) -> None:
    """Results point at ResultDescription and RubricCriterionLevel ids; keep their names."""
    for description in r.items(raw.get("resultDescription")):
        for node in [description, *r.items(description.get("rubricCriterionLevel"))]:
            node_id, name = r.ref(node.get("id")), r.text(node.get("name"), "name")
            if node_id is not None and name is not None:
                names.setdefault(node_id, name)


def _alignment(raw: dict[str, Any], r: Reader) -> Alignment:
    return Alignment(
        target_name=r.text(raw.get("targetName"), "targetName"), target_url=r.ref(raw.get("targetUrl")),
        target_framework=r.text(raw.get("targetFramework"), "targetFramework"),
        target_code=r.plain(raw.get("targetCode")), target_type=r.plain(raw.get("targetType")),
        target_description=r.text(raw.get("targetDescription"), "targetDescription"),
    )


def _result(raw: dict[str, Any], r: Reader, names: dict[str, LangText]) -> Result:
    description, level = r.ref(raw.get("resultDescription")), r.ref(raw.get("achievedLevel"))
    return Result(value=r.plain(raw.get("value")), status=r.plain(raw.get("status")),
                  achieved_level=level, result_description=description,
                  name=names.get(description or ""), level_name=names.get(level or ""))


# --- AcademicAward (ARUCC / MATTR Virtual Skills Passport pilot) ---------------------------------

def academic_award(subject: dict[str, Any], r: Reader) -> tuple[Achievement | None, str | None]:
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
