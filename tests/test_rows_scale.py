"""`list` and `passport` read the rows as a stream: the same bytes as before, for a fixed wallet.

tests/data/rows/ holds a wallet of 30 credentials (make_wallet.py says how it was made) and what
`list --json`, `list` (piped), `passport --json` and `passport` (piped) printed of it before the
rows were streamed; the commands must print the same bytes (the passport's `generated` aside:
it is the time of the run).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, TESTS

FIXED = TESTS / "data" / "rows"
PASSPHRASE = "fixed wallet passphrase"  # make_wallet.py's
COMMANDS = {"list.json.out": ["list", "--json"], "list.tsv.out": ["list"],
            "passport.json.out": ["passport", "--json"], "passport.tsv.out": ["passport"]}
GENERATED = re.compile(rb'\n  "generated": "[^"]*",\n')


@pytest.fixture
def fixed_home(tmp_path: Path) -> Path:
    return copy_of_fixed(tmp_path)


def copy_of_fixed(directory: Path) -> Path:
    """A copy of the fixed wallet (opening a wallet writes its -wal and -shm beside it)."""
    home = directory / "home"
    shutil.copytree(FIXED / "home", home)
    os.chmod(home, 0o700)
    return home


def run(home: Path, args: list[str]) -> bytes:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SKILLPASS_", "PYTHON_KEYRING"))}
    env.update(SKILLPASS_HOME=str(home), SKILLPASS_PASSPHRASE=PASSPHRASE, SKILLPASS_LANG="en",
               PYTHONPATH=os.pathsep.join([str(REPO), str(TESTS)]),
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring", COLUMNS="200")
    proc = subprocess.run([sys.executable, str(TESTS / "cheap_kdf.py"), *args], env=env, capture_output=True,
                          cwd=REPO, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout


def without_generated(text: bytes) -> bytes:
    found = GENERATED.findall(text)
    assert len(found) <= 1
    return GENERATED.sub(b'\n  "generated": "",\n', text)


def open_fixed(home: Path) -> Any:
    from conftest import sources
    from skillpass.wallet.wallet import open_wallet

    return open_wallet(home, sources(PASSPHRASE))


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_same_bytes_as_before(fixed_home: Path, name: str) -> None:
    expected = (FIXED / name).read_bytes()
    assert len(expected) > 1000  # the fixture is what it says: 30 credentials
    assert without_generated(run(fixed_home, COMMANDS[name])) == without_generated(expected)


def test_rows_from_an_older_skillpass_are_rebuilt_in_the_stream(fixed_home: Path) -> None:
    """Rows of an older version, and a credential with no row, are rebuilt while the others are
    streamed: the same output, and the rows are current afterwards."""
    from skillpass.views import ROW_VERSION
    from skillpass.wallet.wallet import ROW

    with open_fixed(fixed_home) as wallet:
        rows = wallet.rows()
        for cid, row in rows[:3]:
            wallet.put_json(ROW, cid, {**row, "v": ROW_VERSION - 1}, replace=True)
        wallet.delete_record(ROW, rows[3][0])
        assert len(wallet.rows()) == len(rows) - 1
    for name in ("list.json.out", "passport.json.out"):
        assert without_generated(run(fixed_home, COMMANDS[name])) == without_generated((FIXED / name).read_bytes())
    with open_fixed(fixed_home) as wallet:
        after = wallet.rows()
    assert sorted(after) == sorted(rows)
    assert {row["v"] for _, row in after} == {ROW_VERSION}


def test_rows_in_batches_are_the_rows(fixed_home: Path) -> None:
    with open_fixed(fixed_home) as wallet:
        whole = wallet.rows()
        assert len(whole) == 30
        for batch in (1, 7, 30, 31, 1000):
            assert list(wallet.iter_rows(batch)) == whole


def test_a_damaged_row_in_the_stream_is_the_opaque_error(fixed_home: Path) -> None:
    import sqlite3

    from skillpass.errors import WalletLockedError

    db = sqlite3.connect(fixed_home / "wallet.db")
    rid = db.execute("SELECT id FROM records WHERE kind = 'row' ORDER BY rowid LIMIT 1 OFFSET 12").fetchone()[0]
    db.execute("UPDATE records SET body = zeroblob(40) WHERE kind = 'row' AND id = ?", (rid,))
    db.commit()
    db.close()
    with open_fixed(fixed_home) as wallet, pytest.raises(WalletLockedError):
        list(wallet.iter_rows(5))


def test_json_of_the_fixed_passport_is_json_dumps(fixed_home: Path) -> None:
    """The streamed JSON text is json.dumps(indent=2) of the document, byte for byte."""
    text = run(fixed_home, ["passport", "--json"])
    document = json.loads(text)
    assert text.decode() == json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def test_the_shortcut_of_the_sanitizers_escapes_what_they_escape() -> None:
    """visible and tsv_cell return printable text as it is: every character they escape is one
    str.isprintable refuses (or, for a TSV cell, the backslash)."""
    from skillpass.render import text

    for code in range(0x110000):
        if 0xD800 <= code < 0xE000:
            continue
        char = chr(code)
        escaped_visible, escaped_tsv = text._UNSAFE.match(char), text._TSV.match(char)  # noqa: SLF001
        assert bool(escaped_visible) <= (not char.isprintable())
        assert bool(escaped_tsv) <= (not char.isprintable() or char == "\\")
    assert text.tsv_cell("a\\b\tc") == "a\\\\b\\tc"
    assert text.visible("\x1b[31mred\u202e") == "\\x1b[31mred\\u202e"


@pytest.mark.parametrize("bad", [None, "tab\there", "new\nline", "back\\slash", "\x1b[31mred", "rlo\u202e", "\u2028"])
def test_tsv_of_a_batch_is_tsv_cell_of_each_cell(bad: str | None) -> None:
    """The TSV writer tests a whole batch at once and joins clean cells as they are: the lines
    are those of tsv_cell on every cell, whichever cell of the batch needs escaping."""
    from skillpass.render.table import _tsv_lines  # noqa: PLC2701
    from skillpass.render.text import tsv_cell

    rows = [["a", "Boréal — 技能", 3, 1.5, True, None, ""], ["b", bad, "x", None, False, 0, "z"]]
    expected = "".join("\t".join(tsv_cell(v) for v in row) + "\n" for row in rows)
    assert _tsv_lines(rows) == expected
    assert _tsv_lines(rows[:1]) == "a\tBoréal — 技能\t3\t1.5\tTrue\t\t\n"
    if bad is not None:
        assert expected.count("\n") == 2 and expected.count("\t") == 12  # the escapes keep it two records


def test_a_rows_period_compared_as_numbers_is_period_status() -> None:
    """views.period_status_at (epoch seconds) says what encoding.dates.period_status says of the
    same moments, at and around both ends and with either end open."""
    from datetime import datetime, timezone

    from skillpass.encoding.dates import period_status
    from skillpass.views import period_status_at

    opens, closes = 1_700_000_000.0, 1_800_000_000.0
    moments = [opens - 1, opens - 0.5, opens, opens + 0.25, closes - 1, closes - 0.000001, closes, closes + 3]
    seen = set()
    for start in (None, opens):
        for end in (None, closes):
            for moment in moments:
                now = datetime.fromtimestamp(moment, timezone.utc)
                expected = period_status(None if start is None else datetime.fromtimestamp(start, timezone.utc),
                                         None if end is None else datetime.fromtimestamp(end, timezone.utc), now)
                assert period_status_at(start, end, now.timestamp()) == expected, (start, end, moment)
                seen.add(expected)
    assert seen == {"valid", "expired", "not yet valid"}
