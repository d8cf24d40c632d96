"""Offline JSON-LD contexts: a store of pinned context documents and a loader that never fetches.

The bundled contexts live in `contexts/` next to this module, listed in `contexts/manifest.json`
with the SHA-256 of each file; a file is hashed when it is first read and refused on a mismatch.
Contexts the user chose to trust (`skillpass contexts add FILE --url URL`) are layered on top
with `ContextStore.with_extra`. An unknown URL is an error, never a download.
"""

from __future__ import annotations

import copy
import hashlib
import json
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from skillpass.errors import BadInputError, UnverifiableError

MANIFEST_NAME = "manifest.json"
# pyld keeps resolved contexts in an LRU; each store gets its own so that a context trusted in
# one store (a user's extra) can never be served from cache by another store that lacks it.
_RESOLVED_CACHE_SIZE = 256
_DERIVED_CACHE_SIZE = 8

Reader = Callable[[], bytes]


def unknown_context_error(url: str) -> UnverifiableError:
    """The one error for a context URL that is not in the store."""
    return UnverifiableError(
        f"unknown JSON-LD context {url}",
        hint=f"if you trust it, add it with: skillpass contexts add FILE --url {url}",
        code="E_CONTEXT_UNKNOWN",
    )


def _tampered_error(url: str) -> UnverifiableError:
    return UnverifiableError(
        f"bundled JSON-LD context {url} does not match its pinned sha256",
        hint="the installation is damaged: reinstall skillpass",
        code="E_CONTEXT_TAMPERED",
    )


def parse_context(url: str, data: bytes) -> dict[str, Any]:
    """Parse a context document; it must be a JSON object."""
    try:
        doc = json.loads(data.decode("utf-8-sig"))  # a byte order mark, as ingest.parse_json allows
    except json.JSONDecodeError as exc:
        from skillpass.ingest import where_and_why

        raise BadInputError(f"JSON-LD context {url} is not valid JSON: {where_and_why(exc)}",
                            hint="check the file is the context document itself (UTF-8 JSON)",
                            code="E_CONTEXT_BAD") from None
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BadInputError(
            f"JSON-LD context {url} is not valid JSON",
            hint="check the file is the context document itself (UTF-8 JSON)",
            code="E_CONTEXT_BAD",
        ) from None
    if not isinstance(doc, dict):
        raise BadInputError(
            f"JSON-LD context {url} is not a JSON object",
            hint="a context document is a JSON object with an @context member",
            code="E_CONTEXT_BAD",
        )
    return doc


