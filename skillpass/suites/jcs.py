"""JSON Canonicalization Scheme (RFC 8785) and the proof flow of the two JCS suites.

`canonicalize` gives what ECMAScript's `JSON.stringify` gives after sorting every object's keys
by UTF-16 code units: the signers we must interoperate with are JavaScript, so numbers follow
ES2015 `Number.prototype.toString` and strings use its minimal escaping.

eddsa-jcs-2022 (vc-di-eddsa 3.4) and ecdsa-jcs-2019 (vc-di-ecdsa 3.4) share one algorithm that
differs only in the signature (and, for P-384, the hash); it lives at the end of this module.
"""

from __future__ import annotations

import math
import re
from json.encoder import encode_basestring
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import orjson

from skillpass.errors import BadInputError, InvalidError
from skillpass.jsonld.json_copy import json_copy
from skillpass.suites.proof import (
    DATA_INTEGRITY_PROOF,
    check_date_time,
    decode_proof_value,
    hash_data,
    hash_name_for,
    malformed,
    sign_bytes,
    verify_signature,
)

if TYPE_CHECKING:
    from skillpass.dids import VerificationMethod

# 3.2.2.2 JSON.stringify escapes only these and the other C0 controls (as \u00xx, lower case).
_SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f",
                  "\r": "\\r"}


def canonicalize(value: Any) -> bytes:
    """RFC 8785 canonical UTF-8 bytes of a JSON value (dict/list/str/int/float/bool/None)."""
    fast = _canonicalize_with_orjson(value) if _json_gives_jcs(value) else None
    return fast if fast is not None else canonicalize_slowly(value)


def canonicalize_slowly(value: Any) -> bytes:
    """canonicalize, value by value in Python: every document, and the errors."""
    parts: list[str] = []
    _serialize(value, parts, depth=0)
    return "".join(parts).encode("utf-8")


# -- the fast path: orjson, where its output is provably the JCS one --------------------------
# orjson.dumps(OPT_SORT_KEYS) writes what JSON.stringify writes after a key sort when: every key
# is a str; every number is an int of at most 2**53 (JavaScript's double holds it exactly and
# prints its digits; a float would print as orjson's "1.0" where ECMAScript writes "1"); the
# types are exactly dict, list, tuple, str, int, bool and None (orjson would also write
# datetimes, UUIDs, enums, dataclasses and raw fragments); strings are escaped as
# serialize_string escapes them (the same set, \u00xx in lower case: tested for every BMP
# character); and no character lies outside the BMP, where sorting by code point (orjson sorts
# UTF-8 bytes) and by UTF-16 code unit (3.2.3) agree, and no surrogate (orjson refuses it, the
# slow path names the error). Any other document, and every error, takes the slow path.
_MAX_EXACT_INT = 2 ** 53
_FAST_DEPTH = 100  # deeper documents (and circular ones) take the slow path, which bounds them
_SCALARS = frozenset({str, bool, type(None)})
_CONTAINERS = frozenset({dict, list, tuple})
# Subclasses and ints beyond 53 bits raise rather than being written: a second line of defence
# behind _json_gives_jcs, which has already refused them.
_ORJSON_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_SUBCLASS | orjson.OPT_STRICT_INTEGER


def _json_gives_jcs(container: Any, depth: int = 0) -> bool:
    """Whether orjson's output for `container` (or any value) is provably the JCS one, as above."""
    if type(container) not in _CONTAINERS:
        return _is_plain_scalar(container)
    if depth >= _FAST_DEPTH:
        return False
    if type(container) is dict:
        for key in container:
            if type(key) is not str:
                return False
        container = container.values()
    for item in container:
        kind = type(item)
        if kind in _SCALARS:
            continue
        if kind is int:
            if -_MAX_EXACT_INT <= item <= _MAX_EXACT_INT:
                continue
            return False
        if kind in _CONTAINERS and _json_gives_jcs(item, depth + 1):
            continue
        return False  # a float, a big int, a subclass, or not JSON at all
    return True


def _is_plain_scalar(value: Any) -> bool:
    kind = type(value)
    return kind in _SCALARS or (kind is int and -_MAX_EXACT_INT <= value <= _MAX_EXACT_INT)


