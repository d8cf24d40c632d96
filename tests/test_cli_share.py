"""`show --fields`, `share`, `history`, `verify` and `trust` through the real command."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, TESTS, Cli
from issuing import new_issuer, ob3, sign, types_in
from skillpass.errors import ExitStatus

HIDDEN = ["Cleaning, summarising and charting tabular data.", "Passed the final assessment with 70% or more.",
          "Ontario Skills Framework", "https://example.org/skills/data-analysis"]


def _holder(cli: Cli, key_type: str = "Ed25519") -> str:
    keys = cli.with_passphrase("did", "--json").json()
    return next(k["did"] for k in keys if k["keyType"] == key_type)


def _import(cli: Cli, tmp_path: Path, credential: dict[str, Any], name: str = "c.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(credential, indent=2))
    result = cli.with_passphrase("import", str(path), "--json")
    assert result.returncode == 0, result.stdout
    return result.json()[0]["id"]


@pytest.fixture
def badges(cli: Cli, wallet_home: Path, tmp_path: Path) -> dict[str, str]:
    """An ecdsa-sd-2023 badge and an eddsa-rdfc-2022 badge, both issued to the wallet's Ed25519 DID."""
    holder = _holder(cli)
    sd_issuer, ed_issuer = new_issuer("P-256"), new_issuer("Ed25519")
    sd = sign(ob3("Intro to Data Analysis", issuer=sd_issuer, subject=holder), sd_issuer, "ecdsa-sd-2023")
    ed = sign(ob3("Welding Safety", issuer=ed_issuer, subject=holder, n=2), ed_issuer, "eddsa-rdfc-2022")
    return {"sd": _import(cli, tmp_path, sd, "sd.json"), "ed": _import(cli, tmp_path, ed, "ed.json"),
            "sd_issuer": sd_issuer.did, "holder": holder}


def test_fields_of_a_selective_credential(cli: Cli, badges: dict[str, str]) -> None:
    listing = cli.with_passphrase("show", badges["sd"], "--fields", "--json").json()
    assert listing["selective"] is True
    by_path = {f["path"]: f for f in listing["fields"]}
    name = by_path["credentialSubject.achievement.name"]
    assert name["pointer"] == "/credentialSubject/achievement/name"
    assert name["value"] == "Intro to Data Analysis" and name["mandatory"] is False
    assert by_path["issuer.name"]["mandatory"] is True
    assert all({"path", "pointer", "label", "value", "mandatory"} <= set(f) for f in listing["fields"])


def test_fields_of_a_whole_only_credential_say_so(cli: Cli, badges: dict[str, str]) -> None:
    listing = cli.with_passphrase("show", badges["ed"], "--fields", "--json").json()
    assert listing["selective"] is False
    assert "can only be shared whole" in listing["reason"]
    text = cli.with_passphrase("show", badges["ed"], "--fields")
    assert "can only be shared whole" in text.stderr  # piped: the records on stdout, the reason aside
    header, *records = text.stdout.splitlines()
    assert header.split("\t") == ["path", "pointer", "label", "value", "mandatory", "why", "together"]
    assert len(records) == len(listing["fields"]) and all(r.endswith("\ttrue\twhole\t") for r in records)


def test_share_reveals_only_the_chosen_fields_and_verifies(cli: Cli, badges: dict[str, str]) -> None:
    shared = cli.with_passphrase("share", badges["sd"], "--reveal", "credentialSubject.achievement.name",
                                 "--challenge", "c-8c1d5e", "--domain", "hiring.example.ca")
    assert shared.returncode == 0, shared.stderr
    for hidden in HIDDEN:
        assert hidden not in shared.stdout
    presentation = json.loads(shared.stdout)
    assert presentation["holder"] == badges["holder"]
    assert presentation["proof"]["proofPurpose"] == "authentication"
    verified = cli("verify", "-", "--challenge", "c-8c1d5e", "--domain", "hiring.example.ca", "--json",
                   input=shared.stdout_bytes)
    assert verified.returncode == 0, verified.stdout
    report = verified.json()
    assert report["outcome"] == "verified"
    disclosed = {d["path"]: d["value"] for d in report["credentials"][0]["disclosed"]}
    assert disclosed["/credentialSubject/achievement/name"] == "Intro to Data Analysis"


