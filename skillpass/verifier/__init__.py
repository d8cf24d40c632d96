"""The verifier's role: check a verifiable presentation, or one credential, offline, and report.

`verify_presentation` never raises for what it finds: every problem becomes a failed check
carrying the error's code, message and hint. Only programming errors escape. It needs no wallet:
contexts come from a ContextStore, DID documents from a mapping, trusted issuers from a TrustList.

Checks, always in this order (a lone credential gets the same list, holder checks 'not applicable'):

    presentation format            a JSON object, a VerifiablePresentation (or a credential),
                                   W3C contexts known here, 1 to MAX_CREDENTIALS credentials
    holder proof                   every proof verifies, proofPurpose authentication, by a key of
                                   `holder`; a presentation without one fails unless allow_unsigned
    challenge, domain              the holder proof carries the ones given (a replay fails);
                                   no challenge given is a warning, no domain 'not applicable';
                                   one given to an unsigned VP or a lone credential fails
    credential N proof             every proof verifies, by a key of its issuer (any suite)
    credential N disclosure        inside a presentation only derived ecdsa-sd-2023 proofs (or
                                   whole-credential suites): a credential as issued (base) fails
    credential N validity          validFrom/validUntil (issuanceDate/expirationDate) around `now`
    credential N status            each credentialStatus entry looked up in the status lists given
                                   (verify --status-list, or kept in the wallet): revoked or
                                   suspended fails; no list, or one out of date, is a warning
    credential N holder binding    a credentialSubject.id equals the holder (warning if allow_unbound)
    credential N issuer trust      the issuer is in the trust list: unknown is a warning, or a
                                   failure with require_trusted

N counts from 1. Checks that rest on a proof that failed are 'not applicable' (challenge and
domain on the holder proof; disclosure, validity, status, binding and trust on the credential's
proof): nothing is reported 'passed' about a credential whose proof did not verify.
`outcome` is 'invalid' when a check failed for cause (tampered, wrong challenge, expired,
untrusted with require_trusted...), else 'unverifiable' when a check could not be made here
(unknown context, unsupported suite, unknown DID), else 'verified' (warnings allowed).

The report and its `--json` document are in `report`, the checks themselves in `checks`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from importlib import import_module
from typing import TYPE_CHECKING, Any

from skillpass.verifier.checks import (
    MAX_CREDENTIALS,
    Checks,
    Options,
    check_format,
    credential_checks,
    holder_id,
    holder_proof_checks,
    presented_credential,
    report_of,
)
from skillpass.verifier.report import (
    FAILED,
    INVALID,
    MAX_DISCLOSED,
    NOT_APPLICABLE,
    PASSED,
    UNVERIFIABLE,
    VERIFIED,
    WARNING,
    Check,
    CredentialReport,
    Disclosed,
    VerificationReport,
    types_of,
)

if TYPE_CHECKING:
    from skillpass.jsonld.loader import ContextStore
    from skillpass.trust import TrustList

__all__ = ["FAILED", "INVALID", "MAX_CREDENTIALS", "MAX_DISCLOSED", "NOT_APPLICABLE", "PASSED",
           "UNVERIFIABLE", "VERIFIED", "WARNING", "Check", "CredentialReport", "Disclosed",
           "VerificationReport", "read_presentation", "verify_input", "verify_presentation"]


def read_presentation(raw: bytes) -> Any:
    """Parse presentation bytes with the strict JSON parser: BadInputError when they are not
    JSON, UnverifiableError E_FORMAT_UNSUPPORTED naming a format recognised but not read yet."""
    from skillpass.formats.detect import JSON, detect, unsupported
    from skillpass.ingest import parse_json

    found = detect(raw)
    if found != JSON:
        raise unsupported(found)
    return parse_json(raw)


def verify_input(raw: bytes, *, store: ContextStore, did_cache: Mapping[str, dict[str, Any]],
                 trust: TrustList | None, challenge: str | None, domain: str | None,
                 allow_unbound: bool = False, require_trusted: bool = False,
                 metadata: Mapping[str, Any] | None = None, max_age: timedelta | None = None,
                 now: datetime, status_lists: Mapping[str, Any] | None = None,
                 status_obtained: Mapping[str, str] | None = None) -> VerificationReport:
    """Check what a verifier was given, in whichever format it is: a JSON-LD presentation or
    credential, an SD-JWT VC (with its KB-JWT), a JWT presentation, a lone VC-JWT, a QR code's
    text (VPQR, or a sequence of parts), or the presentation a passport page carries. Raises
    only for input that is no presentation at all (not JSON, malformed, a format not read)."""
    from skillpass.errors import BadInputError
    from skillpass.formats.detect import HTML, JSON, JWT, QR_PARTS, SD_JWT, VPQR, detect

    options = Options(store, did_cache, trust, challenge, domain, allow_unbound, require_trusted,
                      False, now, metadata or {}, max_age or timedelta(minutes=5), status_lists or {},
                      status_obtained or {})
    found = detect(raw)
    if found in ("png", "svg"):  # a baked badge: the credential inside, as if it were the file
        from skillpass.formats.baked import baked_credential

        raw = baked_credential(raw)
        found = detect(raw)
    if found in _OTHER_FORMATS:
        return import_module(_OTHER_FORMATS[found]).verify_presented(raw, options)  # type: ignore[no-any-return]
    if found in (VPQR, QR_PARTS):
        from skillpass.qr.payload import decoded

        raw = decoded(raw, store)
        found = detect(raw)
    if found == HTML:
        from dataclasses import replace

        from skillpass.verifier.page import FROM_PAGE, presentation_in_page

        raw = presentation_in_page(raw)
        if detect(raw) != JSON:
            raise BadInputError("the presentation in this web page is not JSON",
                                "ask the holder for the page again", code="E_NO_PRESENTATION_IN_PAGE")
        report = check_presentation(read_presentation(raw), options)
        source = Check("source", WARNING, FROM_PAGE, "E_FROM_PAGE")
        return replace(report, checks=(source, *report.checks), warnings=(f"source: {FROM_PAGE}", *report.warnings))
    if found in (SD_JWT, JWT):
        text = _compact_text(raw)
        if found == JWT and _is_ob2_jws(text):
            from skillpass.formats.ob2.presented import verify_presented as verify_ob2

            return verify_ob2(raw, options)
        if found == SD_JWT:
            from skillpass.formats.sd_jwt_vc.presented import verify_presented as verify_sd_jwt

            return verify_sd_jwt(text, options)
        from skillpass.formats.vc_jwt.presented import verify_presented as verify_jwt

        return verify_jwt(text, options)
    if found != JSON:
        read_presentation(raw)  # names the format
    document = read_presentation(raw)
    from skillpass.formats.ob2.detect import is_assertion

    if is_assertion(document):
        from skillpass.formats.ob2.presented import verify_presented as verify_ob2

        return verify_ob2(raw, options)
    return check_presentation(document, options)


# Formats with no presentation of their own, checked as the credential they are.
_OTHER_FORMATS = {"mattr-compact": "skillpass.formats.mattr_cwt.presented",
                  "xml": "skillpass.formats.mycreds.presented"}


def _is_ob2_jws(text: str) -> bool:
    # Not through jose.read_compact: its VC-JWT policy refuses RS256, the OB 2.0 algorithm.
    from skillpass.formats.ob2.detect import signed_assertion

    return signed_assertion(text) is not None


def _compact_text(raw: bytes) -> str:
    return raw.decode("ascii").strip()  # detect matched base64url characters and dots only


def verify_presentation(unverified: Any, *, store: ContextStore,
                        did_cache: Mapping[str, dict[str, Any]], trust: TrustList | None,
                        challenge: str | None, domain: str | None, allow_unbound: bool = False,
                        require_trusted: bool = False, allow_unsigned: bool = False,
                        now: datetime) -> VerificationReport:
    """Check a parsed presentation (or a lone credential) and report every check; never raises
    a SkillpassError."""
    return check_presentation(unverified, Options(store, did_cache, trust, challenge, domain, allow_unbound,
                                                  require_trusted, allow_unsigned, now))


def check_presentation(unverified: Any, options: Options) -> VerificationReport:
    """verify_presentation with its options gathered."""
    checks = Checks()
    kind = _kind(unverified)
    credentials: list[Any] = []
    # 1. format: a VP (or VC) in published, known contexts, carrying credentials
    format_check = checks.run("presentation format",
                              lambda: check_format(unverified, kind, credentials, options.store))
    if kind is None or format_check.code == "E_TOO_MANY_CREDENTIALS":
        return report_of(checks, kind, None, options, [])  # nothing more is worth the work
    holder = holder_id(unverified) if kind == "presentation" else None
    # 2. the holder's proof, then the challenge and domain it answers
    holder_proof_checks(checks, unverified, kind, holder, options)
    # 3. each credential: proof, disclosure, validity, holder binding, issuer trust
    reports = [credential_checks(checks, number, presented_credential(credential), kind, holder, options)
               for number, credential in enumerate(credentials, start=1)]
    return report_of(checks, kind, holder, options, reports)


def _kind(unverified: Any) -> str | None:
    types = types_of(unverified) if isinstance(unverified, dict) else ()
    if "VerifiablePresentation" in types:
        return "presentation"
    return "credential" if "VerifiableCredential" in types else None
