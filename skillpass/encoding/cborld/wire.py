"""CBOR bytes for CBOR-LD: the tag header, a bounded well-formedness scan, and deterministic output.

Reading. `scan` says what a payload may hold, walking it once without building anything: every
length must fit in the bytes that are left (so a declared 2**60-item array costs a comparison,
not a 2**60-slot list), nesting is capped at MAX_DEPTH, and what CBOR-LD never writes is refused:
indefinite lengths, tags inside the payload, `undefined` and other simple values, map keys other
than unsigned integers and text, trailing bytes. The tag header is read here by hand, so cbor2
never sees a tag (it would hand back tag contents as frozen containers).
The values are built by cbor2's C decoder, told to refuse the same things where it can (no
indefinite lengths, every tag refused before any tag decoder runs, the same depth), with its map
hook checking keys and simple values and a count of the bytes it read; only a payload it refuses
is scanned, so that the error is the scan's, word for word. The scan in Python cost more than the
rest of reading; which payloads the two accept is the same (tests/test_cborld_wire.py).
cborld.decode reads with checked=False: no map hook (it cost a third of reading), the walk
refuses keys and values JSON cannot hold, and any error is preceded by the scan (`check`).

Writing. Maps are written with cborg's default key order, which both JavaScript peers use
(cborg `mapSorter`): by major type first (integers before text), integers by value, text by
UTF-8 length and then bytewise. Scalars are written by cbor2 in canonical mode: shortest integer
heads, and floats in the shortest of half, single or double precision that keeps the value,
which is what cborg writes with `float64: false`. One difference is deliberate: JavaScript has
one number type, so cborg writes the JSON number 1.0 as the integer 1, while skillpass keeps it a
float (f9 3c00), because JSON-LD reads 1.0 as an xsd:double and 1 as an xsd:integer and a proof
signs that difference. Integers beyond 2**53 are refused: cborg would read them rounded.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import cbor2

from skillpass.encoding.cborld import registry as reg
from skillpass.encoding.cborld.errors import malformed, too_large

MAX_BYTES = 64 * 1024  # far above what a QR code holds (~2.9 KB): a bound, not a format limit
MAX_DEPTH = 48  # CBOR containers; a VP with an OB 3.0 credential nests about 14 deep
_MAX_VARINT_BYTES = 8
_MAX_SAFE_INTEGER = 2**53 - 1  # JavaScript's Number.MAX_SAFE_INTEGER: cborg reads numbers as doubles

_SIMPLE_OK = {20, 21, 22, 25, 26, 27}  # false, true, null, half, single, double


@dataclass(frozen=True)
class Header:
    """What the tag says: the format, registry entry (None for the legacy singleton tags),
    whether the payload is compressed, and where the payload starts."""

    format: str
    registry_entry_id: int | None
    compressed: bool
    payload_start: int


def _head(data: bytes, pos: int) -> tuple[int, int, int, int]:
    """(major type, additional info, argument, next position) of the item head at `pos`."""
    if pos >= len(data):
        raise malformed("the CBOR-LD payload is truncated", "E_CBORLD_BAD_CBOR")
    initial = data[pos]
    major, info = initial >> 5, initial & 0x1F
    pos += 1
    if info < 24:
        return major, info, info, pos
    if info <= 27:
        width = 1 << (info - 24)
        if pos + width > len(data):
            raise malformed("the CBOR-LD payload is truncated", "E_CBORLD_BAD_CBOR")
        return major, info, int.from_bytes(data[pos:pos + width], "big"), pos + width
    if info == 31:
        raise malformed("the CBOR-LD payload uses an indefinite length, which CBOR-LD never writes",
                        "E_CBORLD_BAD_CBOR")
    raise malformed("the CBOR-LD payload has a reserved CBOR header byte", "E_CBORLD_BAD_CBOR")


def parse_header(data: bytes) -> Header:
    """Read the CBOR-LD tag (and, for CBOR-LD 1.0, the registry entry id) at the start of `data`."""
    major, _info, tag, pos = _head(data, 0)
    if major != 6:
        raise malformed("this is not CBOR-LD: it does not start with a CBOR-LD tag",
                        "E_CBORLD_NOT_CBORLD")
    if tag in (reg.TAG_LEGACY_UNCOMPRESSED, reg.TAG_LEGACY_COMPRESSED):
        made = _LEGACY_HEADERS.get((tag, pos))  # the shortest head, as every writer writes it
        return made if made is not None else Header(reg.LEGACY_SINGLETON, None, tag == reg.TAG_LEGACY_COMPRESSED, pos)
    if reg.TAG_LEGACY_RANGE_START <= tag <= reg.TAG_LEGACY_RANGE_END:
        first = tag - reg.TAG_LEGACY_RANGE_START
        if first < 0x80:
            return Header(reg.LEGACY_RANGE, first, first != reg.REGISTRY_UNCOMPRESSED, pos)
        pos = _expect_pair(data, pos)
        major, _info, length, pos = _head(data, pos)
        if major != 2 or length > _MAX_VARINT_BYTES or pos + length > len(data):
            raise malformed("the CBOR-LD registry entry varint is malformed", "E_CBORLD_BAD_HEADER")
        entry = _varint(bytes([first]) + data[pos:pos + length])
        return Header(reg.LEGACY_RANGE, entry, entry != reg.REGISTRY_UNCOMPRESSED, pos + length)
    if tag == reg.TAG_CBORLD_1_0:
        pos = _expect_pair(data, pos)
        major, _info, entry, pos = _head(data, pos)
        if major != 0:
            raise malformed("the CBOR-LD 1.0 registry entry id is not an unsigned integer",
                            "E_CBORLD_BAD_HEADER")
        return Header(reg.CBORLD_1_0, entry, entry != reg.REGISTRY_UNCOMPRESSED, pos)
    raise malformed(f"CBOR tag {tag} is not a CBOR-LD tag", "E_CBORLD_TAG_UNKNOWN",
                    "CBOR-LD starts with tag 0x0501 (legacy), 0x0600-0x06ff or 0xcb1d (CBOR-LD 1.0)")


# Headers are frozen: one of each legacy tag after its 3-byte head serves every payload.
_LEGACY_HEADERS = {(tag, 3): Header(reg.LEGACY_SINGLETON, None, tag == reg.TAG_LEGACY_COMPRESSED, 3)
                   for tag in (reg.TAG_LEGACY_UNCOMPRESSED, reg.TAG_LEGACY_COMPRESSED)}


def _expect_pair(data: bytes, pos: int) -> int:
    major, _info, count, pos = _head(data, pos)
    if major != 4 or count != 2:
        raise malformed("the CBOR-LD tag must hold a 2-element array", "E_CBORLD_BAD_HEADER")
    return pos


def _varint(data: bytes) -> int:
    # unsigned LEB128 (multiformats varint), as the legacy-range tag continues it
    value = 0
    for i, byte in enumerate(data):
        value |= (byte & 0x7F) << (7 * i)
        if not byte & 0x80:
            if i != len(data) - 1 or (byte == 0 and i):
                break
            return value
    raise malformed("the CBOR-LD registry entry varint is malformed", "E_CBORLD_BAD_HEADER")


def header_bytes(format: str, registry_entry_id: int | None) -> bytes:
    """The tag that starts a compressed payload of this format."""
    if format == reg.LEGACY_SINGLETON:
        return bytes([0xD9, 0x05, 0x01])
    if format == reg.CBORLD_1_0 and registry_entry_id is not None:
        return bytes([0xD9, 0xCB, 0x1D, 0x82]) + cbor2.dumps(registry_entry_id)
    raise ValueError(f"cannot write CBOR-LD format {format!r}")


def scan(data: bytes, start: int, *, max_depth: int = MAX_DEPTH) -> None:
    """Check that `data[start:]` is exactly one well-formed CBOR item CBOR-LD could have written."""
    pos, end = start, len(data)
    stack = [[1, False]]  # [items still to read, is a map]
    while stack:
        frame = stack[-1]
        if frame[0] == 0:
            stack.pop()
            continue
        is_key = frame[1] and frame[0] % 2 == 0
        frame[0] -= 1
        initial = data[pos] if pos < end else 0xFF  # 0xFF: _head says truncated
        major, info = initial >> 5, initial & 0x1F
        if info < 24:  # the argument in the head byte, as most items have it: _head, inline
            arg, pos = info, pos + 1
        else:
            major, info, arg, pos = _head(data, pos)
        if is_key and major not in (0, 3):
            raise malformed("a CBOR-LD map key is neither an integer nor text", "E_CBORLD_BAD_CBOR")
        if major in (2, 3):
            if arg > end - pos:
                raise malformed("the CBOR-LD payload is truncated", "E_CBORLD_BAD_CBOR")
            pos += arg
        elif major in (4, 5):
            items = arg * (2 if major == 5 else 1)
            if items > end - pos:  # every item takes at least one byte
                raise malformed("the CBOR-LD payload is truncated", "E_CBORLD_BAD_CBOR")
            if items:
                if len(stack) > max_depth:
                    raise malformed(f"the CBOR-LD payload nests deeper than {max_depth} levels",
                                    "E_CBORLD_TOO_DEEP")
                stack.append([items, major == 5])
        elif major == 6:
            raise malformed("the CBOR-LD payload holds a CBOR tag, which CBOR-LD never writes there",
                            "E_CBORLD_BAD_CBOR")
        elif major == 7 and info not in _SIMPLE_OK:
            raise malformed("the CBOR-LD payload holds a CBOR simple value other than "
                            "true, false, null or a float", "E_CBORLD_BAD_CBOR")
    if pos != end:
        raise malformed("the CBOR-LD payload has bytes after its end", "E_CBORLD_BAD_CBOR")


def read(data: bytes, *, max_bytes: int = MAX_BYTES, checked: bool = True) -> tuple[Header, Any]:
    """The header and the decoded (still compressed) payload of CBOR-LD bytes. With
    checked=False, map keys and simple values are left unchecked (cbor2's map hook costs as much
    as the rest of reading): for a caller that refuses any such value itself and, on any error,
    calls `check` first, so that the scan's error comes first as it did (cborld.decode)."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError("CBOR-LD is bytes")
    data = bytes(data)
    if len(data) > max_bytes:
        raise too_large("the CBOR-LD payload", max_bytes)
    header = parse_header(data)
    payload = strict_loads(data[header.payload_start:], checked=checked)
    if payload is REFUSED:  # the scan says why (or, for bad UTF-8 text, cbor2 below does)
        scan(data, header.payload_start)
        try:
            payload = cbor2.loads(data[header.payload_start:])
        except (cbor2.CBORDecodeError, ValueError, RecursionError) as error:
            raise malformed(f"the CBOR-LD payload is not valid CBOR ({_first_line(error)})",
                            "E_CBORLD_BAD_CBOR") from None
    entry = header.registry_entry_id
    if entry is not None and entry not in reg.SUPPORTED_REGISTRY_ENTRIES:
        reg.profile_for(header.format, entry)  # raises E_CBORLD_REGISTRY_UNKNOWN
    return header, payload