@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "Ed25519Signature2018"])
def test_share_whole_with_each_holder_suite(cli: Cli, badges: dict[str, str], tmp_path: Path, suite: str) -> None:
    out = tmp_path / "vp.json"
    shared = cli.with_passphrase("share", badges["ed"], badges["sd"], "--reveal-all", "--challenge", "n-1",
                                 "--domain", "d.example", "--proof-suite", suite, "--out", str(out))
    assert shared.returncode == 0, shared.stderr
    assert "wrote the presentation" in shared.stderr
    verified = cli("verify", str(out), "--challenge", "n-1", "--domain", "d.example", "--json")
    assert verified.json()["outcome"] == "verified", verified.stdout
    assert verified.returncode == 0


def test_reveal_and_reveal_all_together_are_refused_before_anything_is_shared(cli: Cli,
                                                                             badges: dict[str, str]) -> None:
    """Which one was meant cannot be told: never the whole credential when a field was named."""
    refused = cli.with_passphrase("share", badges["sd"], "--reveal", "name", "--reveal-all", "--challenge", "n-1")
    french = cli.with_passphrase("share", badges["sd"], "--reveal", "name", "--reveal-all", "--lang", "fr")

    assert refused.returncode == ExitStatus.USAGE and refused.stdout == ""
    assert refused.stderr == ("skillpass: error: --reveal and --reveal-all do not go together; give --reveal FIELD "
                              "for some fields, or --reveal-all alone to share them whole\n")
    assert french.returncode == ExitStatus.USAGE
    assert french.stderr.startswith("skillpass : erreur : --reveal et --reveal-all ne vont pas ensemble ;")
    assert cli.with_passphrase("history", "--json").json() == []


def test_a_credential_named_twice_goes_out_once(cli: Cli, badges: dict[str, str]) -> None:
    shared = cli.with_passphrase("share", badges["ed"], badges["ed"][:8], "--reveal-all", "--challenge", "n-1")

    assert shared.returncode == 0, shared.stderr
    assert len(json.loads(shared.stdout)["verifiableCredential"]) == 1
    [record] = cli.with_passphrase("history", "--json").json()
    assert [c["id"] for c in record["credentials"]] == [badges["ed"]]


def test_a_suite_the_bound_did_cannot_sign_with_is_refused(cli: Cli, badges: dict[str, str],
                                                          tmp_path: Path) -> None:
    out = tmp_path / "vp.json"
    refused = cli.with_passphrase("share", badges["ed"], "--reveal-all", "--challenge", "n-1",
                                  "--proof-suite", "ecdsa-rdfc-2019", "--out", str(out))

    assert refused.returncode == ExitStatus.USAGE
    assert badges["ed"] in refused.stderr and badges["holder"] in refused.stderr
    assert "--proof-suite eddsa-rdfc-2022" in refused.stderr
    assert refused.stderr.count("\n") == 1 and not out.exists()
    assert cli.with_passphrase("history", "--json").json() == []


def test_a_wrong_challenge_or_domain_fails_verification(cli: Cli, badges: dict[str, str], tmp_path: Path) -> None:
    vp = cli.with_passphrase("share", badges["ed"], "--reveal-all", "--challenge", "right", "--domain", "d.example")
    wrong_challenge = cli("verify", "-", "--challenge", "wrong", "--domain", "d.example", "--json", input=vp.stdout_bytes)
    assert wrong_challenge.returncode == ExitStatus.INVALID
    assert any(c["code"] == "E_CHALLENGE" and c["status"] == "failed" for c in wrong_challenge.json()["checks"])
    wrong_domain = cli("verify", "-", "--challenge", "right", "--domain", "evil.example", "--json", input=vp.stdout_bytes)
    assert wrong_domain.returncode == ExitStatus.INVALID
    assert any(c["code"] == "E_DOMAIN" for c in wrong_domain.json()["checks"])


@pytest.mark.parametrize("blank", [["--challenge", ""], ["--challenge", " ", "--domain", "d.example"],
                                   ["--challenge", "c", "--domain", ""]])
def test_a_blank_challenge_or_domain_is_refused_before_anything_is_signed(cli: Cli, badges: dict[str, str],
                                                                          blank: list[str]) -> None:
    result = cli.with_passphrase("share", badges["ed"], "--reveal-all", *blank)
    assert result.returncode == ExitStatus.USAGE and result.stdout == ""
    option = "--challenge" if blank[1].strip() == "" else "--domain"
    assert f"{option} is empty; give {option} a value, or leave it out" in result.stderr
    assert cli.with_passphrase("history", "--json").json() == []


