"""A deep copy of JSON data (dict, list, str, int, float, bool, None), several times faster
than `copy.deepcopy`, which keeps a memo of every object it meets.

JSON text has no shared objects and no cycles, so none is kept: an object reached twice is
copied twice, as a JSON round trip would give it. Anything else (a dict or list subclass,
frozendict, any other type) is handed to `copy.deepcopy`.
"""

from __future__ import annotations

import copy
from types import SimpleNamespace
from typing import Any

_ATOMS = frozenset({str, int, float, bool, type(None)})


def json_copy(value: Any) -> Any:
    kind = type(value)
    if kind is dict:
        return {key: json_copy(item) for key, item in value.items()}
    if kind is list:
        return [json_copy(item) for item in value]
    if kind in _ATOMS:
        return value
    return copy.deepcopy(value)


def copy_module() -> SimpleNamespace:
    """The `copy` module as pyld.jsonld uses it (only `deepcopy`, of its input document)."""
    return SimpleNamespace(copy=copy.copy, deepcopy=json_copy, Error=copy.Error)
