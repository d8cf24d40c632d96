"""A test issuer's status list: a BitstringStatusListCredential (W3C Bitstring Status List v1.0
§2.2) with chosen indices set, signed by the same issuer as the credentials naming it, so that
`skillpass status add` can revoke (or suspend) one."""

from __future__ import annotations

import base64
import gzip
from datetime import datetime
from typing import Any

from skillpass.errors import UsageError
from skillpass.issuing.keys import TestIssuerKey
from skillpass.issuing.sign import Issued, key_type_for, sign_data_integrity
from skillpass.issuing.template import TEST_DESCRIPTION, VC2, test_profile

MIN_ENTRIES = 131_072  # §3.2: at least 16 KB of entries, so one credential hides among many
PURPOSES = ("revocation", "suspension")


def encoded_list(indices: tuple[int, ...], size: int = MIN_ENTRIES) -> str:
    """§3.1 "Generate Algorithm": GZIP of the bitstring (index 0 is the first byte's most
    significant bit), multibase base64url without padding ('u')."""
    bits = bytearray(size // 8)
    for index in indices:
        if not 0 <= index < size:
            raise UsageError(f"status index {index} is outside the list (0 to {size - 1})",
                             "give an index the credential's entry names", code="E_USAGE")
        bits[index // 8] |= 0x80 >> (index % 8)
    return "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits), mtime=0)).decode("ascii").rstrip("=")


def status_list_credential(url: str, indices: tuple[int, ...], *, issuer_did: str, issuer_name: str,
                           now: datetime, purpose: str = "revocation",
                           valid_until: datetime | None = None) -> dict[str, Any]:
    """The unsigned list credential: its id is the URL credentials name in statusListCredential."""
    from skillpass.encoding.dates import format_utc

    if purpose not in PURPOSES:
        raise UsageError(f"unknown status purpose {purpose!r}", "choose revocation or suspension", code="E_USAGE")
    credential: dict[str, Any] = {
        "@context": [VC2], "id": url, "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": _profile(issuer_did, issuer_name), "validFrom": format_utc(now),
        "description": TEST_DESCRIPTION,
        "credentialSubject": {"id": f"{url}#list", "type": "BitstringStatusList", "statusPurpose": purpose,
                              "encodedList": encoded_list(indices)}}
    if valid_until is not None:
        credential["validUntil"] = format_utc(valid_until)
    return credential


def sign_status_list(url: str, indices: tuple[int, ...], key: TestIssuerKey, *, now: datetime,
                     suite: str = "eddsa-rdfc-2022", purpose: str = "revocation",
                     valid_until: datetime | None = None, issuer_name: str | None = None) -> Issued:
    """The list signed by `key` with `suite` (a VC 2.0 Data Integrity suite): the issuer's DID is
    the one its credentials signed with that key type carry."""
    if suite in ("ecdsa-sd-2023", "sd-jwt-vc", "mattr-compact", "Ed25519Signature2018", "Ed25519Signature2020"):
        raise UsageError(f"a status list is signed with a VC 2.0 suite, not {suite}",
                         "use eddsa-rdfc-2022 or ecdsa-rdfc-2019 (the issuer's key of that type)", code="E_USAGE")
    kind = key_type_for(suite)
    unsigned = status_list_credential(url, indices, issuer_did=key.did(kind), issuer_name=issuer_name or key.name,
                                      now=now, purpose=purpose, valid_until=valid_until)
    return sign_data_integrity(unsigned, key, suite, now=now)


def _profile(did: str, name: str) -> dict[str, Any]:
    """The test issuer as the VC 2.0 context alone can say it: no OB 3.0 Profile type."""
    return {k: v for k, v in test_profile(None, did, name).items() if k != "type"}
