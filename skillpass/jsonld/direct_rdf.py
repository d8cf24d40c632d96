"""Expansion and toRdf in one walk, for credential-shaped JSON-LD (pyld 3.3.0, pinned).

pyld's toRdf expands the whole document into new JSON, flattens that into a node map, and
walks the node map to make triples: three passes and two trees a credential does not need,
about 60% of verifying an eddsa-rdfc-2022 presentation. Here one walk of the compact document
makes the quads RDFC-1.0 canonicalizes, following pyld's `_expand` / `_expand_object` step for
step and calling pyld itself for everything a context decides (context processing, type-scoped
and property-scoped contexts and their reverting, IRI and value expansion, literal forms). The
canonical N-Quads are the same: a dataset is a set of quads, and which blank node label each
node gets is no part of the canonical form.

Only the shapes credentials use are walked: node objects with @id, @type and properties whose
values are strings, numbers, booleans, node objects or arrays of them, under no container or
@set or @graph. Anything else (@list, @value, @language and @index objects, maps, @reverse,
@nest, @included, @json, @direction, blank node identifiers, a term no context defines, any
error) raises `Unusual` before a quad is returned, and the caller hands the document to pyld,
which gives its own result or its own error. What is worked out once per active context and
node shape (never per document) is in skillpass.jsonld.node_shapes.
"""

from __future__ import annotations

from typing import Any

from skillpass.errors import SkillpassError
from skillpass.jsonld.node_shapes import ID, TYPE, Plan, Shapes, Unusual
from skillpass.jsonld.nquads import BLANK, RDF_LANG_STRING, XSD_STRING, Quad, term_text
from skillpass.jsonld.rdfc10 import TermQuad

__all__ = ["Unusual", "to_pyld_quads", "to_quads"]

# a term as skillpass.jsonld.rdfc10.canonicalize_terms takes it (a node or literal: (its N-Quads
# text, None); a blank node: ("", its label); a predicate: (its N-Quads text, its IRI)), or as
# pyld's toRdf makes it (a dict)
Term = Any

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_DOUBLE = "http://www.w3.org/2001/XMLSchema#double"
_TYPE_DICT: dict[str, str] = {"type": "IRI", "value": RDF_TYPE}
_TYPE_TERM = (term_text(_TYPE_DICT), RDF_TYPE)


def to_quads(processor: Any, document: dict[str, Any],
             options: dict[str, Any]) -> list[TermQuad] | None:
    """The quads pyld's to_rdf(document, options) makes (labels aside, repeats possible), as
    terms; None to ask pyld."""
    return _walked(processor, document, options, as_dicts=False, blank_nodes=True)


def to_pyld_quads(processor: Any, document: Any, options: dict[str, Any], *,
                  blank_nodes: bool) -> list[Quad] | None:
    """The quads of pyld's to_rdf(document, options), flattened, as pyld's terms (a dict each);
    None to ask pyld. With `blank_nodes` False, a document with any blank node goes to pyld too:
    pyld labels them _:b0, _:b1... in its own order, which the walk does not reproduce."""
    return _walked(processor, document, options, as_dicts=True, blank_nodes=blank_nodes)


def _walked(processor: Any, document: Any, options: dict[str, Any], *, as_dicts: bool,
            blank_nodes: bool) -> Any:
    from skillpass.jsonld import pyld_offline

    jsonld = pyld_offline.jsonld()
    try:
        if not isinstance(document, dict):
            raise Unusual("not a JSON object")
        walk = _Walk(jsonld, processor, _expand_options(jsonld, options), as_dicts, blank_nodes)
        active_ctx = processor._get_initial_context(walk.options)
        walk.node(active_ctx, None, document, None)
    except SkillpassError:  # the context store's own answer (an unknown context...): pyld would say the same
        raise
    except Exception:  # noqa: BLE001 -- pyld will say what is wrong, or do it its way
        return None
    return walk.quads


def _expand_options(jsonld: Any, options: dict[str, Any]) -> dict[str, Any]:
    """The options pyld's expand sees when called from to_rdf with `options`."""
    options = dict(options)
    options.setdefault("base", "")
    options.setdefault("produceGeneralizedRdf", False)
    options.setdefault("documentLoader", jsonld._default_document_loader)
    if "contextResolver" not in options:
        raise Unusual("no context resolver")
    options.setdefault("extractAllScripts", True)
    options.setdefault("processingMode", "json-ld-1.1")
    options.setdefault("isFrame", False)
    options.setdefault("keepFreeFloatingNodes", False)
    if options["isFrame"] or options["keepFreeFloatingNodes"] or options["produceGeneralizedRdf"]:
        raise Unusual("framing or generalized RDF")
    if "expandContext" in options:
        raise Unusual("an expand context")
    # rdfDirection only changes the literals of values with a @direction, left to pyld here
    if options.get("rdfDirection") not in (None, "i18n-datatype", "compound-literal"):
        raise Unusual("an unknown rdfDirection")
    return options


