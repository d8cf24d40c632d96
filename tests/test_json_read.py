"""encoding/json_read.loads: json.loads's values and json.loads's refusals, orjson or not."""

from __future__ import annotations

import json
import math

import pytest

from skillpass.encoding import json_read

WRITTEN = [{"v": 4, "title": "Université \"Boréal\"\t\u2028 \U0001f600", "from": 1627862400.0, "until": None,
            "dates": True, "skills": [["analyse data", "esco", None, "http://x/1", None]], "credits": 0.1 + 0.2},
           {"big": 2 ** 70, "neg": -(2 ** 65), "tiny": 5e-324, "exp": 1e16}, [], {}, "text", 0]


@pytest.fixture(params=["orjson", "json"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "orjson":
        orjson = pytest.importorskip("orjson")
        monkeypatch.setattr(json_read, "_fast_loads", orjson.loads)
    else:
        monkeypatch.setattr(json_read, "_fast_loads", None)
    return str(request.param)


@pytest.mark.parametrize("value", WRITTEN)
def test_what_json_dumps_wrote_reads_as_json_loads_reads_it(parser: str, value: object) -> None:
    data = json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()
    assert json_read.loads(data) == json.loads(data)
    assert json_read.loads(bytearray(data)) == value


def test_what_orjson_refuses_json_reads(parser: str) -> None:
    data = json.dumps([math.inf, -math.inf, 1, 2 ** 64]).encode()  # Infinity: not RFC 8259, json.dumps writes it
    assert json_read.loads(data) == [math.inf, -math.inf, 1, 2 ** 64]
    assert math.isnan(json_read.loads(b"[NaN]")[0])


@pytest.mark.parametrize("data", [b"", b"[", b"[1,]", b'{"a":1,}', b"\xff", b"[1] 2"])
def test_what_is_not_json_is_the_same_value_error(parser: str, data: bytes) -> None:
    with pytest.raises(ValueError):
        json.loads(data)
    with pytest.raises(ValueError):
        json_read.loads(data)


def test_orjson_is_loaded_at_the_first_parse_only(monkeypatch: pytest.MonkeyPatch) -> None:
    orjson = pytest.importorskip("orjson")
    monkeypatch.setattr(json_read, "_fast_loads", json_read._UNSET)
    assert json_read.loads(b'{"a":[1]}') == {"a": [1]}
    assert json_read._fast_loads is orjson.loads
