"""JSON-LD -> compressed CBOR-LD payload (the peers' Compressor), before the tag is added.

Per object, in the order the decoder will repeat (see `terms`):
1. push the object's `@context` entries and write them (a registered URL as its id);
2. push the type-scoped contexts of its types;
3. for each key in sorted order: its term id (id + 1 for an array), then its value(s): `@id` and
   `@type` values as URLs or term ids, values of typed terms through the codecs, objects
   recursively (under the term's property-scoped context, if any), anything else as it is.

In the legacy format every key must be a term its active contexts define (else
E_CBORLD_UNENCODABLE, as the peer's ERR_UNKNOWN_CBORLD_TERM), or `@id` or `@type`: 4.3.4 fails on
every other keyword key (`@value`, `@language`, `@list`...) when writing and when reading, so a
value object is refused rather than written unreadable. CBOR-LD 1.0 writes keyword keys, and an
undefined term as a text key, as @digitalbazaar/cborld 8 does. In both, an `@id` or `@type` value
(or a value of an `@id`-typed term) that is not a string is refused: 4.3.4 passes it through, but
8 reads a number there as a term id.
"""

from __future__ import annotations

from typing import Any

from skillpass.encoding.cborld import codecs
from skillpass.encoding.cborld import registry as reg
from skillpass.encoding.cborld.codecs import MISSING
from skillpass.encoding.cborld.errors import LEGACY_KEYWORD, unencodable
from skillpass.encoding.cborld.stack import apply_type_scopes, push
from skillpass.encoding.cborld.terms import (
    EMPTY,
    Active,
    js_sorted,
    js_truthy,
    object_types,
    URL_TYPES,
    term_tables,
    term_type,
)
from skillpass.encoding.cborld.wire import MAX_DEPTH

# An object level takes up to two CBOR levels (a map in an array), and a URL one more.
MAX_OBJECT_DEPTH = MAX_DEPTH // 2 - 2


