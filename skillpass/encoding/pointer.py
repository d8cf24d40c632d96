"""RFC 6901 JSON pointers, one copy: ecdsa-sd-2023 selection, the fields a learner can reveal,
the claims of a summary and what the verifier reports as disclosed all name values this way."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from skillpass.errors import BadInputError


def parse_pointer(pointer: object) -> list[str]:
    """Split an RFC 6901 pointer into unescaped reference tokens ('' selects the whole document);
    vc-di-ecdsa 3.4.10 jsonPointerToPaths."""
    if not isinstance(pointer, str) or (pointer and not pointer.startswith("/")):
        raise _pointer_error(pointer, "must be a string starting with '/'")
    tokens = pointer.split("/")[1:]
    for token in tokens:
        if token.replace("~0", "").replace("~1", "").count("~"):
            raise _pointer_error(pointer, "has an invalid '~' escape (only ~0 and ~1 exist)")
    # RFC 6901 section 4: ~1 first, then ~0, so "~01" becomes "~1" and not "/"
    return [t.replace("~1", "/").replace("~0", "~") for t in tokens]


def escape_token(token: str) -> str:
    """A reference token as a pointer writes it: '~' as '~0', then '/' as '~1' (section 3)."""
    return token.replace("~", "~0").replace("/", "~1")


def child_pointer(pointer: str, token: str | int) -> str:
    """The pointer to member `token` (a key, or an array index) of the value `pointer` selects."""
    return f"{pointer}/{escape_token(str(token))}"


def join_pointer(tokens: Iterable[str | int]) -> str:
    """The pointer whose reference tokens are `tokens`, unescaped ('' for none: the document)."""
    return "".join(child_pointer("", token) for token in tokens)


def resolve_pointer(document: Any, pointer: str) -> Any:
    """The value `pointer` selects; BadInputError naming the pointer when it does not resolve."""
    value = document
    for token in parse_pointer(pointer):
        value = child_value(value, token, pointer)
    return value


def child_value(container: Any, token: str, pointer: str) -> Any:
    """One step of resolving `pointer`: the member `token` of `container`, never null."""
    if isinstance(container, dict) and token in container and container[token] is not None:
        return container[token]
    if isinstance(container, list):
        index = _array_index(token)
        if index is not None and index < len(container):
            return container[index]
    raise _pointer_error(pointer, "does not resolve in the credential")


def _array_index(token: str) -> int | None:
    """Section 4: an array index is 0 or digits without a leading zero."""
    if token == "0" or (token[:1] in "123456789" and token.isdigit() and token.isascii()):
        return int(token)
    return None


def _pointer_error(pointer: object, reason: str) -> BadInputError:
    return BadInputError(f"JSON pointer {pointer!r} {reason}",
                         "list the credential's fields to see the pointers it offers",
                         code="E_POINTER")
