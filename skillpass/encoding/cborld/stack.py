"""The context stack CBOR-LD walks with (terms' model, @digitalcredentials/cborld 4.3.4's Transformer):
push a value of `@context`, or an object's type-scoped contexts, onto the stack of active entries.

A push of one of the store's contexts onto one of the store's entries, with the term table in a
state the store has seen, is one lookup in the store's tables (terms.StoreTables): the merged
entry and the table that loading the context gives, both worked out the first time and shared
(neither is ever changed: a TermIds copies shared tables before adding to them).
"""

from __future__ import annotations

from typing import Any

from skillpass.encoding.cborld import terms
from skillpass.encoding.cborld.terms import EMPTY, Active, Contexts, js_truthy


def push(stack: list[Active], contexts: Any, loader: Contexts) -> None:
    """Push each of `contexts` (a value of `@context`) onto `stack`, merging in the previous top."""
    if not js_truthy(contexts):
        return
    if not isinstance(contexts, list):
        push_one(stack, contexts, loader)
        return
    for context in contexts:
        push_one(stack, context, loader)


def push_one(stack: list[Active], context: Any, loader: Contexts) -> None:
    """Push one context (a URL or an object) onto `stack`."""
    old = stack[-1] if stack else None
    ids, derived = loader.ids, loader.derived
    # A store's context pushed on a store's entry, with the term table in a state the store
    # has seen: the same table and the same merged entry as last time (see _push_once).
    key = None
    if derived is not None and ids.state is not None and (old is None or old.shared):
        key = (ids.state, id(old), context if type(context) is str else id(context))
        found = derived.get(key)
        if found is not None and found[0] is old and (type(context) is str or found[1] is context):
            loader.remember(context, found[2])
            ids.state, ids.to_id, ids.to_term, ids._next = found[4]
            ids._shared = True
            stack.append(found[3])
            return
    entry = _push_once(stack, context, loader)
    if key is not None and entry.shared and stack[-1].shared and ids.state is not None \
            and len(derived) < terms.MAX_DERIVED:  # type: ignore[arg-type]
        derived[key] = (old, context, entry, stack[-1],  # type: ignore[index]
                        (ids.state, ids.to_id, ids.to_term, ids._next))
        ids._shared = True  # the memo holds these dicts now: copied before any change


def _push_once(stack: list[Active], context: Any, loader: Contexts) -> Active:
    """Load `context` and push its entry onto `stack`; the entry."""
    entry = loader.entry(context)
    if not stack:
        stack.append(entry)  # entries are never changed: no copy
        return entry
    old = stack[-1]
    derived = loader.derived
    if old.shared and entry.shared and derived is not None:
        found = derived.get((id(old), id(entry)))
        if found is None:
            found = (old, entry, _merged(old, entry, context))  # old, entry: keep their ids
            found[2].shared = True
            if len(derived) < terms.MAX_DERIVED:
                derived[(id(old), id(entry))] = found
        stack.append(found[2])
        return entry
    stack.append(_merged(old, entry, context))
    return entry


def _merged(old: Active, entry: Active, context: Any) -> Active:
    """The entry `context` pushes onto `old`."""
    # only an inline context can clear a term: a URL's document is not consulted here
    cleared = {k for k, v in context.items() if v is None} if isinstance(context, dict) else set()
    if cleared:
        old = Active({k: v for k, v in old.terms.items() if k not in cleared}, old.id_aliases - cleared,
                     old.type_aliases - cleared, {k: v for k, v in old.scoped.items() if k not in cleared})
    # the new entry's own definitions win; the old ones it does not redefine carry over (an
    # alias only while its term is not redefined). Built by dict and set merges, not key by
    # key: only lookups read these tables, never their order.
    defined = entry.terms.keys()
    return Active({**old.terms, **entry.terms}, entry.id_aliases | (old.id_aliases - defined),
                  entry.type_aliases | (old.type_aliases - defined), {**old.scoped, **entry.scoped})


def apply_type_scopes(stack: list[Active], types: list[str], loader: Contexts) -> Active:
    """Push the type-scoped contexts of `types` in order; the resulting active context."""
    active = stack[-1] if stack else EMPTY
    for type_ in types:
        scoped = active.scoped.get(type_)
        if js_truthy(scoped):
            push(stack, scoped, loader)
            active = stack[-1]
    return active
