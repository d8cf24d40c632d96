"""SD-JWT VC as a holder presents it and as a verifier checks it, timed against the IETF reference
implementation (PyPI `sd-jwt`).

Usage: python bench/sd_jwt_vc.py [--runs N]  (python bench/bench.py --only sdjwt runs these, with
@sd-jwt/sd-jwt-vc in Node beside them)

One SD-JWT VC is issued once, by the reference issuer (ES256, `typ` dc+sd-jwt, no decoy digests),
with 10 disclosable claims: four at the top, an address object whose three members are disclosable
inside it (nested disclosures), a disclosable achievement member, one disclosable array element.
It is bound to a P-256 holder key (`cnf.jwk`). Both sides work on that same compact string:

1. present: reveal given_name, address.locality (which also needs the address disclosure) and
   skills[1], with a KB-JWT over aud and nonce (ES256). The holder-side parse is done once, outside
   the timing, on both sides (ours: `vc.verify_issued`; the reference: `SDJWTHolder(...)`).
2. verify: one presentation (ours; the reference's is checked to verify on both sides too) with
   the expected aud and nonce. Ours: `vc.verify_issued` + `vc.verify_key_binding` + comparing nonce
   and aud; the reference: `SDJWTVerifier(...).get_verified_payload()`.
3. (for information) present with the parse included. Not like for like: our parse verifies the
   issuer's signature and dates, the reference holder's does not (it says so in a TODO).

What each side does, and the floor under ours (FLOORS, timed in the same run):
- parse. The reference holder (`SDJWTHolder`) splits, `json.loads` the payload, and base64url-
  decodes, `json.loads` and SHA-256s each disclosure: it checks nothing but a repeated disclosure
  and does not rebuild the claims. Ours (`vc.held`) also reads the header (alg, crit, b64, types),
  parses every part as strict JSON (duplicate keys, NaN, depth, lone surrogates), checks each
  disclosure's shape and name, and rebuilds the claims as RFC 9901 §7.1 says (each digest once,
  every disclosure referenced, no collision, the shape fitting its place). @sd-jwt's `getClaims`
  decodes and rebuilds the claims too. Floor: the reference's own steps written as few Python
  steps as they go (no check at all) cost about half its time, so 0.25x is out of reach in
  CPython for a parse that checks anything.
- present. Floor: one ES256 signature with `cryptography` (any KB-JWT costs it). Above it: the
  disclosures the chosen paths need, the sd_hash, the KB-JWT's JSON and base64url, R || S from
  the DER signature. Those steps written inline, as few Python steps as they go, measured 0.28x
  to 0.29x here (December 2026, paired with the reference): 0.25x is out of reach in CPython.
- verify. Floor: the two ES256 verifications alone (issuer JWT and KB-JWT, keys and DER
  signatures made beforehand). The reference verifier checks the two signatures, aud, nonce and
  sd_hash and unpacks the claims; it does not check typ, exp, nbf, iat, the KB-JWT's age, _sd_alg
  beyond sha-256, strict JSON, reserved disclosure names, that every disclosure is referenced, the
  registered claims that must not be disclosable, nor vct; ours checks them all. The key objects:
  the reference's issuer key is a JWK built beforehand, its holder key is built from cnf.jwk on
  every verify; ours looks the issuer key up in the kept metadata (its key for each kid is built
  once per metadata, IssuerMetadata.single_keys) and builds the cnf key (key objects are cached
  by their JWK members, multikey.public_key_from_jwk).

In-process, warm; the two sides are timed alternately, run by run, so that a noisy minute on the
machine falls on both. Not a test: nothing here asserts, except that both sides give the same
result before anything is timed.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from common import paired_medians

TARGET = 0.5  # ours / the reference's

ISSUER = "https://college.example"
AUD, NONCE = "https://employer.example", "n-0S6_WzA2Mj"
CHOSEN: list[tuple[str | int, ...]] = [("given_name",), ("address", "locality"), ("skills", 1)]
REFERENCE_CHOSEN = {"given_name": True, "address": {"locality": True}, "skills": [False, True]}
NODE_FRAME = {"given_name": True, "address": {"locality": True}, "skills": {"1": True}}  # @sd-jwt/present


def reference_claims() -> dict[str, Any]:
    from sd_jwt.common import SDObj

    return {"iss": ISSUER, "vct": "https://credentials.example.ca/welding-safety", "iat": int(time.time()),
            "exp": int(time.time()) + 365 * 86400,
            SDObj("given_name"): "Ana", SDObj("family_name"): "Lavoie", SDObj("email"): "ana@example.ca",
            SDObj("birthdate"): "1998-04-02",
            SDObj("address"): {SDObj("street_address"): "1 rue Principale", SDObj("locality"): "Rimouski",
                               SDObj("postal_code"): "G5L 1A1", "country": "CA"},
            "achievement": {"name": "Welding Safety", SDObj("hours"): 45},
            "skills": ["TIG", SDObj("MIG"), "safety"]}


def setup() -> dict[str, Any]:
    """The issued credential, both sides' keys, and a check that both present and verify alike."""
    from cryptography.hazmat.primitives.asymmetric import ec
    from jwcrypto.jwk import JWK
    from sd_jwt.holder import SDJWTHolder
    from sd_jwt.issuer import SDJWTIssuer
    from sd_jwt.verifier import SDJWTVerifier

    from skillpass.formats.issuer_keys import Trusted, parse_metadata
    from skillpass.formats.sd_jwt_vc import vc
    from skillpass.keys.multikey import public_key_to_jwk

    issuer_private, holder_private = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    issuer_jwk, holder_jwk = JWK.from_pyca(issuer_private), JWK.from_pyca(holder_private)
    issued = SDJWTIssuer(reference_claims(), issuer_jwk, holder_jwk,
                         extra_header_parameters={"typ": "dc+sd-jwt"}).sd_jwt_issuance
    issuer_public = JWK.from_json(issuer_jwk.export_public())
    trusted = Trusted({}, {ISSUER: parse_metadata(
        {"issuer": ISSUER, "jwks": {"keys": [public_key_to_jwk(issuer_private.public_key())]}})})
    now = datetime.now(UTC)
    ours = vc.verify_issued(issued, trusted, now)
    holder = SDJWTHolder(issued)
    setting = {"issued": issued, "trusted": trusted, "now": now, "ours": ours, "holder": holder,
               "holder_private": holder_private, "holder_jwk": holder_jwk, "issuer_public": issuer_public,
               "issuer_public_jwk": issuer_jwk.export_public(as_dict=True),
               "disclosures": issued.count("~") - 1}

    ours_shown = present_ours(setting)()
    present_reference(setting)()
    theirs_shown = holder.sd_jwt_presentation
    expected = {"given_name": "Ana", "address": {"locality": "Rimouski", "country": "CA"},
                "skills": ["TIG", "MIG", "safety"]}
    for shown in (ours_shown, theirs_shown):
        assert sorted(shown.split("~")[1:-1]) == sorted(ours_shown.split("~")[1:-1]), "different disclosures"
        seen = vc.verify_issued(shown, trusted, now)
        binding = vc.verify_key_binding(seen, now)
        assert (binding.nonce, binding.aud) == (NONCE, AUD)
        payload = SDJWTVerifier(shown, lambda iss, header: issuer_public, expected_aud=AUD,
                                expected_nonce=NONCE).get_verified_payload()
        for claims in (seen.claims, payload):
            assert {k: claims.get(k) for k in expected} == expected and "family_name" not in claims, claims
    setting["shown"] = ours_shown
    setting["revealed"] = len(ours_shown.split("~")) - 2
    return setting


