"""Let pyld reuse processed type-scoped contexts across documents.

pyld caches a processed context per (resolved context, active context `_uuid`). Entering a node
with a type-scoped context (Open Badges 3.0 has one per class) first clones the active context
to remember the one to return to (JSON-LD 1.1 API 4.1.2 step 3, propagate false), and that
clone gets a random `_uuid`: the cache never hits again, and every document re-processes every
scoped context (about 60% of verifying an OB3 credential). The clone is a pure function of its
parent, so here it gets a deterministic id derived from the parent's, and the cache works.
"""

from __future__ import annotations

import functools
from typing import Any


@functools.cache
def install() -> None:
    from pyld.jsonld import JsonLdProcessor, _is_object

    original = JsonLdProcessor._process_context

    def process_context(self: Any, active_ctx: Any, local_ctx: Any, options: Any,
                        override_protected: bool = False, propagate: bool = True,
                        validate_scoped: bool = True, cycles: Any = None) -> Any:
        first = _first_context(local_ctx, _is_object)
        if isinstance(first, dict) and isinstance(first.get("@propagate"), bool):
            propagate = first["@propagate"]
        if (not propagate and first is not None and not isinstance(first, str)
                and "_uuid" in active_ctx and not active_ctx.get("previousContext")):
            child = self._clone_active_context(active_ctx)
            child["previousContext"] = active_ctx
            child["_uuid"] = f"{active_ctx['_uuid']}~scoped"
            active_ctx = child
        return original(self, active_ctx, local_ctx, options, override_protected, propagate,
                        validate_scoped, cycles)

    JsonLdProcessor._process_context = process_context


def _first_context(local_ctx: Any, is_object: Any) -> Any:
    if is_object(local_ctx) and isinstance(local_ctx.get("@context"), list):
        local_ctx = local_ctx["@context"]
    contexts = local_ctx if isinstance(local_ctx, list) else [local_ctx]
    return contexts[0] if contexts else None
