"""The badge a baked SVG carries (OB 2.0 "Baking" §SVG, OB 3.0 §5.3.2): an `openbadges:assertion`
element (namespace http://openbadges.org) or an `openbadges:credential` element (namespace
https://purl.imsglobal.org/ob/v3p0) whose `verify` attribute is the compact JWS (then it has no
body) or the hosted assertion's URL, and whose body is the JSON, usually in a CDATA section.

The SVG is untrusted XML, read by the one bounded XML reader (skillpass.encoding.xml_text): UTF-8
only, any DOCTYPE or ENTITY declaration refused before the parser sees it (no entity to expand, no
"billion laughs", nothing external to load, no XXE), elements counted and nesting measured as
they start, chunk by chunk. Each element is emptied once it has ended and been looked at, so an
image costs memory for its open elements only, and a second badge is refused as soon as it ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree import ElementTree

from skillpass.encoding import xml_text
from skillpass.encoding.xml_text import read_xml
from skillpass.errors import BadInputError
from skillpass.formats.baked import ambiguous

OB2_NAMESPACE = "http://openbadges.org"
OB3_NAMESPACES = ("https://purl.imsglobal.org/ob/v3p0", "https://purl.imsglobal.org/ob/v3p0/")
_ELEMENTS = {f"{{{OB2_NAMESPACE}}}assertion": "openbadges:assertion",
             **{f"{{{ns}}}credential": "openbadges:credential" for ns in OB3_NAMESPACES}}
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
    """The Open Badges element of the SVG `raw`: none or one (a second is E_BAKED_AMBIGUOUS)."""
    found: list[BadgeElement] = []

    def ended(element: ElementTree.Element) -> None:
        name = _ELEMENTS.get(str(element.tag))
        if name is not None:
            if found:
                raise ambiguous()
            body = "".join(element.itertext()).strip()
            found.append(BadgeElement(name, str(element.tag)[1:].partition("}")[0], element.get("verify"),
                                      body.encode("utf-8") if body else None))
        element.clear()  # its text and children are not needed again

    read_xml(raw, max_elements=MAX_ELEMENTS, max_depth=MAX_DEPTH, refuse=_refused, on_end=ended)
    return found


def _refused(code: str, reason: str) -> BadInputError:
    """The bounded reader's refusal (skillpass.encoding.xml_text), worded for an image."""
    if code == xml_text.DECLARATION:
        return damaged(f"the SVG image {reason}, which skillpass never reads in an image")
    return damaged(f"the SVG image {reason}")


def damaged(reason: str) -> BadInputError:
    return BadInputError(f"this SVG cannot be read: {reason}",
                         "check the image is the one the issuer sent, whole", code="E_SVG")
