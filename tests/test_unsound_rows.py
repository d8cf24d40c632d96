"""A row that is not of the shape row_record writes is derived again from its entry, never the
reason `list` or `passport` fails.

Rows are sealed, so only a skillpass with a bug could write one; `list` and `passport` read them
without checking each (flow.listing.with_sound_rows): when one breaks the reading, every row not
of row_record's shape (views.sound_row) is derived again and the reading starts over. The fixed
wallet of tests/test_rows_scale.py, each time with one row damaged a different way: the commands
print what they print of the undamaged wallet, and the row is sound afterwards.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from conftest import sources
from test_rows_scale import COMMANDS, FIXED, PASSPHRASE, copy_of_fixed, open_fixed, run, without_generated

NOW = datetime(2026, 12, 1, tzinfo=UTC)
DAMAGES: dict[str, dict[str, Any]] = {
    "a title that is a number": {"title": 5},
    "an issuer that is null": {"issuer": None},
    "a text with languages whose French is a number": {"title": {"default": "x", "langs": {"fr": 3}}},
    "a description without a default": {"description": {"langs": {}}},
    "an end of validity that is a string": {"until": "2030"},
    "credits that are a string": {"credits": "3"},
    "a format that is a number": {"format": 5},
    "an issue date that is a number": {"issued": 7},
    "a skill that is a number": {"skills": [1]},
    "a skill of no framework": {"skills": [["Welding", "nope", None, None, None]]},
    "a skill whose url is a list": {"skills": [["Welding", "other", None, ["x"], None]]},
    "a status checked that is a number": {"status_state": "valid", "status_checked": 5},
    "a member missing": {"title": ...},
}


@pytest.fixture
def fixed_home(tmp_path: Path) -> Path:
    return copy_of_fixed(tmp_path)


def damaged(home: Path, index: int, change: dict[str, Any]) -> str:
    from skillpass.wallet.wallet import ROW

    with open_fixed(home) as wallet:
        cid, row = wallet.rows()[index]
        row = {**row, **change}
        for name in [name for name, value in change.items() if value is ...]:
            del row[name]
        wallet.put_json(ROW, cid, row, replace=True)
    return cid


def session(home: Path) -> Any:
    from skillpass import flow

    return flow.Session(home, sources(PASSPHRASE))


def shown(home: Path) -> tuple[Any, Any, Any]:
    """`list`, `list --search` (which reads the descriptions too) and the passport."""
    from skillpass import flow
    from skillpass.flow.listing import ListOptions
    from skillpass.passport.build import Filters

    return (flow.list_credentials(session(home), NOW),
            flow.list_credentials(session(home), NOW, options=ListOptions(search="data")),
            flow.passport(session(home), NOW, Filters()).to_dict())


@pytest.fixture(scope="module")
def undamaged(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any, Any]:
    from skillpass.wallet import vault

    home = copy_of_fixed(tmp_path_factory.mktemp("undamaged"))
    with pytest.MonkeyPatch.context() as patch:  # the fixed wallet's cheap KDF, as conftest.cheap_kdf allows it
        patch.setattr(vault, "KDF_LIMITS", vault.KdfLimits(min_memory_kib=8, min_iterations=1))
        return shown(home)


def test_the_rows_row_record_writes_are_sound(fixed_home: Path) -> None:
    from skillpass.views import sound_row

    with open_fixed(fixed_home) as wallet:
        rows = wallet.rows()
    assert len(rows) == 30 and all(sound_row(row) for _, row in rows)


@pytest.mark.parametrize("index", [0, 17])
@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_an_unsound_row_is_derived_again(fixed_home: Path, undamaged: tuple[Any, Any, Any], damage: str,
                                         index: int) -> None:
    from skillpass.views import sound_row
    from skillpass.wallet.wallet import ROW

    cid = damaged(fixed_home, index, DAMAGES[damage])
    with open_fixed(fixed_home) as wallet:
        assert not sound_row(wallet.get_json(ROW, cid))
    assert shown(fixed_home) == undamaged
    with open_fixed(fixed_home) as wallet:
        assert sound_row(wallet.get_json(ROW, cid))


@pytest.mark.parametrize("damage", ["credits that are a string", "a skill that is a number"])
def test_the_commands_print_what_they_print_of_the_undamaged_wallet(fixed_home: Path, damage: str) -> None:
    """Through the real command: the passport's --json is written only once every row is read
    (a row damaged in what the document ends with, its totals, fails before the first byte)."""
    damaged(fixed_home, 3, DAMAGES[damage])
    for name in ("passport.json.out", "list.json.out"):
        assert without_generated(run(fixed_home, COMMANDS[name])) == without_generated((FIXED / name).read_bytes())


def test_an_error_that_is_no_rows_goes_on(fixed_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every row sound and the build still fails: skillpass's own bug, not hidden by a retry."""
    from skillpass import flow
    from skillpass.passport import build as build_module
    from skillpass.passport.build import Filters

    calls = []

    def broken(*args: Any, **kwargs: Any) -> None:
        calls.append(1)
        raise TypeError("a bug")

    monkeypatch.setattr(build_module, "build", broken)
    with pytest.raises(TypeError, match="a bug"):
        flow.passport(session(fixed_home), NOW, Filters())
    assert len(calls) == 1


def test_share_request_matching_reads_sound_rows(fixed_home: Path) -> None:
    from skillpass.flow.listing import current_rows
    from skillpass.views import sound_row

    cid = damaged(fixed_home, 5, DAMAGES["a format that is a number"])
    with open_fixed(fixed_home) as wallet:
        rows = dict(current_rows(wallet))
    assert sound_row(rows[cid]) and type(rows[cid]["format"]) is str
