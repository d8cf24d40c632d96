"""The JWT presentation (`jwt_vp_json`) a holder answers with when sharing VC-JWTs whole.

VC Data Model 1.1 §6.3.1: claims `iss` = the holder's DID, `aud` = the verifier's domain,
`nonce` = its challenge, `iat`, `jti`, and `vp` with the credentials, signed by the holder's key.
This is the form VC 1.1-era and OpenID4VP verifiers take. An EnvelopedVerifiableCredential inside
a Data Integrity presentation (VC 2.0) was the other choice; digitalbazaar's verifier, which
skillpass's presentations are proven against, does not check enveloped credentials.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from skillpass.errors import InvalidError
from skillpass.formats import jose
from skillpass.formats.issuer_keys import Trusted
from skillpass.encoding.dates import CLOCK_SKEW, numeric_date

VP_TYPES = (None, "JWT", "vp+jwt")
VC_V1 = "https://www.w3.org/2018/credentials/v1"


@dataclass(frozen=True)
class Presented:
    holder: str
    key: str
    nonce: str | None
    aud: str | list[str] | None
    credentials: tuple[Any, ...]  # the `vp.verifiableCredential` entries, unverified
    iat: datetime | None


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
    iat = numeric_date(claims.get("iat"))
    if iat is not None and iat > now + CLOCK_SKEW:
        raise InvalidError("the JWT presentation says it was made in the future", "check this computer's clock",
                           code="E_VP_JWT_IAT")
    inner = vp.get("verifiableCredential")
    credentials = tuple(inner if isinstance(inner, list) else [] if inner is None else [inner])
    return Presented(holder, resolved.id, claims.get("nonce") if isinstance(claims.get("nonce"), str) else None,
                     claims.get("aud"), credentials, iat)


def _only(did: str) -> str:
    if did.startswith("did:key:"):
        return f"{did}#{did[len('did:key:'):]}"
    return f"{did}#0"