def parse_ours(s: dict[str, Any]) -> Callable[[], Any]:
    """The holder's parse of the issued credential, no signature check (`vc.held`)."""
    from skillpass.formats.sd_jwt_vc import vc

    return lambda: vc.held(s["issued"])


def parse_reference(s: dict[str, Any]) -> Callable[[], Any]:
    from sd_jwt.holder import SDJWTHolder

    return lambda: SDJWTHolder(s["issued"])


def present_ours(s: dict[str, Any]) -> Callable[[], str]:
    from skillpass.formats.sd_jwt_vc import vc

    return lambda: vc.present(s["ours"], CHOSEN, private_key=s["holder_private"], aud=AUD, nonce=NONCE, now=s["now"])


def present_reference(s: dict[str, Any]) -> Callable[[], None]:
    return lambda: s["holder"].create_presentation(REFERENCE_CHOSEN, NONCE, AUD, s["holder_jwk"], "ES256")


def receive_and_present_ours(s: dict[str, Any]) -> Callable[[], str]:
    from skillpass.formats.sd_jwt_vc import vc

    def run() -> str:
        issued = vc.verify_issued(s["issued"], s["trusted"], s["now"])
        return vc.present(issued, CHOSEN, private_key=s["holder_private"], aud=AUD, nonce=NONCE, now=s["now"])
    return run


def receive_and_present_reference(s: dict[str, Any]) -> Callable[[], None]:
    from sd_jwt.holder import SDJWTHolder

    def run() -> None:
        SDJWTHolder(s["issued"]).create_presentation(REFERENCE_CHOSEN, NONCE, AUD, s["holder_jwk"], "ES256")
    return run


