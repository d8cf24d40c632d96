"""SD-JWT VC both ways with two implementations nobody here wrote: the IETF reference (PyPI
`sd-jwt`) and the OpenWallet Foundation's `@sd-jwt/sd-jwt-vc` (npm, in tests/interop/sdjwt.mjs).
Their credentials verify here; presentations made here verify there with nonce and audience;
theirs verify here. First the format code itself, then the whole way through the commands:
their credential bound to the wallet's key, `skillpass import`, `skillpass share` to their
verifier, and their presentations to `skillpass verify`."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from skillpass.errors import InvalidError
from skillpass.formats.issuer_keys import Trusted, parse_metadata
from skillpass.formats.sd_jwt_vc import vc
from skillpass.keys.multikey import public_key_from_jwk, public_key_to_jwk

pytestmark = pytest.mark.interop

ISSUER = "https://college.example"
VCT = "https://credentials.example.ca/welding-safety"
AUD, NONCE = "https://employer.example", "c7f2-sd-jwt-interop"
CLAIMS = {"iss": ISSUER, "vct": VCT, "iat": 1780000000, "given_name": "Ana", "family_name": "Lavoie",
          "achievement": {"name": "Welding Safety", "hours": 45}, "skills": ["TIG", "MIG"]}


def now() -> datetime:
    return datetime.now(UTC)


def trusted(issuer_jwk: dict[str, Any]) -> Trusted:
    public = {k: issuer_jwk[k] for k in ("kty", "crv", "x", "y")}
    return Trusted({}, {ISSUER: parse_metadata({"issuer": ISSUER, "jwks": {"keys": [public]}})})


def private_key_of(jwk: dict[str, Any]) -> Any:
    from skillpass.keys.multibase import b64url_decode

    public = public_key_from_jwk({k: jwk[k] for k in ("kty", "crv", "x", "y")})
    return ec.derive_private_key(int.from_bytes(b64url_decode(jwk["d"], max_bytes=32), "big"), public.curve)


# -- the IETF reference implementation ----------------------------------------------------------


@pytest.fixture(scope="module")
def reference() -> dict[str, Any]:
    from jwcrypto.jwk import JWK
    from sd_jwt.common import SDObj
    from sd_jwt.issuer import SDJWTIssuer

    issuer_key, holder_key = JWK.generate(kty="EC", crv="P-256"), JWK.generate(kty="EC", crv="P-256")
    claims = {**{k: v for k, v in CLAIMS.items() if k not in ("given_name", "family_name", "skills")},
              SDObj("given_name"): "Ana", SDObj("family_name"): "Lavoie",
              "skills": ["TIG", SDObj("MIG")]}
    issued = SDJWTIssuer(claims, issuer_key, holder_key, extra_header_parameters={"typ": "dc+sd-jwt"},
                         add_decoy_claims=True).sd_jwt_issuance
    return {"issued": issued, "issuer": json.loads(issuer_key.export_public()),
            "holder": json.loads(holder_key.export_private()), "holder_jwk": holder_key}


def test_a_reference_sd_jwt_vc_is_received_here(reference: dict[str, Any]) -> None:
    issued = vc.verify_issued(reference["issued"], trusted(reference["issuer"]), now())

    assert issued.vct == VCT and issued.issuer == ISSUER
    assert issued.claims["given_name"] == "Ana" and issued.claims["skills"] == ["TIG", "MIG"]
    assert issued.holder_jwk["x"] == reference["holder"]["x"]


def test_our_presentation_verifies_in_the_reference_verifier(reference: dict[str, Any]) -> None:
    from jwcrypto.jwk import JWK
    from sd_jwt.verifier import SDJWTVerifier

    issued = vc.verify_issued(reference["issued"], trusted(reference["issuer"]), now())
    shown = vc.present(issued, [("given_name",)], private_key=private_key_of(reference["holder"]),
                       aud=AUD, nonce=NONCE, now=now())
    issuer_key = JWK(**reference["issuer"])

    verified = SDJWTVerifier(shown, lambda iss, header: issuer_key, expected_aud=AUD,
                             expected_nonce=NONCE).get_verified_payload()

    assert verified["given_name"] == "Ana" and "family_name" not in verified
    with pytest.raises(Exception):
        SDJWTVerifier(shown, lambda iss, header: issuer_key, expected_aud=AUD, expected_nonce="another")


def test_a_reference_presentation_verifies_here(reference: dict[str, Any]) -> None:
    from sd_jwt.holder import SDJWTHolder

    holder = SDJWTHolder(reference["issued"])
    holder.create_presentation({"family_name": True, "skills": [False, True]}, NONCE, AUD,
                               reference["holder_jwk"], "ES256")

    seen = vc.verify_issued(holder.sd_jwt_presentation, trusted(reference["issuer"]), now())
    binding = vc.verify_key_binding(seen, now())

    assert seen.claims["family_name"] == "Lavoie" and "given_name" not in seen.claims
    assert (binding.nonce, binding.aud) == (NONCE, AUD)


# -- the OpenWallet Foundation's TypeScript implementation ------------------------------------------


@pytest.fixture(scope="module")
def owf(peer: Any) -> dict[str, Any]:
    issuer, holder = peer.run("sdjwt-keygen"), peer.run("sdjwt-keygen")
    issued = peer.run("sdjwt-issue", "--key", json.dumps(issuer["privateKey"]), input_json={
        "payload": CLAIMS, "holderJwk": {k: holder["publicKey"][k] for k in ("kty", "crv", "x", "y")},
        "header": {"typ": "dc+sd-jwt"},
        "disclosureFrame": {"_sd": ["given_name", "family_name", "achievement"],
                            "achievement": {"_sd": ["hours"]}, "skills": {"_sd": [1]}}})["sdJwt"]
    return {"issued": issued, "issuer": issuer, "holder": holder}


def test_an_owf_sd_jwt_vc_is_received_here(owf: dict[str, Any]) -> None:
    issued = vc.verify_issued(owf["issued"], trusted(owf["issuer"]["publicKey"]), now())

    assert issued.claims["achievement"] == {"name": "Welding Safety", "hours": 45}
    assert issued.claims["skills"] == ["TIG", "MIG"] and issued.vct == VCT


def test_our_presentation_verifies_in_the_owf_verifier(peer: Any, owf: dict[str, Any]) -> None:
    issued = vc.verify_issued(owf["issued"], trusted(owf["issuer"]["publicKey"]), now())
    shown = vc.present(issued, [("achievement", "hours")], private_key=private_key_of(owf["holder"]["privateKey"]),
                       aud=AUD, nonce=NONCE, now=now())
    issuer_key = json.dumps(owf["issuer"]["publicKey"])

    verdict = peer.run("sdjwt-verify", "--issuer-key", issuer_key, "--nonce", NONCE, "--aud", AUD,
                       input_json={"sdJwt": shown})
    replay = peer.run("sdjwt-verify", "--issuer-key", issuer_key, "--nonce", "another", "--aud", AUD,
                      input_json={"sdJwt": shown})

    assert verdict["verified"] is True, verdict
    assert verdict["claims"]["achievement"] == {"name": "Welding Safety", "hours": 45}
    assert "given_name" not in verdict["claims"] and verdict["keyBinding"] is True
    assert replay["verified"] is False


def test_an_owf_presentation_verifies_here(peer: Any, owf: dict[str, Any]) -> None:
    shown = peer.run("sdjwt-present", "--key", json.dumps(owf["holder"]["privateKey"]), "--aud", AUD,
                     "--nonce", NONCE, input_json={"sdJwt": owf["issued"],
                                                   "presentationFrame": {"given_name": True}})["presentation"]

    seen = vc.verify_issued(shown, trusted(owf["issuer"]["publicKey"]), now())
    binding = vc.verify_key_binding(seen, now())
    tampered = shown.replace(shown.split("~")[1], owf["issued"].split("~")[2], 1)

    assert seen.claims["given_name"] == "Ana" and "family_name" not in seen.claims
    assert (binding.nonce, binding.aud) == (NONCE, AUD)
    with pytest.raises(InvalidError):
        vc.verify_key_binding(vc.verify_issued(tampered, trusted(owf["issuer"]["publicKey"]), now()), now())


def test_keys_the_peers_print_are_the_jwks_we_read(owf: dict[str, Any]) -> None:
    public = owf["holder"]["publicKey"]
    assert public_key_to_jwk(public_key_from_jwk({k: public[k] for k in ("kty", "crv", "x", "y")}))["x"] == public["x"]


# -- through the wallet and the verifier commands ----------------------------------------------


def _wallet_jwk(cli: Any) -> dict[str, Any]:
    return next(k["publicKeyJwk"] for k in cli.with_passphrase("did", "--json").json() if k["keyType"] == "P-256")


def _trust_issuer(cli: Any, tmp_path: Any, issuer_jwk: dict[str, Any]) -> None:
    public = {k: issuer_jwk[k] for k in ("kty", "crv", "x", "y")}
    metadata = tmp_path / "jwt-vc-issuer.json"
    metadata.write_text(json.dumps({"issuer": ISSUER, "jwks": {"keys": [public]}}))
    assert cli("trust", "add", "--metadata", str(metadata), "--name", "College").returncode == 0


def _import(cli: Any, tmp_path: Any, text: str) -> str:
    path = tmp_path / "received.sd-jwt"
    path.write_text(text)
    result = cli.with_passphrase("import", str(path), "--json")
    assert result.returncode == 0, result.stdout
    [outcome] = result.json()
    assert outcome["status"] == "imported" and "warning" not in outcome, outcome
    return str(outcome["id"])


def _share(cli: Any, credential_id: str, *reveal: str) -> str:
    args = [a for field in reveal for a in ("--reveal", field)]
    result = cli.with_passphrase("share", credential_id, *args, "--challenge", NONCE, "--domain", AUD, "--out", "-")
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def _verify(cli: Any, tmp_path: Any, text: str, challenge: str = NONCE) -> Any:
    path = tmp_path / "shown.sd-jwt"
    path.write_text(text + "\n")
    return cli("verify", str(path), "--challenge", challenge, "--domain", AUD, "--json")


def test_a_reference_sd_jwt_vc_goes_through_the_wallet_to_the_reference_verifier(
        cli: Any, wallet_home: Any, tmp_path: Any) -> None:
    from jwcrypto.jwk import JWK
    from sd_jwt.common import SDObj
    from sd_jwt.issuer import SDJWTIssuer
    from sd_jwt.verifier import SDJWTVerifier

    issuer_key = JWK.generate(kty="EC", crv="P-256")
    claims = {"iss": ISSUER, "vct": VCT, "iat": 1780000000, SDObj("given_name"): "Ana",
              SDObj("family_name"): "Lavoie", "skills": ["TIG", SDObj("MIG")]}
    issued = SDJWTIssuer(claims, issuer_key, JWK(**_wallet_jwk(cli)), add_decoy_claims=True,
                         extra_header_parameters={"typ": "dc+sd-jwt"}).sd_jwt_issuance
    _trust_issuer(cli, tmp_path, json.loads(issuer_key.export_public()))

    shown = _share(cli, _import(cli, tmp_path, issued), "skills[1]")
    verified = SDJWTVerifier(shown, lambda iss, header: issuer_key, expected_aud=AUD,
                             expected_nonce=NONCE).get_verified_payload()

    assert verified["skills"] == ["TIG", "MIG"] and "given_name" not in verified  # TIG is plain
    assert _verify(cli, tmp_path, shown).json()["outcome"] == "verified"


def test_a_reference_presentation_verifies_with_skillpass_verify(cli: Any, reference: dict[str, Any],
                                                                 tmp_path: Any) -> None:
    from sd_jwt.holder import SDJWTHolder

    _trust_issuer(cli, tmp_path, reference["issuer"])
    holder = SDJWTHolder(reference["issued"])
    holder.create_presentation({"given_name": True}, NONCE, AUD, reference["holder_jwk"], "ES256")

    report = _verify(cli, tmp_path, holder.sd_jwt_presentation)
    replay = _verify(cli, tmp_path, holder.sd_jwt_presentation, challenge="another")

    assert report.returncode == 0, report.stdout
    disclosed = {d["path"]: d["value"] for d in report.json()["credentials"][0]["disclosed"]}
    assert disclosed["/given_name"] == "Ana" and "/family_name" not in disclosed
    assert replay.returncode == 9


def test_an_owf_sd_jwt_vc_goes_through_the_wallet_to_the_owf_verifier(peer: Any, cli: Any, wallet_home: Any,
                                                                      tmp_path: Any) -> None:
    issuer = peer.run("sdjwt-keygen")
    issued = peer.run("sdjwt-issue", "--key", json.dumps(issuer["privateKey"]), input_json={
        "payload": CLAIMS, "holderJwk": _wallet_jwk(cli), "header": {"typ": "dc+sd-jwt"},
        "disclosureFrame": {"_sd": ["given_name", "family_name", "achievement"],
                            "achievement": {"_sd": ["hours"]}}})["sdJwt"]
    _trust_issuer(cli, tmp_path, issuer["publicKey"])

    shown = _share(cli, _import(cli, tmp_path, issued), "achievement.hours")
    verdict = peer.run("sdjwt-verify", "--issuer-key", json.dumps(issuer["publicKey"]), "--nonce", NONCE,
                       "--aud", AUD, input_json={"sdJwt": shown})

    assert verdict["verified"] is True and verdict["keyBinding"] is True, verdict
    assert verdict["claims"]["achievement"] == {"name": "Welding Safety", "hours": 45}
    assert "given_name" not in verdict["claims"]


def test_an_owf_presentation_verifies_with_skillpass_verify(peer: Any, owf: dict[str, Any], cli: Any,
                                                            tmp_path: Any) -> None:
    _trust_issuer(cli, tmp_path, owf["issuer"]["publicKey"])
    shown = peer.run("sdjwt-present", "--key", json.dumps(owf["holder"]["privateKey"]), "--aud", AUD,
                     "--nonce", NONCE, input_json={"sdJwt": owf["issued"],
                                                   "presentationFrame": {"skills": {"1": True}}})["presentation"]

    report = _verify(cli, tmp_path, shown)

    assert report.returncode == 0, report.stdout
    document = report.json()
    assert {c["name"]: c["status"] for c in document["checks"]}["holder proof"] == "passed"
    disclosed = {d["path"]: d["value"] for d in document["credentials"][0]["disclosed"]}
    assert disclosed["/skills/1"] == "MIG" and "/given_name" not in disclosed
