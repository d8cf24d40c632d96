"""RDFC-1.0 (skillpass.jsonld.rdfc10): the spec's worked examples, canonical N-Quads escaping,
repeated quads, the work bound against poison graphs, the internal hash, and invariance.

Datasets are written as N-Quads in the tests and read by a small parser here; `ex:` stands for
http://example.com/# as in the spec's examples. Agreement with rdf-canonize itself, byte for
byte, is tests/interop/test_interop_canon.py.
"""

from __future__ import annotations

import hashlib
import re
import time
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skillpass.errors import UnverifiableError
from skillpass.jsonld.canon import canonize
from skillpass.jsonld.rdfc10 import (
    CanonicalizationLimitError,
    canonicalize,
    first_degree_hashes,
    permutations,
    serialize_nquad,
)
from skillpass.suites.sd_primitives import canonical_id_map

Quad = dict[str, Any]
EX = "http://example.com/#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

_TERM = r'<[^>]*>|_:\S+|"(?:[^"\\]|\\.)*"(?:@[A-Za-z0-9-]+|\^\^<[^>]*>)?'
_QUAD = re.compile(rf"\s*({_TERM})\s+({_TERM})\s+({_TERM})\s*({_TERM})?\s*\.\s*$")
_ESCAPE = re.compile(r'\\(?:([btnfr"\\])|u([0-9A-F]{4}))')
_ECHAR = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


def nquads(text: str) -> list[Quad]:
    """pyld-style quads from N-Quads lines (`ex:` expanded); enough N-Quads for these tests."""
    quads = []
    for line in text.replace("<ex:", "<" + EX).splitlines():
        if line.strip():
            match = _QUAD.match(line)
            assert match, line
            subject, predicate, obj, graph = (_term(t) if t else None for t in match.groups())
            quads.append({"subject": subject, "predicate": predicate, "object": obj,
                          **({"name": graph} if graph else {})})
    return quads


def _term(text: str) -> dict[str, Any]:
    if text.startswith("<"):
        return {"type": "IRI", "value": text[1:-1]}
    if text.startswith("_:"):
        return {"type": "blank node", "value": text}
    value, _, rest = text[1:].rpartition('"')
    term = {"type": "literal", "datatype": XSD + "string",
            "value": _ESCAPE.sub(lambda m: _ECHAR[m[1]] if m[1] else chr(int(m[2], 16)), value)}
    if rest.startswith("@"):
        term.update(datatype=RDF + "langString", language=rest[1:])
    elif rest.startswith("^^"):
        term["datatype"] = rest[3:-1]
    return term


def canonical(text: str, **options: Any) -> str:
    return canonicalize(nquads(text), **options).text


def expected(text: str) -> str:
    return "".join(line.strip().replace("<ex:", "<" + EX) + "\n"
                   for line in text.splitlines() if line.strip())


# -- the spec's examples (RDFC-1.0 sections 4.4.2, 4.6.2, 5, appendix B) ----------------------

UNIQUE_HASHES = """
    <ex:p> <ex:q> _:e0 .
    <ex:p> <ex:r> _:e1 .
    _:e0 <ex:s> <ex:u> .
    _:e1 <ex:t> <ex:u> .
"""


def test_unique_first_degree_hashes_issue_identifiers_in_hash_order() -> None:
    # 4.6.2: each blank node has a first degree hash of its own ...
    assert first_degree_hashes(nquads(UNIQUE_HASHES)) == {
        "e0": "21d1dd5ba21f3dee9d76c0c00c260fa6f5d5d65315099e553026f4828d0dc77a",
        "e1": "6fa0b9bdb376852b5743ff39ca4cbf7ea14d34966b2828478fbf222e7c764473"}
    # ... so 4.4.3 step 4 issues c14n0 to the lower hash, and no N-degree hash is needed
    result = canonicalize(nquads(UNIQUE_HASHES))
    assert result.issued_identifiers == {"e0": "c14n0", "e1": "c14n1"}
    assert result.deep_iterations == 0
    # 5 (the spec's serialization example, with the '#' its hashes were computed with)
    assert result.text == expected("""
        <ex:p> <ex:q> _:c14n0 .
        <ex:p> <ex:r> _:c14n1 .
        _:c14n0 <ex:s> <ex:u> .
        _:c14n1 <ex:t> <ex:u> .
    """)


