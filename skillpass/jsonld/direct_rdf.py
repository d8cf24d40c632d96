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
which gives its own result or its own error. Nothing is kept between calls.
"""

from __future__ import annotations

from typing import Any

from skillpass.jsonld.nquads import BLANK, Quad, Term

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_TYPE_TERM: Term = {"type": "IRI", "value": RDF_TYPE}
# containers walked here: none, @set, @graph (a blank node graph per value), both
_PLAIN_CONTAINERS = frozenset({"@set", "@graph"})


class Unusual(Exception):
    """A shape this walk leaves to pyld."""


def to_quads(processor: Any, document: dict[str, Any], options: dict[str, Any]) -> list[Quad] | None:
    """The quads pyld's to_rdf(document, options) makes (labels aside); None to ask pyld."""
    from skillpass.jsonld import pyld_offline

    jsonld = pyld_offline.jsonld()
    try:
        walk = _Walk(jsonld, processor, _expand_options(jsonld, options))
        active_ctx = processor._get_initial_context(walk.options)
        walk.node(active_ctx, None, document, None)
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
    if "expandContext" in options or options.get("rdfDirection"):
        raise Unusual("an expand context or an rdfDirection")
    return options


class _Walk:
    __slots__ = ("jsonld", "p", "options", "base", "quads", "blank_nodes", "value_of",
                 "expand_iri", "absolute")

    def __init__(self, jsonld: Any, processor: Any, options: dict[str, Any]) -> None:
        self.jsonld, self.p, self.options = jsonld, processor, options
        self.base = options.get("base", "")
        self.quads: list[Quad] = []
        self.blank_nodes = 0
        self.value_of = jsonld.JsonLdProcessor.get_context_value
        self.expand_iri = processor._expand_iri
        self.absolute = jsonld._is_absolute_iri

    def blank(self) -> Term:
        self.blank_nodes += 1
        return {"type": BLANK, "value": f"_:d{self.blank_nodes}"}

    def iri(self, value: Any) -> Term | None:
        """An expanded @id or @type as an RDF term; None for a relative IRI (toRdf drops it)."""
        if type(value) is not str or value.startswith("_:"):
            raise Unusual("a blank node identifier or no IRI")
        return {"type": "IRI", "value": value} if self.absolute(value) else None

    # -- _expand for an object (pyld's steps, in its order) ------------------------------------

    def node(self, active_ctx: Any, active_property: str | None, element: dict[str, Any],
             graph: Term | None) -> Term | None:
        """Walk a node object; its subject term (None when its @id is relative)."""
        p, options = self.p, self.options
        property_scoped_ctx = self.value_of(active_ctx, active_property, "@context")
        # revert a type-scoped context unless element is a subject reference (a value object
        # is left to pyld)
        type_scoped_ctx = active_ctx if active_ctx.get("previousContext") else None
        must_revert = True
        if type_scoped_ctx and len(element) <= 2 and "@context" not in element:
            for key in element:
                expanded = self.expand_iri(type_scoped_ctx, key, vocab=True)
                if expanded == "@value":
                    raise Unusual("a value object")
                if expanded == "@id" and len(element) == 1:
                    must_revert = False
        if must_revert:
            active_ctx = p._revert_to_previous_context(active_ctx)
        if property_scoped_ctx is not None:
            active_ctx = p._process_context(active_ctx, property_scoped_ctx, options,
                                            override_protected=True)
        active_ctx, type_key, type_scoped_ctx = p._prepare_nested_context(
            active_ctx, element, options)
        if type_key in element:
            first = element[type_key]
            if first and isinstance(first, list):
                first = first[0]
            if type(first) is not str or self.expand_iri(active_ctx, first, vocab=True) == "@json":
                raise Unusual("@json or an odd @type")
        return self._node_entries(active_ctx, type_scoped_ctx, element, graph)

    def _node_entries(self, active_ctx: Any, type_scoped_ctx: Any, element: dict[str, Any],
                      graph: Term | None) -> Term | None:
        """_expand_object's keys, then the node's triples as the node map would make them."""
        subject_id: str | None = None
        types: list[str] = []
        properties: list[tuple[str, str, Any]] = []
        for key, value in element.items():
            if key == "@context":
                continue
            expanded = self.expand_iri(active_ctx, key, vocab=True)
            if type(expanded) is not str:
                raise Unusual("a dropped term")
            if expanded == "@id":
                if subject_id is not None or type(value) is not str:
                    raise Unusual("colliding or odd @id")
                subject_id = self.expand_iri(active_ctx, value, base=self.base)
                if type(subject_id) is not str:
                    raise Unusual("an @id pyld does not expand")
            elif expanded == "@type":
                types.extend(self._types(type_scoped_ctx, value))
            elif expanded[:1] == "@" or expanded.startswith("_:") or not self.absolute(expanded):
                raise Unusual("a keyword, a blank node predicate or a dropped term")
            else:
                properties.append((key, expanded, value))
        subject = self.blank() if subject_id is None else self.iri(subject_id)
        for type_ in types:
            obj = self.iri(type_)
            if subject is not None and obj is not None:
                self.emit(subject, _TYPE_TERM, obj, graph)
        for key, expanded, value in properties:
            self._property(active_ctx, subject, key, expanded, value, graph)
        return subject

    def _types(self, type_scoped_ctx: Any, value: Any) -> list[str]:
        values = value if isinstance(value, list) else [value]
        if not all(type(v) is str for v in values):
            raise Unusual("an @type that is not strings")
        return [self.expand_iri(type_scoped_ctx, v, vocab=True, base=self.base) for v in values]

    def _property(self, active_ctx: Any, subject: Term | None, key: str, expanded: str,
                  value: Any, graph: Term | None) -> None:
        mapping = active_ctx["mappings"].get(key)
        term_ctx = active_ctx
        scoped = self.value_of(active_ctx, key, "@context")
        if scoped is not None:
            term_ctx = self.p._process_context(active_ctx, scoped, self.options, propagate=True,
                                               override_protected=True)
        container = self.value_of(active_ctx, key, "@container") or []
        container = container if isinstance(container, list) else [container]
        inner = self.value_of(term_ctx, key, "@container") or []  # the one arrays use
        inner = inner if isinstance(inner, list) else [inner]
        if not _PLAIN_CONTAINERS.issuperset(container) or not _PLAIN_CONTAINERS.issuperset(inner):
            raise Unusual("a container other than @set and @graph")
        if self.value_of(active_ctx, key, "@type") == "@json":
            raise Unusual("@json")
        term_mapping = term_ctx["mappings"].get(key)
        if (mapping and mapping.get("reverse")) or (term_mapping and term_mapping.get("reverse")):
            raise Unusual("@reverse")
        predicate: Term = {"type": "IRI", "value": expanded}
        for obj in self._values(term_ctx, key, value, graph, "@graph" in container):
            if subject is not None and obj is not None:
                self.emit(subject, predicate, obj, graph)

    def _values(self, active_ctx: Any, key: str, value: Any, graph: Term | None,
                graph_container: bool) -> list[Term | None]:
        """The objects of `key`'s triples, children walked (pyld's _expand of the value)."""
        if value is None:
            return []
        if isinstance(value, list):
            return [obj for item in value
                    for obj in self._values(active_ctx, key, item, graph, graph_container)]
        if graph_container:
            # {"@graph": [value]}: a blank node named graph holding whatever value makes
            named = self.blank()
            self._value(active_ctx, key, value, named)
            return [named]
        return [self._value(active_ctx, key, value, graph)]

    def _value(self, active_ctx: Any, key: str, value: Any, graph: Term | None) -> Term | None:
        if isinstance(value, dict):
            return self.node(active_ctx, key, value, graph)
        expanded = self.p._expand_value(active_ctx, key, value, self.options)
        if type(expanded) is not dict:
            raise Unusual("a keyword's value")
        if "@id" in expanded:
            return self.iri(expanded["@id"])
        if "@direction" in expanded or "@value" not in expanded or expanded.get("@type") == "@json":
            raise Unusual("a direction or an odd value")
        literal: Term = self.p._object_to_rdf(expanded, None, None, self.options)
        return literal

    def emit(self, subject: Term, predicate: Term, obj: Term, graph: Term | None) -> None:
        quad: Quad = {"subject": subject, "predicate": predicate, "object": obj}
        if graph is not None:
            quad["name"] = graph
        self.quads.append(quad)
