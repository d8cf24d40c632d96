"""Selective-disclosure primitives (W3C vc-di-ecdsa section 3.4 "Selective Disclosure Functions").

JSON pointer selection, skolemization, label-replacing canonicalization and grouping of
canonical N-Quads (3.4.10 jsonPointerToPaths is `parse_pointer` in skillpass.encoding.pointer).
Quads are handled as pyld RDF terms rather than as text: blank-node relabelling and
(de)skolemization then touch only subject/object/graph terms, never the inside
of a literal that happens to contain `_:` (the spec's regex examples, and digitalbazaar, do; such
credentials are refused with a clear error, see `check_no_label_lookalikes`). Skolem IRIs use a
random URN scheme per call (the spec allows any scheme) so no real IRI in a credential can be
mistaken for a skolemized blank node.

pyld is used directly here (not through skillpass.jsonld.canon) because these algorithms need
what that API does not expose: expansion that refuses dropped terms (jsonld.js "safe mode",
which digitalbazaar's implementation uses), compaction and toRdf as terms. The canonical
blank-node issuer map of RDFC-1.0 (`canonicalIdMap`) comes from skillpass.jsonld.rdfc10, and
N-Quads are written and sorted as rdf-canonize writes and JavaScript sorts them
(skillpass.jsonld.nquads), since digitalbazaar's signers hash exactly those bytes.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from skillpass.encoding.pointer import child_value, parse_pointer
from skillpass.errors import BadInputError, InvalidError, SkillpassError, UnverifiableError
from skillpass.jsonld.loader import ContextStore
from skillpass.jsonld.json_copy import json_copy
from skillpass.jsonld.canon import UndefinedTermError, error_causes, safe_processor, undefined_term_error

Quad = dict[str, Any]  # pyld term dicts: subject, predicate, object and (named graphs) name
LabelMapFactory = Callable[[dict[str, str]], dict[str, str]]

_BNODE = "blank node"
# What the spec's example regexes (and digitalbazaar's code) rewrite even inside literals and IRIs
_TEXT_HAZARD = re.compile(r"_:\S+|<urn:bnid:")


# -- selection (3.4.11 createInitialSelection, 3.4.12 selectPaths, 3.4.13 selectJsonLd) ---------

class _Sparse(dict):  # type: ignore[type-arg]
    """A selected array under construction: index -> value, made dense at the end."""


def select_json_ld(document: dict[str, Any], pointers: list[str]) -> dict[str, Any] | None:
    """3.4.13 selectJsonLd: the sub-document holding `pointers`, with ids/types along each path."""
    # 1. nothing selected
    if not pointers:
        return None
    # 3.-4. initial selection of the root, plus its @context
    selection = {"@context": json_copy(document["@context"])} if "@context" in document else {}
    selection.update(_initial_selection(document))
    # 5. walk each pointer
    for pointer in pointers:
        paths = parse_pointer(pointer)
        if not paths:
            return json_copy(document)  # the whole document is selected
        _select_paths(document, pointer, paths, selection)
    # 6.-7. make sparse arrays dense
    return _densify(selection)


def _initial_selection(source: Any) -> dict[str, Any]:
    """3.4.11 createInitialSelection: non-blank `id` and any `type` of the node on the path."""
    selection: dict[str, Any] = {}
    if not isinstance(source, dict):
        return selection
    node_id = source.get("id")
    if isinstance(node_id, str) and node_id and not node_id.startswith("_:"):
        selection["id"] = node_id
    if source.get("type") not in (None, "", False):
        selection["type"] = json_copy(source["type"])
    return selection


def _select_paths(document: Any, pointer: str, paths: list[str], selection: dict[str, Any]) -> None:
    """3.4.12 selectPaths."""
    # 1.-4. start at the roots
    value: Any = document
    selected_parent: Any = selection
    selected_value: Any = selection
    # 5. walk, creating initial selections for nodes not selected yet
    for path in paths:
        selected_parent = selected_value
        value = child_value(value, path, pointer)
        selected_value = _selected_child(selected_parent, path)
        if selected_value is None:
            selected_value = _Sparse() if isinstance(value, list) else _initial_selection(value)
            _set_child(selected_parent, path, selected_value)
    # 6.-8. the target: a literal, a whole array, or a node merged over its initial selection
    if isinstance(value, list):
        selected_value = json_copy(value)
    elif isinstance(value, dict):
        selected_value = {**selected_value, **json_copy(value)}
    else:
        selected_value = value
    # 9.-10. attach
    _set_child(selected_parent, paths[-1], selected_value)


def _selected_child(parent: Any, path: str) -> Any:
    if isinstance(parent, _Sparse):
        return parent.get(int(path))
    if isinstance(parent, list):
        return parent[int(path)]  # a fully selected array already holds every element
    return parent.get(path)


def _set_child(parent: Any, path: str, value: Any) -> None:
    if isinstance(parent, (_Sparse, list)):
        parent[int(path)] = value
    else:
        parent[path] = value


def _densify(value: Any) -> Any:
    if isinstance(value, _Sparse):
        return [_densify(value[i]) for i in sorted(value)]
    if isinstance(value, dict):
        return {k: _densify(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_densify(v) for v in value]
    return value


# -- pyld, offline, refusing dropped terms -------------------------------------------------------

def _options(store: ContextStore | None) -> dict[str, Any]:
    from skillpass.jsonld import speedups

    speedups.install()
    # base None: as skillpass.jsonld.canon. i18n-datatype: as jsonld.js in di-sd-primitives.
    return {"base": None, "processingMode": "json-ld-1.1", "rdfDirection": "i18n-datatype",
            **(store or ContextStore.bundled()).pyld_options()}


def _pyld(operation: str, document: Any, store: ContextStore | None, *args: Any,
          **extra_options: Any) -> Any:
    """Run a pyld processor operation and map its failures to skillpass errors."""
    processor = safe_processor()
    try:
        return getattr(processor, operation)(document, *args, {**_options(store), **extra_options})
    except SkillpassError:
        raise
    except Exception as exc:  # pyld wraps loader errors and raises bare TypeError/KeyError on junk
        for cause in error_causes(exc):
            if isinstance(cause, SkillpassError):
                raise cause from None
            if isinstance(cause, UndefinedTermError):
                raise undefined_term_error(cause.term) from None
        raise BadInputError("not valid JSON-LD: " + _reason(exc),
                            "the credential's JSON-LD is malformed; ask the issuer for a new copy",
                            code="E_JSONLD") from None


def _reason(exc: BaseException) -> str:
    messages = [str(e.args[0]) for e in error_causes(exc) if e.args and isinstance(e.args[0], str)]
    return messages[-1].splitlines()[0].rstrip(".").lower() if messages else type(exc).__name__


def to_quads(document: Any, store: ContextStore | None = None, *,
             any_labels: bool = False) -> list[Quad]:
    """Deserialize JSON-LD to RDF, as a flat list of quads.

    skillpass.jsonld.direct_rdf's walk where it makes pyld's quads; it labels blank nodes its
    own way, so only when `any_labels` (the caller canonicalizes) is a document with blank
    nodes walked; otherwise pyld labels them _:b0, _:b1... as jsonld.js does.
    """
    from skillpass.jsonld import direct_rdf

    walked = direct_rdf.to_pyld_quads(safe_processor(), document, _options(store),
                                      blank_nodes=any_labels)
    if walked is not None:
        return walked
    dataset = _pyld("to_rdf", document, store)
    quads: list[Quad] = []
    for graph, triples in dataset.items():
        name = None if graph == "@default" else {
            "type": _BNODE if graph.startswith("_:") else "IRI", "value": graph}
        for triple in triples:
            quads.append({**triple, "name": name} if name else triple)
    return quads


def check_no_label_lookalikes(quads: list[Quad]) -> None:
    """Refuse text that other implementations would rewrite as if it were a blank-node label.

    digitalbazaar relabels with `/_:([^\\s]+)/` over whole N-Quad lines, so a literal or IRI
    containing e.g. "_:b0" is signed there as "_:undefined": such a credential can neither be
    checked here (we leave the text alone, as the spec's prose says) nor safely anywhere (any
    two such texts sign the same). Saying so beats a bare "signature does not verify".
    """
    masked_bnode = {"type": "IRI", "value": "b"}
    for quad in quads:
        masked = {k: masked_bnode if t.get("type") == _BNODE else t for k, t in quad.items()}
        found = _TEXT_HAZARD.search(serialize_quad(masked))
        if found:
            text = found.group(0).rstrip('">')
            raise UnverifiableError(
                f"the credential contains the text {text!r}, which ecdsa-sd-2023 "
                "implementations rewrite inconsistently, so its proof cannot be checked reliably",
                "ask the issuer to avoid '_:' in text values, or to use another proof suite",
                code="E_SD_UNSUPPORTED_TEXT")


def serialize_quad(quad: Quad) -> str:
    from skillpass.jsonld.nquads import serialize_nquad

    return serialize_nquad(quad)


# -- skolemization (3.4.5 - 3.4.9) ------------------------------------------------------------

@dataclass(frozen=True)
class Skolemized:
    expanded: list[Any]
    compact: dict[str, Any]
    urn_prefix: str  # "urn:" + urnScheme; deskolemize with the same prefix


def skolemize_expanded_json_ld(expanded: list[Any], urn_prefix: str, random_string: str,
                               count: Iterator[int]) -> list[Any]:
    """3.4.7 skolemizeExpandedJsonLd: give every node object an IRI id."""
    skolemized: list[Any] = []
    for element in expanded:
        # 1. literals and value objects are copied as they are
        if not isinstance(element, dict) or "@value" in element:
            skolemized.append(json_copy(element))
            continue
        if "@list" in element:
            # the spec would give the list object an @id, which JSON-LD forbids (jsonld.js fails too)
            raise UnverifiableError(
                "ecdsa-sd-2023 cannot process an ordered JSON-LD list (@list) in the credential",
                "this credential (e.g. an Open Badges allowedValue list) cannot use selective "
                "disclosure; share it whole with another proof suite", code="E_SD_UNSUPPORTED_LIST")
        # 2. recurse into every property
        node = {prop: skolemize_expanded_json_ld(value, urn_prefix, random_string, count)
                if isinstance(value, list)
                else skolemize_expanded_json_ld([value], urn_prefix, random_string, count)[0]
                for prop, value in element.items()}
        # 3. name unnamed nodes; keep existing blank-node labels (they may be shared)
        if "@id" not in node:
            node["@id"] = f"{urn_prefix}_{random_string}_{next(count)}"
        elif isinstance(node["@id"], str) and node["@id"].startswith("_:"):
            node["@id"] = urn_prefix + node["@id"][2:]
        skolemized.append(node)
    return skolemized


def skolemize_compact_json_ld(document: dict[str, Any], store: ContextStore | None = None,
                              *, urn_scheme: str | None = None) -> Skolemized:
    """3.4.8 skolemizeCompactJsonLd: expanded and compact forms with every node named."""
    if not isinstance(document, dict) or "@context" not in document:
        raise BadInputError("the credential is not a compact JSON-LD document (no @context)",
                            code="E_JSONLD")
    prefix = "urn:" + (urn_scheme or f"skillpass-sd-{uuid.uuid4().hex}:")
    # 1. expand
    expanded = _pyld("expand", document, store)
    # 2. skolemize
    skolemized = skolemize_expanded_json_ld(expanded, prefix, uuid.uuid4().hex, itertools.count())
    # 3. compact again with the document's own context. The skolemized form is expanded
    #    already, and expanding it again (what compact() does first) gives it back unchanged:
    #    pyld is told so (its skipExpansion option) and gets a copy, as it would have made.
    compact = _pyld("compact", json_copy(skolemized), store, document["@context"],
                    skipExpansion=True)
    return Skolemized(skolemized, compact, prefix)


def deskolemize_quads(quads: list[Quad], urn_prefix: str) -> list[Quad]:
    """3.4.6 deskolemizeNQuads, on terms: skolem IRIs become blank nodes again."""
    return [{key: _deskolemize_term(term, urn_prefix) for key, term in quad.items()}
            for quad in quads]


def _deskolemize_term(term: dict[str, Any], urn_prefix: str) -> dict[str, Any]:
    if term.get("type") == "IRI" and term["value"].startswith(urn_prefix):
        return {"type": _BNODE, "value": "_:" + term["value"][len(urn_prefix):]}
    return term


def to_deskolemized_quads(document: Any, urn_prefix: str,
                          store: ContextStore | None = None) -> list[Quad]:
    """3.4.9 toDeskolemizedNQuads."""
    if document is None:
        return []
    return deskolemize_quads(to_quads(document, store), urn_prefix)


# -- canonicalization and label maps (3.4.1 - 3.4.4, 3.4.14) -----------------------------------

def canonical_id_map(quads: list[Quad]) -> dict[str, str]:
    """Run RDFC-1.0 and return its canonical issuer map: input label -> 'c14nN' (no '_:').

    Within the same work bound as rdf-canonize; past it, UnverifiableError E_CANON_LIMIT.
    """
    from skillpass.jsonld import rdfc10
    from skillpass.jsonld.canon import canon_limit_error

    try:
        return dict(rdfc10.canonicalize(_unique(quads)).issued_identifiers)
    except rdfc10.CanonicalizationLimitError:
        raise canon_limit_error() from None


def _unique(quads: list[Quad]) -> list[Quad]:
    # an RDF dataset is a set; rdf-canonize drops repeats when it parses N-Quads
    from skillpass.jsonld.nquads import unique_quads

    return unique_quads(quads)


def create_hmac_id_label_map_function(hmac_key: bytes) -> LabelMapFactory:
    """3.4.4 createHmacIdLabelMapFunction: label = 'u' + base64url(HMAC-SHA-256(key, c14nN))."""
    from skillpass.keys.multibase import b64url_encode

    def factory(canonical_ids: dict[str, str]) -> dict[str, str]:
        return {old: "u" + b64url_encode(_hmac_sha256(hmac_key, c14n.encode("utf-8")))
                for old, c14n in canonical_ids.items()}

    return factory


def _hmac_sha256(key: bytes, data: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes, hmac

    mac = hmac.HMAC(key, hashes.SHA256())
    mac.update(data)
    return mac.finalize()


def create_label_map_function(label_map: dict[str, str]) -> LabelMapFactory:
    """3.4.3 createLabelMapFunction: the verifier's labels come from the derived proof."""

    def factory(canonical_ids: dict[str, str]) -> dict[str, str]:
        missing = sorted(set(canonical_ids.values()) - set(label_map))
        if missing:
            raise InvalidError(f"the proof's label map has no label for blank node {missing[0]}",
                               "the disclosed credential was altered after it was derived",
                               code="E_SIG_INVALID")
        return {old: label_map[c14n] for old, c14n in canonical_ids.items()}

    return factory


