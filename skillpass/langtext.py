"""Multilingual text, kept with its languages so a view can show French or English per locale.

Credentials carry text as a plain string, a JSON-LD value object `{"@value": ..., "@language": "fr"}`,
an array of those (VC Data Model 2.0 §11.1 "Language and Base Direction"), or a JSON-LD language map
(`{"fr": ..., "en": ...}`, JSON-LD 1.1 §4.6.1) when the context declares the term `@container: @language`.
Plain JSON claims (SD-JWT VC, MATTR compact credentials) give a claim's other languages in sibling
claims instead: `name#fr` (OpenID Connect Core 1.0 §5.2), or `name_fr`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from types import MappingProxyType
from typing import Any

# A text with more alternatives than this is hostile, not bilingual.
MAX_ALTERNATIVES = 64
# Most texts have no language; sharing one immutable empty map keeps `list` from allocating one each.
_NO_LANGS: Mapping[str, str] = MappingProxyType({})
# A language tag after '#' in a claim's name (BCP 47's shape, loosely: OIDC Core §5.2 names no more).
_CLAIM_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,4}")
# `name_fr`: only the languages skillpass speaks, since `_id`, `_no` or `_de` end many claim
# names that are no translation ("award_id" is not the award's title in Indonesian).
_UNDERSCORE_TAGS = ("fr", "en")


@dataclass(frozen=True)
class LangText:
    """A display text: `default` (what `str()` gives) plus its values by language tag, as given."""

    default: str
    langs: Mapping[str, str] = field(default_factory=lambda: _NO_LANGS, hash=False)

    def __str__(self) -> str:
        return self.default

    def pick(self, lang_preferences: Sequence[str]) -> str:
        """The value for the first preference that matches (RFC 4647 lookup, then same primary
        language: "fr" finds "fr-CA"), else `default`. Accepts POSIX locales like "fr_CA.UTF-8"."""
        if not self.langs:
            return self.default
        by_tag = {tag.lower(): value for tag, value in self.langs.items()}
        # A default in no language is the issuer's own text: it answers a reader whose first
        # language is missing before a translation into their second does.
        untagged = self.default not in self.langs.values()
        for n, pref in enumerate(lang_preferences):
            if n == 1 and untagged:
                break
            wanted = pref.split(".")[0].replace("_", "-").lower()
            found = _lookup(by_tag, wanted)
            if found is not None:
                return found
        return self.default

    def to_json(self) -> str | dict[str, Any]:
        if not self.langs:
            return self.default
        return {"default": self.default, "langs": dict(self.langs)}

    @classmethod
    def from_json(cls, value: str | Mapping[str, Any]) -> LangText:
        # Bypasses the frozen __init__ (one object.__setattr__ per field): `list` decodes thousands.
        text = object.__new__(cls)
        if type(value) is str:
            text.__dict__.update(default=value, langs=_NO_LANGS)
        else:
            text.__dict__.update(default=value["default"], langs=dict(value["langs"]))
        return text


def _lookup(by_tag: Mapping[str, str], wanted: str) -> str | None:
    if not wanted or wanted == "*":
        return None
    tag = wanted
    while tag:
        if tag in by_tag:
            return by_tag[tag]
        tag = tag.rpartition("-")[0]
    primary = wanted.split("-")[0] + "-"
    for candidate, value in by_tag.items():
        if candidate.startswith(primary):
            return value
    return None


def scalar_text(value: Any) -> str | None:
    """A JSON scalar as display text, exactly as written (no date or number coercion)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        try:
            return json.dumps(value)
        except (ValueError, OverflowError):
            return None
    return None


def text_of(value: Any, *, language_map: bool = False) -> LangText | None:
    """Read a text-valued JSON-LD property; None when it holds no text.

    `language_map` says the active context declares this term a language container; without
    that declaration an object is not text (JSON-LD would not read it as one either).
    """
    if isinstance(value, list):
        return merge(text_of(item) for item in value[:MAX_ALTERNATIVES] if not isinstance(item, list))
    if isinstance(value, dict):
        if "@value" in value:
            return _value_object(value)
        if language_map:
            return _language_map(value)
        return None
    text = scalar_text(value)
    return None if text is None else LangText(text)


def merge(parts: Iterable[LangText | None]) -> LangText | None:
    """One text from alternatives: the default is the first value without a language, else the
    first value; the first value given for a language wins."""
    plain: str | None = None
    first: str | None = None
    langs: dict[str, str] = {}
    for part in parts:
        if part is None:
            continue
        if first is None:
            first = part.default
        if not part.langs and plain is None:
            plain = part.default
        for tag, text in part.langs.items():
            langs.setdefault(tag, text)
    if first is None:
        return None
    return LangText(plain if plain is not None else first, langs)


def _value_object(value: Mapping[str, Any]) -> LangText | None:
    text = scalar_text(value.get("@value"))
    if text is None:
        return None
    tag = value.get("@language")
    return LangText(text, {tag: text}) if isinstance(tag, str) and tag else LangText(text)


def _language_map(value: Mapping[str, Any]) -> LangText | None:
    parts: list[LangText] = []
    for tag, entry in islice(value.items(), MAX_ALTERNATIVES):
        for item in entry if isinstance(entry, list) else [entry]:
            if not isinstance(item, str):
                continue
            # JSON-LD 1.1 §9.8: "@none" holds values without a language.
            parts.append(LangText(item) if tag == "@none" else LangText(item, {tag: item}))
    return merge(parts)


def sibling_languages(claims: Mapping[str, Any], key: str) -> dict[str, str]:
    """The translations of the claim `key` that sibling claims give, by language tag:
    `key#fr-CA` (OpenID Connect Core 1.0 §5.2, which SD-JWT VC claims follow) and `key_fr`,
    `key_en` (what issuers of free-form claims write, as the demo's MATTR credential does)."""
    found: dict[str, str] = {}
    for tag in _UNDERSCORE_TAGS:
        value = claims.get(f"{key}_{tag}")
        if isinstance(value, str) and value.strip():
            found[tag] = value
    prefix = f"{key}#"
    for name, value in islice(claims.items(), MAX_ALTERNATIVES * 16):
        if (isinstance(name, str) and name.startswith(prefix) and isinstance(value, str) and value.strip()
                and _CLAIM_TAG.fullmatch(name[len(prefix):]) and len(found) < MAX_ALTERNATIVES):
            found.setdefault(name[len(prefix):], value)
    return found


def language_map_terms(context: Any) -> frozenset[str]:
    """Terms an embedded context declares as language maps. Remote contexts are not read here:
    none of the bundled ones declares any."""
    terms: set[str] = set()
    for entry in context if isinstance(context, list) else [context]:
        if not isinstance(entry, dict):
            continue
        for term, definition in entry.items():
            if isinstance(definition, dict) and _is_language_container(definition.get("@container")):
                terms.add(term)
    return frozenset(terms)


def _is_language_container(container: Any) -> bool:
    if isinstance(container, list):
        return "@language" in container
    return container == "@language"
