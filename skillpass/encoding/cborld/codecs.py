"""Value codecs: how CBOR-LD writes URLs, multibase strings, dates and contexts compactly.

Each `encode_*` returns the compressed form, or MISSING when the value must be written as it is.
A value is only compressed when decoding gives back exactly the same string (the peers check this
too for dates; for base58, base64 and UUIDs skillpass checks it where the peers do not, and
writes the text instead of failing or losing characters).

URLs (the peers' UriEncoder/UrlEncoder): `[scheme id, rest]` for http:// (1) and https:// (2), a
16-byte UUID for urn:uuid: (3), `[4, mediatype, bytes]` for base64 data: URLs (CBOR-LD 1.0 only),
`[1025, key bytes, fragment bytes]` for did:key (1024 did:v1:nym), the base58btc `z...` parts
as raw bytes. The peers first require `new URL(value)` to parse and the colon-separated prefix
to be exactly the scheme: for http(s) that means one colon and a host; skillpass checks the host
with a conservative ASCII rule, so an exotic host may be left as text (never mis-encoded).
In CBOR-LD 1.0 (and for `@vocab` and `@type` values in the legacy format) a URL that is a term
is written as the term's id.

Multibase (`https://w3id.org/security#multibase` terms): the prefix byte then the decoded bytes,
for z (base58btc) and M (base64 padded), and u (base64url) in CBOR-LD 1.0 only: the legacy
decoder in @digitalcredentials/cborld 4.3.4 cannot read `u`, so an ecdsa-sd-2023 derived
proofValue stays text in the legacy format.

Dates (xsd:dateTime, xsd:date): seconds since 1970, or `[seconds, milliseconds]`, only for the
exact form JavaScript's Date.toISOString writes ("2026-01-15T00:00:00Z" or
"...00.123Z"). The legacy format has no negative form (4.3.4 writes uints), so earlier dates
stay text there.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from skillpass.encoding.cborld import registry as reg
from skillpass.encoding.cborld.errors import malformed, needs_table
from skillpass.errors import BadInputError
from skillpass.keys import multibase as mb

MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING"})()
MAX_BASE58_BYTES = 2048  # base58 costs quadratic time; keys and signatures are < 200 bytes
DID_KEY_TEXTS = 256  # did:key parts whose text is kept (did_key_base58): at most ~1.3 MB
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_DATETIME = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{3}))?Z")
_DATE = re.compile(r"(\d{4})-(\d\d)-(\d\d)")
_UUID_LEGACY = re.compile(  # uuid@8 validate(), as @digitalcredentials/cborld 4.3.4 uses it
    r"[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}|0{8}-0{4}-0{4}-0{4}-0{12}")
_UUID_1_0 = re.compile(  # uuid@14 validate(), as @digitalbazaar/cborld 8 uses it
    r"[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}|0{8}-0{4}-0{4}-0{4}-0{12}"
    r"|f{8}-f{4}-f{4}-f{4}-f{12}")
_HOST = re.compile(r"(?:[^@/?#]*@)?[A-Za-z0-9._~!$&'()*+,;=-]+(?:[/?#].*)?", re.DOTALL)
_DATA_BASE64 = re.compile(r"data:([^\n\r\u2028\u2029]*);base64,([^\n\r\u2028\u2029]*)")


def bad_value(what: str) -> Exception:
    return malformed(f"the CBOR-LD payload has {what}", "E_CBORLD_BAD_VALUE")


# -- contexts ----------------------------------------------------------------------------------


def encode_context(value: Any, contexts: dict[str, int] | Any) -> Any:
    return contexts.get(value, value) if isinstance(value, str) else value


def decode_context(value: Any, contexts: Any) -> Any:
    if type(value) is str:  # a URL as it is (what plain gives back for text)
        return value
    if isinstance(value, bool) or not isinstance(value, int):
        return plain(value)
    url = contexts.get(value)
    if url is None:
        app = value >= reg.FIRST_APP_CONTEXT_ID
        raise needs_table(
            f"this code names JSON-LD context number {value}, which skillpass does not know",
            "it is an application's own context id: ask for the presentation as JSON" if app else
            "it may come from a newer CBOR-LD registry: ask for the presentation as JSON",
            "E_CBORLD_CONTEXT_ID_UNKNOWN")
    return url


# -- URLs --------------------------------------------------------------------------------------


def _scheme(value: str) -> str | None:
    """The peers' scheme test: the text before the last colon, if `new URL()` would parse it."""
    if ":" not in value:
        return None
    prefix = value.rsplit(":", 1)[0]
    if prefix in ("http", "https"):
        rest = value[len(prefix) + 3:]
        if not value.startswith(prefix + "://") or not _HOST.fullmatch(rest):
            return None
    return prefix


