"""Multikey encodings (W3C Controlled Identifiers, section 2.2.2) and JWK for Ed25519, P-256, P-384.

A multikey is a multicodec varint header followed by the raw key, then multibase base58btc.
Public keys: Ed25519 `ed 01` + 32 bytes (`z6Mk...`), P-256 `80 24` + 33-byte compressed point
(`zDn...`), P-384 `81 24` + 49 bytes (`z82...`). Secret keys: Ed25519 `80 26` + seed, P-256
`86 26` + 32 bytes, P-384 `87 26` + 48 bytes.
"""

from __future__ import annotations

import functools
from typing import Union

from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from skillpass.errors import BadInputError
from skillpass.keys import multibase

PublicKey = Union[ed25519.Ed25519PublicKey, ec.EllipticCurvePublicKey]
PrivateKey = Union[ed25519.Ed25519PrivateKey, ec.EllipticCurvePrivateKey]

_PUBLIC_HEADERS = {b"\xed\x01": "Ed25519", b"\x80\x24": "P-256", b"\x81\x24": "P-384"}
_SECRET_HEADERS = {b"\x80\x26": "Ed25519", b"\x86\x26": "P-256", b"\x87\x26": "P-384"}
_CURVES: dict[str, ec.EllipticCurve] = {"P-256": ec.SECP256R1(), "P-384": ec.SECP384R1()}
_SIZES = {"Ed25519": 32, "P-256": 32, "P-384": 48}
# The longest multikeys (STANDARDS.md section 0): a P-384 public key is its 2-byte header and a
# 49-byte compressed point, a P-384 secret key its header and a 48-byte scalar.
MAX_PUBLIC_KEY_BYTES = 2 + 49
MAX_SECRET_KEY_BYTES = 2 + 48
_ABSENT = object()  # a JWK member that is not there ("malformed"; a null is "not base64url")


def key_type(key: PublicKey | PrivateKey) -> str:
    """'Ed25519', 'P-256' or 'P-384'."""
    if isinstance(key, (ed25519.Ed25519PublicKey, ed25519.Ed25519PrivateKey)):
        return "Ed25519"
    if isinstance(key, (ec.EllipticCurvePublicKey, ec.EllipticCurvePrivateKey)):
        name = {"secp256r1": "P-256", "secp384r1": "P-384"}.get(key.curve.name)
        if name:
            return name
    raise BadInputError("unsupported key type: only Ed25519, P-256 and P-384 keys are supported",
                        code="E_KEY_TYPE")


def _raw_public(key: PublicKey) -> bytes:
    # Imported here: the serialization package loads its SSH module (about 15 ms), which a
    # verifier that only decodes keys never needs.
    from cryptography.hazmat.primitives import serialization

    if isinstance(key, ed25519.Ed25519PublicKey):
        return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint)


def public_key_bytes(key: PublicKey) -> bytes:
    """The multicodec-prefixed public key (what ecdsa-sd-2023 signs as `publicKey`)."""
    kind = key_type(key)
    header = next(h for h, name in _PUBLIC_HEADERS.items() if name == kind)
    return header + _raw_public(key)


def encode_public_key(key: PublicKey) -> str:
    return multibase.encode(public_key_bytes(key), "z")


def public_key_from_bytes(data: bytes) -> PublicKey:
    kind = _PUBLIC_HEADERS.get(data[:2])
    if kind is None:
        raise BadInputError("unsupported multikey: expected an Ed25519, P-256 or P-384 public key",
                            code="E_KEY_TYPE")
    raw = data[2:]
    try:
        if kind == "Ed25519":
            if len(raw) != 32:
                raise ValueError
            return ed25519.Ed25519PublicKey.from_public_bytes(raw)
        if len(raw) != _SIZES[kind] + 1:
            raise ValueError
        return ec.EllipticCurvePublicKey.from_encoded_point(_CURVES[kind], raw)
    except ValueError:
        raise BadInputError(f"malformed {kind} public key", code="E_KEY_TYPE") from None


def decode_public_key(text: str) -> PublicKey:
    """Decode a `publicKeyMultibase` value (base58btc multikey)."""
    if not isinstance(text, str) or not text.startswith("z"):
        raise BadInputError("publicKeyMultibase must be base58btc ('z...')", code="E_KEY_TYPE")
    return public_key_from_bytes(
        multibase.decode(text, max_bytes=MAX_PUBLIC_KEY_BYTES, what="the public multikey"))


def decode_issuer_public_key(text: str) -> PublicKey:
    """decode_public_key of a key a verifier meets again and again: a DID document's
    publicKeyMultibase (keys made for one proof, as ecdsa-sd-2023's, take decode_public_key; a
    did:key's method is kept whole by skillpass.dids)."""
    if type(text) is not str:  # a str subclass could hash and compare as it liked
        return decode_public_key(text)
    return _cached_public_multikey(text)


