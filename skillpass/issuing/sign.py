"""Signing what a test issuer issues, one function per format, each calling skillpass's own
signing code: skillpass.suites.sign (every Data Integrity and legacy suite), ecdsa_sd_2023's
base proof, sd_jwt_vc.issue, and mattr_cwt's COSE_Sign1.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from skillpass.errors import UsageError
from skillpass.issuing.keys import TestIssuerKey

# suite or format -> the key type it signs with
SUITE_KEYS = {
    "eddsa-rdfc-2022": "Ed25519", "eddsa-jcs-2022": "Ed25519", "Ed25519Signature2020": "Ed25519",
    "Ed25519Signature2018": "Ed25519", "ecdsa-rdfc-2019": "P-256", "ecdsa-jcs-2019": "P-256",
    "ecdsa-sd-2023": "P-256", "sd-jwt-vc": "P-256", "mattr-compact": "P-256",
}
SUITES = tuple(SUITE_KEYS)
V1_SUITES = ("Ed25519Signature2018", "Ed25519Signature2020")  # VC 1.1 credentials
SD_JWT, MATTR = "sd-jwt-vc", "mattr-compact"
FORMATS = {SD_JWT: "dc+sd-jwt", MATTR: "mattr-cwt"}  # else ldp_vc
DEFAULT_MANDATORY = ("/issuer",)


@dataclass(frozen=True)
class Issued:
    """A signed credential: a JSON document (JSON-LD) or a text (SD-JWT, MATTR compact)."""

    credential: dict[str, Any] | str
    format: str  # ldp_vc | dc+sd-jwt | mattr-cwt
    suite: str
    issuer: str  # the issuer's DID
    verification_method: str


def check_suite(suite: str) -> str:
    if suite not in SUITE_KEYS:
        raise UsageError(f"unknown suite {suite!r}", "choose one of: " + ", ".join(SUITES), code="E_SUITE_UNKNOWN")
    return suite


def key_type_for(suite: str) -> str:
    return SUITE_KEYS[check_suite(suite)]


def sign_data_integrity(credential: dict[str, Any], key: TestIssuerKey, suite: str, *, now: datetime,
                        store: Any = None) -> Issued:
    """A Data Integrity (or Ed25519Signature2018/2020) proof by skillpass.suites.sign."""
    from skillpass import suites
    from skillpass.encoding.dates import format_utc

    kind = key_type_for(suite)
    method = key.verification_method(kind)
    signed = suites.sign(copy.deepcopy(credential), suite=suite, private_key=key.private_key(kind),
                         verification_method=method, created=format_utc(now), store=store)
    return Issued(signed, "ldp_vc", suite, key.did(kind), method)


def sign_ecdsa_sd_2023(credential: dict[str, Any], key: TestIssuerKey, *, mandatory: tuple[str, ...] = (),
                       now: datetime, store: Any = None) -> Issued:
    """An ecdsa-sd-2023 base proof (VC DI ECDSA §3.3.1); `mandatory` pointers are always
    disclosed (the issuer always is: a verifier must know who signed)."""
    from skillpass.suites.ecdsa_sd_2023 import create_base_proof

    pointers = list(dict.fromkeys((*DEFAULT_MANDATORY, *mandatory)))
    for pointer in pointers:
        if not pointer.startswith("/"):
            raise UsageError(f"--mandatory {pointer!r} is not a JSON pointer",
                             "give pointers such as /issuer or /credentialSubject/achievement/name",
                             code="E_USAGE")
    method = key.verification_method("P-256")
    signed = create_base_proof(copy.deepcopy(credential), private_key=key.private_key("P-256"),
                               verification_method=method, mandatory_pointers=pointers, created=now,
                               store=store)
    return Issued(signed, "ldp_vc", "ecdsa-sd-2023", key.did("P-256"), method)


def sign_sd_jwt_vc(claims: dict[str, Any], key: TestIssuerKey, *, disclosable: tuple[str, ...] = (),
                   holder_jwk: dict[str, Any] | None = None) -> Issued:
    """An SD-JWT VC (sd_jwt_vc.issue), ES256 under the issuer's did:key or did:web key;
    `disclosable` are claim paths ("given_name", "address.locality", "skills[1]")."""
    from skillpass.formats.sd_jwt_vc.issue import issue

    paths = [_claim_path(text, claims) for text in disclosable]
    method = key.verification_method("P-256")
    token = issue(claims, paths, key.private_key("P-256"), kid=method, holder_jwk=holder_jwk)
    return Issued(token, FORMATS[SD_JWT], SD_JWT, key.did("P-256"), method)


def sign_mattr_compact(claims: dict[Any, Any], key: TestIssuerKey) -> Issued:
    """A MATTR compact credential: CBOR claims in a COSE_Sign1 (ES256), base32 after CSC:/1/;
    its issuer must be a did:web (MATTR's verifiers resolve nothing else)."""
    import cbor2

    from skillpass.formats.mattr_cwt import cose, cwt
    from skillpass.issuing.keys import FRAGMENTS

    if not key.did_web:
        raise UsageError(f"a MATTR compact credential needs a did:web issuer; {key.name} is a did:key",
                         "use another --issuer-key name (made as a did:web on first use with "
                         "mattr-compact), or give --did-web HOST when it is made", code="E_ISSUER_NOT_WEB")
    signed = cose.sign1(cbor2.dumps(claims), key.private_key("P-256"), FRAGMENTS["P-256"].encode())
    return Issued(cwt.encode_text(signed), FORMATS[MATTR], MATTR, key.did("P-256"),
                  key.verification_method("P-256"))


def _claim_path(text: str, claims: dict[str, Any]) -> tuple[str | int, ...]:
    """"a.b[1]" as ("a", "b", 1), checked against the claims."""
    import re

    path: list[str | int] = []
    for part in text.split("."):
        match = re.fullmatch(r"([^\[\]]+)((?:\[\d+\])*)", part)
        if match is None:
            raise _bad_claim(text)
        path.append(match[1])
        path += [int(i) for i in re.findall(r"\[(\d+)\]", match[2])]
    value: Any = claims
    for step in path:
        try:
            value = value[step]
        except (KeyError, IndexError, TypeError):
            raise _bad_claim(text) from None
    if path[0] in ("iss", "vct", "test_issuer", "issuer_name", "iat", "nbf", "exp", "status", "cnf"):
        raise UsageError(f"--disclosable {text}: the claim is always disclosed",
                         "the issuer, type, dates, status and test label stay visible", code="E_USAGE")
    return tuple(path)


def _bad_claim(text: str) -> UsageError:
    return UsageError(f"--disclosable {text!r} names no claim of the credential",
                      "give a claim path such as achievement.name or skills[0]", code="E_USAGE")
