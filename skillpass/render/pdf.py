"""Printing the passport page to PDF with a headless Chromium, when one is installed.

Chromium reads the page from a file in a private temporary directory with its own throwaway
profile, every background service off (no update check, no sync, no QUIC), so that nothing but
the page is loaded; the page itself fetches nothing (its Content-Security-Policy forbids it).
Without a Chromium, the learner is told how to print the page from a browser instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from skillpass.errors import FileError

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
TIMEOUT = 120  # seconds; a page of ten thousand credentials prints in well under a minute
MAX_PDF = 512 * 1024 * 1024


def find_chromium() -> str | None:
    """$SKILLPASS_CHROMIUM, else the first Chromium on PATH."""
    chosen = os.environ.get("SKILLPASS_CHROMIUM")
    if chosen:
        return chosen if shutil.which(chosen) else None
    return next((found for found in map(shutil.which, CANDIDATES) if found), None)


def print_to_pdf(page: str) -> bytes:
    """The PDF Chromium prints of `page` (HTML text); FileError E_NO_CHROMIUM when there is no
    Chromium, E_PDF_FAILED when it fails."""
    binary = find_chromium()
    if binary is None:
        raise FileError("printing to PDF needs Chromium, which is not installed",
                                "install the Debian package chromium, or write --html FILE and print "
                                "it to PDF from a browser (Ctrl+P)", code="E_NO_CHROMIUM")
    with tempfile.TemporaryDirectory(prefix="skillpass-pdf-") as work:
        source, target = Path(work) / "passport.html", Path(work) / "passport.pdf"
        source.write_text(page, encoding="utf-8")
        sandbox = ["--no-sandbox"] if os.geteuid() == 0 else []  # Chromium refuses its sandbox as root
        command = [binary, "--headless", *sandbox, "--disable-gpu", "--disable-quic", "--no-first-run",
                   "--disable-background-networking", "--disable-component-update", "--disable-sync",
                   "--disable-extensions", "--disable-default-apps", "--mute-audio", "--no-pdf-header-footer",
                   f"--user-data-dir={Path(work) / 'profile'}", f"--print-to-pdf={target}", source.as_uri()]
        try:
            done = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, timeout=TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise FileError(f"Chromium could not print the page ({type(exc).__name__})",
                            "write --html FILE and print it from a browser instead", code="E_PDF_FAILED") from None
        if not target.exists() or target.stat().st_size == 0:
            raise FileError(f"Chromium printed no PDF (exit {done.returncode})",
                            "write --html FILE and print it from a browser instead", code="E_PDF_FAILED")
        data = target.read_bytes()
    if not data.startswith(b"%PDF-") or len(data) > MAX_PDF:
        raise FileError("Chromium's output is not a PDF", "write --html FILE and print it from a browser instead",
                        code="E_PDF_FAILED")
    return data
