"""The SD-JWT fast paths give what the plain way gives: the same values, or the same first error.

Each quick function is checked against the one it stands for, on crafted inputs (every way a
disclosure, a base64url text or a JSON text can be wrong) and on random mixtures of good and bad
ones, so that a quick path that accepted more, refused more, or named another input first fails.
"""

from __future__ import annotations

import base64
import json
import random
from datetime import UTC, datetime
from typing import Any

import pytest

from skillpass.errors import SkillpassError


def _outcome(call: Any) -> Any:
    try:
        return ("value", call())
    except SkillpassError as exc:
        return ("error", exc.code, exc.message)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


BASE64URL_TEXTS: list[Any] = [
    "", "AQ", "AQI", "AQID", "_-_-", "AR", "AQJ", "A", "AQ==", "AQ=", "+/+/", "AQ\n", " AQ", "A\u0661", "AQ.",
    "AQ\x00", "é", "AAAA" * 30, _b64(b"\xfb\xff\xfe"), _b64(bytes(range(256))),
]


def test_base64url_each_is_base64url_one_by_one() -> None:
    from skillpass.keys.multibase import b64url_decode, b64url_decode_each

    rng = random.Random(15)
    batches = [[text] for text in BASE64URL_TEXTS] + [BASE64URL_TEXTS[:4], [], ["AQ", None], ["AQ", b"AQ"]]
    batches += [rng.sample(BASE64URL_TEXTS, rng.randrange(1, 6)) for _ in range(300)]
    for texts in batches:
        each = _outcome(lambda: b64url_decode_each(texts, max_bytes=64, what="a part"))
        one_by_one = _outcome(lambda: [b64url_decode(t, max_bytes=64, what="a part") for t in texts])
        assert each == one_by_one, texts
    assert b64url_decode_each(["AQ", "AQI"], max_bytes=64) == [b"\x01", b"\x01\x02"]


JSON_PIECES: list[bytes] = [
    b'["s", "n", 1]', b'["s", 2]', b' ["s", 1]', b'["s", 1] ', b'\xef\xbb\xbf["s", 1]', b'{"a": 1, "a": 2}',
    b'[{"b": {"a": 1, "a": 1}}]', b'[NaN]', b'[1e999]', b'["\\ud800"]', b'["\\u00e9"]', b'["a\\u0000"]',
    b'["a\x00"]', b'', b'   ', b'[1]x', b'[' * 65 + b']' * 65, b'[' * 64 + b']' * 64, b'\xff"x"', b'"\xc3"',
    b'"\xc3\xa9"', b'[' + b'1,' * 25_000 + b'1]', b'12', b'tru', b'e', b'["L\xc3\xa9a", {"x": [1, 2.5]}]',
    b'["L\\u00e9a", "\\u20ac"]', b'["\\uD800"]', b'["\\uDBFF\\uDFFF"]', b'["\\\\ud800"]', b'["\\ud83d"]',
    b'{"\\u00e9": 1, "\\u00e9": 2}', b'{"\\u00e9": 1, "\xc3\xa9": 2}', b'["\\u0000"]', b'["\\u00"]',
]


def test_the_json_quick_way_answers_as_the_checked_path() -> None:
    from skillpass.ingest import _parse_json_checked, parse_json

    for raw in JSON_PIECES:  # escapes other than surrogates now go the quick way
        assert _outcome(lambda: parse_json(raw)) == _outcome(lambda: _parse_json_checked(raw)), raw


def test_json_each_is_parse_json_one_by_one() -> None:
    from skillpass.ingest import parse_json, parse_json_each

    rng = random.Random(15)
    batches = [[piece] for piece in JSON_PIECES] + [[], JSON_PIECES[:2], [b"[1]"] * 70, [b"[[[1]]]"] * 30]
    batches += [rng.sample(JSON_PIECES, rng.randrange(1, 6)) for _ in range(300)]
    for raws in batches:
        assert _outcome(lambda: parse_json_each(raws)) == _outcome(lambda: [parse_json(r) for r in raws]), raws