def verify_ours(s: dict[str, Any]) -> Callable[[], dict[str, Any]]:
    from skillpass.errors import InvalidError
    from skillpass.formats.sd_jwt_vc import vc

    def run() -> dict[str, Any]:
        seen = vc.verify_issued(s["shown"], s["trusted"], s["now"])
        binding = vc.verify_key_binding(seen, s["now"])
        if (binding.nonce, binding.aud) != (NONCE, AUD):
            raise InvalidError("another nonce or audience", "", code="E_KB_CLAIMS")
        return seen.claims
    return run


def verify_reference(s: dict[str, Any]) -> Callable[[], dict[str, Any]]:
    from sd_jwt.verifier import SDJWTVerifier

    # The issuer's key is looked up by a callback: here an already built JWK, the cheapest a
    # verifier could make it. Ours looks it up in the kept issuer metadata on every verify (the
    # key for each kid is built once per metadata; key objects are cached by their JWK members).
    return lambda: SDJWTVerifier(s["shown"], lambda iss, header: s["issuer_public"], expected_aud=AUD,
                                 expected_nonce=NONCE).get_verified_payload()


def floor_parse(s: dict[str, Any]) -> Callable[[], Any]:
    """The reference holder's own work (split, base64url, json.loads, SHA-256), in as few Python
    steps as it goes, checking nothing: what no parse in CPython can go below."""
    import binascii
    import hashlib
    import json

    to_standard, padding, compact = bytes.maketrans(b"-_", b"+/"), (b"", b"", b"==", b"="), s["issued"]

    def decoded(text: str) -> bytes:
        return binascii.a2b_base64(text.encode().translate(to_standard) + padding[len(text) % 4])

    def run() -> Any:
        parts = compact.split("~")
        payload = json.loads(decoded(parts[0].split(".")[1]))
        return payload, {hashlib.sha256(text.encode()).digest(): json.loads(decoded(text)) for text in parts[1:-1]}
    return run


def floor_sign(s: dict[str, Any]) -> Callable[[], Any]:
    """One ES256 signature (cryptography) over a KB-JWT's signing input."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec

    signing_input, algorithm = s["shown"].split("~")[-1].rpartition(".")[0].encode(), ec.ECDSA(hashes.SHA256())
    return lambda: s["holder_private"].sign(signing_input, algorithm)


def floor_verify(s: dict[str, Any]) -> Callable[[], None]:
    """The two ES256 verifications of a presentation alone, keys and DER signatures made before."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec

    from skillpass.formats import jose
    from skillpass.keys.multibase import b64url_decode

    algorithm = ec.ECDSA(hashes.SHA256())
    parts = s["shown"].split("~")
    keys = (s["issuer_public"].get_op_key("verify"), s["holder_private"].public_key())
    checks = []
    for token, key in zip((parts[0], parts[-1]), keys):
        signing_input, _, signature = token.rpartition(".")
        checks.append((key, jose.der_signature(b64url_decode(signature, max_bytes=64), "ES256"),
                       signing_input.encode()))

    def run() -> None:
        for key, signature, data in checks:
            key.verify(signature, data, algorithm)
    return run


FLOORS = {"parse": floor_parse, "present": floor_sign, "verify": floor_verify}


def table(runs: int) -> str:
    s = setup()
    rows = [
        ("present: 3 claims + KB-JWT (parse outside the timing)", present_ours(s), present_reference(s)),
        ("verify: presentation + KB-JWT, aud and nonce", verify_ours(s), verify_reference(s)),
        ("present, parse included (ours also checks the issuer signature; not like for like)",
         receive_and_present_ours(s), receive_and_present_reference(s)),
    ]
    lines = ["| operation | skillpass | sd-jwt (reference) | ratio (ours/ref) |", "|---|---|---|---|"]
    for name, ours, theirs in rows:
        ours_ms, theirs_ms = paired_medians(ours, theirs, runs)
        ratio = ours_ms / theirs_ms
        mark = "" if ratio <= TARGET or "not like for like" in name else " (over target)"
        lines.append(f"| {name} | {ours_ms:.2f} ms | {theirs_ms:.2f} ms | {ratio:.2f}x{mark} |")
    for (name, floor), theirs in zip(FLOORS.items(), (parse_reference(s), present_reference(s), verify_reference(s))):
        floor_ms, theirs_ms = paired_medians(floor(s), theirs, runs)
        lines.append(f"| floor of {name} ({(floor.__doc__ or '').split(':')[0].strip()}) | {floor_ms:.2f} ms | "
                     f"{theirs_ms:.2f} ms | {floor_ms / theirs_ms:.2f}x |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    print(table(parser.parse_args().runs))


if __name__ == "__main__":
    main()
