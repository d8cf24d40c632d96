"""Compressed CBOR-LD payload -> JSON-LD (the peers' Decompressor).

The walk repeats the encoder's (see `encode`) so that contexts load, and term ids are assigned,
in the same order: contexts first, then the object's types are decoded (with the ids known so
far) to find its type-scoped contexts, then the entries in order of their decoded terms.

The legacy format is read as @digitalcredentials/cborld 4.3.4 writes it and also as
@digitalbazaar/cborld's legacy mode writes it (URL values as term ids or table ids, cryptosuite
ids, base64url multibase, data: URLs, text keys for undefined terms, a term outside its scope):
none of these is valid JSON-LD read the 4.3.4 way, so reading both cannot confuse one for the
other. Anything left that JSON cannot hold (bytes, an unknown compressed form) is an error, never
passed through.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from skillpass.encoding.cborld import codecs
from skillpass.encoding.cborld import registry as reg
from skillpass.encoding.cborld.codecs import MISSING, bad_value
from skillpass.encoding.cborld.errors import malformed, unknown_term_id
from skillpass.encoding.cborld.stack import apply_type_scopes, push, push_one
from skillpass.encoding.cborld.terms import (
    EMPTY,
    Active,
    js_sorted,
    js_truthy,
    URL_TYPES,
    term_tables,
    term_type,
)



class Decompressor:
    """One payload's decompression: the term table grows as the walk meets contexts."""

    def __init__(self, store: Any, profile: reg.Profile) -> None:
        self.profile = profile
        self.legacy = profile.legacy
        self.ids, self.contexts = term_tables(store, self.legacy)
        self.texts: dict[bytes, str] = {}  # base58 of multibase bytes met more than once

    def document(self, payload: Any) -> Any:
        if isinstance(payload, list):
            return [self.object(item, []) for item in payload]
        return self.object(payload, [])

    def object(self, compressed: Any, stack: list[Active]) -> dict[str, Any]:
        if not isinstance(compressed, dict):
            raise bad_value("an array or value where a compressed object belongs")
        out: dict[str, Any] = {}
        # 1. embedded contexts
        single, several = compressed.get(0), compressed.get(1)
        if single is not None or several is not None:
            if js_truthy(single):
                out["@context"] = self._context(single)
            if js_truthy(several):
                if js_truthy(single) or not isinstance(several, list):
                    raise malformed("the CBOR-LD payload's @context entry is malformed", "E_CBORLD_BAD_VALUE")
                out["@context"] = [self._context(item) for item in several]
            push(stack, out.get("@context"), self.contexts)
        active = stack[-1] if stack else EMPTY
        child_stack = list(stack)
        top = len(stack)
        # 2. types, decoded with the ids known before type scoping, then type-scoped contexts
        to_id = self.ids.to_id
        types: list[Any] = []  # what terms.object_types would read back from `out`
        early: dict[str, tuple[Any, bool, Any]] = {}  # term -> (value, plural, types) to reuse in 3.
        for term in ("@type", *active.type_aliases):
            term_id = to_id.get(term)
            if term_id is None:
                continue
            value = compressed.get(term_id, MISSING)
            if value is MISSING:
                value = compressed.get(term_id + 1, MISSING)
            if value is not MISSING:
                plural = isinstance(value, list)
                decoded, settled = self._settled_types(value, plural, False)
                out[term] = decoded
                types += decoded if plural else (decoded,)
                if settled:
                    early[term] = (value, plural, decoded)
        if len(types) == 1 and type(types[0]) is str:  # one type, as most objects have
            scoped = active.scoped.get(types[0])
            if type(scoped) is dict:  # what apply_type_scopes does for it, without its loop
                push_one(stack, scoped, self.contexts)
                active = stack[-1]
            elif scoped is not None:
                active = apply_type_scopes(stack, types, self.contexts)
        elif types:
            unique = {item for item in types if isinstance(item, str)}
            active = apply_type_scopes(stack, js_sorted(unique) if len(unique) > 1 else list(unique),
                                       self.contexts)
        # 3. every entry, in order of its term
        entries = []
        ascii_only = True
        to_term = self.ids.to_term
        for key, value in compressed.items():
            if type(key) is int and key >= 0:  # a term id: the term's even id, +1 for an array
                if key < 2:
                    continue
                term = to_term.get(key & ~1)
                if term is None:
                    raise unknown_term_id(key)
                entries.append((term, key & 1 == 1, value))
            else:
                term, plural = self._term(key)
                entries.append((term, plural, value))
            ascii_only = ascii_only and term.isascii()
        # by UTF-16 code unit, as JavaScript sorts; for ASCII terms that is the str order
        order = _first if ascii_only else _utf16_of_first
        plans, legacy = active.plans, self.legacy
        for term, plural, value in sorted(entries, key=order):
            plan = plans.get(term) or _plan(active, term)
            if plan[0] is _TYPE:  # read in 2. already, the same now unless some were not settled
                seen = early.get(term)
                if seen is not None and seen[0] is value and seen[1] is plural:
                    out[term] = seen[2]
                    continue
            elif plan[0] is _VALUE and plan[2] is None and not plural:  # what _entry would do, inline
                kind = type(value)
                if kind is str or (kind is int and plan[4][legacy] is None):
                    out[term] = value
                    continue
                if kind is dict:
                    out[term] = self.object(value, child_stack)
                    continue
                out[term] = self._value(value, plan[4][legacy], plan[3], child_stack)  # _entry's last case
                continue
            elif plan[0] is _ID and legacy and not plural:
                out[term] = self._legacy_id(value)
                continue
            self._entry(out, term, plural, value, active, stack, child_stack, plan)
        del stack[top:]  # type-scoped contexts only: the embedded ones stay (see `terms`)
        return out

    def _term(self, key: Any) -> tuple[str, bool]:
        if isinstance(key, str):  # an undefined term, written as text by @digitalbazaar/cborld
            return key, False
        term, plural = self.ids.term_for(key)
        if term is None:
            raise unknown_term_id(key)
        return term, plural

    def _context(self, value: Any) -> Any:
        return codecs.decode_context(value, self.profile.decode_contexts)

    def _entry(self, out: dict[str, Any], term: str, plural: bool, value: Any, active: Active,
               stack: list[Active], child_stack: list[Active], plan: Plan) -> None:
        if plural and not isinstance(value, list):
            raise bad_value(f"a single value where the array id of {term!r} promises an array")
        role, definition, scoped, kind, codecs_by_format = plan
        if role is _TYPE:
            out[term] = self._types(value, plural, strict=True)
            return
        if role is _ID:
            if self.legacy:
                out[term] = self._legacy_id(value)
            else:
                out[term] = self._values(value, plural, _URL, "@id", child_stack)
            return
        if scoped is None:
            out[term] = self._values(value, plural, codecs_by_format[self.legacy], kind, child_stack)
            return
        pushed_at = len(stack)
        push(stack, scoped, self.contexts)
        kind = term_type(stack[-1], definition)
        out[term] = self._values(value, plural, _codec(kind, definition, self.legacy), kind, list(stack))
        del stack[pushed_at:]

    def _legacy_id(self, value: Any) -> Any:
        """An @id value of the legacy format: the whole value, as 4.3.4 writes it."""
        decoded = codecs.decode_url(value, self.ids, legacy=True)
        return codecs.plain(value) if decoded is MISSING else decoded

    def _types(self, value: Any, plural: bool, *, strict: bool) -> Any:
        return self._settled_types(value, plural, strict)[0]

    def _settled_types(self, value: Any, plural: bool, strict: bool) -> tuple[Any, bool]:
        """The decoded types, and whether each was text or a term id already known: those read
        the same once type-scoped contexts have added terms (ids only grow)."""
        results = []
        settled = True
        to_term = self.ids.to_term
        for item in value if plural else (value,):
            if type(item) is str:  # a URL as it is: what decode_url and plain give back for text
                results.append(item)
                continue
            term = to_term.get(item) if type(item) is int else None
            if term is not None:  # a term id, as decode_url reads it
                results.append(term)
                continue
            settled = False
            decoded = codecs.decode_url(item, self.ids, legacy=self.legacy, strict=strict)
            results.append(codecs.plain(item) if decoded is MISSING else decoded)
        return (results if plural else results[0]), settled

    def _values(self, value: Any, plural: bool, codec: str | None, kind: str | None,
                stack: list[Active]) -> Any:
        if plural:
            return [self._value(item, codec, kind, stack) for item in value]
        return self._value(value, codec, kind, stack)

    def _value(self, value: Any, codec: str | None, kind: str | None, stack: list[Active]) -> Any:
        if value is None:
            return None
        if type(value) is str:  # no codec gives text a meaning: it is the value as it is
            return value
        if isinstance(value, dict):
            return self.object(value, stack)
        if codec is not None:
            decoded = self._typed(value, codec)
            if decoded is not MISSING:
                return decoded
        if isinstance(value, list):
            if self.legacy:
                return [self.object(item, stack) for item in value]
            return [self._value(item, codec, kind, stack) for item in value]
        if isinstance(value, bytes):
            if self.legacy and kind is None:  # @digitalbazaar/cborld legacy string table
                return codecs.decode_legacy_string(value)
            raise bad_value("bytes where JSON has none")
        return codecs.plain(value)

    def _typed(self, value: Any, codec: str) -> Any:
        if codec is _URL:
            decoded = codecs.decode_url(value, self.ids, legacy=self.legacy)
            if decoded is MISSING and not self.legacy and not isinstance(value, str):
                raise bad_value("a URL value that is not text, a term id or a compressed URL")
            return decoded
        if codec is _MULTIBASE:
            return codecs.decode_multibase(value, texts=self.texts)
        if codec is _DATETIME:
            return codecs.decode_datetime(value)
        if codec is _DATE:
            return codecs.decode_date(value)
        if codec is _CRYPTOSUITE and type(value) is int and value in reg.LEGACY_CRYPTOSUITES:
            return reg.LEGACY_CRYPTOSUITES[value]  # @digitalbazaar/cborld's legacy cryptosuite table
        return MISSING


