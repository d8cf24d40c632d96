"""Faster equivalents of pyld 3.3.0's hottest small functions (pinned; tests/test_speedups.py).

Profiling a verification of an Open Badges 3.0 credential shows most of pyld's time spread over
a few helpers called hundreds of times a document. Each replacement below returns what the
original returns for every input; none keeps anything between calls.

- `_is_keyword`: a set lookup instead of a scan of the 30-item KEYWORDS list.
- `_is_absolute_iri`: the same pattern, compiled once (pyld passes the text to `re.match`,
  which looks it up in re's cache on every call).
- `_is_string`, `_is_array`, `_is_object`: `isinstance` itself, as the type's own
  `__instancecheck__` (a C call instead of a Python function around one); `_is_object` only
  where frozendict is a dict subclass, as it is in frozendict 2.
- `re`, as pyld.jsonld sees it: `re.match` with pyld's own pattern texts, compiled once each.
- `JsonLdProcessor._expand_iri`, for its commonest call: a term of the active context expanded
  against the vocabulary outside context processing. The original answers it with a dict
  lookup after three type checks and a regular expression; here the lookup comes first, and
  every other call goes to the original.
- `copy.deepcopy`, as pyld.jsonld sees it (its one use: expand's copy of the input document):
  skillpass.jsonld.json_copy, the same copy for JSON data without deepcopy's memo.
"""

from __future__ import annotations

import functools
import re
from types import SimpleNamespace
from typing import Any

from skillpass.jsonld import json_copy

_ABSOLUTE_IRI = r"^([A-Za-z][A-Za-z0-9+-.]*|_):[^\s]*$"  # pyld's _is_absolute_iri, verbatim


@functools.cache
def install() -> None:
    from skillpass.jsonld import pyld_offline

    jsonld = pyld_offline.jsonld()
    keywords = frozenset(jsonld.KEYWORDS)
    absolute = re.compile(_ABSOLUTE_IRI).match

    def is_keyword(v: Any) -> bool:
        return isinstance(v, str) and v in keywords

    def is_absolute_iri(v: Any) -> Any:
        return isinstance(v, str) and absolute(v)

    jsonld._is_keyword = is_keyword
    jsonld._is_string = str.__instancecheck__
    jsonld._is_array = list.__instancecheck__
    if issubclass(jsonld.frozendict, dict):  # then (dict, frozendict) is just dict
        jsonld._is_object = dict.__instancecheck__
    jsonld._is_absolute_iri = is_absolute_iri
    jsonld.re = _compiled_re()
    jsonld.copy = json_copy.copy_module()
    _install_expand_iri(jsonld.JsonLdProcessor)


def _compiled_re() -> Any:
    """The `re` module, but `match` compiles each (pattern, flags) once."""
    patterns: dict[tuple[Any, int], Any] = {}

    def match(pattern: Any, string: str, flags: int = 0) -> Any:
        compiled = patterns.get((pattern, flags))
        if compiled is None:
            compiled = patterns.setdefault((pattern, flags), re.compile(pattern, flags))
        return compiled.match(string)

    names = {name: getattr(re, name) for name in dir(re) if not name.startswith("__")}
    names["match"] = match
    return SimpleNamespace(**names)


def _install_expand_iri(processor: Any) -> None:
    original = processor._expand_iri

    def expand_iri(self: Any, active_ctx: Any, value: Any, base: Any = None, vocab: bool = False,
                   local_ctx: Any = None, defined: Any = None) -> Any:
        # The original's path for this call: not None, not a keyword, a string, not shaped
        # like a keyword (all of which a term not starting with "@" is), no local context,
        # then `mappings[value]`: None when the term is mapped to null, else its @id.
        if vocab and not local_ctx and type(value) is str and value[:1] != "@":
            mappings = active_ctx["mappings"]
            if value in mappings:
                mapping = mappings[value]
                return None if mapping is None else mapping["@id"]
        return original(self, active_ctx, value, base, vocab, local_ctx, defined)

    processor._expand_iri = expand_iri