REFUSED: Any = type("Refused", (), {"__repr__": lambda self: "REFUSED"})()
_PLAIN_TYPES = frozenset({str, int, float, bool, type(None), bytes, dict})  # dict: its own hook checks it


def strict_loads(payload: bytes, *, checked: bool = True) -> Any:
    """The value of a payload `scan` accepts, built by cbor2's C decoder; REFUSED for anything
    else `scan` would refuse (and for some that it accepts: an empty container past the depth
    bound, bad UTF-8 text), so that the caller scans it for the error. checked=False leaves map
    keys and simple values to the caller (see `read`)."""
    if not _STRICT_CBOR2:
        return REFUSED
    stream = io.BytesIO(payload)
    try:
        value = cbor2.CBORDecoder(stream, allow_indefinite=False, max_depth=MAX_DEPTH, tag_hook=_refuse_tag,
                                  semantic_decoders=_EVERY_TAG,
                                  object_hook=_checked_map if checked else None).decode()
        if checked and type(value) is list:
            _check_items(value)
        elif checked and type(value) not in _PLAIN_TYPES:
            return REFUSED
    except (cbor2.CBORError, ValueError, RecursionError, MemoryError):
        return REFUSED
    return value if stream.tell() == len(payload) else REFUSED  # else: trailing bytes


