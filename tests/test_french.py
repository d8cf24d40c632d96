"""Every word in French with --lang fr, and none with --lang en: the help of every command, what
the learner's commands show on a terminal, and the errors.

"English left" is a strict heuristic: an English function word (the, is, and, ...) as a whole
word, once what is not prose is taken out: option names, metavars, URLs, DIDs, file paths,
'quoted' and "quoted" examples, the example command lines, the values typed on the command line
(--status 'not yet valid') and the credentials' own values.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, Cli, Result, command_paths

ENGLISH = re.compile(r"\b(the|is|and|with|your|this|not|from|when|for|to|of|or)\b", re.IGNORECASE)
FRENCH = re.compile(r"[éèàçÉÈÀÇ«»]|\battestations?\b|\bportefeuilles?\b", re.IGNORECASE)
TYPED_VALUES = ("not yet valid", "status not checked", "not verified (hosted badge)")

def _without_examples(text: str, values: set[str]) -> str:
    """`text` without colours, the credentials' values and the example command lines."""
    text = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)
    for value in sorted(values, key=len, reverse=True):
        if len(value) > 2:
            text = text.replace(value, " ")
    lines = []
    in_example = False
    for line in text.splitlines():
        stripped = line.strip()
        if re.match(r"^(Example|Exemple) ?:$", stripped):
            in_example = True
            continue
        if in_example and line.startswith("    ") or stripped.startswith(("skillpass ", "curl ", "pbpaste ")):
            continue
        in_example = False
        lines.append(line)
    return "\n".join(lines)


def prose(text: str, values: set[str] = frozenset()) -> str:  # type: ignore[assignment]
    """`text` without what is not prose (see the module docstring)."""
    text = _without_examples(text, values)
    for phrase in TYPED_VALUES:
        text = text.replace(phrase, " ")
    patterns = (r"'[^'\n]*'", r'"[^"\n]*"', r"`[^`\n]*`", r"\S+://\S*", r"\bdid:\S+", r"(?<!\w)--?[\w-]+(=\S*)?",
                r"\S*/\S*", r"\b\w+(?:-\w+)+\b", r"\b[A-Z][A-Z0-9_.-]+\b(\.\.\.)?", r"\b\w+[._]\w[\w.\[\]]*")
    for pattern in patterns:
        text = re.sub(pattern, " ", text)
    return text


