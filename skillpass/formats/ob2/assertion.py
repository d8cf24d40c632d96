"""An Open Badges 2.0 (or 1.x) assertion as received, and the verification of a signed one.

OB 2.0 §Verification: a hosted assertion (verification.type "hosted") is verified by fetching it
again from its id, which skillpass never does, so it is never verified here (E_HOSTED_BADGE); a
signed assertion (verification.type "signed", a compact JWS) is verified offline with the kept
documents:

    1. the JWS is RS256 (OB 2.0 §SignedBadge); its payload is the assertion
    2. verification.creator names the CryptographicKey, kept, whose RSA key verifies the JWS
    3. the key's owner is the issuer Profile, kept, which lists the key in publicKey
    4. the BadgeClass (embedded, or kept by its id) names that Profile as its issuer
    5. issuedOn / expires give the validity period
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from skillpass.errors import BadInputError, InvalidError, UnverifiableError
from skillpass.formats.ob2 import documents
from skillpass.formats.ob2.detect import is_assertion, signed_parts

MAX_SIGNATURE_BYTES = 2048  # an RSA-16384 signature; RS256 keys are 2048 to 4096 bits


@dataclass(frozen=True)
class Received:
    """An assertion as received: JSON (hosted) or a compact JWS (signed), not yet verified."""

    unverified_assertion: dict[str, Any]
    token: str | None  # the compact JWS of a signed badge, exactly as received
    header: dict[str, Any] | None = None  # its JWS header, decoded once (detect.signed_parts)

    @property
    def verification_type(self) -> str:
        """'signed', 'hosted' or what else it says (OB 2.0 aliases SignedBadge, HostedBadge; OB 1.x
        calls the object `verify`)."""
        assertion = self.unverified_assertion
        method = assertion.get("verification", assertion.get("verify"))
        kind = method.get("type") if isinstance(method, dict) else None
        kind = kind if isinstance(kind, str) else ""
        return {"signedbadge": "signed", "hostedbadge": "hosted"}.get(kind.lower(), kind.lower())

    @property
    def creator(self) -> Any:
        method = self.unverified_assertion.get("verification", self.unverified_assertion.get("verify"))
        return method.get("creator") if isinstance(method, dict) else None


@dataclass(frozen=True)
class Verified:
    """A signed assertion whose signature and documents checked out."""

    assertion: dict[str, Any]
    badge: dict[str, Any]
    profile: dict[str, Any]
    key_id: str
    validity: str

    @property
    def issuer(self) -> str:
        return str(self.profile["id"])


def read(raw: bytes) -> Received:
    """An OB 2.0 / 1.x assertion from the bytes kept or shown (BadInputError if it is none)."""
    from skillpass.ingest import parse_json

    try:
        text = raw.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise _not_assertion("it is not UTF-8 text") from None
    if text.startswith("{"):
        document = parse_json(text.encode("utf-8"))
        if not is_assertion(document):
            raise _not_assertion("the JSON is not an assertion")
        return Received(document, None)
    found = signed_parts(text)
    if found is None:
        raise _not_assertion("it is neither an assertion's JSON nor a JWS of one")
    header, payload = found
    return Received(payload, text, header)


def hosted_error() -> UnverifiableError:
    return UnverifiableError("this is a hosted Open Badge: it is verified only by fetching it again from "
                             "its issuer, which skillpass never does",
                             "to keep it anyway, marked \"not verified (hosted badge)\", import it with "
                             "--allow-unverified", code="E_HOSTED_BADGE")


def verify_signed(received: Received, did_cache: Mapping[str, Any], now: datetime) -> Verified:
    """The steps of the module docstring; raises the error of the first one that fails."""
    if received.token is None and received.verification_type == "signed":
        raise UnverifiableError("this is the JSON of a signed Open Badge, without its signature",
                                "give the signed badge as the issuer sent it: the JWS text or the baked image",
                                code="E_OB2_UNSIGNED")
    if received.token is None or received.verification_type != "signed":
        if received.verification_type == "hosted" or received.token is None:
            raise hosted_error()
        raise UnverifiableError(f"the badge's verification type {received.verification_type[:40]!r} is not "
                                "one skillpass knows", "ask the issuer for a signed badge", code="E_OB2_VERIFICATION")
    # 1. OB 2.0 §SignedBadge: RS256 only.
    header = received.header or {}
    if header.get("alg") != "RS256":
        raise InvalidError(f"the signed badge says alg {str(header.get('alg'))[:20]!r}, not RS256",
                           "OB 2.0 badges are signed with RS256 only", code="E_JWS_ALG")
    # 2. the creator key, kept, verifies the JWS.
    key_id = received.creator
    if not documents.is_https(key_id):
        raise UnverifiableError("the signed badge names no https key in verification.creator",
                                "ask the issuer for a badge that names its CryptographicKey", code="E_OB2_NO_CREATOR")
    key_document = documents.kept(did_cache, key_id, documents.KEY)
    if key_document is None:
        raise documents.missing("CryptographicKey", key_id)
    verify_rs256(received.token, documents.public_key(key_document))
    assertion = received.unverified_assertion  # verified from here on
    # 3. the key's owner is the Profile, which lists the key.
    profile_id = key_document["owner"]
    profile = documents.kept(did_cache, profile_id, documents.PROFILE)
    if profile is None:
        raise documents.missing("issuer Profile", profile_id)
    if key_id not in documents.listed_keys(profile):
        raise InvalidError(f"the issuer Profile {profile_id} does not list the key {key_id} in publicKey",
                           "the key does not belong to this issuer", code="E_OB2_KEY_NOT_LISTED")
    # 4. the BadgeClass names that Profile.
    badge = _badge(assertion, did_cache)
    if documents.ref_id(badge.get("issuer")) != profile_id:
        raise InvalidError(f"the BadgeClass is issued by {documents.ref_id(badge.get('issuer'))!r}, not by the "
                           f"key's owner {profile_id}", "the badge was signed by another issuer's key",
                           code="E_OB2_ISSUER_MISMATCH")
    # 5. the validity period.
    return Verified(assertion, badge, profile, str(key_id), validity_of(assertion, now))


def verify_rs256(token: str, public_key: Any) -> None:
    """RFC 7518 §3.3: RSASSA-PKCS1-v1_5 with SHA-256 over the signing input as received."""
    from skillpass.keys.multibase import b64url_decode

    signing_input, _, encoded = token.rpartition(".")
    try:
        signature = b64url_decode(encoded, max_bytes=MAX_SIGNATURE_BYTES, what="the signature")
        public_key.verify(signature, signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
    except (BadInputError, InvalidSignature):
        raise InvalidError("the signed badge's signature does not verify",
                           "it was changed after signing, or signed by another key", code="E_SIG_INVALID") from None


def validity_of(assertion: dict[str, Any], now: datetime) -> str:
    from skillpass.encoding.dates import period_status

    return period_status(moment(assertion.get("issuedOn")), moment(assertion.get("expires"), end=True), now)


def moment(value: Any, end: bool = False) -> datetime | None:
    """An OB date: an ISO 8601 dateTime (OB 2.0) or, in OB 1.x, a date or a Unix time."""
    from skillpass.encoding.dates import numeric_date, parse

    if value is None:
        return None
    found = numeric_date(value) if isinstance(value, (int, float)) and not isinstance(value, bool) \
        else parse(value, end_of_day=end)
    if found is None:
        raise InvalidError(f"the badge's date {str(value)[:40]!r} is not a date", "ask the issuer for a "
                           "corrected badge", code="E_OB2_DATE")
    return found


def _badge(assertion: dict[str, Any], did_cache: Mapping[str, Any]) -> dict[str, Any]:
    value = assertion.get("badge")
    if isinstance(value, dict):
        return value  # embedded: covered by the signature
    badge = documents.kept(did_cache, value, documents.BADGE)
    if badge is None:
        raise documents.missing("BadgeClass", value)
    return badge


def _not_assertion(reason: str) -> BadInputError:
    return BadInputError(f"not an Open Badges 2.0 assertion: {reason}",
                         "give the badge as the issuer sent it (.json, a signed badge, or the baked image)",
                         code="E_OB2")
