"""What a verifier is shown in JWT form: a JWT presentation (`jwt_vp_json`) or a lone VC-JWT,
checked with the same checks and reported in the same document as every other format
(skillpass/verifier/__init__.py lists them). A VC-JWT inside a JSON-LD presentation (a string,
or an EnvelopedVerifiableCredential) is checked here too, credential by credential."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from skillpass.errors import InvalidError, SkillpassError, UnverifiableError
from skillpass.verifier.checks import (
    MAX_CREDENTIALS,
    Checks,
    answer_check,
    credential_checks,
    holder_proof_checks,
    period_check,
    presented_credential,
    report_of,
    status_check,
    subject_binding,
)
from skillpass.verifier.report import PASSED, NOT_APPLICABLE, credential_report, status_entries

if TYPE_CHECKING:
    from skillpass.formats.vc_jwt.credential import Issued
    from skillpass.verifier.checks import Options
    from skillpass.verifier.report import Check, CredentialReport, VerificationReport

_ENVELOPED_PREFIXES = ("data:application/vc+jwt,", "data:application/jwt,")


def verify_presented(token: str, options: Options) -> VerificationReport:
    """A JWT presentation, or a lone VC-JWT (its holder checks 'not applicable')."""
    from skillpass.formats import jose

    claims = jose.payload_json(jose.read_compact(token, "JWT"), "JWT")
    if "vp" not in claims:
        checks = Checks()
        checks.add("presentation format", PASSED,
                   "a single VC-JWT credential, not a presentation: holder checks do not apply")
        holder_proof_checks(checks, None, "credential", None, options)
        reports = [credential_checks(checks, 1, JwtCredential(token), "credential", None, options)]
        return report_of(checks, "credential", None, options, reports)
    return _presentation(token, claims, options)


def _presentation(token: str, claims: dict[str, Any], options: Options) -> VerificationReport:
    from skillpass.formats.vc_jwt.presentation import verify_presented as verify_holder

    checks = Checks()
    credentials: list[Any] = []
    holder = claims.get("iss") if isinstance(claims.get("iss"), str) else None
    checks.run("presentation format", lambda: _format(claims, credentials))
    if not credentials:
        return report_of(checks, "presentation", holder, options, [])
    found: list[Any] = []
    proof = checks.run("holder proof", lambda: _holder_proof(verify_holder(token, options.trusted, options.now),
                                                              options, found))
    if proof.status == PASSED:
        presented = found[0]
        audiences = [a for a in (presented.aud if isinstance(presented.aud, list) else [presented.aud])
                     if isinstance(a, str)]
        checks.run("challenge", lambda: answer_check("challenge", options.challenge, [presented.nonce],
                                                     presented.nonce == options.challenge))
        checks.run("domain", lambda: answer_check("domain", options.domain, [tuple(audiences)],
                                                  options.domain in audiences))
    else:
        for name in ("challenge", "domain"):
            checks.add(name, NOT_APPLICABLE, "not checked: the holder proof did not verify")
    reports = [credential_checks(checks, number, presented_credential(item), "presentation", holder, options)
               for number, item in enumerate(credentials, start=1)]
    return report_of(checks, "presentation", holder, options, reports)


def _format(claims: dict[str, Any], credentials: list[Any]) -> tuple[str, ...]:
    vp = claims["vp"]
    inner = vp.get("verifiableCredential") if isinstance(vp, dict) else None
    items = inner if isinstance(inner, list) else [] if inner is None else [inner]
    if len(items) > MAX_CREDENTIALS:
        raise UnverifiableError(f"the presentation carries {len(items)} credentials; skillpass checks at "
                                f"most {MAX_CREDENTIALS} in one presentation",
                                "ask for the credentials in several presentations", code="E_TOO_MANY_CREDENTIALS")
    if not items:
        raise InvalidError("the presentation carries no credential",
                           "ask the holder to share at least one credential", code="E_NO_CREDENTIAL")
    credentials.extend(items)
    return PASSED, f"a JWT presentation with {len(items)} credential{'s' * (len(items) != 1)}"


def _holder_proof(presented: Any, options: Options, found: list[Any]) -> tuple[str, ...]:
    if presented.iat is not None and options.now - presented.iat > options.max_age:
        raise InvalidError(f"the JWT presentation was made at {presented.iat:%Y-%m-%dT%H:%M:%SZ}, too long ago",
                           "ask the holder for a fresh presentation (or raise --max-age)", code="E_VP_STALE")
    found.append(presented)
    return PASSED, f"signed by the holder {presented.holder} (JWT, {presented.key})"


def enveloped_token(item: Any) -> str | None:
    """The VC-JWT an EnvelopedVerifiableCredential carries in its data: URL (VC-JOSE-COSE §3.2)."""
    if not isinstance(item, dict) or not isinstance(item.get("id"), str):
        return None
    kinds = item.get("type")
    if "EnvelopedVerifiableCredential" not in (kinds if isinstance(kinds, list) else [kinds]):
        return None
    return next((item["id"][len(p):] for p in _ENVELOPED_PREFIXES if item["id"].startswith(p)), None)


class JwtCredential:
    """A VC-JWT as a verifier is shown it: one credential of skillpass/verifier's checks."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.issuer: str | None = None
        self.issued: Issued | None = None

    def proof(self, options: Options) -> tuple[str, ...]:
        from skillpass.formats import jose
        from skillpass.formats.vc_jwt.credential import verify_issued

        if "~" in self.token:
            raise UnverifiableError("an SD-JWT inside a presentation, where its key binding cannot be "
                                    "checked", "ask for the SD-JWT VC on its own", code="E_FORMAT_UNSUPPORTED")
        self.issued = verify_issued(self.token, options.trusted, options.now)
        self.issuer = self.issued.issuer
        return PASSED, f"signed by its issuer {self.issuer} (VC-JWT, {jose.read_compact(self.token).alg})"

    def disclosure(self, in_presentation: bool) -> tuple[str, ...]:
        from skillpass.formats import jose

        return PASSED, f"the whole credential, as issued (VC-JWT, {jose.read_compact(self.token).alg})"

    def validity(self, options: Options) -> tuple[str, ...]:
        assert self.issued is not None
        credential = self.issued.credential
        return period_check(self.issued.validity, credential.get("validFrom", credential.get("issuanceDate")),
                            credential.get("validUntil", credential.get("expirationDate")))

    def status(self, options: Options) -> tuple[str, ...]:
        assert self.issued is not None
        return status_check(status_entries(self.issued.credential), self.issuer, options)

    def binding(self, kind: str | None, holder: str | None, options: Options) -> tuple[str, ...]:
        from skillpass.present.holder import subject_ids

        assert self.issued is not None
        return subject_binding(list(subject_ids(self.issued.credential)), kind, holder, options)

    def report(self, number: int, trusted_name: str | None, checks: tuple[Check, ...]) -> CredentialReport:
        return credential_report(number, self.issued.credential if self.issued else _unverified(self.token),
                                 trusted_name, checks)


def _unverified(token: str) -> Any:
    """What the token says, for the report of a credential whose proof failed (None if unreadable)."""
    from skillpass.formats import jose
    from skillpass.formats.vc_jwt.credential import credential_of

    try:
        jws = jose.read_compact(token)
        return credential_of(jose.payload_json(jws), jws.header.get("typ"))
    except SkillpassError:
        return None
