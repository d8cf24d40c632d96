"""Offline resolution of verification methods: did:key, did:jwk, cached DID documents.

`did:key` and `did:jwk` carry the key in the identifier itself. Any other controller (did:web, or
an issuer profile URL as Open Badges use) resolves only from `cache`, a mapping of controller id
to the controller document the user added with `skillpass dids add FILE`: nothing is fetched.

Retrieval follows W3C Controlled Identifiers 1.0, section 3.3 "Retrieve Verification Method":
the document id must equal the method id without its fragment, the method's controller must be
that document, and the method must be listed under the verification relationship being checked.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from skillpass.encoding.plain_text import unsafe_character
from skillpass.errors import BadInputError, InvalidError, UnverifiableError
from skillpass.keys import multibase, multikey

RELATIONSHIPS = ("authentication", "assertionMethod", "capabilityInvocation",
                 "capabilityDelegation", "keyAgreement")
# A did:key/did:jwk signing key serves every signing relationship. keyAgreement is left out: for
# an Ed25519 did:key it names a derived X25519 key, never the Ed25519 key itself.
_SIGNING_RELATIONSHIPS = frozenset(RELATIONSHIPS) - {"keyAgreement"}
_PROPERTIES = ("publicKeyMultibase", "publicKeyJwk", "publicKeyBase58")
# A did:jwk's base64url may be as long as a trust list allows a DID to be (skillpass.trust.MAX_DID,
# 8192 characters), which leaves room for JWK members beyond the key (kid, use, alg).
MAX_DID_JWK_BYTES = 6 * 1024


@dataclass(frozen=True)
class VerificationMethod:
    """A resolved public key and what its controller authorised it for."""

    id: str
    controller: str
    type: str
    public_key: multikey.PublicKey
    key_type: str  # 'Ed25519' | 'P-256' | 'P-384'
    relationships: frozenset[str]

    def __repr__(self) -> str:
        return (f"VerificationMethod(id={self.id!r}, type={self.type!r}, "
                f"key_type={self.key_type!r}, relationships={sorted(self.relationships)})")


def did_of(vm_id: str) -> str:
    """The controller document id of a verification method id: everything before '#'."""
    return vm_id.split("#", 1)[0]


def resolve_verification_method(
    vm_id: str, cache: Mapping[str, dict[str, Any]] | None = None,
) -> VerificationMethod:
    """Resolve `vm_id` offline; UnverifiableError (E_DID_UNKNOWN) for a DID not in `cache`."""
    if not isinstance(vm_id, str) or not vm_id:
        raise _malformed("the verification method id is not a string")
    controller = did_of(vm_id)
    if ":" not in controller:  # "#key-1", "key-1": nothing says whose key it is
        raise _not_found(vm_id, "a proof names its key by a DID URL (did:...#key-1) or a URL")
    if controller.startswith("did:key:"):
        if type(vm_id) is str:  # a str subclass could hash and compare as it liked
            return _kept_did_key_method(vm_id)
        return _resolve_did_key(vm_id, controller)
    if controller.startswith("did:jwk:"):
        return _resolve_did_jwk(vm_id, controller)
    document = (cache or {}).get(controller)
    if document is None:
        raise UnverifiableError(f"unknown DID {controller}",
                                hint="keep the issuer's DID document with 'skillpass dids add FILE', or give it "
                                "to one check with 'skillpass verify --did FILE'", code="E_DID_UNKNOWN")
    return method_from_document(vm_id, document)


# -- did:key ------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=512)
def _kept_did_key_method(vm_id: str) -> VerificationMethod:
    """A did:key method is a function of its id alone, and the same issuers and holders sign
    credential after credential: the method (immutable, its key too) is kept, for a bounded
    number of ids. Only an id that resolved is kept, so each is at most two P-384 multikeys
    long; an error is raised anew each time."""
    return _resolve_did_key(vm_id, did_of(vm_id))


def _resolve_did_key(vm_id: str, did: str) -> VerificationMethod:
    encoded = did[len("did:key:"):]
    if vm_id != f"{did}#{encoded}":
        raise _not_found(vm_id, "a did:key method id must be did:key:<key>#<key>")
    try:
        public_key = multikey.decode_public_key(encoded)
    except BadInputError as exc:
        raise _malformed(f"{did} does not hold a supported key ({exc.message})") from None
    return VerificationMethod(id=vm_id, controller=did, type="Multikey", public_key=public_key,
                              key_type=multikey.key_type(public_key),
                              relationships=_SIGNING_RELATIONSHIPS)


# -- did:jwk ------------------------------------------------------------------------------------


def _resolve_did_jwk(vm_id: str, did: str) -> VerificationMethod:
    if vm_id != f"{did}#0":
        raise _not_found(vm_id, "a did:jwk method id must be did:jwk:<jwk>#0")
    try:
        jwk = json.loads(multibase.b64url_decode(did[len("did:jwk:"):], max_bytes=MAX_DID_JWK_BYTES,
                                                 what="the did:jwk key"))
    except BadInputError as exc:
        raise _malformed(f"{did} is not a base64url-encoded JWK ({exc.message})") from None
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError; nesting recurses
        raise _malformed(f"{did} is not a base64url-encoded JWK") from None
    public_key = _key_from_jwk(jwk, did)
    # did:jwk spec: "use": "enc" keys only do key agreement, "sig" keys only sign.
    use = jwk.get("use", "")
    if not isinstance(use, str):  # RFC 7517 section 4.2: a string; never guess what a list means
        raise _malformed(f"{did}: the JWK's 'use' must be a string")
    relationships = {"enc": frozenset({"keyAgreement"}), "sig": _SIGNING_RELATIONSHIPS}.get(
        use, frozenset(RELATIONSHIPS))
    return VerificationMethod(id=vm_id, controller=did, type="JsonWebKey", public_key=public_key,
                              key_type=multikey.key_type(public_key), relationships=relationships)


# -- controller documents ---------------------------------------------------------------------


def did_document_of(document: Any) -> tuple[str, dict[str, Any]]:
    """(DID, document) of parsed JSON that is a DID or https controller document; BadInputError
    E_DID_DOCUMENT if it is none (what 'dids add' and receive's did:web fetch both accept)."""
    did = document.get("id") if isinstance(document, dict) else None
    if not isinstance(did, str) or not did.startswith(("did:", "https://")):
        raise BadInputError("not a DID or controller document: no 'id' starting with did: or https://",
                            "give the issuer's DID document (did.json)", code="E_DID_DOCUMENT")
    found = unsafe_character(did)
    if found is not None:
        raise BadInputError(f"the DID document's id has a control or invisible character ({found})",
                            "give the issuer's DID document as it publishes it", code="E_DID_DOCUMENT")
    if not isinstance(document.get("verificationMethod"), list):
        raise BadInputError("the DID document lists no verificationMethod",
                            "give the issuer's complete DID document", code="E_DID_DOCUMENT")
    return did, document


def method_from_document(vm_id: str, document: Any) -> VerificationMethod:
    """The verification method `vm_id` from its controller document (CID 1.0, 3.3)."""
    controller = did_of(vm_id)
    if not isinstance(document, dict):
        raise _bad_document(controller, "it is not a JSON object")
    if document.get("id") != controller:
        raise _bad_document(controller, f"its id is {document.get('id')!r}, not {controller}")
    entry, relationships = _find_method(vm_id, document)
    if entry.get("controller") != controller:
        raise InvalidError(
            f"verification method {vm_id} is controlled by {entry.get('controller')!r}, "
            f"not by {controller}",
            hint="the DID document does not authorise this key for its DID", code="E_VM_INVALID")
    if "revoked" in entry:
        raise InvalidError(f"verification method {vm_id} was revoked on {entry['revoked']}",
                           hint="the issuer no longer stands behind this key",
                           code="E_VM_REVOKED")
    public_key = _key_from_entry(entry, vm_id)
    return VerificationMethod(id=vm_id, controller=controller, type=str(entry.get("type", "")),
                              public_key=public_key, key_type=multikey.key_type(public_key),
                              relationships=relationships)


def _find_method(vm_id: str, document: dict[str, Any]) -> tuple[dict[str, Any], frozenset[str]]:
    """The method entry (listed or embedded) and the relationships that name it."""
    found: dict[str, Any] | None = None
    for entry in _entries(document.get("verificationMethod"), "verificationMethod"):
        if isinstance(entry, dict) and _absolute(entry.get("id"), document) == vm_id:
            found = entry
    relationships = set()
    for name in RELATIONSHIPS:
        for entry in _entries(document.get(name), name):
            ref = entry.get("id") if isinstance(entry, dict) else entry
            if _absolute(ref, document) != vm_id:
                continue
            relationships.add(name)
            if isinstance(entry, dict):
                found = found or entry
    if found is None:
        raise _not_found(vm_id, f"it is not in the DID document of {document['id']}")
    return found, frozenset(relationships)


def _entries(value: Any, name: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _bad_document(None, f"{name} must be a list")
    return value


def _absolute(ref: Any, document: dict[str, Any]) -> str | None:
    """A method reference as an absolute URL; '#key-1' is relative to the document id."""
    if not isinstance(ref, str):
        return None
    return document["id"] + ref if ref.startswith("#") else ref


def _key_from_entry(entry: dict[str, Any], vm_id: str) -> multikey.PublicKey:
    present = [name for name in _PROPERTIES if name in entry]
    if len(present) != 1:
        raise _malformed(f"verification method {vm_id} must carry exactly one of "
                         + ", ".join(_PROPERTIES))
    value = entry[present[0]]
    try:
        if present[0] == "publicKeyMultibase":
            return multikey.decode_issuer_public_key(value)
        if present[0] == "publicKeyJwk":
            return _key_from_jwk(value, vm_id)
        # Ed25519VerificationKey2018: the raw 32-byte key in base58btc, no multicodec header.
        if entry.get("type") != "Ed25519VerificationKey2018" or not isinstance(value, str):
            raise _malformed(f"publicKeyBase58 is only supported for Ed25519VerificationKey2018 "
                             f"({vm_id})")
        return multikey.public_key_from_bytes(
            b"\xed\x01" + multibase.b58decode(value, max_bytes=32, what="publicKeyBase58"))
    except BadInputError as exc:
        if exc.code == "E_DID_MALFORMED":
            raise
        raise _malformed(f"verification method {vm_id} has an unusable key ({exc.message})") \
            from None


def _key_from_jwk(jwk: Any, where: str) -> multikey.PublicKey:
    try:
        return multikey.public_key_from_jwk(jwk)
    except BadInputError as exc:
        raise _malformed(f"{where}: {exc.message}") from None


# -- errors -------------------------------------------------------------------------------------


def _malformed(reason: str) -> BadInputError:
    return BadInputError(f"unusable verification method: {reason}",
                         hint="check the DID or DID document; only Ed25519, P-256 and P-384 keys "
                              "are supported", code="E_DID_MALFORMED")


def _bad_document(controller: str | None, reason: str) -> BadInputError:
    subject = f"the DID document of {controller}" if controller else "a DID document"
    return BadInputError(f"{subject} is not usable: {reason}",
                         hint="re-add the issuer's DID document with: skillpass dids add FILE",
                         code="E_DID_DOCUMENT")


def _not_found(vm_id: str, reason: str) -> InvalidError:
    return InvalidError(f"verification method {vm_id} not found: {reason}",
                        hint="the proof names a key its issuer never published",
                        code="E_VM_NOT_FOUND")
