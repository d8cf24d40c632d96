"""The scripting contract's --json: every command that prints has it, prints exactly one JSON
document on stdout and nothing else there, and the document validates against its JSON Schema in
skillpass/schemas/ (the passport's: skillpass/passport/passport.schema.json). The document is the
same whatever the language (SKILLPASS_LANG=fr or en), once the values that change from run to run
(DIDs, ids, times, signatures, paths) are set aside.

One small wallet is made through the real command (credentials from tests/issuing.py, a
presentation made with `share`) for each language, once for the module."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conftest import PASSPHRASE, REPO, Cli, Result, _base_env
from issuing import new_issuer, ob3, sign

SCHEMAS = REPO / "skillpass" / "schemas"
PASSPORT_SCHEMA = REPO / "skillpass" / "passport" / "passport.schema.json"


def schema(name: str) -> dict[str, Any]:
    path = PASSPORT_SCHEMA if name == "passport" else SCHEMAS / f"{name}.schema.json"
    return json.loads(path.read_text())


@dataclass(frozen=True)
class Step:
    name: str  # the test id
    schema: str  # skillpass/schemas/<schema>.schema.json
    args: tuple[str, ...]
    exit_status: int = 0
    passphrase: bool = True


# -- a small wallet, the real command ------------------------------------------------------------


class _Lists(BaseHTTPRequestHandler):
    """Serves the status list for `status refresh` on loopback (--allow-http)."""

    body = b""

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.send_response(200)
        self.send_header("content-type", "application/vc+ld+json")
        self.send_header("content-length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def status_server() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _Lists)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/status/1"
    server.shutdown()


def _status_list(issuer: Any, url: str) -> dict[str, Any]:
    import base64
    import gzip

    bits = bytearray(16384)
    bits[0] = 0x80  # index 0 revoked
    return sign({"@context": ["https://www.w3.org/ns/credentials/v2"], "id": url,
                 "type": ["VerifiableCredential", "BitstringStatusListCredential"], "issuer": issuer.did,
                 "validFrom": "2026-01-01T00:00:00Z",
                 "credentialSubject": {"id": f"{url}#list", "type": "BitstringStatusList", "statusPurpose": "revocation",
                                       "encodedList": "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits))).decode().rstrip("=")}},
                issuer, "eddsa-rdfc-2022")


def _write(folder: Path, name: str, document: Any) -> str:
    path = folder / name
    path.write_text(document if isinstance(document, str) else json.dumps(document, indent=2))
    return str(path)


def _files(folder: Path, holder: str, list_url: str) -> dict[str, str]:
    """The inputs the steps read, signed for this wallet's holder."""
    from skillpass.keys.multikey import public_key_to_jwk

    sd_issuer, ed_issuer, list_issuer = new_issuer("P-256"), new_issuer("Ed25519"), new_issuer("Ed25519")
    entry = {"id": f"{list_url}#0", "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
             "statusListIndex": "0", "statusListCredential": list_url}
    status_list = _status_list(list_issuer, list_url)
    _Lists.body = json.dumps(status_list).encode()
    key = ed_issuer.did.removeprefix("did:key:")
    return {
        "sd": _write(folder, "sd.json", sign(ob3("Intro to Data Analysis", issuer=sd_issuer, subject=holder),
                                             sd_issuer, "ecdsa-sd-2023")),
        "ed": _write(folder, "ed.json", sign(ob3("Welding Safety", issuer=ed_issuer, subject=holder, n=2),
                                             ed_issuer, "eddsa-rdfc-2022")),
        "listed": _write(folder, "listed.json", sign(ob3("First Aid", issuer=list_issuer, subject=holder, n=3,
                                                         credentialStatus=entry), list_issuer, "eddsa-rdfc-2022")),
        "list": _write(folder, "list.json", status_list),
        "garbage": _write(folder, "garbage.json", "{not json"),
        "context": _write(folder, "context.json", {"@context": {"ex": "https://example.org/ns#"}}),
        "did": _write(folder, "did.json", {"id": "did:web:boreal.example", "verificationMethod": [
            {"id": "did:web:boreal.example#k1", "type": "Multikey", "controller": "did:web:boreal.example",
             "publicKeyMultibase": key}]}),
        "vpr": _write(folder, "vpr.json", {"query": [{"type": "QueryByExample", "credentialQuery": {
            "reason": "Show your welding course", "example": {
                "@context": ["https://www.w3.org/ns/credentials/v2"], "type": "OpenBadgeCredential",
                "credentialSubject": {"achievement": {"name": ""}}}}}],
            "challenge": "c-2", "domain": "hiring.example"}),
        "new-passphrase": _write(folder, "new-passphrase.txt", "another passphrase\n"),
        "metadata": _write(folder, "jwt-vc-issuer.json", {"issuer": "https://college.example", "jwks": {"keys": [
            {**public_key_to_jwk(sd_issuer.private_key.public_key()), "kid": "k1"}]}}),
        "sd_issuer": sd_issuer.did,
    }


