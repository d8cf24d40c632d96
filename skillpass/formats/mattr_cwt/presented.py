"""What a verifier is shown as a MATTR compact credential (its CSC:/1/ or CSS:/1/ text, or the
QR code of it), checked with the same checks and reported in the same document as every other
format (skillpass/verifier/__init__.py lists them).

It is a bearer credential: there is no presentation and no holder proof around it, so the holder
checks are 'not applicable' and a challenge or domain the verifier asks for cannot be answered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from skillpass.errors import SkillpassError
from skillpass.formats.mattr_cwt import cwt
from skillpass.verifier.checks import Checks, credential_checks, period_check, report_of, status_check, unanswerable
from skillpass.verifier.report import NOT_APPLICABLE, PASSED, CredentialReport, Disclosed

if TYPE_CHECKING:
    from skillpass.verifier.checks import Options
    from skillpass.verifier.report import Check, VerificationReport


def verify_presented(raw: bytes, options: Options) -> VerificationReport:
    """The report on one MATTR compact credential; BadInputError when `raw` is not one at all."""
    compact = cwt.read_compact(raw)
    checks = Checks()
    checks.add("presentation format", PASSED,
               f"a single MATTR compact credential ({compact.prefix}), not a presentation: holder "
               "checks do not apply")
    checks.add("holder proof", NOT_APPLICABLE,
               "a bearer credential: it is bound to no holder and carries no holder proof")
    for name, expected in (("challenge", options.challenge), ("domain", options.domain)):
        unanswerable(checks, name, expected,
                     "a MATTR compact credential answers no challenge" if name == "challenge"
                     else "a MATTR compact credential answers no domain")
    reports = [credential_checks(checks, 1, CompactCredential(compact), "credential", None, options)]
    return report_of(checks, "credential", None, options, reports)


class CompactCredential:
    """A MATTR compact credential as one credential of skillpass/verifier's checks."""

    def __init__(self, compact: cwt.Compact) -> None:
        self.compact = compact
        self.issuer: str | None = None
        self.method: str | None = None

    def proof(self, options: Options) -> tuple[str, ...]:
        method = cwt.verify_token(self.compact.token, options.did_cache)
        self.issuer, self.method = self.compact.token.issuer, method.id
        return PASSED, f"signed by its issuer {self.issuer} (COSE_Sign1 ES256, {method.id})"

    def disclosure(self, in_presentation: bool) -> tuple[str, ...]:
        return PASSED, ("the whole credential, as issued (COSE_Sign1 ES256): the format has no "
                        "selective disclosure")

    def validity(self, options: Options) -> tuple[str, ...]:
        start, end = cwt.period(self.compact.claims)
        return period_check(cwt.validity(self.compact.claims, options.now), start, end)

    def status(self, options: Options) -> tuple[str, ...]:
        return status_check(self._status_entries(), self.issuer, options)

    def binding(self, kind: str | None, holder: str | None, options: Options) -> tuple[str, ...]:
        return NOT_APPLICABLE, ("a bearer credential: it names no holder, so whoever shows it is not "
                                "proven to be the one it was issued to")

    def report(self, number: int, trusted_name: str | None, checks: tuple[Check, ...]) -> CredentialReport:
        from skillpass.formats.mattr_cwt.format import leaves
        from skillpass.present.fields import label_of

        view = cwt.json_view(self.compact.claims)
        title, types = self._title_and_types()
        disclosed = tuple(Disclosed(pointer, label_of(view, pointer), value) for pointer, value in leaves(view))
        return CredentialReport(number, self.issuer or self.compact.token.issuer, trusted_name,
                                trusted_name is not None, types, title, disclosed, checks,
                                self._status_entries())

    def _summary(self) -> Any:
        from skillpass.formats.mattr_cwt.format import summary_of

        try:
            return summary_of(self.compact)
        except SkillpassError:
            return None

    def _status_entries(self) -> tuple[dict[str, Any], ...]:
        summary = self._summary()
        return tuple(entry.to_dict() for entry in summary.status) if summary is not None else ()

    def _title_and_types(self) -> tuple[str | None, tuple[str, ...]]:
        summary = self._summary()
        if summary is None:
            return None, ()
        return summary.title.default or None, tuple(summary.types) or ("MattrCompactCredential",)
