"""The errors CBOR-LD raises, one constructor each, so every message and code is written once.

`malformed` is input that is not CBOR-LD at all or is damaged (BadInputError, exit 8);
`unencodable` is a JSON-LD document the compressed format cannot carry exactly (BadInputError:
CBOR-LD keys must be terms of the document's contexts); `needs_table` is a well-formed payload
that names a context, registry entry or table skillpass does not have (UnverifiableError, exit
10: it may be fine, it just cannot be read here).
"""

from __future__ import annotations

from skillpass.errors import BadInputError, UnverifiableError

_DAMAGED_HINT = "the code is damaged or is not CBOR-LD; scan or copy it again"


def malformed(message: str, code: str = "E_CBORLD_MALFORMED", hint: str | None = None) -> BadInputError:
    """The bytes are not well-formed CBOR-LD (or are past a size or nesting bound)."""
    return BadInputError(message, hint or _DAMAGED_HINT, code=code)


def too_large(what: str, limit: int, unit: str = "bytes") -> BadInputError:
    return BadInputError(f"{what} is too large: at most {limit} {unit} are read",
                         "the input is damaged or not what it claims to be; check its source",
                         code="E_CBORLD_TOO_LARGE")


def unencodable(message: str, hint: str | None = None, code: str = "E_CBORLD_UNENCODABLE") -> BadInputError:
    """A document CBOR-LD cannot carry so that it decodes to the same JSON."""
    return BadInputError(
        message,
        hint or "share it as JSON instead: CBOR-LD only carries terms its JSON-LD contexts define",
        code=code)


LEGACY_KEYWORD = "E_CBORLD_LEGACY_KEYWORD"  # a value object (@language, @value...): CBOR-LD 1.0 carries it


def needs_table(message: str, hint: str, code: str) -> UnverifiableError:
    """A valid payload that needs a context, registry entry or table we do not have."""
    return UnverifiableError(message, hint, code=code)


def unknown_term_id(term_id: object) -> BadInputError:
    return malformed(
        f"CBOR-LD term id {term_id!r} is not defined by the payload's contexts",
        "E_CBORLD_TERM_ID_UNKNOWN",
        "the code is damaged, or was made with different versions of its JSON-LD contexts")
