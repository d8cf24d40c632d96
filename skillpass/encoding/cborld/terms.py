"""Term ids and active contexts: the tables CBOR-LD builds from JSON-LD contexts as it walks a document.

Term ids (CBOR-LD 1.0 §"Get Term Codec Map", as the reference implementations do it): keywords
have fixed even ids (`@context` 0, `@type` 2, `@id` 4, `@value` 6, then the rest alphabetically);
every other term gets the next even id from 100 the first time a context defining it is loaded,
the context's keys taken in sorted order. An odd id (id + 1) says the value is an array. The ids
therefore depend on the order contexts are met, and encoder and decoder meet them in the same
order: the object's own `@context` entries, then type-scoped contexts (types sorted), then, key by
key in sorted order, property-scoped contexts. Sorting is JavaScript's (UTF-16 code units).

Active contexts follow @digitalcredentials/cborld 4.3.4's Transformer, the implementation our
QR codes must be readable by, quirks included so that both sides assign the same ids:

- a context stack: each pushed context starts from its own terms and inherits the previous top's
  terms, `@id`/`@type` aliases and scoped contexts unless it redefines them or (inline only) sets
  them to null;
- type-scoped contexts apply to the object's own keys only, except that a property-scoped
  context is pushed on top of them, so its values see both;
- an object's embedded `@context` is never popped: it stays on the stack its parent handed down,
  so it is seen by later siblings too (a VP's second credential sees the first one's contexts);
- a term definition of `"@context": null` scopes nothing (VC 2.0's `verifiableCredential`);
- a context document whose `@context` is an array is read as an object keyed "0", "1", ...
  (JavaScript's Object.keys), which defines none of its terms: documents using it cannot be
  compressed by either side.

@digitalbazaar/cborld 8 tracks `@propagate` and `@protected` instead, which gives the same ids and
definitions for the contexts skillpass bundles, but it fails on `"@context": null` (so it cannot
write or read a VC 2.0 presentation): skillpass uses the model above for every format.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from skillpass.encoding.cborld.errors import malformed, needs_table
from skillpass.errors import UnverifiableError

# @digitalcredentials/cborld 4.3.4 lib/keywords.js; @digitalbazaar/cborld 8 adds `@propagate` 54.
LEGACY_KEYWORDS: dict[str, int] = {
    "@context": 0, "@type": 2, "@id": 4, "@value": 6, "@direction": 8, "@graph": 10,
    "@included": 12, "@index": 14, "@json": 16, "@language": 18, "@list": 20, "@nest": 22,
    "@reverse": 24, "@base": 26, "@container": 28, "@default": 30, "@embed": 32, "@explicit": 34,
    "@none": 36, "@omitDefault": 38, "@prefix": 40, "@preserve": 42, "@protected": 44,
    "@requireAll": 46, "@set": 48, "@version": 50, "@vocab": 52,
}
KEYWORDS: dict[str, int] = {**LEGACY_KEYWORDS, "@propagate": 54}
_KEYWORD_TABLES = {id(table): (dict(table), {v: k for k, v in table.items()})
                   for table in (LEGACY_KEYWORDS, KEYWORDS)}  # never changed: TermIds copies first
FIRST_CUSTOM_TERM_ID = 100
MAX_TERMS = 20_000  # far above the ~600 terms of a VC + OB 3.0 + Data Integrity presentation
# Term tables and merged contexts the store remembers, made from its own documents only: a bound,
# so that a stream of payloads meeting the store's contexts in ever new orders cannot grow it.
MAX_DERIVED = 2_000


def js_truthy(value: Any) -> bool:
    """JavaScript truthiness, which the peers' `if(x)` tests use (an empty object is true)."""
    if value is None or value is False:
        return False
    if isinstance(value, (str, int, float)):
        return bool(value)
    return True


def js_sorted(keys: Iterable[str]) -> list[str]:
    """Keys in JavaScript's default sort order: by UTF-16 code unit."""
    items = list(keys)
    if all(key.isascii() for key in items):  # then code units and code points agree
        return sorted(items)
    return sorted(items, key=lambda key: key.encode("utf-16-be", "surrogatepass"))


