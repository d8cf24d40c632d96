"""The passport as a page: one self-contained HTML file that headless Chromium (the Debian
package, driven by Playwright for Python) opens with no console error and no network request,
that prints to PDF, that is French throughout in French, and that, made with --signed, carries
a presentation `skillpass verify PAGE` checks."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli
from issuing import new_issuer, ob3, sign
from skillpass.errors import ExitStatus

ARTIFACTS = Path(__file__).parents[1] / "test-artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian package chromium)")
ESCO = "http://data.europa.eu/esco/skill/0b2e4f2a-0000-4000-8000-00000000000{}"


def _holder(cli: Cli) -> str:
    return next(k["did"] for k in cli.with_passphrase("did", "--json").json() if k["keyType"] == "Ed25519")


def _badge(issuer: Any, name: str, n: int, holder: str, skills: list[tuple[str, str]], **extra: Any) -> dict[str, Any]:
    credential = ob3(name, issuer=issuer, subject=holder, n=n, **extra)
    credential["issuer"]["name"] = "Collège Boréal"
    achievement = credential["credentialSubject"]["achievement"]
    achievement["id"] = f"https://boreal.example/achievements/{n}"
    achievement["alignment"] = [{"type": ["Alignment"], "targetName": skill, "targetUrl": url}
                                for skill, url in skills]
    return credential


@pytest.fixture(scope="module")
def wallet(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    """Three badges issued to the holder: two ecdsa-sd-2023 (one with a name that tries to end
    the page's markup), one eddsa-rdfc-2022, one of them expired."""
    from conftest import PASSPHRASE, _base_env

    base = tmp_path_factory.mktemp("page")
    (base / "passphrase.txt").write_text(PASSPHRASE + "\n")
    cli = Cli(base / "home", base / "passphrase.txt", _base_env(base / "home"))
    assert cli.with_passphrase("init").returncode == 0
    holder = _holder(cli)
    sd_issuer, ed_issuer = new_issuer("P-256"), new_issuer("Ed25519")
    credentials = [
        sign(_badge(sd_issuer, "Data Analysis </script><script>alert(1)</script>", 1, holder,
                    [("analyse data", ESCO.format(1)), ("Python", "https://skills.example/python")],
                    validFrom="2025-09-01T00:00:00Z"), sd_issuer, "ecdsa-sd-2023"),
        sign(_badge(sd_issuer, "Advanced Data Analysis", 2, holder,
                    [("Analyse data", ESCO.format(1) + "/"), ("Statistics", "https://skills.example/stats")],
                    validFrom="2026-03-01T00:00:00Z"), sd_issuer, "ecdsa-sd-2023"),
        sign(_badge(ed_issuer, "Welding Safety", 3, holder, [("Welding", "https://skills.example/welding")],
                    validFrom="2024-01-10T00:00:00Z", validUntil="2025-01-10T00:00:00Z"), ed_issuer,
             "eddsa-rdfc-2022"),
    ]
    paths = []
    for n, credential in enumerate(credentials):
        paths.append(base / f"c{n}.json")
        paths[-1].write_text(json.dumps(credential))
    imported = cli.with_passphrase("import", *map(str, paths), "--allow-expired", "--json")
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert cli.with_passphrase("profile", "--name", "Ana Roy").returncode == 0
    return cli


@pytest.fixture(scope="module")
def pages(wallet: Cli) -> dict[str, Path]:
    out = wallet.home.parent
    made = {"en": out / "passport.html", "fr": out / "passeport.html", "signed": out / "signed.html"}
    for key, lang, extra in (("en", "en", ()), ("fr", "fr", ()), ("signed", "en", ("--signed",))):
        result = wallet.with_passphrase("passport", "--lang", lang, "--html", str(made[key]), *extra, "--json")
        assert result.returncode == 0, result.stderr
        assert result.json()["html"] == str(made[key])
    return made


class _Page(HTMLParser):
    """What a reader of the page sees (text outside style and script) and its markup's facts."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.tags: list[str] = []
        self.sources: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append(tag)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        if tag == "a" and found.get("href"):
            self.links.append(str(found["href"]))
        self.sources += [str(found[k]) for k in ("src", "srcset", "data", "poster") if found.get(k)]
        if tag in ("style", "script", "title") and tag != "title":
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.text.append(data.strip())


def _parsed(path: Path) -> _Page:
    parser = _Page()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_the_page_is_self_contained_and_every_skill_links_to_its_evidence(pages: dict[str, Path]) -> None:
    text = pages["en"].read_text(encoding="utf-8")
    page = _parsed(pages["en"])
    assert text.startswith("<!DOCTYPE html>") and '<html lang="en">' in text
    assert "Content-Security-Policy" in text and "default-src 'none'" in text
    assert "<script" not in text  # unsigned: no script at all, not even a data block
    assert not [s for s in page.sources if not s.startswith("data:")]
    assert not re.search(r"""(?:href|src)\s*=\s*["']?(?:https?:)?//""", text)  # nothing to fetch or follow
    assert not re.search(r"url\(\s*['\"]?(?!data:)", text)
    assert page.tags.count("h1") == 1 and "h2" in page.tags and "svg" in page.tags
    internal = [link for link in page.links if link.startswith("#")]
    assert internal and all(link[1:] in page.ids for link in internal)  # every anchor lands
    assert len([i for i in page.ids if i.startswith("credential-")]) == 3
    assert "Analyse data" in page.text or "analyse data" in page.text
    assert "alert(1)" in text and "<script>alert" not in text  # the hostile name shown, escaped
    assert "Ana Roy" in page.text


def test_the_french_page_has_no_english_label_left(pages: dict[str, Path]) -> None:
    from skillpass import i18n

    page = _parsed(pages["fr"])
    assert '<html lang="fr">' in pages["fr"].read_text(encoding="utf-8")
    values = {"Ana Roy", "Collège Boréal", "Welding Safety", "Advanced Data Analysis", "Statistics", "Python",
              "Welding", "analyse data", "Analyse data", "ESCO", "UTC"}
    english = {source for source, french in i18n.FR.items() if source != french}
    words = [chunk for chunk in page.text if not chunk.startswith(("did:", "http")) and chunk not in values]
    left = [chunk for chunk in words if chunk.rstrip(":").strip() in english]
    assert not left, left
    joined = " ".join(words)
    for label in ("Skills passport", "Achievements", "Issuers", "Status", "Credentials", "Expires", "valid",
                  "expired", "Made on", "proved by"):
        assert not re.search(rf"\b{re.escape(label)}\b", joined), label
    assert "Passeport de compétences" in page.text and "Réalisations" in page.text


def test_a_signed_page_verifies_and_says_what_it_carries(wallet: Cli, pages: dict[str, Path]) -> None:
    text = pages["signed"].read_text(encoding="utf-8")
    assert text.count('<script type="application/vp+json" id="skillpass-presentation">') == 1
    assert text.count("</script>") == 1  # the hostile title cannot end the data block early
    report = wallet("verify", str(pages["signed"]), "--json")
    assert report.returncode == 0, report.stdout + report.stderr
    verdict = report.json()
    assert verdict["outcome"] == "verified"
    assert len(verdict["credentials"]) == 2  # the expired badge is on the page, not in the presentation
    assert verdict["checks"][0]["name"] == "source" and verdict["checks"][0]["status"] == "warning"
    assert verdict["warnings"][0].startswith("source: read from a passport page")
    assert "not in the signed presentation" in _parsed(pages["signed"]).text
    history = wallet.with_passphrase("history", "--json").json()
    assert history[0]["via"] == "passport page" and len(history[0]["credentials"]) == 2
    disclosed = {c["id"]: c for c in history[0]["credentials"]}
    assert all(not c["all"] for c in disclosed.values())  # ecdsa-sd-2023: only what the page shows
    assert not any("criteria" in pointer or "description" in pointer
                   for c in disclosed.values() for pointer in c["fields"])


def test_a_tampered_signed_page_is_invalid_and_a_page_without_one_is_named(wallet: Cli, pages: dict[str, Path],
                                                                         tmp_path: Path) -> None:
    text = pages["signed"].read_text(encoding="utf-8")
    tampered = tmp_path / "tampered.html"
    tampered.write_text(text.replace("Advanced Data Analysis", "Doctorate in Data Analysis"), encoding="utf-8")
    assert wallet("verify", str(tampered)).returncode == ExitStatus.INVALID
    plain = wallet("verify", str(pages["en"]))
    assert plain.returncode == ExitStatus.BAD_INPUT and "no signed presentation" in plain.stderr
    assert "Traceback" not in plain.stderr
    imported = wallet.with_passphrase("import", str(pages["en"]))
    assert imported.returncode != 0 and "skillpass verify" in imported.stdout + imported.stderr


def test_page_options_need_a_file_and_never_clobber(wallet: Cli, pages: dict[str, Path]) -> None:
    alone = wallet.with_passphrase("passport", "--signed")
    assert alone.returncode == ExitStatus.USAGE and "--html FILE" in alone.stderr
    assert "PDF" not in alone.stderr, "no --pdf was given: a PDF is not why --signed is refused"
    pdf_only = wallet.with_passphrase("passport", "--signed", "--pdf", str(pages["en"].with_suffix(".pdf")))
    assert pdf_only.returncode == ExitStatus.USAGE and "--html" in pdf_only.stderr and "PDF" in pdf_only.stderr
    twice = wallet.with_passphrase("passport", "--html", str(pages["en"]), "--pdf", str(pages["en"]), "--force")
    assert twice.returncode == ExitStatus.USAGE and "named twice" in twice.stderr
    before = pages["en"].read_bytes()
    again = wallet.with_passphrase("passport", "--html", str(pages["en"]))
    assert again.returncode == ExitStatus.IO and "--force" in again.stderr
    assert pages["en"].read_bytes() == before


def test_pdf_without_chromium_says_how_to_print_instead(wallet: Cli, tmp_path: Path) -> None:
    result = wallet.with_passphrase("passport", "--pdf", str(tmp_path / "p.pdf"),
                                    env={"SKILLPASS_CHROMIUM": "/nonexistent/chromium"})
    assert result.returncode == ExitStatus.IO
    assert "Chromium" in result.stderr and "--html" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "p.pdf").exists()


