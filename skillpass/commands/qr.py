"""Where `share`'s QR codes go: drawn in the terminal (their text, one line a code, when stdout
is a pipe), written as PNG or SVG files (one a part, `code-1.png`, `code-2.png`... for a
sequence), and the line that says what each code is."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class QrTargets:
    terminal: bool  # --qr: drawn on a terminal; on a pipe, the text each code holds
    png: Path | None
    svg: Path | None
    force: bool

    def piped(self) -> list[str]:
        """The image kinds ('png', 'svg') asked for stdout (FILE -)."""
        return [kind for kind, target in (("png", self.png), ("svg", self.svg)) if str(target) == "-"]

    def on_stdout(self) -> str | None:
        """What the codes put on stdout: 'text' (--qr on a pipe), 'png' or 'svg' (FILE -), or None
        (drawn on the terminal, or only files)."""
        if self.terminal and not sys.stdout.isatty():
            return "text"
        return next(iter(self.piped()), None)


def check_stdout(targets: QrTargets, *, json_output: bool, out: Path | None) -> None:
    """One thing on stdout at most, and never image bytes on a terminal (UsageError)."""
    from skillpass.errors import UsageError

    piped = targets.piped()
    users = [f"--qr-{kind} -" for kind in piped] + (["--json"] if json_output else []) + (
        ["--out -"] if str(out) == "-" else []) + (["--qr"] if targets.terminal else [])
    if len(users) > 1:  # the first two are enough to say why; 'and' stays in the template to be translated
        raise UsageError(f"{users[0]} and {users[1]} would both write to stdout", "give FILE names instead of -")
    if piped and sys.stdout.isatty():
        raise UsageError(f"a {piped[0].upper()} image does not go to a terminal", f"give --qr-{piped[0]} FILE, or pipe it")


def write_codes(payload: Any, targets: QrTargets) -> dict[str, Any]:
    """Make each code of `payload` (qr/payload.QrPayload) and put it where `targets` say (every
    file checked before any is written); what was made, for the summary and --json."""
    from skillpass.errors import UsageError
    from skillpass.files import check_targets, write_new_file
    from skillpass.qr import code

    codes = [code.make(text) for text in payload.texts]
    planned = [(path, kind, symbol) for kind, target in (("png", targets.png), ("svg", targets.svg))
               if target is not None for path, symbol in zip(_numbered(target, len(codes)), codes)]
    if len(codes) > 1 and any(str(path) == "-" for path, _, _ in planned):
        raise UsageError("a sequence of codes cannot go to stdout", "give --qr-png FILE: FILE-1.png, FILE-2.png...")
    check_targets([path for path, _, _ in planned if str(path) != "-"], overwrite=targets.force)
    files: list[str] = []
    for path, kind, symbol in planned:
        data = code.png(symbol) if kind == "png" else code.svg(symbol).encode("utf-8")
        if str(path) == "-":
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
            continue
        write_new_file(path, data, overwrite=targets.force)
        files.append(str(path))
    if targets.terminal and sys.stdout.isatty():
        _draw(codes)
    elif targets.terminal:
        _print_texts(payload.texts)
    return {**payload.to_dict(codes), "files": files}


def _print_texts(texts: tuple[str, ...]) -> None:
    """On a pipe the codes are data: the text each holds, one line a code (a part sequence's
    lines in order), which `skillpass verify -` and `import -` read back and any QR encoder
    draws again. Block glyphs there would be a picture only a terminal can show."""
    sys.stdout.write("".join(f"{text}\n" for text in texts))  # VPQR, base45, a compact SD-JWT: ASCII
    sys.stdout.flush()


def _draw(codes: list[Any]) -> None:
    """Each code in half blocks on the terminal: dark on light whatever its theme, unless
    COLORFGBG or NO_COLOR say otherwise."""
    import os
    import shutil

    from skillpass import render
    from skillpass.qr import code

    dark = code.dark_background_from_env() if not os.environ.get("NO_COLOR") else (
        code.dark_background_from_env() or False)
    width = codes[0].size + 2 * code.QUIET_ZONE
    if width > shutil.get_terminal_size().columns:
        render.note(f"{render.t('warning')}: the code is {width} columns wide and the terminal narrower: "
                    "widen it, or write --qr-png FILE")
    for n, symbol in enumerate(codes, 1):
        if len(codes) > 1:
            sys.stdout.write(f"{n}/{len(codes)}\n")
        sys.stdout.write(code.terminal(symbol, dark_background=dark))
    sys.stdout.flush()


def _numbered(target: Path, count: int) -> list[Path]:
    if count == 1 or str(target) == "-":
        return [target] * count
    return [target.with_name(f"{target.stem}-{n}{target.suffix}") for n in range(1, count + 1)]


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