def _steps(folder: Path, files: dict[str, str], ids: dict[str, str]) -> list[Step]:
    out = str(folder / "out")
    name = "credentialSubject.achievement.name"
    return [
        Step("did", "did", ("did",)),
        Step("profile", "profile", ("profile", "--name", "Ana Roy")),
        Step("list", "list", ("list",)),
        Step("show", "show", ("show", ids["sd"])),
        Step("show --fields", "show-fields", ("show", ids["sd"], "--fields")),
        Step("show (test issuer)", "show", ("show", ids["issued"])),
        Step("share", "share", ("share", ids["sd"], "--reveal", name, "--challenge", "c-1", "--domain",
                                "hiring.example", "--out", out + "-vp.json")),
        Step("share to the document", "share", ("share", ids["ed"], "--reveal-all", "--challenge", "c-1")),
        Step("share --qr-png", "share", ("share", ids["sd"], "--reveal", name, "--challenge", "c-1",
                                         "--qr-png", out + "-qr.png")),
        Step("share --request", "share-request", ("share", "--request", files["vpr"], ids["ed"], "--yes",
                                                  "--out", out + "-answer.json")),
        Step("history", "history", ("history",)),
        Step("verify", "verify", ("verify", out + "-vp.json", "--challenge", "c-1", "--domain", "hiring.example")),
        Step("verify refused", "verify", ("verify", out + "-vp.json", "--challenge", "other"), exit_status=9),
        Step("verify files", "verify-files", ("verify", out + "-vp.json", out + "-vp.json", "--challenge", "c-1",
                                              "--domain", "hiring.example")),
        Step("trust add", "trust-add", ("trust", "add", files["sd_issuer"], "--name", "Collège Boréal"),
             passphrase=False),
        Step("trust list", "trust-list", ("trust", "list"), passphrase=False),
        Step("trust remove", "trust-remove", ("trust", "remove", files["sd_issuer"]), passphrase=False),
        Step("trust add --metadata", "trust-add", ("trust", "add", "--metadata", files["metadata"], "--name",
                                                   "Collège Boréal"), passphrase=False),
        Step("trust list (metadata)", "trust-list", ("trust", "list"), passphrase=False),
        Step("contexts add", "contexts-add", ("contexts", "add", files["context"], "--url",
                                              "https://example.org/ctx/v1")),
        Step("contexts list", "contexts-list", ("contexts", "list")),
        Step("dids add", "dids-add", ("dids", "add", files["did"])),
        Step("dids list", "dids-list", ("dids", "list")),
        Step("status list", "status-list", ("status", "list")),
        Step("status add", "status-add", ("status", "add", files["list"])),
        Step("status refresh", "status-refresh", ("status", "refresh", "--allow-http")),
        Step("passport", "passport", ("passport",)),
        Step("passport --html", "passport-files", ("passport", "--html", out + "-passport.html")),
        Step("import rejected", "import", ("import", files["garbage"], files["ed"]), exit_status=8),
        Step("backup", "backup", ("backup", out + "-backup.json")),
        Step("restore (merge)", "restore", ("restore", out + "-backup.json")),
        Step("restore (new)", "restore", ("restore", out + "-backup.json", "--home", str(folder / "restored"))),
        Step("passphrase", "passphrase", ("passphrase", "--home", str(folder / "restored"),
                                          "--new-passphrase-file", files["new-passphrase"])),
        Step("remove", "remove", ("remove", ids["ed"], "--yes")),
        Step("unlock", "unlock", ("unlock", "--timeout", "5m")),
        Step("unlock --status", "unlock-status", ("unlock", "--status"), passphrase=False),
        Step("lock", "lock", ("lock",), passphrase=False),
        Step("demo", "demo", ("demo",), passphrase=False),
    ]


def _run(cli: Cli, args: tuple[str, ...], passphrase: bool = True) -> Result:
    return (cli.with_passphrase if passphrase else cli)(*args, "--json")


