"""Where `share`'s QR codes go: drawn in the terminal, written as PNG or SVG files (one a part,
`code-1.png`, `code-2.png`... for a sequence), and the line that says what each code is."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class QrTargets:
    terminal: bool
    png: Path | None
    svg: Path | None
    force: bool


def write_codes(payload: Any, targets: QrTargets) -> dict[str, Any]:
    """Make each code of `payload` (qr/payload.QrPayload) and put it where `targets` say; what
    was made, for the summary and --json."""
    from skillpass.files import write_new_file
    from skillpass.qr import code

    codes = [code.make(text) for text in payload.texts]
    files: list[str] = []
    for kind, target, draw in (("png", targets.png, code.png), ("svg", targets.svg, code.svg)):
        if target is None:
            continue
        for path, symbol in zip(_numbered(target, len(codes)), codes):
            data = draw(symbol)
            data = data.encode("utf-8") if isinstance(data, str) else data
            if str(path) == "-":
                _to_stdout(data, kind)
                continue
            write_new_file(path, data, overwrite=targets.force)
            files.append(str(path))
    if targets.terminal:
        dark = code.dark_background_from_env()
        for n, symbol in enumerate(codes, 1):
            if len(codes) > 1:
                sys.stdout.write(f"{n}/{len(codes)}\n")
            sys.stdout.write(code.terminal(symbol, dark_background=dark))
        sys.stdout.flush()
    return {**payload.to_dict(codes), "files": files}


def _numbered(target: Path, count: int) -> list[Path]:
    if count == 1 or str(target) == "-":
        return [target] * count
    return [target.with_name(f"{target.stem}-{n}{target.suffix}") for n in range(1, count + 1)]


def _to_stdout(data: bytes, kind: str) -> None:
    from skillpass.errors import UsageError

    if sys.stdout.isatty():
        raise UsageError(f"a {kind.upper()} image does not go to a terminal", f"give --qr-{kind} FILE, or pipe it")
    sys.stdout.buffer.write(data)
    sys.stdout.flush()


def qr_summary(drawn: dict[str, Any]) -> None:
    from skillpass import render

    codes = drawn["codes"]
    for n, found in enumerate(codes, 1):
        which = f"{render.t('QR code')} {n}/{len(codes)}" if len(codes) > 1 else render.t("QR code")
        render.note(f"{which}: {render.t('version')} {found['version']}, {render.t('error correction')} "
                    f"{found['errorCorrection']}, {found['payloadSize']} {render.t(_unit(found['mode']))}")
    for path in drawn["files"]:
        render.note(f"{render.t('wrote the QR code to')} {path}")


def _unit(mode: str) -> str:
    return "bytes" if mode == "byte" else "characters"
