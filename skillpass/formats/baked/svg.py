"""The badge a baked SVG carries (OB 2.0 "Baking" §SVG, OB 3.0 §5.3.2): an `openbadges:assertion`
element (namespace http://openbadges.org) or an `openbadges:credential` element (namespace
https://purl.imsglobal.org/ob/v3p0) whose `verify` attribute is the compact JWS (then it has no
body) or the hosted assertion's URL, and whose body is the JSON, usually in a CDATA section.

The SVG is untrusted XML. It is read with the standard library's expat parser only after any
DOCTYPE or ENTITY declaration has been refused: without a DTD there is no entity to expand
(no "billion laughs") and nothing external to load (no XXE); expat itself never fetches.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass

from skillpass.errors import BadInputError

OB2_NAMESPACE = "http://openbadges.org"
OB3_NAMESPACES = ("https://purl.imsglobal.org/ob/v3p0", "https://purl.imsglobal.org/ob/v3p0/")
_ELEMENTS = {f"{{{OB2_NAMESPACE}}}assertion": "openbadges:assertion",
             **{f"{{{ns}}}credential": "openbadges:credential" for ns in OB3_NAMESPACES}}
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.I)
MAX_DEPTH = 256
MAX_ELEMENTS = 100_000


@dataclass(frozen=True)
class BadgeElement:
    """The badge element as found: its name, namespace, `verify` attribute and body text."""

    element: str  # openbadges:assertion (OB 2.0), openbadges:credential (OB 3.0)
    namespace: str
    verify: str | None
    text: bytes | None  # the body (CDATA) stripped of surrounding white space; None when empty


def badge_elements(raw: bytes) -> list[BadgeElement]:
    """Every Open Badges element of the SVG `raw`."""
    if _DECLARATION.search(raw):
        raise damaged("it declares a DOCTYPE or entities, which skillpass never reads in an image")
    parser = ElementTree.XMLPullParser(events=("start", "end"))
    try:
        parser.feed(raw)
        parser.close()
        return _collected(parser)
    except ElementTree.ParseError as exc:
        raise damaged(f"it is not well-formed XML ({str(exc)[:80]})") from None


def _collected(parser: ElementTree.XMLPullParser) -> list[BadgeElement]:
    found: list[BadgeElement] = []
    depth = count = 0
    for event, element in parser.read_events():
        if event == "start":
            depth, count = depth + 1, count + 1
            if depth > MAX_DEPTH or count > MAX_ELEMENTS:
                raise damaged(f"it nests deeper than {MAX_DEPTH} or has over {MAX_ELEMENTS} elements")
            continue
        depth -= 1
        name = _ELEMENTS.get(str(element.tag))
        if name is not None:
            body = "".join(element.itertext()).strip()
            found.append(BadgeElement(name, str(element.tag)[1:].partition("}")[0], element.get("verify"),
                                      body.encode("utf-8") if body else None))
    return found


def damaged(reason: str) -> BadInputError:
    return BadInputError(f"this SVG cannot be read: {reason}",
                         "check the image is the one the issuer sent, whole", code="E_SVG")
