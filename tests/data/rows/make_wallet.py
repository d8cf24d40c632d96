"""Rebuild the fixed wallet of tests/test_rows_scale.py (home/) and its expected outputs.

Usage: python tests/data/rows/make_wallet.py   (then review and commit home/ and the *.out files)

30 credentials from bench/wallets.py's generator (Open Badges 3.0, skills from several
frameworks, tags, credits, non-ASCII issuer names), with the cheap KDF of tests/cheap_kdf.py.
Every date is far from today (expired before 2025, or valid until 2090 or later), so that the
statuses stay what they are for decades. The outputs are written by the command of the day:
regenerate them only to record an intended change of output.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
sys.path[:0] = [str(REPO), str(REPO / "tests"), str(REPO / "bench")]
COMMANDS = {"list.json.out": ["list", "--json"], "list.tsv.out": ["list"],
            "passport.json.out": ["passport", "--json"], "passport.tsv.out": ["passport"]}
PASSPHRASE = "fixed wallet passphrase"


def build(home: Path) -> None:
    import cheap_kdf  # noqa: F401 - lowers the KDF cost, as the test's launcher does
    import wallets as bench
    from skillpass.wallet.unlock import Passphrase

    bench.PASSPHRASE = PASSPHRASE
    later = datetime(2090, 1, 1, tzinfo=timezone.utc)
    original = bench.credentials

    def far_from_today(count: int, issuers: list, now: datetime):  # type: ignore[no-untyped-def]
        for issuer, credential in original(count, issuers, later):
            until = credential.get("validUntil", "")
            if until and "2025" <= until[:4] < "2090":
                credential["validFrom"], credential["validUntil"] = "2019-01-01T00:00:00Z", "2020-01-01T00:00:00Z"
            yield issuer, credential
    bench.credentials = far_from_today
    assert Passphrase
    bench.build_wallet(home, 30)


def outputs(home: Path) -> dict[str, bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SKILLPASS_", "PYTHON_KEYRING"))}
    env.update(SKILLPASS_HOME=str(home), SKILLPASS_PASSPHRASE=PASSPHRASE, SKILLPASS_LANG="en",
               PYTHONPATH=os.pathsep.join([str(REPO), str(REPO / "tests")]),
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring", COLUMNS="200")
    return {name: subprocess.run([sys.executable, str(REPO / "tests" / "cheap_kdf.py"), *args], env=env,
                                 capture_output=True, check=True).stdout for name, args in COMMANDS.items()}


if __name__ == "__main__":
    target = HERE / "home"
    shutil.rmtree(target, ignore_errors=True)
    build(target)
    for name, text in outputs(target).items():
        (HERE / name).write_bytes(text)
    for extra in target.glob("*-*"):  # -wal, -shm: checkpointed into the file on close
        extra.unlink()
