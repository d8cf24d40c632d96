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

from skillpass.jsonld.json_copy import json_copy
from skillpass.jsonld.nquads import BLANK, RDF_LANG_STRING, XSD_STRING, Quad, term_text
from skillpass.jsonld.rdfc10 import TermQuad

# a term as skillpass.jsonld.rdfc10.canonicalize_terms takes it (a node or literal: (its N-Quads
# text, None); a blank node: ("", its label); a predicate: (its N-Quads text, its IRI)), or as
# pyld's toRdf makes it (a dict)
Term = Any

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_DOUBLE = "http://www.w3.org/2001/XMLSchema#double"
_TYPE_DICT: dict[str, str] = {"type": "IRI", "value": RDF_TYPE}
_TYPE_TERM = (term_text(_TYPE_DICT), RDF_TYPE)
# containers walked here: none, @set, @graph (a blank node graph per value), both
_PLAIN_CONTAINERS = frozenset({"@set", "@graph"})


class Unusual(Exception):
    """A shape this walk leaves to pyld."""


_MEMO_SIZE = 4096


class _Memo:
    """Processed contexts and term plans, by the identity of what pyld computed them from.

    An active context pyld returns is never changed afterwards, and neither is a context a term
    definition carries; each entry holds those objects (and the store's resolved-context
    cache), so no id in a key can be reused while the entry lives. Contexts embedded in the
    document are never keys: only URLs (text) are. Bounded; cleared when full.
    """

    def __init__(self) -> None:
        self.entries: dict[tuple[Any, ...], tuple[Any, ...]] = {}

    def get(self, key: tuple[Any, ...]) -> Any:
        entry = self.entries.get(key)
        return None if entry is None else entry[-1]

    def put(self, key: tuple[Any, ...], holds: tuple[Any, ...], value: Any) -> Any:
        if len(self.entries) >= _MEMO_SIZE:
            self.entries.clear()
        self.entries[key] = (*holds, value)
        return value


_MEMO = _Memo()


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


class _Plan:
    """What the active context says about one property, as _expand_object and _expand use it."""

    __slots__ = ("predicate", "predicate_dict", "term_ctx", "graph_container", "type_",
                 "language")

    def __init__(self, iri: str, term_ctx: Any, graph_container: bool, type_: Any,
                 language: Any) -> None:
        self.predicate_dict = {"type": "IRI", "value": iri}
        self.predicate = (term_text(self.predicate_dict), iri)
        self.term_ctx, self.graph_container = term_ctx, graph_container
        self.type_, self.language = type_, language


class _Contexts:
    """A node's active context before its type-scoped contexts, and its keys that are @type."""

    __slots__ = ("active_ctx", "type_keys")

    def __init__(self, active_ctx: Any, type_keys: tuple[str, ...]) -> None:
        self.active_ctx, self.type_keys = active_ctx, type_keys


class _Shape:
    """How a node object of one shape is walked: each key's role (_ID, _TYPE or a _Plan) and
    its @type keys' objects, worked out once."""

    __slots__ = ("active_ctx", "entries", "types")

    def __init__(self, active_ctx: Any, entries: list[tuple[str, Any]],
                 types: dict[str, list[str | None]]) -> None:
        self.active_ctx, self.entries, self.types = active_ctx, entries, types


_ID, _TYPE = object(), object()


