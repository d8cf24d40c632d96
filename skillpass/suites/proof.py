"""Plumbing shared by the proof suites: proof fields, dates, signatures, proof configurations.

W3C VC Data Integrity 1.0 section 2.1 defines the proof fields checked here; the suites
(one module each) only transform, hash, sign and verify.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, utils

from skillpass.encoding import dates
from skillpass.errors import BadInputError, InvalidError
from skillpass.jsonld.json_copy import json_copy
from skillpass.keys import multibase
from skillpass.keys.multikey import key_type as key_type_of

DATA_INTEGRITY_PROOF = "DataIntegrityProof"
VC_V1_CONTEXT = "https://www.w3.org/2018/credentials/v1"
VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
DI_V1_CONTEXT = "https://w3id.org/security/data-integrity/v1"
DI_V2_CONTEXT = "https://w3id.org/security/data-integrity/v2"
# Contexts that define DataIntegrityProof and its properties.
_DI_CONTEXTS = (VC_V2_CONTEXT, DI_V2_CONTEXT, DI_V1_CONTEXT)


@dataclass(frozen=True)
class ProofResult:
    """One verified proof: who signed, with which key, for what."""

    suite: str  # the cryptosuite ('eddsa-rdfc-2022') or legacy proof type ('Ed25519Signature2020')
    proof_type: str
    verification_method: str
    controller: str
    key_type: str
    proof_purpose: str
    created: str | None = None
    expires: str | None = None
    challenge: str | None = None
    domain: tuple[str, ...] | None = None
    proof_id: str | None = None
    previous_proof: tuple[str, ...] = ()


def suite_name(unverified_proof: dict[str, Any]) -> str:
    """The registry name of a proof's suite: its cryptosuite, or its type for legacy suites."""
    proof_type = unverified_proof.get("type")
    if not isinstance(proof_type, str) or not proof_type:
        raise malformed("the proof has no type")
    if proof_type != DATA_INTEGRITY_PROOF:
        return proof_type
    cryptosuite = unverified_proof.get("cryptosuite")
    if not isinstance(cryptosuite, str) or not cryptosuite:
        raise malformed("a DataIntegrityProof must name its cryptosuite")
    return cryptosuite


def required_string(unverified_proof: dict[str, Any], name: str) -> str:
    value = unverified_proof.get(name)
    if not isinstance(value, str) or not value:
        raise malformed(f"the proof's {name} is missing or not a string")
    return value


def optional_string(unverified_proof: dict[str, Any], name: str) -> str | None:
    value = unverified_proof.get(name)
    if value is not None and not isinstance(value, str):
        raise malformed(f"the proof's {name} is not a string")
    return value


def string_set(unverified_proof: dict[str, Any], name: str) -> tuple[str, ...] | None:
    """A property that is a string or a list of strings (domain, previousProof)."""
    value = unverified_proof.get(name)
    if value is None:
        return None
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise malformed(f"the proof's {name} must be a string or a list of strings")
    return tuple(values)


def check_date_time(value: str | None, name: str, *, offset_required: bool = False) -> None:
    """An XML Schema dateTime (dateTimeStamp when `offset_required`), as digitalbazaar accepts."""
    if value is not None and not dates.is_datetime(value, offset_required=offset_required):
        raise malformed(f"the proof's {name} {value!r} is not an XML Schema dateTime")


def parse_date_time(value: str) -> datetime:
    """An XML Schema dateTime as an aware datetime (no offset is read as UTC)."""
    parsed = dates.parse(value)
    if parsed is None:
        # Valid XML Schema but outside Python's range: years beyond 1-9999.
        raise malformed(f"the date {value!r} is out of the supported range")
    return parsed


as_utc = dates.as_utc
w3c_date = dates.format_utc


def unsecured(document: dict[str, Any]) -> dict[str, Any]:
    """A shallow copy of `document` without its `proof`."""
    return {key: value for key, value in document.items() if key != "proof"}


def proof_options(unverified_proof: dict[str, Any], *value_names: str) -> dict[str, Any]:
    """A deep copy of the proof without its signature value(s)."""
    names = value_names or ("proofValue",)
    return json_copy({key: value for key, value in unverified_proof.items() if key not in names})


def data_integrity_proof_config(unsecured_document: dict[str, Any],
                                options: dict[str, Any]) -> dict[str, Any]:
    """proofConfig for the RDFC suites: the options with the document's @context.

    vc-di-eddsa 3.3.5 / vc-di-ecdsa 3.3.5. When the document's context defines no Data Integrity
    terms, the DI v2 context is appended, as digitalbazaar's DataIntegrityProof does; without it
    the proof's own terms would silently drop out of the canonical form.
    """
    config = proof_options(options)
    context = unsecured_document.get("@context")
    config["@context"] = ensure_data_integrity_context(context)
    return config


