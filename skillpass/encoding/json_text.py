"""JSON as `--json` prints it: `json.dumps(value, indent=2, ensure_ascii=False)`, byte for byte,
in a fraction of its time.

CPython 3.11 encodes with `indent` only in pure Python (its C encoder takes no indent), about
four times slower than the C encoder: 0.4 s for the passport of ten thousand credentials. Here the
C encoder writes every container whose children are scalars or empty containers, with ",\n" and
its children's indent as item separator: that is the indented text once the brackets are put on
lines of their own. A list of such records (the passport's credentials, a skill's evidence, the
rows of `list`) is one call of the C encoder, its separators between records fixed after. Only
containers that hold other containers are walked in Python. Strings go through the same
`encode_basestring` either way, so non-ASCII stays as it is and the same characters (quote,
backslash, U+0000 to U+001F) are escaped. What the walk does not handle (a key that is not a
string in a container it walks, a cycle, a value JSON has no form for) goes to `json.dumps`,
which gives the same text or raises the same error.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any

INDENT = "  "
RECORDS_AT_ONCE = 256
_Encoder = Callable[[Any, int], list[str]]
_CONTAINERS = (dict, list, tuple)
_SCALARS = frozenset({str, int, float, bool, type(None)})
_Memo = dict[int, dict[int, str]]  # by depth, a record's text by id, within one value's walk
_encoders: list[_Encoder] = []  # by depth: items separated by a newline and that depth's indent


class _Unhandled(Exception):
    """A value to leave to json.dumps."""


def dumps_indented(value: Any) -> str:
    """`json.dumps(value, indent=2, ensure_ascii=False)`."""
    return "".join(indented_chunks(value))


def indented_chunks(value: Any) -> list[str]:
    """The text of `dumps_indented(value)` in pieces, to write without joining them first (the
    passport of ten thousand credentials is 14 MB of text)."""
    if c_make_encoder is None:  # no _json accelerator (another Python): the reference is all there is
        return [_reference(value)]
    out: list[str] = []
    try:
        _write(value, 0, out, set(), {})
    except (_Unhandled, TypeError, ValueError, RecursionError):
        return [_reference(value)]
    return out


def object_chunks(items: Iterable[tuple[str, Any]]) -> Iterator[str]:
    """The text of `dumps_indented(dict(items))`, one item at a time: each value is made by the
    time it is wanted, written, and can be dropped before the next is made (the passport's
    sections). A value the walk does not handle falls back to json.dumps alone."""
    count = 0
    for key, value in items:
        yield f"{',' if count else '{'}\n{INDENT}{encode_basestring(key)}: "
        chunks = _chunks_at(value, 1)
        del value  # written from its text: the value can go first
        yield from chunks
        del chunks
        count += 1
    yield "\n}" if count else "{}"


def _chunks_at(value: Any, depth: int) -> list[str]:
    """The text of `value` as it is inside a container `depth` deep."""
    if c_make_encoder is not None:
        out: list[str] = []
        try:
            _write(value, depth, out, set(), {})
            return out
        except (_Unhandled, TypeError, ValueError, RecursionError):
            pass
    # Indented as the value would be inside its containers: JSON text holds no raw newline but these.
    return [_reference(value).replace("\n", "\n" + INDENT * depth)]


def _reference(value: Any) -> str:
    return json.dumps(value, indent=len(INDENT), ensure_ascii=False)


def _write(value: Any, depth: int, out: list[str], open_ids: set[int], memo: _Memo) -> None:
    if isinstance(value, dict) and value and not _flat(value.values()):
        _write_dict(value, depth, out, open_ids, memo)
    elif isinstance(value, (list, tuple)) and value and _write_records(value, depth, out, memo):
        pass
    elif isinstance(value, (list, tuple)) and value and not _flat(value):
        _write_list(value, depth, out, open_ids, memo)
    else:
        text = "".join(_encoder(depth)(value, 0))
        if len(text) > 2 and text[0] in "{[":  # a non-empty container: its brackets on lines of their own
            text = f"{text[0]}\n{INDENT * (depth + 1)}{text[1:-1]}\n{INDENT * depth}{text[-1]}"
        out.append(text)


def _write_dict(value: dict[Any, Any], depth: int, out: list[str], open_ids: set[int], memo: _Memo) -> None:
    _enter(value, open_ids)
    inner = INDENT * (depth + 1)
    out.append("{")
    for n, (key, child) in enumerate(value.items()):
        if not isinstance(key, str):
            raise _Unhandled("a key that is not a string")
        out.append(f"{',' if n else ''}\n{inner}{encode_basestring(key)}: ")
        _write(child, depth + 1, out, open_ids, memo)
    out.append(f"\n{INDENT * depth}}}")
    open_ids.discard(id(value))


def _write_list(value: list[Any] | tuple[Any, ...], depth: int, out: list[str], open_ids: set[int],
                memo: _Memo) -> None:
    _enter(value, open_ids)
    inner = INDENT * (depth + 1)
    out.append("[")
    for n, child in enumerate(value):
        out.append(f"{',' if n else ''}\n{inner}")
        _write(child, depth + 1, out, open_ids, memo)
    out.append(f"\n{INDENT * depth}]")
    open_ids.discard(id(value))


def _enter(container: Any, open_ids: set[int]) -> None:
    if id(container) in open_ids:
        raise _Unhandled("a container inside itself")
    open_ids.add(id(container))


def _write_records(records: list[Any] | tuple[Any, ...], depth: int, out: list[str], memo: _Memo) -> bool:
    """A list of records (non-empty dicts of scalars and empty containers) written to `out`, or
    False when an item is not one. Each record is encoded once however often the value holds it
    (the passport lists a credential under each of its skills), by the C encoder, RECORDS_AT_ONCE
    records a call (its pieces for ten thousand at once would take more memory than their text),
    and goes to `out` joined with its neighbours, RECORDS_AT_ONCE records a piece (a piece a
    record was a hundred thousand writes for one passport). In the encoder's text the
    separators between records are the only "}" + separator + "{": a key follows every other
    separator, and a string holds no raw newline."""
    outer, inner, field = INDENT * depth, INDENT * (depth + 1), INDENT * (depth + 2)
    known = memo.setdefault(depth, {})  # a record's text by id, at this depth
    distinct = dict(zip(map(id, records), records))  # each once, in order (a C loop, not a Python one)
    unseen = [item for key, item in distinct.items() if key not in known] if known else list(distinct.values())
    del distinct
    if not all(isinstance(item, dict) and item for item in unseen):
        return False
    if not (_SCALARS.issuperset(map(type, chain.from_iterable(map(dict.values, unseen))))
            or all(_flat(item.values()) for item in unseen)):  # one test of every value at once, first
        return False
    for start in range(0, len(unseen), RECORDS_AT_ONCE):
        part = unseen[start:start + RECORDS_AT_ONCE]
        text = "".join(_encoder(depth + 1)(part, 0))  # [{"k": v,<newline, field>"k": v},<newline, field>{...}]
        bodies = text[2:-2].split(f"}},\n{field}{{")
        if len(bodies) != len(part):
            raise _Unhandled("records the encoder wrote otherwise")
        known.update(zip(map(id, part), bodies))
    del unseen
    between = f"\n{inner}}},\n{inner}{{\n{field}"
    texts = list(map(known.__getitem__, map(id, records)))
    out.append(f"[\n{inner}{{\n{field}")
    for start in range(0, len(texts), RECORDS_AT_ONCE):  # a piece of text per batch, not per record
        out.append(("" if start == 0 else between) + between.join(texts[start:start + RECORDS_AT_ONCE]))
    out.append(f"\n{inner}}}\n{outer}]")
    return True


def _flat(children: Any) -> bool:
    if _SCALARS.issuperset(map(type, children)):  # the common case, without a Python loop
        return True
    return not any(isinstance(child, _CONTAINERS) and child for child in children)


def _encoder(depth: int) -> _Encoder:
    while len(_encoders) <= depth:
        separator = ",\n" + INDENT * (len(_encoders) + 1)
        # No markers: a container of scalars cannot hold itself. The default raises TypeError
        # for a value JSON has no form for, as json.dumps does.
        _encoders.append(c_make_encoder(None, json.JSONEncoder().default, encode_basestring, None, ": ",
                                        separator, False, False, True))
    return _encoders[depth]