class _Walk:
    __slots__ = ("p", "options", "base", "quads", "blank_nodes", "value_of", "expand_iri",
                 "absolute", "store", "env", "as_dicts", "blanks_allowed")

    def __init__(self, jsonld: Any, processor: Any, options: dict[str, Any], as_dicts: bool,
                 blanks_allowed: bool) -> None:
        self.p, self.options = processor, options
        # the terms made: pyld's dicts, or (text, label) pairs for rdfc10.canonicalize_terms
        self.as_dicts, self.blanks_allowed = as_dicts, blanks_allowed
        self.base = options.get("base", "")
        self.quads: list[Any] = []
        self.blank_nodes = 0
        self.value_of = jsonld.JsonLdProcessor.get_context_value
        self.expand_iri = processor._expand_iri
        self.absolute = jsonld._is_absolute_iri
        # what else context processing depends on: the store (its loader and resolved-context
        # cache), the base and the processing mode
        self.store = options["contextResolver"].shared_cache
        self.env = (id(self.store), self.base, options.get("processingMode"))

    def blank(self) -> Any:
        if not self.blanks_allowed:
            raise Unusual("a blank node, whose label pyld would choose")
        self.blank_nodes += 1
        if self.as_dicts:
            return {"type": BLANK, "value": f"_:d{self.blank_nodes}"}
        return ("", f"d{self.blank_nodes}")

    def checked_iri(self, value: Any) -> str | None:
        """An expanded @id or @type; None for a relative IRI (toRdf drops it)."""
        if type(value) is not str or value.startswith("_:"):
            raise Unusual("a blank node identifier or no IRI")
        return value if self.absolute(value) else None

    def iri(self, value: Any) -> Any:
        """An expanded @id or @type as an RDF term; None for a relative IRI."""
        checked = self.checked_iri(value)
        return None if checked is None else self.iri_term(checked)

    def iri_term(self, value: str) -> Any:
        term = {"type": "IRI", "value": value}
        return term if self.as_dicts else (term_text(term), None)

    def literal(self, term: dict[str, Any]) -> Any:
        if term.get("type") != "literal":
            raise Unusual("not a literal")
        return term if self.as_dicts else (term_text(term), None)

    def process(self, active_ctx: Any, local_ctx: Any, local_key: Any, *,
                override_protected: bool = False, propagate: bool = True) -> Any:
        """pyld's _process_context, remembered for a local context named by `local_key`."""
        key = ("ctx", *self.env, id(active_ctx), local_key, override_protected, propagate)
        processed = _MEMO.get(key)
        if processed is None:
            processed = self.p._process_context(active_ctx, local_ctx, self.options,
                                                override_protected=override_protected,
                                                propagate=propagate)
            _MEMO.put(key, (self.store, active_ctx, local_ctx), processed)
        return processed

    # -- _expand for an object (pyld's steps, in its order) ------------------------------------

    def node(self, active_ctx: Any, active_property: str | None, element: dict[str, Any],
             graph: Term | None) -> Term | None:
        """Walk a node object; its subject term (None when its @id is relative)."""
        shape = self._shape(active_ctx, active_property, element)
        subject_id: str | None = None
        for key, role in shape.entries:
            if role is _ID:
                value = element[key]
                if type(value) is not str:
                    raise Unusual("an @id that is not text")
                subject_id = self.expand_iri(shape.active_ctx, value, base=self.base)
                if type(subject_id) is not str:
                    raise Unusual("an @id pyld does not expand")
        subject = self.blank() if subject_id is None else self.iri(subject_id)
        for key, role in shape.entries:
            if role is _ID:
                continue
            if role is _TYPE:
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

    def _shape(self, active_ctx: Any, active_property: str | None,
               element: dict[str, Any]) -> _Shape:
        """How `element` is walked, remembered for its keys, context URLs and types."""
        keys = tuple(element)
        urls: Any = ()
        if "@context" in element:
            urls = _urls(element["@context"])
            if urls is None:  # an embedded context: worked out every time
                return self._typed_shape(self._contexts(active_ctx, active_property, element),
                                         element)
        first_key = ("shape", *self.env, id(active_ctx), active_property, keys, urls)
        first: _Contexts | None = _MEMO.get(first_key)
        if first is None:
            first = _MEMO.put(first_key, (self.store, active_ctx),
                              self._contexts(active_ctx, active_property, element))
        types = tuple(_texts(element[key]) for key in first.type_keys)
        typed_key = ("typed", id(first), types)
        shape: _Shape | None = _MEMO.get(typed_key)
        if shape is None:
            shape = _MEMO.put(typed_key, (first,), self._typed_shape(first, element))
        return shape

    def _contexts(self, active_ctx: Any, active_property: str | None,
                  element: dict[str, Any]) -> _Contexts:
        """_expand's steps before the type-scoped contexts, and the keys that are @type."""
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
            active_ctx = self.p._revert_to_previous_context(active_ctx)
        if property_scoped_ctx is not None:
            active_ctx = self.process(active_ctx, property_scoped_ctx, id(property_scoped_ctx),
                                      override_protected=True)
        # _prepare_nested_context: the node's own context, then the keys that are @type
        if "@context" in element:
            local_ctx = element["@context"]
            urls = _urls(local_ctx)
            if urls is not None:
                active_ctx = self.process(active_ctx, local_ctx, urls)
            elif isinstance(local_ctx, dict) and len(local_ctx) == 1 and "@context" in local_ctx:
                raise Unusual("a keyword redefinition")
            else:
                # embedded: on a copy, as pyld's expand copies the document: pyld keeps the
                # processed context, and with it the scoped contexts inside, which the caller
                # may change afterwards
                active_ctx = self.p._process_context(active_ctx, json_copy(local_ctx),
                                                     self.options)
        type_keys = tuple(sorted(key for key in element
                                 if self.expand_iri(active_ctx, key, vocab=True) == "@type"))
        return _Contexts(active_ctx, type_keys)

    def _typed_shape(self, first: _Contexts, element: dict[str, Any]) -> _Shape:
        """The type-scoped contexts applied, then the role of each of the node's keys."""
        type_scoped_ctx = active_ctx = first.active_ctx
        for key in first.type_keys:
            for type_ in sorted(_texts(element[key])):
                ctx = self.value_of(type_scoped_ctx, type_, "@context")
                if ctx is not None and ctx is not False:
                    active_ctx = self.process(active_ctx, ctx, id(ctx), propagate=False)
        if first.type_keys:
            value = element[first.type_keys[0]]
            head = value[0] if value and isinstance(value, list) else value
            if type(head) is not str or self.expand_iri(active_ctx, head, vocab=True) == "@json":
                raise Unusual("@json or an odd @type")
        entries: list[tuple[str, Any]] = []
        types: dict[str, list[str | None]] = {}
        for key in element:
            if key == "@context":
                continue
            expanded = self.expand_iri(active_ctx, key, vocab=True)
            if type(expanded) is not str:
                raise Unusual("a dropped term")
            if expanded == "@id":
                if any(role is _ID for _, role in entries):
                    raise Unusual("colliding keywords")
                entries.append((key, _ID))
            elif expanded == "@type":
                if key not in first.type_keys:
                    raise Unusual("a key that is @type only in a type-scoped context")
                types[key] = [self.checked_iri(t)
                              for t in self._types(type_scoped_ctx, element[key])]
                entries.append((key, _TYPE))
            else:
                entries.append((key, self._plan(active_ctx, key, expanded)))
        return _Shape(active_ctx, entries, types)

    def _types(self, type_scoped_ctx: Any, value: Any) -> list[str]:
        values = value if isinstance(value, list) else [value]
        if not all(type(v) is str for v in values):
            raise Unusual("an @type that is not strings")
        return [self.expand_iri(type_scoped_ctx, v, vocab=True, base=self.base) for v in values]

    def _plan(self, active_ctx: Any, key: str, expanded: str) -> _Plan:
        memo_key = ("plan", *self.env, id(active_ctx), key)
        plan: _Plan | None = _MEMO.get(memo_key)
        if plan is None:
            plan = _MEMO.put(memo_key, (self.store, active_ctx),
                             self._new_plan(active_ctx, key, expanded))
        return plan

    def _new_plan(self, active_ctx: Any, key: str, expanded: str) -> _Plan:
        if expanded[:1] == "@" or expanded.startswith("_:") or not self.absolute(expanded):
            raise Unusual("a keyword, a blank node predicate or a dropped term")
        value_of = self.value_of
        term_ctx = active_ctx
        scoped = value_of(active_ctx, key, "@context")
        if scoped is not None:
            term_ctx = self.process(active_ctx, scoped, id(scoped), propagate=True,
                                    override_protected=True)
        container = _listed(value_of(active_ctx, key, "@container"))
        inner = _listed(value_of(term_ctx, key, "@container"))  # the one _expand of an array reads
        if not _PLAIN_CONTAINERS.issuperset(container) or not _PLAIN_CONTAINERS.issuperset(inner):
            raise Unusual("a container other than @set and @graph")
        if value_of(active_ctx, key, "@type") == "@json":
            raise Unusual("@json")
        for ctx in (active_ctx, term_ctx):
            mapping = ctx["mappings"].get(key)
            if mapping and mapping.get("reverse"):
                raise Unusual("@reverse")
        # _expand and _expand_value of the values read the term in term_ctx
        inner_expanded = self.expand_iri(term_ctx, key, vocab=True)
        if type(inner_expanded) is not str or inner_expanded[:1] == "@":
            raise Unusual("a term that is a keyword in its own scoped context")
        if value_of(term_ctx, key, "@direction") is not None:
            raise Unusual("@direction")
        return _Plan(expanded, term_ctx, "@graph" in container,
                     value_of(term_ctx, key, "@type"), value_of(term_ctx, key, "@language"))

    def _values(self, plan: _Plan, key: str, value: Any, graph: Term | None) -> list[Term | None]:
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

    def _value(self, plan: _Plan, key: str, value: Any, graph: Term | None) -> Term | None:
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


def _listed(container: Any) -> list[Any]:
    if container is None:
        return []
    return container if isinstance(container, list) else [container]


def _texts(value: Any) -> tuple[str, ...]:
    """An @type value's strings (a key for what the type-scoped contexts depend on)."""
    values = value if isinstance(value, list) else [value]
    if not all(type(v) is str for v in values):
        raise Unusual("an @type that is not strings")
    return tuple(values)


def _urls(local_ctx: Any) -> Any:
    """A key for a context given as URLs (text, compared by value); None for anything else."""
    if type(local_ctx) is str:
        return ("urls", local_ctx)
    if type(local_ctx) is list and all(type(c) is str for c in local_ctx):
        return ("urls", *local_ctx)
    return None
