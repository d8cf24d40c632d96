"""CBOR-LD: JSON-LD compressed to CBOR with integer ids taken from the document's own contexts.

    encode(document, store=..., format=LEGACY_SINGLETON) -> bytes
    decode(data, store=...) -> the JSON-LD document
    header(data) -> which tag and registry entry the bytes use

Writes the legacy format (tag 0x0501) exactly as @digitalcredentials/cborld 4.3.4 does, so that
@digitalcredentials/vpqr 2.2.1 reads what skillpass writes, byte for byte the same for the same
document; or CBOR-LD 1.0 (tag 0xcb1d, registry entry 1) as @digitalbazaar/cborld 8.1 does,
smaller (base64url multibase values, such as an ecdsa-sd-2023 derived proofValue, become bytes),
but readable only by 8.x, which cannot read a VC 2.0 presentation. Reads both, the legacy range
tags 0x0600-0x067f for registry entries 0 and 1, and uncompressed payloads (0x0500, entry 0).

Decoding needs the same context documents the encoder used, byte for byte in their keys: term
ids are positions in the sorted keys of every context met. A context skillpass does not have
(E_CBORLD_CONTEXT_UNKNOWN) or a registry entry it has no tables for (E_CBORLD_REGISTRY_UNKNOWN)
is an UnverifiableError; a different version of a context that keeps the same URL decodes to
different terms, which the proofs then catch.

Encoding checks its own work: the bytes are decoded again and must give back the same JSON
(same keys, values and JSON types), else E_CBORLD_UNENCODABLE names the first place that
differs. So a document that CBOR-LD cannot carry faithfully (an undefined term in the legacy
format, a number where a date belongs, `"@context": null`) is refused rather than changed.
Modules: `terms` (ids and context scoping), `stack` (pushing contexts), `codecs` (values),
`encode`, `decode`, `wire` (CBOR bytes, bounds), `registry` (tags and tables).
"""

from __future__ import annotations

import json
from typing import Any

from skillpass.encoding.cborld import registry
from skillpass.encoding.cborld.decode import Decompressor, uncompressed
from skillpass.encoding.cborld.encode import Compressor
from skillpass.encoding.cborld.errors import unencodable
from skillpass.encoding.cborld.registry import (
    CBORLD_1_0,
    LEGACY_RANGE,
    LEGACY_SINGLETON,
)
from skillpass.encoding.cborld.wire import (
    MAX_BYTES,
    MAX_DEPTH,
    Header,
    check,
    dumps,
    header_bytes,
    parse_header,
    read,
)
from skillpass.errors import BadInputError, SkillpassError

FORMATS = (LEGACY_SINGLETON, CBORLD_1_0)


def encode(document: Any, *, store: Any, format: str = LEGACY_SINGLETON) -> bytes:
    """The CBOR-LD bytes of a JSON-LD document (an object, or an array of objects)."""
    if format == LEGACY_SINGLETON:
        profile = registry.LEGACY
    elif format == CBORLD_1_0:
        profile = registry.DEFAULT_1_0
    else:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    # 1. compress, 2. serialize behind the tag
    payload = Compressor(store, profile).document(document)
    try:
        data = header_bytes(profile.format, profile.registry_entry_id) + dumps(payload)
    except (TypeError, ValueError) as error:
        raise unencodable(f"the document holds a value CBOR-LD cannot carry ({error})") from None
    # 3. read it back: it must be the same JSON
    try:
        decoded = decode(data, store=store, max_bytes=max(len(data), MAX_BYTES))
    except BadInputError as error:  # what was written does not read: say so as a writing error
        raise unencodable(f"CBOR-LD could not give back this document ({error.message})") from None
    difference = first_difference(document, decoded)
    if difference is not None:
        raise unencodable(f"CBOR-LD would not give back the same JSON at {difference or '/'}")
    return data


def decode(data: bytes, *, store: Any, max_bytes: int = MAX_BYTES) -> Any:
    """The JSON-LD document in CBOR-LD bytes. BadInputError for damaged or hostile bytes,
    UnverifiableError for a valid payload that needs a context or table skillpass lacks."""
    try:
        # map keys and simple values are checked by the walk itself (codecs.plain, Decompressor)
        head, payload = read(data, max_bytes=max_bytes, checked=False)
        if not head.compressed:
            return uncompressed(payload)
        if head.format == LEGACY_SINGLETON:
            profile = registry.LEGACY
        else:
            assert head.registry_entry_id is not None
            profile = registry.profile_for(head.format, head.registry_entry_id)
        return Decompressor(store, profile).document(payload)
    except SkillpassError:
        check(data, max_bytes=max_bytes)  # the scan's error, if any, came first (wire.read)
        raise


def header(data: bytes) -> Header:
    """Which tag and registry entry `data` starts with (nothing else is read)."""
    return parse_header(bytes(data[:32]))


def first_difference(expected: Any, actual: Any, path: str = "") -> str | None:
    """The JSON pointer of the first place two JSON values differ (types included), or None."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual), key=str):
            if key not in expected or key not in actual:
                return f"{path}/{key}"
            found = first_difference(expected[key], actual[key], f"{path}/{key}")
            if found is not None:
                return found
        return None
    if isinstance(expected, (list, tuple)) and isinstance(actual, list):
        if len(expected) != len(actual):
            return path
        for i, (a, b) in enumerate(zip(expected, actual)):
            found = first_difference(a, b, f"{path}/{i}")
            if found is not None:
                return found
        return None
    same = type(expected) is type(actual) and json.dumps(expected) == json.dumps(actual)
    return None if same else path


__all__ = ["CBORLD_1_0", "FORMATS", "LEGACY_RANGE", "LEGACY_SINGLETON", "MAX_BYTES", "MAX_DEPTH", "Header",
           "decode", "encode", "first_difference", "header"]
