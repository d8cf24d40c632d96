"""Ed25519Signature2018 (W3C CCG LD-Proofs 2018): a detached JWS over RDFC-1.0 hashes.

What MATTR VII issued for the Ontario VSP pilot. verifyData = SHA-256(canonical proof options)
|| SHA-256(canonical document); the proof's `jws` is `<header>..<signature>` with header
{"alg":"EdDSA","b64":false,"crit":["b64"]} (RFC 7797 unencoded payload), so the signed bytes are
ASCII(<header> + ".") || verifyData.

The proof options' @context differs by signer generation: jsonld-signatures up to v7 (2018-2020)
canonicalized them under https://w3id.org/security/v2, later ones (and digitalbazaar's current
ed25519-signature-2018) under the document's @context. A verifier tries both; we sign with the
document's context, which the current library verifies.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from skillpass.errors import BadInputError, SkillpassError
from skillpass.jsonld import canon
from skillpass.jsonld.json_copy import json_copy
from skillpass.keys import multibase
from skillpass.suites.eddsa_rdfc_2022 import hashing
from skillpass.suites.proof import (
    VC_V1_CONTEXT,
    check_date_time,
    malformed,
    proof_options,
    sign_bytes,
    signature_invalid,
    verify_signature,
)

if TYPE_CHECKING:
    from skillpass.dids import VerificationMethod
    from skillpass.jsonld.loader import ContextStore

SUITE = "Ed25519Signature2018"
PROOF_TYPE = "Ed25519Signature2018"
KEY_TYPES = frozenset({"Ed25519"})
SECURITY_V2_CONTEXT = "https://w3id.org/security/v2"
SUITE_CONTEXT = "https://w3id.org/security/suites/ed25519-2018/v1"
JWS_HEADER = {"alg": "EdDSA", "b64": False, "crit": ["b64"]}
# JSON.stringify of JWS_HEADER, base64url: the exact header every signer of this suite writes.
ENCODED_HEADER = multibase.b64url_encode(json.dumps(JWS_HEADER, separators=(",", ":")).encode())
PROOF_CONTEXT_MODES = ("security-v2", "document")
_SIGNATURE_VALUES = ("jws", "proofValue", "signatureValue")

__all__ = ["create_proof", "verify_proof", "transformation", "hashing", "proof_configuration",
           "proof_serialization", "proof_verification", "jws_signing_input", "parse_detached_jws",
           "ensure_suite_context"]


def ensure_suite_context(document: dict[str, Any]) -> dict[str, Any]:
    """The document, unchanged, if its context defines the suite (VC 1.1 or the suite context).

    digitalbazaar's verifier ignores a proof whose document has neither, or both (they clash).
    """
    context = document.get("@context")
    contexts = context if isinstance(context, list) else [context]
    if (VC_V1_CONTEXT in contexts) == (SUITE_CONTEXT in contexts):
        raise BadInputError(
            f"an {SUITE} proof needs exactly one of the contexts {VC_V1_CONTEXT} "
            f"and {SUITE_CONTEXT}",
            hint="sign a VC 1.1 document, or choose the eddsa-rdfc-2022 suite",
            code="E_PROOF_CONTEXT")
    return document


def create_proof(unsecured_document: dict[str, Any], options: dict[str, Any], private_key: Any,
                 *, store: ContextStore | None = None) -> dict[str, Any]:
    """The proof object with its detached `jws`."""
    proof = json_copy(options)
    canonical_proof_config = proof_configuration(unsecured_document, options, mode="document",
                                                 store=store)
    transformed_data = transformation(unsecured_document, options, store=store)
    proof["jws"] = proof_serialization(hashing(transformed_data, canonical_proof_config),
                                       private_key)
    return proof


def verify_proof(unsecured_document: dict[str, Any], unverified_proof: dict[str, Any],
                 method: VerificationMethod, *, store: ContextStore | None = None) -> None:
    """Returns when the proof verifies under either proof-options context; raises otherwise."""
    jws = unverified_proof.get("jws")
    parse_detached_jws(jws)  # a malformed JWS is refused before any JSON-LD work
    options = proof_options(unverified_proof, *_SIGNATURE_VALUES)
    transformed_data = transformation(unsecured_document, options, store=store)
    tried: set[str] = set()
    for mode in PROOF_CONTEXT_MODES:
        try:
            canonical_proof_config = proof_configuration(unsecured_document, options, mode=mode,
                                                         store=store)
        except SkillpassError as exc:
            if mode == "security-v2" and exc.code == "E_CONTEXT_UNKNOWN":
                continue  # security/v2 not in this store: only the document context can apply
            raise
        if canonical_proof_config in tried:
            continue  # both contexts gave the same N-Quads: nothing new to try
        tried.add(canonical_proof_config)
        try:
            proof_verification(hashing(transformed_data, canonical_proof_config), jws, method)
            return
        except SkillpassError as exc:
            if exc.code != "E_SIG_INVALID":
                raise
    raise signature_invalid(SUITE, method.id)


def transformation(unsecured_document: dict[str, Any], options: dict[str, Any],
                   *, store: ContextStore | None = None) -> str:
    """The RDFC-1.0 (URDNA2015) canonical N-Quads of the document."""
    _check_suite(options)
    return canon.canonize(unsecured_document, store)


def proof_configuration(unsecured_document: dict[str, Any], options: dict[str, Any], *,
                        mode: str = "document", store: ContextStore | None = None) -> str:
    """Canonical N-Quads of the proof options under security/v2 or the document's @context."""
    _check_suite(options)
    check_date_time(options.get("created"), "created")
    proof_config = proof_options(options, *_SIGNATURE_VALUES)
    if mode == "security-v2":
        proof_config["@context"] = SECURITY_V2_CONTEXT
    elif mode == "document":
        proof_config["@context"] = json_copy(unsecured_document.get("@context"))
    else:
        raise ValueError(f"unknown proof context mode {mode!r}")
    return canon.canonize(proof_config, store, safe=False)


