"""Hostile input: every parser either parses or raises a skillpass error, and nothing hangs.

From the issue "Hostile input ... nothing hangs": format detection, multibase and multikey, CBOR
proof values, the wallet header, the backup file. Each property feeds arbitrary (or nearly
valid) input and lets any exception other than the expected SkillpassError subclass fail the
test; round trips are checked where a format has an encoder.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import cbor2
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import PASSPHRASE, sources
from skillpass.errors import (
    BadInputError,
    InvalidError,
    NoPassphraseError,
    SkillpassError,
    WalletLockedError,
)
from skillpass.formats.detect import FORMATS, JSON, JWT, QR_PARTS, SD_JWT, VPQR, detect, link_format
from skillpass.keys import multibase, multikey
from skillpass.suites import sd_cbor
from skillpass.wallet import backup, vault, wallet
from skillpass.wallet import slots as key_slots
from skillpass.wallet.unlock import Passphrase

T = TypeVar("T")
# Function-scoped fixtures (the autouse cheap KDF, the KDF spy) hold for every example alike.
PROPERTY = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])
FEW = settings(PROPERTY, max_examples=60)


def parses_or_refuses(parse: Callable[..., T], *args: Any,
                      refused: tuple[type[SkillpassError], ...] = (SkillpassError,),
                      **kwargs: Any) -> T | None:
    """`parse(*args, **kwargs)`, or None when it raised one of `refused`; anything else escapes."""
    try:
        return parse(*args, **kwargs)
    except refused:
        return None


# -- strategies ----------------------------------------------------------------------------------

BIG_INTS = st.sampled_from([0, 1, -1, 7, 8, 2**31, 2**63, 2**64, 10**30, -(10**30)])
JSON_SCALARS = (st.none() | st.booleans() | st.integers() | BIG_INTS
                | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12))
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: (st.lists(inner, max_size=4)
                   | st.dictionaries(st.text(max_size=6), inner, max_size=4)),
    max_leaves=12)
B58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
TEXT = st.text(max_size=200) | st.text(alphabet=B58_ALPHABET, max_size=200)
B64_TEXT = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=",
                   max_size=120)
NOT_TEXT = st.none() | st.integers() | st.binary(max_size=8) | st.lists(st.integers(), max_size=3)


def b64(data: bytes) -> str:
    return multibase.b64url_encode(data)


# -- format detection ----------------------------------------------------------------------------

PREFIXES = [b"", b"eyJ", b"eyJa.b.c~", b"CSC:/1/", b"VP1-", b"<svg", b"<", b"{", b"[",
            b"\xef\xbb\xbf", b"\xd9\x05", b"\xd9\xcb\x1d", b"\xd2", b"\xd8\x3d",
            b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"https://", b"openid4vp://", b"  \n"]
LINKS = ["https://x", "HTTP://y", "openid-credential-offer://", "a+b.c-d://", "1abc://", "://",
         "C:\\file.json"]


@PROPERTY
@given(st.sampled_from(PREFIXES), st.binary(max_size=300))
def test_detect_always_names_a_format_and_never_raises(prefix: bytes, rest: bytes) -> None:
    assert detect(prefix + rest) in {JSON, SD_JWT, JWT, VPQR, QR_PARTS, *FORMATS}


@PROPERTY
@given(st.text(max_size=100) | st.sampled_from(LINKS))
def test_link_format_is_a_tag_or_none(argument: str) -> None:
    tag = link_format(argument)
    assert tag is None or tag in FORMATS
    assert link_format("https://" + argument) == "url"
    if "://" not in argument:
        assert tag is None


# -- multibase -----------------------------------------------------------------------------------

@PROPERTY
@given(st.binary(max_size=200), st.sampled_from(["z", "u"]), st.integers(0, 8))
def test_multibase_round_trips_in_both_bases(data: bytes, base: str, slack: int) -> None:
    encoded = multibase.encode(data, base)
    assert multibase.decode(encoded, max_bytes=len(data) + slack) == data
    assert multibase.b58decode(multibase.b58encode(data), max_bytes=len(data)) == data
    assert multibase.b64url_decode(b64(data), max_bytes=len(data)) == data


@PROPERTY
@given(st.integers(0, 300))
def test_the_character_bounds_fit_the_longest_encodings(size: int) -> None:
    # all 0xff is the longest base58 for its size; all zeros is one '1' a byte
    for data in (b"\xff" * size, b"\0" * size, b"\0" * min(size, 1) + b"\xff" * (size - 1)):
        assert len(multibase.b58encode(data)) <= multibase.b58_max_chars(size)
        assert len(b64(data)) <= multibase.b64url_max_chars(size)
    assert multibase.b64url_max_chars(size) < multibase.b64url_max_chars(size + 1)


@PROPERTY
@given(TEXT | B64_TEXT, st.integers(0, 160))
def test_every_decoder_parses_or_refuses_arbitrary_text(text: str, max_bytes: int) -> None:
    for decode, canonical in ((multibase.b58decode, multibase.b58encode),
                              (multibase.b64url_decode, b64)):
        data = parses_or_refuses(decode, text, max_bytes=max_bytes, refused=(BadInputError,))
        if data is not None:
            assert len(data) <= max_bytes
            assert canonical(data) == text  # strict: only the canonical spelling decodes
    data = parses_or_refuses(multibase.decode, text, max_bytes=max_bytes, refused=(BadInputError,))
    if data is not None:
        assert multibase.encode(data, text[0]) == text


@PROPERTY
@given(NOT_TEXT)
def test_decoders_refuse_what_is_not_text(value: Any) -> None:
    for decode in (multibase.b58decode, multibase.b64url_decode, multibase.decode):
        with pytest.raises(BadInputError):
            decode(value, max_bytes=64)


@PROPERTY
@given(st.integers(0, 200), st.integers(1, 5000), st.sampled_from(["z", "u"]),
       st.sampled_from(["1", "z", "A", "!", "="]))
def test_over_long_input_is_refused_by_length(max_bytes: int, extra: int, base: str,
                                             filler: str) -> None:
    limit = (multibase.b58_max_chars(max_bytes) if base == "z"
             else multibase.b64url_max_chars(max_bytes))
    with pytest.raises(BadInputError) as caught:
        multibase.decode(base + filler * (limit + extra), max_bytes=max_bytes, what="the field")
    assert caught.value.code == "E_TOO_LARGE"
    assert "the field is too long" in caught.value.message


def test_a_multi_megabyte_value_is_refused_unread() -> None:
    # 8 MiB of base58: the quadratic decoder would take hours; the length check refuses it.
    huge = "z" + "9" * (8 << 20)
    for decode in (multibase.decode, multikey.decode_public_key, multikey.decode_secret_key):
        with pytest.raises(BadInputError) as caught:
            decode(huge, **({"max_bytes": 96} if decode is multibase.decode else {}))
        assert caught.value.code == "E_TOO_LARGE"
    with pytest.raises(InvalidError) as proof:
        sd_cbor.parse_base_proof_value("u" + "A" * (16 << 20))
    assert "longer than" in proof.value.message


# -- multikey ------------------------------------------------------------------------------------

HEADERS = [b"\xed\x01", b"\x80\x24", b"\x81\x24", b"\x80\x26", b"\x86\x26", b"\x87\x26", b"",
           b"\xed"]


@PROPERTY
@given(st.sampled_from(HEADERS), st.binary(max_size=60), st.sampled_from(["z", "u"]))
def test_multikeys_decode_or_refuse(header: bytes, body: bytes, base: str) -> None:
    text = multibase.encode(header + body, base)
    parses_or_refuses(multikey.decode_public_key, text, refused=(BadInputError,))
    parses_or_refuses(multikey.decode_secret_key, text, refused=(BadInputError,))
    parses_or_refuses(multikey.public_key_from_bytes, header + body, refused=(BadInputError,))


@PROPERTY
@given(TEXT | NOT_TEXT)
def test_multikey_decoders_refuse_arbitrary_values(value: Any) -> None:
    parses_or_refuses(multikey.decode_public_key, value, refused=(BadInputError,))
    parses_or_refuses(multikey.decode_secret_key, value, refused=(BadInputError,))


def _decoded(decode: Callable[[Any], Any], value: Any) -> Any:
    """What a decoder makes of value: the public multikey's text, or the error's code and text."""
    try:
        return multikey.encode_public_key(decode(value))
    except BadInputError as error:
        return ("error", error.code, error.message)


@PROPERTY
@given(st.sampled_from(HEADERS) | st.binary(max_size=2), st.binary(max_size=60), st.booleans())
def test_an_issuer_key_decodes_as_decode_public_key_does_every_time(header: bytes, body: bytes,
                                                                    real: bool) -> None:
    """The kept keys of did:key and DID documents: the same key or the same error as the plain
    decoder, asked once or again."""
    text = multibase.encode(header + body, "z")
    if real:
        text = multikey.encode_public_key(ed25519.Ed25519PrivateKey.from_private_bytes(
            body[:32].ljust(32, b"k")).public_key())
    plain = _decoded(multikey.decode_public_key, text)
    assert _decoded(multikey.decode_issuer_public_key, text) == plain
    assert _decoded(multikey.decode_issuer_public_key, text) == plain


def test_an_issuer_key_refuses_what_decode_public_key_refuses() -> None:
    class Text(str):
        pass

    for value in ("", "z", "u" + ED25519_DID_KEY[9:], ED25519_DID_KEY[8:] + "1", "z" + "9" * 200,
                  None, 7, Text(ED25519_DID_KEY[8:]), "z6Mk0OIl",
                  *(multikey.encode_public_key(ec.derive_private_key(5, curve).public_key())
                    for curve in CURVES.values())):
        assert _decoded(multikey.decode_issuer_public_key, value) == _decoded(
            multikey.decode_public_key, value), value


JWK_MEMBERS = st.fixed_dictionaries(
    {}, optional={"kty": st.sampled_from(["OKP", "EC", "RSA"]) | JSON_VALUES,
                  "crv": st.sampled_from(["Ed25519", "P-256", "P-384", "X25519"]) | JSON_VALUES,
                  "x": st.binary(max_size=70).map(b64) | JSON_VALUES,
                  "y": st.binary(max_size=70).map(b64) | JSON_VALUES,
                  "d": JSON_VALUES})


@PROPERTY
@given(JWK_MEMBERS | JSON_VALUES)
def test_jwks_parse_or_refuse(jwk: Any) -> None:
    parses_or_refuses(multikey.public_key_from_jwk, jwk, refused=(BadInputError,))


CURVES = {"P-256": ec.SECP256R1(), "P-384": ec.SECP384R1()}
ORDERS = {"P-256": 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
          "P-384": int("ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf"
                       "581a0db248b0a77aecec196accc52973", 16)}


@st.composite
def private_keys(draw: st.DrawFn) -> multikey.PrivateKey:
    kind = draw(st.sampled_from(["Ed25519", "P-256", "P-384"]))
    if kind == "Ed25519":
        seed = draw(st.binary(min_size=32, max_size=32))
        return ed25519.Ed25519PrivateKey.from_private_bytes(seed)
    return ec.derive_private_key(draw(st.integers(1, ORDERS[kind] - 1)), CURVES[kind])


@FEW
@given(private_keys())
def test_generated_keys_round_trip_as_multikeys_and_jwks(key: multikey.PrivateKey) -> None:
    public = key.public_key()
    encoded = multikey.encode_public_key(public)
    assert len(multikey.public_key_bytes(public)) <= multikey.MAX_PUBLIC_KEY_BYTES
    assert multikey.encode_public_key(multikey.decode_public_key(encoded)) == encoded
    assert multikey.encode_public_key(multikey.public_key_from_jwk(
        multikey.public_key_to_jwk(public))) == encoded
    secret = multikey.encode_secret_key(key)
    assert multikey.encode_secret_key(multikey.decode_secret_key(secret)) == secret


def test_a_secret_scalar_outside_the_group_is_refused() -> None:
    for header, size in ((b"\x86\x26", 32), (b"\x87\x26", 48)):
        for scalar in (b"\0" * size, b"\xff" * size):
            with pytest.raises(BadInputError):
                multikey.decode_secret_key(multibase.encode(header + scalar, "z"))


# -- keys in DIDs and proofs (the callers of the decoders) -----------------------------------------

ED25519_DID_KEY = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"


@PROPERTY
@given(JWK_MEMBERS | JSON_VALUES, st.sampled_from([None, "sig", "enc"]) | JSON_VALUES,
       st.booleans())
def test_a_did_jwk_resolves_or_is_refused(jwk: Any, use: Any, real_key: bool) -> None:
    from skillpass.dids import resolve_verification_method

    if real_key:  # a usable key, so that the members after it are reached too
        jwk = multikey.public_key_to_jwk(multikey.decode_public_key(ED25519_DID_KEY.split(":")[2]))
        if use is not None:
            jwk["use"] = use
    did = "did:jwk:" + b64(json.dumps(jwk).encode())
    parses_or_refuses(resolve_verification_method, f"{did}#0", refused=(BadInputError,))


def test_a_deeply_nested_did_jwk_is_refused() -> None:
    from skillpass.dids import resolve_verification_method

    for depth in (5000, 100_000):
        did = "did:jwk:" + b64(b"[" * depth)
        with pytest.raises(BadInputError):
            resolve_verification_method(f"{did}#0")


@PROPERTY
@given(st.binary(max_size=80) | JSON_VALUES.map(lambda v: json.dumps(v).encode()),
       st.binary(max_size=100), st.text(max_size=40))
def test_a_detached_jws_parses_or_is_malformed(header: bytes, signature: bytes, noise: str) -> None:
    from skillpass.suites.ed25519_signature_2018 import parse_detached_jws

    for jws in (f"{b64(header)}..{b64(signature)}", noise, f"{noise}..{b64(signature)}",
                b64(b"[" * 5000) + ".." + b64(signature)):
        parses_or_refuses(parse_detached_jws, jws, refused=(InvalidError,))


@PROPERTY
@given(st.binary(max_size=140).map(lambda raw: multibase.encode(raw, "z")) | TEXT | NOT_TEXT)
def test_a_base58_proof_value_decodes_or_is_malformed(value: Any) -> None:
    from skillpass.suites.proof import decode_proof_value

    data = parses_or_refuses(decode_proof_value, {"proofValue": value}, refused=(InvalidError,))
    assert data is None or len(data) <= 96


# -- CBOR proof values ---------------------------------------------------------------------------

PARSERS = (sd_cbor.parse_base_proof_value, sd_cbor.parse_derived_proof_value,
           sd_cbor.proof_value_kind)


def refuses_as_malformed(proof_value: object) -> None:
    """Each parser returns a value or raises InvalidError E_PROOF_MALFORMED; nothing else."""
    for parse in PARSERS:
        try:
            parse(proof_value)
        except InvalidError as error:
            assert error.code == "E_PROOF_MALFORMED"


CBOR_LEAVES = (st.integers(-(2**64), 2**64 - 1) | BIG_INTS | st.binary(max_size=70)
               | st.sampled_from([b"\1" * 32, b"\1" * 35, b"\1" * 64])
               | st.text(max_size=10) | st.floats() | st.booleans() | st.none())
# Tags cbor2 gives a meaning of its own: dates, bignums, CBOR-in-CBOR, shared values, sets.
TAGS = st.sampled_from([0, 1, 2, 3, 24, 28, 29, 64, 258, 55799]) | st.integers(0, 2**16)
CBOR_VALUES = st.recursive(
    CBOR_LEAVES,
    lambda inner: (st.lists(inner, max_size=5)
                   | st.dictionaries(st.integers(-5, 2**32) | st.text(max_size=4), inner,
                                     max_size=4)
                   | st.builds(cbor2.CBORTag, TAGS, inner)),
    max_leaves=20)
SIG = st.binary(min_size=64, max_size=64)
PUBLIC = st.binary(min_size=33, max_size=33).map(lambda point: b"\x80\x24" + point)
HMAC = st.binary(min_size=32, max_size=32)
HEADER = st.sampled_from([sd_cbor.BASE_HEADER, sd_cbor.DERIVED_HEADER, b"\xd9\x5d\x02", b""])


def u(header: bytes, payload: bytes) -> str:
    return "u" + b64(header + payload)


@PROPERTY
@given(st.text(max_size=200) | B64_TEXT.map(lambda t: "u" + t) | NOT_TEXT)
def test_proof_value_parsers_refuse_arbitrary_strings(text: Any) -> None:
    refuses_as_malformed(text)


@PROPERTY
@given(HEADER, st.binary(max_size=300))
def test_proof_value_parsers_refuse_arbitrary_bytes(header: bytes, payload: bytes) -> None:
    refuses_as_malformed(u(header, payload))


@st.composite
def nearly_valid_components(draw: st.DrawFn) -> list[Any]:
    """Five components in the base or derived shape, each one replaced by chance."""
    shape = [SIG, PUBLIC, draw(st.sampled_from([HMAC, st.lists(SIG, max_size=3)])),
             draw(st.sampled_from([st.lists(SIG, max_size=3), st.dictionaries(
                 st.integers(0, 2**32), HMAC, max_size=3)])),
             draw(st.sampled_from([st.lists(st.text(max_size=8), max_size=3),
                                   st.lists(st.integers(0, 2**64 - 1), max_size=3)]))]
    components = [draw(st.one_of(strategy, CBOR_VALUES)) for strategy in shape]
    return draw(st.sampled_from([components, components[:4], [*components, None],
                                 [cbor2.CBORTag(64, components[0]), *components[1:]]]))


@PROPERTY
@given(HEADER, nearly_valid_components() | CBOR_VALUES, st.booleans())
def test_structured_but_wrong_cbor_is_refused(header: bytes, value: Any, indefinite: bool) -> None:
    payload = cbor2.dumps(value, indefinite_containers=indefinite)
    refuses_as_malformed(u(header, payload))
    if indefinite and payload[:1] == b"\x9f":
        for parse in PARSERS[:2]:
            with pytest.raises(InvalidError):
                parse(u(header, payload))


BASE_VALUES = st.builds(sd_cbor.BaseProofValue, SIG, PUBLIC, HMAC,
                        st.lists(SIG, max_size=5).map(tuple),
                        st.lists(st.text(max_size=20), max_size=4).map(tuple))
DERIVED_VALUES = st.builds(
    sd_cbor.DerivedProofValue, SIG, PUBLIC, st.lists(SIG, max_size=5).map(tuple),
    st.dictionaries(st.integers(0, 10**6), HMAC, max_size=5).map(
        lambda labels: {f"c14n{n}": "u" + b64(digest) for n, digest in labels.items()}),
    st.lists(st.integers(0, 2**64 - 1), unique=True, max_size=5).map(tuple))


@PROPERTY
@given(BASE_VALUES, DERIVED_VALUES)
def test_valid_components_round_trip(base: sd_cbor.BaseProofValue,
                                     derived: sd_cbor.DerivedProofValue) -> None:
    base_text = sd_cbor.serialize_base_proof_value(base)
    derived_text = sd_cbor.serialize_derived_proof_value(derived)
    assert sd_cbor.parse_base_proof_value(base_text) == base
    assert sd_cbor.parse_derived_proof_value(derived_text) == derived
    assert sd_cbor.proof_value_kind(base_text) == "base"
    assert sd_cbor.proof_value_kind(derived_text) == "derived"


@PROPERTY
@given(BASE_VALUES | DERIVED_VALUES, st.data())
def test_a_changed_byte_of_a_valid_proof_value_parses_or_is_refused(value: Any,
                                                                      data: st.DataObject) -> None:
    text = (sd_cbor.serialize_base_proof_value(value) if isinstance(value, sd_cbor.BaseProofValue)
            else sd_cbor.serialize_derived_proof_value(value))
    raw = bytearray(multibase.decode(text, max_bytes=len(text)))
    index = data.draw(st.integers(0, len(raw) - 1))
    raw[index] = data.draw(st.integers(0, 255))
    refuses_as_malformed(multibase.encode(bytes(raw), "u"))
    refuses_as_malformed(multibase.encode(bytes(raw[:data.draw(st.integers(0, len(raw)))]), "u"))


def test_deep_indefinite_and_tagged_cbor_is_refused_before_cbor2_decodes_it() -> None:
    good = [b"\1" * 64, b"\x80\x24" + b"\2" * 33, b"\3" * 32, [b"\4" * 64], ["/issuer"]]
    encoded = cbor2.dumps(good)
    shared = cbor2.CBORTag(28, [cbor2.CBORTag(29, 0)])  # cbor2 would build a list holding itself
    for payload, reason in (
            (b"\x81" * 100_000 + b"\x00", "five components"),
            (b"\x85" + b"\x81" * 100_000 + b"\x00" + encoded[1:], "nested deeper"),
            (cbor2.dumps(good, indefinite_containers=True), "indefinite"),
            (cbor2.dumps([*good[:3], [cbor2.CBORTag(2, b"\1")], good[4]]), "tag 2"),
            (cbor2.dumps([*good[:4], shared]), "tag 28"),
            (cbor2.dumps([*good[:3], [[b"\4" * 64]], good[4]]), "nested deeper"),
            (b"\x85\x9b" + b"\xff" * 8, "more than 100000 entries"),  # a 2**64-item array
            (b"\x85\x5b" + b"\xff" * 8, "truncated"),  # a 2**64-byte string
            (b"\x85\x99\x01\x00", "truncated"),  # 256 items promised, none there
            (encoded[:-1], "truncated"),
            (encoded + b"\x00", "trailing")):
        with pytest.raises(InvalidError) as caught:
            sd_cbor.parse_base_proof_value(u(sd_cbor.BASE_HEADER, payload))
        assert reason in caught.value.message
    derived = [good[0], good[1], [], {1: b"\5" * 32, 0: b"\5" * 32}, [0]]
    assert sd_cbor.parse_derived_proof_value(u(sd_cbor.DERIVED_HEADER, cbor2.dumps(derived)))
    duplicate = cbor2.dumps(derived).replace(b"\xa2\x01", b"\xa2\x00")  # {0: .., 0: ..}
    with pytest.raises(InvalidError, match="distinct"):
        sd_cbor.parse_derived_proof_value(u(sd_cbor.DERIVED_HEADER, duplicate))


def test_the_proof_value_caps_fit_a_proof_of_max_statements() -> None:
    signatures = [cbor2.CBORTag(64, b"\4" * 64)] * sd_cbor.MAX_STATEMENTS
    base = cbor2.dumps([b"\1" * 64, b"\x80\x24" + b"\2" * 33, b"\3" * 32, signatures, ["/issuer"]])
    assert len(sd_cbor.BASE_HEADER + base) <= sd_cbor.MAX_BASE_PROOF_BYTES
    labels = {2**32 - 1 - n: cbor2.CBORTag(64, b"\5" * 32) for n in range(sd_cbor.MAX_STATEMENTS)}
    indexes = list(range(2**32, 2**32 + sd_cbor.MAX_STATEMENTS))
    derived = cbor2.dumps([b"\1" * 64, b"\x80\x24" + b"\2" * 33, signatures, labels, indexes])
    assert len(sd_cbor.DERIVED_HEADER + derived) <= sd_cbor.MAX_DERIVED_PROOF_BYTES
    assert len(sd_cbor.parse_base_proof_value(u(sd_cbor.BASE_HEADER, base)).signatures) == \
        sd_cbor.MAX_STATEMENTS


# -- the wallet header ---------------------------------------------------------------------------

class KdfSpy:
    """Stands in for Argon2id: records every cost it is asked for; runs the real one only when
    cheap, so a header asking for a gigabyte within the limits costs nothing here either."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.real = vault.Argon2id

    def __call__(self, **kwargs: Any) -> Any:
        self.calls.append(kwargs)
        limits = vault.KDF_LIMITS
        assert limits.min_memory_kib <= kwargs["memory_cost"] <= limits.max_memory_kib
        assert limits.min_iterations <= kwargs["iterations"] <= limits.max_iterations
        assert 1 <= kwargs["lanes"] <= limits.max_lanes
        assert kwargs["memory_cost"] >= 8 * kwargs["lanes"]
        assert isinstance(kwargs["salt"], bytes) and len(kwargs["salt"]) == vault.SALT_SIZE
        if kwargs["memory_cost"] <= 1024 and kwargs["iterations"] <= 2:
            return self.real(**kwargs)
        return _FakeKdf()


