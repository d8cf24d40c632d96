"""`init --keyring` against a real Secret Service: gnome-keyring-daemon on a private D-Bus session
bus (tests/keyring_session.py), through the real command. A wallet made with --keyring opens
with no passphrase and no terminal; its backup needs a passphrase of its own; a locked keyring,
one that cannot be reached and one without the wallet's key each say so in one line, exit 6,
and change nothing in the wallet. Skipped where gnome-keyring-daemon or dbus-daemon is missing
(the README's test command installs them)."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import keyring_session
from conftest import REPO, Cli, Result
from issuing import signed_ob3
from skillpass.errors import ExitStatus

SERVICE = "skillpass"  # skillpass.wallet.unlock.KEYRING_SERVICE, as the README documents it


@pytest.fixture(scope="module")
def secret_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[keyring_session.KeyringSession]:
    missing = keyring_session.missing_programs()
    if missing:
        pytest.skip(f"{' and '.join(missing)} not installed (Debian: gnome-keyring, dbus-daemon)")
    session = keyring_session.start(tmp_path_factory.mktemp("secret-service"))
    try:
        yield session
    finally:
        session.close()


@pytest.fixture
def keyring(secret_service: keyring_session.KeyringSession) -> Iterator[keyring_session.KeyringSession]:
    """The module's Secret Service, running and unlocked again after each test."""
    yield secret_service
    if secret_service.daemon is None:
        secret_service.start_daemon()
    else:
        with secret_service.login() as login:
            locked = login.is_locked()
        if locked:
            secret_service.unlock()


def run(cli: Cli, keyring: keyring_session.KeyringSession, *args: str, **env: str) -> Result:
    return cli(*args, env=dict(keyring.env, **env))


def choosing(cli: Cli, keyring: keyring_session.KeyringSession, tmp_path: Path, *args: str) -> Result:
    """The command with keyring left to pick its backend, as on a desktop (no keyringrc.cfg)."""
    cli.env = {k: v for k, v in cli.env.items() if k != "PYTHON_KEYRING_BACKEND"}
    try:
        return cli(*args, env={"DBUS_SESSION_BUS_ADDRESS": keyring.address,
                               "XDG_CONFIG_HOME": str(tmp_path / "no-config")})
    finally:
        cli.env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"


def header(home: Path) -> dict[str, Any]:
    with sqlite3.connect(home / "wallet.db") as conn:
        return json.loads(conn.execute("SELECT value FROM meta WHERE key='header'").fetchone()[0])


def one_error_line(result: Result, message: str, hint_words: tuple[str, ...]) -> None:
    """One line on stderr, `skillpass: error: MESSAGE; HINT`, exit 6, nothing on stdout."""
    assert result.returncode == ExitStatus.NO_PASSPHRASE, result.stderr
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"skillpass: error: {message}; "), line
    for word in hint_words:
        assert word in line, line


@pytest.fixture
def keyring_wallet(cli: Cli, keyring: keyring_session.KeyringSession) -> str:
    created = run(cli, keyring, "init", "--keyring", "--json")
    assert created.returncode == 0, created.stderr
    return created.json()["wallet_id"]


def test_init_keeps_a_random_key_in_the_secret_service_and_no_passphrase_slot(
        cli: Cli, keyring: keyring_session.KeyringSession, tmp_path: Path) -> None:
    created = run(cli, keyring, "init", "--keyring", "--json")
    assert created.returncode == 0, created.stderr
    assert created.json()["unlock"] == ["keyring"]
    wallet_id = created.json()["wallet_id"]
    stored = keyring.secret(SERVICE, wallet_id)  # read back through secretstorage, not keyring
    assert stored is not None and re.fullmatch(rb"[A-Za-z0-9_-]{43}", stored)  # 32 bytes, base64url
    slots = header(cli.home)["slots"]
    assert [slot["type"] for slot in slots] == ["keyring"]
    assert slots[0]["service"] == SERVICE and slots[0]["username"] == wallet_id
    assert stored not in (cli.home / "wallet.db").read_bytes()  # the file holds only the wrapped key
    # keyring left to choose finds the Secret Service by itself, as on a desktop
    assert choosing(cli, keyring, tmp_path, "list", "--json").returncode == 0