def _canonicalize_with_orjson(value: Any) -> bytes | None:
    try:
        encoded = orjson.dumps(value, option=_ORJSON_OPTIONS)
    except orjson.JSONEncodeError:  # a lone surrogate (or anything the walk let by): slow path
        return None
    if not encoded.isascii() and _beyond_the_bmp(encoded):
        return None  # outside the BMP the key order may differ
    return encoded


def _beyond_the_bmp(encoded: bytes) -> bool:
    # The UTF-8 lead bytes of U+10000 and up; each test is one memchr over the bytes.
    return (b"\xf0" in encoded or b"\xf1" in encoded or b"\xf2" in encoded or b"\xf3" in encoded
            or b"\xf4" in encoded)


def _serialize(value: Any, out: list[str], depth: int) -> None:
    if depth > 1000:
        raise _bad("nested too deeply")
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, str):
        out.append(serialize_string(value))
    elif isinstance(value, (int, float)):
        out.append(serialize_number(value))
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _serialize(item, out, depth + 1)
        out.append("]")
    elif isinstance(value, dict):
        _serialize_object(value, out, depth)
    else:
        raise _bad(f"a {type(value).__name__} is not a JSON value")


def _serialize_object(value: dict[Any, Any], out: list[str], depth: int) -> None:
    if not all(isinstance(key, str) for key in value):
        raise _bad("object keys must be strings")
    # 3.2.3 sort by UTF-16 code units; big-endian UTF-16 bytes compare in the same order. For
    # ASCII keys (nearly all) that is the order of the strings themselves.
    if all(key.isascii() for key in value):
        keys = sorted(value)
    else:
        keys = sorted(value, key=_utf16_units)
    out.append("{")
    for i, key in enumerate(keys):
        if i:
            out.append(",")
        out.append(serialize_string(key))
        out.append(":")
        _serialize(value[key], out, depth + 1)
    out.append("}")


def _utf16_units(key: str) -> bytes:
    try:
        return key.encode("utf-16-be")
    except UnicodeEncodeError:
        raise _bad("a string contains a lone surrogate") from None


def serialize_string(text: str) -> str:
    """A JSON string literal escaped as ECMAScript JSON.stringify does (3.2.2.2)."""
    # json's own string encoder (in C) escapes exactly JSON.stringify's set: the quotation mark,
    # the reverse solidus, \b \t \n \f \r and the other C0 controls as \u00xx in lower case.
    if _SURROGATE.search(text) is None:
        return encode_basestring(text)
    return _serialize_string_slowly(text)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _serialize_string_slowly(text: str) -> str:
    out = ['"']
    for char in text:
        code = ord(char)
        if char in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[char])
        elif code < 0x20:
            out.append(f"\\u{code:04x}")
        elif 0xD800 <= code <= 0xDFFF:
            # I-JSON (RFC 7493) forbids unpaired surrogates; RFC 8785 requires I-JSON input.
            raise _bad("a string contains a lone surrogate")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def serialize_number(number: int | float) -> str:
    """ECMAScript Number.prototype.toString of an IEEE-754 double (3.2.2.3)."""
    if isinstance(number, int):
        # JavaScript parses every JSON number into a double; do the same so we sign the value
        # a JavaScript verifier sees.
        try:
            number = float(number)
        except OverflowError:
            raise _bad("a number is out of the IEEE-754 double range") from None
    if math.isnan(number) or math.isinf(number):
        raise _bad("NaN and Infinity are not JSON numbers")
    if number == 0:
        return "0"  # also for -0
    if number < 0:
        return "-" + serialize_number(-number)
    digits, n = _shortest_digits(number)
    k = len(digits)
    # ES2015 7.1.12.1 steps 6-10, with value = 0.digits x 10^n.
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return "0." + "0" * (-n) + digits
    exponent = n - 1
    sign = "+" if exponent >= 0 else "-"
    mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
    return f"{mantissa}e{sign}{abs(exponent)}"


def _shortest_digits(number: float) -> tuple[str, int]:
    """The shortest round-tripping decimal digits of `number` (no trailing zeros) and n.

    Python's repr() gives the shortest round-trip form with correct rounding, the same digits
    ECMAScript's algorithm picks.
    """
    _, digit_tuple, exponent = Decimal(repr(number)).as_tuple()
    digits = "".join(map(str, digit_tuple)).rstrip("0")
    stripped = len(digit_tuple) - len(digits)
    assert isinstance(exponent, int)
    n = len(digits) + exponent + stripped
    return digits, n


