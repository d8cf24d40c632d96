"""A test issuer: fresh did:key keys and credentials signed by skillpass's own signing functions."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from skillpass.keys import multikey

SUITE_KEYS = {
    "eddsa-rdfc-2022": "Ed25519", "eddsa-jcs-2022": "Ed25519", "Ed25519Signature2020": "Ed25519",
    "Ed25519Signature2018": "Ed25519", "ecdsa-rdfc-2019": "P-256", "ecdsa-jcs-2019": "P-256",
    "ecdsa-sd-2023": "P-256",
}
V1_SUITES = ("Ed25519Signature2018", "Ed25519Signature2020")


@dataclass(frozen=True)
class Issuer:
    did: str
    private_key: Any

    @property
    def verification_method(self) -> str:
        return f"{self.did}#{self.did.removeprefix('did:key:')}"


def new_issuer(key_type: str = "Ed25519") -> Issuer:
    if key_type == "Ed25519":
        key: Any = ed25519.Ed25519PrivateKey.generate()
    else:
        key = ec.generate_private_key(ec.SECP384R1() if key_type == "P-384" else ec.SECP256R1())
    return Issuer("did:key:" + multikey.encode_public_key(key.public_key()), key)


def ob3(name: str = "Intro to Data Analysis", *, issuer: Issuer, v1: bool = False,
        subject: str | None = None, n: int = 1, **extra: Any) -> dict[str, Any]:
    """An unsigned Open Badges 3.0 credential (VC 2.0, or VC 1.1 as older OB3 issuers wrote)."""
    credential: dict[str, Any] = {
        "@context": (["https://www.w3.org/2018/credentials/v1",
                      "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"] if v1 else
                     ["https://www.w3.org/ns/credentials/v2",
                      "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]),
        "id": f"urn:uuid:6a3b6f4e-1c2d-4e5f-8a9b-{n:012d}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": name,
        "issuer": {"id": issuer.did, "type": ["Profile"], "name": "Collège Boréal"},
        ("issuanceDate" if v1 else "validFrom"): "2026-01-15T00:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://boreal.example/achievements/data-analysis", "type": ["Achievement"],
                "name": name, "description": "Cleaning, summarising and charting tabular data.",
                "criteria": {"narrative": "Passed the final assessment with 70% or more."},
                "alignment": [{"type": ["Alignment"], "targetName": "Data analysis",
                               "targetUrl": "https://example.org/skills/data-analysis",
                               "targetFramework": "Ontario Skills Framework", "targetCode": "DA-1"}],
            },
        },
    }
    if subject:
        credential["credentialSubject"]["id"] = subject
    credential.update(extra)
    return credential


def sign(credential: dict[str, Any], issuer: Issuer, suite: str, *, store: Any = None,
         mandatory: tuple[str, ...] = ("/issuer",), created: str = "2026-01-15T00:00:00Z") -> dict[str, Any]:
    from skillpass import suites

    document = copy.deepcopy(credential)
    if suite == "ecdsa-sd-2023":
        from skillpass.suites.ecdsa_sd_2023 import create_base_proof

        return create_base_proof(document, private_key=issuer.private_key,
                                 verification_method=issuer.verification_method,
                                 mandatory_pointers=list(mandatory), created=created, store=store)
    return suites.sign(document, suite=suite, private_key=issuer.private_key,
                       verification_method=issuer.verification_method, created=created, store=store)


def signed_ob3(suite: str, name: str = "Intro to Data Analysis", **kwargs: Any) -> tuple[dict[str, Any], Issuer]:
    issuer = new_issuer(SUITE_KEYS[suite])
    credential = ob3(name, issuer=issuer, v1=suite in V1_SUITES, **kwargs)
    return sign(credential, issuer, suite), issuer


def types_in(node: Any) -> set[str]:
    """Every `type` value in a credential (or presentation), proofs aside: what a verifier sees
    of its types."""
    if isinstance(node, list):
        return {t for item in node for t in types_in(item)}
    if not isinstance(node, dict):
        return set()
    own = node.get("type", [])
    return ({own} if isinstance(own, str) else set(own)) | {
        t for key, value in node.items() if key not in ("type", "proof") for t in types_in(value)}
