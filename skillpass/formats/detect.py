"""What kind of thing an input is, decided from its bytes before anything parses it.

JSON (a W3C credential or presentation) goes on to the JSON-LD path, compact SD-JWTs and JWTs to
theirs, a QR code's VPQR text (`VP1-`) or a sequence of parts (`SKP1:`) to qr/payload.py, which
makes JSON of it, a web page to the presentation it carries (verifier/page.py). Everything else
a wallet meets in the wild is named, so that the learner is told what they have and what to do
instead of "not valid JSON": MATTR compact credentials (`CSC:/1/`, `CSS:/1/`), CBOR, COSE and
CBOR-LD bytes, PNG and SVG images (baked badges), JPEG photos, XML records, and links:
`https://` URLs and OpenID4VCI/OpenID4VP links, which are never turned into file names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from skillpass.errors import BadInputError, SkillpassError, UnverifiableError

JSON = "json"
_JWT = re.compile(rb"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*")
_SD_JWT = re.compile(rb"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*~[A-Za-z0-9_.~-]*")
_LINK = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_HTML = re.compile(rb"<(!doctype\s+html|html[\s>])", re.I)


@dataclass(frozen=True)
class Format:
    tag: str
    description: str
    hint: str


SD_JWT, JWT = "sd-jwt", "jwt"  # read by formats/sd_jwt_vc and formats/vc_jwt
HTML = "html"  # a passport page: verify reads the presentation it carries (verifier/page.py)
VPQR, QR_PARTS = "vpqr", "qr-parts"  # a QR code's text, or the parts of a sequence: qr/payload.py
# Recognised, not read yet: named, with what to do instead.
FORMATS = {f.tag: f for f in (
    Format("mattr-compact", "a MATTR compact credential (CSC:/1/ or CSS:/1/)",
           "give it on its own: the text in a file, stdin, or the QR image with --qr"),
    Format("cbor-ld", "CBOR-LD bytes", "CBOR-LD is not supported yet; ask for the JSON file"),
    Format("cose", "COSE/CBOR bytes (a CWT or an mdoc)", "CBOR credentials are not supported yet; ask "
           "the issuer for the credential as a JSON-LD file (.json) or an SD-JWT VC meanwhile"),
    Format("png", "a PNG image (a baked Open Badge, or a picture of a QR code)",
           "for a picture of a QR code add --qr (skillpass import --qr IMAGE, verify --qr IMAGE); "
           "a baked badge is read from the image file on its own"),
    Format("svg", "an SVG image (a baked Open Badge?)",
           "a baked badge is read from the image file on its own"),
    Format("jpeg", "a JPEG image (a photo of a QR code?)",
           "for a photo of a QR code add --qr (skillpass import --qr IMAGE, verify --qr IMAGE)"),
    Format("html", "a web page (a skills passport page?)",
           "a passport page is for employers: check the presentation it carries with 'skillpass "
           "verify FILE'; import the credential files themselves"),
    Format("xml", "an XML document (a MyCreds/Digitary record?)",
           "a MyCreds record is read from the XML file on its own"),
    Format("url", "a web address", "skillpass never fetches anything on its own: download the "
           "file with a browser, then give its path"),
    Format("credential-offer", "an OpenID4VCI credential offer link",
           "receive it with 'skillpass receive LINK'"),
    Format("presentation-request", "an OpenID4VP presentation request link",
           "answer it with 'skillpass share --request LINK'"),
)}
_SCHEMES = {"https": "url", "http": "url", "openid-credential-offer": "credential-offer",
            "openid4vp": "presentation-request", "eudi-openid4vp": "presentation-request",
            "haip": "presentation-request", "mdoc-openid4vp": "presentation-request"}


def detect(raw: bytes) -> str:
    """The format tag of `raw`: JSON, or one of FORMATS (anything else is left to the JSON
    parser, which says what is wrong with it)."""
    if raw.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if raw.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    binary = _binary_format(raw)
    if binary is not None:
        return binary
    text = raw.lstrip(b"\xef\xbb\xbf").strip()
    if text[:1] in (b"{", b"["):
        return JSON
    return _text_format(text) or JSON


def _binary_format(raw: bytes) -> str | None:
    # CBOR-LD: tag 0x0500/0x0501 (legacy singleton), 0x06NN (legacy range), 0xcb1d (CBOR-LD 1.0)
    if raw[:2] == b"\xd9\x05" or raw[:2] == b"\xd9\x06" or raw[:3] == b"\xd9\xcb\x1d":
        return "cbor-ld"
    # COSE_Sign1 (tag 18), CWT (tag 61), self-described CBOR (tag 55799)
    if raw[:1] == b"\xd2" or raw[:2] == b"\xd8\x3d" or raw[:3] == b"\xd9\xd9\xf7":
        return "cose"
    return None


def _text_format(text: bytes) -> str | None:
    head = text[:64]
    if head.startswith((b"CSC:/1/", b"CSS:/1/")):
        return "mattr-compact"
    if head.startswith(b"VP1-"):
        return VPQR
    if head.startswith(b"SKP1:"):
        return QR_PARTS
    if _SD_JWT.fullmatch(text):
        return SD_JWT
    if _JWT.fullmatch(text):
        return JWT
    if head.startswith(b"<"):
        if _HTML.match(head):
            return HTML
        return "svg" if b"<svg" in text[:4096] else "xml"
    link = link_format(head.decode("utf-8", "replace"))
    return link


def link_format(argument: str) -> str | None:
    """The format tag of an argument that is a link (`https://...`, `openid-credential-offer://`),
    or None for anything that may be a file name."""
    match = _LINK.match(argument)
    if match is None:
        return None
    return _SCHEMES.get(match.group()[:-3].lower(), "url")


def unsupported(tag: str, origin: str | None = None) -> SkillpassError:
    """The one answer for a recognised format skillpass cannot read yet (exit 10); a format it
    reads, met where it cannot be, is bad input (exit 8)."""
    found = FORMATS.get(tag)
    if found is None:
        return BadInputError(f"{origin or 'this input'} is a {tag} text, which cannot be read here",
                             "give it on its own: a file, stdin, or the image with --qr", code="E_NOT_CREDENTIAL")
    # each sentence whole in its error, so that the catalog has its template (the French of each
    # description and hint comes from the Format entries above)
    what, hint, code = found.description, found.hint, "E_FORMAT_UNSUPPORTED"
    if tag in ("url", "credential-offer", "presentation-request"):
        if origin:
            return UnverifiableError(f"{origin} is {what}, not a credential file", hint, code=code)
        return UnverifiableError(f"this is {what}, not a credential file", hint, code=code)
    if origin:
        return UnverifiableError(f"{origin} is {what}, which skillpass cannot read yet", hint, code=code)
    return UnverifiableError(f"this is {what}, which skillpass cannot read yet", hint, code=code)
