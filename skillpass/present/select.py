"""The learner's choice (--reveal FIELD ..., --reveal-all) as JSON pointers into the credential.

A FIELD is a dotted path as `skillpass show ID --fields` prints it
(`credentialSubject.achievement.name`, `...alignment[0].targetName`) or a JSON pointer
(`/credentialSubject/achievement/name`). Naming an object or array reveals everything under it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from skillpass.errors import BadInputError
from skillpass.present.fields import Field, FieldList, ancestors, covers


@dataclass(frozen=True)
class Selection:
    """What to reveal beyond the issuer's mandatory fields: `pointers`, or everything."""

    pointers: tuple[str, ...] = ()
    reveal_all: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"pointers": list(self.pointers), "revealAll": self.reveal_all}


REVEAL_ALL = Selection((), True)


def resolve_selection(field_list: FieldList, reveal: Sequence[str], reveal_all: bool,
                      *, credential_ref: str = "ID") -> Selection:
    """The Selection for --reveal / --reveal-all; `credential_ref` names the credential in hints.

    Raises BadInputError E_FIELD_UNKNOWN for a field the credential does not have, and
    E_CANNOT_HIDE when a whole-only credential would be shared with fields left out.
    """
    if reveal_all:
        return REVEAL_ALL
    names = _names(field_list)
    chosen: list[str] = []
    for name in reveal:
        pointer = names.get(name.strip())
        if pointer is None:
            raise BadInputError(f"the credential has no field {name!r}",
                                hint=f"see 'skillpass show {credential_ref} --fields'",
                                code="E_FIELD_UNKNOWN")
        chosen.append(pointer)
    pointers = _outermost(chosen)
    if not field_list.selective:
        if field_list.fields and all(covers(pointers, f.pointer) for f in field_list.fields):
            return REVEAL_ALL
        raise BadInputError(f"this credential cannot hide fields ({field_list.reason})",
                            hint="this credential can only be shared whole: use --reveal-all",
                            code="E_CANNOT_HIDE")
    return Selection(pointers, False)


def revealed_fields(field_list: FieldList, selection: Selection) -> tuple[Field, ...]:
    """The fields a verifier will see: the always-revealed ones plus the selection."""
    return tuple(f for f in field_list.fields
                 if selection.reveal_all or f.mandatory or covers(selection.pointers, f.pointer))


def revealed_pointers(field_list: FieldList, selection: Selection) -> tuple[str, ...]:
    return tuple(f.pointer for f in revealed_fields(field_list, selection))


def _names(field_list: FieldList) -> dict[str, str]:
    """Every accepted spelling (path or pointer, of a field or a parent) -> its pointer."""
    names: dict[str, str] = {}
    for field in field_list.fields:
        for path, pointer in [*ancestors(field), (field.path, field.pointer)]:
            names[path] = pointer
            names[pointer] = pointer
    return names


def _outermost(pointers: list[str]) -> tuple[str, ...]:
    """Unique pointers, in order, without those inside another chosen one."""
    unique = list(dict.fromkeys(pointers))
    return tuple(p for p in unique
                 if not any(p != q and p.startswith(q + "/") for q in unique))