DISCLOSURE_JSON = [
    b'["salt", "given_name", "Ana"]', b'["salt", "MIG"]', b'["salt", "address", {"_sd": ["x"], "c": "CA"}]',
    b'["salt", "_sd", 1]', b'["salt", "...", 1]', b'["salt", 3, 1]', b'[1, "n", 1]', b'["salt"]', b'[]',
    b'["a", "b", "c", "d"]', b'{"salt": "n"}', b'"salt"', b'["salt", "n", {"a": 1, "a": 2}]',
    b' ["salt", "n", 1] ', b'["s\\u00e9", "n\\u00e9", "\\ud83d\\ude00"]', b'["salt", "n", NaN]', b'not json',
    b'["L\xc3\xa9a", "pr\xc3\xa9nom", "\xc3\x89lise"]', b'["s", "pr\\u00e9nom", "L\\u00e9a"]',
    b'["salt", "n", ' + b'[' * 70 + b']' * 70 + b']',
]
DISCLOSURE_TEXTS = [_b64(raw) for raw in DISCLOSURE_JSON] + ["", "AQ==", "!!", _b64(b"[1]") + "=", "A"]


def test_disclosures_read_together_are_those_read_one_by_one() -> None:
    from skillpass.formats.sd_jwt_vc import sd_jwt

    def one_by_one(texts: list[str]) -> tuple[Any, ...]:
        return tuple(sd_jwt.parse_disclosure(text) for text in texts)

    rng = random.Random(15)
    batches = [[text] for text in DISCLOSURE_TEXTS] + [[], DISCLOSURE_TEXTS[:3]]
    batches += [rng.sample(DISCLOSURE_TEXTS, rng.randrange(1, 6)) for _ in range(400)]
    for texts in batches:
        assert _outcome(lambda: sd_jwt.read_disclosures(texts)) == _outcome(lambda: one_by_one(texts)), texts
    read = sd_jwt.read_disclosures(DISCLOSURE_TEXTS[:2])
    assert [(d.salt, d.name, d.value) for d in read] == [("salt", "given_name", "Ana"), ("salt", None, "MIG")]
    assert all(type(d) is sd_jwt.Disclosure for d in read)


@pytest.mark.parametrize("alg", ["sha-256", "sha-384", "sha-512", "sha3-256", "sha3-384", "sha3-512"])
def test_digests_encoded_together_are_each_digest_encoded(alg: str) -> None:
    from skillpass.formats.sd_jwt_vc import sd_jwt

    rng = random.Random(alg)
    texts = [_b64(rng.randbytes(rng.randrange(1, 120))) for _ in range(40)]
    hash_function = sd_jwt.HASHES[alg]
    assert sd_jwt.digests_of(texts, hash_function) == [
        sd_jwt.b64url(hash_function(text.encode()).digest()) for text in texts]
    assert sd_jwt.digests_of([], hash_function) == []


def _needed_as_written(chosen: list[tuple[Any, ...]], processed: Any) -> list[str]:
    """needed_for's definition, as its docstring says it: at, under or above a chosen path."""
    wanted = {text for text, path in processed.paths.items()
              if any(path[:len(prefix)] == prefix or prefix[:len(path)] == path for prefix in chosen)}
    for text in list(wanted):
        parent = processed.parents.get(text)
        while parent is not None:
            wanted.add(parent)
            parent = processed.parents.get(parent)
    return [text for text in processed.paths if text in wanted]


def test_needed_for_is_its_definition() -> None:
    from skillpass.formats.sd_jwt_vc import sd_jwt

    rng = random.Random(15)
    atoms = ["a", "b", "c", 0, 1, 2]
    for _ in range(3000):
        names = [f"d{i}" for i in range(rng.randrange(0, 9))]
        paths = {name: tuple(rng.choice(atoms) for _ in range(rng.randrange(1, 5))) for name in names}
        rng.shuffle(names)
        parents = {name: rng.choice([None, *names[:i]]) for i, name in enumerate(names)}
        processed = sd_jwt.Processed({}, paths, parents)
        chosen = [tuple(rng.choice(atoms) for _ in range(rng.randrange(0, 4))) for _ in range(rng.randrange(0, 4))]
        assert sd_jwt.needed_for(chosen, processed) == _needed_as_written(chosen, processed), (chosen, paths)


def test_objects_and_arrays_with_nothing_to_replace_are_copies() -> None:
    from skillpass.formats.sd_jwt_vc import sd_jwt

    payload = {"iss": "https://x.example", "cnf": {"jwk": {"kty": "EC", "crv": "P-256", "x": "a", "y": "b"}},
               "skills": ["TIG", "MIG"], "n": [1, [2, {"a": 3}]], "_sd": []}
    claims = sd_jwt.process(payload, ()).claims
    assert claims == {k: v for k, v in payload.items() if k != "_sd"}
    assert claims["cnf"]["jwk"] is not payload["cnf"]["jwk"] and claims["skills"] is not payload["skills"]
    with pytest.raises(SkillpassError, match="array digest"):  # {"...": 3} in an array is still checked
        sd_jwt.process({"n": [[{"...": 3}]]}, ())
    with pytest.raises(SkillpassError, match="'_sd' member"):
        sd_jwt.process({"a": {"_sd": "x"}}, ())