def jws_signing_input(encoded_header: str, data: bytes) -> bytes:
    """RFC 7797 section 3, b64 false: ASCII(BASE64URL(header) || '.') || payload."""
    return encoded_header.encode("ascii") + b"." + data


def proof_serialization(data: bytes, private_key: Any) -> str:
    """The detached JWS `<header>..<signature>` over verifyData."""
    signature = sign_bytes(private_key, jws_signing_input(ENCODED_HEADER, data))
    return f"{ENCODED_HEADER}..{multibase.b64url_encode(signature)}"


def proof_verification(data: bytes, jws: Any, method: VerificationMethod) -> None:
    """Verify the detached JWS over verifyData; raises E_SIG_INVALID when it fails."""
    encoded_header, signature = parse_detached_jws(jws)
    verify_signature(method.public_key, signature, jws_signing_input(encoded_header, data),
                     suite=SUITE, vm_id=method.id)


_MAX_HEADER_BYTES = 1024
_SIGNATURE_BYTES = 64  # Ed25519, RFC 8032 section 5.1.6


def parse_detached_jws(jws: Any) -> tuple[str, bytes]:
    """(encoded header, signature bytes) of `<header>..<signature>`, header checked exactly."""
    if not isinstance(jws, str) or jws.count(".") != 2:
        raise malformed(f"an {SUITE} proof needs a detached JWS '<header>..<signature>'")
    encoded_header, payload, encoded_signature = jws.split(".")
    if payload:
        raise malformed("the JWS payload must be detached (empty)")
    try:
        # The header must equal JWS_HEADER (42 bytes as JSON); the limit leaves room for another
        # signer's spacing and member order but not for a kilobyte of it.
        header = json.loads(multibase.b64url_decode(encoded_header, max_bytes=_MAX_HEADER_BYTES,
                                                    what="the JWS header"))
    except (BadInputError, ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        raise malformed("the JWS is not valid base64url JSON") from None
    try:
        signature = multibase.b64url_decode(encoded_signature, max_bytes=_SIGNATURE_BYTES,
                                            what="the JWS signature")
    except BadInputError as exc:
        raise malformed(f"{exc.message} ({SUITE})") from None
    # Compared as JSON text: in Python 0 == False, so a dict comparison would accept "b64": 0.
    if json.dumps(header, sort_keys=True) != json.dumps(JWS_HEADER, sort_keys=True):
        raise malformed(f"the JWS header must be {json.dumps(JWS_HEADER)}")
    return encoded_header, signature


def _check_suite(options: dict[str, Any]) -> None:
    if options.get("type") != PROOF_TYPE:
        raise malformed(f"not an {SUITE} proof")
