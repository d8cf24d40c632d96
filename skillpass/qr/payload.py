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

PART_CHARS = 1_400  # a part fits version 25-M (1,451 alphanumeric characters): easy to scan on a phone


@dataclass(frozen=True)
class QrPayload:
    texts: tuple[str, ...]  # one code's text, or each part's
    size: int  # characters of the whole payload

    def to_dict(self, codes: Sequence[Any]) -> dict[str, Any]:
        return {"text": self.texts[0] if len(self.texts) == 1 else None, "parts": list(self.texts) if len(
            self.texts) > 1 else [], "size": self.size,
            "codes": [{"version": c.version, "errorCorrection": c.error_correction, "mode": c.mode,
                       "payloadSize": c.payload_size} for c in codes]}


def outgoing(body: dict[str, Any] | str, store: Any, *, parts: bool, fields: int) -> QrPayload:
    """The QR text(s) of a presentation; TooBig when one code cannot hold it and parts were not
    asked for (`fields`: how many fields it discloses, to say how many would have to go)."""
    from skillpass.qr import code
    from skillpass.qr import parts as sequence

    text = body if isinstance(body, str) else _vpqr(body, store)
    limit = code.capacity(text)
    if len(text) <= limit and not (parts and len(text) > PART_CHARS):
        return QrPayload((text,), len(text))
    if not parts:
        over = len(text) - limit
        per_field = len(text) / max(fields, 1)
        raise code.TooBig(len(text), limit, "alphanumeric" if text.startswith("VP1-") else "byte",
                          about=max(1, math.ceil(over / per_field)))
    return QrPayload(tuple(sequence.split(text, PART_CHARS)), len(text))


def _vpqr(body: dict[str, Any], store: Any) -> str:
    from skillpass.qr.vpqr import to_vpqr

    return to_vpqr(body, store=store)


def incoming(texts: Sequence[str]) -> bytes:
    """The input the scanned texts stand for: one code's text, or the parts joined (still
    VPQR: `decoded` reads it as every file's VPQR text is read)."""
    from skillpass.qr import parts as sequence

    if not texts:
        raise BadInputError("no QR code was given", "give the image files of the codes", code="E_QR_NONE")
    if any(sequence.is_part(t) for t in texts):
        text = sequence.join(list(texts))
    elif len(texts) > 1:
        raise BadInputError(f"{len(texts)} QR codes were given, and they are not parts of one sequence",
                            "give one code, or every part of one sequence", code="E_QR_PARTS_MIXED")
    else:
        text = texts[0]
    return text.strip().encode("utf-8")


def decoded(raw: bytes, store: Any) -> bytes:
    """`raw` with VPQR text (or the lines of a part sequence) replaced by the JSON it encodes;
    any other input as is."""
    from skillpass.formats.detect import detect
    from skillpass.qr import parts as sequence

    text = raw.strip()
    if text.startswith(b"SKP1:"):
        lines = [line.decode("utf-8", "replace").strip() for line in text.splitlines() if line.strip()]
        return decoded(sequence.join(lines).encode("utf-8"), store)
    if detect(raw) != "vpqr":
        return raw
    from skillpass.qr.vpqr import from_vpqr

    return json.dumps(from_vpqr(text.decode("ascii", "replace"), store=store), ensure_ascii=False).encode("utf-8")
