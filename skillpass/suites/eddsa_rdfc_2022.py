"""eddsa-rdfc-2022: Ed25519 over RDFC-1.0 canonical N-Quads (W3C vc-di-eddsa 1.0, section 3.3).

hashData = SHA-256(canonical proof configuration) || SHA-256(canonical document); the 64-byte
Ed25519 signature of hashData is the proofValue, base58btc multibase.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from skillpass.jsonld import canon
from skillpass.jsonld.json_copy import json_copy
from skillpass.keys import multibase
from skillpass.suites.proof import (
    DATA_INTEGRITY_PROOF,
    check_date_time,
    data_integrity_proof_config,
    decode_proof_value,
    hash_data,
    malformed,
    proof_options,
    sign_bytes,
    verify_signature,
)

if TYPE_CHECKING:
    from skillpass.dids import VerificationMethod
    from skillpass.jsonld.loader import ContextStore

SUITE = "eddsa-rdfc-2022"
PROOF_TYPE = DATA_INTEGRITY_PROOF
KEY_TYPES = frozenset({"Ed25519"})


def create_proof(unsecured_document: dict[str, Any], options: dict[str, Any], private_key: Any,
                 *, store: ContextStore | None = None) -> dict[str, Any]:
    """3.3.1 Create Proof: the proof object, proofValue included."""
    # 1.
    proof = json_copy(options)
    # 2.
    canonical_proof_config = proof_configuration(unsecured_document, options, store=store)
    # 3.
    transformed_data = transformation(unsecured_document, options, store=store)
    # 4.
    data = hashing(transformed_data, canonical_proof_config)
    # 5.
    proof_bytes = proof_serialization(data, private_key)
    # 6.
    proof["proofValue"] = multibase.encode(proof_bytes, "z")
    return proof


def verify_proof(unsecured_document: dict[str, Any], unverified_proof: dict[str, Any],
                 method: VerificationMethod, *, store: ContextStore | None = None) -> None:
    """3.3.2 Verify Proof: returns when the proof verifies, raises InvalidError otherwise.

    `unsecured_document` is the secured document without `proof` (step 1, done by the caller,
    which also adds any previous proofs of a proof chain).
    """
    # 2.
    options = proof_options(unverified_proof)
    # 3.
    proof_bytes = decode_proof_value(unverified_proof)
    # 4.
    transformed_data = transformation(unsecured_document, options, store=store)
    # 5.
    canonical_proof_config = proof_configuration(unsecured_document, options, store=store)
    # 6.
    data = hashing(transformed_data, canonical_proof_config)
    # 7.
    proof_verification(data, proof_bytes, method)


def transformation(unsecured_document: dict[str, Any], options: dict[str, Any],
                   *, store: ContextStore | None = None) -> str:
    """3.3.3 Transformation: the RDFC-1.0 canonical N-Quads of the document."""
    # 1.
    _check_suite(options)
    # 2.-3.
    return canon.canonize(unsecured_document, store)


def hashing(transformed_document: str, canonical_proof_config: str) -> bytes:
    """3.3.4 Hashing: SHA-256(proof config) || SHA-256(document), 64 bytes."""
    return hash_data(canonical_proof_config, transformed_document, "sha256")


def proof_configuration(unsecured_document: dict[str, Any], options: dict[str, Any],
                        *, store: ContextStore | None = None) -> str:
    """3.3.5 Proof Configuration: the canonical N-Quads of the proof options."""
    # 1.-2.
    _check_suite(options)
    # 3.
    check_date_time(options.get("created"), "created")
    # 4.
    proof_config = data_integrity_proof_config(unsecured_document, options)
    # 5.-6.
    return canon.canonize(proof_config, store, safe=False)


def proof_serialization(data: bytes, private_key: Any) -> bytes:
    """3.3.6 Proof Serialization: Ed25519 (pure EdDSA) over hashData, 64 bytes."""
    return sign_bytes(private_key, data)


def proof_verification(data: bytes, proof_bytes: bytes, method: VerificationMethod) -> None:
    """3.3.7 Proof Verification: Ed25519 verify; raises E_SIG_INVALID when it fails."""
    verify_signature(method.public_key, proof_bytes, data, suite=SUITE, vm_id=method.id)


def _check_suite(options: dict[str, Any]) -> None:
    if options.get("type") != PROOF_TYPE or options.get("cryptosuite") != SUITE:
        raise malformed(f"not a {SUITE} DataIntegrityProof")
