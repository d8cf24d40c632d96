"""Claims: the subject data of a credential without a richer shape, flattened to JSON pointers."""

from __future__ import annotations

from itertools import islice
from typing import Any

from skillpass.encoding.pointer import child_pointer
from skillpass.langtext import LangText
from skillpass.summary.model import Claim
from skillpass.summary.reader import MAX_ITEMS, Reader

MAX_CLAIM_DEPTH = 32
MAX_POINTER = 1024
_SKIP_KEYS = frozenset({"@context", "_sd", "_sd_alg"})


def claims_of(root: Any, pointer: str, r: Reader) -> list[Claim]:
    out: list[Claim] = []
    stack: list[tuple[str, Any, int]] = [(pointer, root, 0)]
    while stack:
        path, value, depth = stack.pop()
        if len(out) >= MAX_ITEMS or r.budget.left <= 0:
            r.truncated = True
            break
        leaf = _leaf(value, path, r)
        if leaf is not None:
            if len(path) > MAX_POINTER:
                r.truncated = True
                continue
            out.append(Claim(path, leaf))
            r.budget.left -= 1
        elif isinstance(value, (dict, list)):
            if depth >= MAX_CLAIM_DEPTH:
                r.truncated = True
                continue
            children = _children(value, path, depth + 1, r)
            if depth == 0:  # the subject's own id and type are shown elsewhere
                children = [c for c in children if c[0] not in (f"{pointer}/id", f"{pointer}/type")]
            stack.extend(reversed(children))
    return out


def _leaf(value: Any, path: str, r: Reader) -> LangText | None:
    if isinstance(value, dict):
        key = path.rpartition("/")[2]
        return r.text(value, key) if "@value" in value or key in r.lang_terms else None
    if isinstance(value, list):
        multilingual = value and all(isinstance(v, dict) and "@value" in v for v in value[:MAX_ITEMS])
        return r.text(value) if multilingual else None
    return r.text(value)


def _children(value: dict[str, Any] | list[Any], path: str, depth: int,
              r: Reader) -> list[tuple[str, Any, int]]:
    entries = value.items() if isinstance(value, dict) else enumerate(value)
    children = []
    for key, child in islice(entries, MAX_ITEMS + 1):
        if len(children) == MAX_ITEMS:
            r.truncated = True
            break
        # SD-JWT: digests and undisclosed array elements ({"...": digest}) are not data.
        if key in _SKIP_KEYS or (isinstance(child, dict) and "..." in child and len(child) == 1):
            continue
        children.append((child_pointer(path, key), child, depth))
    return children
