"""Rows of records for people and for pipes, never cut.

Piped (not a terminal): tab-separated, a header line of stable English keys, one record a line,
every value whole (`text.tsv_cell`); what a script reads does not depend on the language.

On a terminal: aligned columns when they fit; when they do not, text columns wrap at spaces and
atomic columns (ids, DIDs, paths, URLs, field paths) stay whole; when even that does not fit,
each record is printed as a block of `Header  value` lines. Nothing is cut with an ellipsis and
no name is split in the middle. Written directly: rich lays out ten thousand rows in seconds.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from skillpass.render.text import tsv_cell, visible

_ANSI = {"green": "\x1b[32m", "red": "\x1b[31m", "yellow": "\x1b[33m", "dim": "\x1b[2m",
         "bold": "\x1b[1m"}
_RESET = "\x1b[0m"
_GAP = "  "
_TSV_AT_ONCE = 1000  # records written at a time to a pipe
_MIN_TEXT = 12  # narrowest a wrapped text column may become before records are stacked


@dataclass(frozen=True)
class Column:
    key: str  # the TSV header: stable, English
    header: str  # what a person reads (translated)
    atomic: bool = False  # never broken inside, not even at spaces
    styled: bool = False  # coloured by the row's style on a terminal


def write(columns: Sequence[Column], rows: Sequence[Sequence[Any]],
          styles: Sequence[str | None] | None = None, *, out: TextIO | None = None,
          tsv_header: bool = True) -> None:
    """Write `rows` (one value per column) as TSV to a pipe, or laid out on a terminal."""
    out = out or sys.stdout
    if not _is_terminal(out):
        if tsv_header:
            out.write("\t".join(c.key for c in columns) + "\n")
        for start in range(0, len(rows), _TSV_AT_ONCE):  # not the text of ten thousand records at once
            out.write(_tsv_lines(rows[start:start + _TSV_AT_ONCE]))
        return
    cells = [[visible(v) for v in row] for row in rows]
    paint = _painter(styles or [None] * len(rows))
    import shutil  # here: it loads bz2, lzma and fnmatch, which a pipe never needs

    width = shutil.get_terminal_size().columns
    widths = _fitted_widths(columns, cells, width)
    if widths is None:
        out.write(_stacked(columns, cells, paint, width))
    else:
        out.write(_aligned(columns, cells, widths, paint))


def _tsv_lines(rows: Sequence[Sequence[Any]]) -> str:
    """The records as TSV lines, each cell as `tsv_cell` writes it. When no cell of the batch has
    anything to escape (the common case: one test of all their text at once), the cells are
    joined as they are; else each goes through `tsv_cell`."""
    texts = [[v if isinstance(v, str) else "" if v is None else str(v) for v in row] for row in rows]
    together = "".join(["".join(row) for row in texts])
    if together.isprintable() and "\\" not in together:  # what tsv_cell leaves as it is
        return "".join(["\t".join(row) + "\n" for row in texts])
    return "".join(["\t".join(map(tsv_cell, row)) + "\n" for row in texts])


def _is_terminal(out: TextIO) -> bool:
    try:
        return out.isatty()
    except (AttributeError, ValueError):
        return False


def _painter(styles: Sequence[str | None]) -> Any:
    color = "NO_COLOR" not in os.environ

    def paint(row: int, text: str) -> str:
        style = styles[row] if row < len(styles) else None
        return f"{_ANSI[style]}{text}{_RESET}" if color and style in _ANSI else text

    return paint


def _fitted_widths(columns: Sequence[Column], cells: list[list[str]],
                   width: int) -> list[int] | None:
    """Column widths that fit `width`, wrapping only text columns; None when none fit."""
    natural = [max([len(c.header)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    gaps = len(_GAP) * (len(columns) - 1)
    if sum(natural) + gaps <= width:
        return natural
    text = [i for i, c in enumerate(columns) if not c.atomic]
    fixed = sum(w for i, w in enumerate(natural) if i not in text) + gaps
    room = width - fixed
    # a text column can be no narrower than its longest word (words are never split)
    floor = {i: max(_MIN_TEXT, len(columns[i].header),
                    *(_longest_word(row[i]) for row in cells)) for i in text}
    if not text or room < sum(floor.values()):
        return None
    widths = list(natural)
    spare = room - sum(floor.values())
    wanted = sum(natural[i] - floor[i] for i in text) or 1
    for i in text:
        widths[i] = min(natural[i], floor[i] + spare * (natural[i] - floor[i]) // wanted)
    return widths


def _longest_word(text: str) -> int:
    return max((len(word) for word in text.split()), default=0)


def _wrap(text: str, width: int) -> list[str]:
    if len(text) <= width:
        return [text]
    import textwrap  # here: it compiles its patterns on import (8 ms), and only a narrow terminal wraps

    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]


def _aligned(columns: Sequence[Column], cells: list[list[str]], widths: list[int],
             paint: Any) -> str:
    header = _GAP.join(c.header.ljust(w) for c, w in zip(columns, widths)).rstrip()
    lines = [_ANSI["bold"] + header + _RESET if "NO_COLOR" not in os.environ else header]
    for number, row in enumerate(cells):
        wrapped = [[v] if c.atomic else _wrap(v, w) for c, v, w in zip(columns, row, widths)]
        for line in range(max(len(parts) for parts in wrapped)):
            parts = []
            for c, w, pieces in zip(columns, widths, wrapped):
                piece = pieces[line] if line < len(pieces) else ""
                padded = piece.ljust(w)
                parts.append(paint(number, padded) if c.styled and piece else padded)
            lines.append(_GAP.join(parts).rstrip())
    return "".join(line + "\n" for line in lines)


def _stacked(columns: Sequence[Column], cells: list[list[str]], paint: Any, width: int) -> str:
    label = max(len(c.header) for c in columns)
    room = max(_MIN_TEXT, width - label - len(_GAP))
    lines: list[str] = []
    for number, row in enumerate(cells):
        if number:
            lines.append("")
        for c, value in zip(columns, row):
            if not value:
                continue
            pieces = [value] if c.atomic else _wrap(value, room)
            for index, piece in enumerate(pieces):
                head = c.header.ljust(label) if index == 0 else " " * label
                lines.append(f"{head}{_GAP}{paint(number, piece) if c.styled else piece}".rstrip())
    return "".join(line + "\n" for line in lines)