@functools.lru_cache(maxsize=512)
def _cached_public_multikey(text: str) -> PublicKey:
    """The same key for the same multikey, as _cached_public_key for JWKs: the same issuers sign
    credential after credential, and decoding one is a base58 decode and, for P-256 and P-384, a
    point decompression with its curve check. Only a text that made a key is kept (an error is
    raised anew each time), so each is at most a P-384 multikey long."""
    return decode_public_key(text)


def encode_secret_key(key: PrivateKey) -> str:
    from cryptography.hazmat.primitives import serialization

    kind = key_type(key)
    header = next(h for h, name in _SECRET_HEADERS.items() if name == kind)
    if isinstance(key, ed25519.Ed25519PrivateKey):
        raw = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                serialization.NoEncryption())
    else:
        raw = key.private_numbers().private_value.to_bytes(_SIZES[kind], "big")
    return multibase.encode(header + raw, "z")


def decode_secret_key(text: str) -> PrivateKey:
    data = multibase.decode(text, max_bytes=MAX_SECRET_KEY_BYTES, what="the secret multikey")
    kind = _SECRET_HEADERS.get(data[:2])
    raw = data[2:]
    if kind is None or len(raw) != _SIZES[kind]:
        raise BadInputError("unsupported or malformed secret multikey", code="E_KEY_TYPE")
    if kind == "Ed25519":
        return ed25519.Ed25519PrivateKey.from_private_bytes(raw)
    try:
        return ec.derive_private_key(int.from_bytes(raw, "big"), _CURVES[kind])
    except ValueError:  # a scalar of 0 or not below the group order is no key
        raise BadInputError(f"malformed {kind} secret multikey", code="E_KEY_TYPE") from None


def public_key_to_jwk(key: PublicKey) -> dict[str, str]:
    kind = key_type(key)
    if isinstance(key, ed25519.Ed25519PublicKey):
        return {"kty": "OKP", "crv": "Ed25519", "x": multibase.b64url_encode(_raw_public(key))}
    numbers = key.public_numbers()
    size = _SIZES[kind]
    return {"kty": "EC", "crv": kind,
            "x": multibase.b64url_encode(numbers.x.to_bytes(size, "big")),
            "y": multibase.b64url_encode(numbers.y.to_bytes(size, "big"))}


def public_key_from_jwk(jwk: object) -> PublicKey:
    if not isinstance(jwk, dict):
        raise BadInputError("a JWK must be a JSON object", code="E_KEY_TYPE")
    if "d" in jwk:
        raise BadInputError("a public JWK must not carry a private key ('d')", code="E_KEY_TYPE")
    kty, crv = jwk.get("kty"), jwk.get("crv")
    if not isinstance(kty, str) or not isinstance(crv, str):
        raise BadInputError("a JWK needs string 'kty' and 'crv' members", code="E_KEY_TYPE")
    x = jwk.get("x", _ABSENT)
    y = jwk.get("y", _ABSENT) if kty == "EC" else None  # an OKP key has no y (RFC 8037 §2)
    if isinstance(x, str) and (y is None or isinstance(y, str)):
        return _cached_public_key(kty, crv, x, y)
    return _public_key(kty, crv, x, y)


@functools.lru_cache(maxsize=256)
def _cached_public_key(kty: str, crv: str, x: str, y: str | None) -> PublicKey:
    """The same key for the same members: a verifier meets the same issuer and holder keys again
    and again, and building one checks that its point is on the curve (tens of microseconds).
    A key object is immutable, so sharing it is safe. Only a JWK that made a key is kept, so
    every string in the cache is bounded (kty and crv known, x and y the coordinate size)."""
    return _public_key(kty, crv, x, y)


def _public_key(kty: str, crv: str, x: object, y: object) -> PublicKey:
    try:
        # RFC 8037 section 2 / RFC 7518 section 6.2.1.2: x and y are exactly the coordinate size.
        if kty == "OKP" and crv == "Ed25519":
            return ed25519.Ed25519PublicKey.from_public_bytes(_coordinate(x, "x", crv))
        if kty == "EC" and crv in _CURVES:
            x_value = int.from_bytes(_coordinate(x, "x", crv), "big")
            y_value = int.from_bytes(_coordinate(y, "y", crv), "big")
            return ec.EllipticCurvePublicNumbers(x_value, y_value, _CURVES[crv]).public_key()
    except (KeyError, ValueError):
        raise BadInputError(f"malformed {_shown(crv)} JWK", code="E_KEY_TYPE") from None
    raise BadInputError(f"unsupported JWK (kty {_shown(kty)}, crv {_shown(crv)})",
                        code="E_KEY_TYPE")


def _coordinate(value: object, name: str, crv: str) -> bytes:
    if value is _ABSENT:
        raise KeyError(name)
    return multibase.b64url_decode(value, max_bytes=_SIZES[crv], what=f"the JWK's {name!r}")  # type: ignore[arg-type]


def _shown(value: str) -> str:
    # A hostile JWK can name a megabyte-long curve; the message keeps a readable prefix.
    return repr(value if len(value) <= 40 else value[:40] + "...")
