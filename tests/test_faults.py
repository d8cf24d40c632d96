"""Faults and what comes back: restores are checked, keys are not merged by surprise, homes are
refused when they are not the learner's, Ctrl-C is one line, a full disk loses nothing."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from conftest import PASSPHRASE, REPO, TESTS, Cli
from issuing import new_issuer, ob3, sign
from skillpass.errors import ExitStatus


def _holder(cli: Cli) -> str:
    return next(k["did"] for k in cli.with_passphrase("did", "--json").json() if k["keyType"] == "Ed25519")


def _import_signed(cli: Cli, tmp_path: Path, name: str, n: int) -> str:
    issuer = new_issuer("Ed25519")
    path = tmp_path / f"{n}.json"
    path.write_text(json.dumps(sign(ob3(name, issuer=issuer, subject=_holder(cli), n=n), issuer,
                                    "eddsa-rdfc-2022")))
    result = cli.with_passphrase("import", str(path), "--json")
    assert result.returncode == 0, result.stdout
    return result.json()[0]["id"]


def _altered_backup(backup: Path, new_name: str) -> None:
    """Re-seal the backup with one credential's name changed: what a passphrase holder could do."""
    from conftest import sources  # noqa: F401 - the cheap KDF fixture is active in-process
    from skillpass.wallet.backup import read_backup, write_backup
    from skillpass.wallet.unlock import Passphrase

    passphrase = Passphrase(PASSPHRASE.encode())
    wallet_id, records = read_backup(backup, passphrase)
    changed = []
    for kind, rid, plain in records:
        if kind == "credential":
            credential = json.loads(plain)
            credential["name"] = new_name
            plain = json.dumps(credential).encode()
        changed.append((kind, rid, plain))
    backup.unlink()
    write_backup(backup, wallet_id, iter(changed), passphrase, "2026-06-01T00:00:00Z")


# -- what comes back must be what went in ------------------------------------------------------


def test_a_backup_whose_credential_was_altered_restores_without_it(cli: Cli, wallet_home: Path,
                                                                   tmp_path: Path) -> None:
    _import_signed(cli, tmp_path, "Welding", 1)
    backup = tmp_path / "backup.json"
    assert cli.with_passphrase("backup", str(backup)).returncode == 0
    _altered_backup(backup, "Master Welder")

    result = cli.with_passphrase("restore", str(backup), "--home", str(tmp_path / "new"), "--json")
    text = cli.with_passphrase("restore", str(backup), "--home", str(tmp_path / "newer"))

    assert result.returncode == ExitStatus.INVALID
    [refused] = result.json()["refused"]
    assert refused["code"] == "E_SIG_INVALID"
    assert cli.with_passphrase("list", "--json", "--home", str(tmp_path / "new")).json() == []
    assert "not restored" in text.stderr and text.returncode == ExitStatus.INVALID


def test_merging_another_wallets_backup_keeps_its_keys_out_unless_asked(cli: Cli, wallet_home: Path,
                                                                       tmp_path: Path) -> None:
    other = tmp_path / "other"
    assert cli.with_passphrase("init", "--home", str(other)).returncode == 0
    backup = tmp_path / "other-backup.json"
    assert cli.with_passphrase("backup", str(backup), "--home", str(other)).returncode == 0

    merged = cli.with_passphrase("restore", str(backup), "--json")
    dids_after = cli.with_passphrase("did", "--json").json()
    with_keys = cli.with_passphrase("restore", str(backup), "--merge-keys", "--json")

    assert merged.returncode == 0 and merged.json()["keysNotMerged"] == 2
    assert len(dids_after) == 2
    assert with_keys.json()["added"].get("key") == 2
    assert len(cli.with_passphrase("did", "--json").json()) == 4


def test_restoring_a_wallet_into_a_new_home_keeps_its_ids_and_history(cli: Cli, wallet_home: Path,
                                                                      tmp_path: Path) -> None:
    cid = _import_signed(cli, tmp_path, "Welding", 1)
    assert cli.with_passphrase("share", cid, "--reveal-all", "--challenge", "x", "--json").returncode == 0
    backup = tmp_path / "backup.json"
    cli.with_passphrase("backup", str(backup))

    restored = cli.with_passphrase("restore", str(backup), "--home", str(tmp_path / "new"), "--json")
    history = cli.with_passphrase("history", "--json", "--home", str(tmp_path / "new")).json()

    assert restored.returncode == 0, restored.stdout
    assert [row["id"] for row in cli.with_passphrase("list", "--json", "--home", str(tmp_path / "new")).json()] == [cid]
    assert history[0]["credentials"][0]["id"] == cid


