"""Ctrl-C at the learner's wallet, tried from outside with the real command: whenever it lands, one
line and a documented exit code, never a traceback or a death by SIGINT."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO, TESTS, Cli

# The command runs to its end, then a Ctrl-C arrives while the process is ending (the interpreter
# flushing stdout, joining threads): what a learner's late Ctrl-C does to a finished restore.
LATE_CTRL_C = ("import os, signal, sys, cheap_kdf; from skillpass.__main__ import main; "
               "status = main(); os.kill(os.getpid(), signal.SIGINT); sys.exit(status)")


def test_a_ctrl_c_after_a_restore_has_finished_keeps_its_exit_code_and_prints_no_traceback(
        cli: Cli, wallet_home: Path, tmp_path: Path) -> None:
    backup = tmp_path / "b.json"
    assert cli.with_passphrase("backup", str(backup)).returncode == 0
    restored = tmp_path / "restored"

    proc = subprocess.run([sys.executable, "-c", LATE_CTRL_C, "restore", str(backup), "--home", str(restored),
                           "--passphrase-file", str(cli.passphrase_file)],
                          capture_output=True, text=True, env=cli.env, cwd=REPO, timeout=120)

    assert proc.returncode == 0, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr and "KeyboardInterrupt" not in proc.stderr, proc.stderr
    assert proc.stderr.startswith(f"skillpass: 0 credentials restored to {restored}"), proc.stderr
    assert cli.with_passphrase("did", "--home", str(restored)).returncode == 0


def test_a_ctrl_c_after_a_refusal_keeps_the_refusals_exit_code(cli: Cli, tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-c", LATE_CTRL_C, "list", "--home", str(tmp_path / "none")],
                          capture_output=True, text=True, env=dict(cli.env, PYTHONPATH=f"{REPO}:{TESTS}"),
                          cwd=REPO, timeout=120)

    assert proc.returncode == 3, (proc.returncode, proc.stderr)
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr, proc.stderr
