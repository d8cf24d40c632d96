"""The verifier's checks, each a function that returns (status, detail[, code]) or raises the
SkillpassError that failed it, and the collector that keeps them in order with the worst outcome.

The order, the names and what each one checks are documented in skillpass/verifier/__init__.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from skillpass.errors import InvalidError, SkillpassError, UnverifiableError, bounded
from skillpass.verifier.report import (
    FAILED,
    INVALID,
    NOT_APPLICABLE,
    PASSED,
    UNVERIFIABLE,
    VERIFIED,
    WARNING,
    Check,
    CredentialReport,
    VerificationReport,
)

if TYPE_CHECKING:
    from skillpass.jsonld.loader import ContextStore
    from skillpass.suites.proof import ProofResult
    from skillpass.trust import TrustList

# Each credential is canonicalized and checked on its own, and the holder's proof covers them all:
# this bound keeps any presentation under the size limit answered in about a second.
MAX_CREDENTIALS = 100


@dataclass(frozen=True)
class Options:
    """What `verify_presentation` was given to check against."""

    store: ContextStore
    did_cache: Mapping[str, dict[str, Any]]
    trust: TrustList | None
    challenge: str | None
    domain: str | None
    allow_unbound: bool
    require_trusted: bool
    allow_unsigned: bool
    now: datetime
    metadata: Mapping[str, Any] = field(default_factory=dict)  # JWT VC Issuer Metadata by issuer
    max_age: timedelta = timedelta(minutes=5)  # how old a KB-JWT or JWT presentation may be
    status_lists: Mapping[str, Any] = field(default_factory=dict)  # skillpass.status.StatusList by URL
    status_obtained: Mapping[str, str] = field(default_factory=dict)  # when a kept list was obtained

    @property
    def trusted(self) -> Any:
        """The keys JWT-shaped credentials are checked with (formats.issuer_keys.Trusted)."""
        from skillpass.formats.issuer_keys import Trusted

        return Trusted(self.did_cache, self.metadata)


@dataclass
class Checks:
    """Collects checks in order and the worst outcome they imply."""

    items: list[Check] = field(default_factory=list)
    invalid: bool = False
    unverifiable: bool = False

    def add(self, name: str, status: str, detail: str, code: str | None = None,
            hint: str | None = None) -> Check:
        check = Check(name, status, bounded(detail), code, bounded(hint) if hint is not None else None)
        self.items.append(check)
        return check

    def failed(self, name: str, error: SkillpassError) -> Check:
        if isinstance(error, UnverifiableError):
            self.unverifiable = True
        else:
            self.invalid = True
        return self.add(name, FAILED, error.message, error.code, error.hint)

    def run(self, name: str, check: Callable[[], tuple[str, ...]]) -> Check:
        """Run one check: it returns (status, detail[, code]) or raises the SkillpassError that
        failed it."""
        try:
            status, detail, *code = check()
        except SkillpassError as error:
            return self.failed(name, error)
        return self.add(name, status, detail, code[0] if code else None)

    def outcome(self) -> str:
        return INVALID if self.invalid else UNVERIFIABLE if self.unverifiable else VERIFIED


def check_format(unverified: Any, kind: str | None, credentials: list[Any],
                 store: ContextStore) -> tuple[str, ...]:
    from skillpass.errors import BadInputError
    from skillpass.formats.ldp_vc.verify import check_contexts

    if kind is None:
        raise BadInputError("not a verifiable presentation or credential: expected a JSON object "
                            "of type VerifiablePresentation or VerifiableCredential",
                            "give the presentation file the holder sent", code="E_NOT_PRESENTATION")
    if kind == "credential":  # its contexts are the proof check's
        credentials.append(unverified)
        return PASSED, "a single verifiable credential, not a presentation: holder checks do not apply"
    inner = unverified.get("verifiableCredential")
    credentials.extend(inner if isinstance(inner, list) else [] if inner is None else [inner])
    if len(credentials) > MAX_CREDENTIALS:
        count = len(credentials)
        del credentials[:]
        raise UnverifiableError(f"the presentation carries {count} credentials; skillpass checks at "
                                f"most {MAX_CREDENTIALS} in one presentation",
                                "ask for the credentials in several presentations",
                                code="E_TOO_MANY_CREDENTIALS")
    check_contexts(unverified, store)
    if not credentials:
        raise InvalidError("the presentation carries no credential",
                           "ask the holder to share at least one credential", code="E_NO_CREDENTIAL")
    count = len(credentials)
    return PASSED, f"a verifiable presentation with {count} credential{'s' * (count != 1)}"


def holder_id(presentation: dict[str, Any]) -> str | None:
    holder = presentation.get("holder")
    value = holder.get("id") if isinstance(holder, dict) else holder
    return value if isinstance(value, str) and value else None


# -- the report -----------------------------------------------------------------------------------


def report_of(checks: Checks, kind: str | None, holder: str | None, options: Options,
            credentials: list[CredentialReport]) -> VerificationReport:
    from skillpass.encoding.dates import format_utc

    checked = format_utc(options.now)
    warnings = tuple(f"{c.name}: {c.detail}" for c in checks.items if c.status == WARNING)
    return VerificationReport(checks.outcome(), kind, holder, checked, tuple(checks.items),
                              tuple(credentials), warnings)


# -- presentation level --------------------------------------------------------------------------


def holder_proof_checks(checks: Checks, unverified: Any, kind: str | None, holder: str | None,
                        options: Options) -> list[ProofResult] | None:
    """'holder proof', 'challenge', 'domain'; the verified holder proofs, or None."""
    if kind != "presentation":
        checks.add("holder proof", NOT_APPLICABLE, "a lone credential has no holder proof")
        for name, expected in (("challenge", options.challenge), ("domain", options.domain)):
            unanswerable(checks, name, expected,
                         "a lone credential answers no challenge" if name == "challenge"
                         else "a lone credential answers no domain")
        return None
    results: list[ProofResult] = []
    signed = unverified.get("proof") is not None
    proof_check = checks.run("holder proof",
                             lambda: _check_holder_proof(unverified, holder, options, results))
    verified = results if proof_check.status == PASSED else None
    for name, expected in (("challenge", options.challenge), ("domain", options.domain)):
        if verified is not None:
            checks.run(name, lambda name=name: _check_answer(name, verified, options))
        elif not signed:
            unanswerable(checks, name, expected,
                         "an unsigned presentation answers no challenge" if name == "challenge"
                         else "an unsigned presentation answers no domain")
        else:
            checks.add(name, NOT_APPLICABLE, "not checked: the holder proof did not verify")
    return verified


def unanswerable(checks: Checks, name: str, expected: str | None, reason: str) -> None:
    """'challenge' or 'domain' of a document that cannot answer it; `reason` is written whole for
    each name (scripts/messages.py extracts it: a sentence built from `name` could not be French)."""
    if expected is None:
        checks.add(name, NOT_APPLICABLE, f"no {name} was asked for")
    else:
        checks.failed(name, InvalidError(f"{reason}, and {expected!r} was asked for",
                                         "ask the holder for a presentation signed for this "
                                         "request", code="E_" + name.upper()))


def _check_holder_proof(unverified: dict[str, Any], holder: str | None, options: Options,
                        results: list[ProofResult]) -> tuple[str, ...]:
    from skillpass import suites

    if unverified.get("proof") is None:
        if options.allow_unsigned:
            return WARNING, "the presentation is not signed by its holder (allowed)", "E_UNSIGNED"
        raise InvalidError("presentation is not signed by its holder",
                           "ask the holder to sign it (skillpass share signs presentations)",
                           code="E_UNSIGNED")
    if holder is None:
        raise InvalidError("the presentation names no holder",
                           "a presentation must name its holder and be signed by the holder's key",
                           code="E_NO_HOLDER")
    results.extend(suites.verify_proofs(unverified, expected_purpose="authentication",
                                        controller=holder, store=options.store,
                                        did_cache=options.did_cache, now=options.now))
    suites_used = ", ".join(sorted({r.suite for r in results}))
    return PASSED, f"signed by the holder {holder} ({suites_used}, authentication)"


def _check_answer(name: str, verified: list[ProofResult], options: Options) -> tuple[str, ...]:
    """The holder proofs carry the challenge (or domain) the verifier asked for."""
    if name == "challenge":
        expected, found = options.challenge, [r.challenge for r in verified]
        ok = all(value == expected for value in found)
    else:
        expected, found = options.domain, [r.domain for r in verified]
        ok = all(value is not None and set(value) == {expected} for value in found)
    return answer_check(name, expected, found, ok)


def answer_check(name: str, expected: str | None, found: list[Any], ok: bool) -> tuple[str, ...]:
    """'challenge' or 'domain': what the presentation answers (`found`), and whether it is what
    the verifier asked for (`ok`)."""
    shown = ", ".join(_show(value) for value in found)
    if expected is None:
        if name == "domain":
            if all(value is None for value in found):
                return NOT_APPLICABLE, "no domain was asked for, and the presentation names none"
            return NOT_APPLICABLE, f"no domain was asked for (the presentation names {shown})"
        return WARNING, (f"not checked: no challenge was given, so a replayed presentation "
                         f"cannot be told apart (the presentation answers {shown})"), "E_NO_CHALLENGE"
    if not ok:
        hint = ("this presentation answers another request (or is replayed)" if name == "challenge"
                else "this presentation was made for another verifier")
        raise InvalidError(f"the presentation's {name} {shown} is not {expected!r}", hint,
                           code="E_" + name.upper())
    return PASSED, f"the presentation answers {name} {expected!r}"


def _show(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, tuple):
        return ", ".join(map(repr, value)) or "(none)"
    return repr(value)


# -- credential level ----------------------------------------------------------------------------


class PresentedCredential(Protocol):
    """One credential as a verifier was shown it, in its format (formats/*/presented.py): each
    method is one check, returning (status, detail[, code]) or raising the error that failed it."""

    issuer: str | None  # known once `proof` passed

    def proof(self, options: Options) -> tuple[str, ...]: ...

    def disclosure(self, in_presentation: bool) -> tuple[str, ...]: ...

    def validity(self, options: Options) -> tuple[str, ...]: ...

    def status(self, options: Options) -> tuple[str, ...]: ...

    def binding(self, kind: str | None, holder: str | None, options: Options) -> tuple[str, ...]: ...

    def report(self, number: int, trusted_name: str | None, checks: tuple[Check, ...]) -> CredentialReport: ...


def presented_credential(item: Any) -> PresentedCredential:
    """The format a credential inside a presentation is in: a JSON-LD object, or a VC-JWT (a
    compact string, or an EnvelopedVerifiableCredential holding one)."""
    from skillpass.formats.ldp_vc.presented import LdpCredential
    from skillpass.formats.vc_jwt.presented import JwtCredential, enveloped_token

    if isinstance(item, str):
        return JwtCredential(item)
    token = enveloped_token(item)
    if token is not None:
        return JwtCredential(token)
    return LdpCredential(item)


def lone_credential_report(checks: Checks, credential: PresentedCredential, options: Options) -> VerificationReport:
    """The report on a credential checked on its own (a badge, a record: the caller has added its
    `presentation format` check): there is no holder, so the holder checks do not apply."""
    holder_proof_checks(checks, None, "credential", None, options)
    reports = [credential_checks(checks, 1, credential, "credential", None, options)]
    return report_of(checks, "credential", None, options, reports)


def credential_checks(checks: Checks, number: int, credential: PresentedCredential,
                      kind: str | None, holder: str | None, options: Options) -> CredentialReport:
    prefix = f"credential {number}"
    start = len(checks.items)
    proof = checks.run(f"{prefix} proof", lambda: credential.proof(options))
    if proof.status != PASSED or credential.issuer is None:
        for name in ("disclosure", "validity", "status", "holder binding", "issuer trust"):
            checks.add(f"{prefix} {name}", NOT_APPLICABLE, "not checked: the credential's proof did not verify")
        trusted_name = None
    else:
        checks.run(f"{prefix} disclosure", lambda: credential.disclosure(kind == "presentation"))
        checks.run(f"{prefix} validity", lambda: credential.validity(options))
        checks.run(f"{prefix} status", lambda: credential.status(options))
        checks.run(f"{prefix} holder binding", lambda: credential.binding(kind, holder, options))
        trusted_name = trust_check(checks, f"{prefix} issuer trust", credential.issuer, options)
    return credential.report(number, trusted_name, tuple(checks.items[start:]))


def status_check(entries: tuple[dict[str, Any], ...], issuer: str | None, options: Options) -> tuple[str, ...]:
    """What the status lists at hand say of the credential's entries (summary.StatusEntry as
    dicts: type, purpose, list, index) issued by `issuer`: revoked or suspended fails it; a list
    nobody gave (or out of date) is a warning, never 'passed'."""
    if not entries:
        return NOT_APPLICABLE, "the credential names no status list"
    from skillpass.status import REVOKED, SUSPENDED, VALID
    from skillpass.status.lookup import status_of

    results = [status_of(entry, issuer, options.status_lists, options.now, options.status_obtained)
               for entry in entries]
    for state, code in ((REVOKED, "E_REVOKED"), (SUSPENDED, "E_SUSPENDED")):
        found = next((r for r in results if r.state == state), None)
        if found is not None:
            raise InvalidError(f"the issuer has {state} this credential ({found.detail})",
                               "ask the holder for a current credential", code=code)
    if all(r.state == VALID for r in results):
        unsigned = [r.list for r in results if not getattr(options.status_lists.get(r.list or ""), "signed", True)]
        if unsigned:  # 1EdTech / OB 2.0 lists: only what the list says about itself names its issuer
            return (WARNING, "; ".join(r.detail for r in results) + f"; the list {unsigned[0]} is not signed: "
                    "it is only as trustworthy as where you got it", "E_STATUS_UNSIGNED")
        return PASSED, "; ".join(r.detail for r in results)
    unchecked = "; ".join(r.detail for r in results if r.state != VALID)
    return WARNING, f"not checked: {unchecked}", "E_STATUS_NOT_CHECKED"


def period_check(validity: str, start: Any, end: Any) -> tuple[str, ...]:
    """The validity period check, from the period's status and its bounds as written."""
    if validity == "expired":
        raise InvalidError(f"the credential expired on {end}",
                           "ask the holder for a current credential", code="E_EXPIRED")
    if validity == "not yet valid":
        raise InvalidError(f"the credential is not valid before {start}",
                           "check again once it is valid", code="E_NOT_YET_VALID")
    if start and end:  # each sentence whole, so that the catalog has it
        return PASSED, f"valid from {start} until {end}"
    if start:
        return PASSED, f"valid from {start}"
    if end:
        return PASSED, f"valid until {end}"
    return PASSED, "valid (no validity period given)"


def subject_binding(ids: list[str], kind: str | None, holder: str | None, options: Options) -> tuple[str, ...]:
    """Holder binding by subject id: a credentialSubject.id (a VC-JWT's `sub`) is the holder."""
    if kind != "presentation":
        return NOT_APPLICABLE, "a lone credential has no holder"
    if holder is not None and holder in ids:
        return PASSED, f"the credential's subject is the holder {holder}"
    code = "E_NOT_BOUND" if ids else "E_NO_SUBJECT_ID"
    unbound = InvalidError(f"the credential's subject {', '.join(ids)} is not the holder {holder or '(none)'}"
                           if ids else "the credential does not name its subject (no credentialSubject.id)",
                           "the credential may belong to someone else; to accept it anyway, "
                           "verify with --allow-unbound", code=code)
    if options.allow_unbound:
        return WARNING, f"{unbound.message} (allowed)", code
    raise unbound


def trust_check(checks: Checks, name: str, issuer: str, options: Options) -> str | None:
    """The issuer trust check; the trust list's name for the issuer when trusted."""
    trusted_name = options.trust.name_of(issuer) if options.trust is not None else None
    if trusted_name is not None:
        checks.add(name, PASSED, f"trusted issuer: {trusted_name} ({issuer})")
        return trusted_name
    hint = (f"if you trust this issuer: skillpass trust add {issuer} --name NAME"
            if issuer.startswith("did:") else
            "if you trust this issuer: skillpass trust add --metadata FILE --name NAME, with the "
            "metadata it serves at /.well-known/jwt-vc-issuer" if issuer.startswith("https://")
            else "only issuers identified by a DID or an https address can be trusted")
    if options.require_trusted:
        checks.failed(name, InvalidError(f"the issuer {issuer} is not in the trust list", hint,
                                         code="E_UNTRUSTED_ISSUER"))
    else:
        checks.add(name, WARNING, f"the issuer {issuer} is not in the trust list",
                   "E_UNTRUSTED_ISSUER", hint)
    return None