class TermIds:
    """The document-wide term <-> id table, grown as contexts are loaded."""

    def __init__(self, keywords: dict[str, int], *, shared: bool = False) -> None:
        self.keywords = keywords
        if shared:  # the keywords' own tables, copied at the first change
            self.to_id, self.to_term = _KEYWORD_TABLES[id(keywords)]
        else:
            self.to_id, self.to_term = dict(keywords), {v: k for k, v in keywords.items()}
        self._next = FIRST_CUSTOM_TERM_ID
        # While the table holds exactly what a sequence of the store's contexts adds, `state`
        # names it in the store's memo (Contexts.extend) and the dicts may be the memo's own
        # (`_shared`): they are copied before any change.
        self.state: object | None = None
        self._shared = shared

    def _own(self) -> None:
        if self._shared:
            self.to_id, self.to_term, self._shared = dict(self.to_id), dict(self.to_term), False
        self.state = None

    def add(self, term: str) -> None:
        if term in self.to_id:
            return
        self._own()
        if len(self.to_id) >= MAX_TERMS:
            raise malformed(f"the JSON-LD contexts define more than {MAX_TERMS} terms",
                            "E_CBORLD_TOO_LARGE")
        self.to_id[term] = self._next
        self.to_term[self._next] = term
        self._next += 2

    def add_all(self, terms: tuple[str, ...] | list[str]) -> None:
        """add() each of `terms` in order, in a few dict updates (a context replayed from the
        store's memo adds dozens): the same ids as one add() after another."""
        new = [term for term in dict.fromkeys(terms) if term not in self.to_id]
        if not new:
            return
        self._own()
        to_id = self.to_id
        if len(to_id) + len(new) > MAX_TERMS:
            for term in new:
                self.add(term)  # raises at the term add() would raise at
            return
        ids = range(self._next, self._next + 2 * len(new), 2)
        to_id.update(zip(new, ids))
        self.to_term.update(zip(ids, new))
        self._next += 2 * len(new)

    def is_keyword(self, term: str) -> bool:
        return term in self.keywords

    def term_for(self, key: object) -> tuple[str | None, bool]:
        """(term, plural) for a map key; (None, False) when no context defined it."""
        if not isinstance(key, int) or isinstance(key, bool) or key < 0:
            return None, False
        return self.to_term.get(key & ~1), bool(key & 1)


@dataclass
class Active:
    """One entry of the context stack: what is defined at this point of the document."""

    terms: dict[str, Any] = field(default_factory=dict)  # term -> definition as written
    id_aliases: set[str] = field(default_factory=set)
    type_aliases: set[str] = field(default_factory=set)
    scoped: dict[str, Any] = field(default_factory=dict)  # term -> its scoped context
    # made from the store's documents alone and kept in its memo; like every entry, never
    # changed once built (push makes a new one)
    shared: bool = field(default=False, compare=False, repr=False)
    # term -> how the decoder reads its values (decode._plan), worked out on first use
    plans: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


EMPTY = Active()


