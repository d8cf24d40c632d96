"""RDF Dataset Canonicalization, RDFC-1.0 (W3C Recommendation, 21 May 2024), on pyld quads.

A quad is a dict of pyld toRdf terms under `subject`, `predicate`, `object` and, for a named
graph, `name`; a term is `{"type": "IRI" | "blank node" | "literal", "value": ...}` (literals
add `datatype` and maybe `language`). `canonicalize` returns the sorted canonical N-Quads and
the issued identifiers map; step comments are numbered as in the REC's sections.

A signature only verifies when both sides hash the same bytes, and the signers we meet run
rdf-canonize 5 (inside jsonld.js). Where it departs from the letter of the spec, we follow it:

- Work bound. The spec asks for "suitable exceptions" against poison graphs (section 4.4.3)
  without a number. rdf-canonize allows (number of blank nodes sharing a first-degree hash) **
  maxWorkFactor calls of Hash N-Degree Quads, recursive ones included, with maxWorkFactor 1;
  so do we, and `CanonicalizationLimitError` says so.
- Steps 4.8.3 5.4.4.3 and 5.4.5.5: a path is dropped as soon as it sorts after the chosen path,
  without the spec's length test. Same result, fewer recursive calls, and calls are what the
  bound counts.
- Order. JavaScript sorts strings by UTF-16 code unit, the spec by code point; they disagree only
  between a character above U+FFFF and one in U+E000-U+FFFF (di-sd-primitives has a FIXME
  about it). We sort as JavaScript does.
- Canonical N-Quads (appendix A): U+FFFE and U+FFFF (not XML 1.1 Chars) are written as they
  are, not as UCHARs; IRIs, for which the spec has no rule, escape U+0000-U+0020 and <>"{}|^`\\.

One place where we follow the spec instead: rdf-canonize leaves unrenamed an input blank node
whose label starts with "c14n" (its output step checks the prefix); here every blank node is
written with its issued identifier. jsonld.js and pyld relabel blank nodes _:b0, _:b1... in
toRdf, so signed JSON-LD never reaches that case.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from operator import itemgetter
from types import MappingProxyType
from typing import Any

from skillpass.jsonld.nquads import (BLANK, Quad, Term, has_astral, js_sorted, label_of,
                                     quads_from_pyld_dataset, serialize_nquad, term_text,
                                     unique_quads, utf16_key)

# re-exported: the canonicalizer's callers need the quads it takes and the text it writes
__all__ = ["CanonicalDataset", "CanonicalizationLimitError", "TermQuad", "canonicalize",
           "canonicalize_terms", "first_degree_hashes",
           "permutations", "quads_from_pyld_dataset", "serialize_nquad", "unique_quads"]

MAX_WORK_FACTOR = 1  # rdf-canonize's default, which jsonld.js and digitalbazaar's suites keep

_HASHES: dict[str, Callable[[bytes], Any]] = {
    "sha256": hashlib.sha256, "sha384": hashlib.sha384, "sha512": hashlib.sha512}


class CanonicalizationLimitError(Exception):
    """Hash N-Degree Quads would have to run more often than the work bound allows."""

    def __init__(self, max_deep_iterations: int) -> None:
        super().__init__(f"more than {max_deep_iterations} Hash N-Degree Quads calls needed")
        self.max_deep_iterations = max_deep_iterations


@dataclass(frozen=True)
class CanonicalDataset:
    """The serialized canonical form and the issued identifiers map (4.4.3 steps 6-7)."""

    nquads: tuple[str, ...]  # canonical N-Quads, sorted, each ending in "\n"
    issued_identifiers: Mapping[str, str]  # input label -> "c14nN", both without "_:"
    deep_iterations: int  # Hash N-Degree Quads calls made: the work the bound counts

    @property
    def text(self) -> str:
        return "".join(self.nquads)


# (subject, predicate, object[, graph]) as `canonicalize_terms` takes them
TermQuad = tuple[tuple[str, Any], ...]


class _Quad:
    """A quad with its fixed parts serialized once; blank nodes kept as labels.

    Two quads with the same `key` are the same quad: the key is their N-Quads line in parts.
    """

    __slots__ = ("subject", "predicate", "object", "graph", "blank_subject", "blank_object",
                 "blank_graph", "blank_nodes", "related_predicate", "ground", "key")

    def __init__(self, quad: Quad) -> None:
        subject, predicate, obj, graph = (quad["subject"], quad["predicate"], quad["object"],
                                          quad.get("name"))
        self.subject, self.blank_subject = _split(subject)
        self.predicate = term_text(predicate)
        self.object, self.blank_object = _split(obj)
        self.graph, self.blank_graph = _split(graph) if graph else ("", None)
        self._finish(predicate["value"])

    @classmethod
    def from_terms(cls, quad: TermQuad) -> _Quad:
        """A quad already split into terms (see `canonicalize_terms`)."""
        self = cls.__new__(cls)
        (self.subject, self.blank_subject), predicate, (self.object, self.blank_object) = quad[:3]
        self.predicate = predicate[0]
        self.graph, self.blank_graph = quad[3] if len(quad) > 3 else ("", None)
        self._finish(predicate[1])
        return self

    def _finish(self, predicate_value: str) -> None:
        # (position, label) of each blank node component, in rdf-canonize's s, o, g order
        blank_nodes = []
        if self.blank_subject is not None:
            blank_nodes.append(("s", self.blank_subject))
        if self.blank_object is not None:
            blank_nodes.append(("o", self.blank_object))
        if self.blank_graph is not None:
            blank_nodes.append(("g", self.blank_graph))
        self.blank_nodes = tuple(blank_nodes)
        # 4.7.3 step 2 uses the predicate's value as it is, not escaped
        self.related_predicate = "<" + predicate_value + ">"
        self.ground: str | None = None  # the whole line, once, when no blank node is in it
        if not blank_nodes:
            self.ground = self.line(str)
        self.key = (self.ground or self.subject, self.blank_subject, self.predicate, self.object,
                    self.blank_object, self.graph, self.blank_graph)

    def line(self, name: Callable[[str], str]) -> str:
        """Canonical N-Quads, each blank node written as `_:` + name(label)."""
        if self.ground is not None:
            return self.ground
        subject = self.subject if self.blank_subject is None else "_:" + name(self.blank_subject)
        obj = self.object if self.blank_object is None else "_:" + name(self.blank_object)
        graph = self.graph if self.blank_graph is None else "_:" + name(self.blank_graph)
        if graph:
            return f"{subject} {self.predicate} {obj} {graph} .\n"
        return f"{subject} {self.predicate} {obj} .\n"


def _split(term: Term) -> tuple[str, str | None]:
    """(its N-Quads text, None) for a ground term, ("", its label) for a blank node."""
    return ("", label_of(term)) if term["type"] == BLANK else (term_text(term), None)


def _compiled(quads: Iterable[Any], make: Callable[[Any], _Quad] = _Quad) -> list[_Quad]:
    """The quads, compiled, without repeats (first occurrence kept, as unique_quads)."""
    seen: dict[tuple[str | None, ...], _Quad] = {}
    for quad in quads:
        compiled = make(quad)
        seen.setdefault(compiled.key, compiled)
    return list(seen.values())


# -- the algorithm (4.4 - 4.8) ----------------------------------------------------------------

def canonicalize(quads: Iterable[Quad], *, hash_name: str = "sha256",
                 max_work_factor: int = MAX_WORK_FACTOR) -> CanonicalDataset:
    """RDFC-1.0 of `quads`; `hash_name` is the internal hash (sha384 for P-384 keys).

    Raises CanonicalizationLimitError past the work bound (see the module docstring);
    `max_work_factor` is rdf-canonize's option of that name, changed only by tests. Repeated
    quads count once.
    """
    return _canonical(_compiled(quads), hash_name, max_work_factor)


def canonicalize_terms(quads: Iterable[TermQuad], *, hash_name: str = "sha256",
                       max_work_factor: int = MAX_WORK_FACTOR) -> CanonicalDataset:
    """`canonicalize` of quads given as terms: (subject, predicate, object[, graph]), where a
    node or literal is (its N-Quads text, None), a blank node ("", its label) and the predicate
    (its N-Quads text, its IRI). The same result as `canonicalize` of the same quads."""
    return _canonical(_compiled(quads, _Quad.from_terms), hash_name, max_work_factor)


def _canonical(quads: list[_Quad], hash_name: str, max_work_factor: int) -> CanonicalDataset:
    state = _Canonicalization(quads, _hash_function(hash_name))
    try:
        return state.run(max_work_factor)
    except RecursionError:
        # a recursion as deep as Python's stack spends one deep iteration per level: only a
        # long chain of look-alike blank nodes gets here, and such chains exhaust the bound
        raise CanonicalizationLimitError(state.max_deep_iterations) from None


def first_degree_hashes(quads: Iterable[Quad], *, hash_name: str = "sha256") -> dict[str, str]:
    """4.6 Hash First Degree Quads for every blank node (label -> hash), as the spec's examples
    list them: blank nodes with a hash of their own need none of the costly steps."""
    state = _Canonicalization(_compiled(quads), _hash_function(hash_name))
    state.map_blank_nodes()
    return {label: state.hash_first_degree_quads(label) for label in state.blank_node_to_quads}


def _hash_function(hash_name: str) -> Callable[[bytes], Any]:
    if hash_name not in _HASHES:
        raise ValueError(f"unsupported RDFC-1.0 hash {hash_name!r}")
    return _HASHES[hash_name]


def _issue(issuer: dict[str, str], prefix: str, existing: str) -> str:
    """4.5.2 Issue Identifier; an issuer is a dict in issue order (its counter is its size)."""
    # 1.
    issued = issuer.get(existing)
    if issued is None:
        # 2.-4.
        issued = issuer[existing] = f"{prefix}{len(issuer)}"
    # 5.
    return issued


class _Canonicalization:
    """The canonicalization state (4.2) and the algorithms that read and update it."""

    def __init__(self, quads: list[_Quad], new_hash: Callable[[bytes], Any]) -> None:
        self.quads = quads
        self.new_hash = new_hash
        self.blank_node_to_quads: dict[str, list[_Quad]] = {}
        self.first_degree: dict[str, str] = {}
        self.canonical: dict[str, str] = {}  # the canonical issuer, prefix c14n
        self.max_deep_iterations = 0
        self.remaining_deep_iterations = 0

    def hash(self, text: str) -> str:
        return str(self.new_hash(text.encode("utf-8")).hexdigest())

    def map_blank_nodes(self) -> None:
        """4.4.3 steps 1-2: the blank node to quads map, each quad once per blank node in it."""
        for quad in self.quads:
            for _, label in quad.blank_nodes:
                mentions = self.blank_node_to_quads.setdefault(label, [])
                if not mentions or mentions[-1] is not quad:
                    mentions.append(quad)

    def run(self, max_work_factor: int) -> CanonicalDataset:
        """4.4.3 Canonicalization Algorithm."""
        # 1.-2.
        self.map_blank_nodes()
        # 3. first degree hashes, grouped
        hash_to_blank_nodes: dict[str, list[str]] = {}
        for label in self.blank_node_to_quads:
            hash_to_blank_nodes.setdefault(self.hash_first_degree_quads(label), []).append(label)
        # 4. a unique hash issues its canonical identifier at once
        shared: list[list[str]] = []
        for _, labels in sorted(hash_to_blank_nodes.items()):
            if len(labels) > 1:
                shared.append(labels)
            else:
                _issue(self.canonical, "c14n", labels[0])
        self._set_work_bound(sum(map(len, shared)), max_work_factor)
        # 5. shared hashes, ordered by their N-degree hashes
        for labels in shared:
            self._issue_shared(labels)
        # 6.-7.
        lines = js_sorted(quad.line(self.canonical.__getitem__) for quad in self.quads)
        return CanonicalDataset(tuple(lines), MappingProxyType(dict(self.canonical)),
                                self.max_deep_iterations - self.remaining_deep_iterations)

    def _set_work_bound(self, shared_count: int, max_work_factor: int) -> None:
        # rdf-canonize computes this here, after step 4, from the blank nodes left
        self.max_deep_iterations = 0 if max_work_factor == 0 else shared_count ** max_work_factor
        self.remaining_deep_iterations = self.max_deep_iterations

    def _issue_shared(self, labels: list[str]) -> None:
        """4.4.3 step 5, for one list of blank nodes sharing a first degree hash."""
        # 5.1
        hash_path_list: list[tuple[str, dict[str, str]]] = []
        # 5.2
        for label in labels:
            # 5.2.1
            if label in self.canonical:
                continue
            # 5.2.2-5.2.3
            temporary = {label: "b0"}
            # 5.2.4
            hash_path_list.append(self.hash_n_degree_quads(label, temporary))
        # 5.3 (a stable sort on the hash alone, as JavaScript's)
        for _, issuer in sorted(hash_path_list, key=itemgetter(0)):
            # 5.3.1
            for existing in issuer:
                _issue(self.canonical, "c14n", existing)

    def hash_first_degree_quads(self, reference: str) -> str:
        """4.6.3 Hash First Degree Quads (computed once per blank node)."""
        # 3. the reference blank node is _:a, every other one _:z (the canonical identifier is
        #    never used here: see the note in 4.6.3, kept by every implementation)
        def name(label: str) -> str:
            return "a" if label == reference else "z"

        # 1.-4.
        nquads = js_sorted(quad.line(name) for quad in self.blank_node_to_quads[reference])
        # 5.
        self.first_degree[reference] = self.hash("".join(nquads))
        return self.first_degree[reference]

    def hash_related_blank_node(self, related: str, quad: _Quad, issuer: dict[str, str],
                                position: str) -> str:
        """4.7.3 Hash Related Blank Node."""
        # 1.-2.
        text = position if position == "g" else position + quad.related_predicate
        # 3.
        identifier = self.canonical.get(related) or issuer.get(related)
        # 4.
        text += "_:" + identifier if identifier else self.first_degree[related]
        # 5.
        return self.hash(text)

    def hash_n_degree_quads(self, identifier: str,
                            issuer: dict[str, str]) -> tuple[str, dict[str, str]]:
        """4.8.3 Hash N-Degree Quads: (hash, the issuer that produced it)."""
        # the work bound, checked and spent on every call, recursive ones too (rdf-canonize)
        if self.remaining_deep_iterations <= 0:
            raise CanonicalizationLimitError(self.max_deep_iterations)
        self.remaining_deep_iterations -= 1
        # 1.-3.
        related_by_hash = self._hash_to_related(identifier, issuer)
        # 4.
        data_to_hash: list[str] = []
        # 5.
        for related_hash in sorted(related_by_hash):
            # 5.1
            data_to_hash.append(related_hash)
            # 5.2-5.4
            chosen_path, issuer = self._choose_path(related_by_hash[related_hash], issuer)
            # 5.5-5.6
            data_to_hash.append(chosen_path)
        # 6.
        return self.hash("".join(data_to_hash)), issuer

    def _hash_to_related(self, identifier: str,
                         issuer: dict[str, str]) -> dict[str, list[str]]:
        """4.8.3 steps 1-3: related hash -> the blank nodes it was computed for."""
        # 1.
        related_by_hash: dict[str, list[str]] = {}
        # 2.-3.
        for quad in self.blank_node_to_quads[identifier]:
            # 3.1
            for position, related in quad.blank_nodes:
                if related != identifier:
                    # 3.1.1-3.1.2
                    related_hash = self.hash_related_blank_node(related, quad, issuer, position)
                    related_by_hash.setdefault(related_hash, []).append(related)
        return related_by_hash

    def _choose_path(self, blank_nodes: list[str],
                     issuer: dict[str, str]) -> tuple[str, dict[str, str]]:
        """4.8.3 steps 5.2-5.4: the least path over the permutations, and its issuer."""
        # 5.2-5.3
        chosen_path, chosen_issuer = "", issuer
        # 5.4
        for permutation in permutations(blank_nodes):
            tried = self._path(permutation, issuer, chosen_path)
            # 5.4.6
            if tried is not None and (not chosen_path or tried[0] < chosen_path):
                chosen_path, chosen_issuer = tried
        return chosen_path, chosen_issuer

    def _path(self, permutation: list[str], issuer: dict[str, str],
              chosen_path: str) -> tuple[str, dict[str, str]] | None:
        """4.8.3 steps 5.4.1-5.4.5 for one permutation; None once it sorts after chosen_path."""
        # 5.4.1-5.4.3
        issuer_copy = dict(issuer)
        path = ""
        recursion_list: list[str] = []
        # 5.4.4
        for related in permutation:
            canonical = self.canonical.get(related)
            if canonical is not None:
                # 5.4.4.1
                path += "_:" + canonical
            else:
                # 5.4.4.2.1
                if related not in issuer_copy:
                    recursion_list.append(related)
                # 5.4.4.2.2
                path += "_:" + _issue(issuer_copy, "b", related)
            # 5.4.4.3 (no length test, as in rdf-canonize: see the module docstring)
            if chosen_path and path > chosen_path:
                return None
        # 5.4.5
        for related in recursion_list:
            # 5.4.5.1
            result_hash, result_issuer = self.hash_n_degree_quads(related, issuer_copy)
            # 5.4.5.2-5.4.5.3
            path += "_:" + _issue(issuer_copy, "b", related) + "<" + result_hash + ">"
            # 5.4.5.4
            issuer_copy = result_issuer
            # 5.4.5.5
            if chosen_path and path > chosen_path:
                return None
        return path, issuer_copy


# -- ordering as rdf-canonize orders ---------------------------------------------------------

def permutations(items: list[str]) -> Iterator[list[str]]:
    """Every permutation, in rdf-canonize's Permuter order: Steinhaus-Johnson-Trotter from the
    sorted list, with one direction per distinct value (a list may hold a label twice)."""
    if len(items) == 1:
        yield list(items)
        return
    if not any(map(has_astral, items)):
        yield from _steinhaus_johnson_trotter(items)
        return
    by_key = {utf16_key(item): item for item in items}  # compare as JavaScript compares
    for keys in _steinhaus_johnson_trotter([utf16_key(item) for item in items]):
        yield [by_key[key] for key in keys]


def _steinhaus_johnson_trotter(items: list[Any]) -> Iterator[list[Any]]:
    current = sorted(items)
    left = {item: True for item in current}
    last = len(current) - 1
    while True:
        yield list(current)
        # the largest mobile element: greater than the neighbour it looks at
        mobile, position = None, 0
        for i, item in enumerate(current):
            looks_left = left[item]
            if (mobile is None or item > mobile) and (
                    (looks_left and i > 0 and item > current[i - 1])
                    or (not looks_left and i < last and item > current[i + 1])):
                mobile, position = item, i
        if mobile is None:
            return
        swap = position - 1 if left[mobile] else position + 1
        current[position], current[swap] = current[swap], mobile
        for item in current:  # once per occurrence, as rdf-canonize does
            if item > mobile:
                left[item] = not left[item]