def relabel_blank_nodes(quads: list[Quad], label_map: dict[str, str]) -> list[str]:
    """3.4.14 relabelBlankNodes, returning serialized N-Quads. Unknown labels stay as they are."""
    def relabel(term: dict[str, Any]) -> dict[str, Any]:
        if term.get("type") != _BNODE:
            return term
        label = term["value"][2:]
        return {"type": _BNODE, "value": "_:" + label_map.get(label, label)}

    return [serialize_quad({key: relabel(term) for key, term in quad.items()}) for quad in quads]


@dataclass(frozen=True)
class LabelReplaced:
    nquads: list[str]  # sorted, blank nodes relabelled
    label_map: dict[str, str]  # input label -> new label


def label_replacement_canonicalize_quads(quads: list[Quad],
                                         factory: LabelMapFactory) -> LabelReplaced:
    """3.4.1 labelReplacementCanonicalizeNQuads."""
    # 1. canonicalize, keeping the canonical id map
    unique = _unique(quads)
    canonical_ids = canonical_id_map(unique)
    # 2. new labels for the canonical ones
    label_map = factory(canonical_ids)
    # 3. relabelling the input with input -> new equals relabelling the canonical output
    #    with c14n -> new; sorted as JavaScript sorts (by UTF-16 code unit), as the signer did
    from skillpass.jsonld.nquads import js_sorted

    return LabelReplaced(js_sorted(relabel_blank_nodes(unique, label_map)), label_map)


