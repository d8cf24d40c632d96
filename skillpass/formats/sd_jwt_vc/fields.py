"""The claims of a kept SD-JWT VC a learner could reveal, and what a choice of them discloses.

Every leaf of the claims (with every disclosure applied) is a field, addressed by a JSON pointer
(`/address/locality`, `/nationalities/1`). A leaf is revealed when every disclosure on its way
from the top is presented (RFC 9901 §7.1: a nested disclosure sits inside its parent's value);
a leaf no disclosure covers is always revealed (`why` = issuer), and `cnf` (the key the holder
proves possession of) is one field, always revealed for holder binding.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from skillpass.encoding.pointer import child_pointer, parse_pointer
from skillpass.formats.sd_jwt_vc.sd_jwt import Path, needed_for
from skillpass.present.fields import BY_ISSUER, HOLDER_BINDING, Field, FieldList, field_at, summary_values

if TYPE_CHECKING:
    from skillpass.formats.sd_jwt_vc.vc import Held
    from skillpass.present.select import Selection
    from skillpass.summary import Summary

_WHOLE_CLAIMS = frozenset({"cnf"})  # one field each, however nested
_DATES = ("iat", "nbf", "exp")
MAX_DEPTH = 64


@dataclass(frozen=True)
class Leaf:
    path: Path
    pointer: str
    needs: frozenset[str]  # the disclosures (as received) a verifier needs to see this leaf


def leaves(held: Held) -> list[Leaf]:
    by_path = {path: text for text, path in held.processed.paths.items()}
    return list(_walk(held.claims, (), "", frozenset(), by_path, 0))


def _walk(value: Any, path: Path, pointer: str, needs: frozenset[str], by_path: dict[Path, str],
          depth: int) -> Iterator[Leaf]:
    if path in by_path:
        needs = needs | {by_path[path]}
    container = isinstance(value, (dict, list)) and value and depth < MAX_DEPTH
    if not container or (len(path) == 1 and path[0] in _WHOLE_CLAIMS):
        if path:
            yield Leaf(path, pointer, needs)
        return
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, child in items:
        yield from _walk(child, (*path, key), child_pointer(pointer, str(key)), needs, by_path, depth + 1)


def disclosable_fields(held: Held, summary: Summary | None = None) -> FieldList:
    from skillpass.encoding.dates import from_numeric_date

    shown = summary_values(summary)
    for name in _DATES:  # NumericDates shown as dates; the credential keeps its numbers
        when = from_numeric_date(held.claims.get(name))
        if when is not None:
            shown[f"/{name}"] = when
    found = leaves(held)
    fields = tuple(replace(_relabelled(field_at(held.claims, leaf.pointer, shown, _why(leaf))), together=with_it)
                   for leaf, with_it in zip(found, _together(found, held.processed.paths)))
    alg = held.sd.issuer_jwt.alg
    if held.processed.paths:
        return FieldList(True, f"SD-JWT ({alg})", None, fields)
    return FieldList(False, f"SD-JWT ({alg})", "the issuer made no claim selectively disclosable: "
                     "can only be shared whole", fields)


def _together(found: list[Leaf], paths: dict[str, Path]) -> list[tuple[str, ...]]:
    """For each leaf, the claims whose disclosure it needs that reveal other leaves too (a whole
    `skills` array, an address with its members): presenting a leaf's disclosures reveals every
    leaf whose innermost disclosure is one of them, since nested disclosures form a chain along
    the path (RFC 9901 §7.1). Counted per disclosure, so a 10,000-element array costs no more
    than its leaves."""
    from collections import Counter

    from skillpass.present.fields import format_path

    def innermost(leaf: Leaf) -> str | None:
        return max(leaf.needs, key=lambda text: len(paths[text])) if leaf.needs else None

    inner = [innermost(leaf) for leaf in found]
    revealing = Counter(text for text in inner if text is not None)
    return [tuple(format_path([(str(t), isinstance(t, int)) for t in paths[text]])
                  for text in sorted(leaf.needs, key=lambda text: len(paths[text]))
                  if revealing[text] > (1 if text == own else 0))
            for leaf, own in zip(found, inner)]


def _relabelled(field: Field) -> Field:
    """SD-JWT VC claims follow OpenID Connect: a top-level `name` is the holder's, not the
    credential's."""
    return replace(field, label="Name") if field.pointer == "/name" else field


def _why(leaf: Leaf) -> str | None:
    if leaf.needs:
        return None
    return HOLDER_BINDING if leaf.path[0] in _WHOLE_CLAIMS else BY_ISSUER


def disclosures_for(held: Held, selection: Selection) -> set[str]:
    """The disclosures (as received) that reveal the selection."""
    if selection.reveal_all:
        return {d.text for d in held.sd.disclosures}
    return set(needed_for([claim_path(held.claims, p) for p in selection.pointers], held.processed))


def always_sent(held: Held, selection: Selection) -> list[dict[str, Any]]:
    """What a presentation carries beside its fields: a digest of every disclosable claim in the
    issuer's JWT and in each disclosure presented (RFC 9901 §4.2.4), hidden claims' included.
    Not their values, but a verifier can count them (decoys aside, §4.2.5)."""
    presented = disclosures_for(held, selection)
    values = [held.sd.unverified_payload, *(d.value for d in held.sd.disclosures if d.text in presented)]
    count = sum(_digests(value, 0) for value in values)
    return [{"name": "_sd", "value": str(count)}] if count else []


def _digests(value: Any, depth: int) -> int:
    if depth > MAX_DEPTH:
        return 0
    if isinstance(value, dict):
        own = value.get("_sd")
        return (len(own) if isinstance(own, list) else 0) + (1 if set(value) == {"..."} else 0) + sum(
            _digests(v, depth + 1) for k, v in value.items() if k != "_sd")
    if isinstance(value, list):
        return sum(_digests(v, depth + 1) for v in value)
    return 0


def revealed(held: Held, fields: FieldList, selection: Selection) -> tuple[Field, ...]:
    """The fields a verifier sees when the selection's disclosures are presented."""
    presented = disclosures_for(held, selection)
    visible = {leaf.pointer for leaf in leaves(held) if leaf.needs <= presented}
    return tuple(f for f in fields.fields if f.pointer in visible)


def claim_path(claims: Any, pointer: str) -> Path:
    """The claim path (keys and array indexes) a JSON pointer names in `claims`."""
    path: list[str | int] = []
    value = claims
    for token in parse_pointer(pointer):
        if isinstance(value, list):
            path.append(int(token))
            value = value[int(token)]
        else:
            path.append(token)
            value = value[token]
    return tuple(path)
