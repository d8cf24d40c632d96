"""VC-JWT (VC 1.1 §6.3.1 and VC-JOSE-COSE vc+jwt) and the holder's JWT presentation."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from skillpass.errors import InvalidError, UnverifiableError
from skillpass.formats import jose
from skillpass.formats.vc_jwt import credential as vc_jwt
from skillpass.formats.vc_jwt import presentation as jwt_vp
from skillpass.formats.issuer_keys import Trusted
from skillpass.keys.multikey import encode_public_key

NOW = datetime(2026, 6, 1, tzinfo=UTC)
ISSUER_KEY = ed25519.Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
ISSUER = "did:key:" + encode_public_key(ISSUER_KEY.public_key())
HOLDER_KEY = ec.derive_private_key(0x7E57, ec.SECP256R1())
HOLDER = "did:key:" + encode_public_key(HOLDER_KEY.public_key())
NO_TRUST = Trusted({}, {})
VC = {"@context": ["https://www.w3.org/2018/credentials/v1"], "type": ["VerifiableCredential", "OpenBadgeCredential"],
      "credentialSubject": {"achievement": {"name": "Forklift Operation"}}}


def vc11(**claims: Any) -> str:
    payload = {"iss": ISSUER, "sub": HOLDER, "jti": "urn:uuid:1", "nbf": 1780000000, "vc": VC, **claims}
    return jose.sign({"typ": "JWT", "kid": f"{ISSUER}#{ISSUER[8:]}"}, json.dumps(payload).encode(), ISSUER_KEY)


def test_a_vc_1_1_jwt_verifies_and_reads_as_a_credential() -> None:
    issued = vc_jwt.verify_issued(vc11(), NO_TRUST, NOW)

    assert issued.issuer == ISSUER and issued.validity == "valid"
    assert issued.credential["credentialSubject"]["id"] == HOLDER
    assert issued.credential["issuer"] == ISSUER and issued.credential["id"] == "urn:uuid:1"


def test_a_vc_jose_cose_jwt_is_the_credential_itself() -> None:
    credential = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
                  "issuer": ISSUER, "validFrom": "2026-01-01T00:00:00Z", "validUntil": "2026-03-01T00:00:00Z",
                  "credentialSubject": {"id": HOLDER, "name": "Ana"}}
    token = jose.sign({"typ": "vc+jwt", "kid": f"{ISSUER}#{ISSUER[8:]}"}, json.dumps(credential).encode(), ISSUER_KEY)

    issued = vc_jwt.verify_issued(token, NO_TRUST, NOW)

    assert issued.credential == credential and issued.validity == "expired"


def test_dates_come_from_exp_and_nbf_with_a_skew() -> None:
    assert vc_jwt.verify_issued(vc11(exp=int(NOW.timestamp()) - 60), NO_TRUST, NOW).validity == "valid"
    assert vc_jwt.verify_issued(vc11(exp=int(NOW.timestamp()) - 3600), NO_TRUST, NOW).validity == "expired"
    assert vc_jwt.verify_issued(vc11(nbf=int(NOW.timestamp()) + 3600), NO_TRUST, NOW).validity == "not yet valid"


def test_a_changed_claim_another_key_and_an_unknown_issuer_are_refused() -> None:
    import base64

    header, payload, signature = vc11().split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["vc"]["credentialSubject"]["achievement"]["name"] = "Crane Operation"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    other = ed25519.Ed25519PrivateKey.generate()
    by_other = jose.sign({"typ": "JWT", "kid": f"{ISSUER}#{ISSUER[8:]}"}, b'{"iss": "x", "vc": {}}', other)
    web = jose.sign({"typ": "JWT", "kid": "did:web:college.example#k"},
                    json.dumps({"iss": "did:web:college.example", "vc": VC}).encode(), ISSUER_KEY)

    with pytest.raises(InvalidError) as changed:
        vc_jwt.verify_issued(".".join([header, forged, signature]), NO_TRUST, NOW)
    with pytest.raises(InvalidError):
        vc_jwt.verify_issued(by_other, NO_TRUST, NOW)
    with pytest.raises(UnverifiableError) as unknown:
        vc_jwt.verify_issued(web, NO_TRUST, NOW)
    assert changed.value.code == "E_SIG_INVALID"
    assert unknown.value.code == "E_DID_UNKNOWN"


def test_a_jwt_presentation_of_vc_jwts_verifies() -> None:
    token = vc11()
    vp = jwt_vp.present([token], holder_did=HOLDER, verification_method=f"{HOLDER}#{HOLDER[8:]}",
                        private_key=HOLDER_KEY, aud="hr.example", nonce="n-1", now=NOW)

    presented = jwt_vp.verify_presented(vp, NO_TRUST, NOW + timedelta(seconds=5))

    assert (presented.holder, presented.nonce, presented.aud) == (HOLDER, "n-1", "hr.example")
    assert presented.credentials == (token,)


def test_a_presentation_signed_by_someone_else_is_refused() -> None:
    other = ec.generate_private_key(ec.SECP256R1())
    other_did = "did:key:" + encode_public_key(other.public_key())
    claims = {"iss": HOLDER, "iat": int(NOW.timestamp()), "vp": {"verifiableCredential": [vc11()]}}
    vp = jose.sign({"typ": "JWT", "kid": f"{other_did}#{other_did[8:]}"}, json.dumps(claims).encode(), other)

    with pytest.raises(InvalidError) as refused:
        jwt_vp.verify_presented(vp, NO_TRUST, NOW)
    assert refused.value.code == "E_CONTROLLER_MISMATCH"