def encode_url(value: Any, *, legacy: bool) -> Any:
    if not isinstance(value, str):
        return MISSING
    scheme = _scheme(value)
    if scheme in ("http", "https"):
        prefix = scheme + "://"
        return [reg.URL_SCHEMES[prefix], value[len(prefix):]]
    if scheme == "urn:uuid":
        rest = value[len("urn:uuid:"):]
        pattern = _UUID_LEGACY if legacy else _UUID_1_0
        if rest.lower() == rest and pattern.fullmatch(rest):
            return [3, bytes.fromhex(rest.replace("-", ""))]
        return [3, rest]  # what the peers write for an uppercase UUID: always readable
    if scheme in ("did:key", "did:v1:nym"):
        return _encode_did(value, scheme + ":")
    if scheme == "data" and not legacy:
        return _encode_data_url(value)
    return MISSING


def _encode_did(value: str, prefix: str) -> Any:
    parts = value[len(prefix):].split("#")
    if len(parts) > 2:  # the peers keep two parts only; text keeps the rest
        return MISSING
    return [reg.URL_SCHEMES[prefix], *(_base58_part(part) for part in parts)]


def _base58_part(text: str) -> str | bytes:
    if text.startswith("z"):
        try:
            data = mb.b58decode(text[1:], max_bytes=MAX_BASE58_BYTES)
        except BadInputError:
            return text
        if mb.b58encode(data) == text[1:]:
            return data
    return text


def _encode_data_url(value: str) -> Any:
    match = _DATA_BASE64.fullmatch(value)
    if match:
        data = _b64decode_canonical(match[2])
        if data is not None:
            return [4, match[1], data]
    return [4, value[len("data:"):]]


def decode_url(value: Any, ids: Any, *, legacy: bool, strict: bool = True) -> Any:
    """A URL from its compressed form; MISSING when `value` is not a compressed URL. An integer
    no table knows is kept in the legacy format (4.3.4 passes it through), an error otherwise."""
    if isinstance(value, list) and value and isinstance(value[0], int) and not isinstance(value[0], bool):
        return _decode_scheme(value)
    if isinstance(value, int) and not isinstance(value, bool):
        term = ids.to_term.get(value)
        if term is None and legacy:
            term = reg.LEGACY.decode_contexts.get(value)
        if term is None:
            if legacy or not strict:
                return value
            raise bad_value(f"compressed URL {value}, which is no term or registered URL")
        return term
    return MISSING


def _decode_scheme(value: list[Any]) -> str:
    prefix = reg.URL_SCHEME_IDS.get(value[0])
    rest = value[1:]
    if prefix in ("did:key:", "did:v1:nym:") and 1 <= len(rest) <= 2:  # the DID, then its fragment
        did = prefix + _did_part_text(rest[0])
        return did if len(rest) == 1 else did + "#" + _did_part_text(rest[1])
    if prefix in ("http://", "https://") and len(rest) == 1 and isinstance(rest[0], str):
        return prefix + rest[0]
    if prefix == "urn:uuid:" and len(rest) == 1:
        if isinstance(rest[0], str):
            return prefix + rest[0]
        if isinstance(rest[0], bytes) and len(rest[0]) == 16:
            text = rest[0].hex()
            return f"{prefix}{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"
    if prefix == "data:":
        if len(rest) == 1 and isinstance(rest[0], str):
            return prefix + rest[0]
        if len(rest) == 2 and isinstance(rest[0], str) and isinstance(rest[1], bytes):
            return f"{prefix}{rest[0]};base64,{base64.b64encode(rest[1]).decode('ascii')}"
    raise bad_value(f"a compressed URL of an unknown form (scheme id {value[0]})")


def _did_part_text(part: Any) -> str:
    if isinstance(part, str):
        return part
    if isinstance(part, bytes) and len(part) <= MAX_BASE58_BYTES:
        return did_key_base58(part)
    raise bad_value("a did: URL part that is neither text nor base58btc bytes")


@lru_cache(maxsize=DID_KEY_TEXTS)
def did_key_base58(part: bytes) -> str:
    """`z` and the base58btc of a did:key (or did:v1:nym) part. A wallet or verifier meets the
    same holders' and issuers' keys again and again (id, controller, verificationMethod, in
    credential after credential), so the text of the last DID_KEY_TEXTS is kept: a bounded
    cache of a pure function of an immutable value of at most MAX_BASE58_BYTES bytes."""
    return "z" + mb.b58encode(part)


def _base58_text(part: bytes, texts: dict[bytes, str] | None = None) -> str:
    # `texts`: base58 already worked out in this payload (the same multibase value met twice)
    if len(part) > MAX_BASE58_BYTES:
        # the message of the one reader that did:key parts and multibase values shared before
        raise bad_value("a did: URL part that is neither text nor base58btc bytes")
    if texts is None:
        return "z" + mb.b58encode(part)
    text = texts.get(part)
    if text is None:
        text = texts[part] = "z" + mb.b58encode(part)
    return text


# -- multibase ---------------------------------------------------------------------------------