def test_first_degree_hash_serializes_the_reference_node_as_a_and_others_as_z() -> None:
    # 4.6.3 steps 3-5: sorted lines, concatenated, hashed
    lines = [f"<{EX}p> <{EX}q> _:a .\n", f"_:a <{EX}s> <{EX}u> .\n"]
    assert first_degree_hashes(nquads(UNIQUE_HASHES))["e0"] == (
        hashlib.sha256("".join(lines).encode()).hexdigest())


def test_shared_hashes_are_ordered_by_their_n_degree_hashes() -> None:
    # 4.4.2, "shared hashes": e0 and e1 share a first degree hash; e2 and e3 do not
    shared = """
        <ex:p> <ex:q> _:e0 .
        <ex:p> <ex:q> _:e1 .
        _:e0 <ex:p> _:e2 .
        _:e1 <ex:p> _:e3 .
        _:e2 <ex:r> _:e3 .
    """
    hashes = first_degree_hashes(nquads(shared))
    assert hashes["e0"] == hashes["e1"] and len(set(hashes.values())) == 3

    result = canonicalize(nquads(shared))

    assert result.issued_identifiers == {"e2": "c14n0", "e3": "c14n1", "e1": "c14n2",
                                         "e0": "c14n3"}
    assert result.text == expected("""
        <ex:p> <ex:q> _:c14n2 .
        <ex:p> <ex:q> _:c14n3 .
        _:c14n0 <ex:r> _:c14n1 .
        _:c14n2 <ex:p> _:c14n1 .
        _:c14n3 <ex:p> _:c14n0 .
    """)


def test_duplicate_paths_example() -> None:
    # appendix B.1: two copies of one path, told apart only by the order of issue
    duplicate_paths = """
        _:e0 <ex:p1> _:e1 .
        _:e1 <ex:p2> "Foo" .
        _:e2 <ex:p1> _:e3 .
        _:e3 <ex:p2> "Foo" .
    """
    assert first_degree_hashes(nquads(duplicate_paths)) == {
        "e0": "24da9a4406b4e66dffa10ad3d4d6dddc388fbf193bb124e865158ef419893957",
        "e1": "a994e40b576809985bc0f389308cd9d552fd7c89d028c163848a6b2d33a8583a",
        "e2": "24da9a4406b4e66dffa10ad3d4d6dddc388fbf193bb124e865158ef419893957",
        "e3": "a994e40b576809985bc0f389308cd9d552fd7c89d028c163848a6b2d33a8583a"}
    result = canonicalize(nquads(duplicate_paths))
    assert result.issued_identifiers == {"e0": "c14n0", "e1": "c14n1", "e2": "c14n2",
                                         "e3": "c14n3"}


def test_blank_node_graph_name_example() -> None:
    # appendix B.3: a blank node names a graph and is the object of a triple in the default one
    dataset = """
        _:e0 <ex:p1> _:e1 .
        _:e1 <ex:p2> "Foo" .
        _:e1 <ex:p3> _:g0 .
        _:e0 <ex:p1> _:e1 _:g0 .
        _:e1 <ex:p2> "Bar" _:g0 .
    """
    assert first_degree_hashes(nquads(dataset)) == {
        "e0": "39fa92e7a9ea0b32e3e08aedebc1cbbcd9ba9945a18f2594677598fcfb517345",
        "e1": "5274652aa97d22f9f2998d1837ffaf9ad820fb813574adc4a403f105021e48bf",
        "g0": "efb0096125247801199082c6f213cda5377d8ddac20a83eaf6c7d88335c12bf4"}
    assert canonical(dataset) == expected("""
        _:c14n0 <ex:p1> _:c14n1 .
        _:c14n0 <ex:p1> _:c14n1 _:c14n2 .
        _:c14n1 <ex:p2> "Bar" _:c14n2 .
        _:c14n1 <ex:p2> "Foo" .
        _:c14n1 <ex:p3> _:c14n2 .
    """)


DOUBLE_CIRCLE = """
    _:e0 <ex:next> _:e1 .
    _:e0 <ex:prev> _:e1 .
    _:e1 <ex:next> _:e0 .
    _:e1 <ex:prev> _:e0 .
"""


