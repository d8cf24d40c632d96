"""Files skillpass writes and reads: nothing clobbered, nothing but regular files, nothing left
behind, never a wait on a FIFO."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from conftest import Cli
from issuing import new_issuer, ob3, sign
from skillpass.errors import BadInputError, ExitStatus, FileError
from skillpass.files import read_limited, write_new_file


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".skillpass-tmp"))


def test_a_new_file_is_written_private_and_whole(tmp_path: Path) -> None:
    target = tmp_path / "vp.json"

    write_new_file(target, b"data")

    assert target.read_bytes() == b"data" and (target.stat().st_mode & 0o777) == 0o600
    assert leftovers(tmp_path) == []


def test_an_existing_file_is_kept_unless_told(tmp_path: Path) -> None:
    target = tmp_path / "vp.json"
    target.write_bytes(b"old")

    with pytest.raises(FileError) as kept:
        write_new_file(target, b"new")
    write_new_file(target, b"new", overwrite=True)

    assert "already exists" in kept.value.message and "--force" in str(kept.value.hint)
    assert target.read_bytes() == b"new" and leftovers(tmp_path) == []


def test_a_symbolic_link_is_replaced_only_when_told_and_never_followed(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_bytes(b"keep me")
    link = tmp_path / "vp.json"
    link.symlink_to(elsewhere)

    with pytest.raises(FileError) as refused:
        write_new_file(link, b"new")
    write_new_file(link, b"new", overwrite=True)

    assert "symbolic link" in refused.value.message
    assert not link.is_symlink() and link.read_bytes() == b"new"
    assert elsewhere.read_bytes() == b"keep me"


@pytest.mark.parametrize("kind", ["fifo", "directory", "device"])
def test_anything_but_a_regular_file_is_never_replaced(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "target"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "directory":
        target.mkdir()
    else:
        target = Path("/dev/null")

    for overwrite in (False, True):
        with pytest.raises(FileError) as refused:
            write_new_file(target, b"x", overwrite=overwrite)
        assert "never replaces" in refused.value.message
    assert target.exists() and not target.is_file()


def test_leftovers_of_a_killed_writer_are_swept(tmp_path: Path) -> None:
    dead = _dead_pid()
    stale = tmp_path / f".{dead}.abcdef.skillpass-tmp"
    stale.write_bytes(b"half")
    mine = tmp_path / f".{os.getpid()}.abcdef.skillpass-tmp"  # a live writer's: left alone
    mine.write_bytes(b"busy")

    write_new_file(tmp_path / "backup.json", b"whole")

    assert leftovers(tmp_path) == [mine.name]


def _dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def test_no_space_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    real_write = os.write

    def full(fd: int, data: bytes) -> int:
        if fd > 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(FileError) as refused:
        write_new_file(tmp_path / "b.json", b"x" * 100)
    monkeypatch.undo()

    assert refused.value.message.startswith("no space left to write")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("kind", ["fifo", "directory", "link"])
def test_readers_refuse_what_is_not_a_regular_file_at_once(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "input"
    if kind == "fifo":
        os.mkfifo(target)  # no writer: a blocking open would wait forever
    elif kind == "directory":
        target.mkdir()
    else:
        (tmp_path / "real.json").write_text("{}")
        target.symlink_to(tmp_path / "real.json")

    with pytest.raises((BadInputError, FileError)):
        read_limited(target, 1024, "a presentation")


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.json"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("command", [
    ["verify", "{fifo}"], ["contexts", "add", "{fifo}", "--url", "https://x.example/c"],
    ["dids", "add", "{fifo}"], ["restore", "{fifo}"], ["import", "{fifo}"]])
def test_commands_given_a_fifo_answer_instead_of_waiting(cli: Cli, wallet_home: Path, fifo: Path,
                                                         command: list[str]) -> None:
    result = cli.with_passphrase(*[part.format(fifo=fifo) for part in command], timeout=30)

    assert result.returncode in (ExitStatus.BAD_INPUT, ExitStatus.IO)
    assert "FIFO" in result.stderr or "not a regular file" in result.stderr or "is a FIFO" in result.stdout


def test_share_never_clobbers_and_an_unwritten_share_is_not_in_history(cli: Cli, wallet_home: Path,
                                                                      tmp_path: Path) -> None:
    holder = next(k["did"] for k in cli.with_passphrase("did", "--json").json() if k["keyType"] == "Ed25519")
    issuer = new_issuer("Ed25519")
    path = tmp_path / "badge.json"
    path.write_text(json.dumps(sign(ob3(issuer=issuer, subject=holder), issuer, "eddsa-rdfc-2022")))
    cid = cli.with_passphrase("import", str(path), "--json").json()[0]["id"]
    existing = tmp_path / "vp.json"
    existing.write_text("the learner's notes")

    kept = cli.with_passphrase("share", cid, "--reveal-all", "--challenge", "c", "--out", str(existing))
    device = cli.with_passphrase("share", cid, "--reveal-all", "--challenge", "c", "--out", "/dev/null",
                                 "--force")
    to_stdout = cli.with_passphrase("share", cid, "--reveal-all", "--challenge", "c", "--out", "-")
    forced = cli.with_passphrase("share", cid, "--reveal-all", "--challenge", "c", "--out", str(existing),
                                 "--force")

    assert kept.returncode == ExitStatus.IO and "already exists" in kept.stderr
    assert device.returncode == ExitStatus.IO and "never replaces" in device.stderr
    assert Path("/dev/null").is_char_device()
    assert json.loads(to_stdout.stdout)["type"] == ["VerifiablePresentation"]
    assert forced.returncode == 0 and json.loads(existing.read_text())["holder"] == holder
    assert len(cli.with_passphrase("history", "--json").json()) == 2  # the stdout and the forced one
    assert leftovers(tmp_path) == []


def test_a_file_over_its_limit_is_refused_with_the_limit_named(tmp_path: Path) -> None:
    big = tmp_path / "list.json"
    big.write_bytes(b" " * (64 * 1024 + 1))

    with pytest.raises(BadInputError, match=r"list\.json is over 64 KiB, too large to be a status list"):
        read_limited(big, 64 * 1024, "a status list")
    assert read_limited(big, 64 * 1024 + 1, "a status list") == big.read_bytes()


def test_verify_names_the_size_a_presentation_may_have(cli: Cli, tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_bytes(b"[" + b" " * (8 * 1024 * 1024) + b"]")

    english, french = cli("verify", str(big)), cli("verify", str(big), "--lang", "fr")

    assert english.returncode == french.returncode == ExitStatus.BAD_INPUT
    assert "the input is over 8 MiB, too large to be a presentation" in english.stderr
    assert "l'entrée dépasse 8 MiB" in french.stderr and "over" not in french.stderr


def test_a_did_file_verify_cannot_use_is_named_and_a_missing_one_said_in_french(cli: Cli, tmp_path: Path) -> None:
    broken, presentation = tmp_path / "issuer-did.json", tmp_path / "vp.json"
    broken.write_text('{"id": "did:web:college.example", "verificationMethod": 5}')
    presentation.write_text("{}")

    named = cli("verify", str(presentation), "--did", str(broken))
    missing = cli("verify", str(presentation), "--did", str(tmp_path / "gone.json"), "--lang", "fr")

    assert named.returncode == ExitStatus.BAD_INPUT
    assert named.stderr.startswith(f"skillpass: error: --did file {broken}: the DID document lists no verificationMethod")
    assert missing.returncode == ExitStatus.IO
    assert missing.stderr.endswith("aucun fichier ou dossier de ce nom ; vérifiez le chemin\n"), missing.stderr


@pytest.mark.parametrize("kind", ["device", "fifo", "directory"])
def test_a_link_to_anything_but_a_file_is_never_replaced_even_when_told(tmp_path: Path, kind: str) -> None:
    """/dev/stdout is a link to /proc/self/fd/1: `backup /dev/stdout --force` as root replaced the
    system's link with a file holding the backup."""
    target = {"device": Path("/dev/null"), "fifo": tmp_path / "pipe", "directory": tmp_path / "dir"}[kind]
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "directory":
        target.mkdir()
    link = tmp_path / "out.json"
    link.symlink_to(target)

    with pytest.raises(FileError, match=r"is a symbolic link to a (device|FIFO|directory).*never replaces") as refused:
        write_new_file(link, b"{}", overwrite=True)

    assert refused.value.hint == "choose the name of a regular file, or - for stdout"
    assert link.is_symlink() and os.readlink(link) == str(target)