def encode_multibase(value: Any, *, legacy: bool) -> Any:
    if not isinstance(value, str) or not value:
        return MISSING
    prefix, text = value[0], value[1:]
    data: bytes | None = None
    if prefix == "z":
        data = _base58_part(value) if len(text) <= mb.b58_max_chars(MAX_BASE58_BYTES) else None
        data = data if isinstance(data, bytes) else None
    elif prefix == "M":
        data = _b64decode_canonical(text)
    elif prefix == "u" and not legacy:
        try:
            data = mb.b64url_decode(text, max_bytes=len(text))
        except BadInputError:
            data = None
    return MISSING if data is None else prefix.encode("ascii") + data


def decode_multibase(value: Any, texts: dict[bytes, str] | None = None) -> Any:
    if not isinstance(value, bytes) or not value or value[0] not in b"zuM":
        return MISSING
    prefix, data = chr(value[0]), value[1:]
    if prefix == "z":
        return _base58_text(data, texts)
    if prefix == "u":
        return "u" + mb.b64url_encode(data)
    return "M" + base64.b64encode(data).decode("ascii")


def _b64decode_canonical(text: str) -> bytes | None:
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return data if base64.b64encode(data).decode("ascii") == text else None


# -- dates -------------------------------------------------------------------------------------


def encode_datetime(value: Any, *, legacy: bool) -> Any:
    match = _DATETIME.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        return MISSING
    try:
        moment = datetime(*map(int, match.groups()[:6]), tzinfo=UTC)
    except ValueError:
        return MISSING
    seconds = int((moment - _EPOCH).total_seconds())
    if legacy and seconds < 0:
        return MISSING
    if match[7] is None:
        return seconds
    return [seconds, int(match[7])]


def decode_datetime(value: Any) -> Any:
    _no_float_date(value)
    if _is_int(value):  # whole seconds, the form of every date without milliseconds
        return _iso_seconds(value) + "Z"
    if isinstance(value, list) and len(value) == 2 and _is_int(value[0]) and _is_int(value[1]):
        return _iso(value[0] * 1000 + value[1])
    return MISSING


def encode_date(value: Any, *, legacy: bool) -> Any:
    match = _DATE.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        return MISSING
    try:
        day = datetime(*map(int, match.groups()), tzinfo=UTC)
    except ValueError:
        return MISSING
    seconds = int((day - _EPOCH).total_seconds())
    return MISSING if legacy and seconds < 0 else seconds


def decode_date(value: Any) -> Any:
    _no_float_date(value)
    return _iso_seconds(value)[:10] if _is_int(value) else MISSING


def _no_float_date(value: Any) -> None:
    # the JavaScript readers take any number as seconds; skillpass writes and reads whole ones
    if isinstance(value, float) or (isinstance(value, list) and any(isinstance(v, float) for v in value)):
        raise bad_value("a date that is not a whole number of seconds")


def _iso(milliseconds: int) -> str:
    """JavaScript's Date.prototype.toISOString, for the years Python can represent."""
    try:
        moment = _EPOCH + timedelta(milliseconds=milliseconds)
    except OverflowError:
        moment = None
    if moment is None or not 1 <= moment.year <= 9999:
        raise bad_value("a date outside the years 1 to 9999")
    # isoformat writes the year in four digits, as JavaScript does ("0999"; strftime's %Y: "999")
    return moment.isoformat(timespec="milliseconds")[:-6] + "Z"  # "+00:00" for the "Z"


def _iso_seconds(seconds: int) -> str:
    """_iso(seconds * 1000) without its ".000Z": one isoformat of a naive datetime, in a third of
    _iso's time, for the years a datetime holds (1-9999)."""
    if _FIRST_SECOND <= seconds <= _LAST_SECOND:
        return (_NAIVE_EPOCH + timedelta(0, seconds)).isoformat()
    return _iso(seconds * 1000)[:-5]


_NAIVE_EPOCH = datetime(1970, 1, 1)
_FIRST_SECOND = int((datetime(1, 1, 1) - _NAIVE_EPOCH).total_seconds())
_LAST_SECOND = int((datetime(9999, 12, 31, 23, 59, 59) - _NAIVE_EPOCH).total_seconds())


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# -- plain values ------------------------------------------------------------------------------


def plain(value: Any) -> Any:
    """A CBOR value that carries JSON as it is (an inline context, an uncompressed payload)."""
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise bad_value("an uncompressed object with a key that is not text")
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, bytes):
        raise bad_value("bytes where JSON has none")
    if isinstance(value, float) and not math.isfinite(value):
        raise bad_value("a number JSON cannot hold (NaN or infinity)")
    if type(value) not in _JSON_SCALARS:  # what else cbor2 builds: `undefined`, other simple values
        raise malformed("the CBOR-LD payload holds a CBOR simple value other than "
                        "true, false, null or a float", "E_CBORLD_BAD_CBOR")
    return value


_JSON_SCALARS = frozenset({str, int, float, bool, type(None)})


def decode_legacy_string(value: bytes) -> str:
    """@digitalbazaar/cborld's legacy string table: an id as a 1, 2 or 4-byte unsigned integer."""
    url = reg.LEGACY.decode_contexts.get(int.from_bytes(value, "big")) if len(value) in (1, 2, 4) else None
    if url is None:
        raise bad_value("bytes where JSON has none")
    return url
