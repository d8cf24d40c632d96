"""VC-JWT: verifiable credentials secured as a JWS, and the JWT presentation a holder answers with.

Two encodings are read:
- VC Data Model 1.1 §6.3.1 (what OpenID4VCI calls `jwt_vc_json`): JWT claims `iss`, `sub`,
  `jti`, `nbf`, `exp` and the credential in a `vc` claim;
- VC-JOSE-COSE (`typ` vc+jwt, VC 2.0): the payload is the credential itself, its dates its own
  `validFrom`/`validUntil`.
The JWS covers the bytes, so no JSON-LD processing is involved. A VC-JWT is shared whole, in a
JWT presentation (`jwt_vp_json`: claims `iss` = the holder's DID, `aud` = the verifier's domain,
`nonce` = its challenge, `iat`, `vp` with the credentials), signed by the holder's key: the form
VC 1.1-era and OpenID4VP verifiers take; an EnvelopedVerifiableCredential inside a Data Integrity
presentation is not checked by digitalbazaar's verifier, which skillpass's presentations are
proven against.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from skillpass.errors import InvalidError
from skillpass.formats import jose
from skillpass.formats.issuer_keys import Trusted, issuer_key

VC_TYPES = (None, "JWT", "vc+jwt", "vc+ld+json+jwt")
VP_TYPES = (None, "JWT", "vp+jwt")
CLOCK_SKEW = timedelta(minutes=5)
VC_V1 = "https://www.w3.org/2018/credentials/v1"


@dataclass(frozen=True)
class Issued:
    """A VC-JWT whose issuer signature verified; `credential` is the credential as JSON (the
    `vc` claim completed from the registered claims, or the VC-JOSE-COSE payload)."""

    token: str
    credential: dict[str, Any]
    issuer: str
    key: str
    validity: str


@dataclass(frozen=True)
class Presented:
    holder: str
    key: str
    nonce: str | None
    aud: str | list[str] | None
    credentials: tuple[Any, ...]  # the `vp.verifiableCredential` entries, unverified


def verify_issued(token: str, trusted: Trusted, now: datetime) -> Issued:
    jws = jose.read_compact(token, "VC-JWT")
    typ = jws.header.get("typ")
    if typ not in VC_TYPES:
        raise InvalidError(f"the JWT's typ is {typ!r}: it is not a VC-JWT", "ask for the credential itself",
                           code="E_VC_JWT_TYPE")
    claims = jose.payload_json(jws, "VC-JWT")
    credential = credential_of(claims, typ)
    issuer = claims.get("iss") if "vc" in claims else _issuer_id(credential)
    key = issuer_key(jws.header, issuer, trusted)
    jose.verify(jws, key.public_key, "VC-JWT")
    return Issued(token, credential, str(issuer or key.source.split("#")[0]), key.source,
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
        exp, nbf = _numeric(claims.get("exp")), _numeric(claims.get("nbf"))
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


def _numeric(value: Any) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, ValueError, OSError):
        return None


# -- the holder's JWT presentation ----------------------------------------------------------------


def present(tokens: list[str], *, holder_did: str, verification_method: str, private_key: Any,
            aud: str | None, nonce: str | None, now: datetime) -> str:
    """A JWT presentation of `tokens` (VC 1.1 §6.3.1 `vp` claim), signed by the holder."""
    claims: dict[str, Any] = {"iss": holder_did, "iat": int(now.timestamp()),
                              "jti": f"urn:uuid:{uuid.uuid4()}",
                              "vp": {"@context": [VC_V1], "type": ["VerifiablePresentation"],
                                     "holder": holder_did, "verifiableCredential": list(tokens)}}
    if aud is not None:
        claims["aud"] = aud
    if nonce is not None:
        claims["nonce"] = nonce
    return jose.sign({"typ": "JWT", "kid": verification_method}, json.dumps(claims).encode(), private_key)


def verify_presented(token: str, trusted: Trusted, now: datetime) -> Presented:
    """The holder's signature on a JWT presentation; nonce and audience for the caller."""
    from skillpass.dids import did_of

    jws = jose.read_compact(token, "JWT presentation")
    if jws.header.get("typ") not in VP_TYPES:
        raise InvalidError(f"the JWT's typ is {jws.header.get('typ')!r}: not a presentation",
                           "give the presentation the holder sent", code="E_VP_JWT_TYPE")
    claims = jose.payload_json(jws, "JWT presentation")
    vp = claims.get("vp")
    holder = claims.get("iss")
    if not isinstance(vp, dict) or not isinstance(holder, str):
        raise InvalidError("the JWT presentation has no vp claim or no iss (holder)",
                           "give the presentation the holder sent", code="E_VP_JWT_SHAPE")
    kid = jws.header.get("kid")
    method = kid if isinstance(kid, str) else holder
    from skillpass.dids import resolve_verification_method

    resolved = resolve_verification_method(method if "#" in method else _only(method), trusted.did_cache)
    if did_of(resolved.id) != holder:
        raise InvalidError(f"the presentation's key {resolved.id} does not belong to its holder {holder}",
                           "it was signed by someone other than its holder", code="E_CONTROLLER_MISMATCH")
    jose.verify(jws, resolved.public_key, "JWT presentation")
    iat = _numeric(claims.get("iat"))
    if iat is not None and iat > now + CLOCK_SKEW:
        raise InvalidError("the JWT presentation says it was made in the future", "check this computer's clock",
                           code="E_VP_JWT_IAT")
    inner = vp.get("verifiableCredential")
    credentials = tuple(inner if isinstance(inner, list) else [] if inner is None else [inner])
    return Presented(holder, resolved.id, claims.get("nonce") if isinstance(claims.get("nonce"), str) else None,
                     claims.get("aud"), credentials)


def _only(did: str) -> str:
    if did.startswith("did:key:"):
        return f"{did}#{did[len('did:key:'):]}"
    return f"{did}#0"

