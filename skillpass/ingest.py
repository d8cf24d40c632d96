"""Detect and parse what a learner hands to `import`: files, directories, stdin; credentials
(JSON-LD, SD-JWT VC, VC-JWT), arrays of credentials, presentations that carry credentials.

Untrusted bytes are parsed strictly (RELIABILITY.md (b) 1-6): UTF-8 only, no duplicate keys, no
NaN or Infinity, bounded size and depth, so that what we verify is exactly what we display.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from skillpass.errors import BadInputError, SkillpassError

MAX_INPUT_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 64
MAX_VALUES = 20_000  # JSON values (objects, arrays, scalars) in one input
SUFFIXES = (".json", ".jsonld", ".jwt", ".sd-jwt", ".png", ".svg", ".xml", ".csc")
VC_CONTEXTS = ("https://www.w3.org/2018/credentials/v1", "https://www.w3.org/ns/credentials/v2")


@dataclass(frozen=True)
class Source:
    """One input as read: where it came from and its bytes, or why it could not be read."""

    origin: str
    raw: bytes = b""
    error: SkillpassError | None = None


@dataclass(frozen=True)
class Candidate:
    """One credential found in a source: the bytes the wallet will keep and their format tag
    (skillpass.formats: ldp_vc, dc+sd-jwt, jwt_vc_json)."""

    origin: str
    raw: bytes
    format: str


def read_sources(arguments: list[str], stdin: BinaryIO) -> Iterator[Source]:
    for read in planned_sources(arguments, stdin):
        yield read()


def planned_sources(arguments: list[str], stdin: BinaryIO) -> list[Callable[[], Source]]:
    """One reader a source, in order: how many there are is known before any is read, and each
    is read only when its turn comes (a thousand files are never all in memory)."""
    from skillpass.formats.detect import link_format, unsupported

    plan: list[Callable[[], Source]] = []
    for argument in arguments:
        if argument == "-":
            plan.append(lambda: Source("stdin", stdin.read(MAX_INPUT_BYTES + 1)))
            continue
        link = link_format(argument)
        if link is not None:  # never a file name: "https://x/y" is not the file "https:/x/y"
            plan.append(functools.partial(Source, argument, error=unsupported(link, argument)))
            continue
        path = Path(argument)
        if path.is_dir() and not path.is_symlink():
            files = sorted(p for p in path.rglob("*") if _credential_file_name(p.name) and p.is_file())
            if not files:
                plan.append(functools.partial(Source, argument, error=BadInputError(
                    f"no credential file ({', '.join(SUFFIXES)}) in {argument}",
                    "give the credential files themselves")))
            plan += [functools.partial(_read_file, p) for p in files]
        else:
            plan.append(functools.partial(_read_file, path))
    return plan


def _credential_file_name(name: str) -> bool:
    lowered = name.lower()
    return lowered.endswith(SUFFIXES) or lowered.endswith(".csc.txt")  # share writes compact text so


def _read_file(path: Path) -> Source:
    from skillpass.files import read_regular_file

    try:
        return Source(str(path), read_regular_file(path, MAX_INPUT_BYTES + 1))
    except SkillpassError as exc:
        return Source(str(path), error=exc)


def candidates(source: Source) -> list[Candidate]:
    """Every credential in one source; raises a SkillpassError when there is none to take."""
    from skillpass.formats import LDP_VC, OB2
    from skillpass.formats.detect import JSON, detect, unsupported

    if source.error is not None:
        raise source.error
    found = detect(source.raw)
    if found in _COMPACT:
        return _compact_candidates(source.origin, source.raw.decode("ascii").strip(), found)
    if found in _OTHER_FORMATS:
        return _OTHER_FORMATS[found](source)
    if found != JSON:
        raise unsupported(found)
    document = parse_json(source.raw)
    if _is_ob2(document):
        return [Candidate(source.origin, source.raw, OB2)]
    if isinstance(document, list):
        if not document:
            raise BadInputError("the JSON array holds no credential", "give a file with the credentials in it")
        return [c for i, item in enumerate(document) for c in _item_candidates(f"{source.origin}[{i}]", item)]
    if isinstance(document, dict) and "VerifiablePresentation" in _types(document):
        return _presented(source.origin, document.get("verifiableCredential"))
    if not isinstance(document, dict) or "EnvelopedVerifiableCredential" in _types(document):
        return _item_candidates(source.origin, document)  # a JWT as a JSON string, an envelope
    _check_credential(document)
    return [Candidate(source.origin, source.raw, LDP_VC)]  # the bytes exactly as received


_COMPACT = ("sd-jwt", "jwt")  # formats.detect.SD_JWT, JWT


def _mattr_compact(source: Source) -> list[Candidate]:
    from skillpass.formats import MATTR_CWT

    return [Candidate(source.origin, source.raw.strip(), MATTR_CWT)]


def _baked(source: Source) -> list[Candidate]:
    """The credential a badge image carries (OB 3.0 or OB 2.0), read as if it were the file."""
    from skillpass.formats.baked import image_candidates

    return image_candidates(source.origin, source.raw)


def _xml_record(source: Source) -> list[Candidate]:
    """An XML document: the MyCreds format says whether it is a MyCreds record."""
    from skillpass.formats import MYCREDS

    return [Candidate(source.origin, source.raw, MYCREDS)]


_OTHER_FORMATS = {"mattr-compact": _mattr_compact, "png": _baked, "svg": _baked, "xml": _xml_record}


def _is_ob2(document: Any) -> bool:
    """An Open Badges 2.0 (or 1.x) assertion, hosted: not a W3C credential."""
    from skillpass.formats.ob2.detect import is_assertion

    return is_assertion(document)
# VC-JOSE-COSE §3.2 / §6.1: an EnvelopedVerifiableCredential carries the credential in a data: URL.
_ENVELOPED = {"data:application/vc+jwt,": "jwt", "data:application/vc+sd-jwt,": "sd-jwt",
              "data:application/dc+sd-jwt,": "sd-jwt"}


def _presented(origin: str, inner: Any) -> list[Candidate]:
    items = inner if isinstance(inner, list) else [inner] if inner is not None else []
    if not items:
        raise BadInputError("the presentation carries no credential", "import the credentials themselves")
    return [c for i, item in enumerate(items) for c in _item_candidates(f"{origin}[{i}]", item)]


def _item_candidates(origin: str, item: Any) -> list[Candidate]:
    """The credential one entry of a JSON array or presentation is: a JSON-LD credential, a
    compact JWT or SD-JWT string, or an EnvelopedVerifiableCredential holding one."""
    from skillpass.formats import LDP_VC
    from skillpass.formats.detect import JSON, detect, unsupported

    if isinstance(item, dict) and "EnvelopedVerifiableCredential" in _types(item):
        url = item.get("id") if isinstance(item.get("id"), str) else ""
        prefix = next((p for p in _ENVELOPED if url.startswith(p)), None)
        if prefix is None:
            raise BadInputError("an enveloped credential whose data: URL skillpass cannot read",
                                "give the credential itself", code="E_NOT_CREDENTIAL")
        return _compact_candidates(origin, url[len(prefix):], _ENVELOPED[prefix])
    if isinstance(item, str):
        found = detect(item.encode("utf-8", "replace"))
        if found in _COMPACT:
            return _compact_candidates(origin, item.strip(), found)
        if found == "mattr-compact":
            return _mattr_compact(Source(origin, item.encode("ascii", "replace")))
        if found != JSON:
            raise unsupported(found)
    _check_credential(item)
    return [Candidate(origin, json.dumps(item, ensure_ascii=False, indent=2).encode(), LDP_VC)]


def _compact_candidates(origin: str, text: str, found: str) -> list[Candidate]:
    """An SD-JWT is one credential; a JWT is a VC-JWT, or a JWT presentation of credentials."""
    from skillpass.formats import JWT_VC, SD_JWT_VC
    from skillpass.formats.jose import payload_json, read_compact

    if found == "sd-jwt":
        return [Candidate(origin, text.encode("ascii"), SD_JWT_VC)]
    from skillpass.formats.ob2.detect import signed_assertion

    # A signed Open Badges 2.0 assertion (an RS256 JWS, which the VC-JWT policy of
    # read_compact refuses): recognised before that policy applies.
    if signed_assertion(text) is not None:
        from skillpass.formats import OB2

        return [Candidate(origin, text.encode("ascii"), OB2)]
    claims = payload_json(read_compact(text, "JWT"), "JWT")
    if isinstance(claims.get("vp"), dict):
        return _presented(origin, claims["vp"].get("verifiableCredential"))
    if isinstance(claims.get("vc"), dict) or "credentialSubject" in claims:
        return [Candidate(origin, text.encode("ascii"), JWT_VC)]
    raise BadInputError("a JWT, but not a verifiable credential (no vc claim, no credentialSubject)",
                        "give the credential the issuer sent", code="E_NOT_CREDENTIAL")


def _types(document: dict[str, Any]) -> list[str]:
    value = document.get("type", document.get("@type"))
    return [value] if isinstance(value, str) else [t for t in value if isinstance(t, str)] \
        if isinstance(value, list) else []


def _check_credential(item: Any) -> None:
    if not isinstance(item, dict):
        raise BadInputError("not a verifiable credential: expected a JSON object",
                            "give a W3C verifiable credential (.json)", code="E_NOT_CREDENTIAL")
    if item.get("format") == "skillpass-backup" and "VerifiableCredential" not in _types(item):
        raise BadInputError("this is a skillpass backup, not a credential",
                            "restore it with 'skillpass restore FILE'", code="E_NOT_CREDENTIAL")
    if "VerifiableCredential" not in _types(item) or "@context" not in item:
        raise BadInputError("not a verifiable credential: no @context or no VerifiableCredential type",
                            "give a W3C verifiable credential (.json)", code="E_NOT_CREDENTIAL")


def parse_json(raw: bytes) -> Any:
    """Strict JSON: UTF-8 text, no duplicate keys, no NaN/Infinity, no lone surrogate, at most
    MAX_DEPTH deep and MAX_VALUES values (every JSON-LD step after this is linear in the values,
    and this bound keeps any input under MAX_INPUT_BYTES answered in about a second)."""
    # The common case first: small, no surrogate escape, no NUL, shallow, no surrounding
    # whitespace or BOM. Then every check below holds already or is done by the decoder's hooks
    # (duplicate keys, NaN, infinite floats), so the C scanner is called directly; anything else,
    # or anything it cannot read, goes the whole way below, which gives the same value or error.
    if len(raw) <= MAX_VALUES:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = ""
        if text and not _surrogate_escape(text) and "\0" not in text \
                and text.count("[") + text.count("{") <= MAX_DEPTH:
            try:
                document, end = _SCAN(text, 0)
            except (StopIteration, ValueError, RecursionError):
                end = -1
            if end == len(text):
                return document
    return _parse_json_checked(raw)


def parse_json_each(raws: list[bytes]) -> list[Any]:
    """parse_json of each, in order: the same values, or the same first error. Its quick way's
    checks (UTF-8, no NUL, no escape, few brackets, small) are made once over all of them, and
    only where that fails one by one (an SD-JWT's disclosures come by the dozen); any one the
    quick way would not take goes the whole way."""
    joined = b"\0".join(raws)  # NUL: no piece of the quick way has one
    try:
        text = joined.decode("utf-8")  # the NULs are ASCII, so this fails only if a piece would
    except UnicodeDecodeError:
        text = "\0" * len(raws)  # no quick way for any
    pieces = text.split("\0")
    if len(pieces) != len(raws):  # a NUL or bad UTF-8 in one of them
        return [parse_json(raw) for raw in raws]
    # What holds for all of them together holds for each; else each is asked.
    each = _surrogate_escape(text) or len(joined) > MAX_VALUES or text.count("[") + text.count("{") > MAX_DEPTH
    scan = _SCAN
    if not each:
        try:
            scanned = [scan(piece, 0) for piece in pieces]
        except (StopIteration, ValueError, RecursionError, BadInputError):  # then each in turn, below
            scanned = []
        if [end for _, end in scanned] == list(map(len, pieces)):  # each whole, nothing after it
            return [document for document, _ in scanned]
    documents = []
    for raw, piece in zip(raws, pieces):
        end = -1
        if not each or (len(raw) <= MAX_VALUES and not _surrogate_escape(piece)
                        and piece.count("[") + piece.count("{") <= MAX_DEPTH):
            try:
                document, end = scan(piece, 0)
            except (StopIteration, ValueError, RecursionError):  # "" among them
                pass
        documents.append(document if end == len(piece) else _parse_json_checked(raw))
    return documents


def _surrogate_escape(text: str) -> bool:
    """Whether `text` may escape a surrogate (\\uD800-\\uDFFF), the one way JSON text can hold
    a lone one. Any other escape (a "\\u00e9" in every name a Python issuer writes) is read by
    the C scanner as the checked path reads it. Most texts have no backslash at all, and one
    memchr for it is far quicker than the two substring searches."""
    return "\\" in text and ("\\ud" in text or "\\uD" in text)


def _parse_json_checked(raw: bytes) -> Any:
    if len(raw) > MAX_INPUT_BYTES:
        raise BadInputError(f"input larger than {MAX_INPUT_BYTES // (1024 * 1024)} MiB",
                            "a credential is far smaller; check the file", code="E_TOO_LARGE")
    if not raw.strip():
        raise BadInputError("empty input", "give a credential file", code="E_EMPTY")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a UTF-8 byte order mark is harmless; other encodings are refused below
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadInputError("not UTF-8 text", "save the credential as UTF-8 JSON", code="E_ENCODING") from None
    if "\0" in text:
        raise BadInputError("NUL character in JSON text", "check the file", code="E_ENCODING")
    try:
        document = _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        raise BadInputError(f"not valid JSON ({where_and_why(exc)})", "check the file is the credential itself",
                            code="E_JSON") from None
    except ValueError:  # an integer beyond Python's digit limit
        raise BadInputError("a number in the JSON is too large", "check the file", code="E_JSON") from None
    except RecursionError:
        raise _too_deep() from None
    surrogates = "\\u" in text
    if surrogates or len(text) > MAX_VALUES or text.count("[") + text.count("{") > MAX_DEPTH:
        _check_shape(document, surrogates=surrogates)  # else it cannot fail: each value takes a character
    return document


def why_not_json(error: SkillpassError) -> str:
    """What parse_json's `error` says is wrong, for a caller that says "... is not valid JSON:"
    itself: "line 1, column 7: ..." rather than "not valid JSON (line 1, column 7: ...)" again."""
    message = error.message
    if message.startswith("not valid JSON (") and message.endswith(")"):
        return message[len("not valid JSON ("):-1]
    return message


def where_and_why(exc: json.JSONDecodeError) -> str:
    """"line 1, column 7: control character U+001B unescaped inside a string": where json found
    text that is not JSON and what it is, for any reader of JSON."""
    return f"line {exc.lineno}, column {exc.colno}: {_json_reason(exc)}"


def _json_reason(exc: json.JSONDecodeError) -> str:
    """What json found wrong at the line and column given, in words of ours (the catalog has their
    French): its own end in "at" for a control character or an unclosed string, since it writes
    the position after them, and a control character is named, being invisible."""
    found = exc.doc[exc.pos:exc.pos + 1]
    if exc.msg.startswith("Invalid control character"):
        reason = f"control character U+{ord(found or chr(0)):04X} unescaped inside a string"
    elif exc.msg.startswith("Unterminated string"):
        reason = "a string starts there and never ends"
    elif exc.msg.startswith("Invalid \\"):
        reason = "a backslash escape JSON does not have"
    elif exc.msg == "Expecting value":
        reason = "a value was expected there"
    elif exc.msg.startswith("Expecting property name"):
        reason = "a key in double quotes was expected there"
    elif exc.msg.startswith(("Expecting ':'", "Expecting ','")):
        reason = f"'{exc.msg[11]}' was expected there"
    elif exc.msg == "Extra data":
        reason = "more text after the end of the JSON value"
    else:  # a later Python's own words
        reason = exc.msg.removesuffix(" at")
    return reason


def _check_shape(document: Any, *, surrogates: bool) -> None:
    """Depth and value count, walked without recursion; lone surrogates (only an escape such as
    \\ud800 makes one) cannot be written as UTF-8, so no later step could sign or show them."""
    values = 0
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        values += 1
        if values > MAX_VALUES:
            raise BadInputError(f"the JSON holds more than {MAX_VALUES:,} values",
                                "a credential holds a few hundred; check the file", code="E_TOO_MANY_VALUES")
        if isinstance(value, dict):
            if depth > MAX_DEPTH:
                raise _too_deep()
            if surrogates:
                _check_text(*value)
            stack.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            if depth > MAX_DEPTH:
                raise _too_deep()
            stack.extend((item, depth + 1) for item in value)
        elif surrogates and isinstance(value, str):
            _check_text(value)


def _check_text(*texts: str) -> None:
    for text in texts:
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise BadInputError("the JSON has a lone surrogate (an escape such as \\ud800 with no "
                                "pair), which is not text", "ask the issuer for a corrected copy",
                                code="E_ENCODING") from None


def _too_deep() -> BadInputError:
    return BadInputError(f"JSON nested deeper than {MAX_DEPTH} levels", "check the file",
                         code="E_TOO_DEEP")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) == len(pairs):
        return result
    result = {}
    for key, value in pairs:
        if key in result:
            raise BadInputError(f"duplicate key {key!r} in JSON object",
                                "a credential with two values for one key is ambiguous; ask the issuer",
                                code="E_DUP_KEY")
        result[key] = value
    return result


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise BadInputError(f"the number {text[:20]} is out of range", "check the file", code="E_JSON")
    return value


def _no_constant(name: str) -> Any:
    raise BadInputError(f"{name} is not valid JSON", "check the file", code="E_JSON")


# One decoder for every parse: json.loads with hooks would build a new one each call.
_DECODER = json.JSONDecoder(object_pairs_hook=_no_duplicates, parse_constant=_no_constant,
                            parse_float=_finite_float)
_SCAN = _DECODER.scan_once  # the C scanner; it clears its memo after each call
