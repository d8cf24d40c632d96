"""CBOR-LD's per-store memo (skillpass.encoding.cborld.terms): merged contexts, term tables and how
a term's values are read are remembered by the store across payloads. Whatever a warm store has
seen before, and in whichever order, a payload must decode as it does with a fresh store, also
when the memo is full (MAX_DERIVED) and new states are no longer remembered.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from test_cborld import VECTOR_NAMES, holder_key, sd_disclosure, two_credentials, whole_presentation

from skillpass.encoding import cborld
from skillpass.encoding.cborld import terms
from skillpass.errors import SkillpassError
from skillpass.jsonld.loader import ContextStore

VC2 = "https://www.w3.org/ns/credentials/v2"


def fresh_store() -> ContextStore:
    return ContextStore.from_directory(ContextStore.bundled_directory())


def outcome(data: bytes, store: ContextStore) -> Any:
    try:
        return ("ok", json.dumps(cborld.decode(data, store=store)))  # key order too
    except SkillpassError as error:
        return ("error", error.code, error.message)


def inline_documents() -> list[dict[str, Any]]:
    """Contexts written in the payload: scoped, clearing a term, and redefining one of VC 2.0's."""
    scoped = {"@context": [VC2, {"Thing": {"@id": "https://ex.example/Thing",
                                           "@context": {"label": "https://ex.example/label"}}}],
              "type": "Thing", "label": "x", "name": "n"}
    cleared = {"@context": [VC2, {"name": None, "nom": "https://ex.example/nom"}], "type": "VerifiableCredential",
               "nom": "y"}
    return [scoped, cleared]


@pytest.fixture
def payloads(vectors: Path) -> list[bytes]:
    holder = holder_key()
    documents = [sd_disclosure(holder), whole_presentation(holder), two_credentials(holder), *inline_documents()]
    found = [cborld.encode(document, store=fresh_store(), format=format)
             for document in documents for format in cborld.FORMATS]
    found += [(vectors / "cborld" / f"{name}.cborld").read_bytes() for name in VECTOR_NAMES]
    return found


@pytest.mark.vectors
@pytest.mark.parametrize("seed", range(4))
def test_a_warm_store_decodes_as_a_fresh_one_in_any_order(payloads: list[bytes], seed: int) -> None:
    expected = [outcome(data, fresh_store()) for data in payloads]
    # four vectors need contexts skillpass does not bundle: their error must be the same too
    assert sum(1 for item in expected if item[0] == "ok") == len(payloads) - 4
    warm = fresh_store()
    order = list(range(len(payloads))) * 2
    random.Random(seed).shuffle(order)
    for index in order:
        assert outcome(payloads[index], warm) == expected[index], index


@pytest.mark.vectors
def test_a_full_memo_still_decodes_as_a_fresh_store(payloads: list[bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    expected = [outcome(data, fresh_store()) for data in payloads]
    monkeypatch.setattr(terms, "MAX_DERIVED", 5)
    warm = fresh_store()
    for _ in range(2):
        for index, data in enumerate(payloads):
            assert outcome(data, warm) == expected[index], index
    tables = terms.store_tables(warm)
    assert tables is not None and 0 < len(tables.derived) <= 5
