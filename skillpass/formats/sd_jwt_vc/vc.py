"""SD-JWT VC (draft-ietf-oauth-sd-jwt-vc) on top of RFC 9901: what makes an SD-JWT a credential,
and checking one as its holder receives it or as a verifier is shown it.

§3.2.1: the JOSE `typ` is `dc+sd-jwt` (earlier drafts and RFC 9901 A.3: `vc+sd-jwt`). §3.2.2:
`vct` is required; `iss`, `nbf`, `exp`, `cnf`, `vct`, `vct#integrity` and `status` must not be
selectively disclosable. `exp`, `nbf` and `iat` are checked with a small clock skew. A holder
refuses an issued SD-JWT that already carries a KB-JWT (RFC 9901 §7.2). Key binding (§7.3 / §4.3):
the KB-JWT (`typ` kb+jwt) is signed by the `cnf.jwk` key over `iat`, `aud`, `nonce` and
`sd_hash`, the digest of everything before it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from skillpass.encoding.dates import CLOCK_SKEW, numeric_date
from skillpass.errors import InvalidError
from skillpass.formats import jose
from skillpass.formats.issuer_keys import Trusted, issuer_key
from skillpass.formats.sd_jwt_vc import sd_jwt
from skillpass.formats.sd_jwt_vc.sd_jwt import Path, Processed, SdJwt
from skillpass.keys.multikey import public_key_from_jwk

TYPES = ("dc+sd-jwt", "vc+sd-jwt")
KB_TYPE = "kb+jwt"
NOT_DISCLOSABLE = frozenset({"iss", "nbf", "exp", "cnf", "vct", "vct#integrity", "status"})
MAX_AGE = timedelta(minutes=5)  # how old a key binding may be (verify --max-age)


@dataclass(frozen=True)
class Issued:
    """An SD-JWT VC whose issuer signature and disclosures verified."""

    sd: SdJwt
    processed: Processed
    issuer: str
    vct: str
    key: str  # where the issuer's key came from
    holder_jwk: dict[str, Any] | None  # cnf.jwk: who may present it with key binding
    validity: str  # 'valid', 'expired', 'not yet valid'

    @property
    def claims(self) -> dict[str, Any]:
        return self.processed.claims


@dataclass(frozen=True)
class Held:
    """An SD-JWT VC as the wallet keeps it: its signature verified when it was imported."""

    sd: SdJwt
    processed: Processed

    @property
    def claims(self) -> dict[str, Any]:
        return self.processed.claims


def held(compact: str) -> Held:
    """The kept SD-JWT VC, parsed and its disclosures processed (no signature check)."""
    sd = sd_jwt.parse(compact)
    return Held(sd, sd_jwt.process(sd.unverified_payload, sd.disclosures))


@dataclass(frozen=True)
class KeyBinding:
    nonce: str
    aud: str
    iat: datetime


def verify_issued(compact: str | SdJwt, trusted: Trusted, now: datetime) -> Issued:
    """Everything but the key binding: typ, issuer signature, disclosures, vct, dates. `compact`
    may be given already split (sd_jwt.parse), as a verifier that counted its disclosures has it."""
    sd = compact if isinstance(compact, SdJwt) else sd_jwt.parse(compact)
    typ = sd.issuer_jwt.header.get("typ")
    if typ not in TYPES:
        raise InvalidError(f"the SD-JWT's typ is {typ!r}, not dc+sd-jwt: it is not an SD-JWT VC",
                           "ask the issuer for an SD-JWT VC", code="E_SD_JWT_TYPE")
    payload = sd.unverified_payload
    key = issuer_key(sd.issuer_jwt.header, payload.get("iss"), trusted)
    jose.verify(sd.issuer_jwt, key.public_key, "SD-JWT")
    processed = sd_jwt.process(payload, sd.disclosures)
    claims = processed.claims
    if not isinstance(claims.get("vct"), str) or not claims["vct"]:
        raise InvalidError("the SD-JWT VC has no vct (credential type)", "ask the issuer for a complete credential",
                           code="E_SD_JWT_VCT")
    disclosed = sorted(str(path[0]) for path in processed.paths.values() if len(path) == 1
                       and path[0] in NOT_DISCLOSABLE)
    if disclosed:
        raise sd_jwt.invalid(f"the registered claim {disclosed[0]!r} is selectively disclosable")
    issuer = str(claims.get("iss") or key.source.split("#")[0])
    return Issued(sd, processed, issuer, claims["vct"], key.source, holder_jwk_of(claims),
                  validity(claims, now))


def validity(claims: dict[str, Any], now: datetime) -> str:
    """exp and nbf against `now`, with CLOCK_SKEW either way; an `iat` from the future is invalid."""
    moments = {name: _numeric(claims, name) for name in ("exp", "nbf", "iat")}
    if moments["iat"] is not None and moments["iat"] > now + CLOCK_SKEW:
        raise InvalidError("the SD-JWT says it was issued in the future",
                           "check this computer's clock, or ask for a new copy", code="E_SD_JWT_IAT")
    if moments["exp"] is not None and now >= moments["exp"] + CLOCK_SKEW:
        return "expired"
    if moments["nbf"] is not None and now < moments["nbf"] - CLOCK_SKEW:
        return "not yet valid"
    return "valid"


def _numeric(claims: dict[str, Any], name: str) -> datetime | None:
    value = claims.get(name)
    moment = numeric_date(value)
    if moment is None and value is not None:
        raise InvalidError(f"the SD-JWT's {name} is not a NumericDate in range", "ask the issuer for a "
                           "corrected copy", code="E_SD_JWT_DATE")
    return moment


# -- the holder: a presentation -------------------------------------------------------------------


def present(issued: Issued | Held, chosen: list[Path], *, private_key: Any | None, aud: str | None,
            nonce: str | None, now: datetime) -> str:
    """The SD-JWT with only the disclosures `chosen` needs, and a KB-JWT when `private_key` (the
    cnf key) is given (RFC 9901 §5.1)."""
    texts, sd = sd_jwt.wanted_for(chosen, issued.processed), issued.sd
    prefix = sd.with_texts([d.text for d in sd.disclosures if d.text in texts])
    if private_key is None:
        return prefix
    # §4.3: json.dumps of {"iat", "sd_hash", "aud", "nonce"}, its strings encoded one by one (a
    # dict costs json a new encoder a call)
    digest = sd_jwt.sd_hash(prefix, sd_jwt.sd_alg(sd.unverified_payload))  # base64url: nothing to escape
    claims = f'{{"iat": {int(now.timestamp())}, "sd_hash": "{digest}"'
    if aud is not None:
        claims += ', "aud": ' + json_string(aud)
    if nonce is not None:
        claims += ', "nonce": ' + json_string(nonce)
    return prefix + jose.sign(_KB_HEADER, (claims + "}").encode(), private_key)


_KB_HEADER = {"typ": KB_TYPE}  # jose.sign only reads it


def json_string(text: str) -> str:
    """json.dumps(text): a printable ASCII text with no quote or backslash is itself in quotes
    (json escapes nothing else), any other goes through json."""
    if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
        return '"' + text + '"'
    return json.dumps(text)


# -- the verifier: the key binding ----------------------------------------------------------------


def verify_key_binding(issued: Issued, now: datetime, max_age: timedelta = MAX_AGE) -> KeyBinding:
    """RFC 9901 §7.3 step 5: the KB-JWT's type, its signature by the cnf key, its sd_hash, its
    age. Nonce and audience are returned for the caller to compare with what it asked for."""
    if issued.sd.kb_jwt is None:
        raise InvalidError("the SD-JWT is presented without a key binding JWT, so nothing shows "
                           "the presenter holds its key", "ask the holder for a presentation with key binding",
                           code="E_KB_MISSING")
    if issued.holder_jwk is None:
        raise InvalidError("the SD-JWT has a key binding JWT but its issuer bound it to no key (no cnf)",
                           "ask the issuer for a credential bound to the holder's key", code="E_KB_NO_CNF")
    kb = jose.read_compact(issued.sd.kb_jwt, "key binding JWT")
    if kb.header.get("typ") != KB_TYPE:
        raise InvalidError(f"the key binding JWT's typ is {kb.header.get('typ')!r}, not kb+jwt",
                           "ask the holder for a new presentation", code="E_KB_TYPE")
    jwk = {k: v for k, v in issued.holder_jwk.items() if k in ("kty", "crv", "x", "y")}
    jose.verify(kb, public_key_from_jwk(jwk), "key binding JWT")
    claims = jose.payload_json(kb, "key binding JWT")
    prefix = issued.sd.compact[:len(issued.sd.compact) - len(issued.sd.kb_jwt)]
    if claims.get("sd_hash") != sd_jwt.sd_hash(prefix, sd_jwt.sd_alg(issued.sd.unverified_payload)):
        raise InvalidError("the key binding JWT was made for other disclosures (sd_hash)",
                           "a disclosure was added or removed after the holder signed", code="E_KB_SD_HASH")
    iat = _numeric(claims, "iat")
    if iat is None:
        raise InvalidError("the key binding JWT has no iat", "ask the holder for a new presentation",
                           code="E_KB_IAT")
    if iat > now + CLOCK_SKEW or now - iat > max_age:
        raise InvalidError(f"the key binding JWT was made at {iat:%Y-%m-%dT%H:%M:%SZ}, "
                           f"{'in the future' if iat > now else 'too long ago'}",
                           "ask the holder for a fresh presentation (or raise --max-age)", code="E_KB_STALE")
    nonce, aud = claims.get("nonce"), claims.get("aud")
    if not isinstance(nonce, str) or not isinstance(aud, str):
        raise InvalidError("the key binding JWT has no nonce or no aud", "ask the holder for a new presentation",
                           code="E_KB_CLAIMS")
    return KeyBinding(nonce, aud, iat)


def holder_key_of(holder_jwk: dict[str, Any] | None, keys: list[Any]) -> Any | None:
    """The wallet key (HolderKey) whose public JWK is `holder_jwk` (a cnf.jwk), if any."""
    if holder_jwk is None:
        return None
    wanted = {k: holder_jwk.get(k) for k in ("kty", "crv", "x", "y")}
    for key in keys:
        published = key.describe()["publicKeyJwk"]
        if {k: published.get(k) for k in ("kty", "crv", "x", "y")} == wanted:
            return key
    return None


def holder_jwk_of(claims: dict[str, Any]) -> dict[str, Any] | None:
    """cnf.jwk (SD-JWT VC §3.2.2.2): the key a holder proves possession of."""
    cnf = claims.get("cnf")
    jwk = cnf.get("jwk") if isinstance(cnf, dict) else None
    return jwk if isinstance(jwk, dict) else None
