"""pyld 3.3.0 imported without its network document loaders (aiohttp, requests, asyncio).

`import pyld.jsonld` runs `pyld/__init__.py`, which imports every document loader pyld ships: the
aiohttp one imports asyncio at its top (about 35 ms), the file one urllib.request. Then the last
lines of `pyld/jsonld.py` pick a default loader by importing requests, else aiohttp. skillpass never
uses any of them: every call passes the offline loader of a `ContextStore`.

`jsonld()` therefore imports pyld as follows, once per process:

1. The `pyld` package module is made from its real spec (same file, same `__path__`, so every
   submodule imports as usual), but its body is the one below instead of `__init__.py`: the same
   names, with the document loader classes imported only when first asked for (PEP 562 module
   `__getattr__`). Only for the pinned `__init__.py` (its SHA-256): any other pyld is imported the
   ordinary way.
2. While `pyld.jsonld` runs its top level, `sys.modules` holds None for the requests and aiohttp
   loader modules: the import system's documented way to make an import raise ModuleNotFoundError.
   pyld then takes its own fallback, the dummy loader that refuses every URL. The entries are taken
   out afterwards, so `pyld.documentloader.aiohttp` still imports for whoever asks.
3. `lxml.html`, which `pyld.jsonld` imports at its top (about 19 ms with lxml.etree) for the one
   case of a remote HTML document our offline loaders never return, is a stand-in meanwhile:
   the real module is imported on pyld's first use of it, if ever.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import sys
import threading
from types import ModuleType
from typing import Any

# sha256 of pyld 3.3.0's pyld/__init__.py: the body below is equivalent to that file only.
_INIT_SHA256 = "cc9fe91ac8db2ff1189bb4d8a0edb2ca030e5d0e657c6fd5c6104f11e7a3517d"
_BLOCKED = ("pyld.documentloader.requests", "pyld.documentloader.aiohttp")
# pyld/__init__.py's names, each from the module that defines it.
_LAZY = {
    "AioHttpDocumentLoader": "pyld.documentloader.aiohttp",
    "DocumentLoader": "pyld.documentloader.base",
    "RemoteDocument": "pyld.documentloader.base",
    "FileDocumentLoader": "pyld.documentloader.file",
    "BUNDLED_CONTEXTS": "pyld.documentloader.frozen",
    "FrozenDocumentLoader": "pyld.documentloader.frozen",
    "RequestsDocumentLoader": "pyld.documentloader.requests",
    "SqliteCacheRequestsDocumentLoader": "pyld.documentloader.requests_sqlite_cache",
    "SchemeDirectedDocumentLoader": "pyld.documentloader.scheme_directed",
    "TypeDirectedDocumentLoader": "pyld.documentloader.type_directed",
}
_LOCK = threading.Lock()


def jsonld() -> ModuleType:
    """The `pyld.jsonld` module, imported without pyld's network document loaders."""
    module = sys.modules.get("pyld.jsonld")
    if module is not None:
        return module
    with _LOCK:
        if "pyld" not in sys.modules:
            _import_package()
        return importlib.import_module("pyld.jsonld")


def _import_package() -> None:
    spec = importlib.util.find_spec("pyld")
    origin = spec.origin if spec is not None else None
    if origin is None or not _is_pinned(origin):
        importlib.import_module("pyld")
        return
    package = importlib.util.module_from_spec(spec)
    sys.modules["pyld"] = package
    try:
        _fill(package)
    except BaseException:
        for name in [n for n in sys.modules if n == "pyld" or n.startswith("pyld.")]:
            del sys.modules[name]
        raise


def _is_pinned(origin: str) -> bool:
    try:
        with open(origin, "rb") as init:
            return hashlib.sha256(init.read()).hexdigest() == _INIT_SHA256
    except OSError:
        return False


def _fill(package: ModuleType) -> None:
    """What pyld/__init__.py does, with the loader classes imported on first use."""
    saved = {name: sys.modules[name] for name in _BLOCKED if name in sys.modules}
    for name in _BLOCKED:
        sys.modules[name] = None  # type: ignore[assignment]  # import raises ModuleNotFoundError
    _lazy_lxml_html()
    try:
        package.jsonld = importlib.import_module("pyld.jsonld")  # type: ignore[attr-defined]
    finally:
        for name in _BLOCKED:
            if sys.modules.get(name, ...) is None:
                del sys.modules[name]
        sys.modules.update(saved)
        _drop_lxml_stand_in()
    package.ContextResolver = importlib.import_module(  # type: ignore[attr-defined]
        "pyld.context_resolver").ContextResolver
    package.__all__ = sorted([*_LAZY, "ContextResolver", "jsonld"])  # type: ignore[attr-defined]
    package.__getattr__ = _lazy_attribute  # type: ignore[attr-defined]


def _lazy_lxml_html() -> None:
    """While pyld.jsonld imports, `lxml.html` is a stand-in whose first attribute access imports the
    real module and answers from it; afterwards sys.modules no longer holds the stand-in, so any
    later `import lxml.html` is the ordinary one. Nothing when lxml.html is imported already.
    (importlib.util.LazyLoader does not do here: on 3.11 the import statement itself reads the
    module's __spec__, which runs its body.)"""
    if "lxml.html" in sys.modules or importlib.util.find_spec("lxml") is None:
        return
    stand_in = ModuleType("lxml.html", "lxml.html, imported when first used")
    stand_in.__getattr__ = _real_lxml_html  # type: ignore[attr-defined]  # PEP 562
    sys.modules["lxml.html"] = stand_in
    importlib.import_module("lxml").html = stand_in  # type: ignore[attr-defined]  # as `import lxml.html` binds it


def _real_lxml_html(name: str) -> Any:
    _drop_lxml_stand_in()  # else, asked while pyld imports, the import below would find the stand-in
    return getattr(importlib.import_module("lxml.html"), name)


def _drop_lxml_stand_in() -> None:
    module = sys.modules.get("lxml.html")
    if module is not None and getattr(module, "__spec__", None) is None:
        del sys.modules["lxml.html"]


def _lazy_attribute(name: str) -> Any:
    source = _LAZY.get(name)
    if source is None:
        raise AttributeError(name)  # as a module's __getattr__ does for a name it does not have
    return getattr(importlib.import_module(source), name)
