"""French as well as English: labels and statuses, and which language of a value is shown."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import REPO, Cli
from issuing import new_issuer, ob3, sign

BILINGUAL = [{"@value": "Soudage de base", "@language": "fr"}, {"@value": "Basic Welding", "@language": "en"}]


def _bilingual_badge(cli: Cli, tmp_path: Path) -> str:
    issuer = new_issuer("Ed25519")
    credential = ob3(issuer=issuer)
    credential["credentialSubject"]["achievement"]["name"] = BILINGUAL
    path = tmp_path / "bilingual.json"
    path.write_text(json.dumps(sign(credential, issuer, "eddsa-rdfc-2022")))
    result = cli.with_passphrase("import", str(path), "--json")
    assert result.returncode == 0, result.stdout
    return result.json()[0]["id"]


def _shown_on_a_terminal(cli: Cli, cid: str, lang: str) -> str:
    """What `show` draws on a terminal (on a pipe its records are English, for scripts)."""
    import os
    import pty

    from conftest import TESTS
    from terminal import read_until_closed

    primary, secondary = pty.openpty()
    proc = subprocess.Popen([sys.executable, str(TESTS / "cheap_kdf.py"), "show", cid, "--passphrase-file",
                             str(cli.passphrase_file)], stdin=subprocess.DEVNULL, stdout=secondary,
                            stderr=secondary, env=dict(cli.env, SKILLPASS_LANG=lang, COLUMNS="160"), cwd=REPO)
    os.close(secondary)
    drawn = read_until_closed(primary).decode()
    assert proc.wait(timeout=60) == 0, drawn
    return drawn


def test_french_labels_statuses_and_values(cli: Cli, wallet_home: Path, tmp_path: Path) -> None:
    cid = _bilingual_badge(cli, tmp_path)
    french = _shown_on_a_terminal(cli, cid, "fr")
    assert "Titre" in french and "valide" in french
    assert "Réalisation" in french and "Soudage de base" in french
    english = _shown_on_a_terminal(cli, cid, "en")
    assert "Achievement" in english and "Basic Welding" in english
    assert english.index("Basic Welding") < english.index("Soudage de base")


def test_piped_passport_records_give_values_as_issued_in_every_language(cli: Cli, wallet_home: Path,
                                                                         tmp_path: Path) -> None:
    """Text on a pipe is for scripts: the same whatever the language (the page and a terminal
    give the reader's language first)."""
    _bilingual_badge(cli, tmp_path)
    french = cli.with_passphrase("passport", env={"SKILLPASS_LANG": "fr"})
    english = cli.with_passphrase("passport", env={"SKILLPASS_LANG": "en"})
    assert french.returncode == english.returncode == 0, french.stderr
    assert french.stdout == english.stdout
    page = tmp_path / "page.html"
    assert cli.with_passphrase("passport", "--html", str(page), env={"SKILLPASS_LANG": "fr"}).returncode == 0
    assert "Soudage de base" in page.read_text()


def test_the_locale_decides_when_skillpass_lang_is_unset(cli: Cli, wallet_home: Path) -> None:
    result = cli.with_passphrase("list", env={"LANG": "fr_CA.UTF-8"})
    assert "aucune attestation" in result.stderr


def test_json_does_not_change_with_the_language(cli: Cli, wallet_home: Path, tmp_path: Path) -> None:
    _bilingual_badge(cli, tmp_path)
    french = cli.with_passphrase("list", "--json", env={"SKILLPASS_LANG": "fr"}).json()
    english = cli.with_passphrase("list", "--json", env={"SKILLPASS_LANG": "en"}).json()
    assert french == english
    assert french[0]["status"] == "valid"


def test_every_shown_text_has_its_french() -> None:
    """Each literal passed to the translator, and each status or header passed through it."""
    import re

    from skillpass.i18n import catalog, use_language
    from skillpass.render import OUTCOME_TEXT, STATUS_STYLE
    from skillpass.render.fields import _WHY

    package = Path(__file__).resolve().parents[1] / "skillpass"
    literal = re.compile(r'(?<![A-Za-z0-9_])_\(\s*"((?:[^"\\]|\\.)*)"\s*\)')
    shown = {m.group(1) for path in package.rglob("*.py") for m in literal.finditer(path.read_text())}
    shown |= set(STATUS_STYLE) | set(OUTCOME_TEXT.values()) | {w for w in _WHY.values() if w}
    shown |= {"URL", "Source", "SHA-256", "DID", "Keys", "Added", "Name", "share exactly this?"}
    use_language("fr")
    try:
        french = catalog()
    finally:
        use_language(None)
    assert sorted(text for text in shown if text and text not in french) == []


@pytest.fixture
def french() -> Iterator[None]:
    from skillpass import i18n

    i18n.use_language("fr")
    yield
    i18n.use_language(None)


def test_words_come_from_the_catalog_in_french(french: None) -> None:
    from skillpass.i18n import _, counted, format_date, format_number

    assert _("Title") == "Titre" and _("no such text anywhere") == "no such text anywhere"
    assert (counted(1, "valid", "valid"), counted(2, "valid", "valid"), counted(0, "valid", "valid")) == \
        ("valide", "valides", "valide")
    assert counted(2, "credential", "credentials") == "attestations"
    assert format_date("2026-12-01T00:00:00Z") == "1er décembre 2026"
    assert format_number(12345.5) == "12\u202f345,5"
    assert _("") == ""  # gettext's "" is the catalog's header, never a word




def test_dynamic_messages_are_translated_by_their_template(french: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from skillpass import i18n

    fake = {"the credential expired on {0}": "l'attestation a expiré le {0}",
            "{0} was issued by {1}": "{1} a émis {0}",
            "cannot read {0}: {1}": "impossible de lire {0} : {1}",
            "no such file here": "aucun fichier de ce nom ici",
            "ab {0}": "trop court {0}"}
    monkeypatch.setattr(i18n, "catalog", lambda: fake)
    i18n._templates.cache_clear()
    try:
        assert i18n.translate_message("the credential expired on 2026-01-01") == "l'attestation a expiré le 2026-01-01"
        assert i18n.translate_message("Welding was issued by Boréal") == "Boréal a émis Welding"  # reordered
        assert i18n.translate_message("cannot read a.json: no such file here") == \
            "impossible de lire a.json : aucun fichier de ce nom ici"  # the value translated too
        assert i18n.translate_message("ab cd") == "ab cd"  # too little literal text to be a template
        assert i18n.translate_message("nothing known") == "nothing known"
    finally:
        i18n._templates.cache_clear()


def test_english_never_reads_the_catalog() -> None:
    code = ("from skillpass import i18n; i18n.use_language('en'); i18n._('Title'); i18n.counted(2, 'valid', 'valid');"
            "i18n.translate_message('the credential expired on x'); print(i18n.translations.cache_info().currsize)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert result.stdout.strip() == "0", result.stderr


def test_lang_on_the_command_line_wins(cli: Cli, wallet_home: Path) -> None:
    for args in (["--lang", "fr", "list"], ["list", "--lang=fr"], ["list", "--lang", "fr"]):
        result = cli.with_passphrase(*args, env={"SKILLPASS_LANG": "en"})
        assert result.returncode == 0 and "skillpass : le portefeuille ne contient" in result.stderr
    english = cli.with_passphrase("list", "--lang", "en", env={"SKILLPASS_LANG": "fr", "LANG": "fr_CA.UTF-8"})
    assert "skillpass: the wallet holds no credential yet" in english.stderr


def test_errors_in_french(cli: Cli) -> None:
    result = cli("--lang", "fr", "list", "--bogus")
    assert result.returncode == 2
    assert result.stderr == "skillpass : erreur : option inconnue : --bogus ; voyez 'skillpass --help'\n"
    usage = cli("show", "--lang", "fr")
    assert usage.stderr.startswith("skillpass : erreur : argument manquant : 'ID'")


def test_a_bad_lang_is_a_usage_error(cli: Cli) -> None:
    result = cli("list", "--lang", "de")
    assert (result.returncode, result.stderr) == (2, "skillpass: error: unknown --lang de; choose en or fr\n")
