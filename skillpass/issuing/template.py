"""What a test issuer signs: an Open Badges 3.0 credential, SD-JWT VC claims or MATTR compact
claims, from flags (a `CredentialSpec`) or from a JSON template the flags then override.

Every credential made here names its issuer as a test issuer in the signed data, in terms the
bundled contexts define (JSON-LD safe mode refuses any other): the issuer Profile's `name`
ends with " (test issuer)" and its `description` says it is no real institution (OB 3.0
Profile); SD-JWT VC and MATTR claims carry `test_issuer: true` and an `issuer_name`.
"""

from __future__ import annotations

import copy
import os
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from skillpass.errors import BadInputError, UsageError

TEST_SUFFIX = " (test issuer)"
TEST_SUFFIX_FR = " (émetteur de test)"
TEST_DESCRIPTION = "Test issuer made with 'skillpass issue': not a real institution"
TEST_CLAIM = "test_issuer"
VC2 = "https://www.w3.org/ns/credentials/v2"
VC1 = "https://www.w3.org/2018/credentials/v1"
OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
VCT = "https://test-issuer.example/credentials/micro-credential"
DEFAULT_NAME = "Test micro-credential"


@dataclass(frozen=True)
class Skill:
    name: str
    framework: str | None = None

    @classmethod
    def parse(cls, text: str) -> Skill:
        """NAME or NAME@FRAMEWORK."""
        name, _, framework = text.partition("@")
        if not name.strip():
            raise UsageError(f"--skill {text!r} has no name", "give --skill \"NAME[@FRAMEWORK]\"",
                             code="E_USAGE")
        return cls(name.strip(), framework.strip() or None)


@dataclass(frozen=True)
class CredentialSpec:
    """What the flags say of the credential; None leaves the template's value (or the default)."""

    name: str | None = None
    description: str | None = None
    name_fr: str | None = None
    description_fr: str | None = None
    skills: tuple[Skill, ...] = ()
    subject: str | None = None
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    status_list: str | None = None
    status_index: int | None = None
    status_purpose: str = "revocation"
    issuer_name: str | None = None  # the test issuer's display name (default: its key's name)


def text_value(en: str, fr: str | None) -> Any:
    """A plain string, or both languages as JSON-LD value objects (VC DM 2.0 §11.1)."""
    if fr is None:
        return en
    return [{"@value": en, "@language": "en"}, {"@value": fr, "@language": "fr"}]


def _stamp(moment: datetime) -> str:
    from skillpass.encoding.dates import format_utc

    return format_utc(moment)


# -- Open Badges 3.0 -------------------------------------------------------------------------------


def ob3_credential(spec: CredentialSpec, template: dict[str, Any] | None, *, issuer_did: str,
                   issuer_name: str, now: datetime, vc1: bool = False) -> dict[str, Any]:
    """An unsigned OB 3.0 credential: the template (else a minimal one) with the flags applied
    and the test issuer named."""
    credential = copy.deepcopy(template) if template is not None else _ob3_base(vc1)
    if "proof" in credential:
        raise BadInputError("the template is already signed (it has a proof)",
                            "give an unsigned credential as the template", code="E_TEMPLATE")
    credential.setdefault("id", f"urn:uuid:{uuid.uuid4()}")
    subject = credential.setdefault("credentialSubject", {"type": ["AchievementSubject"]})
    if not isinstance(subject, dict):
        raise BadInputError("the template's credentialSubject is not one object",
                            "give a template with one credentialSubject", code="E_TEMPLATE")
    achievement = subject.setdefault("achievement", {"id": f"urn:uuid:{uuid.uuid4()}", "type": ["Achievement"],
                                                     "criteria": {"narrative": "Issued by a test issuer."}})
    _apply_achievement(credential, achievement, spec)
    if spec.subject is not None:
        subject["id"] = spec.subject
    _apply_dates(credential, spec, now, vc1)
    if spec.status_list is not None:
        credential["credentialStatus"] = status_entry(spec.status_list, spec.status_index, spec.status_purpose)
    credential["issuer"] = test_profile(credential.get("issuer"), issuer_did, issuer_name)
    return credential


