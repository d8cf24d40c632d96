"""Ed25519Signature2020 (W3C CCG "Ed25519 Signature 2020", the legacy suite of OB 3.0 wallets).

Same hashing as eddsa-rdfc-2022 (SHA-256 of the canonical proof options, then of the canonical
document), but the proof type is `Ed25519Signature2020` with no cryptosuite and its terms come
from the suite context, which the document must carry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from skillpass.errors import InvalidError
from skillpass.jsonld import canon
from skillpass.jsonld.json_copy import json_copy
from skillpass.keys import multibase
from skillpass.suites.eddsa_rdfc_2022 import hashing, proof_serialization
from skillpass.suites.proof import (
    check_date_time,
    decode_proof_value,
    malformed,
    proof_options,
    verify_signature,
)

if TYPE_CHECKING:
    from skillpass.dids import VerificationMethod
    from skillpass.jsonld.loader import ContextStore

SUITE = "Ed25519Signature2020"
PROOF_TYPE = "Ed25519Signature2020"
KEY_TYPES = frozenset({"Ed25519"})
SUITE_CONTEXT = "https://w3id.org/security/suites/ed25519-2020/v1"

__all__ = ["create_proof", "verify_proof", "transformation", "hashing", "proof_configuration",
           "proof_serialization", "proof_verification", "ensure_suite_context"]


def ensure_suite_context(document: dict[str, Any]) -> dict[str, Any]:
    """The document with the suite context appended when missing (what jsonld-signatures does)."""
    if _has_suite_context(document):
        return document
    contexts = document.get("@context", [])
    contexts = contexts if isinstance(contexts, list) else [contexts]
    return {**document, "@context": [*contexts, SUITE_CONTEXT]}


def create_proof(unsecured_document: dict[str, Any], options: dict[str, Any], private_key: Any,
                 *, store: ContextStore | None = None) -> dict[str, Any]:
    proof = json_copy(options)
    canonical_proof_config = proof_configuration(unsecured_document, options, store=store)
    transformed_data = transformation(unsecured_document, options, store=store)
    data = hashing(transformed_data, canonical_proof_config)
    proof["proofValue"] = multibase.encode(proof_serialization(data, private_key), "z")
    return proof


def verify_proof(unsecured_document: dict[str, Any], unverified_proof: dict[str, Any],
                 method: VerificationMethod, *, store: ContextStore | None = None) -> None:
    """Returns when the proof verifies, raises InvalidError otherwise."""
    if not _has_suite_context(unsecured_document):
        # digitalbazaar's verifier does not even consider such a proof; neither do we.
        raise InvalidError(f"an {SUITE} proof needs the document context {SUITE_CONTEXT}",
                           hint="the credential is not a well-formed Ed25519Signature2020 "
                                "credential; ask the issuer for a corrected copy",
                           code="E_PROOF_CONTEXT")
    options = proof_options(unverified_proof)
    proof_bytes = decode_proof_value(unverified_proof)
    transformed_data = transformation(unsecured_document, options, store=store)
    canonical_proof_config = proof_configuration(unsecured_document, options, store=store)
    proof_verification(hashing(transformed_data, canonical_proof_config), proof_bytes, method)


def transformation(unsecured_document: dict[str, Any], options: dict[str, Any],
                   *, store: ContextStore | None = None) -> str:
    """The RDFC-1.0 (URDNA2015) canonical N-Quads of the document."""
    _check_suite(options)
    return canon.canonize(unsecured_document, store)


def proof_configuration(unsecured_document: dict[str, Any], options: dict[str, Any],
                        *, store: ContextStore | None = None) -> str:
    """Canonical N-Quads of the proof options under the document's @context."""
    _check_suite(options)
    check_date_time(options.get("created"), "created")
    proof_config = proof_options(options)
    proof_config["@context"] = json_copy(unsecured_document.get("@context"))
    return canon.canonize(proof_config, store, safe=False)


def proof_verification(data: bytes, proof_bytes: bytes, method: VerificationMethod) -> None:
    verify_signature(method.public_key, proof_bytes, data, suite=SUITE, vm_id=method.id)


def _has_suite_context(document: dict[str, Any]) -> bool:
    context = document.get("@context")
    return context == SUITE_CONTEXT or (isinstance(context, list) and SUITE_CONTEXT in context)


def _check_suite(options: dict[str, Any]) -> None:
    if options.get("type") != PROOF_TYPE or "cryptosuite" in options:
        raise malformed(f"not an {SUITE} proof")