class _Refused(ValueError):
    """What strict_loads's hooks raise inside cbor2: never shown (the scan then says why)."""


def _refuse_tag(*_args: Any) -> Any:
    raise _Refused()  # a CBOR tag in the payload


class _EveryTag(Mapping[int, Any]):
    """cbor2's semantic_decoders for every tag number: each one refuses (as scan does), so no tag
    decoder of cbor2's own (dates, bignums, shared references, sets...) ever runs on a payload."""

    def __getitem__(self, tag: int) -> Any:
        return _refuse_tag

    def __contains__(self, tag: object) -> bool:
        return True

    def __iter__(self) -> Iterator[int]:
        return iter(())

    def __len__(self) -> int:
        return 0


_EVERY_TAG = _EveryTag()


def _checked_map(first: Any, second: Any) -> Any:
    """cbor2's object_hook, for every map as it is built: keys are unsigned integers or text, values
    plain CBOR (no `undefined` or other simple value). cbor2 6 calls it (map, immutable), 5 (decoder, map)."""
    value = first if type(first) is dict else second
    for key, item in value.items():
        kind = type(key)
        if not (kind is str or (kind is int and key >= 0)):
            raise _Refused()  # a map key that is neither an unsigned integer nor text
        kind = type(item)
        if kind is list:
            _check_items(item)
        elif kind not in _PLAIN_TYPES:
            raise _Refused()  # a CBOR simple value
    return value