def _ob3_base(vc1: bool) -> dict[str, Any]:
    return {"@context": [VC1 if vc1 else VC2, OB3], "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "credentialSubject": {"type": ["AchievementSubject"]}}


def _apply_achievement(credential: dict[str, Any], achievement: dict[str, Any], spec: CredentialSpec) -> None:
    if spec.name is not None or "name" not in achievement:
        name = text_value(spec.name or DEFAULT_NAME, spec.name_fr)
        achievement["name"] = name
        credential["name"] = name
    if spec.description is not None:
        achievement["description"] = text_value(spec.description, spec.description_fr)
    achievement.setdefault("description", "A credential made by a test issuer, for testing.")
    if spec.skills:
        achievement["alignment"] = [_alignment(skill) for skill in spec.skills]


def _alignment(skill: Skill) -> dict[str, Any]:
    import re

    slug = re.sub(r"[^a-z0-9]+", "-", skill.name.lower()).strip("-") or "skill"
    alignment: dict[str, Any] = {"type": ["Alignment"], "targetName": skill.name,
                                 "targetUrl": f"https://skills.test-issuer.example/{slug}"}
    if skill.framework:
        alignment["targetFramework"] = skill.framework
    return alignment


def _apply_dates(credential: dict[str, Any], spec: CredentialSpec, now: datetime, vc1: bool) -> None:
    start, end = ("issuanceDate", "expirationDate") if vc1 else ("validFrom", "validUntil")
    if spec.valid_from is not None or start not in credential:
        credential[start] = _stamp(spec.valid_from or now)
    if spec.valid_until is not None:
        credential[end] = _stamp(spec.valid_until)


def status_entry(url: str, index: int | None, purpose: str = "revocation") -> dict[str, Any]:
    """A BitstringStatusListEntry (Bitstring Status List v1.0 §2.1)."""
    if index is None:
        raise UsageError("--status-list needs --status-index N", "give the credential's index in the list",
                         code="E_USAGE")
    return {"id": f"{url}#{index}", "type": "BitstringStatusListEntry", "statusPurpose": purpose,
            "statusListIndex": str(index), "statusListCredential": url}


def test_profile(issuer: Any, did: str, name: str) -> dict[str, Any]:
    """The issuer Profile, labelled a test issuer: the template's profile (its other fields kept)
    with our DID, its name marked and our description."""
    profile = dict(issuer) if isinstance(issuer, dict) else {}
    profile.update(id=did, type=profile.get("type") or ["Profile"])
    profile["name"] = _marked(profile.get("name") or name)
    profile["description"] = TEST_DESCRIPTION
    return profile


def _marked(name: Any) -> Any:
    """`name` (a string or language values) ending with the test issuer label."""
    if isinstance(name, list):
        return [_marked(value) for value in name]
    if isinstance(name, dict) and isinstance(name.get("@value"), str):
        suffix = TEST_SUFFIX_FR if str(name.get("@language", "")).startswith("fr") else TEST_SUFFIX
        return {**name, "@value": _marked_text(name["@value"], suffix)}
    return _marked_text(str(name), TEST_SUFFIX)


def _marked_text(text: str, suffix: str) -> str:
    return text if text.endswith((TEST_SUFFIX, TEST_SUFFIX_FR)) else text + suffix


# -- SD-JWT VC and MATTR compact claims ------------------------------------------------------------


def sd_jwt_claims(spec: CredentialSpec, template: dict[str, Any] | None, *, issuer_did: str,
                  issuer_name: str, now: datetime) -> dict[str, Any]:
    """SD-JWT VC claims (draft-ietf-oauth-sd-jwt-vc §3.2.2): the template's, with the flags."""
    claims = copy.deepcopy(template) if template is not None else {"vct": VCT}
    claims.setdefault("vct", VCT)
    claims.setdefault("jti", f"urn:uuid:{uuid.uuid4()}")
    achievement = claims.setdefault("achievement", {})
    if spec.name is not None or "name" not in achievement:
        achievement["name"] = spec.name or DEFAULT_NAME
    if spec.name_fr is not None:
        achievement["name#fr"] = spec.name_fr
    if spec.description is not None:
        achievement["description"] = spec.description
    if spec.skills:
        claims["skills"] = skill_claims(spec)
    if spec.subject is not None:
        claims["sub"] = spec.subject
    if spec.status_list is not None:
        if spec.status_index is None:
            raise UsageError("--status-list needs --status-index N", "give the credential's index", code="E_USAGE")
        claims["status"] = {"status_list": {"idx": spec.status_index, "uri": spec.status_list}}
    _numeric_dates(claims, spec, now)
    claims.update(iss=issuer_did, issuer_name=_marked_text(claims.get("issuer_name") or issuer_name, TEST_SUFFIX))
    claims[TEST_CLAIM] = True
    return claims


def skill_claims(spec: CredentialSpec) -> list[dict[str, str]]:
    """The skills of an SD-JWT VC or a MATTR compact credential, each its name and framework, as
    summary.jwt.skill_alignments reads them into the passport."""
    return [{"name": skill.name, **({"framework": skill.framework} if skill.framework else {})}
            for skill in spec.skills]


def mattr_claims(spec: CredentialSpec, template: dict[str, Any] | None, *, issuer_did: str,
                 issuer_name: str, now: datetime) -> dict[Any, Any]:
    """MATTR compact CWT claims (RFC 8392 labels for the registered ones; the rest by name)."""
    import cbor2

    from skillpass.formats.mattr_cwt import cwt

    custom = {k: v for k, v in copy.deepcopy(template or {}).items()
              if k not in ("iss", "nbf", "exp", "iat", "sub", "cti")}
    if spec.name is not None or "award" not in custom:
        custom["award"] = spec.name or DEFAULT_NAME
    if spec.description is not None:
        custom["description"] = spec.description
    if spec.skills:
        custom["skills"] = skill_claims(spec)
    custom.update(issuer_name=_marked_text(str(custom.get("issuer_name") or issuer_name), TEST_SUFFIX))
    custom[TEST_CLAIM] = True
    dates: dict[str, int] = {}
    _numeric_dates(dates, spec, now)
    claims: dict[Any, Any] = {cwt.ISS: issuer_did, cwt.IAT: dates["iat"], cwt.NBF: dates["nbf"],
                              cwt.CTI: cbor2.CBORTag(cwt.UUID_TAG, os.urandom(16))}
    if "exp" in dates:
        claims[cwt.EXP] = dates["exp"]
    if spec.subject is not None:
        claims[cwt.SUB] = spec.subject
    if spec.status_list is not None:
        if spec.status_index is None:
            raise UsageError("--status-list needs --status-index N", "give the credential's index", code="E_USAGE")
        claims[cwt.STATUS] = {cwt.STATUS_INDEX: spec.status_index, cwt.STATUS_URL: spec.status_list}
    claims.update(custom)
    return claims


def _numeric_dates(claims: dict[str, Any], spec: CredentialSpec, now: datetime) -> None:
    claims["iat"] = int(now.timestamp())
    if spec.valid_from is not None or "nbf" not in claims:
        claims["nbf"] = int((spec.valid_from or now).timestamp())
    if spec.valid_until is not None:
        claims["exp"] = int(spec.valid_until.timestamp())
