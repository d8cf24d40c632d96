"""The documents an OB 2.0 issuer hosts and a signed badge is verified with: its CryptographicKey,
its issuer Profile and its BadgeClass. skillpass never fetches them: the learner keeps them with
`skillpass dids add FILE`, in the same local cache as DID documents, keyed by their https id.

OB 2.0 §CryptographicKey: id, owner (the Profile) and publicKeyPem; §Profile: publicKey (the
keys it stands behind) and revocationList; §BadgeClass: issuer (the Profile's id). Only RSA keys
of at least 2048 bits are read: RS256 is the one algorithm OB 2.0 signs with (§SignedBadge).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from skillpass.errors import BadInputError, UnverifiableError

KEY, PROFILE, BADGE = "CryptographicKey", "Profile", "BadgeClass"
_KINDS = {"CryptographicKey": KEY, "Profile": PROFILE, "Issuer": PROFILE, "BadgeClass": BADGE}
MIN_RSA_BITS = 2048
MAX_PEM_CHARS = 16 * 1024
MAX_URL_CHARS = 2048
KEEP_HINT = ("keep the issuer's CryptographicKey, Profile and BadgeClass documents (what it serves at "
             "their https addresses) with 'skillpass dids add FILE', or give them with --did FILE")


def kind_of(document: Any) -> str | None:
    """KEY, PROFILE or BADGE when `document` has the type of an OB 2.0 issuer document."""
    if not isinstance(document, dict):
        return None
    value = document.get("type")
    types = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return next((_KINDS[t] for t in types if isinstance(t, str) and t in _KINDS), None)


def read_document(document: Any) -> tuple[str, dict[str, Any]]:
    """(id, document) of an OB 2.0 CryptographicKey, Profile or BadgeClass fit to keep;
    BadInputError E_OB2_DOCUMENT for anything else."""
    kind = kind_of(document)
    if kind is None:
        raise _bad("it is not a CryptographicKey, Profile, Issuer or BadgeClass")
    assert isinstance(document, dict)
    doc_id = document.get("id")
    if not is_https(doc_id):
        raise _bad(f"its id is not an https address (a {kind} is kept by the address it is served at)")
    if kind == KEY:
        if not is_https(document.get("owner")):
            raise _bad("the CryptographicKey names no https owner (its issuer Profile)")
        public_key(document)
    elif kind == BADGE and not is_https(ref_id(document.get("issuer"))):
        raise _bad("the BadgeClass names no https issuer (its Profile)")
    return str(doc_id), document


def public_key(key_document: dict[str, Any]) -> rsa.RSAPublicKey:
    """The RSA public key of a CryptographicKey's publicKeyPem (at least MIN_RSA_BITS)."""
    pem = key_document.get("publicKeyPem")
    if not isinstance(pem, str) or not pem.strip() or len(pem) > MAX_PEM_CHARS or not pem.isascii():
        raise _bad("the CryptographicKey has no readable publicKeyPem")
    try:
        key = load_pem_public_key(pem.encode("ascii"))
    except (ValueError, TypeError):
        raise _bad("its publicKeyPem is not a PEM public key") from None
    if not isinstance(key, rsa.RSAPublicKey):
        raise _bad("its publicKeyPem is not an RSA key (OB 2.0 signs with RS256)")
    if key.key_size < MIN_RSA_BITS:
        raise _bad(f"its RSA key has {key.key_size} bits, fewer than {MIN_RSA_BITS}")
    return key


def kept(did_cache: Mapping[str, Any], doc_id: Any, kind: str) -> dict[str, Any] | None:
    """The kept document `doc_id` when it is a valid document of `kind`, else None."""
    if not isinstance(doc_id, str):
        return None
    document = did_cache.get(doc_id)
    if kind_of(document) != kind:
        return None
    try:
        read_document(document)
    except BadInputError:
        return None
    assert isinstance(document, dict)
    return document


def missing(what: str, doc_id: Any) -> UnverifiableError:
    shown = f" {str(doc_id)[:MAX_URL_CHARS]}" if isinstance(doc_id, str) else ""
    return UnverifiableError(f"the badge's {what}{shown} is not kept, so its signature cannot be "
                             "checked offline", KEEP_HINT, code="E_OB2_DOCUMENT_UNKNOWN")


def listed_keys(profile: dict[str, Any]) -> list[str]:
    """The key ids an issuer Profile's publicKey lists (ids or embedded CryptographicKeys)."""
    value = profile.get("publicKey")
    items = value if isinstance(value, list) else [value]
    return [k for k in (ref_id(item) for item in items[:100]) if k is not None]


def ref_id(value: Any) -> str | None:
    """An OB 2.0 reference: an IRI, or an embedded object's id."""
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) else None


def is_https(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("https://") and len(value) <= MAX_URL_CHARS


def _bad(reason: str) -> BadInputError:
    return BadInputError(f"not an Open Badges 2.0 issuer document: {reason}",
                         "give the CryptographicKey, Profile or BadgeClass JSON the issuer serves, or a "
                         "DID document (did.json)", code="E_OB2_DOCUMENT")
