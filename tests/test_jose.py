"""Compact JWS (skillpass/formats/jose.py): the published examples, a peer nobody here wrote
(jwcrypto, which the IETF SD-JWT reference signs with), then each refusal once: the signature's
length and encoding, the hash per algorithm, out-of-range R and S (RELIABILITY.md (b) 13-15), the
header rules. High-S ECDSA signatures are accepted, as the module docstring says and RFC 7518
allows."""

from __future__ import annotations

import json
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from skillpass.errors import BadInputError, InvalidError
from skillpass.formats import jose
from skillpass.formats.sd_jwt_vc import sd_jwt
from skillpass.keys.multibase import b64url_decode, b64url_encode
from skillpass.keys.multikey import public_key_from_jwk, public_key_to_jwk

P256 = ec.derive_private_key(0x5EED3, ec.SECP256R1())
P384 = ec.derive_private_key(0x5EED4, ec.SECP384R1())
ED25519 = ed25519.Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
KEYS = {"ES256": P256, "ES384": P384, "EdDSA": ED25519}
ORDERS = {"ES256": 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
          "ES384": 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973}
SIZES = {"ES256": 32, "ES384": 48}
PAYLOAD = b'{"iss":"https://college.example","vct":"welding-safety"}'


def token(alg: str, header: dict[str, Any] | None = None) -> str:
    return jose.sign({"typ": "JWT", **(header or {})}, PAYLOAD, KEYS[alg])


def verify(compact: str, alg: str) -> None:
    jose.verify(jose.read_compact(compact), KEYS[alg].public_key())


def with_signature(compact: str, signature: bytes) -> str:
    return compact.rsplit(".", 1)[0] + "." + b64url_encode(signature)


def refused(compact: str, alg: str) -> InvalidError:
    with pytest.raises(InvalidError) as raised:
        verify(compact, alg)
    return raised.value


# -- published examples ---------------------------------------------------------------------------


def test_rfc7515_a3_es256_verifies() -> None:
    # RFC 7515 Appendix A.3 (the key and the JWS, as published).
    key = public_key_from_jwk({"kty": "EC", "crv": "P-256", "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
                               "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"})
    compact = ("eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFt"
               "cGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djx"
               "La8ISlSApmWQxfKTUJqPP3-Kg6NU1Q")

    jose.verify(jose.read_compact(compact), key)

    assert jose.payload_json(jose.read_compact(compact))["iss"] == "joe"


