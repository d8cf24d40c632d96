"""Parsing much JSON that skillpass wrote itself (the wallet's list rows: ten thousand of them
for one `list` or `passport`), with orjson where it is installed: the same values as
`json.loads`, in about half its time.

orjson refuses what json.dumps can write and RFC 8259 does not allow (NaN, Infinity) and
integers past 64 bits; whatever it refuses, json.loads reads, or refuses with the same
ValueError it always gave. Without orjson, json.loads is all there is.
"""

from __future__ import annotations

import json
from typing import Any

_UNSET: Any = object()
_fast_loads: Any = _UNSET  # orjson.loads, None without orjson; imported at the first parse


def loads(data: bytes | bytearray) -> Any:
    """`json.loads(data)`: a ValueError for text that is not JSON."""
    global _fast_loads
    if _fast_loads is _UNSET:  # only now: a command that reads no rows does not load orjson
        try:
            from orjson import loads as found
        except ImportError:  # orjson is a dependency; a platform without its wheel still works
            found = None
        _fast_loads = found
    if _fast_loads is not None:
        try:
            return _fast_loads(data)
        except ValueError:  # orjson.JSONDecodeError is one: json decides
            pass
    return json.loads(data)
