"""Summaries and rows written by an older skillpass are derived again from the credential as
it was received: only those of a format whose summaries changed (views.FORMAT_REVISIONS), and
with the documents the wallet keeps, so that nothing import showed is lost."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from test_mattr_cwt import claims, compact, did_document
from test_mattr_cwt import material as mattr_material
from test_ob2 import BADGE_ID, cache, signed

from conftest import PASSPHRASE, sample_credential, sources, store_credential
from skillpass.flow.listing import current_rows
from skillpass.formats import MATTR_CWT, OB2, by_tag
from skillpass.formats.base import Material
from skillpass.formats.issuer_keys import Trusted
from skillpass.jsonld.loader import ContextStore
from skillpass.passport.skills import SkillRef
from skillpass.summary import SUMMARY_VERSION, Summary
from skillpass.views import FORMAT_REVISIONS, ROW_VERSION, new_entry, row_record
from skillpass.wallet.unlock import Passphrase
from skillpass.wallet.wallet import ROW, create_wallet, open_wallet

SKILLS = ["Welding", {"name": "Collaboration", "framework": "Skills for Success"}]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    create_wallet(tmp_path / "home", passphrase=Passphrase(PASSPHRASE.encode()), use_keyring=False).close()
    return tmp_path / "home"


def stored(wallet: Any, raw: bytes, entry: dict[str, Any]) -> str:
    return wallet.add_credential(raw, entry, row_record(entry)).id


def as_an_older_skillpass_wrote_it(wallet: Any, cid: str, entry: dict[str, Any]) -> None:
    wallet.replace_derived(cid, entry, row_record(entry))


def skill_names(row: dict[str, Any]) -> list[str]:
    return sorted(SkillRef.from_row(skill).name.default for skill in row["skills"])


def test_a_mattr_credential_kept_before_its_skills_were_read_gets_them_and_nothing_else_is_rewritten(
        home: Path) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    raw = compact(key, {**claims(), "skills": SKILLS}).encode()
    checked = by_tag(MATTR_CWT).check(raw, mattr_material(did_document(key)), datetime.now(UTC), False)
    entry = new_entry(checked, MATTR_CWT, "2026-11-01T00:00:00Z")
    assert entry["revision"] == FORMAT_REVISIONS[MATTR_CWT] == row_record(entry)["revision"]
    older = {name: value for name, value in entry.items() if name != "revision"}
    older["summary"] = dataclasses.replace(checked.summary, achievements=()).to_dict()  # no skills then
    with open_wallet(home, sources()) as wallet:
        mattr = stored(wallet, raw, entry)
        as_an_older_skillpass_wrote_it(wallet, mattr, older)
        badge = store_credential(wallet, sample_credential("Data Analysis"))
        untouched = wallet.get_json(ROW, badge)
        assert wallet.get_json(ROW, mattr)["skills"] == []

        rewritten: list[str] = []
        replace = wallet.replace_derived
        wallet.replace_derived = lambda cid, *rest: (rewritten.append(cid), replace(cid, *rest))[1]
        rows = dict(current_rows(wallet))

        assert rewritten == [mattr]
        assert skill_names(rows[mattr]) == ["Collaboration", "Welding"]
        assert rows[mattr]["revision"] == FORMAT_REVISIONS[MATTR_CWT] and rows[mattr]["v"] == ROW_VERSION
        assert rows[badge] == untouched and "revision" not in untouched
        assert wallet.credential(mattr).entry["revision"] == FORMAT_REVISIONS[MATTR_CWT]
        rewritten.clear()
        current_rows(wallet)
        assert rewritten == []  # derived once


def test_a_linked_badge_derived_again_keeps_its_badgeclass_and_issuer_from_the_kept_documents(
        home: Path) -> None:
    documents = cache()
    raw = signed()
    material = Material(ContextStore.bundled(), Trusted(documents, {}))
    checked = by_tag(OB2).check(raw, material, datetime(2026, 6, 1, tzinfo=UTC), False)
    entry = new_entry(checked, OB2, "2026-06-01T00:00:00Z")
    older = {**entry, "summary": {**entry["summary"], "v": SUMMARY_VERSION - 1}}
    with open_wallet(home, sources()) as wallet:
        for doc_id, document in documents.items():  # as `skillpass dids add` keeps them
            wallet.put_json("did", wallet.record_id("did", doc_id), {"id": doc_id, "document": document,
                                                                      "added": "2026-06-01T00:00:00Z"})
        cid = stored(wallet, raw, entry)
        wallet.replace_derived(cid, older, {**row_record(entry), "v": ROW_VERSION - 1})

        [(_, row)] = current_rows(wallet)
        again = wallet.credential(cid).entry

    assert (row["title"], row["issuer"]) == ("Welding", "OB Example") != (BADGE_ID, "")
    assert again["summary"] == entry["summary"]
    assert Summary.from_dict(again["summary"]).title.default == "Welding"


def test_a_wallet_opened_read_only_lists_what_an_older_skillpass_derived_without_writing(home: Path) -> None:
    """On a read-only file system the rows cannot be written again: list and the passport read on
    with the rows as they are, rather than fail on the write (exit 13)."""
    key = ec.generate_private_key(ec.SECP256R1())
    raw = compact(key, {**claims(), "skills": SKILLS}).encode()
    checked = by_tag(MATTR_CWT).check(raw, mattr_material(did_document(key)), datetime.now(UTC), False)
    entry = new_entry(checked, MATTR_CWT, "2026-11-01T00:00:00Z")
    older = {name: value for name, value in entry.items() if name != "revision"}
    with open_wallet(home, sources()) as wallet:
        mattr = stored(wallet, raw, entry)
        as_an_older_skillpass_wrote_it(wallet, mattr, older)
        stale = wallet.get_json(ROW, mattr)
        wallet._store.read_only = True  # noqa: SLF001 - as store.py finds a home no one can write
        rows = dict(current_rows(wallet))
        assert rows[mattr] == stale
        assert wallet.get_json(ROW, mattr) == stale
