"""The CSC/CSS text, the CWT claims inside it, and the issuer key that must have signed it.

Text (NZ COVID Pass spec §4.6, which MATTR designed and reuses): `CSC:/1/` (compact) or
`CSS:/1/` (semantic) + RFC 4648 §6 base32 of the COSE_Sign1, upper-case, without padding.
Claims (RFC 8392 §3.1): 1 iss, 4 exp, 5 nbf, 6 iat, 7 cti (tag 64 over 16 bytes, a UUID);
custom claims under text keys; CSS carries the credential in a `vc` map {@context, type,
credentialSubject}. MATTR's status claim -65537 is {2: index, 3: list URL}.
Key (vc-cwt-verifier resolver): `iss` is a did:web, the key is `iss + "#" + kid`, listed under
assertionMethod, a P-256 publicKeyJwk.
"""

from __future__ import annotations

import base64
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from skillpass.encoding import dates
from skillpass.errors import BadInputError, InvalidError, UnverifiableError
from skillpass.formats.mattr_cwt import cose

COMPACT, SEMANTIC = "CSC:/1/", "CSS:/1/"
ISS, SUB, AUD, EXP, NBF, IAT, CTI = 1, 2, 3, 4, 5, 6, 7
STATUS, STATUS_LIST = -65537, -65538  # MATTR private claims: a credential's entry, a list's bits
STATUS_INDEX, STATUS_URL = 2, 3
UUID_TAG = 64  # RFC 8746 §2: uint8 typed array
MAX_TEXT = math.ceil(cose.MAX_COSE * 8 / 5) + len(COMPACT)  # base32 of the largest COSE read
MAX_VIEW_NODES = 20_000  # values the JSON view of the claims shows; a cycle of shared values stops here
MAX_VIEW_DEPTH = 32
_BASE32 = re.compile(r"[A-Z2-7]*")
_NAMES = {ISS: "iss", SUB: "sub", AUD: "aud", EXP: "exp", NBF: "nbf", IAT: "iat", CTI: "cti",
          STATUS: "status"}
_REGISTERED = frozenset(_NAMES[k] for k in (ISS, SUB, AUD, EXP, NBF, IAT, CTI))  # RFC 8392 §3.1
CBOR_INT = 2**64  # RFC 8949 §3.1: a CBOR integer is below 2**64 in size; larger ones are bignums
MAX_INDEX = 2**53  # a status index beyond this names no entry of any list
_HINT = "check it is the whole text (CSC:/1/...) or QR code the issuer gave you"


@dataclass(frozen=True)
class Token:
    """A COSE_Sign1 over CWT claims, unverified (`claims` keys are ints or texts as sent)."""

    sign1: cose.Sign1
    claims: dict[Any, Any]

    @property
    def issuer(self) -> str | None:
        iss = self.claims.get(ISS)
        return iss if isinstance(iss, str) and iss else None


@dataclass(frozen=True)
class Compact:
    """A CSC/CSS credential as received: its text exactly, the prefix, and the token."""

    text: str
    prefix: str
    token: Token

    @property
    def semantic(self) -> bool:
        return self.prefix == SEMANTIC

    @property
    def claims(self) -> dict[Any, Any]:
        return self.token.claims


# -- text ---------------------------------------------------------------------------------------


def compact_text(raw: bytes) -> str:
    """The text of a kept or given credential: ASCII, without a BOM or surrounding space."""
    if len(raw) > MAX_TEXT + 16:
        raise BadInputError(f"the MATTR compact credential is {len(raw)} bytes; skillpass reads at most "
                            f"{MAX_TEXT}", _HINT, code="E_TOO_LARGE")
    try:
        return raw.removeprefix(b"\xef\xbb\xbf").decode("ascii").strip()
    except UnicodeDecodeError:
        raise BadInputError("the MATTR compact credential is not ASCII text", _HINT, code="E_MATTR_TEXT") from None


def decode_text(text: str) -> tuple[str, bytes]:
    """(prefix, COSE bytes) of `CSC:/1/...` or `CSS:/1/...`; BadInputError E_MATTR_TEXT otherwise."""
    prefix = text[:len(COMPACT)]
    if prefix not in (COMPACT, SEMANTIC):
        raise BadInputError("not a MATTR compact credential: it does not start with CSC:/1/ or CSS:/1/",
                            _HINT, code="E_MATTR_TEXT")
    body = text[len(prefix):]
    # RFC 4648 §6 without padding: only these lengths modulo 8 can end a base32 text.
    if not _BASE32.fullmatch(body) or len(body) % 8 in (1, 3, 6) or not body:
        raise BadInputError("the MATTR compact credential is not upper-case base32 without padding",
                            _HINT, code="E_MATTR_TEXT")
    try:
        return prefix, base64.b32decode(body + "=" * (-len(body) % 8))
    except ValueError:
        raise BadInputError("the MATTR compact credential is not valid base32", _HINT, code="E_MATTR_TEXT") from None


