"""What a signed passport page (`passport --signed`) reveals of each credential it carries.

A credential whose proof lets fields be hidden (an ecdsa-sd-2023 base proof) reveals what the
page shows of it and nothing more: its name, dates, the achievement's name, type, tags and
credits, and the alignments of the skills the page shows (all of them, unless --skill or
--framework narrowed the page); the issuer's mandatory fields and the holder binding always go.
A credential of any other suite can only go whole, and a selective one that has none of these
fields (not an Open Badge) goes whole too, so that what the page says can be checked.
"""

from __future__ import annotations

from typing import Any

from skillpass.langtext import LangText
from skillpass.passport.build import Filters, Skill, skill_shown
from skillpass.passport.skills import framework_of
from skillpass.present.fields import FieldList, covers
from skillpass.present.select import REVEAL_ALL, Selection

SHOWN = ("/name", "/validFrom", "/validUntil", "/issuanceDate", "/expirationDate", "/awardedDate",
         "/credentialSubject/achievement/name", "/credentialSubject/achievement/achievementType",
         "/credentialSubject/achievement/tag", "/credentialSubject/achievement/creditsAvailable",
         "/credentialSubject/creditsEarned")
ALIGNMENT = "/credentialSubject/achievement/alignment"


def page_selection(fields: FieldList, credential: Any, filters: Filters) -> Selection:
    """The fields of `credential` a signed page reveals (its FieldList from the format)."""
    if not fields.selective:
        return REVEAL_ALL
    wanted = [*SHOWN, *_shown_alignments(credential, filters)]
    pointers = tuple(f.pointer for f in fields.fields if not f.mandatory and covers(wanted, f.pointer))
    if not pointers:
        return REVEAL_ALL
    return Selection(pointers, False)


def _shown_alignments(credential: Any, filters: Filters) -> list[str]:
    alignments = _alignments(credential)
    if filters.skill is None and filters.framework is None:
        return [ALIGNMENT]
    shown = [f"{ALIGNMENT}/{n}" for n, alignment in enumerate(alignments) if _shown(alignment, filters)]
    return shown or [ALIGNMENT]  # a spelling the filter missed: the page showed the skill by another


def _alignments(credential: Any) -> list[Any]:
    subject = credential.get("credentialSubject") if isinstance(credential, dict) else None
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    found = achievement.get("alignment") if isinstance(achievement, dict) else None
    return found if isinstance(found, list) else []


def _shown(alignment: Any, filters: Filters) -> bool:
    if not isinstance(alignment, dict) or not isinstance(alignment.get("targetName"), str):
        return True  # not read as a skill: kept, rather than guessed away
    url = alignment.get("targetUrl") if isinstance(alignment.get("targetUrl"), str) else None
    named = alignment.get("targetFramework")
    framework = LangText(named) if isinstance(named, str) else None
    code = alignment.get("targetCode") if isinstance(alignment.get("targetCode"), str) else None
    return skill_shown(Skill(LangText(alignment["targetName"]), framework_of(url, framework), framework, code, url),
                       filters)
