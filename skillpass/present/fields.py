"""Every field a learner could reveal from a credential (`skillpass show ID --fields`).

Only an ecdsa-sd-2023 *base* proof lets the holder choose (vc-di-ecdsa 3.6: the holder derives a
disclosure). Every other proof signs the credential as one whole: hiding anything would break
it, so its fields are listed all mandatory, for the learner to see what sharing it gives away.

The fields are the leaves and array elements of ecdsa_sd_2023.selectable_pointers: `id` and
`type` are not fields of their own, they travel with any field of the object they name.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from skillpass.summary import Summary

SD_SUITE = "ecdsa-sd-2023"
MAX_VALUE = 80  # characters shown of a value; the credential itself is untouched
_IDENT = re.compile(r"[A-Za-z_$@][A-Za-z0-9_$@-]*")
# One path segment as format_path writes it: .key, key (first), [3], or ["any key"].
_SEGMENT = re.compile(r'\.?[A-Za-z_$@][A-Za-z0-9_$@-]*|\[[0-9]+\]|\["(?:[^"\\]|\\.)*"\]')
_LANGUAGE_TAG = re.compile(r"[a-z]{2}(-[A-Za-z0-9]{2,8})*")
# Keys that say little alone: shown with their parent ("Achievement name", "Issuer name").
_GENERIC = frozenset({"name", "description", "narrative", "url", "image", "value", "caption",
                      "email", "identifier", "version", "code", "status", "level"})
_WORDS = {"credentialSubject": "subject", "validFrom": "valid from", "validUntil": "valid until",
          "issuanceDate": "issued on", "expirationDate": "expires on", "awardedDate": "awarded on",
          "credentialStatus": "status", "evidence": "evidence"}


@dataclass(frozen=True)
class Field:
    """One revealable field: `path` as the learner types it, `pointer` as the proof needs it."""

    path: str  # credentialSubject.achievement.alignment[0].targetName
    pointer: str  # /credentialSubject/achievement/alignment/0/targetName
    label: str  # "Alignment 1: target name"
    value: str  # a short, single-line display of the value
    mandatory: bool  # always revealed (the issuer's mandatory pointers, or a whole-only proof)

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "pointer": self.pointer, "label": self.label,
                "value": self.value, "mandatory": self.mandatory}


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


def disclosable_fields(credential: dict[str, Any], summary: Summary | None = None) -> FieldList:
    """The fields of `credential` and whether the learner may choose among them.

    `summary` (optional) supplies language-aware display values for the subject's claims.
    """
    from skillpass.errors import BadInputError
    from skillpass.suites import ecdsa_sd_2023 as sd

    if not isinstance(credential, dict):
        raise BadInputError("the credential is not a JSON object", code="E_BAD_INPUT")
    suite, reason, mandatory = _proof_situation(credential)
    document = {k: v for k, v in credential.items() if k != "proof"}
    shown = _summary_values(summary)
    fields = tuple(
        _field(document, pointer, shown, mandatory is None or covers(mandatory, pointer))
        for pointer in sd.selectable_pointers(document))
    return FieldList(reason is None, suite, reason, fields)


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


def _proof_situation(credential: dict[str, Any]) -> tuple[str, str | None, list[str] | None]:
    """(suite, reason it is whole-only or None, mandatory pointers or None for whole-only)."""
    from skillpass.suites import ecdsa_sd_2023 as sd
    from skillpass.suites.proof import suite_name

    raw = credential.get("proof")
    proofs = raw if isinstance(raw, list) else [] if raw is None else [raw]
    if not proofs:
        return "", "not signed: can only be shared whole", None
    names = [suite_name(p) if isinstance(p, dict) else "?" for p in proofs]
    suite = ", ".join(names)
    if len(proofs) > 1:
        return suite, f"signed with several proofs ({suite}): can only be shared whole", None
    if sd.is_base_proof(proofs[0]):
        return suite, None, sd.mandatory_pointers(proofs[0])
    if names[0] == SD_SUITE:
        return suite, ("already a selective disclosure (ecdsa-sd-2023 derived proof): "
                       "can only be shared as it is"), None
    return suite, f"signed with {suite}: can only be shared whole", None


def _field(document: dict[str, Any], pointer: str, shown: dict[str, str],
           mandatory: bool) -> Field:
    from skillpass.suites.sd_primitives import parse_pointer

    segments: list[tuple[str, bool]] = []
    value: Any = document
    for token in parse_pointer(pointer):
        is_index = isinstance(value, list)
        value = value[int(token)] if is_index else value[token]
        segments.append((token, is_index))
    display = shown.get(pointer) or display_value(value)
    return Field(format_path(segments), pointer, _label(segments, value), display, mandatory)


def _summary_values(summary: Summary | None) -> dict[str, str]:
    if summary is None:
        return {}
    return {claim.path: _clean(str(claim.value)) for claim in summary.claims}


# -- labels --------------------------------------------------------------------------------------

def _words(key: str) -> str:
    """camelCase / snake_case key -> lowercase words ('targetName' -> 'target name')."""
    if key in _WORDS:
        return _WORDS[key]
    key = key.rsplit("#", 1)[-1].rsplit("/", 1)[-1]  # a full IRI as key: its last part
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", key.lstrip("@")).replace("_", " ")
    return spaced.lower().strip() or key


def _label(segments: list[tuple[str, bool]], value: Any) -> str:
    """A human label from the last key or two ("Achievement name", "Alignment 1: target name")."""
    parts: list[tuple[str, int | None]] = []  # (key, array index) with indexes folded in
    for token, is_index in segments:
        if is_index and parts:
            parts[-1] = (parts[-1][0], int(token))
        else:
            parts.append((token, None))
    key, index = parts[-1]
    if len(parts) == 1 and key == "name":
        return "Credential name"
    label = _words(key) + ("" if index is None else f" {index + 1}")
    if len(parts) > 1:
        parent, parent_index = parts[-2]
        if parent_index is not None:
            label = f"{_words(parent)} {parent_index + 1}: {label}"
        elif _LANGUAGE_TAG.fullmatch(key) and index is None and isinstance(value, str):
            return f"{_label(segments[:-1], None)} ({key})"  # a JSON-LD language map entry
        elif key in _GENERIC:
            label = f"{_words(parent)} {label}"
    return label[:1].upper() + label[1:]


# -- values --------------------------------------------------------------------------------------

def display_value(value: Any, limit: int = MAX_VALUE) -> str:
    """A short single-line display: texts as written, objects as {key: value, ...}."""
    text = _clean(_render(value, limit + 1))
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _render(value: Any, budget: int) -> str:
    if isinstance(value, str):
        return value[:budget]
    if isinstance(value, dict) and "@value" in value:
        language = value.get("@language")
        return _render(value["@value"], budget) + (f" [{language}]" if language else "")
    if isinstance(value, list):
        items: list[str] = []
        for item in value:
            if sum(map(len, items)) > budget:
                break
            items.append(_render(item, budget))
        return "[" + ", ".join(items) + "]"
    if isinstance(value, dict):
        pairs: list[str] = []
        for key, item in value.items():
            if key in ("@context", "type") or sum(map(len, pairs)) > budget:
                continue
            pairs.append(f"{key}: {_render(item, budget)}")
        return "{" + ", ".join(pairs) + "}"
    return json.dumps(value)


def _clean(text: str) -> str:
    """One line, no control characters (values are untrusted and end up on a terminal)."""
    return " ".join("".join(" " if unicodedata.category(c)[0] == "C" else c for c in text).split())