class Contexts:
    """Loads contexts (from the store by URL, or inline), assigning term ids on first load."""

    def __init__(self, store: Any, ids: TermIds, *, legacy: bool) -> None:
        self.store = store
        self.ids = ids
        self.legacy = legacy
        self._by_url: dict[str, Active] = {}
        self._raw_by_url: dict[str, dict[str, Any]] = {}
        self._importing: set[str] = set()
        # inline (type-scoped) contexts met again in this one payload, by identity; the object
        # is kept with its entry so that its id cannot be reused while this table lives
        self._by_object: dict[int, tuple[dict[str, Any], Active]] = {}
        tables = store_tables(store)
        self.derived: dict[Any, Any] | None = tables.derived if tables is not None else None
        # the store's own contexts met before, by URL and by object id: (entry, terms it adds, context)
        self._known_urls: dict[str, Any] = tables.known_urls[legacy] if tables is not None else {}
        self._known_objects: dict[int, Any] = tables.known_objects[legacy] if tables is not None else {}
        self.root: object | None = tables.roots[legacy] if tables is not None else None

    def entry(self, context: Any) -> Active:
        if isinstance(context, str):
            cached = self._by_url.get(context)
            if cached is not None:
                return cached
            known = self._known_urls.get(context)
            if known is None:
                return self._add(self._document(context), context)
            entry, added, self._raw_by_url[context] = known
            self.extend(entry, added)
            self._by_url[context] = entry
            return entry  # type: ignore[no-any-return]
        if isinstance(context, dict):
            seen = self._by_object.get(id(context))
            if seen is not None and seen[0] is context:
                return seen[1]  # its terms are in `ids` already: adding them again changes nothing
            known = self._known_objects.get(id(context))
            if known is not None and known[2] is context:
                entry = known[0]
                self.extend(entry, known[1])
            else:
                entry = self._scoped_of_store(context)
            if entry is None:
                entry = self._add(context, None)
            self._by_object[id(context)] = (context, entry)
            return entry
        raise malformed("a JSON-LD @context entry is neither a URL nor an object", "E_CBORLD_CONTEXT_BAD")

    def remember(self, context: Any, entry: Active) -> None:
        """Note that `context`, one of the store's, is loaded in this payload (as entry() does)."""
        if type(context) is str:
            self._by_url[context] = entry
            self._raw_by_url[context] = self._known_urls[context][2]
        else:
            self._by_object[id(context)] = (context, entry)

    def _document(self, url: str) -> Any:
        try:
            document = self.store.get(url)
        except UnverifiableError as error:
            if error.code != "E_CONTEXT_UNKNOWN":
                raise
            raise needs_table(f"CBOR-LD here needs the JSON-LD context {url}, which skillpass does not have",
                              error.hint or "", "E_CBORLD_CONTEXT_UNKNOWN") from None
        if not isinstance(document, dict) or "@context" not in document:
            raise malformed(f"the JSON-LD context document {url} has no @context", "E_CBORLD_CONTEXT_BAD")
        return document["@context"]

    def _add(self, context: Any, url: str | None) -> Active:
        memo = getattr(self.store, "memo", None)
        if url is not None and memo is not None and isinstance(context, dict) \
                and not js_truthy(context.get("@import")):
            # A context of the store, importing nothing: its entry and the terms it adds, in
            # order, are a function of the document alone, worked out once per store.
            entry, added = memo(("cborld-terms", url, self.legacy), lambda: self._template(context))
            self._known_urls[url] = (entry, added, context)
            self.extend(entry, added)
            self._by_url[url] = entry  # shared: push() copies an entry before changing it
            self._raw_by_url[url] = context
            return entry
        return self._add_once(context, url)

    def _template(self, context: dict[str, Any]) -> tuple[Active, tuple[str, ...]]:
        recorder = _Recorder(self.ids.keywords)
        entry = Contexts(self.store, recorder, legacy=self.legacy)._add_once(context, None)
        entry.shared = True
        # the scoped contexts inside a store's context document are the store's too
        owned = self.store.memo(("cborld-owned",), dict)
        for scoped in entry.scoped.values():
            if isinstance(scoped, dict):
                owned[id(scoped)] = scoped  # kept, so the id stays this object's
        return entry, tuple(recorder.added)

    def _scoped_of_store(self, context: dict[str, Any]) -> Active | None:
        """The entry of a scoped context found in one of the store's own documents, worked out
        once per store; None for any other object (a context written in the payload)."""
        memo = getattr(self.store, "memo", None)
        if memo is None or memo(("cborld-owned",), dict).get(id(context)) is not context \
                or js_truthy(context.get("@import")):
            return None
        entry, added = memo(("cborld-scoped", id(context), self.legacy),
                            lambda: self._template(context))
        self._known_objects[id(context)] = (entry, added, context)  # owned: the id stays this object's
        self.extend(entry, added)
        return entry  # type: ignore[no-any-return]

    def extend(self, entry: Active, added: tuple[str, ...]) -> None:
        """ids.add_all(added) for the store's `entry`; when the table is one the store has seen,
        the resulting table is the store's too, built once (the ids depend only on the order
        in which the store's contexts were met)."""
        ids, derived = self.ids, self.derived
        state = ids.state
        if state is None or derived is None:
            ids.add_all(added)
            return
        found = derived.get((state, id(entry)))
        if found is None:
            ids.add_all(added)
            if ids.state is state or len(derived) >= MAX_DERIVED:  # nothing new, or no room
                return
            found = (object(), ids.to_id, ids.to_term, ids._next, entry)  # entry: keeps its id
            derived[(state, id(entry))] = found
        ids.state, ids.to_id, ids.to_term, ids._next, _entry = found
        ids._shared = True

    def _add_once(self, context: Any, url: str | None) -> Active:
        if isinstance(context, list):  # Object.keys of an array (see the module docstring)
            context = {str(i): item for i, item in enumerate(context)}
        if not isinstance(context, dict):
            raise malformed("a JSON-LD context is not an object", "E_CBORLD_CONTEXT_BAD")
        imported = context.get("@import")
        if js_truthy(imported):
            if not isinstance(imported, str):
                raise malformed("a JSON-LD context's @import is not a URL", "E_CBORLD_CONTEXT_BAD")
            if imported not in self._raw_by_url:
                if imported in self._importing:
                    raise malformed(f"the JSON-LD context {imported} imports itself", "E_CBORLD_CONTEXT_BAD")
                self._importing.add(imported)
                self._add(self._document(imported), imported)
            context = {**self._raw_by_url[imported], **context}
        entry = Active()
        for key in js_sorted(context):
            self._define(entry, key, context[key])
        if url is not None:
            self._by_url[url] = entry
            self._raw_by_url[url] = context
        return entry

    def _define(self, entry: Active, key: str, definition: Any) -> None:
        # 4.3.4 skips every falsy definition; 8 skips keywords and null, and rejects non-objects.
        if (not js_truthy(definition)) if self.legacy else (definition is None or self.ids.is_keyword(key)):
            return
        if not self.legacy and not isinstance(definition, (str, dict)):
            raise malformed(f"the JSON-LD term definition of {key!r} is not a string or an object",
                            "E_CBORLD_CONTEXT_BAD")
        # 4.3.4 tests `def === '@id' || def.id === '@id'`; 8 normalizes to {"@id": ...} first
        target = definition.get("id" if self.legacy else "@id") if isinstance(definition, dict) else definition
        if target == "@id":
            entry.id_aliases.add(key)
        elif target == "@type":
            entry.type_aliases.add(key)
        if self.ids.is_keyword(key):
            return
        self.ids.add(key)
        entry.terms[key] = definition
        scoped = definition.get("@context") if isinstance(definition, dict) else None
        if js_truthy(scoped):
            entry.scoped[key] = scoped