# -- homes ---------------------------------------------------------------------------------------


def test_every_command_refuses_a_symlinked_home(cli: Cli, wallet_home: Path, tmp_path: Path) -> None:
    link = tmp_path / "link"
    link.symlink_to(wallet_home)

    for args in (["list"], ["did"], ["history"], ["trust", "list"], ["verify", "-"],
                 ["contexts", "list"], ["backup", str(tmp_path / "b.json")]):
        unlocking = () if args[0] in ("trust", "verify") else ("--passphrase-file", str(cli.passphrase_file))
        result = cli(*args, "--home", str(link), *unlocking, input=b"{}")
        assert result.returncode == ExitStatus.IO, (args, result.stderr)
        assert "symbolic link" in result.stderr


def test_init_refuses_a_directory_that_is_not_empty_or_not_yours(cli: Cli, tmp_path: Path) -> None:
    busy = tmp_path / "busy"
    busy.mkdir(mode=0o755)
    (busy / "notes.txt").write_text("mine")
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    os.chown(foreign, 12345, 12345) if os.geteuid() == 0 else None

    refused = cli.with_passphrase("init", "--home", str(busy))
    other = cli.with_passphrase("init", "--home", str(foreign))

    assert refused.returncode == ExitStatus.IO and "not empty (notes.txt)" in refused.stderr
    assert (busy.stat().st_mode & 0o777) == 0o755  # not chmodded
    if os.geteuid() == 0:
        assert other.returncode == ExitStatus.IO and "another user" in other.stderr
    assert cli.with_passphrase("init", "--home", str(tmp_path / "new")).returncode == 0


def test_an_empty_wallet_file_left_by_a_killed_init_is_replaced(cli: Cli, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    (home / "wallet.db").write_bytes(b"")

    listing = cli.with_passphrase("list", "--home", str(home))
    init = cli.with_passphrase("init", "--home", str(home))

    assert listing.returncode == ExitStatus.NO_WALLET and "never finished" in listing.stderr
    assert init.returncode == 0, init.stderr
    assert cli.with_passphrase("list", "--json", "--home", str(home)).json() == []


# -- input that must never reach exit 1 ----------------------------------------------------------


def test_a_passphrase_that_is_not_utf8_in_the_environment(cli: Cli, tmp_path: Path) -> None:
    env = {k: v for k, v in cli.env.items()}
    env_bytes = {os.fsencode(k): os.fsencode(v) for k, v in env.items()}
    env_bytes[b"SKILLPASS_PASSPHRASE"] = b"caf\xe9 latin-1"
    command = [sys.executable, str(TESTS / "cheap_kdf.py"), "init", "--home", str(tmp_path / "h"), "--json"]

    made = subprocess.run(command, env=env_bytes, capture_output=True, cwd=REPO, timeout=60)
    listed = subprocess.run([sys.executable, str(TESTS / "cheap_kdf.py"), "list", "--json", "--home",
                             str(tmp_path / "h")], env=env_bytes, capture_output=True, cwd=REPO, timeout=60)

    assert made.returncode == 0, made.stderr
    assert listed.returncode == 0 and json.loads(listed.stdout) == []


def test_an_empty_salt_in_the_wallet_header_is_a_damaged_wallet(cli: Cli, wallet_home: Path) -> None:
    import sqlite3

    with sqlite3.connect(wallet_home / "wallet.db") as conn:
        header = json.loads(conn.execute("SELECT value FROM meta WHERE key = 'header'").fetchone()[0])
        header["slots"][0]["salt"] = ""
        conn.execute("UPDATE meta SET value = ? WHERE key = 'header'", (json.dumps(header),))

    result = cli.with_passphrase("list")

    assert result.returncode == ExitStatus.LOCKED and "Traceback" not in result.stderr


def test_ctrl_c_is_one_line_and_exit_12_and_the_demo_cleans_up(tmp_path: Path) -> None:
    env = dict(os.environ, TMPDIR=str(tmp_path), PYTHONPATH=f"{REPO}{os.pathsep}{TESTS}")
    proc = subprocess.Popen([sys.executable, "-m", "skillpass", "demo"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, cwd=REPO)
    deadline = time.monotonic() + 30
    while not any(tmp_path.glob("skillpass-demo-*/wallet")) and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)

    assert proc.returncode == ExitStatus.CANCELLED, err
    assert err.decode().strip().splitlines()[-1] == "skillpass: error: cancelled"
    assert b"Traceback" not in err
    assert list(tmp_path.glob("skillpass-demo-*")) == []


# -- a full disk, a read-only home -----------------------------------------------------------------


SKILLPASS = f"{sys.executable} {TESTS / 'cheap_kdf.py'}"  # the command, as a script in a small mount runs it


def in_repo_with(passphrase: str = "pw") -> str:
    """The start of a script for _in_a_small_mount: the passphrase, the import path, the repo."""
    return f"export SKILLPASS_PASSPHRASE='{passphrase}' PYTHONPATH={REPO}:{TESTS} && cd {REPO} && "


def _in_a_small_mount(script: str, tmp_path: Path, *, size: str = "1m", readonly: bool = False) -> Any:
    """Run `script` (shell) in a private mount namespace with a tmpfs home at $MNT: a full disk
    or a read-only file system without touching the machine's. Skips where that is not allowed."""
    if shutil.which("unshare") is None or os.geteuid() != 0:
        pytest.skip("needs root and unshare(1) for a private tmpfs")
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    probe = subprocess.run(["unshare", "-m", "sh", "-c", f"mount -t tmpfs -o size=64k tmpfs {mnt}"],
                           capture_output=True)
    if probe.returncode != 0:
        pytest.skip("mount namespaces are not available here")
    remount = f"mount -o remount,ro {mnt} &&" if readonly else ""
    full = f"mount -t tmpfs -o size={size} tmpfs {mnt} && {script.replace('RO_REMOUNT', remount)}"
    return subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", full],
                          capture_output=True, text=True, timeout=120, env=dict(os.environ, MNT=str(mnt)))


