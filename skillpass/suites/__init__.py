"""Data Integrity proofs: verify every proof on a document, or sign one.

`verify_proofs` follows W3C VC Data Integrity 1.0, 4.4 "Verify Proof" for each proof and
4.5 "Verify Proof Sets and Chains" for the whole set: every proof must verify; a proof naming a
`previousProof` is verified over the document together with the proofs it names.

Suites are modules, loaded on first use, listed in SUITES under their cryptosuite name (or proof
type for legacy suites). A suite module provides:

    KEY_TYPES: frozenset[str]                      # e.g. {"Ed25519"} or {"P-256", "P-384"}
    verify_proof(unsecured_document: dict, unverified_proof: dict, method: VerificationMethod,
                 *, store: ContextStore | None = None) -> None    # raises InvalidError
    create_proof(unsecured_document: dict, options: dict, private_key, *, store=None) -> dict
                                                   # optional: only suites `sign` can use
    ensure_suite_context(document: dict) -> dict   # optional: add/check the suite's @context

`unsecured_document` is the document without `proof` (plus the previous proofs for a chain);
purpose, controller, relationship, challenge, domain and expiry are checked here, before the
suite runs, so a suite only transforms, hashes and checks the signature.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from types import ModuleType
from typing import TYPE_CHECKING, Any

from skillpass.dids import resolve_verification_method
from skillpass.encoding.dates import CLOCK_SKEW  # how far ahead of ours a signer's clock may be
from skillpass.errors import BadInputError, InvalidError, UnverifiableError
from skillpass.suites.proof import (
    DATA_INTEGRITY_PROOF,
    ProofResult,
    as_utc,
    check_date_time,
    ensure_data_integrity_context,
    malformed,
    optional_string,
    parse_date_time,
    required_string,
    string_set,
    suite_name,
    unsecured,
    w3c_date,
)

if TYPE_CHECKING:
    from skillpass.dids import VerificationMethod
    from skillpass.jsonld.loader import ContextStore

__all__ = ["SUITES", "ProofResult", "verify_proofs", "sign", "suite_module"]

SUITES: dict[str, str] = {
    "eddsa-rdfc-2022": "skillpass.suites.eddsa_rdfc_2022",
    "eddsa-jcs-2022": "skillpass.suites.eddsa_jcs_2022",
    "ecdsa-rdfc-2019": "skillpass.suites.ecdsa_rdfc_2019",
    "ecdsa-jcs-2019": "skillpass.suites.ecdsa_jcs_2019",
    "ecdsa-sd-2023": "skillpass.suites.ecdsa_sd_2023",
    "Ed25519Signature2020": "skillpass.suites.ed25519_signature_2020",
    "Ed25519Signature2018": "skillpass.suites.ed25519_signature_2018",
}
# Suites seen in the wild that we recognise but cannot check; named in the hint (their French is
# in verify.po: a dict's values are not extracted).
_CANNOT_CHECK = "skillpass cannot check this kind of signature"
_KNOWN_UNSUPPORTED = {
    "BbsSignature2022": "MATTR's proprietary BBS suite has no public specification",
    "BbsBlsSignature2020": "the 2020 BBS+ suite is not supported",
    "BbsBlsSignatureProof2020": "the 2020 BBS+ suite is not supported",
    "bbs-2023": "the bbs-2023 cryptosuite is not supported yet",
}


def suite_module(name: str) -> ModuleType:
    """The module implementing suite `name`; UnverifiableError naming it when there is none."""
    module_name = SUITES.get(name)
    if module_name is not None:
        try:
            return importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
    raise UnverifiableError(
        f"unsupported proof suite {name}",
        hint=f"{_KNOWN_UNSUPPORTED.get(name, _CANNOT_CHECK)}; supported: {', '.join(sorted(SUITES))}",
        code="E_SUITE_UNSUPPORTED")


def verify_proofs(unverified_document: dict[str, Any], *, expected_purpose: str,
                  controller: str | None, store: ContextStore | None = None,
                  did_cache: Mapping[str, dict[str, Any]] | None = None,
                  challenge: str | None = None, domain: str | list[str] | None = None,
                  now: datetime | None = None) -> list[ProofResult]:
    """Verify every proof on the document; return one result per proof, or raise.

    `controller` is who must hold the keys (the credential's issuer id, or a presentation's
    holder); None skips that check. Raises InvalidError (E_NO_PROOF, E_SIG_INVALID, ...) or
    UnverifiableError (unsupported suite, unknown DID or context).
    """
    proofs = all_proofs(unverified_document)
    # An unsupported suite anywhere makes the whole document unverifiable: say so first.
    modules = [suite_module(suite_name(proof)) for proof in proofs]
    base_document = unsecured(unverified_document)
    expected = _Expected(expected_purpose, controller, challenge, domain,
                         as_utc(now or datetime.now(timezone.utc)), store, did_cache)
    return [_verify_one(_input_document(base_document, proof, proofs), proof, module, expected)
            for proof, module in zip(proofs, modules)]


@dataclass(frozen=True)
class _Expected:
    """What the verifier expects of every proof, and where it may look things up."""

    purpose: str
    controller: str | None
    challenge: str | None
    domain: str | list[str] | None
    now: datetime
    store: ContextStore | None
    did_cache: Mapping[str, dict[str, Any]] | None


def all_proofs(unverified_document: Any) -> list[dict[str, Any]]:
    if not isinstance(unverified_document, dict):
        raise BadInputError("not a JSON object", code="E_BAD_INPUT")
    proof = unverified_document.get("proof")
    proofs = proof if isinstance(proof, list) else [] if proof is None else [proof]
    if not proofs:
        raise InvalidError("the document has no proof",
                           hint="only a signed credential or presentation can be verified",
                           code="E_NO_PROOF")
    if not all(isinstance(p, dict) for p in proofs):
        raise malformed("each proof must be a JSON object")
    return proofs


def _input_document(base_document: dict[str, Any], proof: dict[str, Any],
                    all_proofs: list[dict[str, Any]]) -> dict[str, Any]:
    """DI 4.5 step 3: the document plus the proofs this one chains to (previousProof)."""
    previous = string_set(proof, "previousProof")
    if not previous:
        return base_document
    by_id = {p.get("id"): p for p in all_proofs if isinstance(p.get("id"), str)}
    missing = [proof_id for proof_id in previous if proof_id not in by_id]
    if missing:
        raise InvalidError(f"the proof chains to {missing[0]}, which is not on the document",
                           hint="a proof of the chain was removed", code="E_PROOF_CHAIN")
    return {**base_document, "proof": [by_id[proof_id] for proof_id in previous]}


def _verify_one(input_document: dict[str, Any], proof: dict[str, Any], module: ModuleType,
                expected: _Expected) -> ProofResult:
    """DI 4.4 steps 3-8 for one proof."""
    name = suite_name(proof)
    # 3.
    vm_id = required_string(proof, "verificationMethod")
    purpose = required_string(proof, "proofPurpose")
    created, expires = optional_string(proof, "created"), optional_string(proof, "expires")
    check_date_time(created, "created")
    check_date_time(expires, "expires", offset_required=True)
    # 4.-6.
    _check_purpose(purpose, expected.purpose, name)
    proof_domain = _check_domain_and_challenge(proof, expected.domain, expected.challenge)
    if expires is not None and parse_date_time(expires) <= expected.now:
        raise InvalidError(f"the proof expired on {expires} ({name})",
                           hint="ask for a freshly signed copy", code="E_PROOF_EXPIRED")
    if created is not None and parse_date_time(created) > expected.now + CLOCK_SKEW:
        # a signer's clock may run a little ahead; a proof from later than that is not yet made
        raise InvalidError(f"the proof says it was created on {created}, which is in the future "
                           f"({name})", hint="check this computer's clock, or ask for a new copy",
                           code="E_PROOF_FUTURE")
    method = resolve_verification_method(vm_id, expected.did_cache)
    _check_method(method, purpose, expected.controller, module, name)
    # 7.
    module.verify_proof(input_document, proof, method, store=expected.store)
    return ProofResult(
        suite=name, proof_type=str(proof["type"]), verification_method=vm_id,
        controller=method.controller, key_type=method.key_type, proof_purpose=purpose,
        created=created, expires=expires, challenge=optional_string(proof, "challenge"),
        domain=proof_domain, proof_id=optional_string(proof, "id"),
        previous_proof=string_set(proof, "previousProof") or ())


def _check_purpose(purpose: str, expected_purpose: str, name: str) -> None:
    if purpose != expected_purpose:
        raise InvalidError(f"the proof's purpose is {purpose}, expected {expected_purpose} "
                           f"({name})",
                           hint="a signature made for one purpose cannot be used for another",
                           code="E_PROOF_PURPOSE")


def _check_domain_and_challenge(proof: dict[str, Any], domain: str | list[str] | None,
                                challenge: str | None) -> tuple[str, ...] | None:
    proof_domain = string_set(proof, "domain")
    if domain is not None:
        expected = {domain} if isinstance(domain, str) else set(domain)
        if proof_domain is None or set(proof_domain) != expected:
            raise InvalidError(f"the proof's domain {_show(proof_domain)} is not "
                               f"{_show(sorted(expected))}",
                               hint="this presentation was made for another verifier",
                               code="E_DOMAIN")
    if challenge is not None and optional_string(proof, "challenge") != challenge:
        raise InvalidError(f"the proof's challenge {_show(proof.get('challenge'))} is not "
                           f"{_show(challenge)}",
                           hint="this presentation answers another request (or is replayed)",
                           code="E_CHALLENGE")
    return proof_domain


def _check_method(method: VerificationMethod, purpose: str, controller: str | None,
                  module: ModuleType, name: str) -> None:
    if controller is not None and method.controller != controller:
        raise InvalidError(f"the proof's key {method.id} does not belong to {controller}",
                           hint="the document was signed by someone other than its issuer "
                                "or holder",
                           code="E_CONTROLLER_MISMATCH")
    if purpose not in method.relationships:
        raise InvalidError(f"{method.controller} does not authorise {method.id} for {purpose}",
                           hint="the key is not listed for this purpose in the DID document",
                           code="E_VM_RELATIONSHIP")
    if method.key_type not in module.KEY_TYPES:
        raise InvalidError(f"{name} cannot use a {method.key_type} key ({method.id})",
                           hint="the proof names a key of the wrong type", code="E_KEY_TYPE")


def _show(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value)) or "(none)"
    return repr(value) if isinstance(value, str) else str(value)


# -- signing --------------------------------------------------------------------------------


def sign(document: dict[str, Any], *, suite: str, private_key: Any, verification_method: str,
         proof_purpose: str = "assertionMethod", created: str | None = None,
         challenge: str | None = None, domain: str | list[str] | None = None,
         store: ContextStore | None = None) -> dict[str, Any]:
    """A copy of `document` with a new proof (the shapes digitalbazaar's libraries write)."""
    module = suite_module(suite)
    if not hasattr(module, "create_proof"):
        raise BadInputError(f"{suite} proofs are not created with this function",
                            code="E_SUITE_UNSUPPORTED")
    if not isinstance(document, dict) or "proof" in document:
        raise BadInputError("the document to sign must be a JSON object without a proof",
                            hint="sign the unsigned document", code="E_ALREADY_SIGNED")
    _check_signing_key(private_key, verification_method, module, suite)
    if created is not None and not _is_date_time(created):
        raise BadInputError(f"created {created!r} is not an XML Schema dateTime",
                            code="E_BAD_INPUT")
    unsecured_document = _with_suite_context(document, module)
    options: dict[str, Any] = {"type": getattr(module, "PROOF_TYPE", suite)}
    if options["type"] == DATA_INTEGRITY_PROOF:
        options["cryptosuite"] = suite
    options.update(created=created or w3c_date(), verificationMethod=verification_method,
                   proofPurpose=proof_purpose)
    if challenge is not None:
        options["challenge"] = challenge
    if domain is not None:
        options["domain"] = domain
    proof = module.create_proof(unsecured_document, options, private_key, store=store)
    return {**unsecured_document, "proof": proof}


def _with_suite_context(document: dict[str, Any], module: ModuleType) -> dict[str, Any]:
    if hasattr(module, "ensure_suite_context"):
        result: dict[str, Any] = module.ensure_suite_context(document)
        return result
    if getattr(module, "PROOF_TYPE", None) == DATA_INTEGRITY_PROOF and "@context" in document:
        # As digitalbazaar's signer: a document that does not define the DI terms gets DI v2.
        return {**document, "@context": ensure_data_integrity_context(document["@context"])}
    return document


def _check_signing_key(private_key: Any, vm_id: str, module: ModuleType, suite: str) -> None:
    from skillpass.dids import did_of, resolve_verification_method
    from skillpass.keys.multikey import key_type, public_key_bytes

    kind = key_type(private_key)
    if kind not in module.KEY_TYPES:
        raise BadInputError(f"{suite} cannot sign with a {kind} key",
                            hint="choose a suite for this key type", code="E_KEY_TYPE")
    if did_of(vm_id).startswith(("did:key:", "did:jwk:")):
        published = resolve_verification_method(vm_id).public_key
        if public_key_bytes(published) != public_key_bytes(private_key.public_key()):
            raise BadInputError(f"the private key does not match {vm_id}",
                                hint="sign with the key the verification method names",
                                code="E_KEY_MISMATCH")


def _is_date_time(value: str) -> bool:
    try:
        check_date_time(value, "created")
    except InvalidError:
        return False
    return True
