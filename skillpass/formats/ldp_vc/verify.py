"""Verify one W3C verifiable credential, offline: contexts, proofs, validity period.

The order matters for the answer a learner gets: an unsupported proof suite is named first (it
is the most fundamental reason), then an unknown context (with the hint to trust it), then the
proofs themselves, then the dates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from skillpass import suites
from skillpass.encoding import dates
from skillpass.errors import BadInputError, InvalidError
from skillpass.suites.proof import suite_name

if TYPE_CHECKING:
    from skillpass.jsonld.loader import ContextStore
    from skillpass.suites.proof import ProofResult

VC_V1 = "https://www.w3.org/2018/credentials/v1"
VC_V2 = "https://www.w3.org/ns/credentials/v2"


@dataclass(frozen=True)
class CredentialVerification:
    issuer: str
    proofs: tuple[ProofResult, ...]
    checked: str
    validity: str  # 'valid', or 'expired' / 'not yet valid' when imported with --allow-expired

    def to_dict(self) -> dict[str, Any]:
        return {"issuer": self.issuer, "checked": self.checked, "validity": self.validity,
                "proofs": [{"suite": p.suite, "verificationMethod": p.verification_method,
                            "proofPurpose": p.proof_purpose, "created": p.created,
                            "keyType": p.key_type} for p in self.proofs]}


def issuer_id(unverified_credential: dict[str, Any]) -> str:
    issuer = unverified_credential.get("issuer")
    value = issuer.get("id") if isinstance(issuer, dict) else issuer
    if not isinstance(value, str) or not value:
        raise InvalidError("the credential names no issuer", "ask the issuer for a complete credential",
                           code="E_NO_ISSUER")
    return value


def vc_version(unverified_credential: dict[str, Any]) -> str:
    from skillpass.jsonld.canon import context_urls

    return _version_of(context_urls(unverified_credential))


def _version_of(context_urls: list[str]) -> str:
    if context_urls[:1] == [VC_V2]:
        return "2.0"
    if context_urls[:1] == [VC_V1]:
        return "1.1"
    raise BadInputError("the first @context is not a W3C verifiable credentials context",
                        "give a W3C verifiable credential (VC 1.1 or 2.0)", code="E_CONTEXT_FIRST")


def verify_credential(unverified_credential: dict[str, Any], *, store: ContextStore,
                      did_cache: Mapping[str, dict[str, Any]], now: datetime,
                      allow_expired: bool = False) -> CredentialVerification:
    # 1. Every proof's suite must be one we implement (named in the error if not).
    for proof in suites.all_proofs(unverified_credential):
        suites.suite_module(suite_name(proof))
    # 2. Contexts: published ones only, each known here (bundled or trusted by the user).
    check_contexts(unverified_credential, store)
    issuer = issuer_id(unverified_credential)
    # 3. Every proof verifies, by a key of the issuer, for assertionMethod.
    results = suites.verify_proofs(unverified_credential, expected_purpose="assertionMethod",
                                   controller=issuer, store=store, did_cache=did_cache, now=now)
    # 4. The validity period (VC 2.0 validFrom/validUntil, VC 1.1 issuanceDate/expirationDate).
    validity = validity_period(unverified_credential, now)
    if validity != "valid" and not allow_expired:
        raise InvalidError(*_validity_message(unverified_credential, validity),
                           code="E_EXPIRED" if validity == "expired" else "E_NOT_YET_VALID")
    checked = dates.format_utc(now)
    return CredentialVerification(issuer, tuple(results), checked, validity)


def check_contexts(unverified_document: dict[str, Any], store: ContextStore) -> list[str]:
    from skillpass.jsonld.canon import context_urls, has_inline_context

    urls = context_urls(unverified_document)
    _version_of(urls)
    if has_inline_context(unverified_document):
        raise InvalidError("the @context defines terms inline instead of naming published contexts",
                           "skillpass only accepts credentials whose contexts are published URLs",
                           code="E_CONTEXT_INLINE")
    for url in urls:
        store.get(url)  # raises UnverifiableError naming the URL, with the hint to add it
    return urls


def _dates(credential: dict[str, Any]) -> tuple[Any, Any]:
    start = credential.get("validFrom", credential.get("issuanceDate"))
    end = credential.get("validUntil", credential.get("expirationDate"))
    return start, end


def validity_period(credential: dict[str, Any], now: datetime) -> str:
    """'valid', 'expired' or 'not yet valid' (skillpass.encoding.dates: a date alone is a whole day)."""
    try:
        start, end = dates.validity_bounds(*_dates(credential))
    except ValueError as exc:
        raise InvalidError(f"malformed validity date {exc.args[0]!r}",
                           "dates must be XML Schema dateTime values; ask the issuer", code="E_DATE") from None
    return dates.period_status(start, end, now)


def _validity_message(credential: dict[str, Any], validity: str) -> tuple[str, str]:
    start, end = _dates(credential)
    if validity == "expired":
        return f"the credential expired on {end}", "to keep it anyway, import with --allow-expired"
    return f"the credential is not valid before {start}", "to keep it anyway, import with --allow-expired"