def scenario(folder: Path, lang: str, list_url: str) -> dict[str, tuple[Step, Result]]:
    """Every step's --json run, in order, in a new wallet, under SKILLPASS_LANG=lang."""
    passphrase_file = folder / "passphrase.txt"
    passphrase_file.write_text(PASSPHRASE + "\n")
    env = dict(_base_env(folder / "home"), SKILLPASS_LANG=lang)
    cli = Cli(folder / "home", passphrase_file, env)
    done: dict[str, tuple[Step, Result]] = {"init": (Step("init", "init", ("init",)), _run(cli, ("init",)))}
    holder = next(k["did"] for k in done["init"][1].json()["dids"] if k["keyType"] == "Ed25519")
    files = _files(folder, holder, list_url)
    issued = folder / "issued.json"  # by `skillpass issue`: listed and shown with testIssuer
    assert _run(cli, ("issue", "--name", "Test Safety", "--subject", "me", "--out", str(issued))).returncode == 0
    imported = _run(cli, ("import", files["sd"], files["ed"], files["listed"], str(issued)))
    done["import"] = (Step("import", "import", ()), imported)
    ids = dict(zip(("sd", "ed", "listed", "issued"), (o["id"] for o in imported.json())))
    for step in _steps(folder, files, ids):
        done[step.name] = (step, _run(cli, step.args, step.passphrase))
    return done


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory, status_server: str) -> dict[str, dict[str, tuple[Step, Result]]]:
    return {lang: scenario(tmp_path_factory.mktemp(f"json-{lang}"), lang, status_server) for lang in ("en", "fr")}


class _Blank(dict):  # type: ignore[type-arg]
    """Any file or id, for listing the steps without running them."""

    def __missing__(self, key: str) -> str:
        return ""


STEPS = _steps(Path("/"), _Blank(), _Blank())
NAMES = ["init", "import"] + [s.name for s in STEPS]


# -- one document, valid ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_json_is_one_document_on_stdout_valid_against_its_schema(runs: Any, name: str) -> None:
    step, result = runs["en"][name]
    assert result.returncode == step.exit_status, result.stderr
    document, end = json.JSONDecoder().raw_decode(result.stdout)
    assert result.stdout[end:] == "\n", "one document, then a newline, and nothing else"
    assert "\x1b" not in result.stdout
    jsonschema.Draft202012Validator(schema(step.schema), format_checker=jsonschema.FormatChecker()).validate(document)
    for line in result.stderr.splitlines():
        assert not _is_json(line), f"JSON on stderr: {line}"


def _is_json(line: str) -> bool:
    try:
        return isinstance(json.loads(line), (dict, list))
    except ValueError:
        return False


@pytest.mark.parametrize("name", NAMES)
def test_json_is_the_same_in_french_and_english(runs: Any, name: str) -> None:
    english, french = (runs[lang][name][1] for lang in ("en", "fr"))
    assert french.returncode == english.returncode, french.stderr
    assert stable(french.json()) == stable(english.json())


