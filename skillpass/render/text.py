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

# C0, DEL, C1; ALM, LRM/RLM, LRE..RLO, LRI..PDI; LINE/PARAGRAPH SEPARATOR; BOM.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
                     "\u2028\u2029\ufeff]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
_TSV = re.compile(r"[\\\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]")


def _escape(char: str) -> str:
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
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
