"""ecdsa-sd-2023 (W3C vc-di-ecdsa section 3.6): ECDSA P-256 selective disclosure.

The issuer signs every statement (canonical N-Quad) of the credential with a throwaway
proof-scoped key and binds that key, the proof options and the mandatory statements with one
signature of its own (the base proof, kept by the holder). The holder derives a disclosure:
the chosen statements, their signatures, and a label map so the verifier can rebuild the same
blank-node labels (the derived proof).

Roles: `create_base_proof` (issuer; tests and demo), `verify_base_proof` (holder, on receipt),
`derive_proof` (holder, when sharing), `verify_derived_proof` (verifier; the holder self-checks).
`verify` is the registry entry point for both kinds. Wire format: `sd_cbor`; primitives:
`sd_primitives`.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from skillpass.encoding.pointer import child_pointer, resolve_pointer
from skillpass.errors import BadInputError, InvalidError, UnverifiableError
from skillpass.jsonld.json_copy import json_copy
from skillpass.suites import sd_cbor
from skillpass.suites import sd_primitives as sd
from skillpass.suites.proof import check_date_time

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric import ec

    from skillpass.jsonld.loader import ContextStore

CRYPTOSUITE = "ecdsa-sd-2023"
PROOF_TYPE = "DataIntegrityProof"
KEY_TYPES = frozenset({"P-256"})  # the suite registry checks the issuer's key type against this
_SIG_HINT = "the credential or its proof was changed after signing, or another key signed it"


@dataclass(frozen=True)
class SdVerification:
    """What an ecdsa-sd-2023 check established (returned only when every signature verified)."""

    kind: Literal["base", "derived"]
    statements: int  # canonical N-Quads covered by the proof
    mandatory: int  # of which the issuer made mandatory
    mandatory_pointers: tuple[str, ...] = ()  # base proofs only


@dataclass(frozen=True)
class BaseTransform:
    """3.6.2 output: the canonical N-Quads split by the mandatory pointers."""

    mandatory_pointers: tuple[str, ...]
    mandatory: dict[int, str]  # absolute index -> N-Quad
    non_mandatory: dict[int, str]
    hmac_key: bytes

    def __repr__(self) -> str:
        return (f"BaseTransform(mandatory={len(self.mandatory)}, "
                f"non_mandatory={len(self.non_mandatory)}, hmac_key=<redacted>)")


@dataclass(frozen=True)
class HashData:
    """3.6.3 output."""

    transform: BaseTransform
    proof_hash: bytes
    mandatory_hash: bytes


@dataclass(frozen=True)
class DisclosureData:
    """3.5.4 createDisclosureData output."""

    base_signature: bytes
    public_key: bytes
    signatures: tuple[bytes, ...]
    label_map: dict[str, str]
    mandatory_indexes: tuple[int, ...]
    reveal_document: dict[str, Any]


@dataclass(frozen=True)
class VerifyData:
    """3.5.9 createVerifyData output."""

    base_signature: bytes
    proof_hash: bytes
    public_key: bytes
    signatures: tuple[bytes, ...]
    non_mandatory: list[str]
    mandatory_hash: bytes
    mandatory_count: int


# -- issuer: base proof (3.6.1 - 3.6.5) ----------------------------------------------------------

def create_base_proof(document: dict[str, Any], *, private_key: ec.EllipticCurvePrivateKey,
                      verification_method: str, mandatory_pointers: list[str],
                      created: str | datetime | None = None, hmac_key: bytes | None = None,
                      proof_key: ec.EllipticCurvePrivateKey | None = None,
                      proof_purpose: str = "assertionMethod",
                      store: ContextStore | None = None) -> dict[str, Any]:
    """Issue: a copy of `document` with a base proof (proof fields as digitalbazaar writes them).

    `hmac_key` and `proof_key` are random unless given (tests fix them to the vectors').
    """
    from skillpass.suites.proof import ensure_data_integrity_context

    if not isinstance(document, dict) or "proof" in document:
        raise BadInputError("the document to sign must be a JSON object without a proof",
                            code="E_ALREADY_SIGNED")
    # as digitalbazaar's signer: a context that does not define DataIntegrityProof gets DI v2
    unsecured = {**document, "@context": ensure_data_integrity_context(document.get("@context"))}
    options = {"type": PROOF_TYPE, "cryptosuite": CRYPTOSUITE, "created": _created(created),
               "verificationMethod": verification_method, "proofPurpose": proof_purpose}
    proof = create_proof(unsecured, options, private_key, store=store,
                         mandatory_pointers=mandatory_pointers, hmac_key=hmac_key,
                         proof_key=proof_key)
    return {**json_copy(unsecured), "proof": proof}


def create_proof(unsecured_document: dict[str, Any], options: dict[str, Any],
                 private_key: ec.EllipticCurvePrivateKey, *, store: ContextStore | None = None,
                 mandatory_pointers: list[str] | tuple[str, ...] = (),
                 hmac_key: bytes | None = None,
                 proof_key: ec.EllipticCurvePrivateKey | None = None) -> dict[str, Any]:
    """3.6.1 Create Base Proof: the proof object (also the suite registry's `create_proof`)."""
    _require_p256(private_key, "issuer")
    # 1. the proof is a clone of the options
    proof = json_copy(options)
    # 2. proof configuration
    canonical_config = base_proof_configuration(options, unsecured_document, store)
    # 3. transformation, with a fresh HMAC key unless one is given
    transform = base_proof_transformation(unsecured_document, list(mandatory_pointers),
                                          hmac_key or secrets.token_bytes(32), store)
    # 4. hashing
    hash_data = base_proof_hashing(transform, canonical_config)
    # 5.-6. serialization
    proof["proofValue"] = base_proof_serialization(hash_data, private_key, proof_key)
    # 7.
    return proof


def base_proof_configuration(options: dict[str, Any], document: dict[str, Any],
                             store: ContextStore | None = None) -> str:
    """3.6.4 Base Proof Configuration: canonical N-Quads of the options with the document context."""
    # 2. only this suite
    if options.get("type") != PROOF_TYPE or options.get("cryptosuite") != CRYPTOSUITE:
        raise _malformed(f"not a {PROOF_TYPE} with cryptosuite {CRYPTOSUITE}")
    # 3. created must be an XML Schema dateTime
    created = options.get("created")
    if created is not None and not isinstance(created, str):
        raise _malformed("proof 'created' is not a string")
    check_date_time(created, "created")
    # 1., 4. clone without proofValue; the document's @context
    config = {k: v for k, v in options.items() if k != "proofValue"}
    config["@context"] = document.get("@context")
    # 5.
    from skillpass.jsonld.canon import canonize

    return canonize(config, store, safe=False)


def base_proof_transformation(document: dict[str, Any], mandatory_pointers: list[str],
                              hmac_key: bytes, store: ContextStore | None = None) -> BaseTransform:
    """3.6.2 Base Proof Transformation."""
    _check_pointers(mandatory_pointers)
    if len(hmac_key) != sd_cbor.HMAC_KEY_SIZE:
        raise BadInputError("the HMAC key must be 32 bytes", code="E_BAD_INPUT")
    # 1.-2. HMAC label map factory
    factory = sd.create_hmac_id_label_map_function(hmac_key)
    # 3.-4. canonicalize and group by the mandatory pointers
    grouped = sd.canonicalize_and_group(document, factory, {"mandatory": list(mandatory_pointers)},
                                        store)
    group = grouped.groups["mandatory"]
    # 5.-7.
    return BaseTransform(tuple(mandatory_pointers), group.matching, group.non_matching, hmac_key)


def base_proof_hashing(transform: BaseTransform, canonical_proof_config: str) -> HashData:
    """3.6.3 Base Proof Hashing (SHA-256 for P-256)."""
    # 1.
    proof_hash = hashlib.sha256(canonical_proof_config.encode("utf-8")).digest()
    # 2.
    mandatory_hash = sd.hash_mandatory_nquads(list(transform.mandatory.values()))
    # 3.-4.
    return HashData(transform, proof_hash, mandatory_hash)


def base_proof_serialization(hash_data: HashData, private_key: ec.EllipticCurvePrivateKey,
                             proof_key: ec.EllipticCurvePrivateKey | None = None) -> str:
    """3.6.5 Base Proof Serialization; `proof_key` is fixed only by tests."""
    from cryptography.hazmat.primitives.asymmetric import ec

    from skillpass.keys.multikey import public_key_bytes

    # 2. the proof-scoped key pair, used for this proof only
    proof_key = proof_key or ec.generate_private_key(ec.SECP256R1())
    _require_p256(proof_key, "proof-scoped")
    # 3. one ES256 signature per non-mandatory statement, in order
    signatures = tuple(_sign(proof_key, nq.encode("utf-8"))
                       for nq in hash_data.transform.non_mandatory.values())
    # 4. multikey bytes: 80 24 + compressed point
    public_key = public_key_bytes(proof_key.public_key())
    # 5.-6. the issuer binds proof options, proof key and mandatory statements
    to_sign = serialize_sign_data(hash_data.proof_hash, public_key, hash_data.mandatory_hash)
    base_signature = _sign(private_key, to_sign)
    # 7.
    return sd_cbor.serialize_base_proof_value(sd_cbor.BaseProofValue(
        base_signature, public_key, hash_data.transform.hmac_key, signatures,
        hash_data.transform.mandatory_pointers))


def serialize_sign_data(proof_hash: bytes, public_key: bytes, mandatory_hash: bytes) -> bytes:
    """3.5.1 serializeSignData."""
    return proof_hash + public_key + mandatory_hash


# -- holder: check the base proof on receipt -----------------------------------------------------

def verify_base_proof(unverified_document: dict[str, Any], proof: dict[str, Any],
                      public_key: ec.EllipticCurvePublicKey,
                      store: ContextStore | None = None) -> SdVerification:
    """Recompute what the issuer signed (3.6.2 - 3.6.5) and check every signature.

    The spec defines no base-proof verification; this is the holder's check that the base
    signature and each per-statement signature match the credential as received.
    """
    _require_p256(public_key, "issuer")
    # 1. parse the base proofValue
    value = sd_cbor.parse_base_proof_value(proof.get("proofValue"))
    unsecured = _unsecured(unverified_document)
    with _mismatch_is_invalid():
        # 2. proofHash; 3. the N-Quads grouped by the issuer's mandatory pointers
        canonical_config = base_proof_configuration(proof, unsecured, store)
        transform = base_proof_transformation(unsecured, list(value.mandatory_pointers),
                                              value.hmac_key, store)
    # 4. mandatoryHash
    hash_data = base_proof_hashing(transform, canonical_config)
    # 5. base signature and every statement signature
    _verify_signatures(public_key, value.base_signature, value.public_key, hash_data.proof_hash,
                       hash_data.mandatory_hash, value.signatures,
                       list(transform.non_mandatory.values()))
    return SdVerification("base", len(transform.mandatory) + len(transform.non_mandatory),
                          len(transform.mandatory), value.mandatory_pointers)


# -- holder: derive a disclosure (3.5.4, 3.6.6) --------------------------------------------------

def derive_proof(document_with_base_proof: dict[str, Any], *, selective_pointers: list[str],
                 store: ContextStore | None = None) -> dict[str, Any]:
    """3.6.6 Add Derived Proof: the reveal document with a derived proof attached."""
    proof = _base_proof_of(document_with_base_proof)
    document = _unsecured(document_with_base_proof)
    _check_pointers(selective_pointers)
    for pointer in selective_pointers:
        resolve_pointer(document, pointer)  # name a bad pointer before any JSON-LD work
    # 1. disclosure data
    data = create_disclosure_data(document, proof, selective_pointers, store)
    # 2.-3. a shallow copy of the base proof with the derived proofValue
    new_proof = {k: v for k, v in proof.items() if k != "@context"}
    new_proof["proofValue"] = sd_cbor.serialize_derived_proof_value(sd_cbor.DerivedProofValue(
        data.base_signature, data.public_key, data.signatures, data.label_map,
        data.mandatory_indexes))
    # 4.-5.
    return {**data.reveal_document, "proof": new_proof}


def create_disclosure_data(document: dict[str, Any], proof: dict[str, Any],
                           selective_pointers: list[str],
                           store: ContextStore | None = None) -> DisclosureData:
    """3.5.4 createDisclosureData."""
    # 1. parse the base proof
    base = sd_cbor.parse_base_proof_value(proof.get("proofValue"))
    mandatory_pointers = list(base.mandatory_pointers)
    combined = mandatory_pointers + list(selective_pointers)
    if not combined:
        raise BadInputError("nothing selected for disclosure",
                            "choose at least one field to share", code="E_NOTHING_SELECTED")
    # 2.-3. HMAC label map factory from the issuer's key
    factory = sd.create_hmac_id_label_map_function(base.hmac_key)
    # 4.-6. canonicalize and group
    grouped = sd.canonicalize_and_group(
        document, factory, {"mandatory": mandatory_pointers, "selective": list(selective_pointers),
                            "combined": combined}, store)
    mandatory = grouped.groups["mandatory"].matching
    if len(base.signatures) != len(grouped.groups["mandatory"].non_matching):
        raise InvalidError("the base proof does not match this credential (statement count)",
                           _SIG_HINT, code="E_SIG_INVALID")
    # 7.-8. mandatory indexes relative to the revealed statements
    revealed = list(grouped.groups["combined"].matching)
    mandatory_indexes = tuple(rel for rel, absolute in enumerate(revealed) if absolute in mandatory)
    # 9.-10. keep the signatures of selected statements
    signatures = tuple(_filter_signatures(base.signatures, mandatory,
                                          grouped.groups["selective"].matching))
    # 11. the reveal document
    reveal = sd.select_json_ld(document, combined) or {}
    # 12.-14. verifier's canonical labels -> HMAC labels
    label_map = _verifier_label_map(grouped.groups["combined"].deskolemized_quads,
                                    grouped.label_map)
    # 15.
    return DisclosureData(base.base_signature, base.public_key, signatures, label_map,
                          mandatory_indexes, reveal)


def _filter_signatures(signatures: tuple[bytes, ...], mandatory: dict[int, str],
                       selective: dict[int, str]) -> Iterator[bytes]:
    """3.5.4 step 10: walk signatures alongside the non-mandatory absolute indexes."""
    index = 0
    for signature in signatures:
        while index in mandatory:
            index += 1
        if index in selective:
            yield signature
        index += 1


def _verifier_label_map(combined_quads: list[sd.Quad], label_map: dict[str, str]) -> dict[str, str]:
    canonical_ids = sd.canonical_id_map(combined_quads)
    unknown = sorted(set(canonical_ids) - set(label_map))
    if unknown:
        raise BadInputError("the selection has a blank node the base proof does not label",
                            code="E_BAD_INPUT")
    return {c14n: label_map[old] for old, c14n in canonical_ids.items()}


# -- verifier: derived proof (3.5.9, 3.6.7) ------------------------------------------------------

def verify_derived_proof(unverified_document: dict[str, Any], proof: dict[str, Any],
                         public_key: ec.EllipticCurvePublicKey,
                         store: ContextStore | None = None) -> SdVerification:
    """3.6.7 Verify Derived Proof; raises InvalidError unless every signature verifies."""
    _require_p256(public_key, "issuer")
    # 1. the document without its proof
    unsecured = _unsecured(unverified_document)
    # 2. verify data
    data = create_verify_data(unsecured, proof, store)
    # 3.-8. counts, base signature, statement signatures
    _verify_signatures(public_key, data.base_signature, data.public_key, data.proof_hash,
                       data.mandatory_hash, data.signatures, data.non_mandatory)
    return SdVerification("derived", len(data.non_mandatory) + data.mandatory_count,
                          data.mandatory_count)


def create_verify_data(document: dict[str, Any], proof: dict[str, Any],
                       store: ContextStore | None = None) -> VerifyData:
    """3.5.9 createVerifyData."""
    # 2. parse the derived proofValue
    value = sd_cbor.parse_derived_proof_value(proof.get("proofValue"))
    with _mismatch_is_invalid():
        # 1. proofHash
        canonical_config = base_proof_configuration(proof, document, store)
        # 3.-4. canonical N-Quads relabelled with the proof's label map
        factory = sd.create_label_map_function(value.label_map)
        nquads = sd.label_replacement_canonicalize_json_ld(document, factory, store).nquads
    if any(i >= len(nquads) for i in value.mandatory_indexes):
        raise InvalidError("the proof marks a statement as mandatory that the document lacks",
                           _SIG_HINT, code="E_SIG_INVALID")
    # 5.-6. split mandatory / non-mandatory
    indexes = set(value.mandatory_indexes)
    mandatory = [nq for i, nq in enumerate(nquads) if i in indexes]
    non_mandatory = [nq for i, nq in enumerate(nquads) if i not in indexes]
    # 7.-8.
    return VerifyData(value.base_signature,
                      hashlib.sha256(canonical_config.encode("utf-8")).digest(),
                      value.public_key, value.signatures, non_mandatory,
                      sd.hash_mandatory_nquads(mandatory), len(mandatory))


# -- registry entry point and helpers --------------------------------------------------------------

def verify(unverified_document: dict[str, Any], proof: dict[str, Any], method: Any, *,
           store: ContextStore | None = None) -> None:
    """Verify a base or derived ecdsa-sd-2023 proof, told apart by its header bytes."""
    public_key = _issuer_key(method)
    if sd_cbor.proof_value_kind(proof.get("proofValue")) == "base":
        verify_base_proof(unverified_document, proof, public_key, store)
    else:
        verify_derived_proof(unverified_document, proof, public_key, store)


def verify_proof(unsecured_document: dict[str, Any], unverified_proof: dict[str, Any],
                 method: Any, *, store: ContextStore | None = None) -> None:
    """The suite registry's entry point (skillpass.suites): same as `verify`."""
    verify(unsecured_document, unverified_proof, method, store=store)


def is_base_proof(proof: object) -> bool:
    """True for an ecdsa-sd-2023 proof whose proofValue carries the base header."""
    if not isinstance(proof, dict) or proof.get("cryptosuite") != CRYPTOSUITE:
        return False
    try:
        return sd_cbor.proof_value_kind(proof.get("proofValue")) == "base"
    except InvalidError:
        return False


def mandatory_pointers(proof: dict[str, Any]) -> list[str]:
    """The issuer's mandatory pointers, from a base proof."""
    return list(sd_cbor.parse_base_proof_value(proof.get("proofValue")).mandatory_pointers)


def selectable_pointers(document: dict[str, Any]) -> list[str]:
    """JSON pointers of the leaf values and array elements a holder could choose to disclose.

    Skips `@context`, `id` and `type` (they travel with any selection along their path) and
    the top-level `proof`. A value object ({"@value": ...}) counts as one leaf, and so does an
    object with nothing but an id or type (its id is then the information).
    """
    pointers: list[str] = []
    _collect_pointers(document, "", pointers)
    return pointers


_NOT_SELECTABLE = frozenset({"@context", "id", "type", "@id", "@type"})


def _collect_pointers(value: Any, pointer: str, out: list[str], listed: bool = False) -> None:
    """Append the pointers under `value`; `listed`: `pointer` itself is already in `out`."""
    if isinstance(value, list):
        for index, child in enumerate(value):
            out.append(f"{pointer}/{index}")
            _collect_pointers(child, f"{pointer}/{index}", out, listed=True)
    elif isinstance(value, dict) and "@value" not in value:
        before = len(out)
        for key, child in value.items():
            if key not in _NOT_SELECTABLE and not (pointer == "" and key == "proof"):
                _collect_pointers(child, child_pointer(pointer, key), out)
        if len(out) == before and pointer and not listed:
            out.append(pointer)
    elif value is not None and pointer and not listed:
        out.append(pointer)


# -- shared checks -------------------------------------------------------------------------------

def _verify_signatures(issuer_key: ec.EllipticCurvePublicKey, base_signature: bytes,
                       public_key: bytes, proof_hash: bytes, mandatory_hash: bytes,
                       signatures: tuple[bytes, ...], non_mandatory: list[str]) -> None:
    """3.6.7 steps 3-8: count, base signature, then each statement with the proof-scoped key."""
    if len(signatures) != len(non_mandatory):
        raise InvalidError(f"the proof has {len(signatures)} statement signatures but the "
                           f"document has {len(non_mandatory)} non-mandatory statements",
                           _SIG_HINT, code="E_SIG_INVALID")
    proof_key = _proof_scoped_key(public_key)
    to_verify = serialize_sign_data(proof_hash, public_key, mandatory_hash)
    if not _ecdsa_verifies(issuer_key, base_signature, to_verify):
        raise InvalidError("the issuer's base signature does not verify", _SIG_HINT,
                           code="E_SIG_INVALID")
    for number, (signature, nquad) in enumerate(zip(signatures, non_mandatory), start=1):
        if not _ecdsa_verifies(proof_key, signature, nquad.encode("utf-8")):
            raise InvalidError(f"the signature of statement {number} of {len(non_mandatory)} "
                               "does not verify", _SIG_HINT, code="E_SIG_INVALID")


def _sign(private_key: ec.EllipticCurvePrivateKey, data: bytes) -> bytes:
    """ES256 as IEEE P1363 r||s (what the proof carries), RFC 6979 nonces."""
    from skillpass.suites.proof import sign_bytes

    return sign_bytes(private_key, data)


def _ecdsa_verifies(public_key: ec.EllipticCurvePublicKey, signature: bytes, data: bytes) -> bool:
    from skillpass.suites.proof import verify_signature

    try:
        verify_signature(public_key, signature, data, suite=CRYPTOSUITE, vm_id="")
    except InvalidError:
        return False
    return True


def _proof_scoped_key(public_key: bytes) -> ec.EllipticCurvePublicKey:
    from cryptography.hazmat.primitives.asymmetric import ec

    from skillpass.keys.multikey import public_key_from_bytes

    if public_key[:2] != b"\x80\x24":
        raise _malformed("the proof-scoped key is not a P-256 multikey")
    try:
        key = public_key_from_bytes(public_key)
    except BadInputError:
        raise _malformed("the proof-scoped key is not a valid P-256 point") from None
    assert isinstance(key, ec.EllipticCurvePublicKey)
    return key


def _issuer_key(method: Any) -> ec.EllipticCurvePublicKey:
    """Accept a public key, an object with `.public_key`, or a Multikey/JWK method dict."""
    from cryptography.hazmat.primitives.asymmetric import ec

    from skillpass.keys import multikey

    key = getattr(method, "public_key", method)
    if callable(key) and not isinstance(key, ec.EllipticCurvePublicKey):
        key = key()
    if isinstance(key, dict):
        if "publicKeyMultibase" in key:
            key = multikey.decode_public_key(key["publicKeyMultibase"])
        elif "publicKeyJwk" in key:
            key = multikey.public_key_from_jwk(key["publicKeyJwk"])
    _require_p256(key, "issuer")
    return key


def _require_p256(key: Any, role: str) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    if not (isinstance(key, (ec.EllipticCurvePublicKey, ec.EllipticCurvePrivateKey))
            and key.curve.name == "secp256r1"):
        raise UnverifiableError(f"ecdsa-sd-2023 needs a P-256 {role} key",
                                "use a P-256 (zDn...) verification method", code="E_KEY_TYPE")


def _base_proof_of(document: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(document, dict):
        raise BadInputError("the credential is not a JSON object", code="E_BAD_INPUT")
    proofs = document.get("proof")
    candidates = [p for p in (proofs if isinstance(proofs, list) else [proofs]) if is_base_proof(p)]
    if len(candidates) != 1:
        raise BadInputError("the credential has no single ecdsa-sd-2023 base proof to derive from",
                            "only credentials issued with ecdsa-sd-2023 allow choosing fields",
                            code="E_NOT_SD")
    return candidates[0]


def _unsecured(document: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(document, dict):
        raise BadInputError("the credential is not a JSON object", code="E_BAD_INPUT")
    return {k: v for k, v in document.items() if k != "proof"}


def _check_pointers(pointers: object) -> None:
    if not isinstance(pointers, (list, tuple)) or not all(isinstance(p, str) for p in pointers):
        raise BadInputError("JSON pointers must be a list of strings", code="E_POINTER")


def _created(created: str | datetime | None) -> str:
    from skillpass.suites.proof import w3c_date

    if created is None or isinstance(created, datetime):
        return w3c_date(created)
    try:
        check_date_time(created, "created")
    except InvalidError:
        raise BadInputError(f"created {created!r} is not an XML Schema dateTime",
                            code="E_BAD_INPUT") from None
    return created


@contextmanager
def _mismatch_is_invalid() -> Iterator[None]:
    """While checking a proof, a pointer or term that does not fit means the data was altered."""
    try:
        yield
    except BadInputError as exc:
        if exc.code not in ("E_POINTER", "E_JSONLD_UNDEFINED_TERM"):
            raise
        raise InvalidError(exc.message, _SIG_HINT, code="E_SIG_INVALID") from None


def _malformed(reason: str) -> InvalidError:
    return InvalidError(f"malformed ecdsa-sd-2023 proof: {reason}",
                        "the proof is damaged or not an ecdsa-sd-2023 proof",
                        code="E_PROOF_MALFORMED")