def test_a_full_disk_is_one_clear_error_and_loses_nothing(tmp_path: Path) -> None:
    badge = tmp_path / "big.json"
    from conftest import sample_credential

    credential = sample_credential("Big", 1)
    credential["credentialSubject"]["achievement"]["description"] = "x" * 600_000
    badge.write_text(json.dumps(credential))
    script = (in_repo_with() +
              f"{SKILLPASS} init --home $MNT/h >/dev/null && "
              f"dd if=/dev/zero of=$MNT/filler bs=1k count=100000 2>/dev/null; "
              f"{SKILLPASS} import {badge} --home $MNT/h --json --allow-expired; echo rc=$?; "
              f"{SKILLPASS} backup $MNT/b.json --home $MNT/h; echo rc=$?; "
              f"rm $MNT/filler; {SKILLPASS} list --json --home $MNT/h; echo rc=$?")

    result = _in_a_small_mount(script, tmp_path, size="2m")

    out = result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    assert "no space left" in result.stderr.lower() or "disk" in result.stderr.lower(), result.stderr
    codes = [line for line in out.splitlines() if line.startswith("rc=")]
    assert codes[1] == f"rc={int(ExitStatus.IO)}" and codes[2] == "rc=0", (out, result.stderr)


def test_a_read_only_home_is_one_clear_error(tmp_path: Path) -> None:
    script = (in_repo_with() +
              f"{SKILLPASS} init --home $MNT/h >/dev/null && RO_REMOUNT "
              f"{SKILLPASS} trust add did:web:x.example --name X --home $MNT/h; echo rc=$?; "
              f"{SKILLPASS} list --json --home $MNT/h; echo rc=$?")

    result = _in_a_small_mount(script, tmp_path, readonly=True)

    assert "Traceback" not in result.stderr, result.stderr
    assert "read-only" in result.stderr, result.stderr
    assert "rc=13" in result.stdout


