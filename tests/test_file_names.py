"""File names from the command line that are not UTF-8 (Linux hands their bytes to Python as
lone surrogates, PEP 383): every report still prints, under a strict UTF-8 stdout as on a
C-locale terminal, each byte shown as \\xff and never written raw (\\x9b is the 8-bit CSI)."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, TESTS, Cli
from issuing import new_issuer, ob3, sign
from terminal import read_until_closed

from skillpass.render.text import tsv_cell, visible, well_formed

STRICT = {"PYTHONIOENCODING": "utf-8:strict", "LC_ALL": "C.UTF-8", "SKILLPASS_LANG": "en"}


def test_the_sanitizer_shows_a_name_s_bytes_that_are_not_utf8() -> None:
    name = os.fsdecode(b"bad-\xff\x9b.json")
    assert visible(name) == "bad-\\xff\\x9b.json"
    assert tsv_cell(name) == "bad-\\xff\\x9b.json"
    assert tsv_cell("a\\b" + name) == "a\\\\bbad-\\xff\\x9b.json"
    assert visible("x\ud800y") == "x\\ud800y"  # a surrogate no file name gives: shown too
    assert well_formed(name) == "bad-\\xff\\x9b.json"
    assert well_formed("Collège\tBoréal") == "Collège\tBoréal"  # anything else kept exactly
    for shown in (visible(name), tsv_cell(name), well_formed(name)):
        shown.encode("utf-8")  # strict: no surrogate left


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    """A good credential and a tampered one, under names that are not UTF-8."""
    issuer = new_issuer("Ed25519")
    good = sign(ob3("Skill", issuer=issuer, subject="did:example:learner"), issuer, "eddsa-rdfc-2022")
    bad = json.loads(json.dumps(good))
    bad["name"] = "Tampered"
    folder = os.fsencode(tmp_path / "in")
    os.mkdir(folder)
    paths = {"good": folder + b"/good-\xff.json", "bad": folder + b"/bad-\x9b.json"}
    for key, path in paths.items():
        with open(path, "w") as out:
            json.dump(good if key == "good" else bad, out)
    return {key: os.fsdecode(path) for key, path in paths.items()}


def _shown(path: str) -> str:
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def test_verify_of_such_files_under_a_strict_utf8_stdout(cli: Cli, files: dict[str, str]) -> None:
    piped = cli("verify", files["good"], files["bad"], env=STRICT)
    assert piped.returncode == 9, piped.stderr  # the batch's verdict, not an internal error
    assert piped.stderr == ""
    header, good, bad = piped.stdout_bytes.decode("utf-8").splitlines()
    assert good.split("\t")[:2] == [_shown(files["good"]), "verified"]
    assert bad.split("\t")[:2] == [_shown(files["bad"]), "invalid"]
    as_json = cli("verify", files["good"], files["bad"], "--json", env=STRICT)
    assert as_json.returncode == 9, as_json.stderr
    assert [r["file"] for r in as_json.json()] == [_shown(files["good"]), _shown(files["bad"])]
    assert _shown(files["good"]).endswith("/good-\\xff.json")


def test_a_name_in_an_error_under_a_strict_utf8_stdout(cli: Cli, files: dict[str, str]) -> None:
    missing = files["bad"] + ".missing"
    one = cli("verify", missing, env=STRICT)
    assert one.returncode not in (0, 1), one.stderr
    assert "internal error" not in one.stderr and "bad-\\x9b.json.missing" in one.stderr
    many = cli("verify", files["good"], missing, "--json", env=STRICT)
    assert many.returncode not in (0, 1), many.stderr
    error = many.json()[1]["error"]
    assert error["code"] == "E_IO" and "bad-\\x9b.json.missing" in error["message"]


def test_import_of_such_files_under_a_strict_utf8_stdout(cli: Cli, wallet_home: Path, files: dict[str, str]) -> None:
    imported = cli.with_passphrase("import", files["good"], files["bad"], "--json", env=STRICT)
    assert "internal error" not in imported.stderr
    outcomes = imported.json()
    assert [(o["source"], o["status"]) for o in outcomes] == [(_shown(files["good"]), "imported"),
                                                              (_shown(files["bad"]), "rejected")]
    again = cli.with_passphrase("import", files["good"], env=STRICT)
    assert "internal error" not in again.stderr
    assert again.stdout_bytes.decode("utf-8").splitlines()[1].split("\t")[0] == "duplicate"
    assert b"\xff" not in again.stdout_bytes and b"good-\\\\xff.json" in again.stdout_bytes


def test_any_json_document_carries_such_a_name(cli: Cli, wallet_home: Path, tmp_path: Path) -> None:
    """Every --json document goes out through render.emit_json: a backup written to a name that
    is not UTF-8 says where it went, the bytes shown as \\xff, under a strict UTF-8 stdout."""
    target = os.fsdecode(os.fsencode(tmp_path) + b"/backup-\xff.json")
    written = cli.with_passphrase("backup", target, "--backup-passphrase-file", str(cli.passphrase_file),
                                  "--json", env=STRICT)
    assert written.returncode == 0, written.stderr
    assert b"\xff" not in written.stdout_bytes
    assert written.json()["file"] == _shown(target)
    assert os.path.exists(os.fsencode(target))


def _on_terminal(cli: Cli, *args: str) -> bytes:
    """Everything the command wrote to its terminal, in the C locale (stdout: surrogateescape)."""
    env = {k: v for k, v in cli.env.items() if k not in ("LANG", "LANGUAGE", "PYTHONIOENCODING")}
    env.update(LC_ALL="C", TERM="xterm-256color", COLUMNS="200", SKILLPASS_LANG="en", NO_COLOR="1")
    primary, secondary = pty.openpty()
    proc = subprocess.Popen([sys.executable, str(TESTS / "cheap_kdf.py"), *args],
                            stdin=secondary, stdout=secondary, stderr=secondary, env=env, cwd=REPO)
    os.close(secondary)
    seen = read_until_closed(primary)
    assert proc.wait(timeout=60) == 9, seen.decode(errors="replace")
    return seen


def test_verify_of_such_files_on_a_c_locale_terminal(cli: Cli, files: dict[str, str]) -> None:
    for extra in ((), ("--json",)):
        seen = _on_terminal(cli, "verify", files["good"], files["bad"], "--home", str(cli.home), *extra)
        assert b"\x9b" not in seen and b"\xff" not in seen
        backslash = b"\\\\" if extra else b"\\"  # JSON writes a backslash as two
        assert b"bad-" + backslash + b"x9b.json" in seen and b"good-" + backslash + b"xff.json" in seen