class _FakeKdf:
    def derive(self, passphrase: bytes) -> bytes:
        return b"\0" * vault.KEY_SIZE


@pytest.fixture
def kdf_spy(monkeypatch: pytest.MonkeyPatch) -> KdfSpy:
    spy = KdfSpy()
    monkeypatch.setattr(vault, "Argon2id", spy)
    return spy


KDF_NUMBERS = (st.integers(-2, 20) | BIG_INTS | st.sampled_from([255, 256, 1024 * 1024, 2**40])
               | JSON_SCALARS)
KDF_DICTS = st.fixed_dictionaries(
    {}, optional={"alg": st.sampled_from(["argon2id", "argon2i", "ARGON2ID"]) | JSON_SCALARS,
                  "m": KDF_NUMBERS, "t": KDF_NUMBERS, "p": KDF_NUMBERS})
B64_FIELD = (st.binary(max_size=64).map(b64) | st.sampled_from(["", "=", "AA==", "A", "!!"])
             | JSON_VALUES)


@PROPERTY
@given(KDF_DICTS | JSON_VALUES)
def test_kdf_parameters_parse_or_lock(data: Any) -> None:
    params = parses_or_refuses(vault.KdfParams.from_dict, data, refused=(WalletLockedError,))
    if params is not None:
        assert all(type(v) is int for v in (params.memory_kib, params.iterations, params.lanes))


