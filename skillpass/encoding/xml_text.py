"""One bounded reader for untrusted XML: a baked SVG badge, a MyCreds record.

Everything is checked on the text the parser is given, before the parser builds anything:

- UTF-8 only (a byte order mark is dropped), no NUL: the declaration check below then sees the
  very characters expat sees (XML 1.0 §4.3.3 would let a UTF-16 document slip its DOCTYPE past a
  check of the raw bytes). The text is fed to expat as `str`, which makes expat read it as UTF-8
  whatever encoding its XML declaration names.
- no DOCTYPE or ENTITY declaration at all: without a DTD there is no entity to expand (no
  "billion laughs") and nothing external to load (no XXE); expat itself never fetches.
- the text is fed in CHUNK pieces and elements are counted, and their depth taken, as they start:
  no bound is passed by more than one chunk before the document is refused, so a deeply nested or
  very wide document costs one chunk's worth of tree, never the whole document's.

Each refusal has a stable code (E_ENCODING, E_XML_DTD, E_TOO_MANY_VALUES, E_TOO_DEEP, E_XML) and a
reason said after the name of what is read ("is not UTF-8 text"): the caller's
`refuse(code, reason)` makes the error its user sees.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from xml.etree import ElementTree

from skillpass.errors import SkillpassError

CHUNK = 16 * 1024  # a chunk of tags costs about 100 times its size in pending elements and events
ENCODING, DECLARATION, TOO_MANY, TOO_DEEP, MALFORMED = (
    "E_ENCODING", "E_XML_DTD", "E_TOO_MANY_VALUES", "E_TOO_DEEP", "E_XML")
_DECLARATION = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)

Refuse = Callable[[str, str], SkillpassError]  # (code, reason) -> the error raised
OnEnd = Callable[[ElementTree.Element], None]


def read_xml(raw: bytes, *, max_elements: int, max_depth: int, refuse: Refuse,
             on_end: OnEnd | None = None) -> ElementTree.Element:
    """The root element of the XML document `raw`, read within the bounds. `on_end` is called
    with each element as it ends (its children complete), in document order."""
    return bounded_parse(xml_text(raw, refuse), max_elements=max_elements, max_depth=max_depth,
                         refuse=refuse, on_end=on_end)


def xml_text(raw: bytes, refuse: Refuse) -> str:
    """`raw` as text, once it is UTF-8 without NUL and declares no DOCTYPE or entity."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise refuse(ENCODING, "is not UTF-8 text") from None
    if "\0" in text:
        raise refuse(ENCODING, "holds a NUL character")
    if _DECLARATION.search(text):
        raise refuse(DECLARATION, "declares a DOCTYPE or entities")
    return text


def bounded_parse(text: str, *, max_elements: int, max_depth: int, refuse: Refuse,
                  on_end: OnEnd | None = None) -> ElementTree.Element:
    """Parse `text` (already through `xml_text`) chunk by chunk, counting elements and depth as
    they start."""
    parser = ElementTree.XMLPullParser(events=("start", "end"))
    counter = _Counter(max_elements, max_depth, refuse, on_end)
    try:
        for offset in range(0, len(text), CHUNK):
            parser.feed(text[offset:offset + CHUNK])
            counter.take(parser)
        parser.close()
        counter.take(parser)
    except ElementTree.ParseError as exc:
        line, column = exc.position
        raise refuse(MALFORMED, f"is not well-formed XML (line {line}, column {column + 1})") from None
    if counter.root is None:  # close() raises for a document with no element; kept for the type checker
        raise refuse(MALFORMED, "holds no element")
    return counter.root


class _Counter:
    def __init__(self, max_elements: int, max_depth: int, refuse: Refuse, on_end: OnEnd | None) -> None:
        self.max_elements, self.max_depth, self.refuse, self.on_end = max_elements, max_depth, refuse, on_end
        self.root: ElementTree.Element | None = None
        self.count = self.depth = 0

    def take(self, parser: ElementTree.XMLPullParser) -> None:
        for event, element in parser.read_events():
            if event == "end":
                self.depth -= 1
                if self.on_end is not None:
                    self.on_end(element)
                continue
            self.root = element if self.root is None else self.root
            self.count, self.depth = self.count + 1, self.depth + 1
            if self.count > self.max_elements:
                raise self.refuse(TOO_MANY, f"holds more than {self.max_elements:,} elements")
            if self.depth > self.max_depth:
                raise self.refuse(TOO_DEEP, f"nests deeper than {self.max_depth} levels")