class ContextStore:
    """URL -> parsed JSON-LD context document, read lazily and served offline.

    `pins` maps a URL to the hex SHA-256 its bytes must have; URLs without a pin (user-trusted
    contexts, pinned by the wallet) are served as given.
    """

    def __init__(self, readers: Mapping[str, Reader], pins: Mapping[str, str] | None = None,
                 *, _parsed: Mapping[str, dict[str, Any]] | None = None) -> None:
        self._readers = dict(readers)
        self._pins = dict(pins or {})
        self._parsed: dict[str, dict[str, Any]] = dict(_parsed or {})
        self._lock = threading.Lock()
        self._resolved_cache: Any = None
        self._derived: dict[frozenset[tuple[str, bytes]], ContextStore] = {}
        self._memo: dict[Any, Any] = {}

    # -- construction -------------------------------------------------------------------------

    @classmethod
    def bundled(cls) -> ContextStore:
        """The process-wide store of the contexts shipped in the package."""
        global _BUNDLED
        with _BUNDLED_LOCK:
            if _BUNDLED is None:
                _BUNDLED = cls.from_directory(cls.bundled_directory())
            return _BUNDLED

    @staticmethod
    def bundled_directory() -> Any:
        """Where the bundled contexts and their manifest are (a Path, or an importlib Traversable)."""
        return _contexts_directory()

    @classmethod
    def from_directory(cls, directory: Any) -> ContextStore:
        """A store from a directory (Path or importlib Traversable) holding manifest.json."""
        base = Path(directory) if isinstance(directory, str) else directory
        manifest = json.loads((base / MANIFEST_NAME).read_bytes())
        readers: dict[str, Reader] = {}
        pins: dict[str, str] = {}
        for entry in manifest["contexts"]:
            readers[entry["url"]] = (base / entry["file"]).read_bytes
            pins[entry["url"]] = entry["sha256"]
        return cls(readers, pins)

    @classmethod
    def from_bytes(cls, documents: Mapping[str, bytes],
                   pins: Mapping[str, str] | None = None) -> ContextStore:
        """A store serving raw context bytes (checked against `pins` where given)."""
        return cls({url: _constant(data) for url, data in documents.items()}, pins)

    def with_extra(self, extra: Mapping[str, bytes]) -> ContextStore:
        """A store that also serves user-trusted contexts (raw bytes, parsed here).

        A URL this store already serves keeps its pinned document: a user's copy never
        replaces a bundled context. Asking again for the same extras returns the same store,
        so pyld's resolved-context cache carries over between verifications.
        """
        added = {url: data for url, data in extra.items() if url not in self._readers}
        if not added:
            return self
        key = frozenset((url, hashlib.sha256(data).digest()) for url, data in added.items())
        with self._lock:
            cached = self._derived.get(key)
        if cached is not None:
            return cached
        parsed = dict(self._parsed)
        parsed.update({url: parse_context(url, data) for url, data in added.items()})
        readers = {**self._readers, **{url: _constant(data) for url, data in added.items()}}
        derived = ContextStore(readers, self._pins, _parsed=parsed)
        with self._lock:
            if len(self._derived) >= _DERIVED_CACHE_SIZE:
                self._derived.clear()
            return self._derived.setdefault(key, derived)

    # -- lookup -------------------------------------------------------------------------------

    def urls(self) -> list[str]:
        return sorted(self._readers)

    def __contains__(self, url: object) -> bool:
        return url in self._readers

    def get(self, url: str) -> dict[str, Any]:
        """The parsed document for `url` (shared: do not mutate it)."""
        doc = self._parsed.get(url)
        if doc is not None:
            return doc
        doc = parse_context(url, self._checked_bytes(url))
        with self._lock:
            return self._parsed.setdefault(url, doc)

    def _checked_bytes(self, url: str) -> bytes:
        reader = self._readers.get(url)
        if reader is None:
            raise unknown_context_error(url)
        data = reader()
        pin = self._pins.get(url)
        if pin is not None and hashlib.sha256(data).hexdigest() != pin:
            raise _tampered_error(url)
        return data

    def _own_copy(self, url: str) -> dict[str, Any]:
        """A copy of `url`'s document nobody else holds: parsed afresh from its bytes where no
        parsed one is kept (json.loads is several times faster than copy.deepcopy of it)."""
        doc = self._parsed.get(url)
        if doc is not None:
            return copy.deepcopy(doc)
        return parse_context(url, self._checked_bytes(url))

    def memo(self, key: Any, compute: Callable[[], Any]) -> Any:
        """`compute()`, once per `key` for this store: for values that are a pure function of
        the store's own context documents (never of a document being processed)."""
        with self._lock:
            if key in self._memo:
                return self._memo[key]
        value = compute()
        with self._lock:
            return self._memo.setdefault(key, value)

    def verify_all(self) -> None:
        """Read every context now, raising on the first unknown, tampered or malformed one."""
        for url in self.urls():
            self.get(url)

    # -- pyld integration ---------------------------------------------------------------------

    def document_loader(self, url: str, options: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """pyld document loader: serves store documents, never touches the network.

        pyld rewrites parts of a loaded context in place, so it gets its own copy; it asks
        once per URL per store because the "static" tag lets it cache the resolved context.
        """
        from skillpass.jsonld import context_keys

        if not isinstance(url, str):
            raise unknown_context_error(str(url))
        handed = self._own_copy(url)
        context_keys.own(handed)  # its scoped contexts are the cache's from now on
        return {"contextUrl": None, "documentUrl": url, "document": handed,
                "contentType": "application/ld+json", "tag": "static"}

    def context_resolver(self) -> Any:
        """A fresh pyld ContextResolver backed by this store's own resolved-context cache."""
        from skillpass.jsonld import context_keys, pyld_offline

        pyld_offline.jsonld()
        if self._resolved_cache is None:
            from cachetools import LRUCache

            with self._lock:
                if self._resolved_cache is None:
                    self._resolved_cache = LRUCache(maxsize=_RESOLVED_CACHE_SIZE)
        # pyld caps context fetches per resolve at 10, counted across a whole @context list, so
        # an uncached 11th URL fails once and passes once cached. The store is the real bound:
        # it can serve each URL at most once per resolve (cycles are caught separately).
        return context_keys.resolver_class()(self._resolved_cache, self.document_loader,
                                             max_context_urls=len(self._readers) + 1)

    def pyld_options(self) -> dict[str, Any]:
        """Options every pyld call made with this store must carry."""
        return {"documentLoader": self.document_loader,
                "contextResolver": self.context_resolver()}


def _constant(data: bytes) -> Reader:
    return lambda: data


_BUNDLED: ContextStore | None = None
_BUNDLED_LOCK = threading.Lock()


def bundled_manifest() -> list[dict[str, str]]:
    """The manifest entries of the bundled contexts: url, file, package, path, sha256."""
    return list(json.loads((_contexts_directory() / MANIFEST_NAME).read_bytes())["contexts"])


def _contexts_directory() -> Any:
    # The package's own directory when it is one (always, installed from a wheel or editable):
    # importlib.resources would import zipfile and its readers (about 6 ms) to find the same path.
    here = Path(__file__).with_name("contexts")
    if here.is_dir():
        return here
    from importlib import resources

    return resources.files(__package__) / "contexts"
