"""The hostile-input corpus (tests/hostile/cases.json, written by make_corpus.py), through the
real command line in-process: for each case and each command it names, the documented exit
status and error code, one line on stderr and no traceback, the wallet's records byte for byte
as they were, and no network."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from conftest import PASSPHRASE

HERE = Path(__file__).resolve().parent
MANIFEST = json.loads((HERE / "cases.json").read_text("utf-8"))
RUNS = [(case, command) for case in MANIFEST for command in case["commands"]]


@pytest.fixture(scope="module")
def homes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A wallet (with one credential in it) and a passphrase file, made once for the module."""
    from skillpass import flow
    from skillpass.wallet import vault
    from skillpass.wallet.unlock import SecretSources

    base = tmp_path_factory.mktemp("hostile")
    passphrase = base / "passphrase.txt"
    passphrase.write_text(PASSPHRASE + "\n")
    saved = vault.DEFAULT_KDF, vault.KDF_LIMITS
    vault.DEFAULT_KDF = vault.KdfParams(memory_kib=256, iterations=1, lanes=1)
    vault.KDF_LIMITS = vault.KdfLimits(min_memory_kib=8, min_iterations=1)
    try:
        session = flow.Session(base / "wallet", SecretSources(passphrase_file=passphrase))
        flow.init_wallet(session, use_keyring=False)
    finally:
        vault.DEFAULT_KDF, vault.KDF_LIMITS = saved
    return {"wallet": base / "wallet", "passphrase": passphrase, "base": base}


def records(home: Path) -> list[tuple[str, str, bytes]]:
    with sqlite3.connect(home / "wallet.db") as conn:
        return conn.execute("SELECT kind, id, body FROM records ORDER BY kind, id").fetchall()


def materialise(case: dict[str, Any], where: Path) -> Path:
    """The case's file, or the thing the manifest says to make in its place."""
    path = where / case["case"]
    make = case.get("make")
    if make is None:
        return HERE / "cases" / case["case"]
    if make == "generate":
        from make_corpus import generated

        path.write_bytes(generated(case["case"]))
    elif make == "oversized":
        with open(path, "wb") as handle:
            handle.truncate(8 * 1024 * 1024 + 1)
    elif make == "fifo":
        os.mkfifo(path)
    elif make == "directory":
        path.mkdir()
    elif make == "symlink-loop":
        path.symlink_to(path)
    elif make == "through-a-file":
        (where / "a-file").write_text("x")
        path = where / "a-file" / "inside.json"
    # "missing": nothing at all
    return path


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str, str | None]:
    """(exit status, stdout, stderr, the code of the error the command stopped on)."""
    from skillpass.cli import run as cli_run

    stopped: list[Any] = []
    capsys.readouterr()
    status = cli_run(args, errors=stopped.append)
    out = capsys.readouterr()
    return int(status), out.out, out.err, stopped[0].code if stopped else None


def command_line(command: str, path: Path, case: dict[str, Any], homes: dict[str, Path],
                 where: Path) -> list[str]:
    wallet = ["--home", str(homes["wallet"]), "--passphrase-file", str(homes["passphrase"])]
    if command == "import":
        return ["import", str(path), "--json", *wallet]
    if command == "verify":
        return ["verify", str(path), "--json", "--home", str(where / "verifier"), *case.get("args", [])]
    if command == "restore":
        return ["restore", str(path), "--home", str(where / "restored"),
                "--passphrase-file", str(homes["passphrase"])]
    if command == "dids add":
        return ["dids", "add", str(path), *wallet]
    return ["contexts", "add", str(path), "--url", "https://example.org/context/v1", *wallet]


def found_code(command: str, out: str) -> str | None:
    """The error code the command's --json output names, if it printed any."""
    if not out.strip():
        return None
    document = json.loads(out)  # exactly one JSON document
    if command == "import":
        [outcome] = document
        return outcome.get("code")
    failed = [c for c in document["checks"] if c["status"] == "failed"]
    return failed[0]["code"] if failed else None


@pytest.mark.parametrize(("case", "command"), RUNS, ids=[f"{c['case']}-{m}" for c, m in RUNS])
def test_hostile_input_gets_its_documented_answer(case: dict[str, Any], command: str,
                                                  homes: dict[str, Path], tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str],
                                                  no_network: None) -> None:
    path = materialise(case, tmp_path)
    before = records(homes["wallet"])

    status, out, err, stopped_on = run(command_line(command, path, case, homes, tmp_path), capsys)

    expected_exit = case.get(f"{command} exit", case["exit"])
    expected_code = case.get(f"{command} code", case["code"])
    assert status == expected_exit, (out, err)
    assert "Traceback" not in err and len(err.splitlines()) <= 1, err
    if expected_code is not None:
        assert (stopped_on or found_code(command, out)) == expected_code, (out, err)
    if case.get("message"):
        assert case["message"] in err, err
    assert records(homes["wallet"]) == before
    if command == "restore":
        assert not (tmp_path / "restored" / "wallet.db").exists()


def test_the_corpus_is_large_enough() -> None:
    assert len(MANIFEST) >= 60
