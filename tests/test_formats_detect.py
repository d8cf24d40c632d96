"""Every input is recognised by its bytes; formats skillpass does not read yet are named, with
what to do: never "not valid JSON"."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Cli
from skillpass.errors import ExitStatus, UnverifiableError
from skillpass.formats.detect import FORMATS, JSON, detect, link_format, unsupported

JWT = (b"eyJhbGciOiJFUzI1NiIsInR5cCI6InZjK2p3dCJ9.eyJpc3MiOiJkaWQ6ZXhhbXBsZToxMjMifQ."
       b"c2lnbmF0dXJl")
READ = {"jwt": JWT + b"\n", "sd-jwt": JWT + b"~WyJzYWx0IiwiZ2l2ZW5fbmFtZSIsIkpvaG4iXQ~",
        "sd-jwt+kb": JWT + b"~WyJzYWx0IiwiZ2l2ZW5fbmFtZSIsIkpvaG4iXQ~" + JWT,
        "vpqr": b"VP1-B3ECQ2LFNZ2GKZDUMVZXI", "qr-parts": b"SKP1:ABCDEFGH:1/2:VP1-B3ECQ\nSKP1:ABCDEFGH:2/2:2LF"}
SAMPLES = {
    "mattr-compact": b"CSC:/1/2KCE3IQEJB5DCMSLHQ2I7FYA2Q5XCRHM3H2TXOQHUWHH2DNGNJQA",
    "cbor-ld": bytes.fromhex("d90501a200110186"),
    "cose": bytes.fromhex("d28443a10126a104"),
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "svg": b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>',
    "jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF",
    "xml": b'<?xml version="1.0"?><Record xmlns="urn:digitary"/>',
    "html": b'\n<!DOCTYPE html>\n<html lang="fr"><head><title>Passeport</title></head></html>',
    "url": b"https://college.example/badges/42.json\n",
    "credential-offer": b"openid-credential-offer://?credential_offer_uri=https%3A%2F%2Fx.example",
    "presentation-request": b"openid4vp://?request_uri=https%3A%2F%2Fverifier.example%2Fr",
}


@pytest.mark.parametrize(("tag", "raw"), SAMPLES.items())
def test_each_format_is_recognised_by_its_bytes(tag: str, raw: bytes) -> None:
    assert detect(raw) == tag
    error = unsupported(tag)
    assert isinstance(error, UnverifiableError) and error.code == "E_FORMAT_UNSUPPORTED"
    assert FORMATS[tag].description in error.message and error.hint


@pytest.mark.parametrize(("tag", "raw"), READ.items())
def test_read_formats_are_recognised_and_read(tag: str, raw: bytes) -> None:
    assert detect(raw) == tag.removesuffix("+kb")
    assert tag.removesuffix("+kb") not in FORMATS  # read, so never "not supported yet"


@pytest.mark.parametrize("raw", [b'{"@context": []}', b"  [1, 2]", b"\xef\xbb\xbf{}", b"not json",
                                 b"", b"eyJhbGciOiJub25lIn0", b"CSC:"])
def test_json_and_unknown_text_go_to_the_json_parser(raw: bytes) -> None:
    assert detect(raw) == JSON


@pytest.mark.parametrize(("argument", "tag"), [
    ("https://college.example/b.json", "url"), ("HTTP://x.example", "url"),
    ("openid-credential-offer://?x=1", "credential-offer"), ("haip://?request_uri=x", "presentation-request"),
    ("ftp://x.example/b.json", "url"), ("badge.json", None), ("./https/x.json", None), ("-", None)])
def test_links_are_never_file_names(argument: str, tag: str | None) -> None:
    assert link_format(argument) == tag


# Formats skillpass reads, whose samples here are cut short: bad input, said in one line.
READ_NOW = {"mattr-compact": "E_COSE", "png": "E_PNG", "svg": "E_NO_BAKED_BADGE"}


def test_import_names_every_format_and_keeps_nothing(cli: Cli, wallet_home: Path, tmp_path: Path) -> None:
    files = []
    for tag, raw in SAMPLES.items():
        if tag in ("url", "credential-offer", "presentation-request"):
            continue
        files.append(tmp_path / f"{tag}.json")
        files[-1].write_bytes(raw)
    url = "https://college.example/badges/42.json"

    result = cli.with_passphrase("import", *map(str, files), url, "--json")

    outcomes = result.json()
    assert result.returncode == ExitStatus.BAD_INPUT  # the first refusal's: the cut mattr-compact text
    assert [o["status"] for o in outcomes] == ["rejected"] * (len(files) + 1)
    by_source = {o["source"]: o for o in outcomes}
    for tag, code in READ_NOW.items():
        assert by_source.pop(str(tmp_path / f"{tag}.json"))["code"] == code
    assert {o["code"] for o in by_source.values()} == {"E_FORMAT_UNSUPPORTED"}
    assert by_source[url]["reason"].startswith(f"{url} is a web address")
    assert "never fetches" in by_source[url]["hint"]
    assert "MyCreds" in by_source[str(tmp_path / "xml.json")]["reason"]
    assert cli.with_passphrase("list", "--json").json() == []


@pytest.mark.parametrize("tag", sorted(READ_NOW))
def test_a_cut_sample_of_a_format_read_now_is_bad_input(cli: Cli, tag: str) -> None:
    result = cli("verify", "-", input=SAMPLES[tag])
    assert result.returncode == ExitStatus.BAD_INPUT
    assert result.stdout == "" and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize("tag", ["cose", "jpeg"])  # other XML: test_mycreds.py (not a MyCreds record)
def test_verify_names_the_format(cli: Cli, tag: str) -> None:
    result = cli("verify", "-", input=SAMPLES[tag])

    assert result.returncode == ExitStatus.UNVERIFIABLE
    assert result.stdout == ""
    assert result.stderr.startswith(f"skillpass: error: this is {FORMATS[tag].description}")
    assert result.stderr.count("\n") == 1


def test_verify_of_a_url_is_not_a_mangled_path(cli: Cli) -> None:
    result = cli("verify", "https://hr.example/vp.json")

    assert result.returncode == ExitStatus.UNVERIFIABLE
    assert "https://hr.example/vp.json is a web address" in result.stderr
    assert "https:/hr.example" not in result.stderr

