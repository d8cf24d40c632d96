"""The JWTs the wallet signs while receiving: the key proof (OpenID4VCI 1.0 Appendix F.1) and
DPoP proofs (RFC 9449 §4.2), both through skillpass.formats.jose (ES256 or EdDSA, by the key).

The key proof binds the credential to a holder key: `jwk` carries the public key (SD-JWT VC puts
it in `cnf`), or `kid` a DID URL when the issuer binds to DIDs. No `iss` claim: with an anonymous
pre-authorized code there is no client_id (Appendix F.1). The DPoP key is a fresh P-256 key for
each `receive`, never the holder key, so the token endpoint learns nothing it could link.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import datetime
from typing import Any

PROOF_TYPE = "openid4vci-proof+jwt"
DPOP_TYPE = "dpop+jwt"


def key_proof(private_key: Any, *, audience: str, nonce: str | None, now: datetime,
              kid: str | None = None) -> str:
    """Appendix F.1: header typ + (jwk | kid), payload aud, iat, nonce."""
    from skillpass.formats.jose import sign
    from skillpass.keys.multikey import public_key_to_jwk

    header: dict[str, Any] = {"typ": PROOF_TYPE}
    if kid is not None:
        header["kid"] = kid
    else:
        header["jwk"] = public_key_to_jwk(private_key.public_key())
    payload: dict[str, Any] = {"aud": audience, "iat": int(now.timestamp())}
    if nonce is not None:
        payload["nonce"] = nonce
    return sign(header, _json(payload), private_key)


class DpopKey:
    """An ephemeral DPoP key and the server nonce it last heard (RFC 9449 §8)."""

    def __init__(self) -> None:
        from cryptography.hazmat.primitives.asymmetric import ec

        self._key = ec.generate_private_key(ec.SECP256R1())
        self.nonce: str | None = None

    def __repr__(self) -> str:
        return "DpopKey(<redacted>)"

    def proof(self, method: str, url: str, now: datetime, access_token: str | None = None) -> str:
        """§4.2: jti, htm, htu (without query and fragment), iat; ath with an access token."""
        from skillpass.formats.jose import sign
        from skillpass.keys.multibase import b64url_encode
        from skillpass.keys.multikey import public_key_to_jwk

        payload: dict[str, Any] = {"jti": secrets.token_urlsafe(16), "htm": method,
                                   "htu": url.split("?")[0].split("#")[0], "iat": int(now.timestamp())}
        if self.nonce:
            payload["nonce"] = self.nonce
        if access_token is not None:
            payload["ath"] = b64url_encode(hashlib.sha256(access_token.encode("ascii")).digest())
        header = {"typ": DPOP_TYPE, "jwk": public_key_to_jwk(self._key.public_key())}
        return sign(header, _json(payload), self._key)


def _json(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
