"""What a verifier is shown of an Open Badge 2.0: the assertion itself (its JSON, its signed JWS,
or the image it was baked into), checked with the same checks as every other format. A signed
badge verifies with the issuer's documents given (`verify --did FILE`) or kept (`dids add`); a
hosted badge is never verified ("not verified (hosted badge)", outcome unverifiable, exit 10)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from skillpass.errors import UnverifiableError
from skillpass.formats.base import HOSTED_BADGE
from skillpass.formats.ob2.assertion import Received, Verified, read, verify_signed
from skillpass.verifier.checks import (
    Checks,
    lone_credential_report,
    period_check,
    status_check,
)
from skillpass.verifier.report import NOT_APPLICABLE, PASSED, credential_report

if TYPE_CHECKING:
    from skillpass.verifier.checks import Options
    from skillpass.verifier.report import Check, CredentialReport, VerificationReport


def verify_presented(raw: bytes, options: Options) -> VerificationReport:
    """A lone OB 2.0 assertion: there is no presentation, so the holder checks do not apply."""
    received = read(raw)
    kind = "a signed" if received.token is not None else "a hosted"
    checks = Checks()
    checks.add("presentation format", PASSED,
               f"{kind} Open Badges 2.0 assertion, not a presentation: holder checks do not apply")
    return lone_credential_report(checks, Ob2Credential(received), options)


class Ob2Credential:
    """An OB 2.0 assertion as one credential of skillpass/verifier's checks."""

    def __init__(self, received: Received) -> None:
        self.received = received
        self.issuer: str | None = None
        self.verified: Verified | None = None

    def proof(self, options: Options) -> tuple[str, ...]:
        if self.received.token is None and self.received.verification_type != "signed":
            raise UnverifiableError(f"{HOSTED_BADGE}: a hosted badge is verified only by fetching it "
                                    "again from its issuer, which skillpass never does",
                                    "ask the holder for a signed badge, or check it at the issuer's address "
                                    "yourself", code="E_HOSTED_BADGE")
        self.verified = verify_signed(self.received, options.did_cache, options.now)
        self.issuer = self.verified.issuer
        return PASSED, f"signed by its issuer {self.issuer} (OB 2.0 signed badge, RS256, {self.verified.key_id})"

    def disclosure(self, in_presentation: bool) -> tuple[str, ...]:
        return PASSED, "the whole badge, as issued (OB 2.0 has no selective disclosure)"

    def validity(self, options: Options) -> tuple[str, ...]:
        assert self.verified is not None
        assertion = self.verified.assertion
        return period_check(self.verified.validity, assertion.get("issuedOn"), assertion.get("expires"))

    def status(self, options: Options) -> tuple[str, ...]:
        return status_check(self._status_entries(), self.issuer, options)

    def binding(self, kind: str | None, holder: str | None, options: Options) -> tuple[str, ...]:
        return NOT_APPLICABLE, ("a lone badge has no holder; OB 2.0 names its recipient by an email "
                                "(hash), which only the recipient can confirm")

    def report(self, number: int, trusted_name: str | None, checks: tuple[Check, ...]) -> CredentialReport:
        assertion = self.received.unverified_assertion
        report = credential_report(number, assertion, trusted_name, checks)
        summary = self._summary()
        return replace(report, issuer=self.issuer or summary.issuer.id, types=("Assertion",),
                       title=summary.title.default or None, status=self._status_entries())

    def _summary(self) -> Any:
        from skillpass.formats.ob2.summary import summary_of

        if self.verified is not None:
            return summary_of(self.verified.assertion, self.verified.badge, self.verified.profile)
        return summary_of(self.received.unverified_assertion, None, None)

    def _status_entries(self) -> tuple[dict[str, Any], ...]:
        return tuple(entry.to_dict() for entry in self._summary().status)