class _Walk:
    __slots__ = ("p", "options", "base", "quads", "blank_nodes", "expand_iri", "shapes",
                 "as_dicts", "blanks_allowed")

    def __init__(self, jsonld: Any, processor: Any, options: dict[str, Any], as_dicts: bool,
                 blanks_allowed: bool) -> None:
        self.p, self.options = processor, options
        # the terms made: pyld's dicts, or (text, label) pairs for rdfc10.canonicalize_terms
        self.as_dicts, self.blanks_allowed = as_dicts, blanks_allowed
        self.base = options.get("base", "")
        self.quads: list[Any] = []
        self.blank_nodes = 0
        self.expand_iri = processor._expand_iri
        self.shapes = Shapes(jsonld, processor, options)

    def blank(self) -> Any:
        if not self.blanks_allowed:
            raise Unusual("a blank node, whose label pyld would choose")
        self.blank_nodes += 1
        if self.as_dicts:
            return {"type": BLANK, "value": f"_:d{self.blank_nodes}"}
        return ("", f"d{self.blank_nodes}")

    def iri(self, value: Any) -> Any:
        """An expanded @id or @type as an RDF term; None for a relative IRI."""
        checked = self.shapes.checked_iri(value)
        return None if checked is None else self.iri_term(checked)

    def iri_term(self, value: str) -> Any:
        term = {"type": "IRI", "value": value}
        return term if self.as_dicts else (term_text(term), None)

    def literal(self, term: dict[str, Any]) -> Any:
        if term.get("type") != "literal":
            raise Unusual("not a literal")
        return term if self.as_dicts else (term_text(term), None)

    # -- _expand for an object (pyld's steps, in its order) ------------------------------------

    def node(self, active_ctx: Any, active_property: str | None, element: dict[str, Any],
             graph: Term | None) -> Term | None:
        """Walk a node object; its subject term (None when its @id is relative)."""
        shape = self.shapes.shape(active_ctx, active_property, element)
        subject_id: str | None = None
        for key, role in shape.entries:
            if role is ID:
                value = element[key]
                if type(value) is not str:
                    raise Unusual("an @id that is not text")
                subject_id = self.expand_iri(shape.active_ctx, value, base=self.base)
                if type(subject_id) is not str:
                    raise Unusual("an @id pyld does not expand")
        subject = self.blank() if subject_id is None else self.iri(subject_id)
        for key, role in shape.entries:
            if role is ID:
                continue
            if role is TYPE:
                if subject is not None:
                    predicate = _TYPE_DICT if self.as_dicts else _TYPE_TERM
                    for iri in shape.types[key]:
                        if iri is not None:
                            self.emit(subject, predicate, self.iri_term(iri), graph)
                continue
            predicate = role.predicate_dict if self.as_dicts else role.predicate
            for obj in self._values(role, key, element[key], graph):
                if subject is not None and obj is not None:
                    self.emit(subject, predicate, obj, graph)
        return subject

    def _values(self, plan: Plan, key: str, value: Any, graph: Term | None) -> list[Term | None]:
        """The objects of `key`'s triples, children walked (pyld's _expand of the value)."""
        if value is None:
            return []
        if isinstance(value, list):
            return [obj for item in value for obj in self._values(plan, key, item, graph)]
        if plan.graph_container:
            # {"@graph": [value]}: a blank node named graph holding whatever value makes
            named = self.blank()
            self._value(plan, key, value, named)
            return [named]
        return [self._value(plan, key, value, graph)]

    def _value(self, plan: Plan, key: str, value: Any, graph: Term | None) -> Term | None:
        if isinstance(value, dict):
            return self.node(plan.term_ctx, key, value, graph)
        type_ = plan.type_
        if type(value) is str and type_ != XSD_DOUBLE:
            # _expand_value then _object_to_rdf, for a string
            if type_ == "@id":
                return self.iri(self.expand_iri(plan.term_ctx, value, base=self.base))
            if type_ == "@vocab":
                return self.iri(self.expand_iri(plan.term_ctx, value, vocab=True,
                                                base=self.base))
            if type_ is not None and type_ != "@none":
                return self.literal({"type": "literal", "value": value, "datatype": type_})
            if plan.language is not None:
                return self.literal({"type": "literal", "value": value,
                                     "datatype": RDF_LANG_STRING, "language": plan.language})
            return self.literal({"type": "literal", "value": value, "datatype": XSD_STRING})
        expanded = self.p._expand_value(plan.term_ctx, key, value, self.options)
        if type(expanded) is not dict:
            raise Unusual("a keyword's value")
        if "@id" in expanded:
            return self.iri(expanded["@id"])
        if "@direction" in expanded or "@value" not in expanded or expanded.get("@type") == "@json":
            raise Unusual("a direction or an odd value")
        return self.literal(self.p._object_to_rdf(expanded, None, None, self.options))

    def emit(self, subject: Term, predicate: Term, obj: Term, graph: Term | None) -> None:
        if self.as_dicts:
            quad = {"subject": subject, "predicate": predicate, "object": obj}
            if graph is not None:
                quad["name"] = graph
            self.quads.append(quad)
        else:
            self.quads.append((subject, predicate, obj) if graph is None
                              else (subject, predicate, obj, graph))
