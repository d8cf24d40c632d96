"""One section of BENCHMARKS.md, between its markers, replaced by a bench script's --update
(or added at the end under its heading and introduction the first time)."""

from __future__ import annotations

from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "BENCHMARKS.md"


def replace_section(name: str, text: str, heading: str, introduction: str) -> None:
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    doc = BENCHMARKS.read_text()
    section = f"{start}\n{text}\n{end}"
    if start in doc:
        before, rest = doc.split(start, 1)
        doc = before + section + rest.split(end, 1)[1]
    else:
        doc = doc.rstrip("\n") + f"\n\n## {heading}\n\n{introduction}\n\n{section}\n"
    BENCHMARKS.write_text(doc)