@pytest.mark.parametrize(("aud", "nonce"), [("https://v.example", "n-1"), ('a "quoted" \\ aud', "é\u2028\x01"),
                                            (None, "n"), ("a", None), (None, None)])
def test_the_key_binding_payload_is_json_dumps_of_its_claims(aud: str | None, nonce: str | None) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    from skillpass.formats import jose
    from skillpass.formats.sd_jwt_vc import sd_jwt, vc

    holder = ec.generate_private_key(ec.SECP256R1())
    payload = {"iss": "https://x.example", "vct": "v", "_sd": []}
    token = jose.sign({"typ": "dc+sd-jwt"}, json.dumps(payload).encode(), ec.generate_private_key(ec.SECP256R1()))
    sd = sd_jwt.parse(token + "~")
    held = vc.Held(sd, sd_jwt.process(sd.unverified_payload, sd.disclosures))
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    shown = vc.present(held, [], private_key=holder, aud=aud, nonce=nonce, now=now)
    kb = jose.read_compact(shown.split("~")[-1])
    jose.verify(kb, holder.public_key())
    claims = {"iat": int(now.timestamp()), "sd_hash": sd_jwt.sd_hash(token + "~", "sha-256")}
    claims.update({name: value for name, value in (("aud", aud), ("nonce", nonce)) if value is not None})
    assert kb.payload == json.dumps(claims).encode() and kb.header == {"typ": "kb+jwt", "alg": "ES256"}


def test_jws_headers_are_signed_as_given_whatever_their_values() -> None:
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519

    from skillpass.formats import jose
    from skillpass.keys.multikey import key_type

    keys = [ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP384R1()),
            ed25519.Ed25519PrivateKey.generate()]
    for key in keys:
        for header in ({"typ": "kb+jwt"}, {"typ": "kb+jwt"}, {"n": 1}, {"n": True}, {"jwk": {"a": "b"}}, {}):
            jws = jose.read_compact(jose.sign(header, b"{}", key))
            assert jws.header == {**header, "alg": jose.ALG_FOR_KEY[key_type(key)]}
            assert type(jws.header.get("n")) is type(header.get("n"))
            jose.verify(jws, key.public_key())
            jose.verify(jws, key)  # a private key verifies as its public key
    with pytest.raises(TypeError):
        jose.sign({}, b"{}", keys[0].public_key())
    with pytest.raises(SkillpassError):
        jose.sign({}, b"{}", ec.generate_private_key(ec.SECP521R1()))


def test_a_surrogate_escape_is_looked_for_as_written() -> None:
    from skillpass.ingest import _surrogate_escape

    rng = random.Random(15)
    texts = ["", "\\", "\\u", "\\ud", "\\uD800", "\\u00e9", "a\\\\ud800", "plain", "\\n\\t", "ud", "\\Ud800"]
    texts += ["".join(rng.choice("\\udD0a\"é") for _ in range(rng.randrange(0, 12))) for _ in range(3000)]
    for text in texts:
        assert _surrogate_escape(text) == ("\\ud" in text or "\\uD" in text), text


def _header_token(header: Any, payload: bytes = b"{}") -> str:
    encoded = header if isinstance(header, bytes) else json.dumps(header).encode()
    return _b64(encoded) + "." + _b64(payload) + "." + _b64(b"\x01" * 64)


JWS_HEADERS: list[Any] = [
    {"alg": "ES256", "typ": "kb+jwt"}, {"typ": "kb+jwt", "alg": "ES256"}, {"alg": "EdDSA"}, {"alg": "ES384", "kid": "k"},
    {"alg": "none"}, {"alg": "HS256"}, {"typ": "kb+jwt"}, {"alg": "ES256", "crit": ["exp"]}, {"alg": "ES256", "crit": []},
    {"alg": "ES256", "b64": False}, {"alg": "ES256", "b64": True}, {"alg": "ES256", "kid": 1}, {"alg": "ES256", "typ": None},
    {"alg": "ES256", "jwk": {"kty": "EC"}}, {"alg": "ES256", "x5c": ["a"]}, {"alg": "ES256", "x5c": [1]}, ["ES256"],
    b'{"alg": "ES256", "alg": "ES256"}', b'{"alg": "ES256", "typ": "\\ud800"}', b'{"alg": "ES256"} x', b"", b"\xff",
    {"alg": "ES256", "typ": "x" * 600}, {"alg": "ES256", "n": 1.5}, {"alg": "ES256", "cty": "\u00e9"},
]


