"""Output scripts and people can rely on: one JSON document, TSV on pipes, nothing cut or split,
nothing from outside reaching a terminal raw, hints that name the real flags."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli
from issuing import new_issuer, ob3, sign
from skillpass.errors import ExitStatus
from skillpass.render import table
from skillpass.render.text import tsv_cell, visible

HOSTILE = "Coll\x1b]0;pwned\x07ège \x1b[31mRouge\x1b[0m \u202eevil\u202c\r\nnext"
LONG_TITLE = "Advanced " + "very " * 60 + "long title"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def laid_out(monkeypatch: pytest.MonkeyPatch, width: int, columns: list[table.Column],
             rows: list[list[Any]]) -> str:
    import os
    import shutil

    monkeypatch.setattr(shutil, "get_terminal_size", lambda: os.terminal_size((width, 24)))
    monkeypatch.setenv("NO_COLOR", "1")
    out = Terminal()
    table.write(columns, rows, out=out)
    return out.getvalue()


# -- the sanitizer ---------------------------------------------------------------------------------


def test_controls_and_bidi_overrides_are_shown_not_obeyed() -> None:
    shown = visible(HOSTILE)

    assert shown == "Coll\\x1b]0;pwned\\x07ège \\x1b[31mRouge\\x1b[0m \\u202eevil\\u202c\\r\\nnext"
    assert not any(ord(c) < 0x20 or 0x7f <= ord(c) < 0xa0 or c in "\u202e\u202c" for c in shown)
    assert visible("\x9b31m") == "\\x9b31m"  # C1 CSI too
    assert tsv_cell("a\tb\\c\nd") == "a\\tb\\\\c\\nd"


# -- terminal layout -------------------------------------------------------------------------------


DID = "did:key:zDnaezed25728eAUyAEinC6DNXLt6EXersKBgrZzYaabKsnYe"
PATH = "credentialSubject.achievement.alignment[0].targetFramework"


def test_fitting_rows_are_aligned(monkeypatch: pytest.MonkeyPatch) -> None:
    text = laid_out(monkeypatch, 120, [table.Column("a", "A", atomic=True), table.Column("b", "B")],
                    [["x", "short"], ["longer", "text"]])

    assert text == "A       B\nx       short\nlonger  text\n"


def test_text_wraps_at_spaces_and_names_stay_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    columns = [table.Column("did", "DID", atomic=True), table.Column("text", "Text")]
    text = laid_out(monkeypatch, 90, columns, [[DID, LONG_TITLE]])

    assert DID in text.splitlines()[1]
    assert "…" not in text and " ".join(text.split()).count("very") == 60
    assert all(len(line) <= 90 for line in text.splitlines())


def test_records_are_stacked_when_names_do_not_fit(monkeypatch: pytest.MonkeyPatch) -> None:
    columns = [table.Column("path", "Field", atomic=True), table.Column("did", "DID", atomic=True),
               table.Column("label", "Label")]
    text = laid_out(monkeypatch, 60, columns, [[PATH, DID, "Alignment 1: target framework"]])

    lines = text.splitlines()
    assert lines[0] == f"Field  {PATH}" and lines[1] == f"DID    {DID}"
    assert lines[2].startswith("Label  Alignment 1:")


# -- the real command ------------------------------------------------------------------------------


@pytest.fixture
def hostile_badge(cli: Cli, wallet_home: Path, tmp_path: Path) -> dict[str, str]:
    holder = next(k["did"] for k in cli.with_passphrase("did", "--json").json() if k["keyType"] == "Ed25519")
    issuer = new_issuer("Ed25519")
    credential = ob3(LONG_TITLE, issuer=issuer, subject=holder)
    credential["issuer"]["name"] = HOSTILE
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(sign(credential, issuer, "eddsa-rdfc-2022")))
    imported = cli.with_passphrase("import", str(path), "--json")
    assert imported.returncode == 0, imported.stdout
    return {"id": imported.json()[0]["id"], "issuer": issuer.did, "path": str(path)}


def _assert_clean(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text


def test_piped_list_is_tsv_whole_and_inert(cli: Cli, hostile_badge: dict[str, str]) -> None:
    result = cli.with_passphrase("list")

    header, record = result.stdout.splitlines()
    assert header == "id\ttitle\tissuer\tformat\tissued\tstatus"
    fields = record.split("\t")
    assert fields[0] == hostile_badge["id"] and fields[1] == LONG_TITLE
    assert fields[2] == tsv_cell(HOSTILE)
    _assert_clean(result.stdout)


def test_piped_import_show_fields_history_and_verify_are_records(
        cli: Cli, hostile_badge: dict[str, str], tmp_path: Path) -> None:
    again = cli.with_passphrase("import", hostile_badge["path"])
    fields = cli.with_passphrase("show", hostile_badge["id"], "--fields")
    vp = tmp_path / "vp.json"
    shared = cli.with_passphrase("share", hostile_badge["id"], "--reveal-all", "--challenge",
                                 "c\x1b[2J", "--domain", "d.example", "--out", str(vp))
    history = cli.with_passphrase("history")
    verified = cli("verify", str(vp), "--challenge", "c\x1b[2J", "--domain", "d.example")

    assert again.stdout.splitlines()[0] == "result\tid\tsource\tdetail"
    assert again.stdout.splitlines()[1].startswith("duplicate\t")
    assert all(len(line.split("\t")) == 7 for line in fields.stdout.splitlines())  # ..., why, together
    assert LONG_TITLE in fields.stdout  # whole, never cut
    assert shared.returncode == 0, shared.stderr
    assert history.stdout.splitlines()[0].split("\t")[:3] == ["when", "credential", "fields"]
    assert "c\\x1b[2J" in history.stdout
    assert verified.returncode == 0, verified.stdout
    records = [line.split("\t") for line in verified.stdout.splitlines()]
    assert records[0] == ["record", "name", "status", "detail", "code", "hint"]
    assert records[1][:2] == ["outcome", "verified"]
    assert {r[0] for r in records[1:]} == {"outcome", "check", "claim"}
    assert ["claim", "credential 1", "/issuer/name", "Issuer name", tsv_cell(HOSTILE), ""] in records
    for result in (again, fields, shared, history, verified):
        _assert_clean(result.stdout + result.stderr)


def test_piped_show_is_field_and_value_records_the_same_in_french(cli: Cli, hostile_badge: dict[str, str]) -> None:
    """As `list` is on a pipe: a header, then one tab-separated `field`, `value` line each, English
    labels and values as issued, whatever the language; no panel, no box drawing."""
    shown = cli.with_passphrase("show", hostile_badge["id"])
    french = cli.with_passphrase("show", hostile_badge["id"], "--lang", "fr")

    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0] == "field\tvalue"
    records = [line.split("\t") for line in lines[1:]]
    assert all(len(record) == 2 for record in records)
    assert ["ID", hostile_badge["id"]] in records and ["Title", LONG_TITLE] in records
    assert ["Issuer", tsv_cell(HOSTILE)] in records
    assert not set("╭╮╰╯│─") & set(shown.stdout)
    assert french.stdout == shown.stdout
    _assert_clean(shown.stdout + shown.stderr)


def test_show_draws_outside_text_inert(cli: Cli, hostile_badge: dict[str, str]) -> None:
    shown = cli.with_passphrase("show", hostile_badge["id"], env={"COLUMNS": "200"})

    assert shown.returncode == 0
    assert "Coll\\x1b]0;pwned\\x07ège" in shown.stdout
    _assert_clean(shown.stdout + shown.stderr)


def test_json_is_exact_and_one_document(cli: Cli, hostile_badge: dict[str, str]) -> None:
    listing = cli.with_passphrase("show", hostile_badge["id"], "--fields", "--json").json()
    shared = cli.with_passphrase("share", hostile_badge["id"], "--reveal-all", "--challenge", "n-1",
                                 "--json")

    assert next(f["value"] for f in listing["fields"] if f["pointer"] == "/name") == LONG_TITLE
    document = json.loads(shared.stdout)  # exactly one document: json.loads refuses trailing data
    assert set(document) == {"file", "holder", "format", "suite", "challenge", "domain", "credentials",
                             "warnings", "presentation"}
    assert document["file"] is None and document["challenge"] == "n-1"
    assert document["presentation"]["verifiableCredential"][0]["issuer"]["name"] == HOSTILE
    assert [f["pointer"] for f in document["credentials"][0]["fields"]][:4] == ["/id", "/name", "/issuer/id",
                                                                              "/issuer/name"]


def test_an_error_line_shows_a_hostile_file_name_visibly(cli: Cli, wallet_home: Path) -> None:
    result = cli.with_passphrase("dids", "add", "no\x1b[31msuch.json")

    assert result.returncode == ExitStatus.IO
    assert "no\\x1b[31msuch.json" in result.stderr
    _assert_clean(result.stderr)


# -- hints and help --------------------------------------------------------------------------------


def test_a_bare_group_lists_its_subcommands_on_stdout(cli: Cli) -> None:
    result = cli("trust")

    assert result.returncode == ExitStatus.USAGE
    assert result.stderr == ""
    assert all(name in result.stdout for name in ("add", "list", "remove"))
    assert "error" not in result.stdout


def test_passphrase_without_a_new_one_names_the_flag(cli: Cli, wallet_home: Path) -> None:
    result = cli.with_passphrase("passphrase")

    assert result.returncode == ExitStatus.NO_PASSPHRASE
    assert "--new-passphrase-file" in result.stderr


def test_an_unreadable_passphrase_file_is_named_by_its_own_flag(cli: Cli, wallet_home: Path,
                                                              tmp_path: Path) -> None:
    """The hint names the flag that gave the missing file, not always --passphrase-file."""
    missing = str(tmp_path / "missing.txt")
    backup = tmp_path / "backup.json"
    before = (wallet_home / "wallet.db").read_bytes()
    runs = {"--new-passphrase-file": cli.with_passphrase("passphrase", "--new-passphrase-file", missing),
            "--backup-passphrase-file": cli.with_passphrase("backup", str(backup), "--backup-passphrase-file",
                                                            missing),
            "--passphrase-file": cli("list", "--passphrase-file", missing)}
    for flag, result in runs.items():
        assert result.returncode == ExitStatus.IO, result.stderr
        assert result.stderr.strip().endswith(f"check the path given to {flag}"), result.stderr
    assert (wallet_home / "wallet.db").read_bytes() == before and not backup.exists()


def test_restore_with_the_wrong_passphrase_names_the_backup_flag(cli: Cli, wallet_home: Path,
                                                                tmp_path: Path) -> None:
    backup = tmp_path / "backup.json"
    assert cli.with_passphrase("backup", str(backup)).returncode == 0
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not the passphrase\n")

    result = cli("restore", str(backup), "--home", str(tmp_path / "new"), "--passphrase-file", str(wrong))

    assert result.returncode == ExitStatus.LOCKED
    assert "wrong passphrase or damaged backup" in result.stderr
    assert "--backup-passphrase-file" in result.stderr


def test_every_command_that_prints_gives_one_json_document(cli: Cli, hostile_badge: dict[str, str],
                                                           tmp_path: Path) -> None:
    document = tmp_path / "did.json"
    did = "did:web:boreal.example"
    document.write_text(json.dumps({"id": did, "verificationMethod": []}))
    context = tmp_path / "ctx.json"
    context.write_text(json.dumps({"@context": {"x": "https://example.org/x"}}))
    vp = tmp_path / "vp.json"
    new_passphrase = tmp_path / "new.txt"
    new_passphrase.write_text("another passphrase\n")
    wallet = ("--passphrase-file", str(cli.passphrase_file))
    runs = {
        "did": cli("did", "--json", *wallet),
        "list": cli("list", "--json", *wallet),
        "show": cli("show", hostile_badge["id"], "--json", *wallet),
        "show --fields": cli("show", hostile_badge["id"], "--fields", "--json", *wallet),
        "import": cli("import", hostile_badge["path"], "--json", *wallet),
        "contexts add": cli("contexts", "add", str(context), "--url", "https://example.org/c/v1",
                            "--json", *wallet),
        "contexts list": cli("contexts", "list", "--json", *wallet),
        "dids add": cli("dids", "add", str(document), "--json", *wallet),
        "dids list": cli("dids", "list", "--json", *wallet),
        "share": cli("share", hostile_badge["id"], "--reveal-all", "--challenge", "j", "--out",
                     str(vp), "--json", *wallet),
        "history": cli("history", "--json", *wallet),
        "verify": cli("verify", str(vp), "--challenge", "j", "--json"),
        "trust add": cli("trust", "add", hostile_badge["issuer"], "--name", "Boréal", "--json"),
        "trust list": cli("trust", "list", "--json"),
        "trust remove": cli("trust", "remove", hostile_badge["issuer"], "--json"),
        "backup": cli("backup", str(tmp_path / "b.json"), "--json", *wallet),
        "restore": cli("restore", str(tmp_path / "b.json"), "--json", *wallet),
        "passphrase": cli("passphrase", "--new-passphrase-file", str(new_passphrase), "--json",
                          *wallet),
        "remove": cli("remove", hostile_badge["id"], "--yes", "--json", "--passphrase-file",
                      str(new_passphrase)),
        "init": cli("init", "--home", str(tmp_path / "second"), "--json", *wallet),
    }

    for name, result in runs.items():
        assert result.returncode == 0, (name, result.stderr)
        json.loads(result.stdout)  # exactly one document: trailing text would fail to parse
    assert json.loads(runs["share"].stdout)["file"] == str(vp)


def test_piped_trust_contexts_and_dids_lists_are_records(cli: Cli, wallet_home: Path,
                                                         tmp_path: Path) -> None:
    document = tmp_path / "did.json"
    document.write_text(json.dumps({"id": "did:web:x.example", "verificationMethod": []}))
    cli.with_passphrase("dids", "add", str(document))
    refused = cli("trust", "add", "did:web:x.example", "--name", "Coll\x1b[31mège X")
    assert refused.returncode == ExitStatus.BAD_INPUT  # a name with controls is not kept at all
    cli("trust", "add", "did:web:x.example", "--name", "Collège X")

    trust = cli("trust", "list").stdout.splitlines()
    contexts = cli.with_passphrase("contexts", "list").stdout.splitlines()
    dids = cli.with_passphrase("dids", "list").stdout.splitlines()

    assert trust[0] == "issuer\tname\tadded" and trust[1].startswith("did:web:x.example\tCollège X\t")
    assert contexts[0] == "url\tsource\tsha256" and len(contexts) > 10
    assert all(line.count("\t") == 2 for line in contexts)
    assert dids[0] == "id\tverificationMethods\tadded" and dids[1].startswith("did:web:x.example\t0\t")


def test_list_and_show_never_call_an_unchecked_status_valid(cli: Cli, wallet_home: Path,
                                                            tmp_path: Path) -> None:
    issuer = new_issuer("Ed25519")
    status = {"id": "https://x.example/status/1#7", "type": "BitstringStatusListEntry",
              "statusPurpose": "revocation", "statusListIndex": "7",
              "statusListCredential": "https://x.example/status/1"}
    path = tmp_path / "with-status.json"
    path.write_text(json.dumps(sign(ob3(issuer=issuer, credentialStatus=status), issuer, "eddsa-rdfc-2022")))
    cid = cli.with_passphrase("import", str(path), "--json").json()[0]["id"]

    [row] = cli.with_passphrase("list", "--json").json()
    detail = cli.with_passphrase("show", cid, "--json").json()
    text = cli.with_passphrase("show", cid, env={"COLUMNS": "160"})

    assert row["status"] == "status not checked"
    assert detail["status"] == "status not checked"
    assert detail["statusEntries"] == [{"type": "BitstringStatusListEntry", "purpose": "revocation",
                                        "list": "https://x.example/status/1", "index": "7"}]
    assert "status not checked" in text.stdout and "https://x.example/status/1" in text.stdout


def test_show_raw_refuses_a_terminal_unless_forced(cli: Cli, hostile_badge: dict[str, str]) -> None:
    import os
    import pty
    import subprocess
    import sys

    from conftest import REPO, TESTS

    def on_a_terminal(*args: str) -> tuple[int, bytes, bytes]:
        leader, follower = pty.openpty()
        command = [sys.executable, str(TESTS / "cheap_kdf.py"), "show", hostile_badge["id"], *args,
                   "--passphrase-file", str(cli.passphrase_file)]
        proc = subprocess.run(command, stdout=follower, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                              env=cli.env, cwd=REPO, timeout=60)
        os.close(follower)
        output = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
        os.close(leader)
        return proc.returncode, output, proc.stderr

    refused, shown, error = on_a_terminal("--raw")
    forced, raw, _ = on_a_terminal("--raw", "--force")

    assert refused == ExitStatus.USAGE and shown == b""
    assert b"redirect it to a file" in error
    assert forced == 0 and raw.startswith(b"{\"@context\"")  # exactly as received, when asked for


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("terminal", [True, False])
def test_json_on_a_terminal_writes_bidi_controls_as_escapes(monkeypatch: pytest.MonkeyPatch, terminal: bool) -> None:
    """A verifier's name with U+202E (RIGHT-TO-LEFT OVERRIDE) would reorder the --json a person
    reads on a terminal (Trojan Source): there it is a \\u escape, the same to a JSON reader."""
    from skillpass import render

    data = {"name": "Evil\u202eCorp \u2066x\u2069 \u2028 \ufeff é"}
    out = _Terminal() if terminal else io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    render.emit_json(data)
    text = out.getvalue()
    assert json.loads(text) == data
    raw = [c for c in "\u202e\u2066\u2069\u2028\ufeff" if c in text]
    assert raw == ([] if terminal else list("\u202e\u2066\u2069\u2028\ufeff"))
    assert ("\\u202e" in text, "é" in text) == (terminal, True)


@pytest.mark.parametrize("terminal", [True, False])
def test_json_on_a_terminal_writes_c1_controls_as_escapes(monkeypatch: pytest.MonkeyPatch, terminal: bool) -> None:
    """JSON leaves U+0080-U+009F as they are (ensure_ascii=False), and a terminal may obey them
    (U+009B is a CSI): on a terminal they are \\u escapes, which a JSON reader reads the same."""
    from skillpass import render

    data = {"title": "Coll\u009b31mège \u0085 é"}
    chunks = ['{"title": ', json.dumps(data["title"], ensure_ascii=False), "}"]
    for emit in (lambda: render.emit_json(data), lambda: render.emit_json_text(chunks)):
        out = _Terminal() if terminal else io.StringIO()
        monkeypatch.setattr("sys.stdout", out)
        emit()
        text = out.getvalue()
        assert json.loads(text) == data
        assert ("\u009b" in text, "\\u009b" in text, "\\u0085" in text, "è" in text) == (
            (False, True, True, True) if terminal else (True, False, False, True))
