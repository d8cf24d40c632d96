"""The passport page's two pictures, as inline SVG: distinct skills per framework (horizontal
bars) and the achievements over time (a dot per credential on a time axis, stacked by month,
each dot a link to its credential on the page).

Pure markup, sized in the viewBox so that the page scales them; text is escaped by the caller's
`escape`, colours are the page's (contrast at least 4.5:1 on white).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

BAR, INK, MUTED = "#1d4f7a", "#1b1b1b", "#4a4a4a"
WIDTH = 640
MAX_DOTS = 400  # the most recent; the list under the picture has them all
MAX_STACK = 8  # dots a month shows; more show as a number


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    href: str


@dataclass(frozen=True)
class Dot:
    date: str  # YYYY-MM-DD...
    label: str  # the dot's tooltip
    href: str


def bar_chart(bars: Sequence[Bar], *, title: str, description: str, escape: Callable[[str], str],
              number: Callable[[int], str]) -> str:
    label_width, row, left = 250, 30, 260
    span = WIDTH - left - 60
    top = max((bar.value for bar in bars), default=1) or 1
    height = row * len(bars) + 10
    parts = [_open(height, title, description, escape)]
    for n, bar in enumerate(bars):
        y = 5 + n * row
        width = max(2, round(span * bar.value / top))
        parts.append(
            f'<a href="{escape(bar.href)}"><text x="{label_width}" y="{y + 19}" text-anchor="end" '
            f'fill="{INK}" font-size="14">{escape(bar.label)}</text>'
            f'<rect x="{left}" y="{y + 4}" width="{width}" height="20" rx="3" fill="{BAR}"/>'
            f'<text x="{left + width + 8}" y="{y + 19}" fill="{INK}" font-size="14">{escape(number(bar.value))}'
            f'</text></a>')
    parts.append("</svg>")
    return "".join(parts)


def timeline_chart(dots: Sequence[Dot], *, title: str, description: str, escape: Callable[[str], str],
                   number: Callable[[int], str]) -> str:
    dated = sorted((d for d in dots if _month(d.date) is not None), key=lambda d: d.date)[-MAX_DOTS:]
    if not dated:
        return ""
    first, last = _month(dated[0].date), _month(dated[-1].date)
    assert first is not None and last is not None
    start_year, end_year = first[0], last[0] + 1
    per_month: dict[tuple[int, int], int] = {}
    for dot in dated:
        month = _month(dot.date)
        assert month is not None
        per_month[month] = per_month.get(month, 0) + 1
    tallest = max(per_month.values())
    left, right = 30, WIDTH - 20
    axis = 16 + 12 * min(tallest, MAX_STACK) + (16 if tallest > MAX_STACK else 0)
    months = (end_year - start_year) * 12

    def x_of(year: int, month: int) -> float:
        return round(left + (right - left) * ((year - start_year) * 12 + month - 0.5) / months, 1)

    parts = [_open(axis + 30, title, description, escape),
             f'<line x1="{left}" y1="{axis}" x2="{right}" y2="{axis}" stroke="{MUTED}" stroke-width="1.5"/>']
    step = max(1, (end_year - start_year + 9) // 10)
    for year in range(start_year, end_year + 1, step):
        x = round(left + (right - left) * (year - start_year) * 12 / months, 1)
        parts.append(f'<line x1="{x}" y1="{axis - 4}" x2="{x}" y2="{axis + 4}" stroke="{MUTED}"/>'
                     f'<text x="{x}" y="{axis + 22}" text-anchor="middle" fill="{MUTED}" font-size="13">'
                     f'{year}</text>')
    stacks: dict[tuple[int, int], int] = {}
    for dot in dated:
        month = _month(dot.date)
        assert month is not None
        height = stacks[month] = stacks.get(month, 0) + 1
        x = x_of(*month)
        if height <= MAX_STACK:
            parts.append(f'<a href="{escape(dot.href)}"><circle cx="{x}" cy="{axis - 12 * height}" r="5" '
                         f'fill="{BAR}"><title>{escape(dot.label)}</title></circle></a>')
    for (year, month), height in stacks.items():
        if height > MAX_STACK:
            parts.append(f'<text x="{x_of(year, month)}" y="{axis - 12 * MAX_STACK - 12}" text-anchor="middle" '
                         f'fill="{INK}" font-size="11">{escape(number(height))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _open(height: int, title: str, description: str, escape: Callable[[str], str]) -> str:
    key = "chart-" + "".join(c for c in title.lower() if c.isalnum())[:24]
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
            f'aria-labelledby="{key}-t {key}-d" font-family="system-ui, sans-serif">'
            f'<title id="{key}-t">{escape(title)}</title><desc id="{key}-d">{escape(description)}</desc>')


def _month(date: str) -> tuple[int, int] | None:
    try:
        parsed = datetime.strptime(date[:7], "%Y-%m").replace(tzinfo=timezone.utc)
    except ValueError:
        return None
    return parsed.year, parsed.month