def _check_items(items: list[Any]) -> None:
    for item in items:
        kind = type(item)
        if kind is list:
            _check_items(item)
        elif kind not in _PLAIN_TYPES:
            raise _Refused()  # a CBOR simple value


def _has_strict_cbor2() -> bool:
    # cbor2 >= 6 has these options; an older one leaves every payload to the scan
    try:
        cbor2.CBORDecoder(io.BytesIO(b"\x80"), allow_indefinite=False, max_depth=MAX_DEPTH,
                          semantic_decoders=_EVERY_TAG).decode()
    except TypeError:
        return False
    return True


_STRICT_CBOR2 = _has_strict_cbor2()


def check(data: bytes, *, max_bytes: int = MAX_BYTES) -> None:
    """Raise what reading `data` raised before anything else could: its size, header, and scan."""
    data = bytes(data)
    if len(data) > max_bytes:
        raise too_large("the CBOR-LD payload", max_bytes)
    scan(data, parse_header(data).payload_start)


def _first_line(error: Exception) -> str:
    return (str(error).splitlines() or [type(error).__name__])[0][:120]


# -- writing -----------------------------------------------------------------------------------


def dumps(value: Any) -> bytes:
    """Deterministic CBOR for a compressed payload (see the module docstring for the order)."""
    out = bytearray()
    _write(value, out)
    return bytes(out)


def _write(value: Any, out: bytearray) -> None:
    if isinstance(value, dict):
        out += _head_bytes(5, len(value))
        for _order, key, item in sorted((_key_order(k), k, v) for k, v in value.items()):
            out += cbor2.dumps(key)
            _write(item, out)
    elif isinstance(value, (list, tuple)):
        out += _head_bytes(4, len(value))
        for item in value:
            _write(item, out)
    elif isinstance(value, float) and not math.isfinite(value):
        raise ValueError("CBOR-LD carries JSON numbers only, not NaN or infinity")
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > _MAX_SAFE_INTEGER:
        raise ValueError("an integer beyond 2**53 is not read exactly by JavaScript CBOR-LD readers")
    elif value is None or isinstance(value, (str, bytes, int, float, bool)):
        out += cbor2.dumps(value, canonical=True)
    else:
        raise TypeError(f"cannot write {type(value).__name__} as CBOR-LD")


def _key_order(key: Any) -> tuple[int, int, bytes]:
    if isinstance(key, int) and not isinstance(key, bool) and key >= 0:
        return (0, key, b"")
    if isinstance(key, str):
        encoded = key.encode("utf-8")
        return (3, len(encoded), encoded)
    raise TypeError(f"a CBOR-LD map key is an unsigned integer or text, not {key!r}")


def _head_bytes(major: int, arg: int) -> bytes:
    if arg < 24:
        return bytes([major << 5 | arg])
    for info, width in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if arg < 1 << (8 * width):
            return bytes([major << 5 | info]) + arg.to_bytes(width, "big")
    raise ValueError("CBOR length out of range")


__all__ = ["MAX_BYTES", "MAX_DEPTH", "Header", "check", "dumps", "header_bytes", "parse_header", "read", "scan"]
