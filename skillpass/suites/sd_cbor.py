"""ecdsa-sd-2023 proofValue wire format (W3C vc-di-ecdsa, section 3.5 "ecdsa-sd-2023 Functions").

A proofValue is `u` + base64url-nopad( 3-byte header + CBOR array of 5 components ):
- base proof    `d9 5d 00`: [baseSignature, publicKey, hmacKey, [signatures], [mandatoryPointers]]
- derived proof `d9 5d 01`: [baseSignature, publicKey, [signatures], {int: bytes}, [mandatoryIndexes]]

The header bytes read as CBOR tag 0x5d00 / 0x5d01 but are treated as a fixed prefix; the spec
forbids tags on the components, except that tag 64 around a byte string is accepted on parse
because some implementations write Uint8Array that way (digitalbazaar does the same).

`publicKey` is the proof-scoped P-256 multikey: `80 24` + 33-byte compressed point = 35 bytes.
The spec's parse step says 36, but every implementation and both published vectors carry 35.

Parsing is total: any string gives a proof value or InvalidError (E_PROOF_MALFORMED). The length
is capped before base64url decoding, and the CBOR heads are walked once (`_check_wire_shape`)
before cbor2 sees the bytes, so no indefinite-length item, foreign tag (cbor2 would build dates,
bignums or cyclic structures from tags 0-4, 28/29 and more without asking), nesting beyond the
five-component shape, or length claim beyond the input reaches the decoder.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any, Literal

from skillpass.errors import BadInputError, InvalidError
from skillpass.keys import multibase

BASE_HEADER = b"\xd9\x5d\x00"
DERIVED_HEADER = b"\xd9\x5d\x01"
SIGNATURE_SIZE = 64  # P-256 r||s
PUBLIC_KEY_SIZE = 35  # 80 24 + compressed point
HMAC_KEY_SIZE = 32
LABEL_DIGEST_SIZE = 32  # HMAC-SHA-256 output

# The largest credential a proof value is sized for: one 64-byte signature per non-mandatory
# statement (N-Quad), one label map entry per blank node, one mandatory index per statement.
# 100,000 signatures alone are 9 MiB of base64url, more than a whole credential may be
# (skillpass.ingest.MAX_INPUT_BYTES, 8 MiB): no proof skillpass could read is refused by the cap.
MAX_STATEMENTS = 100_000
MAX_POINTERS_BYTES = 1 << 20  # the whole encoded mandatoryPointers array of a base proof
_HEAD = 9  # the longest CBOR head: initial byte + 8-byte argument (RFC 8949 section 3)


def _bstr(size: int) -> int:
    return 2 + 2 + size  # tag 64 (accepted on parse, see above) + head + the bytes


# Wire sizes, counted generously from the shapes in the module docstring.
MAX_BASE_PROOF_BYTES = (len(BASE_HEADER) + 1 + _bstr(SIGNATURE_SIZE) + _bstr(PUBLIC_KEY_SIZE)
                        + _bstr(HMAC_KEY_SIZE) + _HEAD + MAX_STATEMENTS * _bstr(SIGNATURE_SIZE)
                        + MAX_POINTERS_BYTES)
MAX_DERIVED_PROOF_BYTES = (len(DERIVED_HEADER) + 1 + _bstr(SIGNATURE_SIZE) + _bstr(PUBLIC_KEY_SIZE)
                           + _HEAD + MAX_STATEMENTS * _bstr(SIGNATURE_SIZE)
                           + _HEAD + MAX_STATEMENTS * (_HEAD + _bstr(LABEL_DIGEST_SIZE))
                           + _HEAD + MAX_STATEMENTS * _HEAD)
_MAX_NESTING = 2  # the component array, then the signature/pointer/index arrays and the label map
_TAG_UINT8_ARRAY = 64

_HINT = "the proof is damaged or not an ecdsa-sd-2023 proof; ask the issuer for a new copy"


@dataclass(frozen=True)
class BaseProofValue:
    """The five components of a base proof (section 3.5.2 serializeBaseProofValue)."""

    base_signature: bytes
    public_key: bytes
    hmac_key: bytes
    signatures: tuple[bytes, ...]
    mandatory_pointers: tuple[str, ...]

    def __repr__(self) -> str:  # the HMAC key lets anyone link blank-node labels; keep it out of logs
        return (f"BaseProofValue(signatures={len(self.signatures)}, "
                f"mandatory_pointers={list(self.mandatory_pointers)!r}, hmac_key=<redacted>)")


@dataclass(frozen=True)
class DerivedProofValue:
    """The five components of a derived proof, label map decompressed (section 3.5.8)."""

    base_signature: bytes
    public_key: bytes
    signatures: tuple[bytes, ...]
    label_map: dict[str, str]  # verifier's canonical label 'c14nN' -> HMAC label 'u...'
    mandatory_indexes: tuple[int, ...]


def _malformed(reason: str) -> InvalidError:
    return InvalidError(f"malformed ecdsa-sd-2023 proofValue: {reason}", _HINT,
                        code="E_PROOF_MALFORMED")


def proof_value_kind(proof_value: object) -> Literal["base", "derived"]:
    """'base' or 'derived', from the header bytes; raises on anything else."""
    header = _decode_multibase(proof_value, max(MAX_BASE_PROOF_BYTES, MAX_DERIVED_PROOF_BYTES))[:3]
    if header == BASE_HEADER:
        return "base"
    if header == DERIVED_HEADER:
        return "derived"
    raise _malformed("unknown header (expected d9 5d 00 or d9 5d 01)")


# -- base proof --------------------------------------------------------------------------------

def serialize_base_proof_value(value: BaseProofValue) -> str:
    """Section 3.5.2 serializeBaseProofValue."""
    _check_base(value)
    # 1.-2. header, then the five components, untagged
    components = [value.base_signature, value.public_key, value.hmac_key,
                  list(value.signatures), list(value.mandatory_pointers)]
    return _encode(BASE_HEADER, components)


def parse_base_proof_value(proof_value: object) -> BaseProofValue:
    """Section 3.5.3 parseBaseProofValue, plus the component checks serialize applies."""
    components = _decode(proof_value, BASE_HEADER, "base", MAX_BASE_PROOF_BYTES)
    base_signature, public_key, hmac_key, signatures, pointers = components
    if not isinstance(signatures, list) or not isinstance(pointers, list):
        raise _malformed("signatures and mandatoryPointers must be arrays")
    value = BaseProofValue(base_signature, public_key, hmac_key,
                           tuple(_untag(s) for s in signatures), tuple(pointers))
    _check_base(value)
    return value


def _check_base(value: BaseProofValue) -> None:
    _check_bytes(value.base_signature, SIGNATURE_SIZE, "baseSignature")
    _check_bytes(value.public_key, PUBLIC_KEY_SIZE, "publicKey")
    _check_bytes(value.hmac_key, HMAC_KEY_SIZE, "hmacKey")
    for signature in value.signatures:
        _check_bytes(signature, SIGNATURE_SIZE, "each signature")
    if not all(isinstance(p, str) for p in value.mandatory_pointers):
        raise _malformed("mandatoryPointers must be strings")


# -- derived proof -----------------------------------------------------------------------------

def compress_label_map(label_map: dict[str, str]) -> dict[int, bytes]:
    """Section 3.5.5 compressLabelMap: 'c14nN' -> N, 'u<b64url>' -> raw digest."""
    compressed: dict[int, bytes] = {}
    for key, label in label_map.items():
        if not key.startswith("c14n") or not key[4:].isdigit() or not label.startswith("u"):
            raise ValueError(f"not a canonical label map entry: {key!r} -> {label!r}")
        compressed[int(key[4:])] = multibase.b64url_decode(label[1:], max_bytes=LABEL_DIGEST_SIZE,
                                                           what="a blank node label")
    return compressed


def decompress_label_map(compressed: dict[int, bytes]) -> dict[str, str]:
    """Section 3.5.6 decompressLabelMap."""
    return {f"c14n{key}": "u" + multibase.b64url_encode(digest)
            for key, digest in sorted(compressed.items())}


def serialize_derived_proof_value(value: DerivedProofValue) -> str:
    """Section 3.5.7 serializeDerivedProofValue (map keys in ascending order, as cborg writes)."""
    compressed = compress_label_map(value.label_map)
    _check_derived(value, compressed)
    components = [value.base_signature, value.public_key, list(value.signatures),
                  dict(sorted(compressed.items())), list(value.mandatory_indexes)]
    return _encode(DERIVED_HEADER, components)


def parse_derived_proof_value(proof_value: object) -> DerivedProofValue:
    """Section 3.5.8 parseDerivedProofValue with its shape checks (publicKey: 35 bytes, see top)."""
    components = _decode(proof_value, DERIVED_HEADER, "derived", MAX_DERIVED_PROOF_BYTES)
    base_signature, public_key, signatures, compressed, indexes = components
    if not isinstance(signatures, list) or not isinstance(indexes, list):
        raise _malformed("signatures and mandatoryIndexes must be arrays")
    if not isinstance(compressed, dict):
        raise _malformed("the label map must be a CBOR map")
    compressed = {key: _untag(digest) for key, digest in compressed.items()}
    value = DerivedProofValue(base_signature, public_key, tuple(_untag(s) for s in signatures),
                              {}, tuple(indexes))
    _check_derived(value, compressed)
    return DerivedProofValue(value.base_signature, value.public_key, value.signatures,
                             decompress_label_map(compressed), value.mandatory_indexes)


def _check_derived(value: DerivedProofValue, compressed: dict[Any, Any]) -> None:
    _check_bytes(value.base_signature, SIGNATURE_SIZE, "baseSignature")
    _check_bytes(value.public_key, PUBLIC_KEY_SIZE, "publicKey")
    for signature in value.signatures:
        _check_bytes(signature, SIGNATURE_SIZE, "each signature")
    for key, digest in compressed.items():
        if not _is_uint(key):
            raise _malformed("label map keys must be unsigned integers")
        _check_bytes(digest, LABEL_DIGEST_SIZE, "each label map value")
    indexes = value.mandatory_indexes
    if not all(_is_uint(i) for i in indexes):
        raise _malformed("mandatoryIndexes must be unsigned integers")
    if len(set(indexes)) != len(indexes):
        raise _malformed("mandatoryIndexes repeats an index")


# -- shared ------------------------------------------------------------------------------------

def _encode(header: bytes, components: list[Any]) -> str:
    import cbor2

    return multibase.encode(header + cbor2.dumps(components), "u")


def _decode(proof_value: object, header: bytes, kind: str, max_bytes: int) -> list[Any]:
    """Strip and check the header, decode exactly one CBOR item, require a 5-element array."""
    import cbor2

    data = _decode_multibase(proof_value, max_bytes)
    if data[:3] != header:
        raise _malformed(f"not a {kind} proof (header {data[:3].hex(' ')})")
    payload = data[3:]
    _check_wire_shape(payload)
    stream = io.BytesIO(payload)
    try:
        components = cbor2.CBORDecoder(stream, tag_hook=_reject_tag).decode()
    except (cbor2.CBORError, ValueError, TypeError, OverflowError, RecursionError):
        raise _malformed("the CBOR payload does not decode") from None
    if stream.tell() != len(payload) or not isinstance(components, list) or len(components) != 5:
        raise _malformed("the CBOR payload does not decode")  # the shape walk already saw to it
    return [_untag(c) for c in components]


def _decode_multibase(proof_value: object, max_bytes: int) -> bytes:
    if not isinstance(proof_value, str) or not proof_value.startswith("u"):
        raise _malformed("proofValue must be a base64url multibase string ('u...')")
    try:
        return multibase.decode(proof_value, max_bytes=max_bytes, what="the proofValue")
    except BadInputError as exc:  # from the strict decoder: still a malformed proof
        if exc.code == "E_TOO_LARGE":
            raise _malformed(f"longer than the {max_bytes} bytes a proof for {MAX_STATEMENTS} "
                             "statements can take") from None
        raise _malformed("proofValue is not canonical base64url") from None


def _check_wire_shape(data: bytes) -> None:
    """Walk every CBOR head once (RFC 8949 section 3) and refuse what the five-component shape
    cannot contain: indefinite lengths, tags but 64 on a byte string, negative integers, floats
    and simple values, map keys that are not distinct unsigned integers, nesting beyond
    _MAX_NESTING, more than MAX_STATEMENTS entries in a container, lengths past the end."""
    pos, major, count = _head(data, 0)
    if major != 4 or count != 5:
        raise _malformed("expected an array of five components")
    open_ = [_Container(count, None)]
    while open_:
        container = open_[-1]
        if container.left == 0:
            open_.pop()
            continue
        keys = container.keys if container.left % 2 == 0 else None  # a map: key, value, key...
        container.left -= 1
        pos, major, argument = _head(data, pos)
        if keys is not None:
            if major != 0 or argument in keys:
                raise _malformed("label map keys must be distinct unsigned integers")
            keys.add(argument)
            continue
        pos, inner = _skip_item(data, pos, major, argument, len(open_))
        if inner is not None:
            open_.append(inner)
    if pos != len(data):
        raise _malformed("trailing bytes after the CBOR payload")


@dataclass
class _Container:
    """An open array or map while walking the heads: items still to come, map keys seen."""

    left: int
    keys: set[int] | None  # None for an array


def _skip_item(data: bytes, pos: int, major: int, argument: int,
               depth: int) -> tuple[int, _Container | None]:
    """Step over one value whose head was read; a container is returned to be walked next."""
    if major == 6:
        if argument != _TAG_UINT8_ARRAY:
            raise _malformed(f"CBOR tag {argument} is not allowed")
        pos, major, argument = _head(data, pos)
        if major != 2:
            raise _malformed("CBOR tag 64 must wrap a byte string")
    if major in (2, 3):  # byte and text strings: skip the content
        if argument > len(data) - pos:
            raise _malformed("the CBOR payload is truncated")
        return pos + argument, None
    if major in (4, 5):
        if depth >= _MAX_NESTING:
            raise _malformed("CBOR nested deeper than the proof's five components")
        if argument > MAX_STATEMENTS:
            raise _malformed(f"more than {MAX_STATEMENTS} entries in one component")
        items = argument * 2 if major == 5 else argument
        if items > len(data) - pos:  # every item takes at least one byte
            raise _malformed("the CBOR payload is truncated")
        return pos, _Container(items, set() if major == 5 else None)
    if major != 0:
        raise _malformed(f"CBOR major type {major} is not allowed (only unsigned integers, "
                         "strings, arrays and a map)")
    return pos, None


def _head(data: bytes, pos: int) -> tuple[int, int, int]:
    """(position after the head, major type, argument) of the CBOR head at `pos`."""
    if pos >= len(data):
        raise _malformed("the CBOR payload is truncated")
    major, info = data[pos] >> 5, data[pos] & 0x1F
    if info < 24:
        return pos + 1, major, info
    if info == 31:
        raise _malformed("indefinite-length CBOR items are not allowed")
    if info > 27:
        raise _malformed("the CBOR payload uses a reserved head")
    end = pos + 1 + (1 << (info - 24))
    if end > len(data):
        raise _malformed("the CBOR payload is truncated")
    return end, major, int.from_bytes(data[pos + 1:end], "big")


def _reject_tag(*args: Any) -> Any:
    import cbor2

    # cbor2 6 calls tag_hook(tag, immutable); cbor2 5 called tag_hook(decoder, tag)
    tag = next(a for a in args if isinstance(a, cbor2.CBORTag))
    if tag.tag == 64 and isinstance(tag.value, bytes):
        return _Tagged64(tag.value)
    raise cbor2.CBORDecodeError(f"unexpected CBOR tag {tag.tag}")


class _Tagged64(bytes):
    """A byte string that arrived wrapped in tag 64 (Uint8Array); unwrapped by `_untag`."""


def _untag(value: Any) -> Any:
    return bytes(value) if isinstance(value, _Tagged64) else value


def _check_bytes(value: object, size: int, name: str) -> None:
    if not isinstance(value, bytes) or len(value) != size:
        raise _malformed(f"{name} must be a {size}-byte string")


def _is_uint(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
