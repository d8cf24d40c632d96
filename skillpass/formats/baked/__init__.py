"""Baked badges: the credential an Open Badge image carries, read as if it were the file.

OB 3.0 §5.3 bakes an OpenBadgeCredential (JSON, or a VC-JWT) into a PNG `iTXt` chunk with the
keyword `openbadgecredential` or an SVG `openbadges:credential` element; OB 2.0 (and 1.x) bake an
assertion (hosted JSON, or a signed RS256 JWS) into an `iTXt` chunk `openbadges` or an SVG
`openbadges:assertion` element. Pre-2.0 images may hold only a `tEXt` chunk `openbadges` with the
assertion's URL: such an image only links to its badge, and skillpass never fetches anything.

`extract(raw)` says what the image holds (tests compare it with the published vectors),
`baked_credential(raw)` is the credential's text, `image_candidates(origin, raw)` the credentials
`import` goes on with: an OB 3.0 one through the normal JSON-LD / JWT path, an OB 2.0 one to ob2.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from skillpass.errors import BadInputError, UnverifiableError

if TYPE_CHECKING:
    from skillpass.ingest import Candidate

_JWS = re.compile(r"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+")
_MAX_SHOWN_URL = 200


@dataclass(frozen=True)
class Baked:
    """What one badge image carries: where (chunk or element), and the text found there."""

    image: str  # png, svg
    place: str  # iTXt, tEXt, openbadges:assertion, openbadges:credential
    keyword: str | None  # the PNG chunk's keyword
    text: bytes | None  # the chunk's text, or the SVG element's body
    verify: str | None = None  # the SVG element's verify attribute (a JWS or a URL)
    namespace: str | None = None  # the SVG element's namespace
    compression_flag: int | None = None
    compression_method: int | None = None

    @property
    def ob3(self) -> bool:
        return self.keyword == "openbadgecredential" or self.place == "openbadges:credential"


def extract(raw: bytes) -> Baked:
    """The one badge of a PNG or SVG image (BadInputError when it has none, or more than one)."""
    from skillpass.formats.baked import png, svg

    if raw.startswith(png.SIGNATURE) or raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] != b"<":
        chunks = png.badge_chunks(raw)
        found = [Baked("png", c.chunk, c.keyword, c.text, compression_flag=c.compression_flag,
                       compression_method=c.compression_method) for c in chunks]
    else:
        found = [Baked("svg", e.element, None, e.text, e.verify, e.namespace) for e in svg.badge_elements(raw)]
    if not found:
        is_png = raw.startswith(png.SIGNATURE)
        qr = "for a picture of a QR code add --qr (skillpass import --qr IMAGE); otherwise " if is_png else ""
        raise BadInputError(f"this is {'a PNG' if is_png else 'an SVG'} with no baked badge in it",
                            qr + "ask the issuer for the credential file (.json)", code="E_NO_BAKED_BADGE")
    return found[0]  # png and svg refuse a second badge as they meet it (`ambiguous`)


def ambiguous() -> BadInputError:
    """OB 2.0 Baking, OB 3.0 §5.3: an image carries one badge. Two would leave open which one the
    learner sees and which one is verified, so neither is taken."""
    return BadInputError("this image carries more than one baked badge, where the specification allows one",
                         "ask the issuer for the credential file (.json)", code="E_BAKED_AMBIGUOUS")


def baked_credential(raw: bytes) -> bytes:
    """The credential text inside a badge image: OB 3.0 JSON or VC-JWT, OB 2.0 JSON or JWS."""
    return credential_text(extract(raw))


def credential_text(baked: Baked) -> bytes:
    """The credential text of what `extract` found (UnverifiableError for a mere link)."""
    verify = (baked.verify or "").strip()
    # OB 2.0 Baking §SVG: a signed badge is the JWS in `verify`, with no body.
    if _JWS.fullmatch(verify):
        return verify.encode("ascii")
    if baked.text is None:
        raise _only_a_link(verify or None)
    text = baked.text.strip()
    if baked.place == "tEXt" or re.match(rb"https?://", text[:8]):
        raise _only_a_link(text.decode("latin-1"))
    _not_an_image(text)
    return text


def _not_an_image(text: bytes) -> None:
    """A badge carries a credential, never another image: one baked into the other would be read
    again, as deep as it nests (and the credential shown is then not the image the learner sees)."""
    from skillpass.formats.detect import detect

    found = detect(text)
    if found in ("png", "svg"):
        raise BadInputError(f"the badge baked into this image is itself {'a PNG' if found == 'png' else 'an SVG'} "
                            "image, not a credential", "ask the issuer for the credential file (.json)",
                            code="E_BAKED_NESTED")


def image_candidates(origin: str, raw: bytes) -> list[Candidate]:
    """The credentials one badge image carries, as `import` takes them."""
    from skillpass.formats import OB2
    from skillpass.formats.ob2.detect import signed_assertion
    from skillpass.ingest import Candidate, Source, candidates

    baked = extract(raw)
    text = credential_text(baked)
    where = origin + " (baked)"
    if not baked.ob3 and _JWS.fullmatch(text.decode("ascii", "replace")) \
            and signed_assertion(text.decode("ascii")) is not None:
        return [Candidate(where, text, OB2)]
    if not baked.ob3 and text.startswith(b"{"):
        _check_assertion(text)
    # Anything else is read as if it were the file: OB 3.0 JSON-LD or VC-JWT, OB 2.0 JSON.
    return candidates(Source(where, text))


def _check_assertion(text: bytes) -> None:
    """An OB 2.0 image's JSON is an assertion (some issuers bake an OB 3.0 credential under the
    old keyword: that is read as the credential it is)."""
    from skillpass.formats.ob2.detect import is_assertion
    from skillpass.ingest import parse_json

    document = parse_json(text)
    if not is_assertion(document) and not (isinstance(document, dict) and "credentialSubject" in document):
        raise BadInputError("the badge baked into this image is not an Open Badges assertion (its JSON has "
                            "no recipient, badge and verification)", "ask the issuer for the badge file (.json)",
                            code="E_BAKED_NOT_ASSERTION")


def _only_a_link(url: str | None) -> UnverifiableError:
    shown = f" ({url[:_MAX_SHOWN_URL]})" if url else ""
    return UnverifiableError(f"this image only links to its badge's assertion{shown}, and skillpass never "
                             "fetches anything", "download the assertion (.json) from that address with a "
                             "browser, then import it with --allow-unverified (a hosted badge cannot be "
                             "verified offline)", code="E_BAKED_LINK")
