"""Reading untrusted credential JSON under a budget: every list capped, every text cut, any cut
noted in `truncated`."""

from __future__ import annotations

from itertools import islice
from typing import Any

from skillpass.langtext import LangText, language_map_terms, scalar_text, sibling_languages, text_of

MAX_ITEMS = 1000  # entries kept per list
MAX_TOTAL = 20_000  # entries kept per summary, nested credentials included
MAX_TEXT = 8192  # characters kept per value
MAX_IMAGE = 4096  # a longer image is an embedded data: URI; it stays in the credential


class Budget:
    def __init__(self) -> None:
        self.left = MAX_TOTAL


class Reader:
    """Reads untrusted JSON under a budget: lists capped, texts cut, any cut noted in `truncated`."""

    def __init__(self, budget: Budget, lang_terms: frozenset[str] = frozenset()) -> None:
        self.budget = budget
        self.lang_terms = lang_terms
        self.truncated = False

    def within(self, context: Any) -> Reader:
        """A reader for a (nested) credential: its embedded context may declare language maps."""
        return Reader(self.budget, self.lang_terms | language_map_terms(context))

    def items(self, value: Any, kind: type | tuple[type, ...] = dict) -> list[Any]:
        """The entries of a JSON-LD value (one value or an array) that have the expected type."""
        values = value if isinstance(value, list) else ([] if value is None else [value])
        limit = max(0, min(MAX_ITEMS, self.budget.left))
        picked = list(islice((v for v in values if isinstance(v, kind)), limit + 1))
        if len(picked) > limit:
            self.truncated = True
            del picked[limit:]
        self.budget.left -= len(picked)
        return picked

    def plain(self, value: Any) -> str | None:
        text = scalar_text(value)
        if text is not None and len(text) > MAX_TEXT:
            self.truncated = True
            return text[:MAX_TEXT]
        return text

    def text(self, value: Any, term: str = "") -> LangText | None:
        found = text_of(value, language_map=term in self.lang_terms)
        if found is None:
            return None
        langs = {tag: text for tag, text in found.langs.items() if len(tag) <= 64}
        if len(found.default) > MAX_TEXT or any(len(text) > MAX_TEXT for text in langs.values()):
            self.truncated = True
            return LangText(found.default[:MAX_TEXT], {t: s[:MAX_TEXT] for t, s in langs.items()})
        return found if len(langs) == len(found.langs) else LangText(found.default, langs)

    def claim_text(self, claims: dict[str, Any], key: str) -> LangText | None:
        """The text of the JSON claim `key` with the translations its sibling claims give
        (`name#fr`, `name_fr`): a plain JSON claim has no `@language` to carry them."""
        found = self.text(claims.get(key))
        if found is None:
            return None
        siblings = sibling_languages(claims, key)
        if not siblings:
            return found
        tagged = [{"@value": text, "@language": tag} for tag, text in {**siblings, **found.langs}.items()]
        return self.text([found.default, *tagged])  # cut to size as any text is

    def ref(self, value: Any) -> str | None:
        """An IRI given as a string or as a node object with an `id`."""
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, dict):
            value = value.get("id")
        return self.plain(value) if isinstance(value, str) else None

    def image(self, value: Any) -> str | None:
        image = self.ref(value)
        if image is not None and len(image) > MAX_IMAGE:
            self.truncated = True
            return None
        return image


def filled(text: LangText | None) -> LangText | None:
    """`text` when it says something, else None."""
    return text if text is not None and text.default.strip() else None


def person_name(subject: dict[str, Any], r: Reader) -> LangText | None:
    """A subject's `name`, else its givenName and familyName."""
    name = filled(r.text(subject.get("name"), "name"))
    if name is not None:
        return name
    parts = [r.plain(subject.get(key)) for key in ("givenName", "familyName")]
    joined = " ".join(part for part in parts if part)
    return LangText(joined) if joined else None
