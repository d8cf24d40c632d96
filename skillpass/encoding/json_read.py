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

try:
    from orjson import loads as _fast_loads
except ImportError:  # pragma: no cover - orjson is a dependency; a platform without its wheel still works
    _fast_loads = None


def loads(data: bytes | bytearray) -> Any:
    """`json.loads(data)`: a ValueError for text that is not JSON."""
    if _fast_loads is not None:
        try:
            return _fast_loads(data)
        except ValueError:  # orjson.JSONDecodeError is one: json decides
            pass
    return json.loads(data)
