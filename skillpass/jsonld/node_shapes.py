"""What skillpass.jsonld.direct_rdf's walk works out once, not once per node: pyld's processed
contexts, each property's plan and each node shape's (its keys' roles, its type-scoped
contexts, its @type objects).

Remembered by the identity of what pyld computed them from: an active context pyld returns is
never changed afterwards, and neither is a context a term definition carries; each entry holds
those objects (and the store's resolved-context cache), so no id in a key can be reused while
the entry lives. A node shape's key is its active context, its keys, its context URLs (text)
and its @type values (text): never a value the statements are made of, so a changed document is
worked out again. Contexts embedded in a document go to pyld as a copy and are never a key.
Bounded; cleared when full.
"""

from __future__ import annotations

from typing import Any

from skillpass.jsonld.json_copy import json_copy
from skillpass.jsonld.nquads import term_text

# containers walked: none, @set, @graph (a blank node graph per value), both
PLAIN_CONTAINERS = frozenset({"@set", "@graph"})


class Unusual(Exception):
    """A shape this walk leaves to pyld."""


_MEMO_SIZE = 4096


class Memo:
    """Entries (what they hold alive, the value) by key; see the module docstring."""

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


MEMO = Memo()


class Plan:
    """What the active context says about one property, as _expand_object and _expand use it."""

    __slots__ = ("predicate", "predicate_dict", "term_ctx", "graph_container", "type_",
                 "language")

    def __init__(self, iri: str, term_ctx: Any, graph_container: bool, type_: Any,
                 language: Any) -> None:
        self.predicate_dict = {"type": "IRI", "value": iri}
        self.predicate = (term_text(self.predicate_dict), iri)
        self.term_ctx, self.graph_container = term_ctx, graph_container
        self.type_, self.language = type_, language


class Contexts:
    """A node's active context before its type-scoped contexts, and its keys that are @type."""

    __slots__ = ("active_ctx", "type_keys")

    def __init__(self, active_ctx: Any, type_keys: tuple[str, ...]) -> None:
        self.active_ctx, self.type_keys = active_ctx, type_keys


class Shape:
    """How a node object of one shape is walked: each key's role (ID, TYPE or a Plan) and
    its @type keys' objects, worked out once."""

    __slots__ = ("active_ctx", "entries", "types")

    def __init__(self, active_ctx: Any, entries: list[tuple[str, Any]],
                 types: dict[str, list[str | None]]) -> None:
        self.active_ctx, self.entries, self.types = active_ctx, entries, types


ID, TYPE = object(), object()


class Shapes:
    """pyld's context steps for one walk (one processor, one set of options), remembered."""

    __slots__ = ("p", "options", "base", "value_of", "expand_iri", "absolute", "store", "env")

    def __init__(self, jsonld: Any, processor: Any, options: dict[str, Any]) -> None:
        self.p, self.options = processor, options
        self.base = options.get("base", "")
        self.value_of = jsonld.JsonLdProcessor.get_context_value
        self.expand_iri = processor._expand_iri
        self.absolute = jsonld._is_absolute_iri
        # what else context processing depends on: the store (its loader and resolved-context
        # cache), the base and the processing mode
        self.store = options["contextResolver"].shared_cache
        self.env = (id(self.store), self.base, options.get("processingMode"))

    def checked_iri(self, value: Any) -> str | None:
        """An expanded @id or @type; None for a relative IRI (toRdf drops it)."""
        if type(value) is not str or value.startswith("_:"):
            raise Unusual("a blank node identifier or no IRI")
        return value if self.absolute(value) else None

    def process(self, active_ctx: Any, local_ctx: Any, local_key: Any, *,
                override_protected: bool = False, propagate: bool = True) -> Any:
        """pyld's _process_context, remembered for a local context named by `local_key`."""
        key = ("ctx", *self.env, id(active_ctx), local_key, override_protected, propagate)
        processed = MEMO.get(key)
        if processed is None:
            processed = self.p._process_context(active_ctx, local_ctx, self.options,
                                                override_protected=override_protected,
                                                propagate=propagate)
            MEMO.put(key, (self.store, active_ctx, local_ctx), processed)
        return processed

    def shape(self, active_ctx: Any, active_property: str | None,
              element: dict[str, Any]) -> Shape:
        """How `element` is walked, remembered for its keys, context URLs and types."""
        keys = tuple(element)
        urls: Any = ()
        if "@context" in element:
            urls = _urls(element["@context"])
            if urls is None:  # an embedded context: worked out every time
                return self._typed_shape(self._contexts(active_ctx, active_property, element),
                                         element)
        first_key = ("shape", *self.env, id(active_ctx), active_property, keys, urls)
        first: Contexts | None = MEMO.get(first_key)
        if first is None:
            first = MEMO.put(first_key, (self.store, active_ctx),
                              self._contexts(active_ctx, active_property, element))
        types = tuple(_texts(element[key]) for key in first.type_keys)
        typed_key = ("typed", id(first), types)
        shape: Shape | None = MEMO.get(typed_key)
        if shape is None:
            shape = MEMO.put(typed_key, (first,), self._typed_shape(first, element))
        return shape

    def _contexts(self, active_ctx: Any, active_property: str | None,
                  element: dict[str, Any]) -> Contexts:
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
        return Contexts(active_ctx, type_keys)

    def _typed_shape(self, first: Contexts, element: dict[str, Any]) -> Shape:
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
                if any(role is ID for _, role in entries):
                    raise Unusual("colliding keywords")
                entries.append((key, ID))
            elif expanded == "@type":
                if key not in first.type_keys:
                    raise Unusual("a key that is @type only in a type-scoped context")
                types[key] = [self.checked_iri(t)
                              for t in self._types(type_scoped_ctx, element[key])]
                entries.append((key, TYPE))
            else:
                entries.append((key, self.plan(active_ctx, key, expanded)))
        return Shape(active_ctx, entries, types)

    def _types(self, type_scoped_ctx: Any, value: Any) -> list[str]:
        values = value if isinstance(value, list) else [value]
        if not all(type(v) is str for v in values):
            raise Unusual("an @type that is not strings")
        return [self.expand_iri(type_scoped_ctx, v, vocab=True, base=self.base) for v in values]

    def plan(self, active_ctx: Any, key: str, expanded: str) -> Plan:
        memo_key = ("plan", *self.env, id(active_ctx), key)
        plan: Plan | None = MEMO.get(memo_key)
        if plan is None:
            plan = MEMO.put(memo_key, (self.store, active_ctx),
                             self._new_plan(active_ctx, key, expanded))
        return plan

    def _new_plan(self, active_ctx: Any, key: str, expanded: str) -> Plan:
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
        if not PLAIN_CONTAINERS.issuperset(container) or not PLAIN_CONTAINERS.issuperset(inner):
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
        return Plan(expanded, term_ctx, "@graph" in container,
                     value_of(term_ctx, key, "@type"), value_of(term_ctx, key, "@language"))


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