def test_a_header_read_before_is_read_as_the_first_time() -> None:
    from skillpass.formats import jose

    rng = random.Random(15)
    tokens = [_header_token(header) for header in JWS_HEADERS]
    tokens += [_header_token(JWS_HEADERS[0], b"not base64url!"), _header_token(JWS_HEADERS[0], b"[1]"),
               tokens[0][:-1] + "=", tokens[0] + ".x", _b64(b'{"alg":"ES256"}') + "!.e30.AA"]
    tokens += [tok.replace("e30", "!!") for tok in tokens[:3]]  # a payload that is no base64url
    for token in tokens + rng.choices(tokens, k=300):
        warm = _outcome(lambda: jose.read_compact(token, "KB-JWT"))
        jose._checked_header.cache_clear()
        assert _outcome(lambda: jose.read_compact(token, "KB-JWT")) == warm, token
    first = jose.read_compact(tokens[0])
    first.header["alg"] = "none"  # one token's header is its own: changing it changes no other
    assert jose.read_compact(tokens[0]).header == JWS_HEADERS[0]


def test_a_key_binding_string_is_json_dumps_of_it() -> None:
    from skillpass.formats.sd_jwt_vc.vc import json_string

    rng = random.Random(15)
    texts = ["", "https://v.example", 'a"b', "a\\b", "é", "\u2028", "\x7f", "\x1f", "\t", "\U0001f600", "\ud800", "/"]
    texts += ["".join(chr(rng.choice([rng.randrange(0x20, 0x7f), rng.randrange(0, 0x20), 0x7f, 0xe9, 0x2028,
                                       0x22, 0x5c, 0xd800])) for _ in range(rng.randrange(0, 10))) for _ in range(3000)]
    for text in texts:
        assert json_string(text) == json.dumps(text), repr(text)


def test_a_prefix_is_the_issuer_jwt_and_each_disclosure_followed_by_a_tilde() -> None:
    """RFC 9901 §5: <issuer-JWT>~<d1>~...~<dn>~ (the KB-JWT, if any, comes after)."""
    from skillpass.formats.sd_jwt_vc import sd_jwt

    issuer = _b64(b'{"alg":"ES256"}') + "." + _b64(b"{}") + ".AA"
    disclosures = sd_jwt.read_disclosures([_b64(raw) for raw in DISCLOSURE_JSON[:2]])
    sd = sd_jwt.SdJwt(issuer + "~", sd_jwt.jose.read_compact(issuer), disclosures, None)
    for chosen in ((), disclosures[:1], disclosures, disclosures[::-1]):
        assert sd.with_texts([d.text for d in chosen]) == issuer + "~" + "".join(d.text + "~" for d in chosen)


def test_an_issuer_key_found_in_the_index_is_the_one_the_search_finds() -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    from skillpass.formats.issuer_keys import IssuerMetadata, Trusted, issuer_key
    from skillpass.keys.multikey import public_key_to_jwk

    def jwk(**members: Any) -> dict[str, Any]:
        return {**public_key_to_jwk(ec.generate_private_key(ec.SECP256R1()).public_key()), **members}

    iss = "https://college.example"
    key_sets: list[list[Any]] = [
        [jwk()], [jwk(kid="a")], [jwk(kid="a"), jwk(kid="b")], [jwk(kid="a"), jwk(kid="a")], [jwk(), jwk()],
        [jwk(kid="a"), jwk()], [jwk(kid=1)], [jwk(kid=["a"])], [{"kty": "EC", "crv": "P-256", "x": "AA", "kid": "a"}],
        [{"kty": "EC", "crv": "P-256", "x": "AA", "kid": "a"}, jwk(kid="b")], [jwk(kid="a"), "not a key"],
        [jwk(kid="")], [jwk(kid="a", d="secret")]]

    def outcome(keys: list[Any], kid: Any, index: bool) -> Any:
        metadata = IssuerMetadata(iss, tuple(keys))
        if not index:
            metadata.__dict__["single_keys"] = {}  # nothing found there: the search every time
        header = {"alg": "ES256"} if kid is None else {"alg": "ES256", "kid": kid}
        try:
            found = issuer_key(header, iss, Trusted({}, {iss: metadata}))
        except AttributeError:
            return "AttributeError"
        except SkillpassError as exc:
            return ("error", exc.code, exc.message)
        return found.public_key.public_numbers(), found.source

    for keys in key_sets:
        for kid in (None, "a", "b", "c", "", 1):
            assert outcome(keys, kid, index=True) == outcome(keys, kid, index=False), (keys, kid)