def encode_text(cose_bytes: bytes, prefix: str = COMPACT) -> str:
    return prefix + base64.b32encode(cose_bytes).decode("ascii").rstrip("=")


def read_compact(raw: bytes) -> Compact:
    """The credential in `raw` (its text), parsed and unverified."""
    text = compact_text(raw)
    prefix, cose_bytes = decode_text(text)
    token = read_token(cose_bytes)
    if prefix == SEMANTIC and not isinstance(token.claims.get("vc"), dict):
        raise BadInputError("a semantic MATTR compact credential (CSS:/1/) without its vc claim",
                            _HINT, code="E_COSE")
    return Compact(text, prefix, token)


def read_token(cose_bytes: bytes, *, max_bytes: int = cose.MAX_COSE) -> Token:
    sign1 = cose.parse_sign1(cose_bytes, max_bytes=max_bytes)
    claims = cose.loads(sign1.payload, "the CWT claims")
    if not isinstance(claims, dict):
        raise BadInputError("not a MATTR compact credential: its payload is not a CWT claims map", _HINT,
                            code="E_COSE")
    check_claims(claims)
    return Token(sign1, claims)


def check_claims(claims: dict[Any, Any]) -> None:
    """Refuse claims that would be shown as something they are not: a date claim sent as a bignum
    (tag 2/3), and a text key that the JSON view would show in place of a registered claim."""
    # RFC 8392 §3.1.4-6: exp, nbf, iat are NumericDates; one past CBOR's 64-bit integers came as
    # a bignum, which is no date (and whose decimal text Python refuses to write past 4300 digits).
    for key in (EXP, NBF, IAT):
        value = claims.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and not -CBOR_INT <= value < CBOR_INT:
            raise BadInputError(f"the credential's {_NAMES[key]} (CWT claim {key}) is a {value.bit_length()}-bit "
                                "number, not a date", "ask the issuer for a well-formed credential",
                                code="E_COSE")
    # The view shows claim 1 as "iss" and so on: a text key "iss" would stand beside it, or over
    # it, and show another issuer, expiry or id than the one the checks used.
    shown = {key_name(key) for key in claims if not isinstance(key, str)}
    for key in claims:
        if isinstance(key, str) and (key in _REGISTERED or key in shown):
            raise BadInputError(f"the credential has a text claim {key[:40]!r}, which would be shown in place "
                                "of its registered CWT claim of that name",
                                "ask the issuer for a credential that writes registered claims by their "
                                "number only (RFC 8392 §3.1)", code="E_CWT_CLAIM_NAME")


# -- the issuer's key ---------------------------------------------------------------------------


def verify_token(token: Token, did_cache: Any) -> Any:
    """Check the token's ES256 signature with its issuer's key; the dids.VerificationMethod."""
    from skillpass.dids import did_of, resolve_verification_method

    cose.check_es256_header(token.sign1)
    iss = token.issuer
    if iss is None:
        raise InvalidError("the credential names no issuer (CWT claim 1, iss)",
                           "ask the issuer for a complete credential", code="E_NO_ISSUER")
    if not iss.startswith("did:web:") or "#" in iss:
        raise UnverifiableError(f"the issuer {iss[:200]} is not a did:web; MATTR compact credentials are "
                                "checked with a did:web issuer's key", "ask the issuer which key signed it",
                                code="E_ISSUER_KEY_UNKNOWN")
    kid = token.sign1.kid
    try:
        fragment = kid.decode("utf-8") if kid is not None else ""
    except UnicodeDecodeError:
        fragment = ""
    if not fragment or any(c in fragment for c in "#/?") or not fragment.isprintable():
        raise UnverifiableError("the credential does not say which key of its issuer signed it (no usable kid)",
                                "ask the issuer for a credential whose header names its key",
                                code="E_ISSUER_KEY_UNKNOWN")
    method = resolve_verification_method(f"{iss}#{fragment}", did_cache)  # E_DID_UNKNOWN, with the hint
    if did_of(method.id) != iss:
        raise InvalidError(f"the key {method.id} does not belong to the issuer {iss}",
                           "the credential was signed by someone other than its issuer", code="E_CONTROLLER_MISMATCH")
    if "assertionMethod" not in method.relationships:
        raise InvalidError(f"{method.controller} does not authorise {method.id} to issue",
                           "the key is not listed for assertionMethod", code="E_VM_RELATIONSHIP")
    cose.verify_es256(token.sign1, method.public_key)
    return method


# -- claims ---------------------------------------------------------------------------------------


