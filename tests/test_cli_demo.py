"""`skillpass demo`: the presenter's story, run for real in a subprocess with the network
disabled (a socket guard, and `unshare -rn` where it works) and no keyring: eight steps, six
credentials in five formats, a QR code, a verified presentation and a refused one, in English and
in French, within 80 columns; `--keep-in` keeps everything; `--step` needs a terminal."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
from conftest import REPO, Cli, Result

from skillpass.demo.story import NARRATION, TITLES
from skillpass.errors import ExitStatus

GUARD = '''
import os, socket

def _refuse(*args, **kwargs):
    with open(os.environ["DEMO_NET_LOG"], "a") as log:
        log.write("network access attempted\\n")
    raise OSError("network disabled by the test")

for _name in ("connect", "connect_ex", "sendto"):
    setattr(socket.socket, _name, _refuse)
socket.create_connection = _refuse
socket.getaddrinfo = _refuse
'''
QR_GLYPHS = ("\u2580", "\u2584", "\u2588")


@cache
def _unshare_works() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-rn", sys.executable, "-c", "pass"], capture_output=True)
    return probe.returncode == 0


def offline(cli: Cli, tmp_path: Path, *args: str, columns: int = 80) -> Result:
    """`skillpass ARGS` as a user runs it (the real KDF, no test launcher), with no network and no
    keyring, in a private TMPDIR; fails the test if anything tried the network."""
    guard, scratch, log = tmp_path / "guard", tmp_path / "tmp", tmp_path / "net.log"
    guard.mkdir(exist_ok=True)
    scratch.mkdir(exist_ok=True)
    (guard / "sitecustomize.py").write_text(GUARD)
    env = dict(cli.env, PYTHONPATH=os.pathsep.join([str(guard), cli.env["PYTHONPATH"]]), DEMO_NET_LOG=str(log),
               TMPDIR=str(scratch), COLUMNS=str(columns))
    command = [sys.executable, "-m", "skillpass", *args]
    if _unshare_works():
        command = ["unshare", "-rn", *command]
    proc = subprocess.run(command, input=b"", capture_output=True, env=env, timeout=120, cwd=REPO)
    assert not log.exists(), log.read_text()
    return Result(proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace"),
                  proc.stdout)


def french(text: str) -> str:
    from skillpass import i18n

    i18n.use_language("fr")
    try:
        return i18n._(text)
    finally:
        i18n.use_language(None)


def cells(line: str) -> int:
    from rich.cells import cell_len

    return cell_len(line)


def test_the_socket_guard_refuses_the_network(cli: Cli, tmp_path: Path) -> None:
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(GUARD)
    env = dict(cli.env, PYTHONPATH=str(guard), DEMO_NET_LOG=str(tmp_path / "net.log"))
    probe = subprocess.run([sys.executable, "-c", "import socket; socket.create_connection(('example.org', 80))"],
                           capture_output=True, env=env)
    assert probe.returncode != 0 and b"network disabled" in probe.stderr
    assert (tmp_path / "net.log").exists()


def test_the_whole_story_offline_in_80_columns(cli: Cli, tmp_path: Path) -> None:
    result = offline(cli, tmp_path, "demo")

    assert result.returncode == 0, result.stderr
    for title in TITLES:
        assert title in result.stdout, title
    assert "VERIFIED" in result.stdout and "INVALID" in result.stdout
    assert "the course name" in result.stdout and "Data analysis (Skills for Success)" in result.stdout
    assert "The QR code is 1" in result.stdout and "columns wide" in result.stdout  # too wide for 80: said so
    assert not any(glyph in result.stdout for glyph in QR_GLYPHS)
    too_wide = [line for line in result.stdout.splitlines() if cells(line) > 80 or line != line.rstrip()]
    too_wide += [line for line in result.stderr.splitlines() if cells(line) > 80]  # its closing note too
    assert not too_wide, too_wide
    assert "the demo wallet was removed" in result.stderr
    assert list((tmp_path / "tmp").iterdir()) == [], "a throwaway demo leaves nothing behind"
    assert not cli.home.exists(), "the learner's own wallet home is never touched"


def test_the_french_story_fits_80_columns_too(cli: Cli, tmp_path: Path) -> None:
    result = offline(cli, tmp_path, "demo", "--lang", "fr")

    assert result.returncode == 0, result.stderr
    assert all(french(title) in result.stdout for title in TITLES)
    too_wide = [line for line in (result.stdout + result.stderr).splitlines() if cells(line) > 80]
    assert not too_wide, too_wide


def test_the_story_in_french_draws_the_qr_code_when_the_terminal_is_wide(cli: Cli, tmp_path: Path) -> None:
    result = offline(cli, tmp_path, "demo", "--lang", "fr", columns=200)

    assert result.returncode == 0, result.stderr
    for title, narration in zip(TITLES, NARRATION):
        assert french(title) != title, f"no French for {title!r}"
        assert french(title) in result.stdout
        assert title not in result.stdout and narration[:40] not in result.stdout
    assert french("verified").upper() in result.stdout and french("invalid").upper() in result.stdout
    assert "Sécurité en atelier" in result.stdout and "1,5" in result.stdout
    assert any(glyph in result.stdout for glyph in QR_GLYPHS), "the QR code is drawn"
    assert "skillpass : " in result.stderr


def test_the_global_lang_and_json(cli: Cli, tmp_path: Path) -> None:
    english = offline(cli, tmp_path, "demo", "--json")
    in_french = offline(cli, tmp_path, "--lang", "fr", "demo", "--json")

    assert english.returncode == in_french.returncode == 0, english.stderr + in_french.stderr
    story, histoire = english.json(), in_french.json()
    assert [s["title"] for s in story["steps"]] == [s["title"] for s in histoire["steps"]] == list(TITLES)
    assert story["home"] is None and english.stderr == ""
    steps = story["steps"]
    assert {i["suite"] for i in steps[1]["issued"]} >= {"ecdsa-sd-2023", "eddsa-rdfc-2022", "Ed25519Signature2020",
                                                        "sd-jwt-vc", "mattr-compact"}
    assert [i["status"] for i in steps[2]["imported"]] == ["imported"] * 6
    assert [r["code"] for r in steps[2]["refusedFirst"]] == ["E_EXPIRED"]
    assert sorted(c["status"] for c in steps[3]["credentials"]) == ["expired", "revoked"] + ["valid"] * 4
    assert steps[4]["counts"]["credentials"] == 6
    # every credential's skills, whatever its format (the MATTR one's Collaboration is its alone)
    proved = {s["name"]: s["credentials"] for f in steps[4]["frameworks"] for s in f["skills"]}
    assert proved["Collaboration"] == 1 and proved["Problem solving"] == 3 and proved["Critical thinking"] == 2
    assert len(steps[5]["revealed"]) == 3 and steps[5]["qr"]["version"] >= 1
    assert steps[6]["outcome"] == "verified" and steps[7]["outcome"] == "invalid"
    revealed = {d["path"] for d in steps[6]["disclosed"]}
    assert "/credentialSubject/achievement/name" in revealed and "/credentialSubject/creditsEarned" in revealed
    assert not any("result" in path or "description" in path.split("/")[-1] and "achievement" in path
                   for path in revealed), "the grade and the description stay hidden"


def test_keep_in_keeps_everything_with_a_real_kdf(cli: Cli, tmp_path: Path) -> None:
    keep = tmp_path / "demo"
    result = offline(cli, tmp_path, "demo", "--keep-in", str(keep))

    assert result.returncode == 0, result.stderr
    for name in ("wallet", "passphrase.txt", "credentials", "status-list.json", "challenge.txt", "presentation.json",
                 "presentation-altered.json", "presentation-qr.png", "README.txt", "universite-du-nord-did.json"):
        assert (keep / name).exists(), name
    assert len(list((keep / "credentials").iterdir())) == 6
    assert f"the demo wallet is in {keep / 'wallet'}" in result.stderr
    readme = (keep / "README.txt").read_text()
    assert "skillpass list --home" in readme and "skillpass verify" in readme
    with sqlite3.connect(keep / "wallet" / "wallet.db") as db:
        header = json.loads(db.execute("SELECT value FROM meta WHERE key = 'header'").fetchone()[0])
    assert header["slots"][0]["kdf"]["m"] >= 19 * 1024, "a kept wallet has the real Argon2id cost"

    cli.real_kdf = True
    listed = cli("list", "--json", "--home", str(keep / "wallet"), "--passphrase-file", str(keep / "passphrase.txt"))
    assert listed.returncode == 0, listed.stderr
    assert sorted(row["status"] for row in listed.json()) == ["expired", "revoked"] + ["valid"] * 4
    # the credentials directory as a learner would import it: all six files are read
    again_imported = cli("import", str(keep / "credentials"), "--allow-expired", "--json", "--home",
                         str(keep / "wallet"), "--passphrase-file", str(keep / "passphrase.txt"))
    assert [o["status"] for o in again_imported.json()] == ["duplicate"] * 6, again_imported.stdout
    challenge = (keep / "challenge.txt").read_text().split()[1]
    check = ("--challenge", challenge, "--domain", "recrutement.example.ca", "--json")
    assert cli("verify", str(keep / "presentation.json"), *check).json()["outcome"] == "verified"
    assert cli("verify", str(keep / "presentation-altered.json"), *check).json()["outcome"] == "invalid"
    assert cli("verify", "--qr", str(keep / "presentation-qr.png"), *check).json()["outcome"] == "verified"
    again = offline(cli, tmp_path, "demo", "--keep-in", str(keep))
    assert again.returncode == ExitStatus.USAGE and "not a new or empty directory" in again.stderr


def test_home_makes_the_demo_wallet_there(cli: Cli, tmp_path: Path) -> None:
    home, mine = tmp_path / "demo-home", tmp_path / "demo-mine"
    made = offline(cli, tmp_path, "demo", "--home", str(home), "--json")
    given = offline(cli, tmp_path, "demo", "--home", str(mine), "--passphrase-file", str(cli.passphrase_file),
                    "--json")

    assert made.returncode == given.returncode == 0, made.stderr + given.stderr
    assert made.json()["home"] == str(home) and made.json()["passphraseFile"] == str(home / "passphrase.txt")
    assert given.json()["passphraseFile"] is None and not (mine / "passphrase.txt").exists()

    cli.real_kdf = True
    made_list = cli("list", "--json", "--home", str(home), "--passphrase-file", str(home / "passphrase.txt"))
    assert len(made_list.json()) == 6
    assert len(cli.with_passphrase("list", "--json", "--home", str(mine)).json()) == 6


def test_a_kept_demo_whose_passphrase_was_given_lists_no_passphrase_file(cli: Cli, tmp_path: Path) -> None:
    keep = tmp_path / "kept"
    result = offline(cli, tmp_path, "demo", "--keep-in", str(keep), "--passphrase-file", str(cli.passphrase_file))

    assert result.returncode == 0, result.stderr
    readme = (keep / "README.txt").read_text()
    assert not (keep / "passphrase.txt").exists()
    assert "passphrase.txt" not in readme and "--passphrase-file" not in readme, readme
    assert "skillpass list --home" in readme


def test_a_throwaway_demo_takes_no_passphrase(cli: Cli, tmp_path: Path) -> None:
    result = offline(cli, tmp_path, "demo", "--passphrase-file", str(cli.passphrase_file))

    assert result.returncode == ExitStatus.USAGE and "--keep-in" in result.stderr


@pytest.mark.parametrize("args", [("demo", "--step"), ("demo", "--step", "--json")])
def test_step_needs_a_terminal(cli: Cli, tmp_path: Path, args: tuple[str, ...]) -> None:
    result = offline(cli, tmp_path, *args)

    assert result.returncode == ExitStatus.USAGE
    assert "--step" in result.stderr and "; " in result.stderr and result.stderr.count("\n") == 1
    assert result.stdout == ""
