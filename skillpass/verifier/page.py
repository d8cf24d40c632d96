"""The presentation a passport page carries (`skillpass passport --signed`), for `verify PAGE`.

The page embeds it as a data block, `<script type="application/vp+json"
id="skillpass-presentation">JSON</script>` (render/passport_page.py), which no browser runs. It is
found by that exact opening tag, not by parsing the page: one block, whose text up to the first
`</script` is the JSON (HTML §4.12.1.3: a data block cannot contain that sequence, so a page
cannot smuggle a second ending). What the page's text says is never what is verified: only the
presentation is, and the report says what it carries.
"""

from __future__ import annotations

import re

from skillpass.encoding.inflate import size
from skillpass.errors import BadInputError
from skillpass.ingest import MAX_INPUT_BYTES

MAX_PAGE_BYTES = 64 * 1024 * 1024  # the page of 10,000 credentials is about 15 MB
FROM_PAGE = ("read from a passport page: what was checked is the presentation it carries, not the "
             "page's text")
_OPEN = re.compile(rb'<script\s+type="application/vp\+json"\s+id="skillpass-presentation"\s*>', re.I)
_CLOSE = re.compile(rb"</script", re.I)


def presentation_in_page(raw: bytes) -> bytes:
    """The JSON bytes of the page's one embedded presentation; BadInputError
    E_NO_PRESENTATION_IN_PAGE when it has none, or more than one."""
    found = list(_OPEN.finditer(raw))
    if len(found) != 1:
        raise BadInputError(
            "this web page carries no signed presentation" if not found else
            "this web page carries more than one presentation: which one the holder signed is unclear",
            "ask the holder for a passport made with 'skillpass passport --signed --html FILE', or "
            "for a presentation file from 'skillpass share'", code="E_NO_PRESENTATION_IN_PAGE")
    start = found[0].end()
    end = _CLOSE.search(raw, start)
    if end is None:
        raise BadInputError("the presentation in this web page is cut off (no </script>)",
                            "ask the holder for the page again", code="E_NO_PRESENTATION_IN_PAGE")
    if end.start() - start > MAX_INPUT_BYTES:
        raise BadInputError(f"the presentation in this web page is over {size(MAX_INPUT_BYTES)}, too large "
                            "to be one",
                            "ask the holder for a page that signs fewer credentials", code="E_TOO_LARGE")
    return raw[start:end.start()]