def label_replacement_canonicalize_json_ld(document: dict[str, Any], factory: LabelMapFactory,
                                           store: ContextStore | None = None) -> LabelReplaced:
    """3.4.2 labelReplacementCanonicalizeJsonLd."""
    quads = to_quads(document, store, any_labels=True)  # canonicalized below
    check_no_label_lookalikes(quads)
    return label_replacement_canonicalize_quads(quads, factory)


# -- grouping (3.4.15 selectCanonicalNQuads, 3.4.16 canonicalizeAndGroup) -----------------------

@dataclass(frozen=True)
class Group:
    matching: dict[int, str]  # absolute index in the canonical N-Quads -> N-Quad
    non_matching: dict[int, str]
    deskolemized_quads: list[Quad]  # the selection's quads, before relabelling


@dataclass(frozen=True)
class CanonicalGroups:
    groups: dict[str, Group]
    skolemized: Skolemized
    deskolemized_quads: list[Quad]
    label_map: dict[str, str]
    nquads: list[str]


def select_canonical_nquads(skolemized: Skolemized, pointers: list[str], label_map: dict[str, str],
                            store: ContextStore | None = None) -> tuple[list[Quad], list[str]]:
    """3.4.15 selectCanonicalNQuads: (deskolemized quads, relabelled N-Quads) of the selection."""
    # 1. select on the skolemized compact document, so selected nodes keep their identity
    try:
        selection = select_json_ld(skolemized.compact, pointers)
    except BadInputError as exc:
        # the pointer may well resolve in the JSON as written: say why it does not here
        raise BadInputError(
            exc.message + " once compacted as JSON-LD",
            "in compact JSON-LD an object holding only an id becomes a plain string and a "
            "one-element list may become a single value; point at the enclosing field instead",
            code=exc.code) from None
    # 2. deskolemized quads of the selection
    quads = to_deskolemized_quads(selection, skolemized.urn_prefix, store)
    # 3. relabel with the document's label map
    return quads, relabel_blank_nodes(quads, label_map)


