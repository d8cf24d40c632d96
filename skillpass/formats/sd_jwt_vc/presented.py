"""An SD-JWT VC as a verifier is shown it, with its KB-JWT, checked with the same checks and
reported in the same document as every other format (skillpass/verifier/__init__.py):

    presentation format      an SD-JWT (RFC 9901 §4), its disclosures counted
    holder proof             the KB-JWT: kb+jwt, signed by the cnf key, sd_hash over what was
                             presented, made within --max-age (§7.3); missing is a failure
                             (a warning with --allow-unbound)
    challenge, domain        the KB-JWT's nonce and aud
    credential 1 proof       typ dc+sd-jwt, the issuer's signature (its key from a DID or kept
                             issuer metadata), every disclosure against its digest (§7.1), vct
    credential 1 disclosure  how many disclosures were presented
    credential 1 validity    exp and nbf, with a small clock skew
    credential 1 status      a `status` claim (a token status list): revoked or suspended fails, no list a warning
    credential 1 holder binding  the KB-JWT's key is the cnf key the issuer bound it to
    credential 1 issuer trust    the issuer (`iss`) in the trust list
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from skillpass.errors import InvalidError, SkillpassError
from skillpass.verifier.checks import (
    Checks,
    answer_check,
    credential_checks,
    period_check,
    report_of,
    status_check,
    unanswerable,
)
from skillpass.verifier.report import NOT_APPLICABLE, PASSED, WARNING, credential_report

if TYPE_CHECKING:
    from skillpass.formats.sd_jwt_vc.vc import Issued, KeyBinding
    from skillpass.verifier.checks import Options
    from skillpass.verifier.report import Check, CredentialReport, VerificationReport

_NOT_SHOWN = frozenset({"cnf"})  # key material, not something the holder discloses


def verify_presented(text: str, options: Options) -> VerificationReport:
    from skillpass.formats.sd_jwt_vc import sd_jwt, vc

    sd = sd_jwt.parse(text)  # malformed: raised, as for any input that is no presentation
    checks = Checks()
    count, plural = len(sd.disclosures), "s" * (len(sd.disclosures) != 1)
    checks.add("presentation format", PASSED,
               f"an SD-JWT VC with {count} disclosure{plural} and a key binding JWT" if sd.kb_jwt
               else f"an SD-JWT VC with {count} disclosure{plural} without a key binding JWT")
    credential = SdJwtCredential(text)
    try:
        credential.issued = vc.verify_issued(sd, options.trusted, options.now)  # split once, above
    except SkillpassError as exc:
        credential.error = exc
    _key_binding_checks(checks, credential, options)
    reports = [credential_checks(checks, 1, credential, "presentation", None, options)]
    return report_of(checks, "presentation", None, options, reports)


def _key_binding_checks(checks: Checks, credential: SdJwtCredential, options: Options) -> None:
    from skillpass.formats.sd_jwt_vc import vc

    issued = credential.issued
    if issued is None:
        checks.add("holder proof", NOT_APPLICABLE, "not checked: the credential's issuer signature did not verify")
        for name in ("challenge", "domain"):
            checks.add(name, NOT_APPLICABLE, "not checked: the holder proof did not verify")
        return
    if issued.sd.kb_jwt is None and options.allow_unbound:
        checks.add("holder proof", WARNING, "presented without a key binding JWT (allowed)", "E_KB_MISSING")
        for name, expected in (("challenge", options.challenge), ("domain", options.domain)):
            unanswerable(checks, name, expected,
                         "an SD-JWT without key binding answers no challenge" if name == "challenge"
                         else "an SD-JWT without key binding answers no domain")
        return
    found: list[KeyBinding] = []

    def holder_proof() -> tuple[str, ...]:
        found.append(vc.verify_key_binding(issued, options.now, options.max_age))
        age = int((options.now - found[0].iat).total_seconds())
        return PASSED, (f"key binding JWT signed by the key the issuer bound the credential to (cnf), "
                        f"made {max(age, 0)} s ago")

    if checks.run("holder proof", holder_proof).status != PASSED:
        for name in ("challenge", "domain"):
            checks.add(name, NOT_APPLICABLE, "not checked: the holder proof did not verify")
        return
    binding = credential.key_binding = found[0]
    checks.run("challenge", lambda: answer_check("challenge", options.challenge, [binding.nonce],
                                                 binding.nonce == options.challenge))
    checks.run("domain", lambda: answer_check("domain", options.domain, [(binding.aud,)],
                                              binding.aud == options.domain))


class SdJwtCredential:
    """The SD-JWT VC itself: its proof is the issuer's signature and the disclosures."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.issued: Issued | None = None
        self.error: SkillpassError | None = None
        self.key_binding: KeyBinding | None = None

    @property
    def issuer(self) -> str | None:
        return self.issued.issuer if self.issued is not None else None

    def proof(self, options: Options) -> tuple[str, ...]:
        if self.error is not None:
            raise self.error
        assert self.issued is not None
        count = len(self.issued.sd.disclosures)
        return PASSED, (f"signed by its issuer {self.issued.issuer} (SD-JWT, {self.issued.sd.issuer_jwt.alg}); "
                        f"{count} disclosure{'s' * (count != 1)} match{'es' * (count == 1)} its digests")

    def disclosure(self, in_presentation: bool) -> tuple[str, ...]:
        assert self.issued is not None
        shown = len(self.issued.processed.paths)
        return PASSED, f"selective disclosure: {shown} selectively disclosable claim{'s' * (shown != 1)} shown"

    def validity(self, options: Options) -> tuple[str, ...]:
        from skillpass.encoding.dates import from_numeric_date

        assert self.issued is not None
        claims = self.issued.claims
        return period_check(self.issued.validity, from_numeric_date(claims.get("nbf")),
                            from_numeric_date(claims.get("exp")))

    def status(self, options: Options) -> tuple[str, ...]:
        return status_check(self._status_entries(), self.issuer, options)

    def binding(self, kind: str | None, holder: str | None, options: Options) -> tuple[str, ...]:
        assert self.issued is not None
        if self.key_binding is not None:
            return PASSED, "the key binding JWT is signed by the key the issuer bound the credential to"
        if self.issued.holder_jwk is None:
            if options.allow_unbound:
                return WARNING, "the issuer bound the credential to no key (no cnf) (allowed)", "E_KB_NO_CNF"
            raise InvalidError("the issuer bound the credential to no key (no cnf): nothing ties it to "
                               "whoever presents it", "to accept it anyway, verify with --allow-unbound",
                               code="E_KB_NO_CNF")
        if options.allow_unbound:
            return WARNING, "not shown to be presented by its holder (no key binding JWT) (allowed)", "E_KB_MISSING"
        return NOT_APPLICABLE, "not checked: the holder proof (key binding) did not verify"

    def report(self, number: int, trusted_name: str | None, checks: tuple[Check, ...]) -> CredentialReport:
        if self.issued is None:
            return credential_report(number, None, trusted_name, checks)
        claims = {k: v for k, v in self.issued.claims.items() if k not in _NOT_SHOWN}
        shown = credential_report(number, claims, trusted_name, checks)
        disclosed = tuple(replace(d, label="Name") if d.path == "/name" else d for d in shown.disclosed)
        return replace(shown, issuer=self.issued.issuer, types=(self.issued.vct,), disclosed=disclosed,
                       status=self._status_entries())

    def _status_entries(self) -> tuple[dict[str, Any], ...]:
        from skillpass.summary.jwt import token_status
        from skillpass.summary.reader import Budget, Reader

        assert self.issued is not None
        return tuple(entry.to_dict() for entry in token_status(self.issued.claims.get("status"), Reader(Budget())))
