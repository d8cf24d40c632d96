"""Canonical N-Quads (RDFC-1.0 appendix A) of pyld quads, and the order JavaScript sorts them in.

A quad is a dict of pyld toRdf terms under `subject`, `predicate`, `object` and, for a named
graph, `name`; a term is `{"type": "IRI" | "blank node" | "literal", "value": ...}` (literals add
`datatype` and maybe `language`). The escapes are rdf-canonize 5's, byte for byte: see
skillpass.jsonld.rdfc10 for where that departs from the letter of the spec.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from typing import Any

Quad = dict[str, Any]
Term = dict[str, Any]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
BLANK = "blank node"

# Appendix A: ECHAR for these seven, UCHAR (upper-case hex) for the other C0 controls and DEL
_LITERAL_ESCAPES: dict[int, str] = {c: f"\\u{c:04X}" for c in (*range(0x20), 0x7F)}
_LITERAL_ESCAPES.update({0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r",
                         0x22: '\\"', 0x5C: "\\\\"})
# rdf-canonize's IRI escaping: what the N-Quads IRIREF production forbids, as UCHAR
_IRI_ESCAPES: dict[int, str] = {c: f"\\u{c:04X}" for c in (*range(0x21), *map(ord, '<>"{}|^`\\'))}
# translate() looks up every character; most values need no escape, and a search is quicker
_NEEDS_LITERAL_ESCAPE = re.compile('[\x00-\x1f\x7f"\\\\]').search
_NEEDS_IRI_ESCAPE = re.compile('[\x00-\x20<>"{}|^`\\\\]').search


def serialize_nquad(quad: Quad) -> str:
    """One quad in canonical N-Quads form, blank nodes under their own labels."""
    graph = quad.get("name")
    parts = [term_text(quad["subject"]), term_text(quad["predicate"]), term_text(quad["object"])]
    if graph:
        parts.append(term_text(graph))
    return " ".join(parts) + " .\n"


def term_text(term: Term) -> str:
    kind = term["type"]
    if kind == "IRI":
        return "<" + _iri(term["value"]) + ">"
    if kind == BLANK:
        return "_:" + label_of(term)
    text = '"' + _literal(term["value"]) + '"'
    datatype = _datatype(term)
    if datatype == RDF_LANG_STRING:
        return text + "@" + term["language"] if term.get("language") else text
    return text if datatype == XSD_STRING else text + "^^<" + _iri(datatype) + ">"


def _literal(value: str) -> str:
    return value.translate(_LITERAL_ESCAPES) if _NEEDS_LITERAL_ESCAPE(value) else value


@functools.lru_cache(maxsize=4096)  # the same few IRIs come back in every credential
def _iri(value: str) -> str:
    return value.translate(_IRI_ESCAPES) if _NEEDS_IRI_ESCAPE(value) else value


def label_of(term: Term) -> str:
    value: str = term["value"]
    return value[2:] if value.startswith("_:") else value


def _datatype(term: Term) -> str:
    return term.get("datatype") or (RDF_LANG_STRING if term.get("language") else XSD_STRING)


def quads_from_pyld_dataset(dataset: Mapping[str, list[dict[str, Any]]]) -> list[Quad]:
    """pyld's toRdf result ({graph name: [triples]}) as a flat list of quads."""
    quads: list[Quad] = []
    for graph, triples in dataset.items():
        if graph == "@default":
            quads.extend(triples)
            continue
        name = {"type": BLANK if graph.startswith("_:") else "IRI", "value": graph}
        quads.extend({**triple, "name": name} for triple in triples)
    return quads


def unique_quads(quads: Iterable[Quad]) -> list[Quad]:
    """The quads without repeats, first occurrence kept (a dataset is a set of quads; rdf-canonize
    drops repeats as it parses N-Quads, which is how ecdsa-sd-2023 hands it quads)."""
    seen: dict[str, Quad] = {}
    for quad in quads:
        seen.setdefault(serialize_nquad(quad), quad)
    return list(seen.values())


def js_sorted(strings: Iterable[str]) -> list[str]:
    """Sorted by UTF-16 code unit, as JavaScript's Array.prototype.sort does."""
    items = list(strings)
    return sorted(items, key=utf16_key) if any(map(has_astral, items)) else sorted(items)


def has_astral(text: str) -> bool:
    return not text.isascii() and max(text) > "\uffff"


def utf16_key(text: str) -> bytes:
    # big-endian UTF-16 bytes compare in the order of their code units
    return text.encode("utf-16-be", "surrogatepass")