def validity(claims: dict[Any, Any], now: datetime) -> str:
    """'valid', 'expired' or 'not yet valid' from exp and nbf (RFC 8392 §3.1.4-5), with the
    clock skew every JWT-shaped format allows."""
    for key in (EXP, NBF):
        if key in claims and dates.numeric_date(claims[key]) is None:
            raise InvalidError(f"the credential's {_NAMES[key]} is not a date", "ask the issuer",
                               code="E_DATE")
    exp, nbf = dates.numeric_date(claims.get(EXP)), dates.numeric_date(claims.get(NBF))
    now = dates.as_utc(now)
    if exp is not None and now >= exp + dates.CLOCK_SKEW:
        return dates.EXPIRED
    if nbf is not None and now < nbf - dates.CLOCK_SKEW:
        return dates.NOT_YET_VALID
    return dates.VALID


def period(claims: dict[Any, Any]) -> tuple[str | None, str | None]:
    """(valid from, valid until) as dateTimeStamps: nbf (else iat), exp."""
    start = claims.get(NBF, claims.get(IAT))
    return dates.from_numeric_date(start), dates.from_numeric_date(claims.get(EXP))


def status_of(claims: dict[Any, Any]) -> tuple[int, str] | None:
    """(index, list URL) of the status claim -65537, or None when there is none or it is unusable."""
    entry = claims.get(STATUS)
    if not isinstance(entry, Mapping):
        return None
    index, url = entry.get(STATUS_INDEX), entry.get(STATUS_URL)
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < MAX_INDEX \
            or not isinstance(url, str):
        return None
    return index, url[:4096]


def cti_text(value: Any) -> str | None:
    """The credential id: a 16-byte cti as a urn:uuid (MATTR's API shows it as a UUID jti)."""
    import uuid

    if hasattr(value, "tag") and value.tag == UUID_TAG:
        value = value.value
    if isinstance(value, bytes) and len(value) == 16:
        return uuid.UUID(bytes=value).urn
    if isinstance(value, bytes) and value:
        return value[:64].hex()
    return value[:256] if isinstance(value, str) and value else None


def json_view(claims: dict[Any, Any]) -> dict[str, Any]:
    """The claims as JSON, for show, share and verify to point into: registered claims by their
    RFC 8392 names (dates as dateTimeStamps, cti as a urn:uuid, the status claim as {index,
    list}), text keys as they are, bytes as base64url. Bounded: a cycle of shared values stops."""
    budget = [MAX_VIEW_NODES]
    view: dict[str, Any] = {}
    for key, value in claims.items():
        if budget[0] <= 0:
            break
        name = key_name(key)
        if key in (EXP, NBF, IAT):
            view[name] = dates.from_numeric_date(value) or _jsonable(value, 0, budget)
        elif key == CTI:
            view[name] = cti_text(value)
        elif key == STATUS and status_of(claims) is not None:
            index, url = status_of(claims)  # type: ignore[misc]
            view[name] = {"index": index, "list": url}
        else:
            view[name] = _jsonable(value, 0, budget)
    return view


def key_name(key: Any) -> str:
    """What the view shows a claim key as: a registered claim by its name, a text key as it is,
    anything else as bounded text."""
    if isinstance(key, str):
        return key
    return _NAMES.get(key, _text(key)[:64]) if isinstance(key, int) else _text(key)[:64]


def _text(value: Any) -> str:
    """`str(value)`, never raising: an integer past CBOR's own (a bignum) by its size, since its
    decimal text can be megabytes or refused (Python's 4300-digit limit raises ValueError)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value) if -CBOR_INT <= value < CBOR_INT else f"<{value.bit_length()}-bit integer>"
    try:
        return str(value)[:1024]
    except (ValueError, RecursionError):  # a tag cbor2 made into a Fraction of bignums, say
        return f"<{type(value).__name__}>"


def _jsonable(value: Any, depth: int, budget: list[int]) -> Any:
    budget[0] -= 1
    if budget[0] <= 0 or depth > MAX_VIEW_DEPTH:
        return "…"
    if value is None or isinstance(value, (str, bool)):
        return value
    if isinstance(value, int):
        return value if -2**63 <= value < 2**63 else _text(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, bytes):
        return base64.urlsafe_b64encode(value[:4096]).decode("ascii").rstrip("=")
    if isinstance(value, (list, tuple)):
        return [_jsonable(item, depth + 1, budget) for item in value[:1000]]
    if isinstance(value, Mapping):  # cbor2 reads a map inside a tag as a frozendict
        return {key_name(k) if not isinstance(k, int) else _text(k)[:64]: _jsonable(v, depth + 1, budget)
                for k, v in list(value.items())[:1000]}
    if hasattr(value, "tag") and hasattr(value, "value"):  # an unknown CBOR tag: its content
        return _jsonable(value.value, depth + 1, budget)
    return _text(value)  # what cbor2 made of a known tag (a date, a decimal fraction...)
