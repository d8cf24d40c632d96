"""A MyCreds XML record as a verifier is handed it, reported with the same checks and in the same
document as every other format (skillpass/verifier/__init__.py):

    presentation format          a MyCreds learner record, not a presentation
    holder proof, challenge, domain   'not applicable' (a challenge or domain asked for fails)
    credential 1 proof           fails, unverifiable: the record carries no signature
    credential 1 disclosure, validity, status, holder binding, issuer trust
                                 'not applicable': nothing rests on a proof that is not there

The outcome is therefore always 'unverifiable' (exit 10), and the report still lists what the
record says, so that a verifier sees what they were given and why it proves nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

from skillpass.errors import UnverifiableError
from skillpass.verifier.checks import (
    Checks,
    lone_credential_report,
)
from skillpass.verifier.report import PASSED, CredentialReport, Disclosed

if TYPE_CHECKING:
    from skillpass.formats.mycreds.record import MyCredsRecord
    from skillpass.verifier.checks import Options
    from skillpass.verifier.report import Check, VerificationReport


def verify_presented(raw: bytes, options: Options) -> VerificationReport:
    """Raises for XML that is no MyCreds record (the format error) or a malformed one."""
    from skillpass.formats.mycreds.record import parse_record

    record = parse_record(raw)
    checks = Checks()
    checks.add("presentation format", PASSED, "a MyCreds XML learner record (unsigned), not a presentation: "
                                              "holder checks do not apply")
    return lone_credential_report(checks, MyCredsCredential(record), options)


class MyCredsCredential:
    """The record: its proof check fails, so no other check of it is made."""

    issuer: str | None = None  # never known: nothing verified who made the record

    def __init__(self, record: MyCredsRecord) -> None:
        self.record = record

    def proof(self, options: Options) -> tuple[str, ...]:
        raise UnverifiableError("a MyCreds XML record carries no signature",
                                "ask the learner for the verifiable credential, or verify the certified "
                                "PDF in MyCreds", code="E_NOT_VERIFIABLE")

    def disclosure(self, in_presentation: bool) -> tuple[str, ...]:
        _unreachable()

    def validity(self, options: Options) -> tuple[str, ...]:
        _unreachable()

    def status(self, options: Options) -> tuple[str, ...]:
        _unreachable()

    def binding(self, kind: str | None, holder: str | None, options: Options) -> tuple[str, ...]:
        _unreachable()

    def report(self, number: int, trusted_name: str | None, checks: tuple[Check, ...]) -> CredentialReport:
        from skillpass.formats.mycreds.format import KIND
        from skillpass.formats.mycreds.record import leaves

        disclosed = tuple(Disclosed(leaf.pointer, leaf.label, leaf.value) for leaf in leaves(self.record))
        title = self.record.awards[0].title
        # The issuer as the record names it (unverified, as for any credential whose proof failed).
        return CredentialReport(number, self.record.organisation.body_id, None, False, (KIND,), title,
                                disclosed, checks)


def _unreachable() -> NoReturn:
    raise AssertionError("credential_checks makes no check past a failed proof")
