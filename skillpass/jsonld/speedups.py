"""Patches to pyld 3.3.0 (pinned; tests/test_pyld_internals.py keeps their shape honest).

1. Reuse processed type-scoped contexts across documents. pyld caches a processed context per
   (resolved context, active context `_uuid`). Entering a node with a type-scoped context (Open
   Badges 3.0 has one per class) first clones the active context to remember the one to return
   to (JSON-LD 1.1 API 4.1.2 step 3, propagate false), and that clone gets a random `_uuid`: the
   cache never hits again, and every document re-processes every scoped context (about 60% of
   verifying an OB3 credential). The clone is a pure function of its parent, so here it gets a
   deterministic id derived from the parent's, and the cache works. When the clone's processed
   context is in that cache already, it is returned without making the clone (a copy of every
   term definition), as pyld would return it.

2. Adding a value without duplicates in linear time. Building the node map for toRdf adds each
   value of a property with `allowDuplicate: False`, and pyld finds duplicates by comparing the
   new value with every value already there: 10,000 values of one property (a `tag` list) took
   42 s, and a verifier needs no valid signature to be made to do it. Here the values already
   added are indexed by the same equality `compare_values` defines. A property's first value
   (most calls) is set at once, as pyld's last branch sets it.

3. Random ids instead of `uuid.uuid1()`, which reads the machine's MAC address (and may ask
   uuidd) on every command: an active context's `_uuid` only has to be unique.

4. A faster cache key for an embedded context: skillpass.jsonld.context_keys.

5. A value object met while building the node map: pyld first looks for blank node labels
   among the "types" of its `@type`, which for a value object is one string, so it tries every
   character of the datatype IRI in turn (a character never starts with "_:"). Here that loop
   is skipped; the rest is pyld's, step for step. Anything but a value object with a string
   `@type` (or none) goes to pyld.
"""

from __future__ import annotations

import functools
import uuid
from types import SimpleNamespace
from typing import Any

from skillpass.jsonld import context_keys

# Lists shorter than this are scanned as pyld does; longer ones are indexed.
_INDEXED_FROM = 32
_MAX_INDEXED_LISTS = 256
_UNHASHABLE = object()


@functools.cache
def install() -> None:
    from skillpass.jsonld import pyld_offline

    jsonld = pyld_offline.jsonld()
    _install_scoped_context_ids(jsonld)
    _install_linear_add_value(jsonld)
    _install_value_node_map(jsonld)
    jsonld.uuid = SimpleNamespace(uuid1=uuid.uuid4, uuid4=uuid.uuid4)
    context_keys.install()


def _install_scoped_context_ids(jsonld: Any) -> None:
    processor = jsonld.JsonLdProcessor
    original = processor._process_context
    is_object = jsonld._is_object

    def process_context(self: Any, active_ctx: Any, local_ctx: Any, options: Any,
                        override_protected: bool = False, propagate: bool = True,
                        validate_scoped: bool = True, cycles: Any = None) -> Any:
        first = _first_context(local_ctx, is_object)
        if isinstance(first, dict) and isinstance(first.get("@propagate"), bool):
            propagate = first["@propagate"]
        if (not propagate and first is not None and not isinstance(first, str)
                and "_uuid" in active_ctx and not active_ctx.get("previousContext")):
            scoped_id = f"{active_ctx['_uuid']}~scoped"
            processed = _processed_already(active_ctx, local_ctx, options, scoped_id, is_object)
            if processed is not None:
                return processed
            child = self._clone_active_context(active_ctx)
            child["previousContext"] = active_ctx
            child["_uuid"] = scoped_id
            active_ctx = child
        return original(self, active_ctx, local_ctx, options, override_protected, propagate,
                        validate_scoped, cycles)

    processor._process_context = process_context


def _processed_already(active_ctx: Any, local_ctx: Any, options: Any, scoped_id: str,
                       is_object: Any) -> Any:
    """What pyld's _process_context returns at once for the clone `scoped_id` and a single
    context object it processed before (its cache hit), without making the clone; None when
    pyld has more to do."""
    contexts = local_ctx["@context"] if is_object(local_ctx) and isinstance(
        local_ctx.get("@context"), list) else local_ctx
    resolver = options.get("contextResolver")
    if (isinstance(contexts, list) and len(contexts) != 1) or resolver is None:
        return None
    resolved = resolver.resolve(active_ctx, local_ctx, options.get("base", ""))
    if len(resolved) != 1 or resolved[0].document is None or resolved[0].document is False:
        return None
    return resolved[0].get_processed({"_uuid": scoped_id})


