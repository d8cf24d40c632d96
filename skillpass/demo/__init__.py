"""`skillpass demo`: the whole story in a new wallet, offline, in a few seconds.

Nothing is faked: a fictional Ontario college and university (skillpass's test issuer, which
labels them so in what it signs) issue six bilingual micro-credentials in five formats to the
learner's new did:key; the same flow functions the commands use import them, keep the
university's DID document and the college's status list, build the passport, share three
fields for an employer's challenge, verify the presentation, and refuse it once altered. The
learner's own wallet is never touched.

    issuers   the two issuers and the six credentials (skillpass.issuing signs them)
    story     the eight steps, each through skillpass.flow
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from skillpass import flow


@dataclass(frozen=True)
class DemoStep:
    title: str  # English: the renderer translates it
    narration: str
    detail: dict[str, Any]
    qr: Any = None  # step 6: the QR code to draw (qr.code.QrCode)


@dataclass(frozen=True)
class DemoPlace:
    """Where the demo runs: `keep_in` keeps every file; `home` is a new wallet home to use."""

    keep_in: Path | None = None
    home: Path | None = None
    sources: Any = None  # SecretSources with the passphrase given for a kept wallet (else one is made)


def run_demo(place: DemoPlace, *, now: datetime, on_step: Callable[[DemoStep], None]) -> dict[str, Any]:
    """Run every step, reporting each through `on_step`; the whole story as data."""
    from skillpass.demo.story import NARRATION, TITLES, Files, story
    from skillpass.wallet.unlock import SecretSources

    throwaway = place.keep_in is None and place.home is None
    base = place.keep_in or Path(tempfile.mkdtemp(prefix="skillpass-demo-"))
    home = place.home or base / "wallet"
    secret = os.urandom(12).hex()
    session = flow.Session(home, place.sources or SecretSources(environ={"SKILLPASS_PASSPHRASE": secret}))
    steps: list[dict[str, Any]] = []
    try:
        with _cheap_kdf(throwaway):
            for title, detail in story(session, Files(base), now):
                qr = detail.pop("qrCode", None)
                step = DemoStep(title, NARRATION[TITLES.index(title)], detail, qr)
                steps.append({"title": title, **detail})
                on_step(step)
    finally:  # Ctrl-C or a failure too: a throwaway directory is thrown away
        if place.keep_in is None:
            _remove_tree(base)
    kept = _keep(place, base, home, secret)
    return {"home": str(home) if not throwaway else None, "kept": str(base) if place.keep_in else None,
            **kept, "steps": steps}


def _keep(place: DemoPlace, base: Path, home: Path, secret: str) -> dict[str, Any]:
    """The passphrase file (when the passphrase was made here) and the README, when kept."""
    from skillpass.demo.readme import readme
    from skillpass.files import write_new_file

    found: dict[str, Any] = {"passphraseFile": None, "readme": None}
    if place.keep_in is None and place.home is None:
        return found
    if place.sources is None:
        where = (base if place.keep_in else home) / "passphrase.txt"
        write_new_file(where, (secret + "\n").encode("ascii"))  # 0600 from the start
        found["passphraseFile"] = str(where)
    if place.keep_in is not None:
        (base / "README.txt").write_text(readme(home, found["passphraseFile"], base), encoding="utf-8")
        found["readme"] = str(base / "README.txt")
    return found


@contextlib.contextmanager
def _cheap_kdf(throwaway: bool) -> Iterator[None]:
    """A wallet thrown away at the end protects nothing once the demo is over: it may use a
    cheap Argon2id cost (the vault's test seam), restored after. A kept wallet never does."""
    if not throwaway:
        yield
        return
    from skillpass.wallet import vault

    saved = vault.DEFAULT_KDF, vault.KDF_LIMITS
    vault.DEFAULT_KDF = vault.KdfParams(memory_kib=1024, iterations=1, lanes=1)
    vault.KDF_LIMITS = vault.KdfLimits(min_memory_kib=1024, min_iterations=1)
    try:
        yield
    finally:
        vault.DEFAULT_KDF, vault.KDF_LIMITS = saved


def _remove_tree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)