def test_a_keyring_wallet_opens_with_no_passphrase_and_no_terminal(
        cli: Cli, keyring: keyring_session.KeyringSession, keyring_wallet: str, tmp_path: Path) -> None:
    credential, _issuer = signed_ob3("eddsa-rdfc-2022")
    badge = tmp_path / "badge.json"
    badge.write_text(json.dumps(credential))
    imported = run(cli, keyring, "import", str(badge), "--json")  # stdin is empty: no terminal
    assert imported.returncode == 0, imported.stderr
    [outcome] = imported.json()
    assert outcome["status"] == "imported"
    listed = run(cli, keyring, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert [row["id"] for row in listed.json()] == [outcome["id"]]
    shown = run(cli, keyring, "show", outcome["id"], "--json")
    assert shown.returncode == 0, shown.stderr
    assert shown.json()["title"] == "Intro to Data Analysis"
    # a passphrase set for other wallets does not stand in the way of one that has none
    assert run(cli, keyring, "list", "--json", SKILLPASS_PASSPHRASE="unrelated").returncode == 0


def test_a_backup_has_its_own_passphrase_and_restores_elsewhere_with_it(
        cli: Cli, keyring: keyring_session.KeyringSession, keyring_wallet: str, tmp_path: Path) -> None:
    backup = tmp_path / "backup.json"
    refused = run(cli, keyring, "backup", str(backup))
    one_error_line(refused, "this wallet opens with the OS keyring, so the backup needs its own passphrase",
                   ("--backup-passphrase-file",))
    assert not backup.exists()
    written = run(cli, keyring, "backup", str(backup), "--backup-passphrase-file", str(cli.passphrase_file),
                  "--json")
    assert written.returncode == 0, written.stderr
    elsewhere = tmp_path / "elsewhere"
    # the restore needs the keyring for nothing: the fail backend, another home
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not the backup's passphrase\n")
    assert cli("restore", str(backup), "--home", str(elsewhere), "--backup-passphrase-file",
               str(wrong)).returncode == ExitStatus.LOCKED
    restored = cli("restore", str(backup), "--home", str(elsewhere), "--backup-passphrase-file",
                   str(cli.passphrase_file), "--json")
    assert restored.returncode == 0, restored.stderr
    assert [slot["type"] for slot in header(elsewhere)["slots"]] == ["passphrase"]
    dids = cli("did", "--json", "--home", str(elsewhere), "--passphrase-file", str(cli.passphrase_file))
    assert dids.returncode == 0, dids.stderr
    assert dids.json() == run(cli, keyring, "did", "--json").json()  # the same holder keys


def test_a_locked_keyring_says_so_and_changes_nothing(
        cli: Cli, keyring: keyring_session.KeyringSession, keyring_wallet: str) -> None:
    before = (cli.home / "wallet.db").read_bytes()
    keyring.lock()
    for command in (("list",), ("did", "--json"), ("profile", "--name", "Ana Roy")):
        one_error_line(run(cli, keyring, *command), "the OS keyring is locked", ("unlock it", "log in"))
    french = run(cli, keyring, "list", "--lang", "fr")
    assert french.returncode == ExitStatus.NO_PASSPHRASE
    assert french.stderr == ("skillpass : erreur : le trousseau de clés du système est verrouillé ; "
                             "déverrouillez-le (ou ouvrez une session de bureau) et relancez la commande\n")
    assert (cli.home / "wallet.db").read_bytes() == before
    keyring.unlock()
    assert run(cli, keyring, "list").returncode == 0


def test_a_keyring_that_is_gone_says_so_and_changes_nothing(
        cli: Cli, keyring: keyring_session.KeyringSession, keyring_wallet: str, tmp_path: Path) -> None:
    before = (cli.home / "wallet.db").read_bytes()
    keyring.stop_daemon()
    words = ("log in to the desktop session", "restore the wallet from a backup")
    # the backend forced, its daemon gone: keyring cannot even pick it
    one_error_line(run(cli, keyring, "list"), "no usable OS keyring: none is running or reachable in this session",
                   words)
    # keyring left to choose: it finds no Secret Service and falls back to its fail backend
    chosen = choosing(cli, keyring, tmp_path, "list")
    one_error_line(chosen, "no usable OS keyring: none is running or reachable in this session", words)
    # a bus address that leads nowhere
    nowhere = run(cli, keyring, "list", DBUS_SESSION_BUS_ADDRESS=f"unix:path={tmp_path / 'no-bus'}")
    one_error_line(nowhere, "no usable OS keyring: none is running or reachable in this session", words)
    assert (cli.home / "wallet.db").read_bytes() == before


def test_a_keyring_without_the_wallets_key_says_so(
        cli: Cli, keyring: keyring_session.KeyringSession, keyring_wallet: str) -> None:
    before = (cli.home / "wallet.db").read_bytes()
    keyring.delete(SERVICE, keyring_wallet)
    assert keyring.secret(SERVICE, keyring_wallet) is None
    one_error_line(run(cli, keyring, "list"), "the OS keyring has no key for this wallet",
                   ("restore the wallet from a backup",))
    assert (cli.home / "wallet.db").read_bytes() == before


def test_a_wallet_with_a_passphrase_as_well_opens_with_it_when_the_keyring_cannot(
        cli: Cli, keyring: keyring_session.KeyringSession) -> None:
    created = run(cli, keyring, "init", "--keyring", "--passphrase-file", str(cli.passphrase_file), "--json")
    assert created.returncode == 0, created.stderr
    assert created.json()["unlock"] == ["passphrase", "keyring"]
    assert run(cli, keyring, "list").returncode == 0  # the keyring, no passphrase
    keyring.lock()
    assert run(cli, keyring, "list", "--passphrase-file", str(cli.passphrase_file)).returncode == 0
    one_error_line(run(cli, keyring, "list"), "the OS keyring is locked",
                   ("passphrase as well", "--passphrase-file FILE", "SKILLPASS_PASSPHRASE"))
    assert "ce portefeuille a aussi une phrase de passe" in run(cli, keyring, "list", "--lang", "fr").stderr
    keyring.stop_daemon()
    assert run(cli, keyring, "list", "--passphrase-file", str(cli.passphrase_file)).returncode == 0
    one_error_line(run(cli, keyring, "list"), "no usable OS keyring: none is running or reachable in this session",
                   ("passphrase as well",))


def test_init_with_a_locked_keyring_makes_no_wallet(cli: Cli, keyring: keyring_session.KeyringSession) -> None:
    keyring.lock()
    one_error_line(run(cli, keyring, "init", "--keyring"), "the OS keyring is locked",
                   ("unlock it", "without --keyring"))
    assert not (cli.home / "wallet.db").exists()


def test_init_with_the_keyring_gone_makes_no_wallet(cli: Cli, keyring: keyring_session.KeyringSession) -> None:
    keyring.stop_daemon()
    one_error_line(run(cli, keyring, "init", "--keyring"), "no usable OS keyring on this machine",
                   ("without --keyring",))
    assert not (cli.home / "wallet.db").exists()


def test_the_errors_have_their_stable_codes(keyring: keyring_session.KeyringSession,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """In process, for the codes (the CLI prints messages): the library against the same daemon."""
    import keyring as keyring_library
    from keyring.backends import SecretService

    from skillpass.errors import KeyringLockedError, KeyringNoKeyError, KeyringUnavailableError
    from skillpass.wallet.unlock import keyring_get, keyring_set

    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", keyring.address)
    previous = keyring_library.get_keyring()
    keyring_library.set_keyring(SecretService.Keyring())
    try:
        keyring_set("code-test", b"k" * 32)
        assert keyring_get("code-test") == b"k" * 32
        with pytest.raises(KeyringNoKeyError) as no_key:
            keyring_get("another-wallet")
        keyring.lock()
        with pytest.raises(KeyringLockedError) as locked:
            keyring_get("code-test")
        keyring.stop_daemon()
        with pytest.raises(KeyringUnavailableError) as gone:
            keyring_get("code-test")
    finally:
        keyring_library.set_keyring(previous)
    assert [e.value.code for e in (no_key, locked, gone)] == ["E_KEYRING_NO_KEY", "E_KEYRING_LOCKED", "E_NO_KEYRING"]
    assert {e.value.exit_status for e in (no_key, locked, gone)} == {ExitStatus.NO_PASSPHRASE}


def test_the_test_command_installs_the_keyring_and_ci_runs_it_verbatim() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
    assert [line.strip() for line in readme.splitlines()].count(ci) == 1
    assert "command -v gnome-keyring-daemon" in ci and "apt-get install" in ci and " gnome-keyring" in ci
    assert ci.count("apt-get update") == 1


def _replace_secret(cli: Cli, keyring: keyring_session.KeyringSession, wallet_id: str) -> None:
    """Another key under the wallet's name in the Secret Service: a stale keyring slot."""
    import base64
    import os
    import subprocess
    import sys

    value = base64.urlsafe_b64encode(os.urandom(32)).rstrip(b"=").decode()
    code = f"import keyring; keyring.set_password({SERVICE!r}, {wallet_id!r}, {value!r})"
    subprocess.run([sys.executable, "-c", code], env=dict(cli.env, **keyring.env), check=True)


def test_a_stale_keyring_key_falls_back_to_the_passphrase(
        cli: Cli, keyring: keyring_session.KeyringSession) -> None:
    created = run(cli, keyring, "init", "--keyring", "--passphrase-file", str(cli.passphrase_file), "--json")
    assert created.returncode == 0, created.stderr
    before = (cli.home / "wallet.db").read_bytes()
    _replace_secret(cli, keyring, created.json()["wallet_id"])
    # not exit 5 (a wrong passphrase): the keyring's reason, and how to give the passphrase
    one_error_line(run(cli, keyring, "list"), "the OS keyring's key does not open this wallet",
                   ("passphrase as well", "--passphrase-file FILE"))
    assert run(cli, keyring, "list", "--passphrase-file", str(cli.passphrase_file)).returncode == 0
    assert (cli.home / "wallet.db").read_bytes() == before


def test_on_a_terminal_a_failed_keyring_says_why_before_the_prompt(
        cli: Cli, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """In-process (the keyring is the fail backend here): a wallet with both slots, a terminal."""
    import getpass

    from conftest import PASSPHRASE
    from skillpass.wallet.unlock import SecretSources
    from skillpass.wallet.slots import unwrap_data_key

    created = cli.with_passphrase("init", "--json")
    assert created.returncode == 0, created.stderr
    head = header(cli.home)
    head["slots"] = head["slots"] + [{"type": "keyring", "service": SERVICE, "username": head["wallet_id"]}]
    asked: list[str] = []
    # what stderr holds when the prompt comes: the note is already there
    monkeypatch.setattr(getpass, "getpass",
                        lambda prompt, stream=None: asked.append(capsys.readouterr().err) or PASSPHRASE)
    data_key, passphrase = unwrap_data_key(head, SecretSources(None, {}, interactive=True))
    assert len(data_key) == 32 and passphrase is not None
    [before_prompt] = asked
    assert "the OS keyring did not open the wallet (no usable OS keyring" in before_prompt