@PROPERTY
@given(st.fixed_dictionaries({}, optional={"nonce": B64_FIELD, "wrapped": B64_FIELD}) | JSON_VALUES,
       st.binary(min_size=0, max_size=40))
def test_unwrapping_an_arbitrary_slot_locks(slot: Any, kek: bytes) -> None:
    with pytest.raises(WalletLockedError):
        vault.unwrap_key(kek, slot, b"aad")


@pytest.fixture(scope="module")
def real_wallet() -> Iterator[tuple[dict[str, Any], bytes]]:
    """A wallet header made by the library (cheap KDF), and its data key."""
    from skillpass.wallet.store import Store

    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as patch:
        patch.setattr(vault, "DEFAULT_KDF", vault.KdfParams(memory_kib=256, iterations=1, lanes=1))
        patch.setattr(vault, "KDF_LIMITS", vault.KdfLimits(min_memory_kib=8, min_iterations=1))
        home = Path(tmp) / "home"
        wallet.create_wallet(home, passphrase=Passphrase(PASSPHRASE.encode()),
                             use_keyring=False).close()
        store = Store.open(home / "wallet.db")
        header = store.header()
        store.close()
        slot = next(s for s in header["slots"] if s["type"] == "passphrase")
        data_key = key_slots._open_passphrase_slot(header, slot, Passphrase(PASSPHRASE.encode()))
        yield header, data_key


