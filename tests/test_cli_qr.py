"""QR codes through the real command: share -> PNG -> zxing-cpp -> verify, for an ecdsa-sd-2023
disclosure, a whole eddsa-rdfc-2022 credential and an SD-JWT; the same through --qr-parts; a
phone-like photo of the code; import from a code; the code's text in a file; the refusals."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from conftest import Cli
from issuing import new_issuer, ob3, sign
from skillpass.errors import ExitStatus
from skillpass.formats.sd_jwt_vc.issue import issue
from skillpass.keys.multikey import encode_public_key
from test_qr_images import photo_of

CHALLENGE, DOMAIN = "c-51f2e8", "hiring.example.ca"


def _keys(cli: Cli) -> list[dict[str, Any]]:
    return cli.with_passphrase("did", "--json").json()


@pytest.fixture(scope="module")
def wallet(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from conftest import PASSPHRASE, _base_env

    base = tmp_path_factory.mktemp("qr")
    (base / "passphrase.txt").write_text(PASSPHRASE + "\n")
    cli = Cli(base / "home", base / "passphrase.txt", _base_env(base / "home"))
    assert cli.with_passphrase("init").returncode == 0
    keys = _keys(cli)
    holder = next(k["did"] for k in keys if k["keyType"] == "Ed25519")
    jwk = next(k["publicKeyJwk"] for k in keys if k["keyType"] == "P-256")
    sd_issuer, ed_issuer = new_issuer("P-256"), new_issuer("Ed25519")
    sd = sign(ob3("Intro to Data Analysis", issuer=sd_issuer, subject=holder), sd_issuer, "ecdsa-sd-2023")
    ed = sign(ob3("Welding Safety", issuer=ed_issuer, subject=holder, n=2), ed_issuer, "eddsa-rdfc-2022")
    key = ec.generate_private_key(ec.SECP256R1())
    did = "did:key:" + encode_public_key(key.public_key())
    sd_jwt = issue({"iss": did, "vct": "https://credentials.example/first-aid", "iat": 1767225600,
                    "achievement": {"name": "First Aid"}, "skills": ["CPR", "triage"]},
                   [("skills", 0), ("skills", 1), ("achievement",)], key, kid=f"{did}#{did[8:]}", holder_jwk=jwk)
    long_text = " ".join(f"module {n}: cleaning, summarising and charting tabular data" for n in range(90))
    big = ob3("Data Analysis Certificate", issuer=sd_issuer, subject=holder, n=3)
    big["credentialSubject"]["achievement"]["description"] = long_text
    big_sd_jwt = issue({"iss": did, "vct": "https://credentials.example/transcript", "iat": 1767225600,
                        "transcript": long_text}, [("transcript",)], key, kid=f"{did}#{did[8:]}", holder_jwk=jwk)
    bilingual = ob3("Applied Data Analysis", issuer=sd_issuer, subject=holder, n=4)
    bilingual["credentialSubject"]["achievement"]["name"] = [
        {"@value": "Applied Data Analysis", "@language": "en"},
        {"@value": "Analyse de données appliquée", "@language": "fr"}]
    ids = {}
    for name, body in (("sd", json.dumps(sd)), ("ed", json.dumps(ed)), ("sdjwt", sd_jwt),
                       ("big", json.dumps(sign(big, sd_issuer, "ecdsa-sd-2023"))), ("bigsdjwt", big_sd_jwt),
                       ("bilingual", json.dumps(sign(bilingual, sd_issuer, "ecdsa-sd-2023")))):
        path = base / f"{name}.{'sd-jwt' if 'sdjwt' in name else 'json'}"
        path.write_text(body)
        imported = cli.with_passphrase("import", str(path), "--json")
        assert imported.returncode == 0, imported.stdout + imported.stderr
        ids[name] = imported.json()[0]["id"]
    return {"cli": cli, "ids": ids, "base": base}


SHARES = {
    "sd": ("--reveal", "credentialSubject.achievement.name", "--reveal", "validFrom"),
    "ed": ("--reveal-all",),
    "sdjwt": ("--reveal", "achievement"),
}


@pytest.mark.parametrize("which", list(SHARES))
def test_share_as_png_then_verify_the_scanned_code(wallet: dict[str, Any], which: str, tmp_path: Path) -> None:
    cli = wallet["cli"]
    png = tmp_path / "code.png"
    shared = cli.with_passphrase("share", wallet["ids"][which], *SHARES[which], "--challenge", CHALLENGE,
                                 "--domain", DOMAIN, "--qr-png", str(png), "--json")
    assert shared.returncode == 0, shared.stderr
    qr = shared.json()["qr"]
    assert qr["files"] == [str(png)] and len(qr["codes"]) == 1
    code = qr["codes"][0]
    assert 1 <= code["version"] <= 40 and code["errorCorrection"] in ("M", "L")
    assert qr["text"].startswith("VP1-B3") if which != "sdjwt" else "~" in qr["text"]
    report = cli("verify", "--qr", str(png), "--challenge", CHALLENGE, "--domain", DOMAIN, "--json")
    assert report.returncode == 0, report.stdout + report.stderr
    assert report.json()["outcome"] == "verified"
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(photo_of(png.read_bytes()))
    assert cli("verify", "--qr", str(photo), "--challenge", CHALLENGE, "--domain", DOMAIN).returncode == 0


def test_a_bilingual_name_goes_in_a_cbor_ld_1_0_code_which_verify_reads(wallet: dict[str, Any], tmp_path: Path) -> None:
    """The DCC wallet's format (legacy CBOR-LD) has no texts with their language: the code is
    CBOR-LD 1.0 in base45 (tests/interop/test_interop_vpqr.py: @digitalbazaar/vpqr's own text),
    and the learner is told."""
    cli, png = wallet["cli"], tmp_path / "code.png"
    shared = cli.with_passphrase("share", wallet["ids"]["bilingual"], "--reveal", "credentialSubject.achievement.name",
                                 "--challenge", CHALLENGE, "--qr-png", str(png), "--json", env={"SKILLPASS_LANG": "en"})
    assert shared.returncode == 0, shared.stderr
    qr = shared.json()["qr"]
    assert qr["encoding"] == "vpqr-cbor-ld-1.0" and qr["text"].startswith("VP1-R")
    assert qr["codes"][0]["mode"] == "alphanumeric"
    assert "texts in several languages" in shared.stderr and "CBOR-LD 1.0" in shared.stderr
    report = cli("verify", "--qr", str(png), "--challenge", CHALLENGE, "--json")
    assert report.returncode == 0, report.stdout + report.stderr
    names = [d["value"] for d in report.json()["credentials"][0]["disclosed"] if "/achievement/name" in d["path"]]
    assert names == [{"@language": "en", "@value": "Applied Data Analysis"},
                     {"@language": "fr", "@value": "Analyse de données appliquée"}]
    text = tmp_path / "code.txt"
    text.write_text(qr["text"] + "\n")
    assert cli("verify", str(text), "--challenge", CHALLENGE).returncode == 0
    plain = cli.with_passphrase("share", wallet["ids"]["sd"], *SHARES["sd"], "--challenge", CHALLENGE,
                                "--qr-png", str(tmp_path / "plain.png"), "--json")
    assert plain.json()["qr"]["encoding"] == "vpqr" and "CBOR-LD 1.0" not in plain.stderr


def test_share_qr_on_a_terminal_draws_the_code_and_says_what_it_is(wallet: dict[str, Any]) -> None:
    from test_french import on_terminal

    cli = wallet["cli"]
    shown = on_terminal(cli, "share", wallet["ids"]["sd"], *SHARES["sd"], "--challenge", CHALLENGE, "--qr",
                        "--passphrase-file", str(cli.passphrase_file), env={"SKILLPASS_LANG": "en"})
    assert shown.returncode == 0, shown.stderr
    assert "▀" in shown.stdout or "▄" in shown.stdout
    assert "VP1-" not in shown.stdout  # a picture on a terminal, not the text
    assert "QR code: version" in shown.stderr and "error correction" in shown.stderr
    assert "\x1b]" not in shown.stdout  # colours at most, never an OSC sequence


@pytest.mark.parametrize("which", ["sd", "sdjwt"])
def test_share_qr_on_a_pipe_prints_the_codes_text_which_verify_reads(wallet: dict[str, Any], which: str) -> None:
    """stdout is for data: on a pipe the code's text, never block glyphs only a terminal shows."""
    cli = wallet["cli"]
    shared = cli.with_passphrase("share", wallet["ids"][which], *SHARES[which], "--challenge", CHALLENGE,
                                 "--domain", DOMAIN, "--qr", env={"SKILLPASS_LANG": "en"})
    assert shared.returncode == 0, shared.stderr
    [line] = shared.stdout.splitlines()
    assert line.startswith("VP1-B3") if which == "sd" else "~" in line
    assert not {"▀", "▄", "█", "\x1b"} & set(shared.stdout)
    assert "QR code: version" in shared.stderr
    verified = cli("verify", "-", "--challenge", CHALLENGE, "--domain", DOMAIN, input=shared.stdout_bytes)
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_share_qr_parts_on_a_pipe_print_one_line_a_part(wallet: dict[str, Any]) -> None:
    cli = wallet["cli"]
    shared = cli.with_passphrase("share", wallet["ids"]["big"], "--reveal-all", "--challenge", CHALLENGE,
                                 "--qr", "--qr-parts")
    assert shared.returncode == 0, shared.stderr
    lines = shared.stdout.splitlines()
    assert len(lines) >= 3 and all(line.startswith("SKP1:") for line in lines)
    assert [line.split(":")[2] for line in lines] == [f"{n}/{len(lines)}" for n in range(1, len(lines) + 1)]
    reversed_lines = "\n".join(reversed(lines)).encode()
    assert cli("verify", "-", "--challenge", CHALLENGE, input=reversed_lines).returncode == 0


@pytest.mark.parametrize("which", ["big", "bigsdjwt"])
def test_qr_parts_in_any_order(wallet: dict[str, Any], which: str, tmp_path: Path) -> None:
    cli = wallet["cli"]
    base = tmp_path / "part.png"
    shared = cli.with_passphrase("share", wallet["ids"][which], "--reveal-all", "--challenge", CHALLENGE,
                                 "--domain", DOMAIN, "--qr-png", str(base), "--qr-parts", "--json")
    assert shared.returncode == 0, shared.stderr
    files = shared.json()["qr"]["files"]
    assert len(files) >= 3 and files[0].endswith("part-1.png")
    report = cli("verify", "--qr", *reversed(files), "--challenge", CHALLENGE, "--domain", DOMAIN, "--json")
    assert report.returncode == 0, report.stdout + report.stderr
    missing = cli("verify", "--qr", *files[1:], "--challenge", CHALLENGE, "--domain", DOMAIN)
    assert missing.returncode == ExitStatus.BAD_INPUT and "missing part 1" in missing.stderr


def test_the_codes_text_in_a_file_verifies_and_imports(wallet: dict[str, Any], tmp_path: Path) -> None:
    from conftest import PASSPHRASE, _base_env

    cli = wallet["cli"]
    shared = cli.with_passphrase("share", wallet["ids"]["ed"], "--reveal-all", "--challenge", CHALLENGE,
                                 "--qr-svg", str(tmp_path / "code.svg"), "--json")
    assert shared.returncode == 0, shared.stderr
    assert (tmp_path / "code.svg").read_text().startswith("<svg") or "<svg" in (tmp_path / "code.svg").read_text()
    text = tmp_path / "code.txt"
    text.write_text(shared.json()["qr"]["text"] + "\n")
    assert cli("verify", str(text), "--challenge", CHALLENGE).returncode == 0
    (tmp_path / "pass.txt").write_text(PASSPHRASE + "\n")
    other = Cli(tmp_path / "other", tmp_path / "pass.txt", _base_env(tmp_path / "other"))
    assert other.with_passphrase("init").returncode == 0
    png = tmp_path / "code.png"
    assert cli.with_passphrase("share", wallet["ids"]["ed"], "--reveal-all", "--qr-png", str(png)).returncode == 0
    imported = other.with_passphrase("import", "--qr", str(png), "--json")
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert [o["status"] for o in imported.json()] == ["imported"]
    again = other.with_passphrase("import", str(text), "--json")
    assert [o["status"] for o in again.json()] == ["duplicate"]


def test_a_foreign_code_and_a_picture_without_one_are_named(wallet: dict[str, Any], tmp_path: Path) -> None:
    from skillpass.qr import code

    cli = wallet["cli"]
    url = tmp_path / "url.png"
    url.write_bytes(code.png(code.make("https://college.example/apply")))
    foreign = cli("verify", "--qr", str(url))
    assert foreign.returncode == ExitStatus.BAD_INPUT and "web address" in foreign.stderr
    blank = tmp_path / "blank.png"
    blank.write_bytes(code.png(code.make("x"))[:60])
    broken = cli("verify", "--qr", str(blank))
    assert broken.returncode == ExitStatus.BAD_INPUT and "Traceback" not in broken.stderr


def test_too_big_for_one_code_says_so_and_offers_parts(wallet: dict[str, Any]) -> None:
    cli = wallet["cli"]
    before = cli.with_passphrase("history", "--json").json()
    big = cli.with_passphrase("share", wallet["ids"]["big"], "--reveal-all", "--challenge", CHALLENGE, "--qr")
    assert big.returncode == ExitStatus.BAD_INPUT
    assert "one QR code holds at most" in big.stderr and "--qr-parts" in big.stderr and "field" in big.stderr
    assert cli.with_passphrase("history", "--json").json() == before  # nothing went out, nothing recorded


def test_too_big_for_one_code_is_said_in_french(wallet: dict[str, Any]) -> None:
    from test_french import english_left

    cli = wallet["cli"]
    big = cli.with_passphrase("--lang", "fr", "share", wallet["ids"]["big"], "--reveal-all", "--challenge",
                              CHALLENGE, "--qr")
    assert big.returncode == ExitStatus.BAD_INPUT
    [line] = [line for line in big.stderr.splitlines() if "erreur" in line]
    assert "payload" not in line and "--qr-parts" in line and english_left(line) == [], line


def test_nothing_half_written_and_one_thing_on_stdout(wallet: dict[str, Any], tmp_path: Path) -> None:
    cli = wallet["cli"]
    before = cli.with_passphrase("history", "--json").json()
    (tmp_path / "code-3.png").write_bytes(b"keep")
    parts = cli.with_passphrase("share", wallet["ids"]["big"], "--reveal-all", "--challenge", CHALLENGE,
                                "--qr-png", str(tmp_path / "code.png"), "--qr-parts")
    assert parts.returncode == ExitStatus.IO and "code-3.png" in parts.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["code-3.png"]  # no part written
    (tmp_path / "vp.json").write_text("{}")
    both = cli.with_passphrase("share", wallet["ids"]["ed"], "--reveal-all", "--qr-png", str(tmp_path / "c.png"),
                               "--out", str(tmp_path / "vp.json"))
    assert both.returncode == ExitStatus.IO and not (tmp_path / "c.png").exists()
    mixed = cli.with_passphrase("share", wallet["ids"]["ed"], "--reveal-all", "--qr-png", "-", "--json")
    assert mixed.returncode == ExitStatus.USAGE and "stdout" in mixed.stderr
    assert cli.with_passphrase("history", "--json").json() == before


def test_nested_and_oversized_part_sequences_are_refused_quickly(wallet: dict[str, Any], tmp_path: Path) -> None:

    from skillpass.qr import parts

    cli = wallet["cli"]
    text = "VP1-B3ECQ"
    for _ in range(3000):
        text = parts.split(text, 10_000)[0]
    nested = tmp_path / "nested.txt"
    nested.write_text(text)
    result = cli("verify", str(nested))
    assert result.returncode == ExitStatus.BAD_INPUT and "Traceback" not in result.stderr
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + "\n".join(parts.split("VP1-B3ECQ2LFNZ2GKZDUMVZXI", 24)).encode())
    answered = cli("verify", str(bom))
    assert answered.returncode == ExitStatus.BAD_INPUT and "internal error" not in answered.stderr


@pytest.mark.parametrize(("flags", "english", "french"), [
    (("--qr-png", "-", "--json"), "--qr-png - and --json", "--qr-png - et --json"),
    (("--qr-svg", "-", "--out", "-"), "--qr-svg - and --out -", "--qr-svg - et --out -"),
    (("--qr", "--out", "-"), "--out - and --qr", "--out - et --qr")])
def test_two_things_for_stdout_are_named_by_their_flags_in_both_languages(
        wallet: dict[str, Any], flags: tuple[str, ...], english: str, french: str) -> None:
    """The flags as typed ('png and --json' named none), and 'and' translated with the rest."""
    cli = wallet["cli"]
    said = {lang: cli.with_passphrase("--lang", lang, "share", wallet["ids"]["ed"], "--reveal-all", *flags)
            for lang in ("en", "fr")}

    assert all(r.returncode == ExitStatus.USAGE and r.stdout == "" for r in said.values())
    assert said["en"].stderr == (f"skillpass: error: {english} would both write to stdout; "
                                 "give FILE names instead of -\n")
    assert said["fr"].stderr.startswith(f"skillpass : erreur : {french} écriraient tous deux sur la sortie standard ;")
