"""The one sanitizer at the output boundary: text from outside never reaches a terminal raw.

Issuer names, descriptions, file names, a holder's challenge: any of them may carry ESC, OSC or
BEL sequences that recolour a terminal, rewrite its title or hide text, and bidirectional
overrides that reorder what a reader sees (CVE-2021-42574 "Trojan Source"). Every C0 and C1
control, DEL, and every bidi control or line/paragraph separator is shown as a visible escape
(`\\x1b`, `\\u202e`). `--json` output keeps the exact values: it is for programs.
"""

from __future__ import annotations

import re
from typing import Any

# C0, DEL, C1; ALM, LRM/RLM, LRE..RLO, LRI..PDI; LINE/PARAGRAPH SEPARATOR; BOM; any lone
# surrogate (a file name's byte that is not UTF-8 reaches Python as \udc80-\udcff, PEP 383: written
# raw it is an 8-bit control on a C-locale terminal, or an error on a UTF-8 one).
_OBEYED = "\x80-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff"  # C1 to the BOM
_UNSAFE = re.compile(f"[\x00-\x1f\x7f{_OBEYED}\ud800-\udfff]")
# What JSON text leaves raw of them (json escapes C0; render.json_well_formed, the surrogates)
JSON_UNSAFE = re.compile(f"[{_OBEYED}]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
_TSV = re.compile(f"[\\\\\x00-\x1f\x7f{_OBEYED}\ud800-\udfff]")  # and the backslash


def _escape(char: str) -> str:
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # the byte a name that is not UTF-8 had (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(value: Any) -> str:
    """`value` as one line of text safe for a terminal: unsafe characters shown as escapes."""
    text = value if isinstance(value, str) else "" if value is None else str(value)
    if text.isprintable():  # nothing to escape: every unsafe character is not printable
        return text
    return _UNSAFE.sub(lambda m: _escape(m.group()), text)


def tsv_cell(value: Any) -> str:
    """One tab-separated field: as `visible`, and a backslash doubled, so the escapes (\\t, \\n,
    \\x1b...) read back unambiguously and a record is always one line."""
    text = value if isinstance(value, str) else "" if value is None else str(value)
    if text.isprintable() and "\\" not in text:  # nothing to escape: every other one is not printable
        return text
    return _TSV.sub(lambda m: "\\\\" if m.group() == "\\" else _escape(m.group()), text)


def well_formed(text: str) -> str:
    """`text` as any output can carry it (--json included): a name that is not UTF-8, handed
    to Python with its bytes as lone surrogates, shows them as \\xff; anything else is kept."""
    if text.isprintable() or not _SURROGATE.search(text):
        return text
    import os

    try:
        return os.fsencode(text).decode("utf-8", "backslashreplace")
    except UnicodeError:  # a surrogate no file system gives
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


_SURROGATE = re.compile("[\ud800-\udfff]")