def _install_value_node_map(jsonld: Any) -> None:
    processor = jsonld.JsonLdProcessor
    original = processor._create_node_map

    def create_node_map(self: Any, input_: Any, graph_map: Any, active_graph: Any, issuer: Any,
                        active_subject: Any = None, active_property: Any = None,
                        list_: Any = None) -> None:
        if type(input_) is not dict or "@value" not in input_ or (
                "@type" in input_ and type(input_["@type"]) is not str):
            return original(self, input_, graph_map, active_graph, issuer, active_subject,
                            active_property, list_)
        subject_node = (graph_map.setdefault(active_graph, {}).get(active_subject)
                        if isinstance(active_subject, str) else None)
        if "@type" in input_ and input_["@type"].startswith("_:"):
            input_["@type"] = issuer.get_id(input_["@type"])
        if list_:
            list_["@list"].append(input_)
        elif subject_node:
            processor.add_value(subject_node, active_property, input_,
                                {"propertyIsArray": True, "allowDuplicate": False})
        return None

    processor._create_node_map = create_node_map


def _first_context(local_ctx: Any, is_object: Any) -> Any:
    if is_object(local_ctx) and isinstance(local_ctx.get("@context"), list):
        local_ctx = local_ctx["@context"]
    contexts = local_ctx if isinstance(local_ctx, list) else [local_ctx]
    return contexts[0] if contexts else None


class _Seen:
    """The values of one property list, by `_value_key`, as of `length` entries."""

    __slots__ = ("values", "length", "keys", "keyless")

    def __init__(self, values: list[Any]) -> None:
        self.values, self.length, self.keys, self.keyless = values, 0, set(), set()

    def add(self, key: Any, value: Any) -> None:
        if key is None:
            self.keyless.add(id(value))
        else:
            self.keys.add(key)
        self.length += 1

    def holds(self, key: Any, value: Any) -> bool:
        return key in self.keys if key is not None else id(value) in self.keyless


def _install_linear_add_value(jsonld: Any) -> None:
    processor = jsonld.JsonLdProcessor
    original = processor.add_value
    index: dict[int, _Seen] = {}

    def add_value(subject: Any, property: Any, value: Any, options: Any = None) -> None:
        if (options is not None and type(subject) is dict and property not in subject
                and not isinstance(value, list) and not options.get("valueIsArray")):
            # pyld's last branch (most calls: a property's first value), options filled in
            # as pyld fills them in
            options.setdefault("propertyIsArray", False)
            options.setdefault("valueIsArray", False)
            options.setdefault("allowDuplicate", True)
            subject[property] = [value] if options["propertyIsArray"] else value
            return None
        current = subject.get(property) if isinstance(subject, dict) else None
        if (not options or options.get("allowDuplicate", True) or options.get("valueIsArray")
                or isinstance(value, list) or not isinstance(current, list)
                or len(current) < _INDEXED_FROM):
            return original(subject, property, value, options)
        key = _value_key(value)
        seen = _seen(index, current) if key is not _UNHASHABLE else None
        if seen is None:
            return original(subject, property, value, options)
        if not seen.holds(key, value):
            current.append(value)
            seen.add(key, value)
        return None

    processor.add_value = staticmethod(add_value)


def _seen(index: dict[int, _Seen], values: list[Any]) -> _Seen | None:
    """The index of `values`, built again whenever the list changed behind it."""
    seen = index.get(id(values))
    if seen is not None and seen.values is values and seen.length == len(values):
        return seen
    if len(index) >= _MAX_INDEXED_LISTS:
        index.clear()
    seen = _Seen(values)
    for value in values:
        key = _value_key(value)
        if key is _UNHASHABLE:
            index.pop(id(values), None)
            return None
        seen.add(key, value)
    index[id(values)] = seen
    return seen


def _value_key(value: Any) -> Any:
    """A hashable key equal for exactly the values pyld's `compare_values` calls equal: primitives
    by value (a boolean never equals a number), value objects by @value, @type, @language and
    @index, node objects by @id. None for an object only equal to itself; _UNHASHABLE when pyld's
    own comparison must decide."""
    if isinstance(value, dict):
        if "@value" in value:
            inner = _primitive_key(value["@value"])
            parts = (value.get("@type"), value.get("@language"), value.get("@index"))
            if inner is _UNHASHABLE or not all(p is None or isinstance(p, str) for p in parts):
                return _UNHASHABLE
            return ("@value", inner, *parts)
        node_id = value.get("@id")
        if node_id is None:
            return None
        return ("@id", node_id) if isinstance(node_id, str) else _UNHASHABLE
    return _primitive_key(value)


def _primitive_key(value: Any) -> Any:
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, (int, float)):
        return ("number", value)
    if isinstance(value, str):
        return ("string", value)
    return _UNHASHABLE
