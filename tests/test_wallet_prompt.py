"""The passphrase prompt on a real terminal, answered with Ctrl-C or Ctrl-D: the command says
'cancelled' on a line of its own (not glued to the prompt), exits 12 and changes nothing."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from conftest import REPO, TESTS, Cli
from skillpass.errors import ExitStatus
from terminal import read_until_closed


def _own_terminal() -> None:
    """In the child: a session of its own whose controlling terminal is the pseudo-terminal on
    its stdin, as a shell gives a command (getpass opens /dev/tty; Ctrl-C is the terminal's)."""
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def _answered(cli: Cli, keys: bytes, *args: str, until: tuple[bytes, ...] = (b": ", b" : "),
              env: dict[str, str] | None = None) -> tuple[int, list[str]]:
    """Run the command on a pseudo-terminal, answer its first prompt (what ends with one of
    `until`: a passphrase prompt's colon) with `keys`; its exit status and the lines it wrote."""
    primary, secondary = pty.openpty()
    env = env if env is not None else {k: v for k, v in cli.env.items() if k != "SKILLPASS_PASSPHRASE"}
    proc = subprocess.Popen([sys.executable, str(TESTS / "cheap_kdf.py"), *args], stdin=secondary,
                            stdout=secondary, stderr=secondary, env=env, cwd=REPO, preexec_fn=_own_terminal)
    os.close(secondary)
    seen = b""
    while not any(end in seen for end in until):
        chunk = os.read(primary, 4096)
        assert chunk, seen
        seen += chunk
    os.write(primary, keys)
    seen += read_until_closed(primary)
    return proc.wait(timeout=60), seen.decode("utf-8", "replace").replace("\r", "").splitlines()


@pytest.mark.parametrize("keys", [b"\x03", b"\x04"], ids=["ctrl-c", "ctrl-d"])
def test_a_prompt_left_with_ctrl_c_or_ctrl_d_says_cancelled_on_its_own_line(
        cli: Cli, wallet_home: Path, keys: bytes) -> None:
    status, lines = _answered(cli, keys, "did")

    assert status == ExitStatus.CANCELLED, lines
    assert lines[-1] == "skillpass: error: cancelled", lines
    assert lines[0].startswith("skillpass: passphrase:"), lines


def test_in_french_too(cli: Cli, wallet_home: Path) -> None:
    status, lines = _answered(cli, b"\x03", "did", "--lang", "fr")

    assert status == ExitStatus.CANCELLED, lines
    assert lines[-1] == "skillpass : erreur : annulé", lines


@pytest.mark.parametrize("keys", [b"\x03", b"\x04"], ids=["ctrl-c", "ctrl-d"])
def test_a_question_left_with_ctrl_c_or_ctrl_d_ends_its_line_and_keeps_the_credential(
        cli: Cli, wallet_home: Path, tmp_path: Path, keys: bytes) -> None:
    from issuing import new_issuer, ob3, sign

    issuer = new_issuer("Ed25519")
    (tmp_path / "c.json").write_text(json.dumps(sign(ob3("Kept", issuer=issuer), issuer, "eddsa-rdfc-2022")))
    [row] = cli.with_passphrase("import", str(tmp_path / "c.json"), "--json").json()

    status, lines = _answered(cli, keys, "remove", row["id"], "--passphrase-file", str(cli.passphrase_file),
                              until=(b"/N] ",), env=cli.env)

    assert "[y/N]" in lines[0] and "skillpass: " not in lines[0].split("[y/N]")[1], lines  # nothing glued on
    if keys == b"\x03":
        assert (status, lines[-1]) == (ExitStatus.CANCELLED, "skillpass: error: cancelled"), lines
    assert [r["id"] for r in cli.with_passphrase("list", "--json").json()] == [row["id"]]