def test_hiding_fields_of_a_whole_only_credential_is_an_error(cli: Cli, badges: dict[str, str]) -> None:
    result = cli.with_passphrase("share", badges["ed"], "--reveal", "credentialSubject.achievement.name")
    assert result.returncode == ExitStatus.BAD_INPUT
    assert "--reveal-all" in result.stderr
    assert result.stdout == ""


def test_unknown_field_and_no_selection_without_a_terminal(cli: Cli, badges: dict[str, str]) -> None:
    unknown = cli.with_passphrase("share", badges["sd"], "--reveal", "credentialSubject.nope")
    assert unknown.returncode == ExitStatus.BAD_INPUT
    assert "--fields" in unknown.stderr
    nothing = cli.with_passphrase("share", badges["sd"])
    assert nothing.returncode == ExitStatus.USAGE
    assert "--reveal" in nothing.stderr


def test_without_a_challenge_a_replay_warning(cli: Cli, badges: dict[str, str]) -> None:
    result = cli.with_passphrase("share", badges["ed"], "--reveal-all")
    assert result.returncode == 0
    assert "warning: no --challenge" in result.stderr


def test_unsigned_presentations_are_not_accepted_by_verify(cli: Cli, badges: dict[str, str]) -> None:
    vp = cli.with_passphrase("share", badges["ed"], "--reveal-all", "--unsigned")
    assert vp.returncode == 0 and "proof" not in json.loads(vp.stdout)
    result = cli("verify", "-", "--json", input=vp.stdout_bytes)
    assert result.returncode == ExitStatus.INVALID


def test_history_records_every_share(cli: Cli, badges: dict[str, str]) -> None:
    cli.with_passphrase("share", badges["sd"], "--reveal", "/credentialSubject/achievement/name",
                        "--challenge", "h-1", "--domain", "hr.example")
    history = cli.with_passphrase("history", "--json").json()
    assert len(history) == 1
    [entry] = history
    assert entry["challenge"] == "h-1" and entry["domain"] == "hr.example"
    assert entry["credentials"] == [{"id": badges["sd"], "all": False, "fields": [
        "/issuer/id", "/issuer/name", "/credentialSubject/id", "/credentialSubject/achievement/name"]}]
    assert entry["suite"] == "eddsa-rdfc-2022" and entry["when"].endswith("Z")
    assert "h-1" in cli.with_passphrase("history").stdout


def test_trust_list_and_require_trusted(cli: Cli, badges: dict[str, str]) -> None:
    vp = cli.with_passphrase("share", badges["sd"], "--reveal", "credentialSubject.achievement.name",
                             "--challenge", "t-1")
    untrusted = cli("verify", "-", "--challenge", "t-1", "--require-trusted", "--json", input=vp.stdout_bytes)
    assert untrusted.returncode == ExitStatus.INVALID
    added = cli("trust", "add", badges["sd_issuer"], "--name", "Collège Boréal", "--json")
    assert added.returncode == 0, added.stderr
    assert cli("trust", "list", "--json").json()[0]["name"] == "Collège Boréal"
    trusted = cli("verify", "-", "--challenge", "t-1", "--require-trusted", "--json", input=vp.stdout_bytes)
    assert trusted.returncode == 0, trusted.stdout
    assert trusted.json()["credentials"][0]["issuerName"] == "Collège Boréal"
    assert cli("trust", "remove", badges["sd_issuer"]).returncode == 0
    assert cli("trust", "remove", badges["sd_issuer"]).returncode == ExitStatus.NOT_FOUND


