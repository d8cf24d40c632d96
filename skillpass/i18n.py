"""English and French for what skillpass shows a person: tables, labels, statuses, notes, --help
and error messages, from the gettext catalog skillpass/locale/fr/LC_MESSAGES/skillpass.mo.

The language comes from `--lang`, else `SKILLPASS_LANG`, else the locale (`LC_ALL`,
`LC_MESSAGES`, `LANG`): French when it starts with `fr`. It also decides which language of a
multilingual credential value is shown. `--json` output never changes with the language: it is
for scripts. English is the source text, so English never reads the catalog (start-up time).

Messages built with f-strings (errors, hints, notes) are translated where they are printed, by
`translate_message`: their templates are in the catalog with `{0}`, `{1}`, … for each
replacement field (scripts/messages.py extracts them).
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from typing import Any

LOCALEDIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "skillpass"
PLURAL_CONTEXT = "count"  # msgctxt of the plural entries: `counted`'s words
MIN_TEMPLATE_TEXT = 8  # a template with less literal text than this matches too much to be used
_MONTHS = {"en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December"),
           "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
                  "octobre", "novembre", "décembre")}
_FIELD = re.compile(r"\{(\d+)\}")
_chosen: str | None = None


def use_language(lang: str | None) -> None:
    """Use `lang` ('en' or 'fr') whatever the environment says (`--lang`); None: the environment."""
    global _chosen
    _chosen = lang
    language.cache_clear()


@functools.cache
def language() -> str:
    if _chosen is not None:
        return _chosen
    for variable in ("SKILLPASS_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"


def preferences() -> tuple[str, ...]:
    """Language preferences for multilingual credential values (LangText.pick)."""
    return ("fr", "en") if language() == "fr" else ("en", "fr")


@functools.cache
def translations() -> Any:
    """The French catalog (a gettext.GNUTranslations), read once, only when French is asked for."""
    import gettext

    path = LOCALEDIR / "fr" / "LC_MESSAGES" / f"{DOMAIN}.mo"
    try:
        with path.open("rb") as mo:
            return gettext.GNUTranslations(mo)
    except OSError:  # a source checkout before `python scripts/messages.py compile`
        return gettext.NullTranslations()


def catalog() -> dict[str, str]:
    """Every singular msgid of the French catalog and its msgstr (tests, tools)."""
    messages = getattr(translations(), "_catalog", {})
    return {k: v for k, v in messages.items() if isinstance(k, str) and k and "\x04" not in k}


def _(text: str) -> str:
    """`text` in the user's language (English is the source). An empty text stays empty: gettext
    answers "" with the catalog's header."""
    return translations().gettext(text) if text and language() == "fr" else text


def colon() -> str:
    """What goes between a label and its value: ': ' in English, ' : ' in French (typography)."""
    return " : " if language() == "fr" else ": "


def semicolon() -> str:
    """What joins a message and its hint: '; ' in English, ' ; ' in French (typography)."""
    return " ; " if language() == "fr" else "; "


def counted(count: int, one: str, many: str) -> str:
    """The word for `count` things: `one` or `many` (English), in the user's language (French
    takes the singular for 0 and 1: the catalog's Plural-Forms)."""
    if language() != "fr":
        return one if count == 1 else many
    french = translations()
    if (f"{PLURAL_CONTEXT}\x04{one}", 0) in getattr(french, "_catalog", {}):  # a word with its own plural
        return french.npgettext(PLURAL_CONTEXT, one, many, count)
    return french.gettext(one if count <= 1 else many)


def translate_message(text: str, depth: int = 3) -> str:
    """The French of a message built at run time (an error, a hint, a note), found by its template
    in the catalog; a value captured by a template is itself translated, `depth` levels down
    (`f"{file}: {exc.message}"`). English, and a message without a template, come back unchanged."""
    if language() != "fr" or not text:
        return text
    exact = catalog().get(text)
    if exact is not None:
        return exact
    for parts, msgstr in _templates():
        if not all(part in text for part in parts[0::2]):  # cheap: only a candidate is compiled
            continue
        match = _regex(parts).match(text)
        if match is None:
            continue
        values = match.groups()

        def value(field: re.Match[str]) -> str:
            index = int(field.group(1))
            if index >= len(values):
                return field.group(0)
            return translate_message(values[index], depth - 1) if depth > 1 else values[index]

        return _FIELD.sub(value, msgstr)
    return text


@functools.cache
def _templates() -> tuple[tuple[tuple[str, ...], str], ...]:
    """The catalog's templates split at their `{N}` fields (literal, field, literal, ...), the most
    literal text first."""
    found = []
    for msgid, msgstr in catalog().items():
        parts = tuple(_FIELD.split(msgid))
        if len(parts) == 1:
            continue
        literal = "".join(parts[0::2])
        if len(literal.strip()) >= MIN_TEMPLATE_TEXT:
            found.append((len(literal), parts, msgstr))
    found.sort(key=lambda item: -item[0])
    return tuple((parts, msgstr) for _length, parts, msgstr in found)


@functools.cache
def _regex(parts: tuple[str, ...]) -> re.Pattern[str]:
    """A template as an anchored regex: literal parts escaped, each field `(.*?)` (a value may be
    empty: the 's' of f"credential{'s' * (n != 1)}"); fields are numbered in order of
    appearance, so group k is field {k}."""
    regex = "".join(re.escape(part) if i % 2 == 0 else "(.*?)" for i, part in enumerate(parts))
    return re.compile(rf"\A{regex}\Z", re.DOTALL)


def format_date(value: str | None) -> str:
    """A date as a person reads it in the language: '1 December 2026' / '1er décembre 2026' (the
    day only; a value that is not a date is shown as written)."""
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", value or "")
    if match is None or not 1 <= int(match.group(2)) <= 12:
        return value or ""
    year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3))
    if language() == "fr":
        return f"{'1er' if day == 1 else day} {_MONTHS['fr'][month - 1]} {year}"
    return f"{day} {_MONTHS['en'][month - 1]} {year}"


def format_number(value: float | int | None) -> str:
    """12,345.5 in English, 12 345,5 in French (a narrow no-break space between thousands)."""
    if value is None:
        return ""
    text = f"{value:,.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"
    if language() == "fr":
        return text.replace(",", "\u202f").replace(".", ",")
    return text


def __getattr__(name: str) -> Any:
    """`i18n.FR`, the French of every singular message, for the tests written before the catalog."""
    if name == "FR":
        return catalog()
    raise AttributeError(name)
