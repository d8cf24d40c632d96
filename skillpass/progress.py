"""A progress bar on stderr, for commands that work through many files: files done of the
total and the rate, redrawn at most ten times a second and cleared at the end. Drawn only when
stderr is a terminal; written with carriage returns and spaces, no escape sequence (so NO_COLOR
has nothing to remove) and no library."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

MIN_TOTAL = 5  # fewer files finish before a bar could be read
_INTERVAL = 0.1  # seconds between redraws
_WIDTH = 24  # characters of the bar itself


class Bar:
    """`bar()` after each file; `bar.close()` clears the line (at the end, or when stopped)."""

    def __init__(self, total: int, label: str, stream: TextIO,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.total, self.label, self.stream, self.clock = total, label, stream, clock
        self.done = 0
        self.started = clock()
        self.drawn_at: float | None = None
        self.width = 0  # of the line last drawn, to clear it
        from skillpass.i18n import language

        self.decimal_mark = "," if language() == "fr" else "."  # 612,9/s in French

    def __call__(self, count: int = 1) -> None:
        self.done += count
        now = self.clock()
        if self.done >= self.total:
            self.close()
        elif self.drawn_at is None or now - self.drawn_at >= _INTERVAL:
            self._draw(now)

    def line(self, now: float) -> str:
        filled = _WIDTH * self.done // max(self.total, 1)
        elapsed = now - self.started
        rate = f"  {self.done / elapsed:.1f}/s".replace(".", self.decimal_mark) if elapsed > 0 and self.done else ""
        return f"{self.label} [{'#' * filled}{'.' * (_WIDTH - filled)}] {self.done}/{self.total}{rate}"

    def _draw(self, now: float) -> None:
        text = self.line(now)
        self.stream.write("\r" + text.ljust(self.width))
        self.stream.flush()
        self.width, self.drawn_at = len(text), now

    def close(self) -> None:
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0


def progress(total: int, *, label: str | None = None, stream: TextIO | None = None) -> Callable[[], None]:
    """A bar for `total` files on a terminal's stderr; a no-op elsewhere or for a few files."""
    stream = stream or sys.stderr
    if total < MIN_TOTAL or not _is_terminal(stream):
        return _nothing
    if label is None:
        from skillpass.i18n import _

        label = _("verifying")
    return Bar(total, label, stream)


def _nothing(count: int = 1) -> None:
    return None


def close(advance: Callable[[], None]) -> None:
    """Clear `advance`'s bar, if it draws one."""
    if isinstance(advance, Bar):
        advance.close()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def silent(total: int) -> Callable[[], None]:
    """No bar (under --json: stderr then carries only errors)."""
    return _nothing
