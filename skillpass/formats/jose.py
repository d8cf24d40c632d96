"""Compact JWS (RFC 7515) for the JWT-shaped formats: read strictly, verify with an allowlist.

This module decides what is acceptable, then signs and verifies with `cryptography` itself (no
JOSE library in between: the checks below are the whole policy, and they run once): only ES256
(P-256, SHA-256), ES384 (P-384, SHA-384) and EdDSA (Ed25519), each with a key of its own type,
so `none`, HMAC (the "HS256 signed with the issuer's public key" attack), RSA and anything else
are refused by name; an unknown `crit` header is refused (RFC 7515 §4.1.11), and so is an
unencoded payload (`b64` other than true, RFC 7797), which skillpass never reads; the registered
header parameters must have their registered types (§4.1); other header parameters are ignored,
as §4 asks. The header and payload must be strict JSON (no duplicate keys, bounded) and the whole
token is bounded before anything is decoded.

The one encoding step that is JOSE's own is the ECDSA signature: JWS carries the raw R || S, each
exactly the coordinate size (RFC 7518 §3.4), where cryptography speaks DER. A signature of any
other length (a DER one among them) is E_SIG_FORMAT before it reaches the curve; R or S of zero
or not below the group order is E_SIG_INVALID (OpenSSL refuses it). High-S signatures are
accepted, as RFC 7518 has no low-S rule and other JOSE implementations accept them: ECDSA is
malleable, so anyone can turn one valid signature into a second valid one over the same token.
So a token's exact text (or its signature) must not serve as the identity of a credential
(RELIABILITY.md (b) 15); the SD-JWT key binding is unaffected, since its sd_hash covers the
issuer JWT as the holder received it.

(joserfc, which did the signing here before, also refused header parameters it did not know, a
header over 512 characters and a payload over 128,000, all as "signature does not verify"; the
bounds are now the ones above, and an unknown parameter is ignored.)
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from skillpass.errors import BadInputError, InvalidError, SkillpassError
from skillpass.ingest import parse_json, why_not_json
from skillpass.keys.multibase import b64url_decode, b64url_encode
from skillpass.keys.multikey import key_type

ALGORITHMS = {"ES256": "P-256", "ES384": "P-384", "EdDSA": "Ed25519"}
ALG_FOR_KEY = {key_type: alg for alg, key_type in ALGORITHMS.items()}
MAX_HEADER_BYTES = 16 * 1024
MAX_TOKEN_CHARACTERS = 8 * 1024 * 1024  # the input limit
_UNDERSTOOD_CRIT: frozenset[str] = frozenset()  # no extension header is understood here
# RFC 7518 §3.4: ES256 and ES384 hash with SHA-256 and SHA-384; R and S are 32 and 48 bytes.
_ECDSA: dict[str, tuple[ec.ECDSA, int]] = {
    "ES256": (ec.ECDSA(hashes.SHA256()), 32), "ES384": (ec.ECDSA(hashes.SHA384()), 48)}
_SIGNATURE_BYTES = {"ES256": 64, "ES384": 96, "EdDSA": 64}  # RFC 7518 §3.4, RFC 8032 §5.1.6
_MAX_SIGNATURE_BYTES = 1024  # decoded up to here, so that a DER one is told apart by its length
# RFC 7515 §4.1: the registered header parameters and the JSON type each must have.
_HEADER_TYPES: dict[str, type] = {"jku": str, "jwk": dict, "kid": str, "x5u": str, "x5c": list,
                                  "x5t": str, "x5t#S256": str, "typ": str, "cty": str}
_JSON_NAMES = {str: "string", dict: "object", list: "array"}


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
    if not isinstance(token, str) or len(token) > MAX_TOKEN_CHARACTERS:
        raise malformed(what, "too large")
    parts = token.split(".")
    if len(parts) != 3:
        raise malformed(what, "a compact JWS has three parts separated by dots")
    known = _checked_header(parts[0]) if len(parts[0]) <= _KEPT_HEADER_CHARACTERS else None
    if known is not None:  # a header read and checked before: the same checks, the same answer
        try:
            payload = b64url_decode(parts[1], max_bytes=MAX_TOKEN_CHARACTERS, what=f"the {what} payload")
        except BadInputError as exc:
            raise malformed(what, exc.message) from None
        return Jws(token, dict(known), payload)
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


@functools.lru_cache(maxsize=64)
def _checked_header(encoded: str) -> tuple[tuple[str, str], ...] | None:
    """The members of an encoded header that passes every check of read_compact and holds
    strings only (so a copy of it is a new dict, and no 1 and True share an entry); None for
    any other, which read_compact then reads the whole way, raising its own error. A verifier
    meets the same few headers again and again ({"alg":"ES256","typ":"kb+jwt"} in every KB-JWT)."""
    try:
        header = parse_json(b64url_decode(encoded, max_bytes=MAX_HEADER_BYTES))
        if not isinstance(header, dict) or not _STR_ONLY.issuperset(map(type, header.values())):
            return None
        check_header(header)
    except SkillpassError:
        return None
    return tuple(header.items())


_KEPT_HEADER_CHARACTERS = 512  # a longer header is read every time (the cache stays small)


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
    if header.get("b64", True) is not True:
        raise InvalidError(f"the {what} has an unencoded payload (RFC 7797), which skillpass does "
                           "not read", "ask for a copy with a base64url payload", code="E_JWS_B64")
    for name, value in header.items():  # the header's few members, not the nine registered names
        kind = _HEADER_TYPES.get(name)
        if kind is not None and not isinstance(value, kind):
            raise malformed(what, f"its {name!r} header must be a JSON {_JSON_NAMES[kind]}")
    if "x5c" in header and not all(isinstance(c, str) for c in header["x5c"]):
        raise malformed(what, "its 'x5c' header must be a list of strings")


def verify(jws: Jws, public_key: Any, what: str = "JWT") -> None:
    """Check the signature with `public_key` (a cryptography key); InvalidError if it fails."""
    (kind, private), alg = _key_kind(public_key), jws.alg
    if ALGORITHMS[alg] != kind:
        raise InvalidError(f"the {what} says {alg} but its key is {kind}",
                           "the token was signed with another kind of key", code="E_JWS_ALG")
    if private:
        public_key = public_key.public_key()
    # RFC 7515 §5.2 step 8: the signing input is the first two parts exactly as received.
    signing_input, _, encoded = jws.token.rpartition(".")
    try:
        signature = b64url_decode(encoded, max_bytes=_MAX_SIGNATURE_BYTES, what="the signature")
    except BadInputError:
        raise _does_not_verify(what) from None
    size = _SIGNATURE_BYTES[alg]
    if len(signature) != size:
        form = "R || S, never DER (RFC 7518 §3.4)" if alg in _ECDSA else "64 bytes (RFC 8032)"
        raise InvalidError(f"the {what}'s signature is {len(signature)} bytes, not the {size} of {alg}",
                           f"a JWS {alg} signature is {form}; ask the issuer for a corrected token",
                           code="E_SIG_FORMAT")
    try:
        if kind == "Ed25519":
            public_key.verify(signature, signing_input.encode("ascii"))
        else:
            public_key.verify(der_signature(signature, alg), signing_input.encode("ascii"), _ECDSA[alg][0])
    except InvalidSignature:
        raise _does_not_verify(what) from None


def _key_kind(key: Any) -> tuple[str, bool]:
    """multikey.key_type, and whether the key is a private one, remembered by the key's class
    (the isinstance checks against cryptography's abstract classes cost microseconds a JWS)."""
    known = _KEY_CLASSES.get(type(key))
    if known is None:
        kind = key_type(key)  # raises for any other kind of key
        private = isinstance(key, (ec.EllipticCurvePrivateKey, ed25519.Ed25519PrivateKey))
        _KEY_CLASSES[type(key)] = ("Ed25519" if kind == "Ed25519" else "EC", private)
        return kind, private
    family, private = known
    if family == "EC":
        return _CURVE_KINDS.get(key.curve.name) or key_type(key), private
    return family, private


_KEY_CLASSES: dict[type, tuple[str, bool]] = {}  # a class of cryptography's keys -> "Ed25519" or "EC", private
_CURVE_KINDS = {"secp256r1": "P-256", "secp384r1": "P-384"}  # as multikey.key_type names them


def _does_not_verify(what: str) -> InvalidError:
    return InvalidError(f"the {what}'s signature does not verify",
                        "it was changed after signing, or signed by another key", code="E_SIG_INVALID")


def sign(header: dict[str, Any], payload: bytes, private_key: Any) -> str:
    """A compact JWS of `payload` with `header` (its alg set from the key)."""
    kind, private = _key_kind(private_key)
    alg = ALG_FOR_KEY[kind]
    if not private:
        raise TypeError("a JWS is signed with a private key")
    if _STR_ONLY.issuperset(map(type, header.values())):
        protected = _encoded_header(tuple(header.items()), alg)
    else:
        protected = _encode_header(header, alg)
    signing_input = protected + "." + b64url_encode(payload)
    if kind == "Ed25519":
        signature = private_key.sign(signing_input.encode("ascii"))
    else:
        algorithm, size = _ECDSA[alg]
        r, s = decode_dss_signature(private_key.sign(signing_input.encode("ascii"), algorithm))
        signature = r.to_bytes(size, "big") + s.to_bytes(size, "big")
    return signing_input + "." + b64url_encode(signature)


def _encode_header(header: dict[str, Any], alg: str) -> str:
    protected = json.dumps({**header, "alg": alg}, ensure_ascii=True, separators=(",", ":"))
    return b64url_encode(protected.encode("ascii"))


@functools.lru_cache(maxsize=64)
def _encoded_header(items: tuple[tuple[str, str], ...], alg: str) -> str:
    """The same few headers are signed again and again (a KB-JWT's is always {"typ": "kb+jwt"}):
    kept encoded, for headers of strings only (so that no 1 and True share an entry)."""
    return _encode_header(dict(items), alg)


_STR_ONLY = frozenset({str})


def der_signature(raw: bytes, alg: str) -> bytes:
    """RFC 7518 §3.4: the JWS form R || S, each exactly the coordinate size, as the DER
    ECDSA-Sig-Value cryptography verifies (ValueError for any other length)."""
    size = _ECDSA[alg][1]
    if len(raw) != 2 * size:
        raise ValueError(f"an {alg} signature is {2 * size} bytes, not {len(raw)}")
    return encode_dss_signature(int.from_bytes(raw[:size], "big"), int.from_bytes(raw[size:], "big"))


def payload_json(jws: Jws, what: str = "JWT") -> dict[str, Any]:
    claims = strict_json(jws.payload, f"the {what} payload")
    if not isinstance(claims, dict):
        raise malformed(what, "its payload is not a JSON object")
    return claims


def strict_json(data: bytes, what: str) -> Any:
    """JSON as skillpass parses any input: UTF-8, no duplicate keys, bounded."""
    try:
        return parse_json(data)
    except BadInputError as exc:
        raise BadInputError(f"{what} is not valid JSON: {why_not_json(exc)}", exc.hint, code="E_JWT") from None


def malformed(what: str, reason: str) -> SkillpassError:
    return BadInputError(f"malformed {what}: {reason}", "check it is the token the issuer sent, whole",
                         code="E_JWT")