def english_left(text: str, values: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    return [line.strip() for line in prose(text, values).splitlines() if ENGLISH.search(line)]


def french_left(text: str, values: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    """Lines with French in them, once the values and examples are out (and 'quoted' names)."""
    cleaned = re.sub(r"'[^'\n]*'|\"[^\"\n]*\"", " ", _without_examples(text, values))
    return [line.strip() for line in cleaned.splitlines() if FRENCH.search(line)]


def on_terminal(cli: Cli, *args: str, env: dict[str, str] | None = None) -> Result:
    """The real command with its stdout on a pseudo-terminal (what a person sees), stderr apart."""
    import pty
    import subprocess

    master, slave = pty.openpty()
    full_env = dict(cli.env, NO_COLOR="1", COLUMNS="200", **(env or {}))
    proc = subprocess.Popen([sys.executable, str(REPO / "tests" / "cheap_kdf.py"), *args], stdin=subprocess.DEVNULL,
                            stdout=slave, stderr=subprocess.PIPE, env=full_env, cwd=REPO)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    stderr = proc.stderr.read() if proc.stderr else b""
    proc.wait(timeout=120)
    os.close(master)
    out = b"".join(chunks)
    return Result(proc.returncode, out.decode("utf-8", "replace").replace("\r\n", "\n"),
                  stderr.decode("utf-8", "replace"), out)


def _leaves(data: Any) -> set[str]:
    if isinstance(data, dict):
        return set().union(*(_leaves(v) for v in data.values())) if data else set()
    if isinstance(data, list):
        return set().union(*(_leaves(v) for v in data)) if data else set()
    return {str(data)} if isinstance(data, str | int | float) and not isinstance(data, bool) else set()


# --- help -----------------------------------------------------------------------------------

@pytest.mark.parametrize("command", command_paths())
def test_the_help_of_every_command_is_french(cli: Cli, command: str) -> None:
    result = cli("--lang", "fr", *command.split(), "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Utilisation : ") and "Exemple :" in result.stdout
    assert english_left(result.stdout) == []


@pytest.mark.parametrize("command", command_paths())
def test_the_help_of_every_command_is_english_with_lang_en(cli: Cli, command: str) -> None:
    result = cli(*command.split(), "--help", "--lang", "en", env={"SKILLPASS_LANG": "fr", "LANG": "fr_CA.UTF-8"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Usage: ")
    assert french_left(result.stdout) == []


def test_the_top_level_help_in_french_is_answered_from_help_fr_txt(cli: Cli) -> None:
    sys.path.insert(0, str(REPO / "scripts"))
    from update_help import TARGETS, typer_help

    assert TARGETS["fr"].read_text(encoding="utf-8") == typer_help("fr"), "run: python scripts/update_help.py"
    for args in (["--lang", "fr", "--help"], ["--lang=fr"], ["-h", "--lang", "fr"]):
        assert cli(*args, env={"COLUMNS": "120"}).stdout == TARGETS["fr"].read_text(encoding="utf-8")
    assert cli("--help", env={"SKILLPASS_LANG": "fr", "COLUMNS": "120"}).stdout.startswith("Utilisation : ")
    assert english_left(TARGETS["fr"].read_text(encoding="utf-8")) == []


# --- what a learner sees ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_wallet(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A wallet holding the demo's credentials, and the demo's presentation, made by `demo --keep-in`."""
    from conftest import PASSPHRASE, _base_env

    root = tmp_path_factory.mktemp("french")
    passphrase = root / "passphrase.txt"
    passphrase.write_text(PASSPHRASE + "\n")
    cli = Cli(root / "home", passphrase, _base_env(root / "home"))
    kept = root / "demo"
    assert cli("demo", "--keep-in", str(kept)).returncode == 0
    documents = {p: json.loads(p.read_text(encoding="utf-8")) for p in kept.rglob("*.json")
                 if p.is_file() and "wallet" not in p.parts}
    presentations = [p for p, d in documents.items() if isinstance(d, dict) and "VerifiablePresentation" in
                     str(d.get("type")) and not re.search(r"tamper|alter|modif", p.name)]
    credentials = [p for p, d in documents.items() if isinstance(d, dict) and "VerifiableCredential" in
                   str(d.get("type")) and "VerifiablePresentation" not in str(d.get("type"))]
    assert presentations and credentials, sorted(p.name for p in documents)
    assert cli.with_passphrase("init").returncode == 0
    cli.with_passphrase("import", "--allow-expired", *map(str, credentials))
    listed = cli.with_passphrase("list", "--json").json()
    shared = cli.with_passphrase("share", listed[0]["id"], "--reveal-all", "--challenge", "c-1",
                                 "--out", str(root / "shared.json"))  # a share for history to list
    assert shared.returncode == 0, shared.stderr
    values = set().union(*(_leaves(d) for d in documents.values()))
    for entry in listed:
        values |= _leaves(cli.with_passphrase("show", entry["id"], "--json").json())
    return {"cli": cli, "ids": [e["id"] for e in listed], "presentation": presentations[0], "values": values}


def _outputs(demo_wallet: dict[str, Any], lang: str, env: dict[str, str] | None = None) -> dict[str, Result]:
    cli: Cli = demo_wallet["cli"]
    secret = ("--passphrase-file", str(cli.passphrase_file))
    runs = {"list": ["list", *secret], "show": ["show", demo_wallet["ids"][0], *secret],
            "passport": ["passport", *secret], "status list": ["status", "list", *secret],
            "verify": ["verify", str(demo_wallet["presentation"])],
            "verify altered": ["verify", str(demo_wallet["presentation"].with_name("presentation-altered.json"))]}
    results = {name: on_terminal(cli, *args, "--lang", lang, env=env) for name, args in runs.items()}
    fresh = Cli(cli.home.parent / f"fresh-{lang}", cli.passphrase_file, dict(cli.env))
    fresh.env["SKILLPASS_HOME"] = str(fresh.home)
    results["init"] = fresh.with_passphrase("init", "--lang", lang, env=env)
    return results


SCREENS = ("init", "list", "show", "passport", "status list", "verify", "verify altered")


@pytest.fixture(scope="module")
def screens_fr(demo_wallet: dict[str, Any]) -> dict[str, Result]:
    return _outputs(demo_wallet, "fr")


@pytest.fixture(scope="module")
def screens_en(demo_wallet: dict[str, Any]) -> dict[str, Result]:
    return _outputs(demo_wallet, "en", env={"SKILLPASS_LANG": "fr", "LANG": "fr_CA.UTF-8"})


@pytest.mark.parametrize("screen", SCREENS)
def test_what_the_learner_sees_is_french(demo_wallet: dict[str, Any], screens_fr: dict[str, Result],
                                         screen: str) -> None:
    result = screens_fr[screen]
    assert english_left(result.stdout + result.stderr, demo_wallet["values"]) == []


@pytest.mark.parametrize("screen", SCREENS)
def test_what_the_learner_sees_has_no_french_with_lang_en(demo_wallet: dict[str, Any],
                                                          screens_en: dict[str, Result], screen: str) -> None:
    result = screens_en[screen]
    assert french_left(result.stdout + result.stderr, demo_wallet["values"]) == []


def test_an_empty_cell_stays_empty_in_french(demo_wallet: dict[str, Any]) -> None:
    """The "Always" column of a field that is not mandatory, and the "Via" of a share to a file,
    are empty: never the French catalog's header (what gettext answers for "")."""
    cli: Cli = demo_wallet["cli"]
    secret = ("--passphrase-file", str(cli.passphrase_file))
    for args in (["show", demo_wallet["ids"][0], "--fields", *secret], ["history", *secret]):
        result = on_terminal(cli, *args, "--lang", "fr")
        assert result.returncode == 0, result.stderr
        assert "Project-Id-Version" not in result.stdout + result.stderr, args


def test_the_fields_of_every_credential_are_french(demo_wallet: dict[str, Any]) -> None:
    """`show ID --fields` on a terminal: why a credential can only be shared whole, in French (the
    fields' paths and labels are the credential's own keys, "Valid from", set aside like its values)."""
    cli: Cli = demo_wallet["cli"]
    secret = ("--passphrase-file", str(cli.passphrase_file))
    for cid in demo_wallet["ids"]:
        fields = cli("show", cid, "--fields", "--json", *secret).json()["fields"]
        keys = {f["label"] for f in fields} | {f["path"] for f in fields}
        result = on_terminal(cli, "show", cid, "--fields", *secret, "--lang", "fr")
        assert result.returncode == 0, result.stderr
        assert english_left(result.stdout + result.stderr, demo_wallet["values"] | keys) == [], result.stdout


def test_the_verifier_report_has_french_typography(screens_fr: dict[str, Result],
                                                  screens_en: dict[str, Result]) -> None:
    """A space before the colon of the verdict and of a credential's heading, and before the ';'
    that joins a check's detail and hint, as everywhere else in French."""
    def words(text: str) -> str:  # a table may wrap a detail anywhere
        return " ".join(text.split())

    verified, altered = screens_fr["verify"].stdout, words(screens_fr["verify altered"].stdout)
    assert verified.startswith("VÉRIFIÉE : ") and "\nAttestation 1 : " in verified, verified[:200]
    assert altered.startswith("INVALIDE : preuve du titulaire : "), altered[:200]
    assert ") ; le document a été modifié" in altered and "); le document" not in altered
    english = words(screens_en["verify altered"].stdout)
    assert english.startswith("INVALID: holder proof: ") and "); the document was changed" in english


def test_the_warnings_of_import_and_share_are_french(demo_wallet: dict[str, Any]) -> None:
    """What import and share warn of (a test issuer, a credential issued to another DID, a bearer
    credential, no --challenge, a format that cannot hide fields), and a duplicate, in French."""
    cli: Cli = demo_wallet["cli"]
    kept = demo_wallet["presentation"].parent
    secret = ("--passphrase-file", str(cli.passphrase_file))
    values = set(demo_wallet["values"])
    home = cli.home.parent / "fresh-import"
    fresh = Cli(home, cli.passphrase_file, dict(cli.env, SKILLPASS_HOME=str(home)))
    assert fresh.with_passphrase("init").returncode == 0
    assert fresh.with_passphrase("dids", "add", str(kept / "universite-du-nord-did.json")).returncode == 0
    imported = on_terminal(fresh, "import", "--allow-expired", *sorted(map(str, (kept / "credentials").iterdir())),
                           *secret, "--lang", "fr")
    assert imported.returncode == 0, imported.stderr
    rows = fresh.with_passphrase("list", "--json").json()
    for row in rows:  # the SD-JWT VC and the MATTR credential too
        values |= _leaves(fresh.with_passphrase("show", row["id"], "--json").json())
        fields = fresh.with_passphrase("show", row["id"], "--fields", "--json").json()["fields"]
        values |= {f["label"] for f in fields} | {f["path"] for f in fields}
    assert english_left(imported.stdout + imported.stderr, values) == []
    assert "; " not in imported.stdout.replace(" ; ", "")  # a note and its parts joined as French writes it
    again = on_terminal(fresh, "import", str(kept / "credentials" / "analyse-de-donnees.json"), *secret, "--lang", "fr")
    assert again.returncode == 0 and "en double" in again.stdout, again.stdout
    assert english_left(again.stdout + again.stderr, values) == []
    for row in rows:
        sd_jwt = row["format"] == "dc+sd-jwt"  # its key is another wallet's: shared without key binding
        bound = ("--unsigned", "--challenge", "c-9", "--domain", "hiring.example") if sd_jwt else ()
        shared = fresh("share", row["id"], "--reveal-all", *bound, "--out", str(home.parent / f"warned-{row['id']}"),
                       *secret, "--lang", "fr")
        assert shared.returncode == 0, shared.stderr
        assert english_left(shared.stderr, values) == [], row["format"]


def test_a_label_and_its_value_have_french_typography(demo_wallet: dict[str, Any],
                                                     screens_fr: dict[str, Result]) -> None:
    """'Totaux : ', 'Nom : ', 'ecdsa-sd-2023 : vous choisissez…': a space before the colon."""
    cli: Cli = demo_wallet["cli"]
    secret = ("--passphrase-file", str(cli.passphrase_file))
    assert "\nTotaux : " in screens_fr["passport"].stdout
    named = cli("profile", "--name", "Ana Roy", *secret, "--lang", "fr")
    assert named.returncode == 0 and "Nom : Ana Roy" in named.stderr, named.stderr
    assert "Nom : Ana Roy" in cli("profile", *secret, "--lang", "fr").stderr
    selective = [cid for cid in demo_wallet["ids"]
                 if cli("show", cid, "--fields", "--json", *secret).json()["selective"]]
    fields = on_terminal(cli, "show", selective[0], "--fields", *secret, "--lang", "fr")
    assert fields.stdout.startswith("ecdsa-sd-2023 : vous choisissez"), fields.stdout[:100]


def test_the_verifier_report_of_every_demo_file_is_french(demo_wallet: dict[str, Any]) -> None:
    """verify in French of each credential the demo issued (validity periods, an SD-JWT VC
    without key binding, a revoked one with its status list) and of a signed passport page."""
    cli: Cli = demo_wallet["cli"]
    kept = demo_wallet["presentation"].parent
    page = cli.home.parent / "passport-page.html"
    # signed by the demo's own wallet: the credentials are about its holder, not this wallet's
    signed = cli("passport", "--signed", "--html", str(page), "--force", "--home", str(kept / "wallet"),
                 "--passphrase-file", str(kept / "passphrase.txt"))
    assert signed.returncode == 0, signed.stderr
    runs = [[str(path)] for path in sorted((kept / "credentials").iterdir())]
    runs += [[str(kept / "credentials" / "securite-atelier.json"), "--status-list", str(kept / "status-list.json")],
             [str(page)]]
    for args in runs:
        result = on_terminal(cli, "verify", *args, "--did", str(kept / "universite-du-nord-did.json"),
                             "--lang", "fr")
        assert result.returncode in (0, 9, 10), result.stderr
        checks = result.stdout.split("\nAttestation 1 : ")[0]  # the disclosed claims: the credential's own keys
        assert english_left(checks, demo_wallet["values"]) == [], args


def test_the_passphrase_is_asked_for_in_french(cli: Cli) -> None:
    """init on a terminal asks twice, in French (getpass reads the controlling terminal: pty.fork)."""
    import pty
    import select

    pid, primary = pty.fork()
    if pid == 0:  # the child: the real command, its terminal the pty
        os.chdir(REPO)
        os.execve(sys.executable, [sys.executable, str(REPO / "tests" / "cheap_kdf.py"), "init", "--lang", "fr"],
                  dict(cli.env, NO_COLOR="1"))
    seen = b""

    def until(needle: bytes) -> None:
        nonlocal seen
        while needle not in seen and select.select([primary], [], [], 30)[0]:
            try:
                seen += os.read(primary, 65536)
            except OSError:
                break

    until("phrase de passe : ".encode())
    os.write(primary, b"a passphrase of some length\n")
    until("à nouveau : ".encode())
    os.write(primary, b"a passphrase of some length\n")
    until("créé".encode())
    _, status = os.waitpid(pid, 0)
    os.close(primary)
    text = seen.decode("utf-8", "replace")
    assert os.waitstatus_to_exitcode(status) == 0, text
    assert "skillpass : nouvelle phrase de passe : " in text and "skillpass : nouvelle phrase de passe, à nouveau : " \
        in text, text
    unasked = cli("passphrase", "--lang", "fr",  # no terminal: the error names what it would have asked
                  env={"SKILLPASS_PASSPHRASE": "a passphrase of some length"})
    assert unasked.stderr == ("skillpass : erreur : nouvelle phrase de passe : aucune valeur fournie, et aucun "
                              "terminal pour la demander ; donnez-la avec --new-passphrase-file FILE\n")


def test_the_french_of_sd_jwt_and_mattr_claims_is_shown_in_french(demo_wallet: dict[str, Any]) -> None:
    """The demo's MATTR credential gives its French in `award_fr` and `description_fr`, its SD-JWT
    VC in `name#fr`: a terminal shows them in the reader's language, as a JSON-LD credential's
    `@language` values are; `--json` keeps the text as issued."""
    from conftest import _base_env

    kept = demo_wallet["presentation"].parent  # demo --keep-in: its own wallet and passphrase
    cli = Cli(kept / "wallet", kept / "passphrase.txt", _base_env(kept / "wallet"))
    secret = ("--passphrase-file", str(cli.passphrase_file))
    rows = {row["format"]: row for row in cli.with_passphrase("list", "--json").json()}
    assert (rows["mattr-cwt"]["title"], rows["dc+sd-jwt"]["title"]) == (
        "Project Management Fundamentals", "Introduction to Python Programming")

    shown = on_terminal(cli, "show", rows["mattr-cwt"]["id"], *secret, "--lang", "fr").stdout
    french = on_terminal(cli, "passport", *secret, "--lang", "fr").stdout
    english = on_terminal(cli, "passport", *secret, "--lang", "en").stdout

    assert "Fondements de la gestion de projet" in shown.splitlines()[0]  # the panel's title
    assert re.search(r"Description +Portée, échéancier, risques et parties prenantes", shown)
    assert "Fondements de la gestion de projet" in french and "Introduction à la programmation Python" in french
    assert "Project Management Fundamentals" not in french and "Introduction to Python" not in french
    assert "Project Management Fundamentals" in english and "Introduction to Python Programming" in english
    assert "Fondements" not in english and "Introduction à" not in english


def test_field_labels_are_french_and_the_paths_stay_as_reveal_takes_them(demo_wallet: dict[str, Any],
                                                                        tmp_path: Path) -> None:
    """`show --fields` on a terminal and the share summary say a common field's label in French;
    the path is the one --reveal takes, and --json and a pipe keep the English label."""
    cli: Cli = demo_wallet["cli"]
    secret = ("--passphrase-file", str(cli.passphrase_file))
    cid = next(row["id"] for row in cli.with_passphrase("list", "--json").json()
               if row["title"].startswith("Analyse de données"))
    path = "credentialSubject.achievement.name"

    shown = on_terminal(cli, "show", cid, "--fields", *secret, "--lang", "fr").stdout
    shared = cli.with_passphrase("share", cid, "--reveal", path, "--challenge", "c-2", "--domain", "hr.example",
                                 "--out", str(tmp_path / "vp.json"), "--lang", "fr")
    listed = cli.with_passphrase("show", cid, "--fields", "--json", "--lang", "fr").json()["fields"]
    piped = cli.with_passphrase("show", cid, "--fields", "--lang", "fr").stdout

    assert re.search(rf"{re.escape(path)} +Nom de la réalisation ", shown), shown
    assert shared.returncode == 0, shared.stderr
    assert "Nom de la réalisation" in shared.stderr and "Achievement name" not in shared.stderr
    assert {f["path"]: f["label"] for f in listed}[path] == "Achievement name"
    assert f"{path}\t/credentialSubject/achievement/name\tAchievement name\t" in piped


def test_json_and_piped_text_do_not_change_with_the_language(demo_wallet: dict[str, Any]) -> None:
    cli: Cli = demo_wallet["cli"]
    for args in (["list", "--json"], ["list"], ["show", demo_wallet["ids"][0], "--json"], ["status", "list"],
                 ["history"]):
        french = cli.with_passphrase(*args, "--lang", "fr")
        english = cli.with_passphrase(*args, "--lang", "en")
        assert (french.returncode, french.stdout) == (english.returncode, english.stdout), args


# --- errors ---------------------------------------------------------------------------------

ERRORS = {
    "no wallet": ["list"],
    "unknown credential": ["show", "0000ffff", "--passphrase-file", "{passphrase}"],
    "missing argument": ["show"],
    "no such option": ["list", "--bogus"],
    "no such command": ["bogus"],
    "option needs a value": ["list", "--home"],
    "not an int": ["verify", "x.json", "--max-age", "abc"],
    "missing backup": ["restore", "does-not-exist.json", "--passphrase-file", "{passphrase}"],
    "bad date": ["list", "--since", "yesterday", "--passphrase-file", "{passphrase}"],
    "wallet exists": ["init", "--passphrase-file", "{passphrase}"],
    "wrong passphrase": ["list", "--passphrase-file", "{wrong}"],
    "nothing to verify": ["verify", "does-not-exist.json"],
    "untrust unknown": ["trust", "remove", "did:web:nobody.example"],
    "backup exists": ["backup", "{passphrase}", "--passphrase-file", "{passphrase}"],
    "passport --force alone": ["passport", "--force"],
    "verify a web address": ["verify", "https://college.example/vp.json"],
    "verify a request link": ["verify", "openid4vp://?request_uri=https%3A%2F%2Fhr.example%2Fr"],
    "verify COSE bytes": ["verify", "{hostile}/cose.cbor"],
    "verify CBOR-LD bytes": ["verify", "{hostile}/cborld.cbor"],
    "a MATTR text that is not CBOR": ["verify", "{hostile}/mattr.txt"],  # three templates deep
    "an SVG that declares entities": ["verify", "{hostile}/badge-entities.svg"],
    "a MyCreds record that declares entities": ["verify", "{hostile}/record-entities.xml"],
    "no passphrase and no terminal": ["list"],
    "a --did file that is no DID document": ["verify", "{hostile}/vp-unsigned.json", "--did",
                                             "{hostile}/vp-unsigned.json"],
}


def _error_run(cli: Cli, tmp_path: Path, name: str, lang: str) -> Result:
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not the passphrase\n")
    if name not in ("no wallet",):
        cli.with_passphrase("init")
    hostile = REPO / "tests" / "hostile" / "cases"
    args = [a.format(passphrase=cli.passphrase_file, wrong=wrong, hostile=hostile) for a in ERRORS[name]]
    return cli("--lang", lang, *args)


def _untranslated(line: str) -> list[str]:
    """The parts (message, hint) of an English error line that the catalog has no French for.
    A message may itself hold "; ", so each split is tried, the whole line first."""
    from skillpass import i18n

    body = line.removeprefix("skillpass: error: ")
    cuts = [i for i in range(len(body)) if body.startswith("; ", i)]
    splits: list[tuple[str, str | None]] = [(body, None)] + [(body[:i], body[i + 2:]) for i in reversed(cuts)]
    i18n.use_language("fr")
    try:
        def known(text: str | None) -> bool:
            return text is None or i18n.translate_message(text) != text

        if any(known(message) and known(hint) for message, hint in splits):
            return []
        message, hint = splits[1] if len(splits) > 1 else splits[0]
        return [part for part in (message, hint) if part is not None and not known(part)]
    finally:
        i18n.use_language(None)


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_each_error_is_french(cli: Cli, tmp_path: Path, name: str) -> None:
    english = _error_run(cli, tmp_path, name, "en")
    assert english.returncode != 0 and english.stderr.startswith("skillpass: error: "), english.stderr
    assert _untranslated(english.stderr.strip().splitlines()[-1]) == []
    french = _error_run(cli, tmp_path, name, "fr")
    assert french.returncode == english.returncode
    line = french.stderr.strip().splitlines()[-1]
    assert line.startswith("skillpass : erreur : "), line
    assert english_left(line) == [], line
    english_body = english.stderr.strip().splitlines()[-1].removeprefix("skillpass: error: ")
    assert line.removeprefix("skillpass : erreur : ").replace(" ; ", "; ") != english_body
    assert "(wallet)" not in line  # 'wrong passphrase or damaged wallet': the value is a word too


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_each_error_has_no_french_with_lang_en(cli: Cli, tmp_path: Path, name: str) -> None:
    result = _error_run(cli, tmp_path, name, "en")
    assert result.stderr.startswith("skillpass: error: ")
    assert french_left(result.stderr) == [], result.stderr


# --- what a verifier sees ---------------------------------------------------------------------

UNANSWERED = {"a lone credential": ["credentials/analyse-de-donnees.json"],
              "a MATTR compact credential": ["credentials/gestion-de-projet.csc.txt"],
              "an SD-JWT without key binding": ["credentials/programmation-python.sd-jwt", "--allow-unbound",
                                                "--did", "universite-du-nord-did.json"],
              "an unsigned presentation": [str(REPO / "tests" / "hostile" / "cases" / "vp-unsigned.json")]}


@pytest.mark.parametrize("case", sorted(UNANSWERED))
def test_the_challenge_and_domain_a_document_cannot_answer_are_said_in_french(demo_wallet: dict[str, Any],
                                                                              case: str) -> None:
    from skillpass import i18n

    kept = demo_wallet["presentation"].parent
    path, *options = UNANSWERED[case]
    options = [str(kept / o) if o.endswith(".json") else o for o in options]
    report = demo_wallet["cli"]("verify", str(kept / path), *options, "--challenge", "c-123",
                                "--domain", "hr.example", "--json").json()
    answers = [c for c in report["checks"] if c["name"] in ("challenge", "domain")]
    assert [c["status"] for c in answers] == ["failed", "failed"], answers
    i18n.use_language("fr")
    try:
        french = [i18n.translate_message(c["detail"]) for c in answers]
    finally:
        i18n.use_language(None)
    assert [text for text in french if case in text or "answers no" in text] == [], french


HOSTILE = REPO / "tests" / "hostile" / "cases"
VERIFIED = {"the altered presentation": "presentation-altered.json",
            "a credential with a validity period": "credentials/analyse-de-donnees.json",
            "a status list not kept": "credentials/securite-atelier.json",
            "an unknown did:web": str(HOSTILE / "uncached-did-web.json"),
            "an SD-JWT with key binding": str(HOSTILE / "sd-jwt-kb-signed-by-another-key.sd-jwt"),
            "someone else's credential": str(HOSTILE / "vp-credential-of-someone-else.json"),
            "an unknown suite": str(HOSTILE / "unknown-suite.json"),
            "a BBS suite": str(HOSTILE / "bbs-2022.json")}


@pytest.mark.parametrize("case", sorted(VERIFIED))
def test_every_check_a_verifier_is_shown_is_said_in_french(demo_wallet: dict[str, Any], case: str) -> None:
    from skillpass import i18n

    path = demo_wallet["presentation"].parent / VERIFIED[case]
    report = demo_wallet["cli"]("verify", str(path), "--json").json()
    texts = [text for c in report["checks"] for text in (c["detail"], c["hint"]) if text]
    i18n.use_language("fr")
    try:
        english = [text for text in texts if i18n.translate_message(text) == text
                   or english_left(i18n.translate_message(text))]
    finally:
        i18n.use_language(None)
    assert english == []


def test_the_verifiers_report_follows_french_typography(demo_wallet: dict[str, Any]) -> None:
    altered = demo_wallet["presentation"].parent / "presentation-altered.json"
    shown = on_terminal(demo_wallet["cli"], "verify", str(altered), "--lang", "fr").stdout
    checks = shown.split("Divulgué")[0]  # the claims' labels come from the credential's own field names
    text = re.sub(r"'[^'\n]*'|\S+://\S*|did:\S+", "", checks)
    assert shown.startswith("INVALIDE : preuve du titulaire : "), shown[:80]
    assert re.findall(r"\w[;:] ", text) == [], [line for line in text.splitlines() if re.search(r"\w[;:] ", line)]


def test_a_bad_lang_is_a_usage_error_in_one_line(cli: Cli) -> None:
    for args in (["--lang", "de", "list"], ["list", "--lang=xx"], ["list", "--lang"]):
        result = cli(*args)
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("skillpass: error: "), result.stderr
        assert "choose en or fr" in result.stderr


def test_a_test_issuers_label_is_french_in_a_french_list() -> None:
    from skillpass import i18n, render

    row = {"issuer": "test-issuer (test issuer)", "testIssuer": True}
    i18n.use_language("fr")
    try:
        assert render.issuer_text(row) == "test-issuer (émetteur de test)"
        assert render.issuer_text({"issuer": "Collège (test issuer)"}) == "Collège (test issuer)"  # not ours to say
    finally:
        i18n.use_language(None)
    assert render.issuer_text(row) == "test-issuer (test issuer)"


def test_a_test_issuers_label_is_french_in_a_french_show_and_english_on_a_pipe() -> None:
    from skillpass import i18n, render

    detail = {"id": "0123456789abcdef", "title": "Welding", "issuer": "test-issuer (test issuer)",
              "testIssuer": True, "status": "valid"}
    i18n.use_language("fr")
    try:
        shown = dict(render._detail_lines(detail, i18n._, i18n.preferences()))  # noqa: SLF001 - the panel's lines
        piped = dict(render._detail_lines(detail, str, ()))  # noqa: SLF001
    finally:
        i18n.use_language(None)
    assert shown["Émetteur"] == "test-issuer (émetteur de test)" and shown["État"] == "valide"
    assert piped["Issuer"] == "test-issuer (test issuer)" and piped["Status"] == "valid"