SLOT_FIELDS = ["kdf", "salt", "nonce", "wrapped", "type", "extra"]


@PROPERTY
@given(st.sampled_from(SLOT_FIELDS), KDF_DICTS | B64_FIELD | st.just(None), st.booleans())
def test_a_changed_passphrase_slot_opens_only_unchanged(
        real_wallet: tuple[dict[str, Any], bytes], kdf_spy: KdfSpy, field: str, value: Any,
        delete: bool) -> None:
    header, data_key = real_wallet
    slot = dict(next(s for s in header["slots"] if s["type"] == "passphrase"))
    if delete:
        slot.pop(field, None)
    else:
        slot[field] = value
    opened = parses_or_refuses(key_slots._open_passphrase_slot, header, slot,
                               Passphrase(PASSPHRASE.encode()),
                               refused=(WalletLockedError, BadInputError))
    # the slot's parameters are bound into the wrap: any change that opens changed nothing
    assert opened is None or opened == data_key


HEADER_FIELDS = st.fixed_dictionaries(
    {}, optional={"format": st.just("skillpass-wallet") | JSON_SCALARS,
                  "version": st.just(1) | JSON_SCALARS,
                  "wallet_id": st.text(max_size=8) | JSON_SCALARS})
HASHABLE = JSON_SCALARS  # an unhashable "type" has its own test below
SLOTS = st.fixed_dictionaries(
    {"type": st.sampled_from(["passphrase", "keyring"]) | HASHABLE},
    optional={"kdf": KDF_DICTS | JSON_VALUES, "salt": B64_FIELD, "nonce": B64_FIELD,
              "wrapped": B64_FIELD})


