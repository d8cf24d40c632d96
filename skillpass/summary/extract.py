"""A credential's summary: what kind it is, its title, issuer, subject, dates and status, with
the per-format parts (Open Badges, CLR, AcademicAward, JWT claims) read by their own modules."""

from __future__ import annotations

from itertools import islice
from typing import Any

from skillpass.errors import BadInputError
from skillpass.langtext import LangText
from skillpass.summary.badges import academic_award, achievements_and_results, party
from skillpass.summary.claims import claims_of
from skillpass.summary.jwt import from_vc_jwt, jwt_payload, summarize_sd_jwt_vc
from skillpass.summary.model import Achievement, Party, StatusEntry, Summary
from skillpass.summary.reader import MAX_ITEMS, Reader, filled, person_name

MAX_NESTING = 8  # credentials inside credentials (CLR)

_VC2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
_VC1_CONTEXT = "https://www.w3.org/2018/credentials/v1"
# OB 3.0 §B.1.1: AchievementCredential is an alias of OpenBadgeCredential.
_OB_TYPES = ("OpenBadgeCredential", "AchievementCredential")
_TITLED_BY_ACHIEVEMENT = ("OpenBadgeCredential", "AcademicAward")
_WITHOUT_CLAIMS = ("OpenBadgeCredential", "ClrCredential")


def summarize_credential(credential: Any, parent: Reader, depth: int) -> Summary:
    """The summary of a credential `depth` levels inside others, read within `parent`'s budget.
    No safety net: `skillpass.summary.summarize` turns a shape nobody foresaw into BadInputError."""
    if not isinstance(credential, dict):
        raise BadInputError("not a credential: expected a JSON object",
                            hint="check the file is a verifiable credential", code="E_NOT_CREDENTIAL")
    if "credentialSubject" not in credential:
        if isinstance(credential.get("vc"), dict):
            credential = from_vc_jwt(credential)
        elif "vct" in credential:
            return summarize_sd_jwt_vc(credential, parent.within(None))
    r = parent.within(credential.get("@context"))
    subjects = _subjects(credential.get("credentialSubject"))
    types = _types(credential.get("type"), r)
    kind = _kind(types)
    first = subjects[0][1]
    achievements, results = achievements_and_results(subjects, r)
    awarded = r.plain(credential.get("awardedDate"))
    if kind == "AcademicAward":
        award, date_awarded = academic_award(first, r)
        achievements = ([award] if award else []) + achievements
        awarded = awarded or date_awarded
    title, description = _title(credential, kind, types, achievements, r)
    credentials = _nested_credentials(subjects, r, depth) if kind == "ClrCredential" else ()
    claims = () if kind in _WITHOUT_CLAIMS else tuple(c for p, s in subjects for c in claims_of(s, p, r))
    return Summary(
        title=title, kind=kind, types=types, description=description,
        issuer=party(credential.get("issuer"), r) or Party(),
        subject_id=r.ref(first.get("id")), subject_name=person_name(first, r),
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


def _status_entries(credential: dict[str, Any], r: Reader) -> tuple[StatusEntry, ...]:
    return tuple(_status_entry(entry, credential, r) for entry in r.items(credential.get("credentialStatus")))


def _status_entry(entry: dict[str, Any], credential: dict[str, Any], r: Reader) -> StatusEntry:
    """Bitstring Status List §2.1, StatusList2021 and RevocationList2020 entries name a list and
    an index; a 1EdTech revocation list (OB 3.0 §9.1) is a list of ids: the index is the
    credential's own id."""
    kind = r.plain(entry.get("type") if isinstance(entry.get("type"), str) else
                   next(iter(r.items(entry.get("type"), str)), None))
    index = r.plain(entry.get("statusListIndex", entry.get("revocationListIndex")))
    if kind == "1EdTechRevocationList" and index is None:
        index = r.ref(credential.get("id"))
    return StatusEntry(type=kind, purpose=r.plain(entry.get("statusPurpose")),
                       list=r.ref(entry.get("statusListCredential")) or r.ref(entry.get("revocationListCredential"))
                       or r.ref(entry.get("id")), index=index, size=r.plain(entry.get("statusSize")))


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


def _types(value: Any, r: Reader) -> tuple[str, ...]:
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
           r: Reader) -> tuple[LangText, LangText | None]:
    name = filled(r.text(credential.get("name"), "name"))
    description = filled(r.text(credential.get("description"), "description"))
    lead = next((a for a in achievements[:1] if a.name is not None and a.name.default), None)
    if lead is not None and lead.name is not None and (kind in _TITLED_BY_ACHIEVEMENT or name is None):
        return lead.name, filled(lead.description) or description
    specific = next((t for t in reversed(types) if t != "VerifiableCredential"), "VerifiableCredential")
    return name or LangText(specific), description


def _first_given(data: dict[str, Any], *keys: str) -> Any:
    """VC 2.0 names first, then their VC 1.1 equivalents."""
    return next((data[key] for key in keys if data.get(key) is not None), None)


def _vc_version(context: Any) -> str | None:
    first = context[0] if isinstance(context, list) and context else context
    return {_VC2_CONTEXT: "2.0", _VC1_CONTEXT: "1.1"}.get(first) if isinstance(first, str) else None


def _nested_credentials(subjects: list[tuple[str, dict[str, Any]]], r: Reader,
                        depth: int) -> tuple[Summary, ...]:
    """CLR 2.0 §B.1.2 ClrSubject.verifiableCredential: objects, or compact VC-JWT strings."""
    if depth >= MAX_NESTING:
        r.truncated = True
        return ()
    nested = [v for _, s in subjects for v in r.items(s.get("verifiableCredential"), (dict, str))]
    return tuple(_nested(value, r, depth + 1) for value in nested)


def _nested(value: dict[str, Any] | str, r: Reader, depth: int) -> Summary:
    try:
        summary = summarize_credential(jwt_payload(value) if isinstance(value, str) else value, r, depth)
    except (BadInputError, RecursionError):
        return Summary(title=LangText("unreadable credential"), kind="Unreadable")
    r.truncated = r.truncated or summary.truncated
    return summary
