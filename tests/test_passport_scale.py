"""What makes `passport` and `list` of ten thousand credentials fast keeps their answers: the rows
read in one parse are each record's own, a row that is not one JSON object is a damaged wallet,
the collector pause restores what it found, and the roll-up does not depend on skills being
shared objects. (bench/passport.py measures the speed; tests/test_passport.py the answers.)"""

from __future__ import annotations

import dataclasses
import gc
from datetime import UTC, datetime
from pathlib import Path

import pytest

from conftest import add_credentials, sources
from skillpass.bulk import collector_paused
from skillpass.errors import WalletLockedError
from skillpass.passport.build import build, held_of, roll_up
from skillpass.passport.skills import SkillRef
from skillpass.views import list_row
from skillpass.wallet.wallet import ROW, open_wallet

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def test_rows_read_in_one_parse_are_each_records_own(wallet_home: Path) -> None:
    add_credentials(wallet_home, 5)
    with open_wallet(wallet_home, sources()) as wallet:
        one_by_one = [(rid, wallet._open_json(ROW, rid, body)) for rid, body in wallet._store.items(ROW)]
        assert wallet.rows() == one_by_one
        assert [row["title"] for _, row in wallet.rows()] == [f"Badge {n}" for n in range(5)]


@pytest.mark.parametrize("plaintext", [b'{"v":3},{"v":3}', b"", b"{", b"[1"])
def test_a_row_that_is_not_one_json_object_is_a_damaged_wallet(wallet_home: Path, plaintext: bytes) -> None:
    (cid, *_) = add_credentials(wallet_home, 3)
    with open_wallet(wallet_home, sources()) as wallet:
        wallet._store.replace(ROW, cid, wallet._cipher.seal(ROW, cid, plaintext))
        with pytest.raises(WalletLockedError):
            wallet.rows()


def test_an_empty_wallet_has_no_rows(wallet_home: Path) -> None:
    with open_wallet(wallet_home, sources()) as wallet:
        assert wallet.rows() == []


def test_the_collector_pause_restores_what_it_found() -> None:
    @collector_paused
    def inner() -> bool:
        return gc.isenabled()

    @collector_paused
    def outer() -> tuple[bool, bool]:
        return inner(), gc.isenabled()

    @collector_paused
    def failing() -> None:
        raise ValueError("boom")

    assert gc.isenabled()
    assert outer() == (False, False) and gc.isenabled()
    with pytest.raises(ValueError):
        failing()
    assert gc.isenabled()
    gc.disable()
    try:
        assert inner() is False and not gc.isenabled()  # the caller's pause is the caller's
    finally:
        gc.enable()


def row(title: str, skills: list[list[object]], start: float) -> dict[str, object]:
    return {"v": 3, "title": title, "issuer": "Collège Boréal", "format": "ldp_vc", "issued": "2026-01-01",
            "expires": "", "from": start, "until": None, "dates": True, "verified": True, "status_entries": 0,
            "kind": "OpenBadgeCredential", "issuer_id": "did:example:boreal", "awarded": "", "added": "",
            "description": "", "skills": skills, "credits": None, "hours": None}


ROWS = [
    ("c1", row("Intro", [["Data analysis", "issuer", "Ontario Skills", "https://example.org/da", "DA-1"],
                         ["analyse data", "esco", None, "http://data.europa.eu/esco/skill/1", None]], 1.0e9)),
    ("c2", row("Advanced", [["Data Analysis", "issuer", None, "https://example.org/da/", None],
                            ["Analyse données", "esco", None, "HTTP://DATA.europa.eu/esco/skill/1/", None],
                            [{"default": "Numeracy", "langs": {"fr": "Numératie"}}, "skills-for-success",
                             None, None, None]], 1.1e9)),
    ("c3", row("Other", [["analyse data", "esco", None, "http://data.europa.eu/esco/skill/1", None],
                         ["NUMERACY", "skills-for-success", None, None, None]], 1.2e9)),
]


def test_the_roll_up_does_not_depend_on_skills_being_shared_objects() -> None:
    credentials = [held_of(cid, r, NOW) for cid, r in reversed(ROWS)]  # newest first, as build() sorts them
    unshared = [dataclasses.replace(held, skills=tuple(dataclasses.replace(ref) for ref in held.skills))
                for held in credentials]
    assert all(a is not b for held, other in zip(credentials, unshared) for a, b in zip(held.skills, other.skills))

    def lines(skills: list) -> list[tuple[str, str, list[str]]]:
        return [(s.framework, s.name.default, [h.id for h in s.proofs]) for s in skills]

    assert lines(roll_up(credentials)) == lines(roll_up(unshared)) == [
        ("esco", "analyse data", ["c3", "c2", "c1"]), ("skills-for-success", "Numeracy", ["c3", "c2"]),
        ("issuer", "Data analysis", ["c2", "c1"])]


def test_skills_read_from_rows_keep_their_languages() -> None:
    numeracy = SkillRef.from_row([{"default": "Numeracy", "langs": {"fr": "Numératie"}}, "skills-for-success",
                                  None, None, None])
    assert numeracy.name.pick(["fr"]) == "Numératie"
    plain = SkillRef.from_row(["analyse data", "esco", "ESCO", "http://data.europa.eu/esco/skill/1", None])
    assert plain == SkillRef.from_row(["analyse data", "esco", "ESCO", "http://data.europa.eu/esco/skill/1", None])
    assert plain.framework_name is not None and plain.framework_name.default == "ESCO"


def test_the_passport_document_is_the_same_made_twice() -> None:
    built = build(ROWS, now=NOW, holder_name=None, holder_dids=(), langs=("fr",))
    document = built.to_dict()
    assert document == built.to_dict()
    evidence = [c for f in document["frameworks"] for s in f["skills"] for c in s["credentials"]]
    assert len({id(c) for c in evidence}) == len(evidence)  # each line its own dict
    assert [s["name"] for f in document["frameworks"] for s in f["skills"]] == [
        "analyse data", "Numératie", "Data analysis"]


def test_a_list_row_picks_the_language_of_a_multilingual_title() -> None:
    multilingual = dict(ROWS[0][1], title={"default": "Intro", "langs": {"fr": "Introduction"}})
    assert list_row("c1", multilingual, NOW, ("fr",))["title"] == "Introduction"
    assert list_row("c1", multilingual, NOW)["title"] == "Intro"
    assert list_row("c1", ROWS[0][1], NOW, ("fr",))["title"] == "Intro"


def test_credentials_without_a_row_are_found_and_given_one(wallet_home: Path) -> None:
    from skillpass.flow.credentials import current_rows

    ids = add_credentials(wallet_home, 4)
    with open_wallet(wallet_home, sources()) as wallet:
        for cid in ids[1:3]:
            wallet._store.delete(ROW, cid)
        assert wallet.credentials_without_row() == sorted(ids[1:3])
        assert sorted(cid for cid, _ in current_rows(wallet)) == sorted(ids)
        assert wallet.credentials_without_row() == []


def test_a_credential_as_the_passport_holds_it_has_every_field() -> None:
    held = held_of(*ROWS[1], NOW)
    assert set(vars(held)) == {f.name for f in dataclasses.fields(held)}
    assert held == dataclasses.replace(held) and repr(held).startswith("Held(id='c2'")
    assert [ref.name.default for ref in held.skills] == ["Data Analysis", "Analyse données", "Numeracy"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        held.status = "revoked"  # type: ignore[misc]
