"""A JSON-LD credential as a verifier is shown it: the per-credential checks of
skillpass/verifier (proof, disclosure, validity, status, holder binding) for Data Integrity."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from skillpass.errors import BadInputError, InvalidError, UnverifiableError
from skillpass.verifier.checks import period_check, status_check, subject_binding
from skillpass.verifier.report import NOT_APPLICABLE, PASSED, WARNING, credential_report, status_entries, summary_or_none, types_of

if TYPE_CHECKING:
    from skillpass.verifier.checks import Options
    from skillpass.summary import Summary
    from skillpass.verifier.report import Check, CredentialReport


class LdpCredential:
    def __init__(self, unverified_credential: Any) -> None:
        self.unverified = unverified_credential
        self.issuer: str | None = None
        self._summary: tuple[Summary | None] | None = None  # computed once: status and report use it

    def proof(self, options: Options) -> tuple[str, ...]:
        from skillpass.formats.ldp_vc.verify import verify_credential

        _require_credential(self.unverified)
        verification = verify_credential(self.unverified, store=options.store, did_cache=options.did_cache,
                                         now=options.now, allow_expired=True)
        self.issuer = verification.issuer
        suites_used = ", ".join(sorted({p.suite for p in verification.proofs}))
        return PASSED, f"signed by its issuer {verification.issuer} ({suites_used})"

    def disclosure(self, in_presentation: bool) -> tuple[str, ...]:
        proof = self.unverified.get("proof")
        proofs = [p for p in (proof if isinstance(proof, list) else [proof]) if isinstance(p, dict)]
        if not proofs:
            return NOT_APPLICABLE, "the credential has no proof"
        if _has_base_proof(proofs):
            if not in_presentation:
                return WARNING, ("the credential as issued (ecdsa-sd-2023 base proof): meant for its "
                                 "holder, it discloses every field"), "E_BASE_PROOF"
            raise InvalidError("the credential is presented as issued (an ecdsa-sd-2023 base proof); "
                               "only derived disclosures may be presented",
                               "the holder must derive a disclosure of the chosen fields "
                               "(skillpass share does this)", code="E_BASE_PROOF")
        names = sorted({str(p.get("cryptosuite") or p.get("type")) for p in proofs})
        if "ecdsa-sd-2023" in names:
            return PASSED, "selective disclosure: a derived ecdsa-sd-2023 proof over the shown fields"
        return PASSED, f"the whole credential, as issued ({', '.join(names)})"

    def validity(self, options: Options) -> tuple[str, ...]:
        from skillpass.formats.ldp_vc.verify import validity_period

        credential = self.unverified
        start = credential.get("validFrom", credential.get("issuanceDate"))
        end = credential.get("validUntil", credential.get("expirationDate"))
        return period_check(validity_period(credential, options.now), start, end)

    def status(self, options: Options) -> tuple[str, ...]:
        return status_check(status_entries(self.unverified, self._summary_once()), self.issuer, options)

    def binding(self, kind: str | None, holder: str | None, options: Options) -> tuple[str, ...]:
        from skillpass.present.holder import subject_ids

        return subject_binding(list(subject_ids(self.unverified)), kind, holder, options)

    def report(self, number: int, trusted_name: str | None, checks: tuple[Check, ...]) -> CredentialReport:
        summary = self._summary_once() if isinstance(self.unverified, dict) else None
        return credential_report(number, self.unverified, trusted_name, checks, summary=summary)

    def _summary_once(self) -> Summary | None:
        if self._summary is None:
            self._summary = (summary_or_none(self.unverified),)
        return self._summary[0]


def _require_credential(item: Any) -> None:
    if isinstance(item, dict) and "EnvelopedVerifiableCredential" in types_of(item):
        raise UnverifiableError("an enveloped credential skillpass cannot read (only data: URLs of "
                                "application/vc+jwt)", "ask for the credential itself",
                                code="E_FORMAT_UNSUPPORTED")
    if not isinstance(item, dict) or "VerifiableCredential" not in types_of(item):
        raise BadInputError("not a verifiable credential: no VerifiableCredential type",
                            "the presentation must carry W3C verifiable credentials",
                            code="E_NOT_CREDENTIAL")


def _has_base_proof(proofs: list[dict[str, Any]]) -> bool:
    """Whether a proof is an ecdsa-sd-2023 base proof (the suite is loaded only when one names it)."""
    if not any(p.get("cryptosuite") == "ecdsa-sd-2023" for p in proofs):
        return False
    from skillpass.suites.ecdsa_sd_2023 import is_base_proof

    return any(is_base_proof(p) for p in proofs)
