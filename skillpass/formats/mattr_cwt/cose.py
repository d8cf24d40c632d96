"""COSE_Sign1 (RFC 9052 §4.2), as MATTR compact credentials use it: tag 18 over
`[protected bstr, unprotected map, payload bstr, signature bstr]`, the protected header
`{1: -7 (ES256), 4: kid bstr}`, the signature raw r || s (RFC 9053 §2.1).

Only ES256 is read: MATTR issues nothing else, and its verifier (vc-cwt-verifier) accepts
nothing else. `sign1` makes the same structure for tests; skillpass never issues these.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from skillpass.errors import BadInputError, InvalidError

ALG, CRIT, KID = 1, 2, 4  # RFC 9052 §3.1 header labels
ES256 = -7  # RFC 9053 §2.1
COSE_SIGN1_TAG, CWT_TAG = 18, 61  # RFC 9052 §2, RFC 8392 §6
SIGNATURE_BYTES = 64  # P-256 r || s, 32 bytes each
MAX_COSE = 64 * 1024  # a credential fits a QR code (under 3 KB); a status list a little more
MAX_KID = 256


@dataclass(frozen=True)
class Sign1:
    """A COSE_Sign1 as received, unverified: the protected header both as its bytes (what the
    signature covers) and decoded."""

    protected_bytes: bytes
    protected: dict[Any, Any]
    unprotected: dict[Any, Any]
    payload: bytes
    signature: bytes

    @property
    def alg(self) -> Any:
        return self.protected.get(ALG)

    @property
    def kid(self) -> bytes | None:
        """The key id, from the protected header, else the unprotected one (RFC 9052 §3.1)."""
        kid = self.protected.get(KID, self.unprotected.get(KID))
        return kid if isinstance(kid, bytes) else None


def loads(data: bytes, what: str) -> Any:
    """One CBOR data item filling `data` exactly; BadInputError E_COSE otherwise."""
    import cbor2

    stream = io.BytesIO(data)
    try:
        value = cbor2.CBORDecoder(stream).decode()
    except (cbor2.CBORDecodeError, ValueError, TypeError, OverflowError, RecursionError, MemoryError):
        raise _malformed(f"{what} is not well-formed CBOR") from None
    if stream.tell() != len(data):
        raise _malformed(f"{what} has bytes after its CBOR data")
    return value


def parse_sign1(data: bytes, *, max_bytes: int = MAX_COSE) -> Sign1:
    """The COSE_Sign1 in `data` (tag 18, possibly inside a CWT tag 61); BadInputError E_COSE
    when it is not one."""
    import cbor2

    if len(data) > max_bytes:
        raise BadInputError(f"the COSE message is {len(data)} bytes; skillpass reads at most {max_bytes}",
                            "check it is the credential the issuer sent", code="E_TOO_LARGE")
    item = loads(data, "the COSE message")
    if isinstance(item, cbor2.CBORTag) and item.tag == CWT_TAG:  # RFC 8392 §6: optional CWT tag
        item = item.value
    if not isinstance(item, cbor2.CBORTag) or item.tag != COSE_SIGN1_TAG:
        raise _malformed("it is not a COSE_Sign1 (CBOR tag 18)")
    parts = item.value  # cbor2 reads what a tag holds as immutable: a tuple, a frozendict
    if not isinstance(parts, (list, tuple)) or len(parts) != 4:
        raise _malformed("a COSE_Sign1 is an array of 4 items")
    protected_bytes, unprotected, payload, signature = parts
    if not isinstance(protected_bytes, bytes) or not isinstance(unprotected, Mapping) \
            or not isinstance(payload, bytes) or not isinstance(signature, bytes):
        raise _malformed("its items are not [bstr, map, bstr, bstr] (a detached payload is not read)")
    # RFC 9052 §3: an empty protected header is the empty bstr, never an encoded empty map.
    protected = loads(protected_bytes, "the protected header") if protected_bytes else {}
    if not isinstance(protected, dict):
        raise _malformed("the protected header is not a map")
    kid = protected.get(KID, unprotected.get(KID))
    if kid is not None and (not isinstance(kid, bytes) or len(kid) > MAX_KID):
        raise _malformed(f"the key id (kid) is not a byte string of at most {MAX_KID} bytes")
    return Sign1(protected_bytes, protected, dict(unprotected), payload, signature)


def sig_structure(sign1: Sign1) -> bytes:
    """RFC 9052 §4.4: `["Signature1", body_protected, external_aad = h'', payload]`, the bytes
    the signature covers. The protected header goes in exactly as received."""
    import cbor2

    return cbor2.dumps(["Signature1", sign1.protected_bytes, b"", sign1.payload])


def check_es256_header(sign1: Sign1) -> None:
    """The algorithm is ES256 and sits in the protected header (RFC 9052 §3.1: `alg` must be
    protected, or a changed header would pass); no critical header is asked for."""
    if sign1.alg != ES256:
        found = sign1.alg if ALG in sign1.protected else sign1.unprotected.get(ALG, "none")
        raise InvalidError(f"the credential's COSE signature says alg {str(found)[:20]}; a MATTR compact "
                           "credential is signed ES256 (-7) in its protected header",
                           "ask the issuer for a credential signed ES256", code="E_COSE_ALG")
    if CRIT in sign1.protected:  # RFC 9052 §3.1: every critical header must be understood
        raise InvalidError("the COSE signature names critical headers skillpass does not know",
                           "ask the issuer for a standard MATTR compact credential", code="E_COSE_CRIT")


def verify_es256(sign1: Sign1, public_key: Any) -> None:
    """Check the ES256 signature with a P-256 public key; InvalidError when it does not verify."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    check_es256_header(sign1)
    if not isinstance(public_key, ec.EllipticCurvePublicKey) or public_key.curve.name != "secp256r1":
        raise InvalidError("the issuer's key is not a P-256 key, which ES256 needs",
                           "the DID document lists another kind of key for this kid", code="E_COSE_KEY")
    if len(sign1.signature) != SIGNATURE_BYTES:
        raise InvalidError(f"the COSE signature is {len(sign1.signature)} bytes, not the 64 of ES256",
                           "an ES256 COSE signature is r || s (RFC 9053 §2.1), never DER",
                           code="E_SIG_FORMAT")
    r = int.from_bytes(sign1.signature[:32], "big")
    s = int.from_bytes(sign1.signature[32:], "big")
    try:
        public_key.verify(encode_dss_signature(r, s), sig_structure(sign1), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise InvalidError("the credential's signature does not verify",
                           "it was changed after signing, or signed by another key", code="E_SIG_INVALID") from None


def sign1(payload: bytes, private_key: Any, kid: bytes, *, alg: int = ES256,
          unprotected: dict[Any, Any] | None = None) -> bytes:
    """A tagged COSE_Sign1 over `payload`, signed ES256 with a P-256 private key (for tests;
    `alg` only changes what the header says, to make refused credentials)."""
    import cbor2
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

    protected = cbor2.dumps({ALG: alg, KID: kid})
    to_sign = cbor2.dumps(["Signature1", protected, b"", payload])
    r, s = decode_dss_signature(private_key.sign(to_sign, ec.ECDSA(hashes.SHA256())))
    signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return cbor2.dumps(cbor2.CBORTag(COSE_SIGN1_TAG, [protected, unprotected or {}, payload, signature]))


def _malformed(reason: str) -> BadInputError:
    return BadInputError(f"not a MATTR compact credential: {reason}",
                         "check it is the whole text (CSC:/1/...) or QR code the issuer gave you",
                         code="E_COSE")