@needs_chromium
def test_pdf_with_chromium(wallet: Cli, tmp_path: Path) -> None:
    target = tmp_path / "passport.pdf"
    result = wallet.with_passphrase("passport", "--pdf", str(target))
    assert result.returncode == 0, result.stderr
    data = target.read_bytes()
    assert data.startswith(b"%PDF-") and len(re.findall(rb"/Type\s*/Page(?!s)", data)) >= 1


@needs_chromium
@pytest.mark.parametrize("which", ["en", "fr", "signed"])
def test_chromium_opens_the_page_without_error_or_request(pages: dict[str, Path], which: str) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    errors: list[str] = []
    requests: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 1400})
            page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("request", lambda request: requests.append(request.url))
            page.goto(pages[which].as_uri())
            page.wait_for_load_state("load")
            assert page.locator("h1").count() == 1
            assert page.locator("svg[role=img]").count() == 2
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"passport-{which}.png"), full_page=True)
            page.emulate_media(media="print")
            pdf = page.pdf(format="A4")
        finally:
            browser.close()
    assert not errors, errors
    assert requests == [pages[which].as_uri()]  # the page itself, nothing else
    assert pdf.startswith(b"%PDF-") and len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) >= 1


@pytest.mark.parametrize("page, reason", [
    (b"<!DOCTYPE html><html><body>no presentation</body></html>", "no signed presentation"),
    (b'<!doctype html><script type="application/vp+json" id="skillpass-presentation">{}</script>'
     b'<script type="application/vp+json" id="skillpass-presentation">{}</script>', "more than one"),
    (b'<html><script type="application/vp+json" id="skillpass-presentation">{"a":', "cut off"),
    (b'<html><script type="application/vp+json" id="skillpass-presentation">VP1-abc</script>', "not JSON"),
])
def test_a_page_without_one_presentation_is_named(page: bytes, reason: str) -> None:
    from skillpass.errors import BadInputError
    from skillpass.formats.detect import HTML, detect
    from skillpass.jsonld.loader import ContextStore
    from skillpass.verifier import verify_input

    assert detect(page) == HTML
    with pytest.raises(BadInputError, match=reason) as raised:
        verify_input(page, store=ContextStore.bundled(), did_cache={}, trust=None, challenge=None, domain=None,
                     now=datetime.now(timezone.utc))
    assert raised.value.code == "E_NO_PRESENTATION_IN_PAGE"


