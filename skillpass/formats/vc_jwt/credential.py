"""VC-JWT: verifiable credentials secured as a JWS.

Two encodings are read:
- VC Data Model 1.1 §6.3.1 (what OpenID4VCI calls `jwt_vc_json`): JWT claims `iss`, `sub`,
  `jti`, `nbf`, `exp` and the credential in a `vc` claim;
- VC-JOSE-COSE (`typ` vc+jwt, VC 2.0): the payload is the credential itself, its dates its own
  `validFrom`/`validUntil`.
The JWS covers the bytes, so no JSON-LD processing is involved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from skillpass.encoding.dates import CLOCK_SKEW, numeric_date
from skillpass.errors import InvalidError
from skillpass.formats import jose
from skillpass.formats.issuer_keys import Trusted, issuer_key

VC_TYPES = (None, "JWT", "vc+jwt", "vc+ld+json+jwt")


@dataclass(frozen=True)
class Issued:
    """A VC-JWT whose issuer signature verified; `credential` is the credential as JSON (the
    `vc` claim completed from the registered claims, or the VC-JOSE-COSE payload)."""

    token: str
    credential: dict[str, Any]
    issuer: str
    key: str
    validity: str


def verify_issued(token: str, trusted: Trusted, now: datetime) -> Issued:
    jws = jose.read_compact(token, "VC-JWT")
    typ = jws.header.get("typ")
    if typ not in VC_TYPES:
        raise InvalidError(f"the JWT's typ is {typ!r}: it is not a VC-JWT", "ask for the credential itself",
                           code="E_VC_JWT_TYPE")
    claims = jose.payload_json(jws, "VC-JWT")
    credential = credential_of(claims, typ)
    issuer = claims.get("iss") if "vc" in claims else _issuer_id(credential)
    if not isinstance(issuer, str) or not issuer:
        raise InvalidError("the credential names no issuer", "ask the issuer for a complete credential",
                           code="E_NO_ISSUER")
    key = issuer_key(jws.header, issuer, trusted)
    jose.verify(jws, key.public_key, "VC-JWT")
    return Issued(token, credential, issuer, key.source,
                  _validity(claims, credential, now))


def credential_of(claims: dict[str, Any], typ: Any) -> dict[str, Any]:
    """The credential a VC-JWT carries, as JSON."""
    if typ == "vc+jwt" or "vc" not in claims:
        if "credentialSubject" not in claims:
            raise InvalidError("the JWT carries no credential (no vc claim, no credentialSubject)",
                               "ask for the credential itself", code="E_VC_JWT_SHAPE")
        return claims
    if not isinstance(claims["vc"], dict):
        raise InvalidError("the JWT's vc claim is not an object", "ask for a corrected credential",
                           code="E_VC_JWT_SHAPE")
    from skillpass.summary.jwt import from_vc_jwt

    return from_vc_jwt(claims)


def _issuer_id(credential: dict[str, Any]) -> Any:
    issuer = credential.get("issuer")
    return issuer.get("id") if isinstance(issuer, dict) else issuer


def _validity(claims: dict[str, Any], credential: dict[str, Any], now: datetime) -> str:
    from skillpass.encoding import dates

    if "vc" in claims:  # VC 1.1 §6.3.1: the registered claims carry the period
        exp, nbf = numeric_date(claims.get("exp")), numeric_date(claims.get("nbf"))
        if exp is not None and now >= exp + CLOCK_SKEW:
            return dates.EXPIRED
        if nbf is not None and now < nbf - CLOCK_SKEW:
            return dates.NOT_YET_VALID
        return dates.VALID
    try:
        start, end = dates.validity_bounds(credential.get("validFrom", credential.get("issuanceDate")),
                                           credential.get("validUntil", credential.get("expirationDate")))
    except ValueError as exc:
        raise InvalidError(f"malformed validity date {exc.args[0]!r}", "ask the issuer", code="E_DATE") from None
    return dates.period_status(start, end, now)


