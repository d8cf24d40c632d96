"""`passport --json` writes the document's text straight from the passport
(passport/document_text.py): the same bytes as json.dumps(to_dict(), indent=2, ensure_ascii=False),
for every shape the document takes, and for values the writer does not handle itself."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import UTC, datetime
from typing import Any

import pytest

from skillpass.langtext import LangText
from skillpass.passport.build import Filters, Passport, Skill, build
from skillpass.passport.document_text import BATCH, document_chunks

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def row(title: Any, skills: list[list[Any]], *, issued: str = "2026-01-01T00:00:00Z", issuer: Any = "Collège Boréal",
        issuer_id: str = "did:example:boreal", **more: Any) -> dict[str, Any]:
    return {"v": 4, "title": title, "issuer": issuer, "format": "ldp_vc", "issued": issued, "expires": "",
            "from": 1.0e9, "until": None, "dates": True, "verified": True, "status_entries": 0,
            "kind": "OpenBadgeCredential", "issuer_id": issuer_id, "awarded": "", "added": "", "description": "",
            "skills": skills, "credits": None, "hours": None, **more}


ESCO = ["analyse data", "esco", "ESCO", "http://data.europa.eu/esco/skill/1", None]
ROWS = [
    ("c1", row("Intro", [["Data analysis", "issuer", "Ontario Skills", "https://example.org/da", "DA-1"], ESCO],
               until=1.8e9, credits=1.5, hours=3)),
    ("c2", row({"default": "Advanced", "langs": {"fr": "Avancé"}},
               [["Analyse \"données\"\t\\", "esco", None, "HTTP://DATA.europa.eu/esco/skill/1/", None],
                [{"default": "Numeracy", "langs": {"fr": "Numératie"}}, "skills-for-success", None, None, None]],
               issuer={"default": "Boreal", "langs": {"fr": "Boréal"}}, awarded="2025-06-01")),
    ("c3", row("Ünïcode \u2028 \x00 \U0001f600", [ESCO, ["NUMERACY", "skills-for-success", None, None, None]],
               issued="", issuer_id="", until=1.0e9)),
    ("c4", row("Tags only", [["teamwork", "other", None, None, None]], issued="not a date")),
    ("c5", row("No skills", [], kind="", expires="2027-01-01", status_state="revoked")),
]


def text_of(passport: Passport) -> str:
    return "".join(document_chunks(passport))


def reference(passport: Passport) -> str:
    return json.dumps(passport.to_dict(), indent=2, ensure_ascii=False)


@pytest.mark.parametrize("langs", [(), ("fr",)])
@pytest.mark.parametrize("filters", [Filters(), Filters(skill="numeracy"), Filters(framework="esco"),
                                     Filters(status="expired"), Filters(issuer="nobody")])
def test_the_text_is_json_dumps_of_the_document(langs: tuple[str, ...], filters: Filters) -> None:
    built = build(ROWS, now=NOW, holder_name="Ana \"Roy\"", holder_dids=("did:key:z1", "did:key:z2"),
                  filters=filters, langs=langs)
    assert text_of(built) == reference(built)


def test_an_empty_passport() -> None:
    built = build([], now=NOW, holder_name=None, holder_dids=())
    assert text_of(built) == reference(built)
    assert '"frameworks": []' in text_of(built) and '"timeline": []' in text_of(built)


@pytest.mark.parametrize("count", [BATCH - 1, BATCH, BATCH + 1, 2 * BATCH + 3])
def test_records_across_batches(count: int) -> None:
    rows = [(f"c{n:04d}", row(f"Badge {n % 7}", [ESCO] if n % 3 else [], issued=f"2026-01-{n % 28 + 1:02d}"))
            for n in range(count)]
    built = build(rows, now=NOW, holder_name=None, holder_dids=())
    assert text_of(built) == reference(built)


def test_a_skill_with_no_proof_and_a_proof_the_passport_does_not_list() -> None:
    built = build(ROWS, now=NOW, holder_name=None, holder_dids=())
    outside = dataclasses.replace(built.credentials[0], id="elsewhere", title=LangText("Kept elsewhere"))
    built.skills.append(Skill(LangText("Lonely"), "other", None, None, None, []))
    built.skills.append(Skill(LangText("Proved outside"), "other", None, None, None, [outside]))
    assert text_of(built) == reference(built)
    assert '"credentials": []' in text_of(built)


@pytest.mark.parametrize("field, value", [("issuer_id", 7), ("kind", 1.5), ("status", ("valid",)), ("title", LangText(3)), ("status", ["valid"]),
                                          ("expiring_soon", 0), ("awarded", {"on": "2026"})])
def test_a_value_the_writer_does_not_hold_goes_to_the_generic_encoder(field: str, value: Any) -> None:
    built = build(ROWS, now=NOW, holder_name=None, holder_dids=())
    odd = dataclasses.replace(built.credentials[1], **{field: value})
    built.credentials[1] = odd
    built.skills[0].proofs.append(odd)
    try:
        expected = reference(built)
    except TypeError as error:  # the document itself cannot be made: the same error
        with pytest.raises(TypeError, match=re.escape(str(error))):
            text_of(built)
        return
    assert text_of(built) == expected


def test_the_text_is_json_of_the_schema_the_passport_has() -> None:
    built = build(ROWS, now=NOW, holder_name=None, holder_dids=())
    document = json.loads(text_of(built))
    assert document["counts"]["credentials"] == len(ROWS) == len(document["credentials"]) == len(document["timeline"])
    assert [c["id"] for c in document["timeline"]] == [c["id"] for c in built.timeline()]


def test_issuers_counted_in_the_order_they_first_come() -> None:
    """Passport.issuers(): each issuer once, with its first credential's id and name, most
    credentials first, then by name, then in the order they first come."""
    rows = [(f"c{n}", row(f"B{n}", [], issuer=name, issuer_id=did, issued=f"2026-01-{n + 1:02d}"))
            for n, (name, did) in enumerate([("Same", "did:a"), ("Same", "did:b"), ("Other", "did:c"),
                                              ("Same", "did:b"), ("Same", ""), ("Same", "did:a")])]
    built = build(rows, now=NOW, holder_name=None, holder_dids=())
    expected: dict[str, dict[str, Any]] = {}
    for held in built.credentials:
        entry = expected.setdefault(held.issuer_id or held.issuer.default,
                                    {"id": held.issuer_id or None, "name": held.issuer.default, "credentials": 0})
        entry["credentials"] += 1
    assert built.issuers() == sorted(expected.values(), key=lambda e: (-e["credentials"], e["name"]))
    # newest first, c5 (did:a) comes before c3 (did:b): a tie of count and name keeps that order
    assert [e["id"] for e in built.issuers()] == ["did:a", "did:b", "did:c", None]
    assert built.counts()["issuers"] == 4 and built.counts()["expiringSoon"] == 0


def test_emit_json_text_writes_a_lone_surrogate_as_emit_json_does(capsys: pytest.CaptureFixture[str]) -> None:
    from skillpass.render import emit_json_text

    emit_json_text(iter(['{"title": "a\udcff', '"}']))
    assert capsys.readouterr().out == '{"title": "a\\\\xff"}\n'
