"""What a shared presentation becomes in a QR code, and what a scanned code (or its text in a file)
becomes again before verify or import read it.

Out: a JSON-LD presentation is VPQR text (`VP1-B` + base32 of its CBOR-LD, qr/vpqr.py); an
SD-JWT presentation or a JWT goes as its compact form. A payload that cannot fit one code is
refused with its size and about how many fields would have to go, unless the learner asked for
parts (qr/parts.py), each small enough for a phone to scan from a screen.

In: the texts of one or more codes (parts joined in any order) are one payload; VPQR text is
decoded to the presentation's JSON, so the rest of the path (detect -> parse -> verify) is the
one every file takes.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from skillpass.errors import BadInputError

# A part fits version 25-M, easy to scan from a phone: 1,451 alphanumeric characters, 997 bytes.
PART_PREFIX = "SKP1:"  # qr/parts.PREFIX
PART_CHARS = {"alphanumeric": 1_400, "byte": 960}
MAX_PART_TEXT = 4_400  # one code's text: 4,296 alphanumeric characters at most, and the part header


VPQR, VPQR_CBORLD_1_0, COMPACT = "vpqr", "vpqr-cbor-ld-1.0", "compact"  # what a code's text is


@dataclass(frozen=True)
class QrPayload:
    texts: tuple[str, ...]  # one code's text, or each part's
    size: int  # characters of the whole payload
    encoding: str = VPQR  # VPQR (legacy CBOR-LD, base32), VPQR_CBORLD_1_0 (base45) or COMPACT (as it is)

    def to_dict(self, codes: Sequence[Any]) -> dict[str, Any]:
        return {"text": self.texts[0] if len(self.texts) == 1 else None, "parts": list(self.texts) if len(
            self.texts) > 1 else [], "size": self.size, "encoding": self.encoding,
            "codes": [{"version": c.version, "errorCorrection": c.error_correction, "mode": c.mode,
                       "payloadSize": c.payload_size} for c in codes]}


def outgoing(body: dict[str, Any] | str, store: Any, *, parts: bool, fields: int) -> QrPayload:
    """The QR text(s) of a presentation; TooBig when one code cannot hold it and parts were not
    asked for (`fields`: how many fields it discloses, to say how many would have to go)."""
    from skillpass.qr import code
    from skillpass.qr import parts as sequence

    text, encoding = (body, COMPACT) if isinstance(body, str) else _vpqr(body, store)
    limit, mode = code.capacity(text), "alphanumeric" if text.startswith(("VP1-", "CSC:/1/", "CSS:/1/")) else "byte"
    if len(text) <= limit:
        return QrPayload((text,), len(text), encoding)
    if not parts:
        over = len(text) - limit
        per_field = len(text) / max(fields, 1)
        raise code.TooBig(len(text), limit, mode, about=max(1, math.ceil(over / per_field)))
    return QrPayload(tuple(sequence.split(text, PART_CHARS[mode])), len(text), encoding)


def _vpqr(body: dict[str, Any], store: Any) -> tuple[str, str]:
    """The presentation's VPQR text, in the format the DCC Learner Credential Wallet and
    VerifierPlus read; when that format cannot carry it (a text with its language, as a
    bilingual credential names itself: legacy CBOR-LD has no @language), CBOR-LD 1.0 in base45,
    which `skillpass verify --qr` reads, and the learner is told."""
    from skillpass import render
    from skillpass.encoding import cborld
    from skillpass.encoding.cborld.errors import LEGACY_KEYWORD
    from skillpass.qr.vpqr import BASE45, to_vpqr

    try:
        return to_vpqr(body, store=store), VPQR
    except BadInputError as exc:
        if exc.code != LEGACY_KEYWORD:
            raise
    text = to_vpqr(body, store=store, format=cborld.CBORLD_1_0, multibase=BASE45)
    render.note("the presentation holds texts in several languages, which the DCC wallet's code format cannot "
                "carry: the code is CBOR-LD 1.0, which 'skillpass verify --qr' reads")
    return text, VPQR_CBORLD_1_0


def scanned(images: Sequence[str]) -> bytes:
    """The input the QR codes in `images` carry (qr/scan.py reads them)."""
    from skillpass.qr.scan import read_images

    return incoming([found.text for found in read_images(images)])


def incoming(texts: Sequence[str]) -> bytes:
    """The input the scanned texts stand for: one code's text, or the parts joined (still
    VPQR: `decoded` reads it as every file's VPQR text is read)."""
    if not texts:
        raise BadInputError("no QR code was given", "give the image files of the codes", code="E_QR_NONE")
    if any(t.startswith(PART_PREFIX) for t in texts):
        return _joined(list(texts)).encode("utf-8")
    if len(texts) > 1:
        raise BadInputError(f"{len(texts)} QR codes were given, and they are not parts of one sequence",
                            "give one code, or every part of one sequence", code="E_QR_PARTS_MIXED")
    return texts[0].strip().encode("utf-8")


def decoded(raw: bytes, store: Any) -> bytes:
    """`raw` with VPQR text (or the lines of a part sequence, joined once) replaced by the JSON it
    encodes; any other input as is."""
    from skillpass.formats.detect import VPQR, detect

    text = raw.lstrip(b"\xef\xbb\xbf").strip()
    if text.startswith(PART_PREFIX.encode()):
        lines = [line.strip() for line in text.decode("utf-8", "replace").splitlines() if line.strip()]
        text = _joined(lines).encode("utf-8")
    if detect(text) != VPQR:
        return raw
    from skillpass.qr.vpqr import from_vpqr

    return json.dumps(from_vpqr(text.decode("ascii", "replace"), store=store), ensure_ascii=False).encode("utf-8")


def _joined(parts: list[str]) -> str:
    """One sequence's payload, bounded before anything is hashed; a payload that is itself a
    sequence is refused (parts are never nested)."""
    from skillpass.qr import parts as sequence

    if len(parts) > sequence.MAX_PARTS or any(len(p) > MAX_PART_TEXT for p in parts):
        raise BadInputError(f"these are not the parts of one QR code sequence (at most {sequence.MAX_PARTS} "
                            f"parts of at most {MAX_PART_TEXT} characters)", "scan the parts again",
                            code="E_QR_PART_BAD")
    whole = sequence.join(parts)
    if whole.startswith(PART_PREFIX):
        raise BadInputError("a QR code sequence whose parts join into another sequence",
                            "scan the holder's codes again", code="E_QR_PART_BAD")
    return whole
