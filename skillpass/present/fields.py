"""A revealable field, as `skillpass show ID --fields` lists it, whatever the format: its path as
the learner types it, its JSON pointer, a human label and a one-line display of its value.

Each format says which fields a credential has and which are always revealed
(formats/ldp_vc/fields.py, formats/sd_jwt_vc/fields.py); the paths and values are here, the labels in
present/labels.py.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from skillpass.present.labels import label

if TYPE_CHECKING:
    from skillpass.summary import Summary

# Why a field is always revealed.
BY_ISSUER, HOLDER_BINDING, REQUIRED, WHOLE = "issuer", "holder binding", "required", "whole"
IDENTIFIER = "identifier"  # the id of an object a revealed field is in: it goes out with the field
MAX_VALUE = 80  # characters a short display shows of a value; the credential itself is untouched
MAX_RENDER = 1 << 20  # a whole value's display stops growing here (an 8 MiB credential is the bound)
_IDENT = re.compile(r"[A-Za-z_$@][A-Za-z0-9_$@-]*")
# One path segment as format_path writes it: .key, key (first), [3], or ["any key"].
_SEGMENT = re.compile(r'\.?[A-Za-z_$@][A-Za-z0-9_$@-]*|\[[0-9]+\]|\["(?:[^"\\]|\\.)*"\]')


@dataclass(frozen=True)
class Field:
    """One revealable field: `path` as the learner types it, `pointer` as the proof needs it."""

    path: str  # credentialSubject.achievement.alignment[0].targetName
    pointer: str  # /credentialSubject/achievement/alignment/0/targetName
    label: str  # "Alignment 1: target name"
    value: str  # a short, single-line display of the value
    mandatory: bool  # always revealed
    why: str | None = None  # BY_ISSUER, HOLDER_BINDING, REQUIRED, WHOLE or IDENTIFIER when mandatory
    # The claims (paths) revealed whole with this field: an SD-JWT issuer made each one disclosure,
    # so every field under it that no other disclosure hides goes out with this one.
    together: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "pointer": self.pointer, "label": self.label,
                "value": self.value, "mandatory": self.mandatory, "why": self.why,
                "together": list(self.together)}


@dataclass(frozen=True)
class FieldList:
    """What `show --fields` prints. `selective` only for an ecdsa-sd-2023 base proof."""

    selective: bool
    suite: str
    reason: str | None  # why nothing can be hidden, when `selective` is False
    fields: tuple[Field, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"selective": self.selective, "suite": self.suite, "reason": self.reason,
                "fields": [f.to_dict() for f in self.fields]}


def covers(pointers: Sequence[str], pointer: str) -> bool:
    """True when `pointer` is one of `pointers` or lies under one of them."""
    return any(pointer == p or pointer.startswith(p + "/") for p in pointers)


def ancestors(field: Field) -> list[tuple[str, str]]:
    """(path, pointer) of each object or array above `field`, outermost first (root excluded)."""
    segments = [m.group(0) for m in _SEGMENT.finditer(field.path)]
    tokens = field.pointer.split("/")[1:]
    if len(segments) != len(tokens) or "".join(segments) != field.path:
        return []  # not a path this module wrote: no parents to offer
    return [("".join(segments[:n]).lstrip("."), "/" + "/".join(tokens[:n]))
            for n in range(1, len(tokens))]


def format_path(segments: Sequence[tuple[str, bool]]) -> str:
    """Dotted path of (token, is_array_index) steps: a.b[0].c, or a["odd key"] for other keys."""
    out: list[str] = []
    for token, is_index in segments:
        if is_index:
            out.append(f"[{token}]")
        elif _IDENT.fullmatch(token):
            out.append(("." if out else "") + token)
        else:
            out.append("[" + json.dumps(token, ensure_ascii=False) + "]")
    return "".join(out)


def field_at(document: dict[str, Any], pointer: str, shown: dict[str, str],
           why: str | None) -> Field:
    segments, value = _walk(document, pointer)
    display = shown.get(pointer) or display_value(value, limit=None)
    return Field(format_path(segments), pointer, label(segments, value), display, why is not None, why)


def label_of(document: Any, pointer: str) -> str:
    """The label a field at `pointer` gets ("Achievement name"); the pointer when it does not
    resolve in `document`."""
    try:
        segments, value = _walk(document, pointer)
    except (KeyError, IndexError, TypeError, ValueError):
        return pointer
    return label(segments, value) if segments else pointer


def label_at(steps: list[tuple[str, bool]], value: Any) -> str:
    """The label of the field reached by the (token, is_array_index) `steps` (at least one),
    whose value is `value`: what label_of gives its pointer, for a caller that walked there."""
    return label(steps, value)


def _walk(document: Any, pointer: str) -> tuple[list[tuple[str, bool]], Any]:
    """The (token, is_array_index) steps to `pointer` and the value there."""
    from skillpass.encoding.pointer import parse_pointer

    segments: list[tuple[str, bool]] = []
    value: Any = document
    for token in parse_pointer(pointer):
        is_index = isinstance(value, list)
        value = value[int(token)] if is_index else value[token]
        segments.append((token, is_index))
    return segments, value


def summary_values(summary: Summary | None) -> dict[str, str]:
    if summary is None:
        return {}
    return {claim.path: _clean(str(claim.value)) for claim in summary.claims}


# -- values --------------------------------------------------------------------------------------

def display_value(value: Any, limit: int | None = MAX_VALUE) -> str:
    """A single-line display: texts as written, objects as {key: value, ...}; cut with an
    ellipsis at `limit` characters, or whole when `limit` is None."""
    text = _clean(_render(value, MAX_RENDER if limit is None else limit + 1))
    return text if limit is None or len(text) <= limit else text[:limit - 1] + "…"


def _render(value: Any, budget: int) -> str:
    """The display of `value`, stopping once about `budget` characters are written."""
    parts: list[str] = []
    _render_into(value, budget, parts, [0])
    return "".join(parts)


def _render_into(value: Any, budget: int, parts: list[str], used: list[int]) -> None:
    def emit(text: str) -> None:
        parts.append(text)
        used[0] += len(text)

    if isinstance(value, str):
        emit(value[:max(0, budget - used[0])])
    elif isinstance(value, dict) and "@value" in value:
        _render_into(value["@value"], budget, parts, used)
        if isinstance(value.get("@language"), str):
            emit(f" [{value['@language']}]")
    elif isinstance(value, (list, dict)):
        items = value if isinstance(value, list) else [
            (k, v) for k, v in value.items() if k not in ("@context", "type")]
        emit("[" if isinstance(value, list) else "{")
        for number, item in enumerate(items):
            if used[0] > budget:
                break
            if number:
                emit(", ")
            if isinstance(value, dict):
                emit(f"{item[0]}: ")
                item = item[1]
            _render_into(item, budget, parts, used)
        emit("]" if isinstance(value, list) else "}")
    else:
        emit(json.dumps(value))


_SPACES = re.compile("[ \t\n\r]+")


def _clean(text: str) -> str:
    """One line: each run of spaces, tabs and line breaks is one space. Every other control is
    kept, for render.text.visible to show as an escape (\\x1b) on a terminal: a space in its
    place would hide that the text was altered."""
    return _SPACES.sub(" ", text).strip(" ")
