"""JWT-shaped credentials: the claims of a VC-JWT (its `vc` claim) and of an SD-JWT VC (`vct`)."""

from __future__ import annotations

import json
from typing import Any

from skillpass.encoding import dates
from skillpass.errors import BadInputError
from skillpass.keys.multibase import b64url_decode
from skillpass.langtext import LangText
from skillpass.summary.claims import claims_of
from skillpass.summary.model import Achievement, Alignment, Party, StatusEntry, Summary
from skillpass.summary.reader import MAX_TEXT, Reader, person_name

# SD-JWT VC (draft-ietf-oauth-sd-jwt-vc §3.2.2) registered claims: metadata, not subject data.
_JWT_METADATA = frozenset({"iss", "sub", "iat", "nbf", "exp", "cnf", "vct", "vct#integrity",
                           "status", "jti", "aud", "_sd", "_sd_alg"})


def jwt_payload(compact: str) -> Any:
    """The payload of a compact JWS, unverified: the enclosing credential's proof covers it."""
    parts = compact.split(".")
    if len(parts) != 3:
        raise BadInputError("not a compact JWS", code="E_NOT_CREDENTIAL")
    try:
        return json.loads(b64url_decode(parts[1], max_bytes=MAX_TEXT * 1024))
    except (ValueError, RecursionError) as exc:
        raise BadInputError("JWS payload is not JSON", code="E_NOT_CREDENTIAL") from exc


def from_vc_jwt(payload: dict[str, Any]) -> dict[str, Any]:
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


# Claims an SD-JWT VC for a course or a micro-credential names itself with (there is no
# registered one: the display name lives in the vct's type metadata, which is not fetched).
_NAME_PATHS = (("achievement", "name"), ("credential_name",), ("credentialName",), ("title",),
               ("course", "name"), ("course_name",), ("program", "name"), ("program_name",),
               ("degree", "name"), ("qualification", "name"))
_SKILL_CLAIMS = ("skills", "skill", "competencies", "competency", "learning_outcomes")


def summarize_sd_jwt_vc(claims: dict[str, Any], r: Reader) -> Summary:
    vct = r.plain(claims.get("vct")) if isinstance(claims.get("vct"), str) else None
    subject = {key: value for key, value in claims.items() if key not in _JWT_METADATA}
    name = _first_text(subject, r)
    skills = tuple(skill_alignments(subject, r))
    achievement = Achievement(name=name, alignments=skills) if name is not None or skills else None
    # `name`, `given_name` and `family_name` are the holder's (SD-JWT VC follows OpenID Connect).
    return Summary(
        title=name or LangText(vct or "SD-JWT VC"), kind="SdJwtVc", types=(vct,) if vct else (),
        issuer=Party(id=r.ref(claims.get("iss"))), subject_id=r.ref(claims.get("sub")),
        subject_name=person_name({"name": claims.get("name"), "givenName": claims.get("given_name"),
                                  "familyName": claims.get("family_name")}, r),
        issued=dates.from_numeric_date(claims.get("nbf", claims.get("iat"))),
        expires=dates.from_numeric_date(claims.get("exp")), credential_id=r.ref(claims.get("jti")),
        achievements=(achievement,) if achievement is not None else (),
        claims=tuple(claims_of(subject, "", r)), status=token_status(claims.get("status"), r),
        truncated=r.truncated,
    )


def token_status(status: Any, r: Reader) -> tuple[StatusEntry, ...]:
    """draft-ietf-oauth-status-list §6.1: `status.status_list` = {idx, uri}."""
    listed = status.get("status_list") if isinstance(status, dict) else None
    if not isinstance(listed, dict) or not isinstance(listed.get("uri"), str):
        return ()
    index = listed.get("idx")
    return (StatusEntry(type="TokenStatusList", list=r.ref(listed["uri"]),
                        index=str(index) if isinstance(index, int) and not isinstance(index, bool) else None),)


def _first_text(subject: dict[str, Any], r: Reader) -> LangText | None:
    for *parents, key in _NAME_PATHS:
        holder: Any = subject
        for parent in parents:
            holder = holder.get(parent) if isinstance(holder, dict) else None
        value = holder.get(key) if isinstance(holder, dict) else None
        if isinstance(value, str) and value.strip():
            return r.claim_text(holder, key)  # with `name#fr` (OIDC Core §5.2): its French
    return None


def skill_alignments(subject: dict[str, Any], r: Reader) -> list[Alignment]:
    """Skill-like claims as alignments: strings, or objects with a name (and maybe a framework,
    a code and a URL), so that the passport gathers them as it does Open Badges' alignments
    (SD-JWT VC claims here, a MATTR compact credential's in formats/mattr_cwt)."""
    found: list[Alignment] = []
    for claim in _SKILL_CLAIMS:
        value = subject.get(claim)
        for item in r.items(value, (str, dict)):
            if isinstance(item, str):
                found.append(Alignment(target_name=r.text(item)))
            else:
                found.append(Alignment(target_name=r.text(item.get("name", item.get("title"))),
                                       target_framework=r.text(item.get("framework")),
                                       target_code=r.plain(item.get("code")), target_url=r.ref(item.get("url"))))
    return [a for a in found if a.target_name is not None]
