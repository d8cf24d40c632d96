"""A crash loop: SIGKILL at random moments during init, during a restore into an empty home and
during import. Afterwards the database is intact, every credential is wholly there or wholly
absent, and the home always opens or initialises again.

The loop runs in one subprocess that forks a child per round (fork is cheap, and the pytest
process may hold threads that a fork must not inherit); the child runs the real flow functions
with the cheap test KDF; the parent kills it at a random moment and checks the home."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, TESTS

ROUNDS = 60

LOOP = r'''
import json, os, random, shutil, signal, sqlite3, sys, time
sys.path[:0] = [REPO, TESTS]
import cheap_kdf  # the vault's test seam
from pathlib import Path
from conftest import sample_credential, sources
from skillpass import flow
from skillpass.wallet.unlock import SecretSources
from skillpass.wallet.wallet import open_wallet

operation, rounds, work = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
session_of = lambda home: flow.Session(home, SecretSources(environ={"SKILLPASS_PASSPHRASE": "crash test"}))
badges = work / "badges"
badges.mkdir(exist_ok=True)
for n in range(20):
    (badges / f"{n}.json").write_text(json.dumps(sample_credential(f"Badge {n}", n)))

def init(home):
    flow.init_wallet(session_of(home), use_keyring=False)

def restore(home):
    flow.restore_wallet(session_of(home), work / "backup.json", None, now=NOW)

def import_(home):
    flow.import_credentials(session_of(home), [str(badges)], None, now=NOW, allow_expired=True,
                            progress=lambda total: lambda: None)

from datetime import datetime, timezone
NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)
if operation in ("restore", "import"):
    source = work / "source"
    init(source)
    if operation == "restore":
        flow.backup_wallet(session_of(source), work / "backup.json", None, overwrite=True,
                           created="2026-06-01T00:00:00Z")
run = {"init": init, "restore": restore, "import": import_}[operation]

def fresh_home(n):
    return work / "source" if operation == "import" else work / f"home-{n}"

def timed(home):
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        try:
            run(home)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    return time.monotonic() - start

duration = timed(work / "probe") if operation != "import" else 0.5
if operation != "import":
    shutil.rmtree(work / "probe")
rng = random.Random(7)
outcomes = []
for n in range(rounds):
    home = fresh_home(n)
    pid = os.fork()
    if pid == 0:
        try:
            run(home)
        finally:
            os._exit(0)
    time.sleep(rng.uniform(0, duration * 1.2))
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    db = home / "wallet.db"
    if not db.exists():
        init(home)  # nothing was left half-made: the home initialises
        outcomes.append("absent")
    else:
        with open_wallet(home, sources("crash test")) as wallet:
            assert wallet.integrity_ok()
            credentials = sorted(wallet._store.ids("credential"))
            assert credentials == sorted(wallet._store.ids("entry")) == sorted(wallet._store.ids("row"))
            for cid in credentials:
                wallet.credential(cid)
            assert len(wallet.holder_keys()) == 2
        outcomes.append("whole")
    leftovers = [p.name for p in home.iterdir() if ".creating" in p.name]
    assert not leftovers or operation == "import", leftovers
    if operation != "import":
        shutil.rmtree(home)
print(json.dumps(outcomes))
'''


@pytest.mark.parametrize("operation", ["init", "restore", "import"])
def test_a_kill_at_any_moment_leaves_the_home_whole_or_untouched(operation: str, tmp_path: Path) -> None:
    code = LOOP.replace("REPO, TESTS", f"{str(REPO)!r}, {str(TESTS)!r}")
    proc = subprocess.run([sys.executable, "-c", code, operation, str(ROUNDS), str(tmp_path)],
                          capture_output=True, text=True, timeout=600)

    assert proc.returncode == 0, proc.stderr[-3000:]
    outcomes = json.loads(proc.stdout)
    assert len(outcomes) == ROUNDS
    if operation != "import":
        assert set(outcomes) == {"absent", "whole"}, outcomes  # kills landed before and after
