"""eddsa-jcs-2022: Ed25519 over RFC 8785 JCS (W3C vc-di-eddsa 1.0, section 3.4). No JSON-LD.

The proof carries the document's @context (Create Proof step 2), so a verifier can check the
signed document started with exactly those contexts (Verify Proof step 4).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from skillpass.suites import jcs
from skillpass.suites.proof import DATA_INTEGRITY_PROOF, hash_data

if TYPE_CHECKING:
    from skillpass.dids import VerificationMethod
    from skillpass.jsonld.loader import ContextStore

SUITE = "eddsa-jcs-2022"
PROOF_TYPE = DATA_INTEGRITY_PROOF
KEY_TYPES = frozenset({"Ed25519"})


def create_proof(unsecured_document: dict[str, Any], options: dict[str, Any], private_key: Any,
                 *, store: ContextStore | None = None) -> dict[str, Any]:
    """3.4.1 Create Proof."""
    return jcs.create_proof(SUITE, unsecured_document, options, private_key)


def verify_proof(unsecured_document: dict[str, Any], unverified_proof: dict[str, Any],
                 method: VerificationMethod, *, store: ContextStore | None = None) -> None:
    """3.4.2 Verify Proof: returns when the proof verifies, raises InvalidError otherwise."""
    jcs.verify_proof(SUITE, unsecured_document, unverified_proof, method)


def transformation(unsecured_document: dict[str, Any], options: dict[str, Any]) -> bytes:
    """3.4.3 Transformation: the JCS bytes of the document."""
    return jcs.transformation(SUITE, unsecured_document, options)


def hashing(transformed_document: bytes, canonical_proof_config: bytes) -> bytes:
    """3.4.4 Hashing: SHA-256(proof config) || SHA-256(document)."""
    return hash_data(canonical_proof_config, transformed_document, "sha256")


def proof_configuration(options: dict[str, Any]) -> bytes:
    """3.4.5 Proof Configuration: the JCS bytes of the proof options (with their @context)."""
    return jcs.proof_configuration(SUITE, options)


def proof_serialization(data: bytes, private_key: Any) -> bytes:
    """3.4.6 Proof Serialization: Ed25519 over hashData, 64 bytes."""
    return jcs.proof_serialization(data, private_key)


def proof_verification(data: bytes, proof_bytes: bytes, method: VerificationMethod) -> None:
    """3.4.7 Proof Verification: raises E_SIG_INVALID when the signature fails."""
    jcs.proof_verification(SUITE, data, proof_bytes, method)
