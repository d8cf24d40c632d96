"""SD-JWT VC and VC-JWT through the real command: trust an issuer's metadata, import, list, show
--fields, share with key binding, verify, backup and restore."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from conftest import Cli
from skillpass.errors import ExitStatus
from skillpass.formats import jose
from skillpass.formats.sd_jwt_vc.issue import issue
from skillpass.keys.multikey import encode_public_key, public_key_to_jwk

ISSUER = "https://credentials.boreal.example"
ISSUER_KEY = ec.generate_private_key(ec.SECP256R1())
VCT = "https://credentials.boreal.example/welding-safety"
CLAIMS = {"iss": ISSUER, "vct": VCT, "given_name": "Ana", "family_name": "Roy",
          "address": {"locality": "Sudbury", "region": "ON"}, "skills": ["welding", "blueprints"],
          "achievement": {"name": "Welding Safety", "hours": 40}}
DISCLOSABLE = [("given_name",), ("family_name",), ("address",), ("address", "locality"), ("skills", 1),
               ("achievement",)]


def metadata_file(tmp_path: Path) -> Path:
    path = tmp_path / "jwt-vc-issuer.json"
    path.write_text(json.dumps({"issuer": ISSUER, "jwks": {"keys": [
        {**public_key_to_jwk(ISSUER_KEY.public_key()), "kid": "k1", "use": "sig"}]}}))
    return path


def holder_jwk(cli: Cli, key_type: str = "P-256") -> dict[str, Any]:
    return next(k["publicKeyJwk"] for k in cli.with_passphrase("did", "--json").json() if k["keyType"] == key_type)


def sd_jwt_vc(holder: dict[str, Any] | None, **extra: Any) -> str:
    return issue({**CLAIMS, **extra}, DISCLOSABLE, ISSUER_KEY, kid="k1", holder_jwk=holder)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text + "\n")
    return path


@pytest.fixture
def imported(cli: Cli, wallet_home: Path, tmp_path: Path) -> dict[str, Any]:
    """An SD-JWT VC bound to the wallet's P-256 key, imported once the issuer's metadata is trusted."""
    cli("trust", "add", "--metadata", str(metadata_file(tmp_path)), "--name", "Collège Boréal")
    result = cli.with_passphrase("import", str(write(tmp_path, "ana.sd-jwt", sd_jwt_vc(holder_jwk(cli)))), "--json")
    assert result.returncode == 0, result.stdout
    [outcome] = result.json()
    assert outcome["status"] == "imported" and "warning" not in outcome
    return {"id": outcome["id"]}


def test_an_unknown_https_issuer_is_unverifiable_until_its_metadata_is_kept(cli: Cli, wallet_home: Path,
                                                                           tmp_path: Path) -> None:
    credential = write(tmp_path, "ana.sd-jwt", sd_jwt_vc(holder_jwk(cli)))

    refused = cli.with_passphrase("import", str(credential), "--json")
    trusted = cli("trust", "add", "--metadata", str(metadata_file(tmp_path)), "--name", "Collège Boréal", "--json")
    accepted = cli.with_passphrase("import", str(credential), "--json")

    assert refused.returncode == ExitStatus.UNVERIFIABLE
    assert refused.json()[0]["code"] == "E_ISSUER_KEY_UNKNOWN"
    assert "trust add --metadata" in refused.json()[0]["hint"]
    assert trusted.json()["issuer"] == ISSUER and trusted.json()["metadata"] == {"keys": 1}
    assert accepted.returncode == 0 and accepted.json()[0]["status"] == "imported"
    [row] = cli.with_passphrase("list", "--json").json()
    # the issuer names itself nowhere in the credential: the trust list's name, as the passport gives it
    assert (row["title"], row["issuer"], row["format"], row["status"]) == ("Welding Safety", "Collège Boréal",
                                                                         "dc+sd-jwt", "valid")


def test_show_lists_the_disclosable_claims_by_path(cli: Cli, imported: dict[str, Any]) -> None:
    listing = cli.with_passphrase("show", imported["id"], "--fields", "--json").json()
    detail = cli.with_passphrase("show", imported["id"], "--json").json()

    by_path = {f["path"]: f for f in listing["fields"]}
    assert listing["selective"] is True and listing["suite"] == "SD-JWT (ES256)"
    assert by_path["given_name"]["mandatory"] is False and by_path["given_name"]["label"] == "Given name"
    assert by_path["address.locality"]["pointer"] == "/address/locality"
    assert by_path["address.region"]["mandatory"] is False  # inside the disclosable address
    assert by_path["skills[1]"]["value"] == "blueprints" and by_path["skills[0]"]["why"] == "issuer"
    assert (by_path["vct"]["why"], by_path["cnf"]["why"]) == ("issuer", "holder binding")
    assert detail["verification"]["proofs"][0]["suite"] == "SD-JWT (ES256)"
    assert detail["summary"]["kind"] == "SdJwtVc"


def test_show_fields_says_which_claims_go_out_together(cli: Cli, imported: dict[str, Any]) -> None:
    """The issuer made `achievement` one disclosure, and `address` one with `locality` nested in
    it: picking achievement.name reveals achievement.hours, picking address.locality reveals
    address.region; address.region alone reveals nothing more."""
    listing = cli.with_passphrase("show", imported["id"], "--fields", "--json").json()
    piped = cli.with_passphrase("show", imported["id"], "--fields")

    together = {f["path"]: f["together"] for f in listing["fields"]}
    assert together["achievement.name"] == together["achievement.hours"] == ["achievement"]
    assert together["address.locality"] == ["address"]
    assert together["address.region"] == together["given_name"] == together["skills[1]"] == []
    assert together["vct"] == together["cnf"] == []
    header, *records = piped.stdout.splitlines()
    assert header.split("\t")[-1] == "together"
    rows = {row.split("\t")[0]: row.split("\t")[-1] for row in records}
    assert (rows["achievement.hours"], rows["address.locality"], rows["given_name"]) == ("achievement", "address", "")


@pytest.mark.parametrize(("lang", "heading", "prompt"), [("en", "Goes out with", "fields to reveal"),
                                                      ("fr", "Part avec", "champs à révéler")])
def test_the_picker_shows_what_goes_out_with_each_claim(cli: Cli, imported: dict[str, Any], tmp_path: Path,
                                                        lang: str, heading: str, prompt: str) -> None:
    from test_cli_share import _on_a_terminal, _read_until

    proc, primary = _on_a_terminal(cli, "share", imported["id"], "--challenge", "p-1", "--domain", "hr.example",
                                   "--out", str(tmp_path / "vp.sd-jwt"), "--lang", lang, NO_COLOR="1")
    table = _read_until(primary, prompt.encode()).decode()
    os.write(primary, b"\n")  # empty: cancel
    assert proc.wait(timeout=60) == ExitStatus.CANCELLED
    os.close(primary)

    lines = table.splitlines()
    assert any(line.rstrip().endswith(heading) for line in lines)
    row = {line.split()[1]: line.split()[-1] for line in lines if line.split()[:1] and line.split()[0].isdigit()}
    assert (row["achievement.hours"], row["address.locality"], row["given_name"]) == ("achievement", "address", "Ana")


@pytest.mark.parametrize(("reveal", "digests"), [("given_name", 5), ("address.locality", 6)])
def test_the_preview_counts_the_digests_that_go_out(cli: Cli, imported: dict[str, Any], tmp_path: Path,
                                                     reveal: str, digests: int) -> None:
    """The issuer's JWT holds a digest of given_name, family_name, address, achievement and
    skills[1]; the address disclosure holds locality's: a verifier can count them all."""
    shared = cli.with_passphrase("share", imported["id"], "--reveal", reveal, "--challenge", "n-1",
                                 "--domain", "hr.example", "--json")
    text = cli.with_passphrase("share", imported["id"], "--reveal", reveal, "--challenge", "n-1",
                               "--domain", "hr.example", "--out", str(tmp_path / "vp.sd-jwt"))

    assert shared.json()["credentials"][0]["alwaysSent"] == [{"name": "_sd", "value": str(digests)}]
    assert f"always sent: {digests} digests of the disclosable claims (not their values)" in text.stderr


