"""The summary of an OB 2.0 / 1.x assertion: the BadgeClass's name, description, criteria,
image and alignments (skills), the issuer Profile, issuedOn and expires, and the recipient as the
assertion gives it (most often a salted hash of an email address, OB 2.0 §IdentityObject)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from skillpass.formats.ob2 import documents
from skillpass.langtext import LangText
from skillpass.summary import (
    MAX_IMAGE,
    MAX_ITEMS,
    MAX_TEXT,
    Achievement,
    Alignment,
    Claim,
    Party,
    StatusEntry,
    Summary,
)

KIND = "OpenBadge2"


def summary_of(assertion: dict[str, Any], badge: dict[str, Any] | None,
               profile: dict[str, Any] | None) -> Summary:
    """`badge` and `profile` as verified (or embedded), None when they are not at hand."""
    badge = badge if badge is not None else _embedded(assertion.get("badge"))
    profile = profile if profile is not None else _embedded(badge.get("issuer") if badge else None)
    title = _text(badge.get("name")) if badge else None
    achievement = _achievement(badge, assertion) if badge else None
    return Summary(
        title=title or LangText(_cut(documents.ref_id(assertion.get("badge"))) or "Open Badge"),
        kind=KIND, types=("Assertion",), description=_text(badge.get("description")) if badge else None,
        issuer=_party(profile, badge), subject_id=None,
        subject_name=None, issued=_date(assertion.get("issuedOn")), expires=_date(assertion.get("expires")),
        credential_id=_cut(documents.ref_id(assertion) or _string(assertion.get("uid"))),
        image=_image(assertion.get("image")) or (achievement.image if achievement else None),
        achievements=(achievement,) if achievement else (),
        claims=tuple(c for c in (_recipient(assertion),) if c is not None),
        status=_status(assertion, profile))


def kept_summary(assertion: dict[str, Any], did_cache: Mapping[str, Any]) -> Summary:
    """The summary with what of the BadgeClass and Profile is at hand (embedded or kept)."""
    badge = _embedded(assertion.get("badge")) or documents.kept(did_cache, assertion.get("badge"), documents.BADGE)
    issuer = badge.get("issuer") if badge else None
    profile = _embedded(issuer) or documents.kept(did_cache, issuer, documents.PROFILE)
    return summary_of(assertion, badge, profile)


def _achievement(badge: dict[str, Any], assertion: dict[str, Any]) -> Achievement:
    criteria = badge.get("criteria")
    narrative = criteria.get("narrative") if isinstance(criteria, dict) else None
    criteria_id = documents.ref_id(criteria) if criteria is not None else None
    alignments = badge.get("alignment")
    tags = badge.get("tags")
    return Achievement(
        id=_cut(_string(badge.get("id"))), name=_text(badge.get("name")), description=_text(badge.get("description")),
        achievement_type="BadgeClass", criteria_narrative=_text(narrative), criteria_id=_cut(criteria_id),
        image=_image(badge.get("image")),
        alignments=tuple(_alignment(a) for a in (alignments if isinstance(alignments, list) else [])[:MAX_ITEMS]
                         if isinstance(a, dict)),
        tags=tuple(_cut(t) or "" for t in (tags if isinstance(tags, list) else [])[:MAX_ITEMS] if isinstance(t, str)))


def _alignment(value: dict[str, Any]) -> Alignment:
    # OB 2.0 §AlignmentObject: targetName, targetUrl, targetDescription, targetFramework, targetCode
    return Alignment(target_name=_text(value.get("targetName")), target_url=_cut(_string(value.get("targetUrl"))),
                     target_framework=_text(value.get("targetFramework")),
                     target_code=_cut(_string(value.get("targetCode"))),
                     target_description=_text(value.get("targetDescription")))


def _party(profile: dict[str, Any] | None, badge: dict[str, Any] | None) -> Party:
    if profile is None:
        return Party(id=_cut(documents.ref_id(badge.get("issuer")) if badge else None))
    return Party(id=_cut(_string(profile.get("id"))), name=_text(profile.get("name")),
                 url=_cut(_string(profile.get("url"))), image=_image(profile.get("image")))


def _recipient(assertion: dict[str, Any]) -> Claim | None:
    """OB 2.0 §IdentityObject (OB 1.0 beta: `identity`): how the badge names its earner."""
    recipient = assertion.get("recipient", assertion.get("identity"))
    if isinstance(recipient, str):  # OB 1.0: an email address, or its hash
        recipient = {"identity": recipient, "type": "email", "hashed": recipient.startswith(("sha", "md5"))}
    if not isinstance(recipient, dict):
        return None
    identity = _string(recipient.get("identity", recipient.get("recipient")))
    if identity is None:
        return None
    kind = _string(recipient.get("type")) or "identity"
    shown = f"{kind} (hashed): {identity}" if recipient.get("hashed") is True else f"{kind}: {identity}"
    return Claim("/recipient", LangText(shown[:MAX_TEXT]))


def _status(assertion: dict[str, Any], profile: dict[str, Any] | None) -> tuple[StatusEntry, ...]:
    """OB 2.0 §RevocationList: the Profile's revocationList names revoked assertions, each by its
    id or by its uid (`revokedAssertions` holds ids, or objects with an id or a uid): the assertion
    is revoked when either is listed, so each has its entry."""
    if profile is None or not documents.is_https(profile.get("revocationList")):
        return ()
    named = dict.fromkeys(i for i in (documents.ref_id(assertion), _string(assertion.get("uid"))) if i) or [None]
    return tuple(StatusEntry("OB2RevocationList", "revocation", str(profile["revocationList"]), _cut(index))
                 for index in named)


def _embedded(value: Any) -> dict[str, Any] | None:
    return value if isinstance(value, dict) else None


def _image(value: Any) -> str | None:
    url = documents.ref_id(value)  # OB 2.0: an IRI, or an Image object with an id
    return url if url is not None and len(url) <= MAX_IMAGE else None


def _date(value: Any) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        from skillpass.encoding.dates import from_numeric_date

        return from_numeric_date(value)
    return _cut(_string(value))


def _text(value: Any) -> LangText | None:
    text = _string(value)
    return LangText(text[:MAX_TEXT]) if text else None


def _string(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _cut(value: str | None) -> str | None:
    return value[:MAX_TEXT] if value is not None else None
