"""The key pyld's ContextResolver files an embedded context under, made fast (pyld 3.3.0).

pyld keys each context object it resolves (every type-scoped context of Open Badges 3.0, met
again at each node of that type) by its JCS text, written by the pure-Python `c14n` package:
about a third of verifying an OB3 credential. The key only has to tell different contexts
apart, so here:

- a context object that is part of a context document the store handed to pyld (`own`) gets
  its key once: those objects belong to the store's resolved-context cache, nothing changes
  them afterwards, and they live as long as this registry holds them;
- any other object (a context inline in the document being processed) is keyed afresh at every
  call, with `json.dumps` and sorted keys (in C), which tells apart what JCS tells apart for
  JSON data (string keys); what json cannot write (NaN, a non-JSON value) goes to pyld's JCS.

Nothing here depends on the document being processed: a document processed twice is keyed
twice, and an inline context changed in place gets its new key.
"""

from __future__ import annotations

import functools
import json
import threading
from typing import Any

_MAX_OWNED = 100_000  # context objects; past it the registry starts again (keys are recomputed)
_owned: dict[int, tuple[dict[str, Any], bytes | None]] = {}
_lock = threading.Lock()


def own(document: Any) -> None:
    """Register the embedded contexts of a context document pyld is about to receive."""
    found: list[dict[str, Any]] = []
    _collect(document, found, 0)
    with _lock:
        if len(_owned) + len(found) > _MAX_OWNED:
            _owned.clear()
        for context in found:
            _owned[id(context)] = (context, None)


def _collect(value: Any, found: list[dict[str, Any]], depth: int) -> None:
    if depth > 64:  # bundled and user-trusted contexts nest a few levels; deeper is keyed afresh
        return
    if isinstance(value, dict):
        inner = value.get("@context")
        if isinstance(inner, dict) and depth > 0:
            found.append(inner)
        for item in value.values():
            _collect(item, found, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _collect(item, found, depth + 1)


def fresh_key(context: Any, jcs: Any) -> bytes:
    try:
        return json.dumps(context, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                          allow_nan=False).encode()
    except (TypeError, ValueError):
        return jcs(context)  # type: ignore[no-any-return]


@functools.cache
def install() -> None:
    """pyld's resolver keys the contexts nobody owns with `fresh_key` instead of JCS."""
    from pyld import context_resolver

    jcs = context_resolver.canonicalize
    context_resolver.canonicalize = functools.partial(fresh_key, jcs=jcs)


def owned_key(context: Any) -> str | None:
    """The key of a registered context object (computed on first use), None for any other."""
    entry = _owned.get(id(context))
    if entry is None or entry[0] is not context:
        return None
    key = entry[1]
    if key is None:
        from c14n.Canonicalize import canonicalize

        key = fresh_key(context, canonicalize)
        with _lock:
            if _owned.get(id(context), (None,))[0] is context:
                _owned[id(context)] = (context, key)
    return key.decode("utf-8")


@functools.cache
def resolver_class() -> type:
    """pyld's ContextResolver, answering a registered context object from its stored key."""
    from pyld.context_resolver import ContextResolver

    class Resolver(ContextResolver):  # type: ignore[misc]
        def resolve(self, active_ctx: Any, context: Any, base: Any, cycles: Any = None) -> Any:
            # pyld's own path for one context object: its key, then the cache (static tag);
            # anything else, or a miss, is pyld's resolve itself.
            if isinstance(context, dict) and "@context" in context:
                inner = context["@context"]
            else:
                inner = context
            if type(inner) is dict:
                key = owned_key(inner)
                resolved = self._get(key) if key is not None else None
                if resolved:
                    return [resolved]
            return super().resolve(active_ctx, context, base, cycles)

    return Resolver