# What a term's values are, worked out once per active context and term (Active.plans): its
# role, definition, property-scoped context, @type, and value codec in each format.
_TYPE, _ID, _VALUE = "type", "id", "value"
_URL, _MULTIBASE, _DATETIME, _DATE, _CRYPTOSUITE = "url", "multibase", "datetime", "date", "cryptosuite"
_CODECS = {reg.MULTIBASE: _MULTIBASE, reg.XSD_DATETIME: _DATETIME, reg.XSD_DATE: _DATE}
Plan = tuple[str, Any, Any, "str | None", tuple["str | None", "str | None"]]


def _plan(active: Active, term: str) -> Plan:
    plan = active.plans.get(term)
    if plan is not None:
        return plan
    definition = active.terms.get(term)
    if term == "@type" or term in active.type_aliases:
        plan = (_TYPE, definition, None, None, (None, None))
    elif term == "@id" or term in active.id_aliases:
        plan = (_ID, definition, None, None, (None, None))
    else:
        scoped = active.scoped.get(term)
        if js_truthy(scoped):  # its @type is read against the scoped context, once pushed
            plan = (_VALUE, definition, scoped, None, (None, None))
        else:
            kind = term_type(active, definition)
            plan = (_VALUE, definition, None, kind, (_codec(kind, definition, False), _codec(kind, definition, True)))
    if definition is not None or term in ("@id", "@type"):  # not for any text key: a bound
        active.plans[term] = plan
    return plan


def _codec(kind: str | None, definition: Any, legacy: bool) -> str | None:
    """Which codec reads the values of a term of this @type and definition."""
    if kind in URL_TYPES or (not legacy and isinstance(definition, dict)
                             and definition.get("@id") in ("@id", "@type")):
        return _URL
    if kind == reg.CRYPTOSUITE_STRING:
        return _CRYPTOSUITE if legacy else None
    return _CODECS.get(kind) if kind is not None else None


_first = itemgetter(0)


def _utf16_of_first(entry: tuple[str, bool, Any]) -> bytes:
    return entry[0].encode("utf-16-be", "surrogatepass")


def uncompressed(payload: Any) -> Any:
    """An uncompressed payload (tag 0x0500, registry entry 0): plain CBOR for plain JSON."""
    return codecs.plain(payload)

