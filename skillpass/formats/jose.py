"""Compact JWS (RFC 7515) for the JWT-shaped formats: read strictly, verify with an allowlist.

joserfc (a maintained JOSE library) checks and makes the signatures; this module decides what is
acceptable before it gets there: only ES256 (P-256), ES384 (P-384) and EdDSA (Ed25519), each with
a key of its own type, so `none`, HMAC (the "HS256 signed with the issuer's public key" attack),
RSA and anything else are refused by name; an unknown `crit` header is refused (RFC 7515
§4.1.11); the header and payload must be strict JSON (no duplicate keys, bounded) and the
whole token is bounded before anything is decoded.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

from skillpass.errors import BadInputError, InvalidError, SkillpassError

ALGORITHMS = {"ES256": "P-256", "ES384": "P-384", "EdDSA": "Ed25519"}
ALG_FOR_KEY = {key_type: alg for alg, key_type in ALGORITHMS.items()}
MAX_HEADER_BYTES = 16 * 1024
MAX_TOKEN_CHARACTERS = 8 * 1024 * 1024  # the input limit
_UNDERSTOOD_CRIT: frozenset[str] = frozenset()  # no extension header is understood here


@dataclass(frozen=True)
class Jws:
    """A compact JWS as received, its parts decoded but its signature not yet checked."""

    token: str  # exactly as received
    header: dict[str, Any]
    payload: bytes

    @property
    def alg(self) -> str:
        return str(self.header.get("alg"))


def read_compact(token: str, what: str = "JWT") -> Jws:
    """Split and decode a compact JWS, refusing what no allowed signature could be."""
    from skillpass.keys.multibase import b64url_decode

    if not isinstance(token, str) or len(token) > MAX_TOKEN_CHARACTERS:
        raise malformed(what, "too large")
    parts = token.split(".")
    if len(parts) != 3:
        raise malformed(what, "a compact JWS has three parts separated by dots")
    try:
        header_bytes = b64url_decode(parts[0], max_bytes=MAX_HEADER_BYTES, what=f"the {what} header")
        payload = b64url_decode(parts[1], max_bytes=MAX_TOKEN_CHARACTERS, what=f"the {what} payload")
    except BadInputError as exc:
        raise malformed(what, exc.message) from None
    header = strict_json(header_bytes, f"the {what} header")
    if not isinstance(header, dict):
        raise malformed(what, "its header is not a JSON object")
    check_header(header, what)
    return Jws(token, header, payload)


def check_header(header: dict[str, Any], what: str = "JWT") -> None:
    alg = header.get("alg")
    if alg not in ALGORITHMS:
        raise InvalidError(f"the {what} is signed with {alg!r}, which skillpass does not accept",
                           "accepted: " + ", ".join(ALGORITHMS) + " (never 'none' or HMAC)",
                           code="E_JWS_ALG")
    crit = header.get("crit")
    if crit is not None:
        if not isinstance(crit, list) or not crit or not all(isinstance(c, str) for c in crit):
            raise malformed(what, "its 'crit' header must be a non-empty list of names")
        unknown = sorted(set(crit) - _UNDERSTOOD_CRIT)
        if unknown:
            raise InvalidError(f"the {what} requires the header extension {unknown[0]!r}, which "
                               "skillpass does not understand", "ask for a copy without it",
                               code="E_JWS_CRIT")


def verify(jws: Jws, public_key: Any, what: str = "JWT") -> None:
    """Check the signature with `public_key` (a cryptography key); InvalidError if it fails."""
    from joserfc import jws as rfc_jws
    from joserfc.errors import JoseError

    from skillpass.keys.multikey import key_type

    kind = key_type(public_key)
    if ALGORITHMS[jws.alg] != kind:
        raise InvalidError(f"the {what} says {jws.alg} but its key is {kind}",
                           "the token was signed with another kind of key", code="E_JWS_ALG")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # joserfc warns that RFC 9864 prefers "Ed25519"
            rfc_jws.deserialize_compact(jws.token, _joserfc_key(public_key), algorithms=[jws.alg])
    except JoseError:
        raise InvalidError(f"the {what}'s signature does not verify",
                           "it was changed after signing, or signed by another key",
                           code="E_SIG_INVALID") from None


def sign(header: dict[str, Any], payload: bytes, private_key: Any) -> str:
    """A compact JWS of `payload` with `header` (its alg set from the key)."""
    from joserfc import jws as rfc_jws

    from skillpass.keys.multikey import key_type

    alg = ALG_FOR_KEY[key_type(private_key)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return str(rfc_jws.serialize_compact({**header, "alg": alg}, payload,
                                             _joserfc_key(private_key), algorithms=[alg]))


def payload_json(jws: Jws, what: str = "JWT") -> dict[str, Any]:
    claims = strict_json(jws.payload, f"the {what} payload")
    if not isinstance(claims, dict):
        raise malformed(what, "its payload is not a JSON object")
    return claims


def strict_json(data: bytes, what: str) -> Any:
    """JSON as skillpass parses any input: UTF-8, no duplicate keys, bounded."""
    from skillpass.ingest import parse_json

    try:
        return parse_json(data)
    except BadInputError as exc:
        raise BadInputError(f"{what} is not valid JSON: {exc.message}", exc.hint, code="E_JWT") from None


def _joserfc_key(key: Any) -> Any:
    from cryptography.hazmat.primitives.asymmetric import ec
    from joserfc.jwk import ECKey, OKPKey

    return ECKey.import_key(key) if isinstance(key, (ec.EllipticCurvePublicKey, ec.EllipticCurvePrivateKey)) \
        else OKPKey.import_key(key)


def malformed(what: str, reason: str) -> SkillpassError:
    return BadInputError(f"malformed {what}: {reason}", "check it is the token the issuer sent, whole",
                         code="E_JWT")
