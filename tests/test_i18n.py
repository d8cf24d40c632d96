"""French as well as English: labels and statuses, and which language of a value is shown."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Cli
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


def test_french_labels_statuses_and_values(cli: Cli, wallet_home: Path, tmp_path: Path) -> None:
    cid = _bilingual_badge(cli, tmp_path)
    french = cli.with_passphrase("show", cid, env={"SKILLPASS_LANG": "fr", "COLUMNS": "160"})
    assert "Titre" in french.stdout and "valide" in french.stdout
    assert "Réalisation" in french.stdout and "Soudage de base" in french.stdout
    english = cli.with_passphrase("show", cid, env={"SKILLPASS_LANG": "en", "COLUMNS": "160"})
    assert "Achievement" in english.stdout and "Basic Welding" in english.stdout
    assert english.stdout.index("Basic Welding") < english.stdout.index("Soudage de base")


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

    from skillpass.i18n import FR
    from skillpass.render import _WHY, OUTCOME_TEXT, STATUS_STYLE

    package = Path(__file__).resolve().parents[1] / "skillpass"
    literal = re.compile(r'(?<![A-Za-z0-9_])_\(\s*"((?:[^"\\]|\\.)*)"\s*\)')
    shown = {m.group(1) for path in package.rglob("*.py") for m in literal.finditer(path.read_text())}
    shown |= set(STATUS_STYLE) | set(OUTCOME_TEXT.values()) | {w for w in _WHY.values() if w}
    shown |= {"URL", "Source", "SHA-256", "DID", "Keys", "Added", "Name", "share exactly this?"}

    assert sorted(text for text in shown if text and text not in FR) == []