def test_the_double_circle_example_needs_more_work_than_jsonld_js_allows() -> None:
    # appendix B.2: two look-alike nodes, four Hash N-Degree Quads calls; rdf-canonize's default
    # bound is one per look-alike node, so it (and we) refuse the spec's own example
    with pytest.raises(CanonicalizationLimitError) as err:
        canonicalize(nquads(DOUBLE_CIRCLE))
    assert err.value.max_deep_iterations == 2

    result = canonicalize(nquads(DOUBLE_CIRCLE), max_work_factor=2)
    assert result.deep_iterations == 4
    assert result.text == expected("""
        _:c14n0 <ex:next> _:c14n1 .
        _:c14n0 <ex:prev> _:c14n1 .
        _:c14n1 <ex:next> _:c14n0 .
        _:c14n1 <ex:prev> _:c14n0 .
    """)


# -- canonical N-Quads (appendix A, as rdf-canonize writes it) ---------------------------------

ECHARS = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"',
          "\\": "\\\\"}
UCHARS = {chr(c): f"\\u{c:04X}" for c in [*range(0x20), 0x7F] if chr(c) not in ECHARS}


def literal_quad(value: str, datatype: str = XSD + "string", language: str | None = None) -> Quad:
    obj = {"type": "literal", "value": value, "datatype": datatype,
           **({"language": language} if language else {})}
    return {"subject": {"type": "IRI", "value": EX + "s"},
            "predicate": {"type": "IRI", "value": EX + "p"}, "object": obj}


@pytest.mark.parametrize(("char", "escaped"), {**ECHARS, **UCHARS}.items(),
                         ids=lambda value: repr(value))
def test_every_control_character_in_a_literal_is_escaped(char: str, escaped: str) -> None:
    # ECHAR for BS, HT, LF, FF, CR, " and \; UCHAR with upper-case hex for the other C0
    # controls and DEL (pyld wrote BEL, ESC, DEL, \b and \f as they are)
    assert serialize_nquad(literal_quad(f"a{char}b")) == f'<{EX}s> <{EX}p> "a{escaped}b" .\n'


def test_other_characters_in_a_literal_are_written_as_they_are() -> None:
    # including U+FFFE and U+FFFF, which the spec would escape (not XML 1.1 Chars) but
    # rdf-canonize writes as they are
    text = " ~\x80\u00e9\u2028\ue000\ufffd\ufffe\uffff\U0001f600'"
    assert serialize_nquad(literal_quad(text)) == f'<{EX}s> <{EX}p> "{text}" .\n'


@pytest.mark.parametrize("char", [chr(c) for c in range(0x21)] + list('<>"{}|^`\\'),
                         ids=lambda value: repr(value))
def test_characters_an_iri_cannot_hold_are_written_as_uchar(char: str) -> None:
    quad = {"subject": {"type": "IRI", "value": f"urn:x:{char}"},
            "predicate": {"type": "IRI", "value": EX + "p"},
            "object": {"type": "IRI", "value": EX + "o"},
            "name": {"type": "IRI", "value": f"urn:g:{char}"}}
    escaped = f"\\u{ord(char):04X}"
    assert serialize_nquad(quad) == f"<urn:x:{escaped}> <{EX}p> <{EX}o> <urn:g:{escaped}> .\n"


def test_datatypes_and_language_tags() -> None:
    # xsd:string is implied; rdf:langString is written as its tag, kept as given
    assert serialize_nquad(literal_quad("1", XSD + "integer")).endswith(
        f'"1"^^<{XSD}integer> .\n')
    assert serialize_nquad(literal_quad("x")).endswith('"x" .\n')
    assert serialize_nquad(literal_quad("x", RDF + "langString", "en-GB")).endswith(
        '"x"@en-GB .\n')
    assert serialize_nquad(literal_quad("x", RDF + "langString")).endswith('"x" .\n')
    assert serialize_nquad(literal_quad("x", "urn:dt:\x1b")).endswith('"x"^^<urn:dt:\\u001B> .\n')