def test_a_wallet_on_a_read_only_file_system_is_read_and_only_writes_are_refused(tmp_path: Path) -> None:
    """SQLite cannot make the -shm index a WAL database needs on a read-only file system: the
    wallet is opened read-only there, so list, show and passport work, and each command that must
    write is one line, exit 13."""
    script = (in_repo_with() +
              f"{SKILLPASS} init --home $MNT/h >/dev/null 2>&1 && "
              f"{SKILLPASS} issue --name Welding --subject me --home $MNT/h --out $MNT/w.json 2>/dev/null && "
              f"{SKILLPASS} import $MNT/w.json --home $MNT/h >/dev/null 2>&1 && RO_REMOUNT "
              f"ID=$({SKILLPASS} list --json --home $MNT/h | {sys.executable} -c "
              "'import json, sys; print(json.load(sys.stdin)[0][\"id\"])'); echo rc=$?; "
              f"{SKILLPASS} show $ID --home $MNT/h; echo rc=$?; "
              f"{SKILLPASS} passport --json --home $MNT/h >/dev/null; echo rc=$?; "
              f"{SKILLPASS} did --home $MNT/h >/dev/null; echo rc=$?; "
              f"{SKILLPASS} remove $ID --yes --home $MNT/h; echo rc=$?; "
              f"{SKILLPASS} profile --name Ana --home $MNT/h; echo rc=$?; "
              f"{SKILLPASS} share $ID --reveal-all --challenge c-1 --out {tmp_path}/vp.json --home $MNT/h; "
              "echo rc=$?")

    result = _in_a_small_mount(script, tmp_path, readonly=True)

    codes = [line for line in result.stdout.splitlines() if line.startswith("rc=")]
    assert codes == ["rc=0"] * 4 + ["rc=13"] * 3, (result.stdout, result.stderr)
    assert "Welding" in result.stdout
    assert "Traceback" not in result.stderr
    refusals = result.stderr.splitlines()
    assert refusals == ["skillpass: error: the wallet's home is on a read-only file system; "
                        "make it writable, or copy the home elsewhere and use --home"] * 3, result.stderr
    assert not (tmp_path / "vp.json").exists()  # a share the history could not keep is not made


# -- what a home no one can write opens as (wallet/store.py _target) ------------------------------

@pytest.mark.parametrize(("companions", "mode"), [
    ((), "immutable=1"),  # closed cleanly: nothing writes it, it is read as it is
    (("-wal", "-shm"), "mode=ro"),  # a live connection's (a home mounted read-only here, written elsewhere)
    (("-shm",), "mode=ro"),  # its log checkpointed to nothing: still a live connection's index
])
def test_a_wallet_in_a_home_no_one_can_write_is_read_immutable_only_when_nothing_writes_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, companions: tuple[str, ...], mode: str) -> None:
    from skillpass.wallet import store

    path = tmp_path / "wallet.db"
    for suffix in ("", *companions):
        Path(f"{path}{suffix}").write_bytes(b"")
    monkeypatch.setattr(store.os, "access", lambda p, how: Path(p) != tmp_path)  # the home is not writable

    target, uri = store._target(path)

    assert uri and target == f"{path.as_uri()}?{mode}"


def test_a_database_file_only_readable_counts_as_read_only(cli: Cli, wallet_home: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """So that share refuses before the presentation goes out (root ignores file modes: access is faked)."""
    from skillpass.wallet import store

    path = wallet_home / "wallet.db"
    real = os.access
    monkeypatch.setattr(store.os, "access", lambda p, how: False if Path(p) == path else real(p, how))
    opened = store.Store.open(path)
    try:
        assert opened.read_only
    finally:
        opened.close()


def test_files_on_a_read_only_file_system_keep_their_modes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A vfat or ISO image mounted read-only shows 0644 and cannot be chmodded: reading goes on."""
    import errno

    from skillpass.wallet import home

    (tmp_path / "wallet.db").write_bytes(b"")
    (tmp_path / "wallet.db").chmod(0o644)

    def refuse(path: Any, mode: int, errno_code: int = errno.EROFS) -> None:
        raise OSError(errno_code, os.strerror(errno_code), str(path))

    monkeypatch.setattr(home.os, "chmod", refuse)
    home.restrict_files(tmp_path)  # no error
    monkeypatch.setattr(home.os, "chmod", lambda path, mode: refuse(path, mode, errno.EPERM))
    with pytest.raises(PermissionError):
        home.restrict_files(tmp_path)  # anything else is still an error