def test_a_credential_about_someone_else_is_shown_but_not_signed(cli: Cli, wallet_home: Path, tmp_path: Path) -> None:
    holder, issuer = _holder(cli), new_issuer("Ed25519")
    stranger = new_issuer("Ed25519").did
    for n, subject in ((1, holder), (2, stranger)):
        path = tmp_path / f"c{n}.json"
        path.write_text(json.dumps(sign(_badge(issuer, f"Badge {n}", n, subject, []), issuer, "eddsa-rdfc-2022")))
        assert cli.with_passphrase("import", str(path)).returncode == 0
    ids = {row["title"]: row["id"] for row in cli.with_passphrase("list", "--json").json()}
    page = tmp_path / "signed.html"

    made = cli.with_passphrase("passport", "--signed", "--html", str(page), "--json")

    assert made.returncode == 0, made.stderr
    assert (made.json()["signed"], made.json()["notSigned"]) == ([ids["Badge 1"]], [ids["Badge 2"]])
    told = cli.with_passphrase("passport", "--signed", "--html", str(page), "--force")
    assert f"warning: one of the page's credentials is not about {holder}" in told.stderr
    verdict = cli("verify", str(page), "--json")
    assert verdict.returncode == 0 and verdict.json()["outcome"] == "verified"  # before: invalid, E_NOT_BOUND
    assert cli.with_passphrase("remove", ids["Badge 1"], "--yes").returncode == 0
    nothing = cli.with_passphrase("passport", "--signed", "--html", str(tmp_path / "other.html"))
    assert nothing.returncode == ExitStatus.USAGE and "is issued to one of your DIDs" in nothing.stderr
    assert not (tmp_path / "other.html").exists()