def test_lines_sort_by_utf16_code_unit_as_javascript_does() -> None:
    # the spec says code point order; rdf-canonize (and so every jsonld.js signature) sorts by
    # UTF-16 code unit, which puts U+1F600 (D83D DE00) before U+FFFD
    dataset = '<ex:s> <ex:p> "\\uFFFD" .\n<ex:s> <ex:p> "x" .\n'
    lines = canonicalize([*nquads(dataset), literal_quad("\U0001f600")]).nquads
    assert [line.split('"')[1] for line in lines] == ["x", "\U0001f600", "\ufffd"]


def test_an_input_label_that_looks_canonical_is_relabelled_too() -> None:
    # rdf-canonize would leave "_:c14n9" as it is; the spec, and we, issue it c14n0
    assert canonical("_:c14n9 <ex:p> <ex:o> .") == expected("_:c14n0 <ex:p> <ex:o> .")


# -- repeated quads ---------------------------------------------------------------------------

def test_a_repeated_quad_counts_once() -> None:
    # a dataset is a set (RDF 1.1 Concepts; the rdf-canon suite's "duplicate triple" tests)
    once = "_:x <ex:p> _:y .\n_:y <ex:q> \"v\"@en .\n<ex:s> <ex:p> <ex:o> <ex:g> .\n"
    twice = once + "_:y <ex:q> \"v\"@en .\n<ex:s> <ex:p> <ex:o> <ex:g> .\n_:x <ex:p> _:y .\n"

    assert canonical(twice) == canonical(once)
    assert canonical(twice).count("\n") == 3


def test_the_same_triple_in_another_graph_or_language_is_not_a_repeat() -> None:
    dataset = ('<ex:s> <ex:p> "v"@en .\n<ex:s> <ex:p> "v"@fr .\n<ex:s> <ex:p> "v" .\n'
               '<ex:s> <ex:p> "v" <ex:g> .\n<ex:s> <ex:p> "v"^^<ex:dt> .\n')
    assert canonical(dataset).count("\n") == 5


# -- the work bound ---------------------------------------------------------------------------

def clique(n: int) -> str:
    """n blank nodes, each related to every one, itself included: all alike at every degree."""
    return "".join(f"_:k{i} <ex:p> _:k{j} .\n" for i in range(n) for j in range(n))


def two_cubic_graphs() -> str:
    """The rdf-canon suite's "evil" poison shape: a triangular prism and K3,3 side by side.
    Every node of both has three neighbours both ways, so all twelve look alike."""
    prism = [(0, 1), (1, 2), (2, 0), (3, 4), (4, 5), (5, 3), (0, 3), (1, 4), (2, 5)]
    k33 = [(a, b) for a in (6, 7, 8) for b in (9, 10, 11)]
    return "".join(f"_:e{a} <ex:p> _:e{b} .\n_:e{b} <ex:p> _:e{a} .\n" for a, b in prism + k33)


@pytest.mark.parametrize("dataset", [clique(10), clique(30), two_cubic_graphs()],
                         ids=["10-clique", "30-clique", "prism and K3,3"])
def test_poison_graphs_are_refused_at_the_bound(dataset: str) -> None:
    start = time.perf_counter()
    with pytest.raises(CanonicalizationLimitError) as err:
        canonicalize(nquads(dataset))
    elapsed = time.perf_counter() - start
    # the bound is one Hash N-Degree Quads call per look-alike blank node (maxWorkFactor 1)
    assert err.value.max_deep_iterations == len(first_degree_hashes(nquads(dataset)))
    print(f"refused in {elapsed * 1000:.1f} ms")


def test_the_evil_poison_graph_is_computable_with_a_higher_bound() -> None:
    # the rdf-canon suite's note: "computable given defined limits"
    result = canonicalize(nquads(two_cubic_graphs()), max_work_factor=3)
    assert len(result.nquads) == 36 and len(result.issued_identifiers) == 12


def test_the_bound_counts_recursive_calls_and_only_look_alike_nodes() -> None:
    # two people with the same (blank) address: 4 look-alike blank nodes; each person's hash
    # recurses into its address, so 4 calls in all, exactly the bound. One unique node more
    # (the organisation) does not raise the bound; linking the two people makes each hash walk
    # the other person and address too, past it.
    people = "".join(f'_:p{i} <ex:name> "Ada" .\n_:p{i} <ex:address> _:a{i} .\n'
                     f'_:a{i} <ex:city> "Sudbury" .\n' for i in range(2))
    assert canonicalize(nquads(people)).deep_iterations == 4
    with_organisation = people + '_:org <ex:name> "Boréal" .\n'
    assert canonicalize(nquads(with_organisation)).deep_iterations == 4

    looks_alike_but_linked = people + "_:p0 <ex:knows> _:p1 .\n_:p1 <ex:knows> _:p0 .\n"
    with pytest.raises(CanonicalizationLimitError):
        canonicalize(nquads(looks_alike_but_linked))