def ensure_data_integrity_context(context: Any) -> Any:
    contexts = context if isinstance(context, list) else [] if context is None else [context]
    if any(url in contexts for url in _DI_CONTEXTS):
        return json_copy(context)
    return [*json_copy(contexts), DI_V2_CONTEXT]


def hash_data(canonical_proof_config: str | bytes, transformed_document: str | bytes,
              algorithm: str = "sha256") -> bytes:
    """H(proof configuration) || H(document): the proof hash comes FIRST (vc-di-eddsa 3.3.4)."""
    hash_function = _HASH_FUNCTIONS[algorithm]
    return (hash_function(_utf8(canonical_proof_config)).digest()
            + hash_function(_utf8(transformed_document)).digest())


# The suites' two (hash_name_for), by their constructors: hashlib.new looks the name up each call.
_HASH_FUNCTIONS = {"sha256": hashlib.sha256, "sha384": hashlib.sha384}


def _utf8(data: str | bytes) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


def decode_proof_value(unverified_proof: dict[str, Any]) -> bytes:
    """The bytes of a base58btc multibase `proofValue` ('z...')."""
    value = required_string(unverified_proof, "proofValue")
    if not value.startswith("z"):
        raise malformed("the proofValue must be base58btc multibase ('z...')")
    # The largest signature a base58btc proofValue carries is P-384 r||s, 96 bytes; Ed25519 and
    # P-256 take 64 (vc-di-ecdsa / vc-di-eddsa "Proof Serialization"). verify_signature then
    # checks the exact size for the key.
    max_bytes = max(_SIGNATURE_SIZES.values())
    try:
        return multibase.decode(value, max_bytes=max_bytes, what="the proofValue")
    except BadInputError as exc:
        if exc.code == "E_TOO_LARGE":
            raise malformed(f"the proofValue is too long: a signature must be {max_bytes} bytes "
                            "or fewer") from None
        raise malformed("the proofValue is not valid base58btc") from None


# -- signatures -------------------------------------------------------------------------------

_SIGNATURE_SIZES = {"Ed25519": 64, "P-256": 64, "P-384": 96}
_ECDSA_HASHES = {"P-256": "sha256", "P-384": "sha384"}


def hash_name_for(key_type: str) -> str:
    """The SHA-2 variant matching a key's security level (vc-di-ecdsa 3.1)."""
    return _ECDSA_HASHES.get(key_type, "sha256")


def verify_signature(public_key: Any, signature: bytes, data: bytes, *, suite: str,
                     vm_id: str) -> None:
    """Check an Ed25519 or raw r||s ECDSA signature over `data`; raise E_SIG_INVALID if it fails."""
    kind = key_type_of(public_key)
    if len(signature) != _SIGNATURE_SIZES[kind]:
        # Also refuses DER-encoded ECDSA: the suites carry IEEE P1363 r||s only.
        raise malformed(f"a {kind} signature must be {_SIGNATURE_SIZES[kind]} bytes, "
                        f"not {len(signature)} ({suite})")
    try:
        if isinstance(public_key, ed25519.Ed25519PublicKey):
            public_key.verify(signature, data)
            return
        half = len(signature) // 2
        r = int.from_bytes(signature[:half], "big")
        s = int.from_bytes(signature[half:], "big")
        algorithm = hashes.SHA256() if kind == "P-256" else hashes.SHA384()
        public_key.verify(utils.encode_dss_signature(r, s), data, ec.ECDSA(algorithm))
    except InvalidSignature:
        raise signature_invalid(suite, vm_id) from None


def sign_bytes(private_key: Any, data: bytes) -> bytes:
    """Ed25519 signature, or ECDSA (SHA-256/384 by curve) as raw r||s."""
    if isinstance(private_key, ed25519.Ed25519PrivateKey):
        return private_key.sign(data)
    kind = key_type_of(private_key)
    algorithm = hashes.SHA256() if kind == "P-256" else hashes.SHA384()
    # RFC 6979 deterministic nonces: no dependence on the RNG at signing time.
    der = private_key.sign(data, ec.ECDSA(algorithm, deterministic_signing=True))
    r, s = utils.decode_dss_signature(der)
    half = _SIGNATURE_SIZES[kind] // 2
    return r.to_bytes(half, "big") + s.to_bytes(half, "big")


# -- errors -------------------------------------------------------------------------------------


def malformed(reason: str) -> InvalidError:
    return InvalidError(f"malformed proof: {reason}",
                        hint="the credential's proof is damaged; ask the issuer for a new copy",
                        code="E_PROOF_MALFORMED")


def signature_invalid(suite: str, vm_id: str) -> InvalidError:
    return InvalidError(f"signature does not verify ({suite}, {vm_id})",
                        hint="the document was changed after signing, or signed by another key",
                        code="E_SIG_INVALID")