@PROPERTY
@given(HEADER_FIELDS, st.lists(SLOTS | JSON_SCALARS, max_size=3) | JSON_SCALARS)
def test_an_arbitrary_wallet_header_locks(kdf_spy: KdfSpy, header: dict[str, Any],
                                          slots: Any) -> None:
    header = dict(header, slots=slots)
    with pytest.raises((WalletLockedError, BadInputError, NoPassphraseError)):
        key_slots.unwrap_data_key(header, sources())


def test_an_unhashable_slot_type_locks() -> None:
    header = {"format": "skillpass-wallet", "version": 1, "wallet_id": "w",
              "slots": [{"type": ["passphrase"]}]}
    with pytest.raises(WalletLockedError):
        key_slots.unwrap_data_key(header, sources())


def test_a_real_header_still_opens(real_wallet: tuple[dict[str, Any], bytes],
                                   kdf_spy: KdfSpy) -> None:
    header, data_key = real_wallet
    assert key_slots.unwrap_data_key(header, sources())[0] == data_key
    assert kdf_spy.calls


# -- the backup file -----------------------------------------------------------------------------

RECORDS = [("credential", "c1", b"sealed bytes"), ("history", "h1", b"\0\1\2")]


@pytest.fixture(scope="module")
def backup_document() -> dict[str, Any]:
    """A backup written by the library (cheap KDF), as its JSON document."""
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as patch:
        patch.setattr(vault, "DEFAULT_KDF", vault.KdfParams(memory_kib=256, iterations=1, lanes=1))
        patch.setattr(vault, "KDF_LIMITS", vault.KdfLimits(min_memory_kib=8, min_iterations=1))
        path = Path(tmp) / "backup.json"
        backup.write_backup(path, "wallet-1", RECORDS, Passphrase(PASSPHRASE.encode()), "now")
        document: dict[str, Any] = json.loads(path.read_bytes())
        return document