def test_a_long_chain_of_look_alike_nodes_is_refused_not_a_crash() -> None:
    # each call recurses one node further, deeper than Python's stack; rdf-canonize, with a
    # deeper stack, runs out of its bound on the same input (tests/interop checks chains too)
    chain = "".join(f"_:x{i} <ex:next> _:x{i + 1} .\n" for i in range(3000))
    with pytest.raises(CanonicalizationLimitError):
        canonicalize(nquads(chain))


def test_json_ld_past_the_bound_is_unverifiable_everywhere() -> None:
    ring = [{"@id": f"_:r{i}", EX + "next": {"@id": f"_:r{(i + 1) % 3}"}} for i in range(3)]
    with pytest.raises(UnverifiableError) as err:
        canonize({"@graph": ring})
    assert err.value.code == "E_CANON_LIMIT"
    # ecdsa-sd-2023 canonicalizes through sd_primitives: bounded the same way
    with pytest.raises(UnverifiableError) as err:
        canonical_id_map(nquads(clique(4)))
    assert err.value.code == "E_CANON_LIMIT"


def test_permutations_come_in_rdf_canonize_order() -> None:
    # Steinhaus-Johnson-Trotter from the sorted list; a repeated label moves as one
    assert ["".join(p) for p in permutations(["c", "a", "b"])] == [
        "abc", "acb", "cab", "cba", "bca", "bac"]
    assert ["".join(p) for p in permutations(["b", "a", "b"])] == ["abb", "bab", "bba"]


# -- the internal hash ------------------------------------------------------------------------

def test_sha384_is_the_internal_hash_when_asked() -> None:
    # vc-di-ecdsa canonicalizes with SHA-384 for P-384 keys: hashes, and so the order of
    # issue, change; the dataset described does not
    lines = [f"<{EX}p> <{EX}q> _:a .\n", f"_:a <{EX}s> <{EX}u> .\n"]
    assert first_degree_hashes(nquads(UNIQUE_HASHES), hash_name="sha384")["e0"] == (
        hashlib.sha384("".join(lines).encode()).hexdigest())

    sha384 = canonicalize(nquads(UNIQUE_HASHES), hash_name="sha384")

    assert sha384.issued_identifiers == {"e1": "c14n0", "e0": "c14n1"}
    assert sha384.text == expected("""
        <ex:p> <ex:q> _:c14n1 .
        <ex:p> <ex:r> _:c14n0 .
        _:c14n0 <ex:t> <ex:u> .
        _:c14n1 <ex:s> <ex:u> .
    """)


def test_an_unknown_hash_is_refused() -> None:
    with pytest.raises(ValueError, match="md5"):
        canonicalize(nquads(UNIQUE_HASHES), hash_name="md5")


# -- invariance -------------------------------------------------------------------------------

LABELS = [f"n{i}" for i in range(14)]  # a copy of n0-n6 is n7-n13


@st.composite
def datasets(draw: st.DrawFn) -> list[Quad]:
    """Small datasets of few predicates, often with a disjoint copy: many blank nodes alike."""
    def node() -> dict[str, str]:
        if draw(st.integers(0, 5)) == 0:
            return {"type": "IRI", "value": EX + draw(st.sampled_from("xy"))}
        return {"type": "blank node", "value": "_:" + draw(st.sampled_from(LABELS[:7]))}

    quads = []
    for _ in range(draw(st.integers(1, 12))):
        quad = {"subject": node(), "predicate": {"type": "IRI", "value": EX + draw(
            st.sampled_from("pq"))}}
        quad["object"] = (node() if draw(st.booleans()) else
                          {"type": "literal", "value": draw(st.sampled_from("ab")),
                           "datatype": XSD + "string"})
        if draw(st.integers(0, 3)) == 0:
            quad["name"] = node()
        quads.append(quad)
    if draw(st.booleans()):
        quads += relabel(quads, {f"n{i}": f"n{i + 7}" for i in range(7)})
    return quads


