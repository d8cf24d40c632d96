"""Where a JWT-shaped credential's issuer key comes from (formats/issuer_keys.py): a key named by
a DID must belong to the token's `iss`, whatever `iss` is. SD-JWT VCs, VC-JWTs and token status
lists all ask issuer_key, so this is the one place a forged issuer would get through."""

from __future__ import annotations

import base64
import json

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from skillpass.errors import InvalidError
from skillpass.formats.issuer_keys import Trusted, issuer_key


def _did_jwk() -> str:
    numbers = ec.generate_private_key(ec.SECP256R1()).public_key().public_numbers()

    def b64(value: int) -> str:
        return base64.urlsafe_b64encode(value.to_bytes(32, "big")).decode().rstrip("=")

    jwk = {"kty": "EC", "crv": "P-256", "x": b64(numbers.x), "y": b64(numbers.y)}
    return "did:jwk:" + base64.urlsafe_b64encode(json.dumps(jwk).encode()).decode().rstrip("=")


NOTHING_KEPT = Trusted({}, {})


def test_a_did_key_named_beside_an_https_issuer_is_not_that_issuers_key() -> None:
    did = _did_jwk()  # anyone can make one
    with pytest.raises(InvalidError) as refused:
        issuer_key({"alg": "ES256", "kid": f"{did}#0"}, "https://college.example", NOTHING_KEPT)
    assert refused.value.code == "E_CONTROLLER_MISMATCH"


def test_a_did_key_of_another_did_issuer_is_refused() -> None:
    with pytest.raises(InvalidError) as refused:
        issuer_key({"alg": "ES256", "kid": f"{_did_jwk()}#0"}, _did_jwk(), NOTHING_KEPT)
    assert refused.value.code == "E_CONTROLLER_MISMATCH"


@pytest.mark.parametrize("same_issuer", [True, False])
def test_the_did_itself_or_no_iss_is_the_key_named(same_issuer: bool) -> None:
    did = _did_jwk()
    found = issuer_key({"alg": "ES256", "kid": f"{did}#0"}, did if same_issuer else None, NOTHING_KEPT)
    assert found.source == f"{did}#0"
