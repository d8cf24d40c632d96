"""The JWT-shaped cases of the hostile corpus (make_corpus.py writes them): SD-JWT VCs, their
presentations with a KB-JWT, VC-JWTs and JWT presentations, each broken in one way.

Every signature is Ed25519 (deterministic) and every salt counts up, so the files come out byte
for byte the same. The issuer and the holder are did:key, so nothing needs issuer metadata.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime, timezone
from typing import Any, Callable

from cryptography.hazmat.primitives import serialization

from skillpass.formats import jose
from skillpass.formats.sd_jwt_vc import vc
from skillpass.formats.sd_jwt_vc.issue import issue
from skillpass.keys.multikey import public_key_to_jwk

AT = datetime(2026, 1, 15, tzinfo=timezone.utc)
VCT = "https://credentials.example.ca/welding-safety"
DISCLOSABLE = [("given_name",), ("family_name",), ("achievement",), ("achievement", "hours"), ("skills", 1)]
# What the verifier is told to expect; --max-age keeps fixed KB-JWTs fresh for the checks after it.
ASKED = ["--challenge", "corpus", "--domain", "corpus.example"]
FRESH = [*ASKED, "--max-age", "999999999"]
Case = Callable[..., None]


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def claims(issuer: str, **extra: Any) -> dict[str, Any]:
    return {"iss": issuer, "iat": int(AT.timestamp()), "vct": VCT, "given_name": "Ana", "family_name": "Roy",
            "achievement": {"name": "Welding Safety", "hours": 12}, "skills": ["welding", "safety"], **extra}


class Salts:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> str:
        self.count += 1
        return f"salt-{self.count:04d}"


def sd_jwt_vc(issuer: Any, holder: Any, *, disclosable: list[Any] = DISCLOSABLE, **extra: Any) -> str:
    return issue(claims(issuer.did, **extra), disclosable, issuer.private_key, kid=kid(issuer),
                 holder_jwk=public_key_to_jwk(holder.private_key.public_key()), salt=Salts())


def kid(party: Any) -> str:
    return f"{party.did}#{party.did[len('did:key:'):]}"


def resigned(compact: str, issuer: Any, change: Callable[[dict[str, Any]], None],
             header: dict[str, Any] | None = None) -> str:
    """`compact` with its issuer payload changed by `change` and signed again (a malicious issuer
    or a forger who has the key: the signature holds, the structure does not)."""
    token, _, rest = compact.partition("~")
    payload = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
    change(payload)
    head = header or {"typ": "dc+sd-jwt", "kid": kid(issuer)}
    return jose.sign(head, json.dumps(payload).encode(), issuer.private_key) + "~" + rest


def unsigned_token(header: dict[str, Any], payload: dict[str, Any], signature: bytes = b"") -> str:
    return f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}.{b64(signature)}"


def hs256_with_public_key(header: dict[str, Any], payload: dict[str, Any], issuer: Any) -> str:
    """The key-confusion attack: HMAC keyed with the issuer's *public* key, hoping a verifier
    takes the alg from the header."""
    secret = issuer.private_key.public_key().public_bytes(serialization.Encoding.Raw,
                                                          serialization.PublicFormat.Raw)
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}"
    return f"{signing_input}.{b64(hmac.new(secret, signing_input.encode(), hashlib.sha256).digest())}"


def disclosure(*parts: Any) -> str:
    return b64(json.dumps(list(parts)).encode())


def digest(text: str) -> str:
    return b64(hashlib.sha256(text.encode("ascii")).digest())


def presented(compact: str, holder: Any, chosen: list[Any], *, nonce: str = "corpus",
              aud: str = "corpus.example", at: datetime = AT) -> str:
    return vc.present(vc.held(compact), chosen, private_key=holder.private_key, aud=aud, nonce=nonce, now=at)


def kb_jwt(prefix: str, signer: Any, typ: str = "kb+jwt", **claims_: Any) -> str:
    from skillpass.formats.sd_jwt_vc.sd_jwt import sd_hash

    body = {"iat": int(AT.timestamp()), "aud": "corpus.example", "nonce": "corpus",
            "sd_hash": sd_hash(prefix, "sha-256"), **claims_}
    return jose.sign({"typ": typ}, json.dumps(body).encode(), signer.private_key)


def jwt_cases(case: Case, issuer: Any, holder: Any, other: Any) -> None:
    good = sd_jwt_vc(issuer, holder)
    payload = claims(issuer.did)
    header = {"alg": "EdDSA", "typ": "dc+sd-jwt", "kid": kid(issuer)}
    both = {"commands": ["import", "verify"], "args": FRESH}
    # -- issued SD-JWT VCs, refused at import and by a verifier (exit 9 unless said) --------------
    case("sd-jwt-alg-none.sd-jwt", (unsigned_token({**header, "alg": "none"}, payload) + "~").encode(),
         9, "E_JWS_ALG", **both)
    case("sd-jwt-hs256-public-key.sd-jwt", (hs256_with_public_key({**header, "alg": "HS256"}, payload, issuer)
                                            + "~").encode(), 9, "E_JWS_ALG", **both)
    case("sd-jwt-unknown-crit.sd-jwt", (jose.sign({**header, "crit": ["urn:example:ext"], "urn:example:ext": 1},
                                                  json.dumps(payload).encode(), issuer.private_key) + "~").encode(),
         9, "E_JWS_CRIT", **both)
    case("sd-jwt-tampered-payload.sd-jwt", _tampered(good).encode(), 9, "E_SIG_INVALID", **both)
    case("sd-jwt-duplicate-digest.sd-jwt",
         resigned(good, issuer, lambda p: p["_sd"].append(p["_sd"][0])).encode(), 9, "E_SD_JWT_INVALID", **both)
    for name in ("_sd", "..."):
        extra = disclosure("salt-x", name, "x")
        case(f"sd-jwt-disclosure-named-{'sd' if name == '_sd' else 'dots'}.sd-jwt",
             (resigned(good, issuer, lambda p, d=extra: p["_sd"].append(digest(d))) + extra + "~").encode(),
             9, "E_SD_JWT_INVALID", **both)
    case("sd-jwt-disclosure-collides.sd-jwt",
         resigned(good, issuer, lambda p: p.update(given_name="Eve")).encode(), 9, "E_SD_JWT_INVALID", **both)
    case("sd-jwt-disclosure-never-issued.sd-jwt", (good + disclosure("salt-x", "honours", True) + "~").encode(),
         9, "E_SD_JWT_INVALID", **both)
    case("sd-jwt-vct-disclosable.sd-jwt",
         sd_jwt_vc(issuer, holder, disclosable=[*DISCLOSABLE, ("vct",)]).encode(), 9, "E_SD_JWT_INVALID", **both)
    case("sd-jwt-no-vct.sd-jwt", resigned(good, issuer, lambda p: p.pop("vct")).encode(), 9, "E_SD_JWT_VCT", **both)
    case("sd-jwt-unknown-issuer.sd-jwt",
         resigned(good, issuer, lambda p: p.update(iss="https://unknown.example"),
                  header={"typ": "dc+sd-jwt"}).encode(), 10, "E_ISSUER_KEY_UNKNOWN", **both)
    case("sd-jwt-presented.sd-jwt", presented(good, holder, [("given_name",)]).encode(), 8, "E_SD_JWT_PRESENTED",
         commands=["import"])
    # -- presentations with a KB-JWT, refused by a verifier -----------------------------------
    verify = {"commands": ["verify"], "args": FRESH}
    chosen = [("given_name",)]
    case("sd-jwt-kb-wrong-nonce.sd-jwt", presented(good, holder, chosen, nonce="other").encode(), 9,
         "E_CHALLENGE", **verify)
    case("sd-jwt-kb-wrong-audience.sd-jwt", presented(good, holder, chosen, aud="elsewhere.example").encode(), 9,
         "E_DOMAIN", **verify)
    case("sd-jwt-kb-stale.sd-jwt", presented(good, holder, chosen).encode(), 9, "E_KB_STALE",
         commands=["verify"], args=ASKED)
    case("sd-jwt-kb-missing.sd-jwt", vc.present(vc.held(good), chosen, private_key=None, aud=None, nonce=None,
                                                now=AT).encode(), 9, "E_KB_MISSING", **verify)
    shown = presented(good, holder, chosen)
    prefix, kb = shown[:shown.rindex("~") + 1], shown[shown.rindex("~") + 1:]
    case("sd-jwt-kb-disclosure-never-issued.sd-jwt", (prefix + disclosure("salt-x", "honours", True) + "~" + kb).encode(),
         9, "E_SD_JWT_INVALID", **verify)
    hidden = next(d for d in good.split("~")[1:-1] if b'"family_name"' in base64.urlsafe_b64decode(d + "=="))
    case("sd-jwt-kb-disclosure-added.sd-jwt", (prefix + hidden + "~" + kb).encode(), 9, "E_KB_SD_HASH", **verify)
    case("sd-jwt-kb-signed-by-another-key.sd-jwt", (prefix + kb_jwt(prefix, other)).encode(), 9,
         "E_SIG_INVALID", **verify)
    case("sd-jwt-kb-typ-jwt.sd-jwt", (prefix + kb_jwt(prefix, holder, typ="JWT")).encode(), 9, "E_KB_TYPE", **verify)
    # -- VC-JWT and JWT presentations ------------------------------------------------------------
    vc_claims = {"iss": issuer.did, "sub": holder.did, "nbf": int(AT.timestamp()), "jti": "urn:uuid:corpus-1",
                 "vc": {"@context": ["https://www.w3.org/2018/credentials/v1"],
                        "type": ["VerifiableCredential"], "credentialSubject": {"skill": "welding"}}}
    vc_header = {"alg": "EdDSA", "typ": "JWT", "kid": kid(issuer)}
    case("vc-jwt-alg-none.jwt", unsigned_token({**vc_header, "alg": "none"}, vc_claims).encode(), 9, "E_JWS_ALG",
         **both)
    case("vc-jwt-hs256-public-key.jwt", hs256_with_public_key({**vc_header, "alg": "HS256"}, vc_claims,
                                                              issuer).encode(), 9, "E_JWS_ALG", **both)
    token = jose.sign(vc_header, json.dumps(vc_claims).encode(), issuer.private_key)
    vp = {"iss": holder.did, "aud": "corpus.example", "nonce": "other", "iat": int(AT.timestamp()),
          "vp": {"type": ["VerifiablePresentation"], "verifiableCredential": [token]}}
    case("jwt-vp-wrong-nonce.jwt", jose.sign({"typ": "JWT", "kid": kid(holder)}, json.dumps(vp).encode(),
                                             holder.private_key).encode(), 9, "E_CHALLENGE", **verify)
    case("jwt-vp-signed-by-another-key.jwt", jose.sign({"typ": "JWT", "kid": kid(other)},
                                                       json.dumps({**vp, "nonce": "corpus"}).encode(),
                                                       other.private_key).encode(), 9, "E_CONTROLLER_MISMATCH",
         **verify)


def _tampered(compact: str) -> str:
    token, _, rest = compact.partition("~")
    head, body, signature = token.split(".")
    payload = json.loads(base64.urlsafe_b64decode(body + "=="))
    payload["achievement_level"] = "expert"
    return f"{head}.{b64(json.dumps(payload).encode())}.{signature}~{rest}"