def test_a_share_discloses_only_the_choice_and_verifies(cli: Cli, imported: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "for-employer.sd-jwt"
    shared = cli.with_passphrase("share", imported["id"], "--reveal", "address.locality", "--reveal", "skills[1]",
                                 "--challenge", "n-42", "--domain", "hr.example", "--out", str(out), "--json")
    report = cli("verify", str(out), "--challenge", "n-42", "--domain", "hr.example", "--json")
    replayed = cli("verify", str(out), "--challenge", "n-43", "--domain", "hr.example")
    elsewhere = cli("verify", str(out), "--challenge", "n-42", "--domain", "other.example")

    assert shared.returncode == 0, shared.stderr
    # address.locality is disclosed inside the address disclosure, which carries region too
    assert [w for w in shared.json()["warnings"] if "also goes out" in w] == [
        f"{imported['id'][:10]}: address.region also goes out: the issuer made it disclosable only "
        "together with the fields you chose"]
    text = out.read_text().strip()
    disclosed = [json.loads(base64.urlsafe_b64decode(d + "==")) for d in text.split("~")[1:-1]]
    assert sorted(json.dumps(d[1:]) for d in disclosed) == sorted(
        json.dumps(d) for d in (["address", {"region": "ON", "_sd": disclosed_digests(disclosed)}],
                                ["locality", "Sudbury"], ["blueprints"]))
    assert report.returncode == 0, report.stdout
    document = report.json()
    assert document["outcome"] == "verified" and document["kind"] == "presentation"
    shown = {item["path"]: item["value"] for item in document["credentials"][0]["disclosed"]}
    assert shown["/address/locality"] == "Sudbury" and shown["/skills/1"] == "blueprints"
    assert "/given_name" not in shown and "/family_name" not in shown
    assert document["credentials"][0]["issuerName"] == "Collège Boréal"
    assert replayed.returncode == ExitStatus.INVALID and "n-43" in replayed.stderr + replayed.stdout
    assert elsewhere.returncode == ExitStatus.INVALID
    history = cli.with_passphrase("history", "--json").json()
    assert history[0]["format"] == "dc+sd-jwt" and history[0]["domain"] == "hr.example"
    assert history[0]["credentials"][0]["fields"] == ["/iss", "/vct", "/skills/0", "/skills/1", "/cnf",
                                                      "/address/region", "/address/locality"]


def disclosed_digests(disclosed: list[Any]) -> list[str]:
    """The `_sd` list inside the address disclosure, as issued (whatever order it has)."""
    return next(d[2]["_sd"] for d in disclosed if len(d) == 3 and d[1] == "address")


def test_the_warning_on_fields_that_go_out_together_agrees_with_their_number(cli: Cli, wallet_home: Path,
                                                                             tmp_path: Path) -> None:
    cli("trust", "add", "--metadata", str(metadata_file(tmp_path)), "--name", "Collège Boréal")
    record = issue({"iss": ISSUER, "vct": VCT, "record": {"course": "Welding", "grade": "A", "hours": 40}},
                   [("record",)], ISSUER_KEY, kid="k1", holder_jwk=holder_jwk(cli))
    [outcome] = cli.with_passphrase("import", str(write(tmp_path, "record.sd-jwt", record)), "--json").json()
    ref = outcome["id"]

    def warned(lang: str, *reveal: str) -> list[str]:
        shared = cli.with_passphrase("--lang", lang, "share", ref, *reveal, "--challenge", "n-1", "--domain",
                                     "hr.example", "--out", str(tmp_path / "vp.sd-jwt"))
        assert shared.returncode == 0, shared.stderr
        return [line for line in shared.stderr.splitlines() if "avertissement" in line]

    english_many = cli.with_passphrase("--lang", "en", "share", ref, "--reveal", "record.course", "--challenge", "n-1",
                                       "--domain", "hr.example", "--json").json()["warnings"]
    english_one = cli.with_passphrase("--lang", "en", "share", ref, "--reveal", "record.course", "--reveal",
                                      "record.grade", "--challenge", "n-1", "--domain", "hr.example",
                                      "--json").json()["warnings"]
    [french_one] = warned("fr", "--reveal", "record.course", "--reveal", "record.grade")

    assert english_many == [f"{ref[:10]}: record.grade, record.hours also go out: the issuer made them "
                            "disclosable only together with the fields you chose"]
    assert english_one == [f"{ref[:10]}: record.hours also goes out: the issuer made it disclosable only "
                           "together with the fields you chose"]
    assert french_one == (f"skillpass : avertissement : {ref[:10]} : record.hours part aussi : l’émetteur ne l’a "
                          "rendu divulgable qu’avec les champs choisis")


def test_key_binding_needs_the_verifier_and_its_nonce(cli: Cli, imported: dict[str, Any]) -> None:
    result = cli.with_passphrase("share", imported["id"], "--reveal", "given_name", "--challenge", "n-1")

    assert result.returncode == ExitStatus.USAGE
    assert "--domain and --challenge" in result.stderr and result.stderr.count("\n") == 1


def test_a_credential_bound_to_another_key_is_said_so_and_shared_only_unsigned(cli: Cli, wallet_home: Path,
                                                                               tmp_path: Path) -> None:
    cli("trust", "add", "--metadata", str(metadata_file(tmp_path)), "--name", "Collège Boréal")
    stranger = public_key_to_jwk(ec.generate_private_key(ec.SECP256R1()).public_key())
    [outcome] = cli.with_passphrase("import", str(write(tmp_path, "x.sd-jwt", sd_jwt_vc(stranger))), "--json").json()

    signed = cli.with_passphrase("share", outcome["id"], "--reveal", "given_name", "--challenge", "n", "--domain", "d")
    unsigned = cli.with_passphrase("share", outcome["id"], "--reveal", "given_name", "--unsigned", "--out", "-")

    assert "cannot present it with key binding" in outcome["warning"]
    assert signed.returncode == ExitStatus.USAGE and "not in this wallet" in signed.stderr
    assert unsigned.returncode == 0 and unsigned.stdout.strip().endswith("~")
    assert "no key binding" in unsigned.stderr


def test_an_sd_jwt_is_shared_alone(cli: Cli, imported: dict[str, Any], tmp_path: Path) -> None:
    from issuing import new_issuer, ob3, sign

    issuer = new_issuer("Ed25519")
    badge = tmp_path / "badge.json"
    badge.write_text(json.dumps(sign(ob3("Forklift", issuer=issuer, subject="did:example:x"), issuer,
                                     "eddsa-rdfc-2022")))
    [other] = cli.with_passphrase("import", str(badge), "--json").json()

    mixed = cli.with_passphrase("share", imported["id"], other["id"], "--reveal-all", "--challenge", "n",
                                "--domain", "d")

    assert mixed.returncode == ExitStatus.USAGE and "one presentation carries one format" in mixed.stderr


def test_a_backup_restores_the_sd_jwt_with_the_issuer_keys_it_needs(cli: Cli, imported: dict[str, Any],
                                                                    tmp_path: Path) -> None:
    backup = tmp_path / "wallet.backup"
    assert cli.with_passphrase("backup", str(backup)).returncode == 0
    elsewhere = tmp_path / "elsewhere"

    restored = cli.with_passphrase("restore", str(backup), "--home", str(elsewhere), "--json")

    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert restored.json()["refused"] == []
    rows = cli.with_passphrase("list", "--home", str(elsewhere), "--json").json()
    assert [row["format"] for row in rows] == ["dc+sd-jwt"]


# -- VC-JWT ----------------------------------------------------------------------------------------


def vc_jwt(cli: Cli) -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    did = "did:key:" + encode_public_key(key.public_key())
    holder = next(k["did"] for k in cli.with_passphrase("did", "--json").json() if k["keyType"] == "P-256")
    claims = {"iss": did, "sub": holder, "nbf": 1767225600, "jti": "urn:uuid:6b1d0f4e-vc-jwt",
              "vc": {"@context": ["https://www.w3.org/2018/credentials/v1"],
                     "type": ["VerifiableCredential", "MicroCredential"],
                     "credentialSubject": {"name": "Blueprint Reading", "hours": 30}}}
    return jose.sign({"typ": "JWT", "kid": f"{did}#{did[8:]}"}, json.dumps(claims).encode(), key)


def test_a_vc_jwt_imports_and_is_shared_whole_in_a_jwt_presentation(cli: Cli, wallet_home: Path,
                                                                   tmp_path: Path) -> None:
    [outcome] = cli.with_passphrase("import", str(write(tmp_path, "micro.jwt", vc_jwt(cli))), "--json").json()
    fields = cli.with_passphrase("show", outcome["id"], "--fields", "--json").json()
    partial = cli.with_passphrase("share", outcome["id"], "--reveal", "credentialSubject.name",
                                  "--challenge", "n", "--domain", "d")
    out = tmp_path / "vp.jwt"
    whole = cli.with_passphrase("share", outcome["id"], "--reveal-all", "--challenge", "n-7", "--domain",
                                "hr.example", "--out", str(out))
    report = cli("verify", str(out), "--challenge", "n-7", "--domain", "hr.example", "--json")

    assert outcome["status"] == "imported" and "warning" not in outcome
    assert fields["selective"] is False and fields["suite"] == "VC-JWT (ES256)"
    assert partial.returncode == ExitStatus.BAD_INPUT and "--reveal-all" in partial.stderr
    assert whole.returncode == 0, whole.stderr
    assert report.returncode == 0, report.stdout
    document = report.json()
    assert document["outcome"] == "verified" and document["holder"].startswith("did:key:zDn")
    assert {c["name"]: c["status"] for c in document["checks"]}["credential 1 holder binding"] == "passed"
    [always] = [line for line in whole.stderr.splitlines() if line.startswith("always sent")]
    assert always.startswith("always sent: @context, type (VerifiableCredential") and always.endswith(
        "proof (VC-JWT (ES256))")


def test_the_high_s_twin_of_a_kept_sd_jwt_is_a_duplicate(cli: Cli, imported: dict[str, Any], tmp_path: Path) -> None:
    original = (tmp_path / "ana.sd-jwt").read_text().strip()
    token, _, rest = original.partition("~")
    head, body, signature = token.split(".")
    raw = base64.urlsafe_b64decode(signature + "==")
    order = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
    twin_s = (order - int.from_bytes(raw[32:], "big")).to_bytes(32, "big")
    twin = f"{head}.{body}.{base64.urlsafe_b64encode(raw[:32] + twin_s).rstrip(b'=').decode()}~{rest}"

    [outcome] = cli.with_passphrase("import", str(write(tmp_path, "twin.sd-jwt", twin)), "--json").json()

    assert (outcome["status"], outcome["id"]) == ("duplicate", imported["id"])
    assert len(cli.with_passphrase("list", "--json").json()) == 1


def test_an_issuer_named_only_by_the_trust_list_is_named_alike_in_list_show_and_passport(
        cli: Cli, imported: dict[str, Any], tmp_path: Path) -> None:
    cli("trust", "add", "--metadata", str(metadata_file(tmp_path)), "--name", "Collège Boréal (Sudbury)")

    [row] = cli.with_passphrase("list", "--json").json()
    shown = cli.with_passphrase("show", imported["id"], "--json").json()
    passport = cli.with_passphrase("passport", "--json").json()

    assert row["issuer"] == shown["issuer"] == "Collège Boréal (Sudbury)"
    assert [c["issuer"] for c in passport["credentials"]] == ["Collège Boréal (Sudbury)"]
