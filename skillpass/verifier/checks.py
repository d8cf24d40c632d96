"""The verifier's checks, each a function that returns (status, detail[, code]) or raises the
SkillpassError that failed it, and the collector that keeps them in order with the worst outcome.

The order, the names and what each one checks are documented in skillpass/verifier/__init__.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from skillpass.errors import InvalidError, SkillpassError, UnverifiableError
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
    credential_report,
    status_entries,
    types_of,
)

if TYPE_CHECKING:
    from skillpass.jsonld.loader import ContextStore
    from skillpass.suites.proof import ProofResult
    from skillpass.trust import TrustList
    from skillpass.formats.ldp_vc.verify import CredentialVerification

# Each credential is canonicalized and checked on its own, and the holder's proof covers them all:
# this bound keeps any presentation under the size limit answered in about a second.
MAX_CREDENTIALS = 100
_NOT_CHECKED = "not checked: the credential's proof did not verify"


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


@dataclass
class Checks:
    """Collects checks in order and the worst outcome they imply."""

    items: list[Check] = field(default_factory=list)
    invalid: bool = False
    unverifiable: bool = False

    def add(self, name: str, status: str, detail: str, code: str | None = None,
            hint: str | None = None) -> Check:
        check = Check(name, status, detail, code, hint)
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


# -- presentation level --------------------------------------------------------------------------


def holder_proof_checks(checks: Checks, unverified: Any, kind: str | None, holder: str | None,
                        options: Options) -> list[ProofResult] | None:
    """'holder proof', 'challenge', 'domain'; the verified holder proofs, or None."""
    if kind != "presentation":
        checks.add("holder proof", NOT_APPLICABLE, "a lone credential has no holder proof")
        for name, expected in (("challenge", options.challenge), ("domain", options.domain)):
            _unanswerable(checks, name, expected, "a lone credential answers no " + name)
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
            _unanswerable(checks, name, expected, f"an unsigned presentation answers no {name}")
        else:
            checks.add(name, NOT_APPLICABLE, "not checked: the holder proof did not verify")
    return verified


def _unanswerable(checks: Checks, name: str, expected: str | None, reason: str) -> None:
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
    shown = ", ".join(_show(value) for value in found)
    if expected is None:
        if name == "domain":
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


def credential_checks(checks: Checks, number: int, unverified_credential: Any,
                      kind: str | None, holder: str | None,
                      options: Options) -> CredentialReport:
    prefix = f"credential {number}"
    start = len(checks.items)
    found: list[CredentialVerification] = []
    checks.run(f"{prefix} proof", lambda: _check_proof(unverified_credential, options, found))
    verification = found[0] if found else None
    if verification is None:
        for name in ("disclosure", "validity", "status", "holder binding", "issuer trust"):
            checks.add(f"{prefix} {name}", NOT_APPLICABLE, _NOT_CHECKED)
        trusted_name = None
    else:
        checks.run(f"{prefix} disclosure",
                   lambda: _check_disclosure(unverified_credential, kind == "presentation"))
        checks.run(f"{prefix} validity", lambda: _check_validity(unverified_credential, options))
        checks.run(f"{prefix} status", lambda: _check_status(unverified_credential))
        checks.run(f"{prefix} holder binding",
                   lambda: _check_binding(unverified_credential, kind, holder, options))
        trusted_name = _trust_checks(checks, f"{prefix} issuer trust", verification.issuer, options)
    return credential_report(number, unverified_credential, trusted_name,
                             tuple(checks.items[start:]))


def _check_proof(unverified_credential: Any, options: Options,
                 found: list[CredentialVerification]) -> tuple[str, ...]:
    from skillpass.formats.ldp_vc.verify import verify_credential

    _require_credential(unverified_credential)
    verification = verify_credential(unverified_credential, store=options.store,
                                     did_cache=options.did_cache, now=options.now,
                                     allow_expired=True)
    found.append(verification)
    suites_used = ", ".join(sorted({p.suite for p in verification.proofs}))
    return PASSED, f"signed by its issuer {verification.issuer} ({suites_used})"


def _require_credential(item: Any) -> None:
    from skillpass.errors import BadInputError

    if isinstance(item, str) or (isinstance(item, dict)
                                 and "EnvelopedVerifiableCredential" in types_of(item)):
        raise UnverifiableError("JWT and enveloped credentials are not supported yet",
                                "ask for a JSON-LD credential with a Data Integrity proof",
                                code="E_FORMAT_UNSUPPORTED")
    if not isinstance(item, dict) or "VerifiableCredential" not in types_of(item):
        raise BadInputError("not a verifiable credential: no VerifiableCredential type",
                            "the presentation must carry W3C verifiable credentials",
                            code="E_NOT_CREDENTIAL")


def _check_disclosure(unverified_credential: Any, in_presentation: bool) -> tuple[str, ...]:
    from skillpass.suites.ecdsa_sd_2023 import is_base_proof

    proof = unverified_credential.get("proof") if isinstance(unverified_credential, dict) else None
    proofs = [p for p in (proof if isinstance(proof, list) else [proof]) if isinstance(p, dict)]
    if not proofs:
        return NOT_APPLICABLE, "the credential has no proof"
    if any(is_base_proof(p) for p in proofs):
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


def _check_validity(unverified_credential: dict[str, Any], options: Options) -> tuple[str, ...]:
    from skillpass.formats.ldp_vc.verify import validity_period

    start = unverified_credential.get("validFrom", unverified_credential.get("issuanceDate"))
    end = unverified_credential.get("validUntil", unverified_credential.get("expirationDate"))
    validity = validity_period(unverified_credential, options.now)
    if validity == "expired":
        raise InvalidError(f"the credential expired on {end}",
                           "ask the holder for a current credential", code="E_EXPIRED")
    if validity == "not yet valid":
        raise InvalidError(f"the credential is not valid before {start}",
                           "check again once it is valid", code="E_NOT_YET_VALID")
    period = " ".join(filter(None, (start and f"from {start}", end and f"until {end}")))
    return PASSED, f"valid {period}" if period else "valid (no validity period given)"


def _check_status(unverified_credential: dict[str, Any]) -> tuple[str, ...]:
    """A status list may say the credential was revoked; not checked yet, so never 'passed'."""
    entries = status_entries(unverified_credential)
    if not entries:
        return NOT_APPLICABLE, "the credential names no status list"
    named = "; ".join(" ".join(str(v) for v in entry.values() if v) for entry in entries)
    return (WARNING, f"not checked: the credential names a status list ({named}); skillpass "
            "does not check status lists yet, so it may have been revoked or suspended",
            "E_STATUS_NOT_CHECKED")


def _check_binding(unverified_credential: dict[str, Any], kind: str | None, holder: str | None,
                   options: Options) -> tuple[str, ...]:
    if kind != "presentation":
        return NOT_APPLICABLE, "a lone credential has no holder"
    subject = unverified_credential.get("credentialSubject")
    subjects = subject if isinstance(subject, list) else [subject]
    ids = [s.get("id") for s in subjects if isinstance(s, dict) and isinstance(s.get("id"), str)]
    if holder is not None and holder in ids:
        return PASSED, f"the credential's subject is the holder {holder}"
    reason = (f"the credential's subject {', '.join(ids)} is not the holder {holder or '(none)'}"
              if ids else "the credential does not name its subject (no credentialSubject.id)")
    code = "E_NOT_BOUND" if ids else "E_NO_SUBJECT_ID"
    if options.allow_unbound:
        return WARNING, f"{reason} (allowed)", code
    raise InvalidError(reason, "the credential may belong to someone else; to accept it anyway, "
                       "verify with --allow-unbound", code=code)


def _trust_checks(checks: Checks, name: str, issuer: str, options: Options) -> str | None:
    """The issuer trust check; the trust list's name for the issuer when trusted."""
    trusted_name = options.trust.name_of(issuer) if options.trust is not None else None
    if trusted_name is not None:
        checks.add(name, PASSED, f"trusted issuer: {trusted_name} ({issuer})")
        return trusted_name
    hint = (f"if you trust this issuer: skillpass trust add {issuer} --name NAME"
            if issuer.startswith("did:") else "only issuers identified by a DID can be trusted")
    if options.require_trusted:
        checks.failed(name, InvalidError(f"the issuer {issuer} is not in the trust list", hint,
                                         code="E_UNTRUSTED_ISSUER"))
    else:
        checks.add(name, WARNING, f"the issuer {issuer} is not in the trust list",
                   "E_UNTRUSTED_ISSUER", hint)
    return None