def relabel(quads: list[Quad], names: dict[str, str]) -> list[Quad]:
    def rename(term: dict[str, Any]) -> dict[str, Any]:
        if term["type"] != "blank node":
            return term
        return {"type": "blank node", "value": "_:" + names[term["value"][2:]]}

    return [{key: rename(term) for key, term in quad.items()} for quad in quads]


# RDFC-1.0 is not invariant for every dataset (test_rdfc10_itself_can_tie_two_blank_nodes_that_
# differ): a fresh random draw found such a dataset once in many runs (conftest.py draws the
# same examples every run unless asked).
@settings(max_examples=300, deadline=None, database=None)
@given(quads=datasets(), data=st.data())
def test_relabelling_and_reordering_never_change_the_canonical_form(quads: list[Quad],
                                                                   data: st.DataObject) -> None:
    names = dict(zip(LABELS, data.draw(st.permutations([f"m{i}" for i in range(14)]))))
    shuffled = data.draw(st.permutations(relabel(quads, names)))
    try:
        original = canonicalize(quads, max_work_factor=4)
        moved = canonicalize(shuffled, max_work_factor=4)
    except CanonicalizationLimitError:
        # which permutations are cut short depends on label order, so the work done (and so
        # whether the bound trips) may change with the labels; the canonical form may not
        return

    assert moved.text == original.text
    # and the issued identifiers say how: relabelled input + map = canonical output
    for result, dataset in ((original, quads), (moved, shuffled)):
        renamed = relabel(dataset, dict(result.issued_identifiers))
        assert "".join(sorted(set(map(serialize_nquad, renamed)))) == result.text


def test_issued_identifiers_cover_every_blank_node_once() -> None:
    result = canonicalize(nquads(clique(3)), max_work_factor=3)
    assert sorted(result.issued_identifiers) == ["k0", "k1", "k2"]
    assert sorted(result.issued_identifiers.values()) == ["c14n0", "c14n1", "c14n2"]


# Two labellings of one dataset, and the canonical form of each as rdf-canonize 5.0.0 (digitalbazaar,
# RDFC-1.0) gives it, byte for byte. _:n0 and _:n1 differ (one names the graph of the quad
# whose object is _:n3, the other of the quad whose object is _:n2, the one ex:x points to), but
# Hash Related Blank Node hashes each neighbour by its position alone, not by the quad it shares
# with the others, so both get the same N-degree hash, and the tie is broken by label order: the
# two forms differ. RDFC-1.0 says canonical forms are only *expected* to match for isomorphic
# datasets; skillpass must give what the reference gives, since a signer and a verifier that
# canonicalize differently disagree on the signature.
TIED_A = """_:n1 <ex:q> _:n3 _:n0 .
_:n0 <ex:q> _:n2 _:n1 .
<ex:x> <ex:p> _:n2 <ex:x> .
"""
TIED_B = """_:m0 <ex:q> _:m2 _:m1 .
_:m1 <ex:q> _:m3 _:m0 .
<ex:x> <ex:p> _:m2 <ex:x> .
"""
TIED_A_CANONICAL = """<ex:x> <ex:p> _:c14n1 <ex:x> .
_:c14n2 <ex:q> _:c14n0 _:c14n3 .
_:c14n3 <ex:q> _:c14n1 _:c14n2 .
""".replace("<ex:", "<" + EX)
TIED_B_CANONICAL = """<ex:x> <ex:p> _:c14n1 <ex:x> .
_:c14n2 <ex:q> _:c14n1 _:c14n3 .
_:c14n3 <ex:q> _:c14n0 _:c14n2 .
""".replace("<ex:", "<" + EX)


def test_rdfc10_itself_can_tie_two_blank_nodes_that_differ() -> None:
    """(Past the default work bound, here as in rdf-canonize: maxWorkFactor 4 there.)"""
    assert canonicalize(nquads(TIED_A), max_work_factor=4).text == TIED_A_CANONICAL
    assert canonicalize(nquads(TIED_B), max_work_factor=4).text == TIED_B_CANONICAL
