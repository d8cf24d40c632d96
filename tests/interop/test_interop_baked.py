"""An Open Badge 3.0 credential issued by digitalbazaar's libraries, baked into a PNG and an SVG
here as OB 3.0 §5.3 says, imports into skillpass, and `verify` of the baked PNG passes."""

from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli

pytestmark = pytest.mark.interop


def _issued_by_node(peer: Any) -> dict[str, Any]:
    return peer.run("issue", "--suite", "eddsa-rdfc-2022", input_json=peer.fixture("ob3-unsigned.json"))


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def baked_png(text: bytes) -> bytes:
    """A 1x1 PNG with the OB 3.0 §5.3.1 iTXt chunk: keyword openbadgecredential, no compression."""
    ihdr = _chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    itxt = _chunk(b"iTXt", b"openbadgecredential\0" + b"\0\0" + b"\0\0" + text)
    idat = _chunk(b"IDAT", zlib.compress(b"\0\0"))
    return b"\x89PNG\r\n\x1a\n" + ihdr + itxt + idat + _chunk(b"IEND", b"")


def baked_svg(text: str) -> bytes:
    """An SVG with the OB 3.0 §5.3.2 openbadges:credential element, the JSON in CDATA."""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0" '
            f'width="10" height="10"><openbadges:credential><![CDATA[{text}]]></openbadges:credential>'
            '<circle cx="5" cy="5" r="4"/></svg>').encode()


def test_an_ob3_credential_from_digitalbazaar_imports_from_baked_images(peer: Any, cli: Cli, wallet_home: Path,
                                                                        tmp_path: Path) -> None:
    first, second = _issued_by_node(peer), _issued_by_node(peer)
    png, svg = tmp_path / "badge.png", tmp_path / "badge.svg"
    png.write_bytes(baked_png(json.dumps(first).encode()))
    svg.write_bytes(baked_svg(json.dumps(second, indent=2)))
    result = cli.with_passphrase("import", str(png), str(svg), "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    outcomes = result.json()
    assert [(o["status"], o["source"]) for o in outcomes] == [("imported", f"{png} (baked)"),
                                                              ("imported", f"{svg} (baked)")]
    rows = cli.with_passphrase("list", "--json").json()
    assert {r["format"] for r in rows} == {"ldp_vc"} and {r["status"] for r in rows} == {"valid"}
    proofs = cli.with_passphrase("show", outcomes[0]["id"], "--json").json()["verification"]["proofs"]
    assert [p["suite"] for p in proofs] == ["eddsa-rdfc-2022"]


def test_verify_of_a_baked_png_from_digitalbazaar_passes(peer: Any, cli: Cli, tmp_path: Path) -> None:
    png = tmp_path / "badge.png"
    png.write_bytes(baked_png(json.dumps(_issued_by_node(peer)).encode()))
    result = cli("verify", str(png), "--json")
    report = result.json()
    assert (result.returncode, report["outcome"]) == (0, "verified"), report
    assert report["kind"] == "credential"
