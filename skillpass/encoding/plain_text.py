"""Whether a text the learner gives skillpass to keep (an issuer's name, a context URL) is plain
text: no control character (C0, DEL, C1), no bidi control or other invisible format character
(U+202E, U+200B, a BOM), no line or paragraph separator. The output sanitizer shows such a
character as an escape; one kept in the wallet would be shown so ever after, or reorder what a
reader sees in a program that does not sanitize (CVE-2021-42574 "Trojan Source")."""

from __future__ import annotations

import unicodedata

_NOT_PLAIN = frozenset(("Cc", "Cf", "Cs", "Zl", "Zp"))  # control, format, surrogate, separators


def unsafe_character(text: str) -> str | None:
    """The first character of `text` that is not plain text, written U+XXXX; None when none is."""
    if text.isprintable():  # the usual case, and every character found below is not printable
        return None
    for char in text:
        if unicodedata.category(char) in _NOT_PLAIN:
            return f"U+{ord(char):04X}"
    return None


def has_space(text: str) -> bool:
    """Whether `text` has a space of any kind (Unicode's Zs: U+0020, the no-break space U+00A0,
    U+2000-U+200A, U+3000...), which no address carries: a reader takes it for a plain space or
    for nothing, so an address with one looks like another."""
    return first_space(text) is not None


def first_space(text: str) -> str | None:
    """The first space of any kind in `text` (has_space), written U+XXXX; None when none is."""
    return next((f"U+{ord(char):04X}" for char in text if unicodedata.category(char) == "Zs"), None)