def _bad(reason: str) -> BadInputError:
    return BadInputError(f"cannot canonicalize JSON (RFC 8785): {reason}",
                         hint="the document is not I-JSON; ask the issuer for a corrected copy",
                         code="E_JCS")


# -- the JCS Data Integrity suites ------------------------------------------------------------


def create_proof(suite: str, unsecured_document: dict[str, Any], options: dict[str, Any],
                 private_key: Any) -> dict[str, Any]:
    """Create Proof (vc-di-eddsa 3.4.1 / vc-di-ecdsa 3.4.1)."""
    from skillpass.keys import multibase
    from skillpass.keys.multikey import key_type as key_type_of

    # 1.
    proof = json_copy(options)
    # 2. Bind the document's contexts into the proof, so proof sets/chains can check them.
    if "@context" in unsecured_document:
        proof["@context"] = json_copy(unsecured_document["@context"])
    # 3.
    canonical_proof_config = proof_configuration(suite, proof)
    # 4.
    transformed_data = transformation(suite, unsecured_document, options)
    # 5.
    data = hash_data(canonical_proof_config, transformed_data,
                     hash_name_for(key_type_of(private_key)))
    # 6.-7.
    proof["proofValue"] = multibase.encode(proof_serialization(data, private_key), "z")
    return proof


def verify_proof(suite: str, unsecured_document: dict[str, Any],
                 unverified_proof: dict[str, Any], method: VerificationMethod) -> None:
    """Verify Proof (3.4.2): returns when the proof verifies, raises InvalidError otherwise."""
    # 1.-2. Only read from here on (canonicalized, compared): no deep copy needed.
    options = _without_proof_value(unverified_proof)
    # 3.
    proof_bytes = decode_proof_value(unverified_proof)
    # 4.
    document = unsecured_document
    if "@context" in options:
        # 4.1
        if not _starts_with(unsecured_document.get("@context"), options["@context"]):
            raise InvalidError(
                f"the document's @context does not start with the proof's @context ({suite})",
                hint="the document's contexts were changed after signing",
                code="E_PROOF_CONTEXT")
        # 4.2
        document = {**unsecured_document, "@context": options["@context"]}
    # 5.
    transformed_data = transformation(suite, document, options)
    # 6.
    canonical_proof_config = proof_configuration(suite, options)
    # 7.
    data = hash_data(canonical_proof_config, transformed_data, hash_name_for(method.key_type))
    # 8.
    proof_verification(suite, data, proof_bytes, method)


def transformation(suite: str, unsecured_document: dict[str, Any],
                   options: dict[str, Any]) -> bytes:
    """Transformation (3.4.3): the JCS bytes of the unsecured document."""
    _check_suite(suite, options)
    return canonicalize(unsecured_document)


def proof_configuration(suite: str, options: dict[str, Any]) -> bytes:
    """Proof Configuration (3.4.5): the JCS bytes of the options (proofValue excluded)."""
    _check_suite(suite, options)
    check_date_time(options.get("created"), "created")
    return canonicalize(_without_proof_value(options))


def proof_serialization(data: bytes, private_key: Any) -> bytes:
    """Proof Serialization (3.4.6): Ed25519, or ECDSA as r||s."""
    return sign_bytes(private_key, data)


def proof_verification(suite: str, data: bytes, proof_bytes: bytes,
                       method: VerificationMethod) -> None:
    """Proof Verification (3.4.7): raises E_SIG_INVALID when the signature fails."""
    verify_signature(method.public_key, proof_bytes, data, suite=suite, vm_id=method.id)


def _without_proof_value(proof: dict[str, Any]) -> dict[str, Any]:
    """The proof's options: a shallow copy without proofValue (proof_options' deep copy is for
    callers that change the result; these steps only read it)."""
    return {key: value for key, value in proof.items() if key != "proofValue"}


def _starts_with(document_context: Any, proof_context: Any) -> bool:
    document_contexts = (document_context if isinstance(document_context, list)
                         else [document_context])
    proof_contexts = proof_context if isinstance(proof_context, list) else [proof_context]
    return document_contexts[:len(proof_contexts)] == proof_contexts


def _check_suite(suite: str, options: dict[str, Any]) -> None:
    if options.get("type") != DATA_INTEGRITY_PROOF or options.get("cryptosuite") != suite:
        raise malformed(f"not a {suite} DataIntegrityProof")