class _Recorder(TermIds):
    """A TermIds that only notes which terms were added, in order."""

    def __init__(self, keywords: dict[str, int]) -> None:
        super().__init__(keywords)
        self.added: list[str] = []

    def add(self, term: str) -> None:
        self.added.append(term)

    def add_all(self, terms: tuple[str, ...] | list[str]) -> None:
        self.added.extend(terms)


URL_TYPES = ("@id", "@vocab")  # a term of these types holds URLs (compressed by the URL codecs)


def term_tables(store: Any, legacy: bool) -> tuple[TermIds, Contexts]:
    """The term ids (keywords first) and the contexts that extend them, as one payload starts."""
    ids = TermIds(LEGACY_KEYWORDS if legacy else KEYWORDS, shared=True)
    contexts = Contexts(store, ids, legacy=legacy)
    ids.state = contexts.root  # the keywords alone
    return ids, contexts


@dataclass
class StoreTables:
    """What a store remembers for CBOR-LD, made from its own context documents alone (indexed by
    `legacy` where the formats differ): bounded by the store's documents, and MAX_DERIVED."""

    derived: dict[Any, Any] = field(default_factory=dict)  # merged entries, term-table states
    known_urls: tuple[dict[str, Any], dict[str, Any]] = field(default_factory=lambda: ({}, {}))
    known_objects: tuple[dict[int, Any], dict[int, Any]] = field(default_factory=lambda: ({}, {}))
    roots: tuple[object, object] = field(default_factory=lambda: (object(), object()))  # keywords only


def store_tables(store: Any) -> StoreTables | None:
    """The store's CBOR-LD tables; None for a store without a memo (nothing is remembered)."""
    memo = getattr(store, "memo", None)
    return memo(("cborld-tables",), StoreTables) if memo is not None else None  # type: ignore[no-any-return]


def term_type(active: Active, definition: Any) -> str | None:
    """The term's `@type`, a compact IRI expanded one level against the active terms."""
    declared = definition.get("@type") if isinstance(definition, dict) else None
    if not js_truthy(declared):
        return None
    if not isinstance(declared, str):
        raise malformed("a JSON-LD term's @type is not a string", "E_CBORLD_CONTEXT_BAD")
    prefix, _, rest = declared.partition(":")
    prefix_definition = active.terms.get(prefix)
    if prefix_definition is None:
        return declared
    if isinstance(prefix_definition, str):
        return prefix_definition + rest
    if isinstance(prefix_definition, dict) and isinstance(prefix_definition.get("@id"), str):
        return str(prefix_definition["@id"]) + rest
    raise malformed(f"the JSON-LD prefix {prefix!r} has no @id", "E_CBORLD_CONTEXT_BAD")


def object_types(document: dict[str, Any], active: Active) -> list[str]:
    """The object's types (from `@type` and its aliases), unique and sorted, for type scoping."""
    found: set[str] = set()
    for term in ["@type", *active.type_aliases]:
        value = document.get(term)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                found.add(item)
    return js_sorted(found)