class Compressor:
    """One document's compression: the term table grows as the walk meets contexts."""

    def __init__(self, store: Any, profile: reg.Profile) -> None:
        self.profile = profile
        self.legacy = profile.legacy
        self.ids, self.contexts = term_tables(store, self.legacy)

    def document(self, document: Any) -> Any:
        if isinstance(document, list):
            return [self.object(item, [], f"/{i}", 1) for i, item in enumerate(document)]
        return self.object(document, [], "", 0)

    def object(self, obj: Any, stack: list[Active], path: str, depth: int) -> dict[Any, Any]:
        if not isinstance(obj, dict):
            raise unencodable(f"CBOR-LD can only carry a JSON object at {path or '/'}, not "
                              f"{type(obj).__name__}")
        if depth > MAX_OBJECT_DEPTH:
            raise unencodable(f"the document nests deeper than {MAX_OBJECT_DEPTH} objects at {path}")
        out: dict[Any, Any] = {}
        # 1. embedded contexts
        context = obj.get("@context")
        push(stack, context, self.contexts)
        if js_truthy(context):
            if isinstance(context, list):
                out[1] = [codecs.encode_context(c, self.profile.encode_contexts) for c in context]
            else:
                out[0] = codecs.encode_context(context, self.profile.encode_contexts)
        active = stack[-1] if stack else EMPTY
        child_stack = list(stack)
        top = len(stack)
        # 2. type-scoped contexts
        active = apply_type_scopes(stack, object_types(obj, active), self.contexts)
        # 3. every other key
        for key in js_sorted(obj):
            if key != "@context":
                self._entry(out, key, obj[key], active, stack, child_stack, f"{path}/{key}", depth)
        del stack[top:]  # type-scoped contexts only: the embedded ones stay (see `terms`)
        return out

    def _entry(self, out: dict[Any, Any], key: str, value: Any, active: Active, stack: list[Active],
               child_stack: list[Active], path: str, depth: int) -> None:
        definition = active.terms.get(key)
        plural = isinstance(value, list)
        keyword = key.startswith("@") and self.ids.is_keyword(key)
        if keyword and self.legacy and key not in ("@id", "@type"):
            raise unencodable(f"{key!r} at {path}: the legacy format's readers (@digitalcredentials/"
                              "cborld 4) cannot carry JSON-LD keywords other than @context, @id and @type",
                              "share it as JSON, or as CBOR-LD 1.0 if the verifier reads it", code=LEGACY_KEYWORD)
        undefined = definition is None and not keyword
        if undefined and self.legacy:
            raise unencodable(f"{key!r} at {path} is not a term of its JSON-LD contexts, which CBOR-LD needs")
        if undefined and key not in self.ids.to_id:  # CBOR-LD 1.0: the term itself as a text key
            out[key] = self._values(value, plural, None, {}, child_stack, path, depth)
            return
        term_id = self.ids.to_id[key] + (1 if plural else 0)
        is_id = key == "@id" or key in active.id_aliases
        is_type = key == "@type" or key in active.type_aliases
        if (is_id or is_type) and not all(isinstance(item, str) for item in (value if plural else [value])):
            raise _not_a_url(path)
        if (is_id or is_type) and not self.legacy:  # CBOR-LD 1.0: each value is a URL or a term
            out[term_id] = self._values(value, plural, "@vocab", {}, child_stack, path, depth)
            return
        if is_id:  # the whole value, as 4.3.4's _transformObjectId does (an array stays as is)
            encoded = codecs.encode_url(value, legacy=True)
            out[term_id] = value if encoded is MISSING else encoded
            return
        if is_type:
            items = value if plural else [value]
            types = [item if (encoded := self._term_or_url(item)) is MISSING else encoded for item in items]
            out[term_id] = types if plural else types[0]
            return
        property_stack, pushed_at = child_stack, None
        scope = active
        scoped = active.scoped.get(key)
        if js_truthy(scoped):
            pushed_at = len(stack)
            push(stack, scoped, self.contexts)
            scope, property_stack = stack[-1], list(stack)
        kind = term_type(scope, definition)
        out[term_id] = self._values(value, plural, kind, definition, property_stack, path, depth)
        if pushed_at is not None:
            del stack[pushed_at:]

    def _values(self, value: Any, plural: bool, kind: str | None, definition: Any,
                stack: list[Active], path: str, depth: int) -> Any:
        items = value if plural else [value]
        results = [self._value(item, kind, definition, stack, f"{path}/{i}" if plural else path, depth)
                   for i, item in enumerate(items)]
        return results if plural else results[0]

    def _value(self, value: Any, kind: str | None, definition: Any, stack: list[Active], path: str,
               depth: int) -> Any:
        if value is None:
            return None
        encoded = self._typed(value, kind, definition, path)
        if encoded is not MISSING:
            return encoded
        if isinstance(value, dict):
            return self.object(value, stack, path, depth + 1)
        if isinstance(value, list):
            if self.legacy:  # the legacy walk reads an array in an array as objects only
                return [self.object(item, stack, f"{path}/{i}", depth + 1) for i, item in enumerate(value)]
            return [self._value(item, kind, definition, stack, f"{path}/{i}", depth + 1)
                    for i, item in enumerate(value)]
        return value

    def _typed(self, value: Any, kind: str | None, definition: Any, path: str) -> Any:
        if self.legacy and kind in URL_TYPES:
            if isinstance(value, (dict, list)):
                return MISSING
            if not isinstance(value, str):  # 4.3.4 would pass it, but 8 reads a number as a term
                raise _not_a_url(path)
            return codecs.encode_url(value, legacy=True) if kind == "@id" else self._term_or_url(value)
        elif not self.legacy and (kind in URL_TYPES or (isinstance(definition, dict)
                                                         and definition.get("@id") in ("@id", "@type"))):
            if isinstance(value, (dict, list)):
                return MISSING
            return self._url_1_0(value, path)
        if kind == reg.MULTIBASE:
            return codecs.encode_multibase(value, legacy=self.legacy)
        if kind == reg.XSD_DATETIME:
            return codecs.encode_datetime(value, legacy=self.legacy)
        if kind == reg.XSD_DATE:
            return codecs.encode_date(value, legacy=self.legacy)
        return MISSING

    def _term_or_url(self, value: Any) -> Any:
        if isinstance(value, str) and value in self.ids.to_id:
            return self.ids.to_id[value]
        return codecs.encode_url(value, legacy=self.legacy)

    def _url_1_0(self, value: Any, path: str) -> Any:
        if not isinstance(value, str):
            raise _not_a_url(path)
        encoded = self._term_or_url(value)
        return value if encoded is MISSING else encoded


def _not_a_url(path: str) -> Exception:
    return unencodable(f"the @id, @type or URL value at {path} is not a string",
                       "JSON-LD needs a string there: check the document")