def test_verify_needs_no_wallet_and_rejects_garbage_in_one_line(cli: Cli, tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{")
    result = cli("verify", str(garbage), "--home", str(tmp_path / "no-wallet-here"))
    assert result.returncode == ExitStatus.BAD_INPUT
    assert result.stdout == "" and result.stderr.count("\n") == 1


def _read_until(fd: int, needle: bytes, timeout: float = 60) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while needle not in seen:
        assert time.monotonic() < deadline, seen.decode(errors="replace")
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
    return seen


def _on_a_terminal(cli: Cli, *args: str, columns: str = "160", **env: str) -> tuple[subprocess.Popen, int]:
    """`skillpass ARGS --passphrase-file ...` with a pseudo-terminal for stdin, stdout and stderr:
    the process and the terminal's primary side, to read what it shows and type answers."""
    primary, secondary = pty.openpty()
    proc = subprocess.Popen([sys.executable, str(TESTS / "cheap_kdf.py"), *args, "--passphrase-file",
                             str(cli.passphrase_file)], stdin=secondary, stdout=secondary, stderr=secondary,
                            env=dict(cli.env, COLUMNS=columns, **env), cwd=REPO)
    os.close(secondary)
    return proc, primary


def _piped_from_a_terminal(cli: Cli, *args: str) -> tuple[str, bytes]:
    """`skillpass ARGS` with a terminal for stdin and stderr and a pipe for stdout (`> file`):
    what the terminal shows, and what went down the pipe (the command exits 0)."""
    from terminal import read_until_closed

    primary, secondary = pty.openpty()
    proc = subprocess.Popen([sys.executable, str(TESTS / "cheap_kdf.py"), *args, "--passphrase-file",
                             str(cli.passphrase_file)], stdin=secondary, stdout=subprocess.PIPE, stderr=secondary,
                            env=dict(cli.env, NO_COLOR="1", COLUMNS="160"), cwd=REPO)
    os.close(secondary)
    shown = read_until_closed(primary).decode().replace("\r\n", "\n")
    assert proc.stdout is not None
    stdout = proc.stdout.read()
    assert proc.wait(timeout=60) == 0, shown
    return shown, stdout


@pytest.mark.parametrize(("lang", "wrote"), [("en", "skillpass: wrote the presentation to stdout"),
                                             ("fr", "skillpass : présentation écrite sur la sortie standard")])
def test_a_presentation_sent_down_a_pipe_from_a_terminal_is_summed_up_there(cli: Cli, badges: dict[str, str],
                                                                            lang: str, wrote: str) -> None:
    """`share ... > vp.json` at a terminal says what went out, as --out vp.json does; it said nothing."""
    shown, stdout = _piped_from_a_terminal(cli, "--lang", lang, "share", badges["sd"], "--reveal", "name",
                                           "--challenge", "p-1")
    presentation = json.loads(stdout)

    assert presentation["proof"]["challenge"] == "p-1"
    assert shown.rstrip("\n").endswith(wrote)
    assert f"{badges['sd'][:10]}  " in shown and badges["holder"] in shown  # the credential, and who signed
    assert "always sent: " in shown or "toujours envoyés : " in shown


@pytest.mark.parametrize("qr", ["--qr", "--qr-png -", "--qr-png FILE"])
def test_the_summary_says_what_the_codes_put_on_stdout(cli: Cli, badges: dict[str, str], tmp_path: Path,
                                                       qr: str) -> None:
    """It said 'wrote the text of the QR code to stdout' for any --qr option, a PNG sent there or
    only a file written."""
    png = tmp_path / "code.png"
    shown, stdout = _piped_from_a_terminal(cli, "share", badges["sd"], "--reveal", "name", "--challenge", "p-1",
                                           *qr.replace("FILE", str(png)).split())
    last = shown.rstrip("\n").splitlines()[-1]

    if qr == "--qr":
        assert stdout.startswith(b"VP1-") and last == "skillpass: wrote the text of the QR code to stdout"
    elif qr == "--qr-png -":
        assert stdout.startswith(b"\x89PNG") and last == "skillpass: wrote the QR code to stdout"
    else:
        assert stdout == b"" and png.read_bytes().startswith(b"\x89PNG") and "stdout" not in shown
        assert f"skillpass: wrote the QR code to {png}" in shown


def test_the_interactive_picker_previews_and_confirms(cli: Cli, badges: dict[str, str], tmp_path: Path) -> None:
    listing = cli.with_passphrase("show", badges["sd"], "--fields", "--json").json()
    number = 1 + [f["path"] for f in listing["fields"]].index("credentialSubject.achievement.name")
    out = tmp_path / "picked.json"
    proc, primary = _on_a_terminal(cli, "share", badges["sd"], "--challenge", "p-1", "--out", str(out))
    _read_until(primary, b"fields to reveal")
    os.write(primary, f"{number}\n".encode())
    preview = _read_until(primary, b"share exactly this?")
    assert b"Intro to Data Analysis" in preview
    assert HIDDEN[0].encode() not in preview
    os.write(primary, b"y\n")
    assert proc.wait(timeout=60) == 0
    os.close(primary)
    shared = json.loads(out.read_text())
    assert HIDDEN[0] not in json.dumps(shared)


def test_the_preview_shows_a_control_in_a_title_as_an_escape(cli: Cli, badges: dict[str, str],
                                                              tmp_path: Path) -> None:
    """An ESC in a credential's name is shown as \\x1b, as everywhere else: never as a space."""
    issuer = new_issuer("P-256")
    altered = sign(ob3("Data\x1b[8mAnalysis", issuer=issuer, subject=badges["holder"], n=3), issuer,
                   "ecdsa-sd-2023")
    ref = _import(cli, tmp_path, altered, "altered.json")
    proc, primary = _on_a_terminal(cli, "share", ref, "--challenge", "p-1", "--out", str(tmp_path / "altered-vp.json"),
                                   NO_COLOR="1")
    picker = _read_until(primary, b"fields to reveal")
    os.write(primary, b"1\n")
    preview = _read_until(primary, b"share exactly this?")
    os.write(primary, b"n\n")
    assert proc.wait(timeout=60) == ExitStatus.CANCELLED
    os.close(primary)
    assert b"Data\\x1b[8mAnalysis" in picker and b"Data\\x1b[8mAnalysis" in preview
    assert b"\x1b[8m" not in picker + preview and b"Data Analysis" not in picker + preview


def test_the_picker_in_french_asks_with_french_words_and_takes_oui(cli: Cli, badges: dict[str, str],
                                                                   tmp_path: Path) -> None:
    """'[o/N]', and 'o' is a yes: never click's English 'Error: invalid input'."""
    out = tmp_path / "picked.json"
    proc, primary = _on_a_terminal(cli, "share", badges["sd"], "--challenge", "p-1", "--out", str(out), "--lang", "fr")
    asked = _read_until(primary, "champs à révéler".encode())
    assert "skillpass : champs à révéler".encode() in asked
    os.write(primary, b"1\n")
    question = _read_until(primary, "partager exactement ceci ?".encode())
    os.write(primary, b"o\n")
    answer = _read_until(primary, b"picked.json")
    assert proc.wait(timeout=60) == 0, answer.decode(errors="replace")
    os.close(primary)
    assert b"[o/N]" in question + answer and b"invalid input" not in answer
    assert out.exists()


def test_remove_asks_in_french_and_no_keeps_the_credential(cli: Cli, badges: dict[str, str]) -> None:
    proc, primary = _on_a_terminal(cli, "remove", badges["sd"], "--lang", "fr")
    question = _read_until(primary, b"[o/N]")
    os.write(primary, b"n\n")
    assert proc.wait(timeout=60) == ExitStatus.CANCELLED
    os.close(primary)
    assert f"skillpass : retirer {badges['sd']}".encode() in question
    assert badges["sd"] in [row["id"] for row in cli.with_passphrase("list", "--json").json()]


def test_list_on_a_terminal_is_an_aligned_table(cli: Cli, badges: dict[str, str]) -> None:
    proc, primary = _on_a_terminal(cli, "list", columns="100", NO_COLOR="1")
    output = _read_until(primary, b"Welding Safety")
    proc.wait(timeout=60)
    os.close(primary)
    lines = [line for line in output.decode().splitlines() if line.strip()]
    assert lines[0].split() == ["ID", "Title", "Issuer", "Format", "Issued", "Status"]
    assert any(line.startswith(badges["sd"][:10]) and line.rstrip().endswith("valid") for line in lines)


def test_verify_can_trust_an_extra_context_for_one_check(cli: Cli, tmp_path: Path) -> None:
    from skillpass.jsonld.loader import ContextStore

    url = "https://skills.example.ca/contexts/apprenticeship/v1"
    context = json.dumps({"@context": {"@protected": True, "trade": "https://skills.example.ca/vocab#trade"}})
    issuer = new_issuer("Ed25519")
    credential = {"@context": ["https://www.w3.org/ns/credentials/v2", url],
                  "type": ["VerifiableCredential"], "issuer": issuer.did,
                  "credentialSubject": {"trade": "Electrician"}}
    signed = sign(credential, issuer, "eddsa-rdfc-2022",
                  store=ContextStore.bundled().with_extra({url: context.encode()}))
    path = tmp_path / "credential.json"
    path.write_text(json.dumps(signed))
    (tmp_path / "ctx.json").write_text(context)
    unknown = cli("verify", str(path), "--json")
    assert unknown.returncode == ExitStatus.UNVERIFIABLE
    known = cli("verify", str(path), "--context", f"{url}={tmp_path / 'ctx.json'}", "--json")
    assert known.returncode == 0, known.stdout
    assert known.json()["kind"] == "credential"
    assert cli("verify", str(path), "--context", "not-a-pair").returncode == ExitStatus.USAGE


def test_credentials_issued_to_the_p256_did_are_presented_with_that_key(cli: Cli, wallet_home: Path,
                                                                       tmp_path: Path) -> None:
    holder = _holder(cli, "P-256")
    issuer = new_issuer("Ed25519")
    cid = _import(cli, tmp_path, sign(ob3(issuer=issuer, subject=holder), issuer, "eddsa-rdfc-2022"))
    shared = cli.with_passphrase("share", cid, "--reveal-all", "--challenge", "k-1")
    assert shared.returncode == 0 and "warning: credential" not in shared.stderr
    presentation = json.loads(shared.stdout)
    assert presentation["holder"] == holder
    assert presentation["proof"]["cryptosuite"] == "ecdsa-rdfc-2019"
    assert cli("verify", "-", "--challenge", "k-1", input=shared.stdout_bytes).returncode == 0


def test_a_share_of_top_level_fields_still_binds_to_the_holder(cli: Cli, badges: dict[str, str]) -> None:
    shared = cli.with_passphrase("share", badges["sd"], "--reveal", "name", "--challenge", "t-1", "--json")
    document = shared.json()
    [credential] = document["presentation"]["verifiableCredential"]
    verified = cli("verify", "-", "--challenge", "t-1", "--json",
                   input=json.dumps(document["presentation"]).encode())

    assert credential["credentialSubject"]["id"] == badges["holder"]
    assert {f["pointer"]: f["why"] for f in document["credentials"][0]["fields"]} == {
        "/id": "identifier", "/name": None, "/issuer/id": "issuer", "/issuer/name": "issuer",
        "/credentialSubject/id": "holder binding"}  # the credential's id goes out with any field
    assert "id" in credential
    assert verified.returncode == 0, verified.stdout  # holder binding required: no --allow-unbound


@pytest.mark.parametrize("reveal", [["--reveal", "credentialSubject.achievement.name"], ["--reveal", "name"],
                                    ["--reveal-all"]])
def test_the_preview_says_what_always_goes_out_beside_the_fields(cli: Cli, badges: dict[str, str],
                                                                 reveal: list[str]) -> None:
    """The types of every object on a revealed path, the @context and the issuer's proof with its
    date go out in every disclosure: the preview lists them, exactly as the presentation has them."""
    document = cli.with_passphrase("share", badges["sd"], *reveal, "--challenge", "a-1", "--json").json()
    [credential] = document["presentation"]["verifiableCredential"]
    sent = {entry["name"]: entry["value"] for entry in document["credentials"][0]["alwaysSent"]}

    assert list(sent) == ["@context", "type", "proof"] and sent["@context"] is None
    assert set(sent["type"].split(", ")) == types_in(credential)
    assert sent["proof"] == f"ecdsa-sd-2023, {credential['proof']['created']}"
    if reveal == ["--reveal", "name"]:  # no achievement field: its type stays home
        assert "Achievement" not in sent["type"].split(", ")


def test_the_share_summary_has_one_always_sent_line_in_each_language(cli: Cli, badges: dict[str, str],
                                                                    tmp_path: Path) -> None:
    said = {lang: cli.with_passphrase("--lang", lang, "share", badges["sd"], "--reveal", "name", "--challenge",
                                      "a-2", "--out", str(tmp_path / f"{lang}.json")) for lang in ("en", "fr")}

    [english] = [line for line in said["en"].stderr.splitlines() if line.startswith("always sent")]
    [french] = [line for line in said["fr"].stderr.splitlines() if line.startswith("toujours envoyés")]
    assert english.startswith("always sent: @context, type (VerifiableCredential, ")
    assert french.startswith("toujours envoyés : @context, type (VerifiableCredential, ")
    assert ", proof (ecdsa-sd-2023, 20" in english and ", proof (ecdsa-sd-2023, 20" in french
    assert said["en"].stderr.startswith(f"shared 1 credential, signed by {badges['holder']} (eddsa-rdfc-2022)\n")
    assert said["fr"].stderr.startswith(f"1 attestation partagée, présentation signée par {badges['holder']} "
                                        "(eddsa-rdfc-2022)\n")  # 'partagé 1 attestation' agreed with nothing


def test_credentials_issued_to_two_of_the_wallets_dids_are_refused(cli: Cli, badges: dict[str, str],
                                                                  tmp_path: Path) -> None:
    p256 = _holder(cli, "P-256")
    issuer = new_issuer("Ed25519")
    other = _import(cli, tmp_path, sign(ob3("Forklift", issuer=issuer, subject=p256, n=3), issuer,
                                        "eddsa-rdfc-2022"), "p256.json")

    refused = cli.with_passphrase("share", badges["ed"], other, "--reveal-all", "--challenge", "m-1")
    alone = cli.with_passphrase("share", other, "--reveal-all", "--challenge", "m-1", "--json")

    assert refused.returncode == ExitStatus.USAGE and refused.stdout == ""
    assert f"{badges['ed']} to your Ed25519 DID {badges['holder']}" in refused.stderr
    assert f"{other} to your P-256 DID {p256}" in refused.stderr
    assert alone.json()["suite"] == "ecdsa-rdfc-2019" and alone.json()["holder"] == p256


def test_import_says_when_a_credential_is_not_issued_to_the_learner(cli: Cli, wallet_home: Path,
                                                                   tmp_path: Path) -> None:
    issuer = new_issuer("Ed25519")
    path = tmp_path / "other.json"
    path.write_text(json.dumps(sign(ob3(issuer=issuer, subject="did:example:someone-else"), issuer,
                                    "eddsa-rdfc-2022")))

    result = cli.with_passphrase("import", str(path), "--json")
    text = cli.with_passphrase("import", str(path))  # a duplicate now: no second warning

    [outcome] = result.json()
    assert result.returncode == 0 and outcome["status"] == "imported"
    assert "did:example:someone-else, none of your DIDs" in outcome["warning"]
    assert "warning" not in text.stdout


def test_verify_says_in_french_what_the_locked_wallet_keeps_for_it(cli: Cli, wallet_home: Path,
                                                                 tmp_path: Path) -> None:
    """With no passphrase to open the wallet, the note on what it keeps is in the learner's language."""
    context = tmp_path / "context.json"
    context.write_text(json.dumps({"@context": {"trade": "https://skills.example.ca/vocab#trade"}}))
    url = "https://skills.example.ca/contexts/apprenticeship/v1"
    assert cli.with_passphrase("contexts", "add", str(context), "--url", url).returncode == 0
    issuer = new_issuer("Ed25519")
    credential = tmp_path / "badge.json"
    credential.write_text(json.dumps(sign(ob3("Welding Safety", issuer=issuer), issuer, "eddsa-rdfc-2022")))

    french = cli("verify", str(credential), "--lang", "fr")

    assert french.returncode == 0, french.stderr
    assert (f"skillpass : le portefeuille de {wallet_home} garde ce que cette vérification pourrait utiliser "
            "(1 contexte) ;") in french.stderr
    assert "keeps" not in french.stderr


def test_a_presentation_written_to_a_terminal_has_no_raw_bidi_or_c1_control(cli: Cli, badges: dict[str, str],
                                                                          tmp_path: Path) -> None:
    """`share --out -` on a terminal: a title's U+202E and U+009B (a CSI) are \\u escapes there."""
    issuer = new_issuer("Ed25519")
    altered = sign(ob3("Bidi\u202eX\u009b31mY", issuer=issuer, subject=badges["holder"], n=4), issuer,
                   "eddsa-rdfc-2022")
    ref = _import(cli, tmp_path, altered, "bidi.json")
    proc, primary = _on_a_terminal(cli, "share", ref, "--reveal-all", "--challenge", "p-1", "--out", "-")
    shown = _read_until(primary, b'"authentication"').decode(errors="replace")
    assert proc.wait(timeout=60) == 0
    os.close(primary)

    assert "\u202e" not in shown and "\u009b" not in shown
    assert '"name": "Bidi\\u202eX\\u009b31mY"' in shown