def test_rfc8037_a4_ed25519_signs_and_verifies_exactly() -> None:
    # RFC 8037 Appendix A.4: Ed25519 is deterministic, so the signature must be the published one.
    key = ed25519.Ed25519PrivateKey.from_private_bytes(
        b64url_decode("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A", max_bytes=32))
    published = ("eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PG"
                 "cvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg")

    assert jose.sign({}, b"Example of Ed25519 signing", key) == published
    jose.verify(jose.read_compact(published), public_key_from_jwk(
        {"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}))


@pytest.mark.parametrize("alg", ["ES256", "ES384", "EdDSA"])
def test_each_algorithm_round_trips(alg: str) -> None:
    compact = token(alg)

    verify(compact, alg)

    assert jose.read_compact(compact).header == {"typ": "JWT", "alg": alg}


def test_es256_and_es384_hash_with_their_own_sha() -> None:
    # RFC 7518 §3.4: the signature over the signing input is ECDSA with SHA-256 / SHA-384, R || S.
    for alg, key, hash_type in (("ES256", P256, hashes.SHA256()), ("ES384", P384, hashes.SHA384())):
        signing_input, _, signature = token(alg).rpartition(".")
        raw = b64url_decode(signature, max_bytes=96)
        size = SIZES[alg]
        der = encode_dss_signature(int.from_bytes(raw[:size], "big"), int.from_bytes(raw[size:], "big"))
        key.public_key().verify(der, signing_input.encode("ascii"), ec.ECDSA(hash_type))


def test_es384_signed_over_sha_256_is_refused() -> None:
    signing_input = token("ES384").rsplit(".", 1)[0]
    r, s = decode_dss_signature(P384.sign(signing_input.encode("ascii"), ec.ECDSA(hashes.SHA256())))
    forged = with_signature(token("ES384"), r.to_bytes(48, "big") + s.to_bytes(48, "big"))

    assert refused(forged, "ES384").code == "E_SIG_INVALID"


# -- a peer: jwcrypto (the IETF SD-JWT reference's JOSE library) ----------------------------------


@pytest.mark.parametrize("alg", ["ES256", "ES384", "EdDSA"])
def test_jwcrypto_tokens_verify_here_and_ours_there(alg: str) -> None:
    jwk = pytest.importorskip("jwcrypto.jwk")
    jws = pytest.importorskip("jwcrypto.jws")
    peer_key = jwk.JWK.from_pyca(KEYS[alg])
    theirs = jws.JWS(PAYLOAD)
    theirs.add_signature(peer_key, alg=alg, protected=json.dumps({"alg": alg, "typ": "JWT"}))

    verify(theirs.serialize(compact=True), alg)

    ours = jws.JWS()
    ours.deserialize(token(alg))
    ours.verify(jwk.JWK.from_json(peer_key.export_public()), alg=alg)
    assert ours.payload == PAYLOAD


# -- the signature: R || S, exactly the coordinate size -------------------------------------------


@pytest.mark.parametrize("alg", ["ES256", "ES384"])
def test_a_der_signature_is_refused(alg: str) -> None:
    # A JOSE library that forgets RFC 7518 §3.4 emits DER; the same signature, DER-encoded.
    compact = token(alg)
    raw = b64url_decode(compact.rsplit(".", 1)[1], max_bytes=96)
    size = SIZES[alg]
    der = encode_dss_signature(int.from_bytes(raw[:size], "big"), int.from_bytes(raw[size:], "big"))

    assert refused(with_signature(compact, der), alg).code == "E_SIG_FORMAT"


@pytest.mark.parametrize(("alg", "change"), [
    ("ES256", lambda raw: raw[:-1]), ("ES256", lambda raw: raw + b"\0"), ("ES256", lambda raw: b"\0" + raw),
    ("ES384", lambda raw: raw[:64]), ("EdDSA", lambda raw: raw[:-1]), ("EdDSA", lambda raw: raw + b"\0"),
    ("ES256", lambda raw: b""),
])
def test_a_signature_of_the_wrong_length_is_refused(alg: str, change: Any) -> None:
    compact = token(alg)
    raw = b64url_decode(compact.rsplit(".", 1)[1], max_bytes=96)

    assert refused(with_signature(compact, change(raw)), alg).code == "E_SIG_FORMAT"


def test_an_es384_length_signature_on_an_es256_token_is_refused() -> None:
    assert refused(with_signature(token("ES256"), bytes(range(96))), "ES256").code == "E_SIG_FORMAT"


def test_der_signature_takes_exactly_r_and_s() -> None:
    raw = bytes(range(1, 65))

    assert decode_dss_signature(jose.der_signature(raw, "ES256")) == (
        int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    with pytest.raises(ValueError):
        jose.der_signature(raw + b"\1", "ES256")


@pytest.mark.parametrize("encoded", ["AAAA=", "not*base64", "A" * 2000, "é" * 86, "AB"])
def test_a_signature_that_is_not_base64url_is_refused(encoded: str) -> None:
    compact = token("ES256").rsplit(".", 1)[0] + "." + encoded

    assert refused(compact, "ES256").code == "E_SIG_INVALID"


@pytest.mark.parametrize("alg", ["ES256", "ES384"])
@pytest.mark.parametrize("which", ["r", "s"])
@pytest.mark.parametrize("value", ["zero", "order"])
def test_r_or_s_of_zero_or_the_group_order_is_refused(alg: str, which: str, value: str) -> None:
    compact = token(alg)
    raw = b64url_decode(compact.rsplit(".", 1)[1], max_bytes=96)
    size = SIZES[alg]
    replaced = (0 if value == "zero" else ORDERS[alg]).to_bytes(size, "big")
    changed = replaced + raw[size:] if which == "r" else raw[:size] + replaced

    assert refused(with_signature(compact, changed), alg).code == "E_SIG_INVALID"


@pytest.mark.parametrize("alg", ["ES256", "ES384"])
def test_a_high_s_signature_is_accepted_as_rfc7518_allows(alg: str) -> None:
    # (r, n - s) verifies wherever (r, s) does: JWS does not require low S, so neither do we.
    # The consequence, in the module docstring: a token's text is not its identity.
    compact = token(alg)
    raw = b64url_decode(compact.rsplit(".", 1)[1], max_bytes=96)
    size = SIZES[alg]
    s = int.from_bytes(raw[size:], "big")
    twin = with_signature(compact, raw[:size] + (ORDERS[alg] - s).to_bytes(size, "big"))

    verify(twin, alg)

    assert twin != compact


def test_a_changed_header_or_payload_is_refused() -> None:
    header, payload, signature = token("ES256").split(".")
    other = b64url_encode(json.dumps({"typ": "JWT", "alg": "ES256", "kid": "x"}).encode())

    assert refused(f"{other}.{payload}.{signature}", "ES256").code == "E_SIG_INVALID"
    assert refused(f"{header}.{b64url_encode(b'{}')}.{signature}", "ES256").code == "E_SIG_INVALID"


def test_another_key_of_the_same_kind_is_refused() -> None:
    with pytest.raises(InvalidError) as raised:
        jose.verify(jose.read_compact(token("ES256")), ec.derive_private_key(7, ec.SECP256R1()).public_key())

    assert raised.value.code == "E_SIG_INVALID"


@pytest.mark.parametrize(("alg", "key"), [("ES256", P384), ("ES384", P256), ("EdDSA", P256), ("ES256", ED25519)])
def test_a_key_of_another_kind_than_the_alg_is_refused(alg: str, key: Any) -> None:
    with pytest.raises(InvalidError) as raised:
        jose.verify(jose.read_compact(token(alg)), key.public_key())

    assert raised.value.code == "E_JWS_ALG"


# -- the header -----------------------------------------------------------------------------------


def _unsigned(header: dict[str, Any]) -> str:
    return b64url_encode(json.dumps(header).encode()) + "." + b64url_encode(PAYLOAD) + ".AAAA"


@pytest.mark.parametrize("b64", [False, "false", 0, None])
def test_an_unencoded_payload_is_refused(b64: Any) -> None:
    with pytest.raises(InvalidError) as raised:
        jose.read_compact(_unsigned({"alg": "ES256", "b64": b64}))

    assert raised.value.code == "E_JWS_B64"


@pytest.mark.parametrize(("name", "value"), [("kid", 5), ("typ", ["JWT"]), ("jwk", "key"), ("x5c", "cert"),
                                             ("x5c", [1]), ("cty", None), ("x5t#S256", {})])
def test_a_registered_header_of_the_wrong_type_is_malformed(name: str, value: Any) -> None:
    with pytest.raises(BadInputError) as raised:
        jose.read_compact(_unsigned({"alg": "ES256", name: value}))

    assert raised.value.code == "E_JWT" and repr(name) in raised.value.message


def test_an_unknown_header_parameter_is_ignored_as_rfc7515_section_4_asks() -> None:
    compact = token("ES256", {"trust_chain": ["x"], "b64": True})

    verify(compact, "ES256")


def test_a_long_header_and_a_large_payload_verify_within_the_bounds() -> None:
    # joserfc refused a header over 512 characters and a payload over 128,000; the bounds are ours.
    payload = json.dumps({"iss": "https://college.example", "evidence": "x" * 300_000}).encode()
    compact = jose.sign({"typ": "JWT", "kid": "k" * 600}, payload, P256)

    verify(compact, "ES256")


def test_sign_needs_a_private_key() -> None:
    with pytest.raises(TypeError):
        jose.sign({}, PAYLOAD, P256.public_key())


# -- what is built once ---------------------------------------------------------------------------


def test_the_same_jwk_gives_the_same_key_and_a_refused_one_is_refused_every_time() -> None:
    jwk = public_key_to_jwk(P256.public_key())
    off_curve = {**jwk, "y": b64url_encode((int.from_bytes(b64url_decode(jwk["y"], max_bytes=32), "big") ^ 1)
                                           .to_bytes(32, "big"))}

    assert public_key_from_jwk(dict(jwk)) is public_key_from_jwk({**jwk, "kid": "k1"})
    for _ in range(2):
        with pytest.raises(BadInputError):
            public_key_from_jwk(off_curve)
    with pytest.raises(BadInputError):
        public_key_from_jwk({**jwk, "d": "AAAA"})
    with pytest.raises(BadInputError):
        public_key_from_jwk({k: v for k, v in jwk.items() if k != "y"})


def test_the_sd_jwt_payload_is_parsed_once_and_a_bad_one_fails_every_time() -> None:
    compact = token("ES256") + "~"
    good, same = sd_jwt.parse(compact), sd_jwt.parse(compact)
    bad = sd_jwt.parse(b64url_encode(b'{"alg":"ES256"}') + "." + b64url_encode(b"[1]") + ".AAAA~")

    assert good.unverified_payload is good.unverified_payload
    assert good == same  # the kept payload is no field: equality is as before
    for _ in range(2):
        with pytest.raises(BadInputError):
            _ = bad.unverified_payload


@pytest.mark.parametrize("data,reason", [
    (b'{"a" 1}', "line 1, column 6: ':' was expected there"),
    (b'{"a": 1, "a": 2}', "duplicate key 'a' in JSON object"),
])
def test_a_payload_that_is_not_json_says_so_once_and_why(data: bytes, reason: str) -> None:
    with pytest.raises(BadInputError) as caught:
        jose.strict_json(data, "the JWT payload")
    assert caught.value.message == f"the JWT payload is not valid JSON: {reason}"
