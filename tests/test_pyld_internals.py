"""The pyld internals skillpass relies on keep the shape it was written against (pyld 3.3.0).

skillpass.jsonld.speedups wraps `JsonLdProcessor._process_context` and calls
`_clone_active_context` and `pyld.jsonld._is_object`; canon and sd_primitives pass
`on_property_dropped` (safe mode) and build `ContextResolver(cache, loader, max_context_urls=)`.
A pyld release that changes any of these must fail here, not silently drop a term or a cache.
"""

from __future__ import annotations

import inspect
from importlib import metadata

import pytest

from skillpass.jsonld.canon import UndefinedTermError, canonize, safe_processor


def test_the_pinned_release() -> None:
    assert metadata.version("pyld") == "3.3.0"


def test_process_context_has_the_wrapped_signature() -> None:
    from pyld.jsonld import JsonLdProcessor

    parameters = list(inspect.signature(JsonLdProcessor._process_context).parameters)
    assert parameters == ["self", "active_ctx", "local_ctx", "options", "override_protected",
                          "propagate", "validate_scoped", "cycles"]
    assert list(inspect.signature(JsonLdProcessor._clone_active_context).parameters) == [
        "self", "active_ctx"]


def test_is_object_and_the_safe_mode_hook_exist() -> None:
    from pyld import jsonld

    assert jsonld._is_object({}) and not jsonld._is_object([])
    assert "on_property_dropped" in inspect.signature(jsonld.JsonLdProcessor.__init__).parameters


def test_context_resolver_takes_a_cache_a_loader_and_a_url_cap() -> None:
    from pyld.context_resolver import ContextResolver

    assert list(inspect.signature(ContextResolver.__init__).parameters) == [
        "self", "shared_cache", "document_loader", "max_context_urls"]


def test_safe_mode_still_refuses_a_dropped_term() -> None:
    processor = safe_processor()
    document = {"@context": {"name": "https://schema.org/name"}, "name": "x", "undefinedTerm": 1}

    with pytest.raises(UndefinedTermError):
        processor.expand(document, {"documentLoader": lambda url, options=None: None})


def test_the_scoped_context_cache_still_hits() -> None:
    """speedups gives type-scoped context clones a stable `_uuid`, so a second credential reuses
    the contexts the first one processed: no new active-context key appears in pyld's caches."""
    from skillpass.jsonld.loader import ContextStore

    store = ContextStore.from_directory(ContextStore.bundled_directory())
    credential = {"@context": ["https://www.w3.org/ns/credentials/v2",
                               "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
                  "type": ["VerifiableCredential", "OpenBadgeCredential"], "issuer": "did:example:1",
                  "credentialSubject": {"type": ["AchievementSubject"],
                                        "achievement": {"type": ["Achievement"], "name": "x"}}}

    def processed_keys() -> set[str]:
        from pyld.resolved_context import ResolvedContext

        entries = [item for tags in store._resolved_cache.values() for value in tags.values()
                   for item in (value if isinstance(value, list) else [value])]
        return {key for item in entries if isinstance(item, ResolvedContext) for key in item.cache}

    canonize(credential, store)
    first = processed_keys()
    canonize({**credential, "name": "another"}, store)

    assert first and processed_keys() == first