_VOLATILE = [
    (re.compile(r"did:key:z[1-9A-HJ-NP-Za-km-z]+(#z[1-9A-HJ-NP-Za-km-z]+)?"), "DID"),
    (re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z"), "TIME"),
    (re.compile(r"(/tmp|/var)/\S+"), "PATH"),
    (re.compile(r"urn:uuid:[0-9a-f-]{36}"), "UUID"),
    (re.compile(r"\b[0-9a-f]{16,}\b"), "HEX"),
    (re.compile(r"127\.0\.0\.1:\d+"), "LOOPBACK"),
    (re.compile(r"statement \d+ of \d+"), "STATEMENT"),
]
_OPAQUE = re.compile(r"^(?!/)[A-Za-z0-9_\-.~+/=]{40,}$")  # signatures, keys, JWTs, multibase values


def stable(value: Any) -> Any:
    """`value` with what changes from run to run replaced by a placeholder; keys, statuses, codes
    and every word left as they are. Records are compared in any order: ties in a sort order
    fall to random ids."""
    if isinstance(value, dict):  # a credential's size: a base58 signature is 86 to 88 characters long
        return {k: "SIZE" if k == "size" and isinstance(v, int) else stable(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [stable(v) for v in value]
        return sorted(items, key=json.dumps) if all(isinstance(v, dict) for v in items) else items
    if isinstance(value, str):
        if _OPAQUE.match(value):
            return "OPAQUE"
        for pattern, placeholder in _VOLATILE:
            value = pattern.sub(placeholder, value)
    return value


# -- the schemas themselves ------------------------------------------------------------------------


def test_every_schema_is_a_valid_2020_12_schema_and_is_tested() -> None:
    names = {path.name.removesuffix(".schema.json") for path in SCHEMAS.glob("*.schema.json")}
    used = {step.schema for step in STEPS} | {"init", "import", "receive", "issue"}  # issue: test_cli_issue
    assert names | {"passport"} == used
    for name in used:
        document = schema(name)
        jsonschema.Draft202012Validator.check_schema(document)
        assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize(("name", "schema_name", "change"), [
    ("list", "list", lambda d: d[0].update(state=d[0].pop("status"))),
    ("list", "list", lambda d: d[0].update(status="fine")),
    ("show", "show", lambda d: d.pop("verification")),
    ("import", "import", lambda d: d[0].pop("id")),
    ("verify", "verify", lambda d: d["checks"][0].update(status="ok")),
    ("verify", "verify", lambda d: d.update(result=d.pop("outcome"))),
    ("history", "history", lambda d: d[0].update(extra=True)),
    ("did", "did", lambda d: d[0].update(privateKeyMultibase="z...")),
    ("status list", "status-list", lambda d: d[0].update(state="fresh")),
])
def test_a_renamed_missing_or_unknown_key_is_caught(runs: Any, name: str, schema_name: str, change: Any) -> None:
    document = runs["en"][name][1].json()
    change(document)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema(schema_name), cls=jsonschema.Draft202012Validator)


def test_what_receive_keeps_is_valid_against_its_schema(runs: Any, tmp_path: Path) -> None:
    """`receive` needs an issuer (tests/interop run one): its outcomes come from
    flow.receiving.store_received, run here on a credential the wallet does not have yet."""
    from datetime import datetime, timezone

    from conftest import sources
    from skillpass.flow.receiving import store_received
    from skillpass.flow.session import Session
    from skillpass.oid4vci.holder import Received

    home = Path(runs["en"]["init"][1].json()["home"])
    issuer = new_issuer("Ed25519")
    credential = sign(ob3("Forklift Safety", issuer=issuer, n=9), issuer, "eddsa-rdfc-2022")
    received = [Received("forklift", "ldp_vc", json.dumps(credential).encode())]
    outcomes = store_received(Session(home, sources()), received, {}, datetime.now(timezone.utc))
    document = {"issuer": {"id": "https://college.example", "name": "Collège Boréal"}, "received": outcomes}
    jsonschema.validate(document, schema("receive"), cls=jsonschema.Draft202012Validator)
    assert outcomes[0]["status"] == "imported"


def test_every_command_that_prints_has_json() -> None:
    import typer

    from skillpass.cli import app

    def walk(command: Any, path: str) -> Iterator[tuple[str, Any]]:
        if hasattr(command, "commands"):
            for name, sub in command.commands.items():
                yield from walk(sub, f"{path} {name}")
        else:
            yield path.strip(), command

    missing = [path for path, command in walk(typer.main.get_command(app), "")
               if not any("--json" in getattr(p, "opts", ()) for p in command.params)]
    assert missing == []


# -- nothing else on stdout ------------------------------------------------------------------------


def test_json_and_another_document_on_stdout_are_refused(cli: Cli, wallet_home: Path, tmp_path: Path) -> None:
    holder = cli.with_passphrase("did", "--json").json()[0]["did"]
    issuer = new_issuer("Ed25519")
    badge = _write(tmp_path, "badge.json", sign(ob3("Welding Safety", issuer=issuer, subject=holder), issuer,
                                                "eddsa-rdfc-2022"))
    credential_id = cli.with_passphrase("import", badge, "--json").json()[0]["id"]
    request = _write(tmp_path, "vpr.json", {"query": [{"type": "QueryByExample", "credentialQuery": {"example": {
        "@context": ["https://www.w3.org/ns/credentials/v2"], "type": "OpenBadgeCredential"}}}], "challenge": "c"})
    for args in (("share", credential_id, "--reveal-all", "--out", "-"), ("share", "--request", request, "--yes",
                                                                          "--out", "-"),
                 ("passport", "--html", "-"), ("share", credential_id, "--reveal-all", "--qr-png", "-")):
        result = cli.with_passphrase(*args, "--json", env={"SKILLPASS_LANG": "en"})
        assert (result.returncode, result.stdout) == (2, ""), args
        assert result.stderr.count("\n") == 1 and "stdout" in result.stderr


def test_an_error_under_json_leaves_stdout_empty(cli: Cli, wallet_home: Path) -> None:
    result = cli.with_passphrase("show", "0123456789abcdef", "--json", env={"SKILLPASS_LANG": "en"})
    assert (result.returncode, result.stdout) == (7, "")
    assert result.stderr.startswith("skillpass: error: ") and result.stderr.count("\n") == 1
