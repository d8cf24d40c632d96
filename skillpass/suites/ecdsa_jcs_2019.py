"""ecdsa-jcs-2019: ECDSA P-256 / P-384 over RFC 8785 JCS (W3C vc-di-ecdsa 1.0, section 3.4).

As ecdsa-rdfc-2019 but canonicalized with JCS: SHA-256 (P-256) or SHA-384 (P-384) of the JCS
proof configuration then of the JCS document, signed with ECDSA as r||s (64 or 96 bytes).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from skillpass.suites import jcs
from skillpass.suites.proof import DATA_INTEGRITY_PROOF, hash_data, hash_name_for

if TYPE_CHECKING:
    from skillpass.dids import VerificationMethod
    from skillpass.jsonld.loader import ContextStore

SUITE = "ecdsa-jcs-2019"
PROOF_TYPE = DATA_INTEGRITY_PROOF
KEY_TYPES = frozenset({"P-256", "P-384"})


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


def hashing(transformed_document: bytes, canonical_proof_config: bytes, *,
            key_type: str = "P-256") -> bytes:
    """3.4.4 Hashing: H(proof config) || H(document) with the curve's SHA-2 variant."""
    return hash_data(canonical_proof_config, transformed_document, hash_name_for(key_type))


def proof_configuration(options: dict[str, Any]) -> bytes:
    """3.4.5 Proof Configuration: the JCS bytes of the proof options (with their @context)."""
    return jcs.proof_configuration(SUITE, options)


def proof_serialization(data: bytes, private_key: Any) -> bytes:
    """3.4.6 Proof Serialization: ECDSA over hashData as r||s."""
    return jcs.proof_serialization(data, private_key)


def proof_verification(data: bytes, proof_bytes: bytes, method: VerificationMethod) -> None:
    """3.4.7 Proof Verification: raises E_SIG_INVALID when the signature fails."""
    jcs.proof_verification(SUITE, data, proof_bytes, method)
