"""Whether a JSON document (or a JWS payload) is an Open Badges 2.0 or 1.x assertion.

This runs on every JSON import, so it only looks at a few top-level keys. A W3C credential (an
OB 3.0 OpenBadgeCredential among them) is never an OB 2.0 assertion, whatever else it holds.
"""

from __future__ import annotations

from typing import Any

OB_CONTEXTS = ("https://w3id.org/openbadges/v2", "https://w3id.org/openbadges/v1")
_VC_CONTEXTS = ("https://www.w3.org/2018/credentials/v1", "https://www.w3.org/ns/credentials/v2")
_MAX_HEADER_CHARS = 1024


def is_assertion(document: Any) -> bool:
    """An OB 2.0 Assertion (its @context or its type says so), or an OB 1.x one (recipient or
    identity, badge and verify)."""
    if not isinstance(document, dict):
        return False
    types = _types(document)
    contexts = _contexts(document)
    if "VerifiableCredential" in types or any(c in _VC_CONTEXTS for c in contexts):
        return False
    if "Assertion" in types:
        return True
    if any(c in OB_CONTEXTS for c in contexts):  # OB 2.0 §Assertion: recipient and badge required
        return not types and "recipient" in document and "badge" in document
    # OB 1.0/1.1: no @context; uid, recipient, badge, verify (the 1.0 beta said "identity").
    return "badge" in document and isinstance(document.get("verify"), dict) and (
        "recipient" in document or "identity" in document)


def is_ob2_context(document: Any) -> bool:
    return isinstance(document, dict) and any(c in OB_CONTEXTS for c in _contexts(document))


def signed_assertion(token: str) -> dict[str, Any] | None:
    """The assertion a compact JWS carries when it is a signed OB 2.0 badge, else None. The
    signature is not checked here; the header is read without the VC-JWT algorithm policy,
    since OB 2.0 signs with RS256 (OB 2.0 §SignedBadge)."""
    found = signed_parts(token)
    return found[1] if found is not None else None


def signed_parts(token: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """(header, assertion) of a compact JWS that is a signed OB 2.0 badge, else None: the one
    decoding of its header, for detection and verification alike (neither checked here)."""
    from skillpass.errors import SkillpassError
    from skillpass.ingest import parse_json
    from skillpass.keys.multibase import b64url_decode

    parts = token.strip().split(".") if isinstance(token, str) else []
    if len(parts) != 3 or len(parts[0]) > _MAX_HEADER_CHARS:
        return None
    try:
        header = parse_json(b64url_decode(parts[0], max_bytes=_MAX_HEADER_CHARS, what="the JWS header"))
        if not isinstance(header, dict) or header.get("alg") in (None, "none"):
            return None
        payload = parse_json(b64url_decode(parts[1], max_bytes=len(parts[1]), what="the JWS payload"))
    except SkillpassError:
        return None
    return (header, payload) if is_assertion(payload) else None


def _types(document: dict[str, Any]) -> list[str]:
    value = document.get("type", document.get("@type"))
    if isinstance(value, str):
        return [value]
    return [t for t in value if isinstance(t, str)] if isinstance(value, list) else []


def _contexts(document: dict[str, Any]) -> list[str]:
    value = document.get("@context")
    if isinstance(value, str):
        return [value]
    return [c for c in value if isinstance(c, str)] if isinstance(value, list) else []
