"""`--json` text: encoding/json_text.dumps_indented is json.dumps(indent=2, ensure_ascii=False),
byte for byte, for any JSON value (the escapes included), and raises what json.dumps raises for
what JSON cannot hold."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skillpass import render
from skillpass.encoding.json_text import dumps_indented

# Text that would fool a careless re-indenter: quotes, backslashes, every control character,
# non-ASCII, separators and brackets as they appear in the encoded output.
TRICKY = st.sampled_from(["", "é", "Collège Boréal", "\x00", "\x1f", "\x7f", "\u2028", "\ud800", "\"", "\\",
                          "},\n    {", "}, {", "\n  ", "[{", "}]", "💡", "\t\r\b\f"])
TEXT = st.text(max_size=8) | TRICKY | st.lists(TRICKY, max_size=4).map("".join)
SCALARS = (st.none() | st.booleans() | st.integers() | st.sampled_from([2**64, -(10**30)])
           | st.floats() | TEXT)
RECORD = st.dictionaries(TEXT, SCALARS | st.just([]) | st.just({}), min_size=1, max_size=5)
VALUES = st.recursive(
    SCALARS | RECORD,
    lambda children: (st.lists(children, max_size=4) | st.lists(RECORD, min_size=1, max_size=4)
                      | st.dictionaries(TEXT, children, max_size=4) | st.lists(children, max_size=3).map(tuple)),
    max_leaves=40)


def reference(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


@settings(max_examples=400, deadline=None)
@given(VALUES)
def test_the_text_is_json_dumps_indent_2(value: Any) -> None:
    assert dumps_indented(value) == reference(value)


@pytest.mark.parametrize("value", [
    [], {}, [[]], {"a": {}}, [{}], [{}, {"a": 1}], [{"a": 1}, {}], [[{"a": 1}], [{"b": {}}]],
    {"frameworks": [{"id": "esco", "skills": [{"name": "x", "credentials": [{"id": "1"}, {"id": "2"}]}]}]},
    {"a": {"b": {"c": [1, [2, [3, {}]]]}}}, ({"a": (1, 2)},), [float("nan"), float("inf"), -0.0, 1e16],
    {"only": "\x01\n\"\\é"}, {"1": {"2": [{"k": "},\n      {"}, {"k": "v"}]}},
])
def test_the_text_of_shapes_the_passport_and_list_print(value: Any) -> None:
    assert dumps_indented(value) == reference(value)


def test_keys_that_are_not_strings_are_written_as_json_dumps_writes_them() -> None:
    for value in ({1: 2}, {"a": {1: [2]}, "b": [{True: None, None: 1.5, 2.5: "x"}]}):
        assert dumps_indented(value) == reference(value)


def cyclic() -> Any:
    inner: list[Any] = [1]
    inner.append({"back": [inner]})
    return {"a": inner}


@pytest.mark.parametrize("value", [cyclic(), {"a": [{"b": object()}]}, {"a": {(1,): 2}}, [[{1j: 1}]],
                                   {"a": 10**5000}])
def test_what_json_cannot_hold_raises_as_json_dumps_raises(value: Any) -> None:
    with pytest.raises((TypeError, ValueError)) as expected:
        reference(value)
    with pytest.raises(expected.type) as raised:
        dumps_indented(value)
    assert str(raised.value) == str(expected.value)


def test_emit_json_prints_one_document_and_a_newline() -> None:
    document = {"title": "Compétences \x1b[31m", "skills": [{"name": "analyse data", "credentials": []}]}
    out = io.StringIO()
    with redirect_stdout(out):
        render.emit_json(document)
    assert out.getvalue() == reference(document) + "\n"
    assert "\\u001b" in out.getvalue() and "é" in out.getvalue()
