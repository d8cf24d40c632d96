"""Each wallet command run as the real program: stdout, stderr and exit code."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from conftest import REPO, Cli, add_credentials
from skillpass.errors import ExitStatus


def _db_bytes(home: Path) -> bytes:
    return (home / "wallet.db").read_bytes()


def test_init_creates_a_wallet_with_an_ed25519_and_a_p256_did_key(cli: Cli) -> None:
    result = cli.with_passphrase("init", "--json")
    assert result.returncode == 0, result.stderr
    dids = {d["keyType"]: d for d in result.json()["dids"]}
    assert dids["Ed25519"]["did"].startswith("did:key:z6Mk")
    assert dids["P-256"]["did"].startswith("did:key:zDn")
    assert (cli.home / "wallet.db").exists()


def test_init_refuses_to_overwrite_an_existing_wallet(cli: Cli, wallet_home: Path) -> None:
    before = _db_bytes(wallet_home)
    result = cli.with_passphrase("init")
    assert result.returncode == ExitStatus.WALLET_EXISTS
    assert result.stdout == ""
    assert result.stderr.startswith("skillpass: error: a wallet already exists")
    assert _db_bytes(wallet_home) == before


def test_init_without_any_passphrase_source_says_how_to_give_one(cli: Cli) -> None:
    result = cli("init")
    assert result.returncode == ExitStatus.NO_PASSPHRASE
    assert result.stdout == ""
    assert "--passphrase-file" in result.stderr and "SKILLPASS_PASSPHRASE" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_did_json_describes_each_key(cli: Cli, wallet_home: Path) -> None:
    result = cli.with_passphrase("did", "--json")
    assert result.returncode == 0, result.stderr
    for key in result.json():
        multibase = key["did"].removeprefix("did:key:")
        assert key["verificationMethod"] == f"{key['did']}#{multibase}"
        assert key["publicKeyMultibase"] == multibase
        assert key["type"] == "Multikey"
        assert key["publicKeyJwk"]["kty"] in ("OKP", "EC")
        assert "d" not in key["publicKeyJwk"]


def test_passphrase_from_the_environment(cli: Cli, wallet_home: Path) -> None:
    result = cli("did", "--json", env={"SKILLPASS_PASSPHRASE": "correct horse battery staple"})
    assert result.returncode == 0, result.stderr


def test_wrong_passphrase_is_one_line_on_stderr_with_its_exit_code(cli: Cli, wallet_home: Path,
                                                                   tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not it\n")
    result = cli("list", "--passphrase-file", str(wrong))
    assert result.returncode == ExitStatus.LOCKED == 5
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("skillpass: error: wrong passphrase or damaged wallet")
    assert "Traceback" not in result.stderr


def test_a_damaged_wallet_file_gives_the_same_line(cli: Cli, wallet_home: Path) -> None:
    (wallet_home / "wallet.db").write_bytes(b"\0" * 4096)
    result = cli.with_passphrase("list")
    assert result.returncode == ExitStatus.LOCKED
    assert result.stderr.startswith("skillpass: error: wrong passphrase or damaged wallet")
    assert result.stdout == ""


def test_debug_shows_a_traceback_for_developers(cli: Cli, wallet_home: Path) -> None:
    (wallet_home / "wallet.db").write_bytes(b"\0" * 4096)
    result = cli.with_passphrase("list", "--debug")
    assert result.returncode == ExitStatus.LOCKED
    assert "Traceback" in result.stderr


def test_no_wallet_says_to_run_init(cli: Cli) -> None:
    result = cli.with_passphrase("list")
    assert result.returncode == ExitStatus.NO_WALLET
    assert "skillpass init" in result.stderr


def test_list_json_has_the_documented_fields(cli: Cli, wallet_home: Path) -> None:
    ids = add_credentials(wallet_home, 3)
    result = cli.with_passphrase("list", "--json")
    assert result.returncode == 0, result.stderr
    rows = result.json()
    assert sorted(r["id"] for r in rows) == sorted(ids)
    for row in rows:
        assert {"id", "title", "issuer", "format", "issued", "status"} <= set(row)
        assert row["issuer"] == "Collège Boréal"
        assert row["status"] == "unverified"


def test_list_of_an_empty_wallet(cli: Cli, wallet_home: Path) -> None:
    assert cli.with_passphrase("list", "--json").json() == []
    result = cli.with_passphrase("list")
    assert result.returncode == 0 and result.stdout == ""
    assert "no credential" in result.stderr


def test_list_table_when_piped(cli: Cli, wallet_home: Path) -> None:
    add_credentials(wallet_home, 2, marker="Welding")
    result = cli.with_passphrase("list")
    unmatched = cli.with_passphrase("list", "--search", "zzz-nothing")
    assert unmatched.returncode == 0 and unmatched.stdout == ""
    assert unmatched.stderr == ("skillpass: no credential matches what you asked for; 'skillpass list' alone "
                                "lists every one\n")  # not "the wallet holds no credential yet"
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].split("\t") == ["id", "title", "issuer", "format", "issued", "status"]
    assert {line.split("\t")[1] for line in lines[1:]} == {"Welding 0", "Welding 1"}


def test_show_by_unique_prefix_json_and_raw(cli: Cli, wallet_home: Path) -> None:
    from skillpass.wallet.wallet import open_wallet

    from conftest import sources

    [cid] = add_credentials(wallet_home, 1, marker="Carpentry")
    with open_wallet(wallet_home, sources()) as wallet:
        original = wallet.credential(cid).raw
    shown = cli.with_passphrase("show", cid[:5], "--json")
    assert shown.returncode == 0, shown.stderr
    assert shown.json()["id"] == cid
    assert shown.json()["title"] == "Carpentry 0"
    raw = cli.with_passphrase("show", cid[:5], "--raw")
    assert raw.stdout_bytes == original
    text = cli.with_passphrase("show", cid)
    assert "Carpentry 0" in text.stdout


def test_show_unknown_and_ambiguous_ids(cli: Cli, wallet_home: Path) -> None:
    add_credentials(wallet_home, 40)
    missing = cli.with_passphrase("show", "ffffffffffffffff")
    assert missing.returncode == ExitStatus.NOT_FOUND
    assert "skillpass list" in missing.stderr
    ambiguous = cli.with_passphrase("show", "")
    assert ambiguous.returncode == ExitStatus.USAGE
    ids = [r["id"] for r in cli.with_passphrase("list", "--json").json()]
    prefixes = [i[:1] for i in ids]
    shared = next(p for p in prefixes if prefixes.count(p) > 1)
    result = cli.with_passphrase("show", shared)
    assert result.returncode == ExitStatus.NOT_FOUND
    assert "matches" in result.stderr


def test_remove_asks_first_and_needs_yes_when_not_interactive(cli: Cli, wallet_home: Path) -> None:
    [cid] = add_credentials(wallet_home, 1)
    before = _db_bytes(wallet_home)
    refused = cli.with_passphrase("remove", cid)
    assert refused.returncode == ExitStatus.CANCELLED
    assert "--yes" in refused.stderr
    assert _db_bytes(wallet_home) == before
    removed = cli.with_passphrase("remove", cid, "--yes", "--json")
    assert removed.returncode == 0, removed.stderr
    assert removed.json()["removed"] == cid
    assert cli.with_passphrase("list", "--json").json() == []


def test_backup_then_restore_into_a_new_home_gives_an_identical_list(cli: Cli, wallet_home: Path,
                                                                     tmp_path: Path) -> None:
    add_credentials(wallet_home, 5)
    backup = tmp_path / "backup.json"
    made = cli.with_passphrase("backup", str(backup), "--json")
    assert made.returncode == 0, made.stderr
    assert made.json()["records"] == 5 * 3 + 2 + 1  # credential, entry, row each; two keys; the id key
    new_home = tmp_path / "elsewhere"
    restored = cli.with_passphrase("restore", str(backup), "--home", str(new_home), "--json")
    assert restored.returncode == 0, restored.stderr
    assert restored.json()["merged"] is False
    original = cli.with_passphrase("list", "--json").json()
    again = cli.with_passphrase("list", "--json", "--home", str(new_home)).json()
    assert again == original
    assert cli.with_passphrase("did", "--json", "--home", str(new_home)).json() == \
        cli.with_passphrase("did", "--json").json()


def test_backup_to_dash_writes_stdout_which_restore_dash_reads(cli: Cli, wallet_home: Path, tmp_path: Path) -> None:
    """`-` is stdout for backup as it is stdin for restore (it was a file named '-')."""
    add_credentials(wallet_home, 2)
    made = cli.with_passphrase("backup", "-")
    assert made.returncode == 0, made.stderr
    assert not (REPO / "-").exists()
    assert json.loads(made.stdout)["format"] == "skillpass-backup"
    restored = cli.with_passphrase("restore", "-", "--home", str(tmp_path / "elsewhere"), input=made.stdout_bytes)
    assert restored.returncode == 0, restored.stderr
    assert cli.with_passphrase("list", "--json", "--home", str(tmp_path / "elsewhere")).json() == \
        cli.with_passphrase("list", "--json").json()
    both = cli.with_passphrase("backup", "-", "--json")
    assert both.returncode == ExitStatus.USAGE and both.stdout == "" and "stdout" in both.stderr


def test_restore_dash_asks_for_the_backup_passphrase_on_the_terminal(cli: Cli, wallet_home: Path,
                                                                     tmp_path: Path) -> None:
    """The backup comes on stdin, the passphrase from the controlling terminal (/dev/tty), as
    `skillpass backup - | skillpass restore -` typed at a terminal: it said there was none."""
    import os
    import pty
    import subprocess
    import sys

    from conftest import PASSPHRASE, TESTS
    from terminal import read_until_closed

    add_credentials(wallet_home, 1)
    made = cli.with_passphrase("backup", "-")
    primary, secondary = pty.openpty()
    terminal = os.ttyname(secondary)

    def own_terminal() -> None:  # a new session whose controlling terminal is the pty
        os.setsid()
        os.close(os.open(terminal, os.O_RDWR))

    proc = subprocess.Popen([sys.executable, str(TESTS / "cheap_kdf.py"), "restore", "-", "--home",
                             str(tmp_path / "elsewhere"), "--json"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=secondary, env=cli.env, preexec_fn=own_terminal)
    os.close(secondary)
    proc.stdin.write(made.stdout_bytes)
    proc.stdin.close()
    asked = b""
    while b"passphrase" not in asked:
        asked += os.read(primary, 1024)
    os.write(primary, PASSPHRASE.encode() + b"\n")
    stdout = proc.stdout.read()
    assert proc.wait(timeout=60) == 0, read_until_closed(primary)
    os.close(primary)

    assert b"backup passphrase" in asked
    assert json.loads(stdout)["merged"] is False
    assert len(cli.with_passphrase("list", "--json", "--home", str(tmp_path / "elsewhere")).json()) == 1


def test_restore_merges_into_an_existing_wallet_without_duplicates(cli: Cli, wallet_home: Path,
                                                                   tmp_path: Path) -> None:
    add_credentials(wallet_home, 3)
    backup = tmp_path / "backup.json"
    assert cli.with_passphrase("backup", str(backup)).returncode == 0
    add_credentials(wallet_home, 2, start=100)
    merged = cli.with_passphrase("restore", str(backup), "--json")
    assert merged.returncode == 0, merged.stderr
    assert merged.json()["merged"] is True
    assert merged.json()["added"] == {}
    assert len(cli.with_passphrase("list", "--json").json()) == 5


def test_backup_with_its_own_passphrase_and_wrong_backup_passphrase(cli: Cli, wallet_home: Path,
                                                                    tmp_path: Path) -> None:
    add_credentials(wallet_home, 1)
    other = tmp_path / "other.txt"
    other.write_text("backup secret\n")
    backup = tmp_path / "b.json"
    assert cli.with_passphrase("backup", str(backup), "--backup-passphrase-file", str(other)).returncode == 0
    wrong = cli.with_passphrase("restore", str(backup), "--home", str(tmp_path / "n1"))
    assert wrong.returncode == ExitStatus.LOCKED
    assert not (tmp_path / "n1" / "wallet.db").exists()
    right = cli("restore", str(backup), "--home", str(tmp_path / "n2"), "--passphrase-file", str(other))
    assert right.returncode == 0, right.stderr
    # The restored wallet keeps the backup's passphrase.
    assert cli("list", "--json", "--home", str(tmp_path / "n2"), "--passphrase-file", str(other)).returncode == 0


def test_backup_refuses_to_overwrite_and_restore_rejects_garbage(cli: Cli, wallet_home: Path,
                                                                 tmp_path: Path) -> None:
    target = tmp_path / "exists.json"
    target.write_text("keep me")
    result = cli.with_passphrase("backup", str(target))
    assert result.returncode == ExitStatus.IO and target.read_text() == "keep me"
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{not json")
    result = cli.with_passphrase("restore", str(garbage))
    assert result.returncode == ExitStatus.BAD_INPUT
    assert "not a skillpass backup" in result.stderr


def test_a_tampered_backup_is_refused(cli: Cli, wallet_home: Path, tmp_path: Path) -> None:
    add_credentials(wallet_home, 1)
    backup = tmp_path / "b.json"
    cli.with_passphrase("backup", str(backup))
    document = json.loads(backup.read_text())
    document["created"] = "1999-01-01T00:00:00Z"
    backup.write_text(json.dumps(document))
    result = cli.with_passphrase("restore", str(backup), "--home", str(tmp_path / "n"))
    assert result.returncode == ExitStatus.LOCKED


def test_passphrase_change(cli: Cli, wallet_home: Path, tmp_path: Path) -> None:
    new = tmp_path / "new.txt"
    new.write_text("brand new passphrase\n")
    changed = cli.with_passphrase("passphrase", "--new-passphrase-file", str(new), "--json")
    assert changed.returncode == 0, changed.stderr
    assert changed.json()["changed"] is True
    assert cli.with_passphrase("list").returncode == ExitStatus.LOCKED
    assert cli("list", "--passphrase-file", str(new)).returncode == 0


def test_keyring_unlock_needs_no_passphrase(cli: Cli, tmp_path: Path) -> None:
    store = tmp_path / "keyring"
    store.mkdir()
    env = {"PYTHON_KEYRING_BACKEND": "dirkeyring.DirectoryKeyring", "SKILLPASS_TEST_KEYRING_DIR": str(store)}
    created = cli("init", "--keyring", "--json", env=env)
    assert created.returncode == 0, created.stderr
    assert created.json()["unlock"] == ["keyring"]
    assert len(list(store.iterdir())) == 1
    assert cli("list", "--json", env=env).returncode == 0
    without = cli("list", "--json")  # the fail backend: no keyring, no passphrase
    assert without.returncode == ExitStatus.NO_PASSPHRASE


def test_keyring_requested_where_there_is_none(cli: Cli) -> None:
    result = cli("init", "--keyring")
    assert result.returncode == ExitStatus.NO_PASSPHRASE
    assert "keyring" in result.stderr
    assert not (cli.home / "wallet.db").exists()


def test_the_real_kdf_cost_through_the_installed_command(cli: Cli) -> None:
    cli.real_kdf = True
    assert cli.with_passphrase("init").returncode == 0
    with sqlite3.connect(cli.home / "wallet.db") as conn:
        header = json.loads(conn.execute("SELECT value FROM meta WHERE key='header'").fetchone()[0])
    assert header["slots"][0]["kdf"] == {"alg": "argon2id", "m": 65536, "t": 3, "p": 4}
    assert cli.with_passphrase("did", "--json").returncode == 0


def test_usage_errors_are_one_line(cli: Cli) -> None:
    result = cli("list", "--no-such-flag")
    assert result.returncode == ExitStatus.USAGE
    assert result.stderr.count("\n") == 1 and result.stdout == ""
