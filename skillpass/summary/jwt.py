"""JWT-shaped credentials: the claims of a VC-JWT (its `vc` claim) and of an SD-JWT VC (`vct`)."""

from __future__ import annotations

import json
from typing import Any

from skillpass.encoding import dates
from skillpass.errors import BadInputError
from skillpass.keys.multibase import b64url_decode
from skillpass.langtext import LangText
from skillpass.summary.claims import claims_of
from skillpass.summary.model import Party, Summary
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


def summarize_sd_jwt_vc(claims: dict[str, Any], r: Reader) -> Summary:
    vct = r.plain(claims.get("vct")) if isinstance(claims.get("vct"), str) else None
    subject = {key: value for key, value in claims.items() if key not in _JWT_METADATA}
    # Display names live in the vct's type metadata, not in the claims; `name` is the holder's.
    return Summary(
        title=LangText(vct or "SD-JWT VC"), kind="SdJwtVc", types=(vct,) if vct else (),
        issuer=Party(id=r.ref(claims.get("iss"))), subject_id=r.ref(claims.get("sub")),
        subject_name=person_name({"name": claims.get("name"), "givenName": claims.get("given_name"),
                                  "familyName": claims.get("family_name")}, r),
        issued=dates.from_numeric_date(claims.get("nbf", claims.get("iat"))),
        expires=dates.from_numeric_date(claims.get("exp")), credential_id=r.ref(claims.get("jti")),
        claims=tuple(claims_of(subject, "", r)), truncated=r.truncated,
    )