def canonicalize_and_group(document: dict[str, Any], factory: LabelMapFactory,
                           group_definitions: dict[str, list[str]],
                           store: ContextStore | None = None) -> CanonicalGroups:
    """3.4.16 canonicalizeAndGroup."""
    # 1. skolemize
    skolemized = skolemize_compact_json_ld(document, store)
    # 2. deskolemized quads of the whole document
    quads = to_deskolemized_quads(skolemized.expanded, skolemized.urn_prefix, store)
    check_no_label_lookalikes(quads)
    # 3. canonical N-Quads with replaced labels
    replaced = label_replacement_canonicalize_quads(quads, factory)
    # 4.-5. select each group and split the canonical N-Quads into matching / non-matching
    groups: dict[str, Group] = {}
    selections: dict[tuple[str, ...], tuple[list[Quad], list[str]]] = {}
    for name, pointers in group_definitions.items():
        key = tuple(pointers)  # e.g. "combined" equals "mandatory" when nothing else is chosen
        if key not in selections:
            selections[key] = select_canonical_nquads(skolemized, pointers, replaced.label_map,
                                                      store)
        selected_quads, selected = selections[key]
        chosen = set(selected)
        groups[name] = Group(
            {i: nq for i, nq in enumerate(replaced.nquads) if nq in chosen},
            {i: nq for i, nq in enumerate(replaced.nquads) if nq not in chosen},
            selected_quads)
    # 6.
    return CanonicalGroups(groups, skolemized, quads, replaced.label_map, replaced.nquads)


def hash_mandatory_nquads(mandatory: list[str]) -> bytes:
    """3.4.17 hashMandatoryNQuads (SHA-256, the P-256 signature hash)."""
    return hashlib.sha256("".join(mandatory).encode("utf-8")).digest()
