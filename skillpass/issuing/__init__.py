"""A test issuer, for testers and the demo: credentials in every format skillpass reads, signed by
named test keys, each visibly a test credential in its signed data. Never a real institution's.

    keys      named test issuer keys (Ed25519 and P-256; did:key or did:web), wallet or file
    template  what is signed: OB 3.0 credential, SD-JWT VC claims, MATTR claims; the label
    sign      one function per format or suite, calling skillpass's own signing code
    status    a BitstringStatusListCredential with chosen indices set

`issue` is the one call the command and the demo make; `is_test_issued` recognises the label
in a credential's Summary.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from skillpass.issuing.keys import TestIssuerKey, generate
from skillpass.issuing.sign import (
    FORMATS,
    MATTR,
    SD_JWT,
    SUITES,
    V1_SUITES,
    Issued,
    check_suite,
)
from skillpass.issuing.status import sign_status_list
from skillpass.issuing.template import (
    TEST_CLAIM,
    TEST_DESCRIPTION,
    TEST_SUFFIX,
    TEST_SUFFIX_FR,
    CredentialSpec,
    Skill,
)

if TYPE_CHECKING:
    from skillpass.summary import Summary

__all__ = ["FORMATS", "SUITES", "TEST_CLAIM", "TEST_DESCRIPTION", "TEST_SUFFIX", "CredentialSpec", "Issued",
           "Skill", "TestIssuerKey", "generate", "is_test_issued", "issue", "sign_status_list"]


def issue(spec: CredentialSpec, key: TestIssuerKey, *, suite: str, now: datetime,
          template: dict[str, Any] | None = None, mandatory: tuple[str, ...] = (),
          disclosable: tuple[str, ...] = (), holder_jwk: dict[str, Any] | None = None,
          store: Any = None) -> Issued:
    """A credential of `suite` (a Data Integrity suite, "sd-jwt-vc" or "mattr-compact") from
    `spec` over `template`, signed by `key` and labelled a test credential."""
    from skillpass.errors import UsageError
    from skillpass.issuing import sign
    from skillpass.issuing import template as build

    check_suite(suite)
    if mandatory and suite != "ecdsa-sd-2023":
        raise UsageError("--mandatory is for ecdsa-sd-2023", "leave it out, or use --suite ecdsa-sd-2023")
    if disclosable and suite != SD_JWT:
        raise UsageError("--disclosable is for sd-jwt-vc", "leave it out, or use --suite sd-jwt-vc")
    kind = sign.key_type_for(suite)
    did, name = key.did(kind), spec.issuer_name or key.name
    if suite == SD_JWT:
        claims = build.sd_jwt_claims(spec, template, issuer_did=did, issuer_name=name, now=now)
        return sign.sign_sd_jwt_vc(claims, key, disclosable=disclosable, holder_jwk=holder_jwk)
    if suite == MATTR:
        return sign.sign_mattr_compact(build.mattr_claims(spec, template, issuer_did=did, issuer_name=name,
                                                          now=now), key)
    vc1 = suite in V1_SUITES
    if vc1 and spec.status_list is not None:
        raise UsageError(f"{suite} signs VC 1.1 credentials, whose contexts do not define a "
                         "BitstringStatusListEntry", "use a VC 2.0 suite such as eddsa-rdfc-2022 for a status entry")
    credential = build.ob3_credential(spec, template, issuer_did=did, issuer_name=name, now=now, vc1=vc1)
    if suite == "ecdsa-sd-2023":
        return sign.sign_ecdsa_sd_2023(credential, key, mandatory=mandatory, now=now, store=store)
    return sign.sign_data_integrity(credential, key, suite, now=now, store=store)


def is_test_issued(summary: Summary) -> bool:
    """Whether a credential says it comes from a skillpass test issuer: its issuer's name ends
    with the label (in any language), or it carries the `test_issuer: true` claim."""
    name = summary.issuer.name
    if name is not None and any(text.endswith((TEST_SUFFIX, TEST_SUFFIX_FR))
                                for text in (name.default, *name.langs.values())):
        return True
    return any(claim.path in (f"/{TEST_CLAIM}", f"/vc/credentialSubject/{TEST_CLAIM}")
               and claim.value.default.lower() == "true" for claim in summary.claims)
