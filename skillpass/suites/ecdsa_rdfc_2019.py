"""ecdsa-rdfc-2019: ECDSA P-256 / P-384 over RDFC-1.0 N-Quads (W3C vc-di-ecdsa 1.0, section 3.3).

The hash follows the curve (3.1): SHA-256 for P-256, SHA-384 for P-384, both for hashData and
inside RDFC-1.0 itself. hashData = H(canonical proof config) || H(canonical document) is then
signed with ECDSA-with-SHA-256/384 (hashed again), giving IEEE P1363 r||s of 64 or 96 bytes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from skillpass.jsonld import canon
from skillpass.jsonld.json_copy import json_copy
from skillpass.keys import multibase
from skillpass.keys.multikey import key_type as key_type_of
from skillpass.suites.proof import (
    DATA_INTEGRITY_PROOF,
    check_date_time,
    data_integrity_proof_config,
    decode_proof_value,
    hash_data,
    hash_name_for,
    malformed,
    proof_options,
    sign_bytes,
    verify_signature,
)

if TYPE_CHECKING:
    from skillpass.dids import VerificationMethod
    from skillpass.jsonld.loader import ContextStore

SUITE = "ecdsa-rdfc-2019"
PROOF_TYPE = DATA_INTEGRITY_PROOF
KEY_TYPES = frozenset({"P-256", "P-384"})


def create_proof(unsecured_document: dict[str, Any], options: dict[str, Any], private_key: Any,
                 *, store: ContextStore | None = None) -> dict[str, Any]:
    """3.3.1 Create Proof: the proof object, proofValue included."""
    key_type = key_type_of(private_key)
    # 1.
    proof = json_copy(options)
    # 2.
    canonical_proof_config = proof_configuration(unsecured_document, options,
                                                 key_type=key_type, store=store)
    # 3.
    transformed_data = transformation(unsecured_document, options, key_type=key_type, store=store)
    # 4.
    data = hashing(transformed_data, canonical_proof_config, key_type=key_type)
    # 5.-6.
    proof["proofValue"] = multibase.encode(proof_serialization(data, private_key), "z")
    return proof


def verify_proof(unsecured_document: dict[str, Any], unverified_proof: dict[str, Any],
                 method: VerificationMethod, *, store: ContextStore | None = None) -> None:
    """3.3.2 Verify Proof: returns when the proof verifies, raises InvalidError otherwise."""
    key_type = method.key_type
    # 2.
    options = proof_options(unverified_proof)
    # 3.
    proof_bytes = decode_proof_value(unverified_proof)
    # 4.
    transformed_data = transformation(unsecured_document, options, key_type=key_type, store=store)
    # 5.
    canonical_proof_config = proof_configuration(unsecured_document, options,
                                                 key_type=key_type, store=store)
    # 6.
    data = hashing(transformed_data, canonical_proof_config, key_type=key_type)
    # 7.
    proof_verification(data, proof_bytes, method)


def transformation(unsecured_document: dict[str, Any], options: dict[str, Any], *,
                   key_type: str = "P-256", store: ContextStore | None = None) -> str:
    """3.3.3 Transformation: RDFC-1.0 N-Quads, hashing with the curve's SHA-2 variant."""
    _check_suite(options)
    return canonize_for(unsecured_document, key_type, store)


def hashing(transformed_document: str, canonical_proof_config: str, *,
            key_type: str = "P-256") -> bytes:
    """3.3.4 Hashing: H(proof config) || H(document); 64 bytes (P-256) or 96 bytes (P-384)."""
    return hash_data(canonical_proof_config, transformed_document, hash_name_for(key_type))


def proof_configuration(unsecured_document: dict[str, Any], options: dict[str, Any], *,
                        key_type: str = "P-256", store: ContextStore | None = None) -> str:
    """3.3.5 Proof Configuration: canonical N-Quads of the options under the document @context."""
    _check_suite(options)
    check_date_time(options.get("created"), "created")
    return canonize_for(data_integrity_proof_config(unsecured_document, options), key_type, store,
                        safe=False)


def proof_serialization(data: bytes, private_key: Any) -> bytes:
    """3.3.6 Proof Serialization: ECDSA over hashData as r||s."""
    return sign_bytes(private_key, data)


def proof_verification(data: bytes, proof_bytes: bytes, method: VerificationMethod) -> None:
    """3.3.7 Proof Verification: raises E_SIG_INVALID when the signature fails."""
    verify_signature(method.public_key, proof_bytes, data, suite=SUITE, vm_id=method.id)


def canonize_for(document: dict[str, Any], key_type: str, store: ContextStore | None, *,
                 safe: bool = True) -> str:
    """RDFC-1.0 with the hash of the key's security level (digitalbazaar passes SHA-384 too).

    The internal hash only orders blank nodes, so documents with fewer than two blank nodes
    canonicalize identically either way.
    """
    return canon.canonize(document, store, safe=safe, hash_name=hash_name_for(key_type))


def _check_suite(options: dict[str, Any]) -> None:
    if options.get("type") != PROOF_TYPE or options.get("cryptosuite") != SUITE:
        raise malformed(f"not an {SUITE} DataIntegrityProof")
