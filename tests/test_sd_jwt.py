"""SD-JWT (RFC 9901) and SD-JWT VC: the published examples, then each rule of §7.1 broken once."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from skillpass.errors import BadInputError, InvalidError, UnverifiableError
from skillpass.formats import jose
from skillpass.formats.issuer_keys import Trusted, parse_metadata
from skillpass.formats.sd_jwt_vc import sd_jwt, vc
from skillpass.formats.sd_jwt_vc.issue import issue
from skillpass.keys.multikey import encode_public_key, public_key_from_jwk, public_key_to_jwk

NOW = datetime(2026, 6, 1, tzinfo=UTC)
ISSUER_KEY = ec.derive_private_key(0x5EED1, ec.SECP256R1())
HOLDER_KEY = ec.derive_private_key(0x5EED2, ec.SECP256R1())
ISSUER_DID = "did:key:" + encode_public_key(ISSUER_KEY.public_key())
KID = f"{ISSUER_DID}#{ISSUER_DID[8:]}"
NO_TRUST = Trusted({}, {})
CLAIMS = {"iss": ISSUER_DID, "vct": "https://credentials.example.ca/welding-safety", "iat": 1780000000,
          "exp": 1900000000, "name": "Welding Safety",
          "achievement": {"name": "Welding Safety", "hours": 45, "skills": ["TIG", "MIG", "safety"]},
          "given_name": "Ana", "family_name": "Lavoie"}
DISCLOSABLE = [("given_name",), ("family_name",), ("achievement",), ("achievement", "hours"),
               ("achievement", "skills", 1)]


def fresh(**changes: Any) -> str:
    claims = {**CLAIMS, **changes}
    return issue(claims, DISCLOSABLE, ISSUER_KEY, kid=KID, holder_jwk=public_key_to_jwk(HOLDER_KEY.public_key()))


# -- RFC 9901 Appendix A --------------------------------------------------------------------------


def _vector(vectors: Path, name: str) -> dict[str, Any]:
    return json.loads((vectors / "sd-jwt" / "rfc9901-appendix-a" / name).read_text())


@pytest.mark.parametrize("name", ["a1_simple_structured.json", "a2_complex_structured.json",
                                  "a3_sd_jwt_vc.json", "a4_w3c_vcdm_with_kb.json"])
def test_the_rfc_examples_give_the_published_claims(vectors: Path, name: str) -> None:
    example = _vector(vectors, name)
    parsed = sd_jwt.parse(example["sd_jwt"])

    jose.verify(parsed.issuer_jwt, public_key_from_jwk(example["issuer_public_jwk"]))
    claims = sd_jwt.process(parsed.unverified_payload, parsed.disclosures).claims

    expected = example["expected_verified_claims"]
    assert {k: v for k, v in claims.items() if k != "cnf"} == {k: v for k, v in expected.items() if k != "cnf"}


def test_the_rfc_key_binding_example(vectors: Path) -> None:
    example = _vector(vectors, "a4_w3c_vcdm_with_kb.json")
    holder = json.loads((vectors / "sd-jwt" / "rfc9901-appendix-a" / "keys.json").read_text())["holder_key"]
    parsed = sd_jwt.parse(example["sd_jwt"])
    assert parsed.kb_jwt is not None
    kb = jose.read_compact(parsed.kb_jwt, "KB-JWT")

    jose.verify(kb, public_key_from_jwk({k: holder[k] for k in ("kty", "crv", "x", "y")}))
    claims = jose.payload_json(kb)
    prefix = example["sd_jwt"][: -len(parsed.kb_jwt)]

    assert (kb.header["typ"], claims["nonce"], claims["aud"], claims["iat"]) == (
        "kb+jwt", "1234567890", "https://verifier.example.org", 1748537244)
    assert claims["sd_hash"] == sd_jwt.sd_hash(prefix, "sha-256")


def test_digests_are_over_the_disclosure_as_received() -> None:
    """RFC 9901 §4.2.3: the examples write JSON with spaces after commas; re-serialising would
    change the digest."""
    text = base64.urlsafe_b64encode(b'["2GLC42sKQveCfGfryNRN9w", "given_name", "John"]').rstrip(b"=").decode()
    disclosure = sd_jwt.parse_disclosure(text)

    assert (disclosure.salt, disclosure.name, disclosure.value) == ("2GLC42sKQveCfGfryNRN9w", "given_name", "John")
    assert disclosure.digest("sha-256") == "jsu9yVulwQQlhFlM_3JlzMaSFzglhQG0DpfayQwLUK4"


# -- SD-JWT VC, issued and received --------------------------------------------------------------


def test_an_sd_jwt_vc_verifies_with_every_claim() -> None:
    issued = vc.verify_issued(fresh(), NO_TRUST, NOW)

    assert issued.vct == CLAIMS["vct"] and issued.issuer == ISSUER_DID and issued.key == KID
    assert issued.claims["achievement"] == CLAIMS["achievement"]
    assert issued.claims["given_name"] == "Ana" and "_sd" not in json.dumps(issued.claims)
    assert issued.validity == "valid" and issued.holder_jwk == public_key_to_jwk(HOLDER_KEY.public_key())
    assert issued.processed.paths[issued.sd.disclosures[0].text] == ("achievement", "skills", 1)


def test_the_issuer_key_may_come_from_kept_metadata() -> None:
    jwk = {**public_key_to_jwk(ISSUER_KEY.public_key()), "kid": "k1"}
    metadata = parse_metadata({"issuer": "https://college.example", "jwks": {"keys": [jwk]}})
    compact = issue({**CLAIMS, "iss": "https://college.example"}, [], ISSUER_KEY, kid="k1")

    issued = vc.verify_issued(compact, Trusted({}, {"https://college.example": metadata}), NOW)
    with pytest.raises(UnverifiableError) as unknown:
        vc.verify_issued(compact, NO_TRUST, NOW)

    assert issued.key == "https://college.example metadata, kid k1"
    assert unknown.value.code == "E_ISSUER_KEY_UNKNOWN" and "--metadata" in str(unknown.value.hint)


def _resigned(compact: str, mutate: Any) -> str:
    """The SD-JWT with its payload changed by `mutate` and signed again by the issuer."""
    parsed = sd_jwt.parse(compact)
    payload = parsed.unverified_payload
    mutate(payload)
    token = jose.sign({k: v for k, v in parsed.issuer_jwt.header.items() if k != "alg"},
                      json.dumps(payload).encode(), ISSUER_KEY)
    return token + compact[len(parsed.issuer_jwt.token):]


def _extra_disclosure(name: str, value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(["c2FsdHNhbHQ", name, value]).encode()).rstrip(b"=").decode()


def refused(compact: str, error: type = InvalidError) -> Any:
    with pytest.raises(error) as raised:
        vc.verify_issued(compact, NO_TRUST, NOW)
    return raised.value


def test_a_disclosure_never_issued_is_refused() -> None:
    assert refused(fresh() + _extra_disclosure("degree", "PhD") + "~").code == "E_SD_JWT_INVALID"


def test_a_repeated_disclosure_and_a_repeated_digest_are_refused() -> None:
    compact = fresh()
    first = compact.split("~")[1]
    assert "twice" in refused(compact + first + "~").message

    def twice(payload: dict[str, Any]) -> None:
        payload["_sd"].append(payload["_sd"][0])

    assert "more than once" in refused(_resigned(compact, twice)).message


def test_a_disclosure_named_sd_or_dots_is_refused() -> None:
    for name in ("_sd", "..."):
        with pytest.raises(InvalidError):
            sd_jwt.parse_disclosure(_extra_disclosure(name, 1))


def test_a_disclosed_claim_colliding_with_a_plain_one_is_refused() -> None:
    def plain_given_name(payload: dict[str, Any]) -> None:
        payload["given_name"] = "Eve"

    assert "collides" in refused(_resigned(fresh(), plain_given_name)).message


def test_a_changed_payload_or_disclosure_is_refused() -> None:
    parsed = sd_jwt.parse(fresh())
    header, payload, signature = parsed.issuer_jwt.token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["name"] = "Master Welder"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    tampered = ".".join([header, forged, signature]) + fresh()[len(parsed.issuer_jwt.token):]

    assert refused(tampered).code == "E_SIG_INVALID"


@pytest.mark.parametrize(("header", "code"), [({"alg": "none"}, "E_JWS_ALG"), ({"alg": "HS256"}, "E_JWS_ALG"),
                                              ({"alg": "RS256"}, "E_JWS_ALG"),
                                              ({"alg": "ES256", "crit": ["exp"]}, "E_JWS_CRIT")])
def test_unacceptable_algorithms_and_critical_headers_are_refused(header: dict[str, Any], code: str) -> None:
    encoded = base64.urlsafe_b64encode(json.dumps({**header, "typ": "dc+sd-jwt"}).encode()).rstrip(b"=").decode()
    compact = fresh()
    token = sd_jwt.parse(compact).issuer_jwt.token
    assert refused(encoded + token[token.index("."):] + compact[len(token):]).code == code


def test_hs256_signed_with_the_issuers_public_key_is_refused() -> None:
    """The classic confusion: a verifier that trusts the token's alg would check an HMAC keyed
    with the (public) key. The allowlist refuses HS256 before any key is used."""
    import hashlib
    import hmac

    public = json.dumps(public_key_to_jwk(ISSUER_KEY.public_key())).encode()
    header = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"dc+sd-jwt","kid":"' + KID.encode() + b'"}').rstrip(b"=")
    payload = base64.urlsafe_b64encode(json.dumps({**CLAIMS, "_sd_alg": "sha-256"}).encode()).rstrip(b"=")
    mac = base64.urlsafe_b64encode(hmac.new(public, header + b"." + payload, hashlib.sha256).digest()).rstrip(b"=")

    assert refused((header + b"." + payload + b"." + mac).decode() + "~").code == "E_JWS_ALG"


def test_a_registered_claim_made_disclosable_is_refused() -> None:
    compact = issue(CLAIMS, [("exp",)], ISSUER_KEY, kid=KID)
    assert "'exp' is selectively disclosable" in refused(compact).message


def test_the_typ_and_the_vct_are_required() -> None:
    assert refused(issue(CLAIMS, [], ISSUER_KEY, kid=KID, typ="JWT")).code == "E_SD_JWT_TYPE"
    assert refused(issue({k: v for k, v in CLAIMS.items() if k != "vct"}, [], ISSUER_KEY, kid=KID)).code == \
        "E_SD_JWT_VCT"
    assert vc.verify_issued(issue(CLAIMS, [], ISSUER_KEY, kid=KID, typ="vc+sd-jwt"), NO_TRUST, NOW).vct


def test_dates_allow_a_small_skew() -> None:
    exp = int(NOW.timestamp())
    assert vc.verify_issued(fresh(exp=exp - 60), NO_TRUST, NOW).validity == "valid"  # within the skew
    assert vc.verify_issued(fresh(exp=exp - 3600), NO_TRUST, NOW).validity == "expired"
    assert vc.verify_issued(fresh(nbf=exp + 3600), NO_TRUST, NOW).validity == "not yet valid"
    assert refused(fresh(iat=exp + 3600)).code == "E_SD_JWT_IAT"


def test_malformed_sd_jwts_are_bad_input() -> None:
    for compact in ("eyJ", "a.b.c", fresh().replace("~", "~~", 1), "~"):
        refused(compact, BadInputError)


# -- presenting, and checking what was presented -----------------------------------------------------


def test_a_presentation_carries_what_was_chosen_and_its_parents() -> None:
    issued = vc.verify_issued(fresh(), NO_TRUST, NOW)

    shown = vc.present(issued, [("achievement", "hours")], private_key=HOLDER_KEY, aud="hr.example",
                       nonce="n-1", now=NOW)
    seen = vc.verify_issued(shown, NO_TRUST, NOW)

    assert seen.claims["achievement"] == {"name": "Welding Safety", "hours": 45, "skills": ["TIG", "safety"]}
    assert "given_name" not in seen.claims
    binding = vc.verify_key_binding(seen, NOW + timedelta(seconds=30))
    assert (binding.nonce, binding.aud) == ("n-1", "hr.example")


def test_key_binding_failures_each_have_a_code() -> None:
    issued = vc.verify_issued(fresh(), NO_TRUST, NOW)
    shown = vc.present(issued, [("given_name",)], private_key=HOLDER_KEY, aud="a", nonce="n", now=NOW)
    without = vc.present(issued, [("given_name",)], private_key=None, aud=None, nonce=None, now=NOW)
    by_another = vc.present(issued, [("given_name",)], private_key=ec.generate_private_key(ec.SECP256R1()),
                            aud="a", nonce="n", now=NOW)
    added = shown.rsplit("~", 1)[0] + "~" + issued.sd.disclosures[-1].text + "~" + shown.rsplit("~", 1)[1]

    def code(compact: str, when: datetime = NOW) -> str:
        with pytest.raises(InvalidError) as raised:
            vc.verify_key_binding(vc.verify_issued(compact, NO_TRUST, NOW), when)
        return raised.value.code

    assert code(without) == "E_KB_MISSING"
    assert code(by_another) == "E_SIG_INVALID"
    assert code(added) == "E_KB_SD_HASH"
    assert code(shown, NOW + timedelta(minutes=10)) == "E_KB_STALE"


# -- the learner's choice: fields, and what a verifier then sees ----------------------------------


def _values(claims: dict[str, Any], pointers: Any) -> list[str]:
    """The values at `pointers` (array indexes shift once elements are hidden: compare values)."""
    from skillpass.encoding.pointer import resolve_pointer

    return sorted(json.dumps(resolve_pointer(claims, p)) for p in pointers)


def _seen_by_verifier(compact: str, chosen: list[str]) -> list[str]:
    from skillpass.formats.sd_jwt_vc.fields import claim_path, leaves

    kept = vc.held(compact)
    shown = vc.held(vc.present(kept, [claim_path(kept.claims, p) for p in chosen], private_key=None,
                               aud=None, nonce=None, now=NOW))
    return _values(shown.claims, [leaf.pointer for leaf in leaves(shown)])


@pytest.mark.parametrize("chosen", [[], ["/given_name"], ["/achievement/hours"], ["/achievement/name"],
                                    ["/achievement/skills/2"], ["/achievement"], ["/family_name", "/achievement/hours"]])
def test_the_preview_is_exactly_what_a_verifier_sees(chosen: list[str]) -> None:
    from skillpass.formats.sd_jwt_vc.fields import disclosable_fields, revealed
    from skillpass.present.select import Selection

    compact = fresh()
    kept = vc.held(compact)
    fields = disclosable_fields(kept)

    preview = [f.pointer for f in revealed(kept, fields, Selection(tuple(chosen)))]

    assert _values(kept.claims, preview) == _seen_by_verifier(compact, chosen)
    assert all(any(p == c or p.startswith(c + "/") for p in preview) for c in chosen)


def test_fields_say_what_the_issuer_fixed_and_what_the_learner_chooses() -> None:
    from skillpass.formats.sd_jwt_vc.fields import disclosable_fields

    fields = {f.path: f for f in disclosable_fields(vc.held(fresh())).fields}

    assert (fields["vct"].mandatory, fields["vct"].why, fields["vct"].label) == (True, "issuer", "Credential type")
    assert fields["exp"].value == "2030-03-17T17:46:40Z"  # a NumericDate, shown as a date
    assert fields["cnf"].why == "holder binding" and fields["name"].label == "Name"
    assert fields["achievement.name"].mandatory is False  # plain, but inside a disclosable object
    assert fields["achievement.skills[1]"].mandatory is False and fields["achievement.skills[0]"].mandatory is False


def test_issuer_metadata_that_publishes_its_private_key_is_refused() -> None:
    leaked = {**public_key_to_jwk(ISSUER_KEY.public_key()), "d": "AAAA"}

    with pytest.raises(BadInputError) as refused:
        parse_metadata({"issuer": "https://college.example", "jwks": {"keys": [leaked]}})
    assert refused.value.code == "E_METADATA" and "private key" in refused.value.message