def read_bytes_as_backup(raw: bytes) -> tuple[str, list[Any]] | None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "backup.json"
        path.write_bytes(raw)
        return parses_or_refuses(backup.read_backup, path, Passphrase(PASSPHRASE.encode()),
                                 refused=(BadInputError, WalletLockedError))


def test_the_real_backup_reads(backup_document: dict[str, Any]) -> None:
    assert read_bytes_as_backup(json.dumps(backup_document).encode()) == ("wallet-1", RECORDS)


@PROPERTY
@given(st.binary(max_size=300) | JSON_VALUES.map(lambda v: json.dumps(v).encode()))
def test_arbitrary_bytes_are_not_a_backup(kdf_spy: KdfSpy, raw: bytes) -> None:
    assert read_bytes_as_backup(raw) is None


BACKUP_FIELDS = ["format", "version", "created", "kdf", "salt", "nonce", "ciphertext", "extra"]


@PROPERTY
@given(st.sampled_from(BACKUP_FIELDS), KDF_DICTS | B64_FIELD | JSON_VALUES, st.booleans())
def test_a_changed_backup_field_is_refused(kdf_spy: KdfSpy, backup_document: dict[str, Any],
                                           field: str, value: Any, delete: bool) -> None:
    document = dict(backup_document)
    if delete:
        document.pop(field, None)
    else:
        document[field] = value
    assume(document != backup_document)
    assert read_bytes_as_backup(json.dumps(document).encode()) is None


@FEW
@given(st.data())
def test_a_changed_byte_of_a_backup_reads_only_unchanged(kdf_spy: KdfSpy,
                                                         backup_document: dict[str, Any],
                                                         data: st.DataObject) -> None:
    raw = bytearray(json.dumps(backup_document).encode())
    raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    assert read_bytes_as_backup(bytes(raw)) in (None, ("wallet-1", RECORDS))


@pytest.mark.parametrize("depth", [990, 100_000])
def test_deeply_nested_json_is_not_a_backup(kdf_spy: KdfSpy, backup_document: dict[str, Any],
                                            depth: int) -> None:
    nested = "[" * depth + "]" * depth
    assert read_bytes_as_backup(nested.encode()) is None
    for field in ("created", "version", "kdf", "salt"):
        document = json.dumps(dict(backup_document, **{field: "HOLE"})).replace('"HOLE"', nested)
        assert read_bytes_as_backup(document.encode()) is None
    if depth > 1000:
        assert not kdf_spy.calls  # refused by the parser, before any key derivation
