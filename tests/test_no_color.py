"""NO_COLOR (https://no-color.org): on a terminal, list, show, verify, passport and share --qr
write colours; with NO_COLOR set they write no ANSI escape at all, on stdout or stderr.

The commands run in a pseudo-terminal (the `pty` module) as a person would run them."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, TESTS, Cli
from issuing import new_issuer, ob3, sign

ESCAPE = b"\x1b["


def on_terminal(cli: Cli, *args: str, no_color: bool) -> bytes:
    """Everything the command wrote to its terminal (stdout and stderr share it)."""
    env = {k: v for k, v in cli.env.items() if k != "NO_COLOR"}
    env.update(TERM="xterm-256color", COLUMNS="160", LINES="50", SKILLPASS_LANG="en")
    if no_color:
        env["NO_COLOR"] = "1"
    primary, secondary = pty.openpty()
    proc = subprocess.Popen([sys.executable, str(TESTS / "cheap_kdf.py"), *args,
                             "--passphrase-file", str(cli.passphrase_file)],
                            stdin=secondary, stdout=secondary, stderr=secondary, env=env, cwd=REPO)
    os.close(secondary)
    seen = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([primary], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # the command ended and closed its side
                break
            if not chunk:
                break
            seen += chunk
        elif proc.poll() is not None:
            break
    os.close(primary)
    assert proc.wait(timeout=30) == 0, seen.decode(errors="replace")
    return seen


@pytest.fixture
def wallet(cli: Cli, wallet_home: Path, tmp_path: Path) -> dict[str, str]:
    """A selective-disclosure badge issued to the wallet's holder, and a presentation of it."""
    holder = cli.with_passphrase("did", "--json").json()[0]["did"]
    issuer = new_issuer("P-256")
    badge = tmp_path / "badge.json"
    badge.write_text(json.dumps(sign(ob3("Intro to Data Analysis", issuer=issuer, subject=holder),
                                     issuer, "ecdsa-sd-2023")))
    credential_id = cli.with_passphrase("import", str(badge), "--json").json()[0]["id"]
    presentation = tmp_path / "vp.json"
    shared = cli.with_passphrase("share", credential_id, "--reveal", "credentialSubject.achievement.name",
                                 "--challenge", "c-1", "--out", str(presentation))
    assert shared.returncode == 0, shared.stderr
    return {"id": credential_id, "presentation": str(presentation)}


def _commands(wallet: dict[str, str]) -> dict[str, tuple[str, ...]]:
    return {"list": ("list",), "show": ("show", wallet["id"]),
            "verify": ("verify", wallet["presentation"], "--challenge", "c-1"),
            "passport": ("passport",),
            "share --qr": ("share", wallet["id"], "--reveal", "credentialSubject.achievement.name",
                           "--challenge", "c-2", "--qr")}


COMMANDS = ("list", "show", "verify", "passport", "share --qr")


@pytest.mark.parametrize("name", COMMANDS)
def test_no_color_writes_no_escape_on_a_terminal(cli: Cli, wallet: dict[str, str], name: str) -> None:
    written = on_terminal(cli, *_commands(wallet)[name], no_color=True)
    assert written.strip(), "the command printed nothing"
    assert ESCAPE not in written, written[:400]


@pytest.mark.parametrize("name", COMMANDS)
def test_without_no_color_a_terminal_gets_colours(cli: Cli, wallet: dict[str, str], name: str) -> None:
    assert ESCAPE in on_terminal(cli, *_commands(wallet)[name], no_color=False)
