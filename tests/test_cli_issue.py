"""`skillpass issue`, the test issuer, through the real command: every suite and format issued
from flags and from a template, imported and verified by the real commands and labelled a test
credential; selective disclosure of what it issues; a did:web issuer kept with `dids add`; a
status list that revokes one; `--subject me`; key files; and the refusals."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest
from conftest import Cli

from skillpass.errors import ExitStatus

LABEL = "issued by a skillpass test issuer: for testing only"
JSON_LD_SUITES = ("eddsa-rdfc-2022", "ecdsa-rdfc-2019", "ecdsa-sd-2023", "Ed25519Signature2020",
                  "Ed25519Signature2018", "eddsa-jcs-2022", "ecdsa-jcs-2019")
LIST_URL = "https://status.test-issuer.example/lists/1"


def issue(cli: Cli, *args: str) -> Any:
    result = cli.with_passphrase("issue", *args)
    assert result.returncode == 0, result.stderr
    assert "for testing only" in result.stderr
    return result


def imported(cli: Cli, path: Path) -> dict[str, Any]:
    result = cli.with_passphrase("import", str(path), "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    [outcome] = result.json()
    assert outcome["status"] == "imported", outcome
    return outcome


def verified(cli: Cli, path: Path, *args: str) -> dict[str, Any]:
    report = cli.with_passphrase("verify", str(path), *args, "--json")
    assert report.returncode == 0, report.stdout + report.stderr
    document = report.json()
    assert document["outcome"] == "verified", document
    return document


def test_the_first_use_makes_the_named_key_and_says_so(cli: Cli, wallet_home: Path, tmp_path: Path) -> None:
    first = issue(cli, "--name", "Intro to Data Analysis", "--issuer-key", "college", "--out", str(tmp_path / "a.json"))
    again = issue(cli, "--name", "Intro to Data Analysis", "--issuer-key", "college", "--json")

    assert "made the test issuer college (did:key:z6Mk" in first.stderr and "kept in the wallet" in first.stderr
    assert "issued by test issuer college (did:key:z6Mk" in first.stderr
    document = again.json()
    assert "made the test issuer" not in again.stderr
    assert document["testIssuer"] is True and document["format"] == "ldp_vc"
    assert document["issuer"] == json.loads((tmp_path / "a.json").read_text())["issuer"]["id"]
    assert document["credential"]["issuer"]["name"] == "college (test issuer)"
    assert "not a real institution" in document["credential"]["issuer"]["description"]


@pytest.mark.parametrize("suite", JSON_LD_SUITES)
def test_each_suite_from_flags_imports_verifies_and_is_labelled(cli: Cli, wallet_home: Path, tmp_path: Path,
                                                                suite: str) -> None:
    path = tmp_path / "badge.json"
    issue(cli, "--suite", suite, "--name", "Workshop Safety", "--skill", "Safety@Ontario Skills", "--subject", "me",
          "--out", str(path))

    credential = json.loads(path.read_text())
    outcome = imported(cli, path)
    report = verified(cli, path)

    proof = credential["proof"]
    assert proof.get("cryptosuite", proof["type"]) == suite
    assert outcome["title"] == "Workshop Safety" and LABEL in outcome["warning"]
    assert {c["name"]: c["status"] for c in report["checks"]}["credential 1 proof"] == "passed"
    [row] = cli.with_passphrase("list", "--json").json()
    assert row["issuer"] == "test-issuer (test issuer)"


@pytest.mark.parametrize("suite", ("eddsa-rdfc-2022", "ecdsa-sd-2023", "Ed25519Signature2020"))
def test_a_template_keeps_its_fields_and_the_flags_win(cli: Cli, wallet_home: Path, tmp_path: Path,
                                                      suite: str) -> None:
    v1 = suite == "Ed25519Signature2020"
    template = tmp_path / "template.json"
    template.write_text(json.dumps({
        "@context": ["https://www.w3.org/2018/credentials/v1" if v1 else "https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "did:example:real-college", "type": ["Profile"], "name": "Collège Boréal"},
        "credentialSubject": {"type": ["AchievementSubject"], "achievement": {
            "id": "https://boreal.example/a/1", "type": ["Achievement"], "name": "From the template",
            "description": "Kept.", "criteria": {"narrative": "Passed."}}}}))
    path = tmp_path / "out.json"
    issue(cli, str(template), "--suite", suite, "--name", "From the flags", "--out", str(path))

    credential = json.loads(path.read_text())
    outcome = imported(cli, path)
    verified(cli, path)

    assert credential["credentialSubject"]["achievement"]["description"] == "Kept."
    assert credential["issuer"]["name"] == "Collège Boréal (test issuer)"  # never passed off as the college
    assert credential["issuer"]["id"].startswith("did:key:")
    assert outcome["title"] == "From the flags" and LABEL in outcome["warning"]


def test_bilingual_names_and_an_expired_one(cli: Cli, wallet_home: Path, tmp_path: Path) -> None:
    path, expired = tmp_path / "fr.json", tmp_path / "expired.json"
    issue(cli, "--name", "Workshop Safety", "--name-fr", "Sécurité en atelier", "--description", "Safe work.",
          "--description-fr", "Travail sûr.", "--out", str(path))
    issue(cli, "--name", "Old", "--valid-from", "2024-01-01", "--valid-until", "2025-01-01", "--out", str(expired))

    names = json.loads(path.read_text())["credentialSubject"]["achievement"]["name"]
    assert names == [{"@value": "Workshop Safety", "@language": "en"},
                     {"@value": "Sécurité en atelier", "@language": "fr"}]
    imported(cli, path)
    detail = cli.with_passphrase("show", cli.with_passphrase("list", "--json").json()[0]["id"], "--json").json()
    assert "Sécurité en atelier" in json.dumps(detail, ensure_ascii=False)
    refused = cli.with_passphrase("import", str(expired), "--json")
    assert refused.returncode == ExitStatus.INVALID and refused.json()[0]["code"] == "E_EXPIRED"
    assert cli.with_passphrase("import", str(expired), "--allow-expired", "--json").returncode == 0


def test_ecdsa_sd_2023_with_mandatory_pointers_shares_one_field(cli: Cli, wallet_home: Path, tmp_path: Path) -> None:
    path, shared = tmp_path / "sd.json", tmp_path / "vp.json"
    issue(cli, "--suite", "ecdsa-sd-2023", "--name", "Applied Data Analysis", "--subject", "me",
          "--mandatory", "/validFrom", "--skill", "Data analysis", "--out", str(path))
    cid = imported(cli, path)["id"]

    share = cli.with_passphrase("share", cid, "--reveal", "credentialSubject.achievement.name",
                                "--challenge", "n-1", "--out", str(shared))
    assert share.returncode == 0, share.stderr
    report = verified(cli, shared, "--challenge", "n-1")

    disclosed = {d["path"]: d["value"] for d in report["credentials"][0]["disclosed"]}
    assert disclosed["/credentialSubject/achievement/name"] == "Applied Data Analysis"
    assert "/validFrom" in disclosed and "/issuer/name" in disclosed  # mandatory, and the issuer's label
    assert not any(path.startswith("/credentialSubject/achievement/alignment") for path in disclosed)
    assert json.loads(path.read_text())["proof"]["cryptosuite"] == "ecdsa-sd-2023"


def test_an_sd_jwt_vc_with_disclosable_claims(cli: Cli, wallet_home: Path, tmp_path: Path) -> None:
    path, shared = tmp_path / "w.sd-jwt", tmp_path / "for-employer.sd-jwt"
    result = issue(cli, "--suite", "sd-jwt-vc", "--name", "Welding Safety", "--skill", "Welding@Red Seal",
                   "--description", "Forty hours.", "--disclosable", "achievement.description",
                   "--disclosable", "skills", "--subject", "me", "--out", str(path), "--json")
    assert result.json()["format"] == "dc+sd-jwt" and result.json()["credential"].count("~") == 3
    outcome = imported(cli, path)
    assert LABEL in outcome["warning"] and outcome["title"] == "Welding Safety"
    [row] = cli.with_passphrase("list", "--json").json()  # its issuer is only a DID: list says it anyway
    assert row["testIssuer"] is True and row["issuer"].endswith(" (test issuer)")

    share = cli.with_passphrase("share", outcome["id"], "--reveal", "skills", "--challenge", "n-2",
                                "--domain", "hr.example", "--out", str(shared))
    assert share.returncode == 0, share.stderr
    report = verified(cli, shared, "--challenge", "n-2", "--domain", "hr.example")

    disclosed = {d["path"]: d["value"] for d in report["credentials"][0]["disclosed"]}
    assert disclosed["/test_issuer"] is True  # never disclosable: always shown
    assert not any("description" in path for path in disclosed)


def test_a_mattr_compact_credential_from_a_did_web_issuer(cli: Cli, wallet_home: Path, tmp_path: Path) -> None:
    did, path = tmp_path / "did.json", tmp_path / "w.csc.txt"
    made = issue(cli, "--did-document", "--issuer-key", "web", "--out", str(did))
    assert "did:web:web.test-issuer.example" in made.stderr
    added = cli.with_passphrase("dids", "add", str(did), "--json")
    assert added.returncode == 0, added.stderr
    issue(cli, "--suite", "mattr-compact", "--issuer-key", "web", "--name", "Welding Safety Level 2",
          "--out", str(path))

    assert path.read_text().startswith("CSC:/1/")
    outcome = imported(cli, path)
    assert outcome["title"] == "Welding Safety Level 2" and LABEL in outcome["warning"]
    assert "bearer credential" in outcome["warning"]
    report = verified(cli, path)
    assert report["credentials"][0]["issuer"] == "did:web:web.test-issuer.example" or \
        "did:web:web.test-issuer.example" in json.dumps(report)
    # the same did:web issuer signs JSON-LD too, once its document is kept
    ob3 = tmp_path / "web.json"
    issue(cli, "--issuer-key", "web", "--name", "Signed by a did:web", "--out", str(ob3))
    verified(cli, ob3)


def test_show_names_a_did_web_issuer_as_list_does(cli: Cli, wallet_home: Path, tmp_path: Path) -> None:
    """An SD-JWT VC and a MATTR credential name their issuer by its did:web alone: `show` names
    it as `list` does, with the name the same issuer signed into a verified credential; --json
    keeps the did too."""
    did, mattr, sd_jwt, ob3 = (tmp_path / name for name in ("did.json", "m.csc.txt", "s.sd-jwt", "o.json"))
    issue(cli, "--did-document", "--issuer-key", "uni", "--did-web", "uni.example", "--out", str(did))
    assert cli.with_passphrase("dids", "add", str(did)).returncode == 0
    issue(cli, "--suite", "mattr-compact", "--issuer-key", "uni", "--name", "Welding", "--out", str(mattr))
    issue(cli, "--suite", "sd-jwt-vc", "--issuer-key", "uni", "--name", "Python", "--subject", "me",
          "--out", str(sd_jwt))
    issue(cli, "--issuer-key", "uni", "--issuer-name", "Université du Nord", "--name", "Writing",
          "--subject", "me", "--out", str(ob3))
    ids = [imported(cli, path)["id"] for path in (mattr, sd_jwt)]
    named = "Université du Nord (test issuer)"

    assert cli.with_passphrase("show", ids[0], "--json").json()["issuer"] == "did:web:uni.example (test issuer)"
    imported(cli, ob3)
    listed = {row["id"]: row["issuer"] for row in cli.with_passphrase("list", "--json").json()}
    for cid in ids:
        detail = cli.with_passphrase("show", cid, "--json").json()
        assert (listed[cid], detail["issuer"]) == (named, named)
        assert detail["verification"]["issuer"] == detail["summary"]["issuer"]["id"] == "did:web:uni.example"
        records = dict(line.split("\t", 1) for line in cli.with_passphrase("show", cid).stdout.splitlines())
        assert (records["Issuer"], records["Issuer ID"]) == (named, "did:web:uni.example")


def test_mattr_compact_needs_a_did_web_issuer(cli: Cli, wallet_home: Path) -> None:
    issue(cli, "--name", "x", "--issuer-key", "plain")
    refused = cli.with_passphrase("issue", "--suite", "mattr-compact", "--issuer-key", "plain", "--name", "x")
    assert refused.returncode == ExitStatus.USAGE
    assert "needs a did:web issuer" in refused.stderr and refused.stderr.count("\n") == 1


def test_a_status_list_revokes_one_index(cli: Cli, wallet_home: Path, tmp_path: Path) -> None:
    revoked, valid, status = tmp_path / "revoked.json", tmp_path / "valid.json", tmp_path / "list.json"
    issue(cli, "--name", "Revoked one", "--status-list", LIST_URL, "--status-index", "5", "--out", str(revoked))
    issue(cli, "--name", "Valid one", "--status-list", LIST_URL, "--status-index", "6", "--out", str(valid))
    imported(cli, revoked)
    imported(cli, valid)
    made = issue(cli, "--make-status-list", "--status-list", LIST_URL, "--status-index", "5", "--out", str(status),
                 "--json")
    assert made.json()["set"] == [5] and made.json()["testIssuer"] is True

    added = cli.with_passphrase("status", "add", str(status), "--json")
    assert added.returncode == 0, added.stderr
    assert (added.json()["revoked"], added.json()["credentials"]) == (1, 2)
    states = {row["title"]: row["status"] for row in cli.with_passphrase("list", "--json").json()}
    assert states == {"Revoked one": "revoked", "Valid one": "valid"}


def test_subject_me_is_the_wallets_holder_did(cli: Cli, wallet_home: Path) -> None:
    dids = {k["keyType"]: k["did"] for k in cli.with_passphrase("did", "--json").json()}
    ld = issue(cli, "--name", "x", "--subject", "me", "--json").json()
    sd = issue(cli, "--name", "x", "--subject", "me", "--suite", "sd-jwt-vc", "--json").json()

    assert ld["credential"]["credentialSubject"]["id"] == ld["subject"] == dids["Ed25519"]
    assert sd["subject"] == dids["P-256"]


def test_a_key_file_round_trip(cli: Cli, wallet_home: Path, tmp_path: Path) -> None:
    key = tmp_path / "college.jwk"
    first = issue(cli, "--name", "x", "--suite", "ecdsa-rdfc-2019", "--issuer-key-file", str(key), "--json")
    second = issue(cli, "--name", "y", "--suite", "ecdsa-rdfc-2019", "--issuer-key-file", str(key), "--json")
    other_type = cli.with_passphrase("issue", "--name", "z", "--issuer-key-file", str(key))

    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    jwk = json.loads(key.read_text())
    assert (jwk["kty"], jwk["crv"]) == ("EC", "P-256") and "d" in jwk
    assert "written to" in first.stderr and "written to" not in second.stderr
    assert first.json()["issuer"] == second.json()["issuer"] == jwk["kid"].split("#")[0]
    assert second.json()["credential"]["issuer"]["name"] == "college (test issuer)"
    assert other_type.returncode == ExitStatus.USAGE and "has no Ed25519 key" in other_type.stderr


def test_without_a_wallet_a_key_file_is_enough(cli: Cli, tmp_path: Path) -> None:
    key, path = tmp_path / "k.jwk", tmp_path / "b.json"
    result = cli("issue", "--name", "x", "--issuer-key-file", str(key), "--out", str(path))
    assert result.returncode == 0, result.stderr
    assert json.loads(path.read_text())["proof"]["cryptosuite"] == "eddsa-rdfc-2022"


def test_stdout_carries_the_credential_and_nothing_else(cli: Cli, wallet_home: Path) -> None:
    result = issue(cli, "--name", "x")
    assert json.loads(result.stdout)["proof"]["type"] == "DataIntegrityProof"


@pytest.mark.parametrize(("args", "status", "message"), [
    (("--name", "x", "--suite", "bbs-2023"), ExitStatus.USAGE, "unknown suite 'bbs-2023'"),
    (("--name", "x", "--valid-until", "next year"), ExitStatus.USAGE, "--valid-until 'next year' is not a date"),
    ((), ExitStatus.USAGE, "give --name TEXT"),
    (("--name", "x", "--status-list", LIST_URL), ExitStatus.USAGE, "go together"),
    (("--name", "x", "--status-list", LIST_URL, "--status-index", "-1"), ExitStatus.USAGE,
     "status index -1 is outside the list (0 to 131071)"),
    (("--name", "x", "--status-list", LIST_URL, "--status-index", "131072"), ExitStatus.USAGE, "outside the list"),
    (("--name", "x", "--mandatory", "/issuer"), ExitStatus.USAGE, "--mandatory is for ecdsa-sd-2023"),
    (("--name", "x", "--suite", "sd-jwt-vc", "--disclosable", "nope"), ExitStatus.USAGE, "names no claim"),
    (("--name", "x", "--issuer-key", "Not A Name"), ExitStatus.USAGE, "is not a test issuer name"),
])
def test_bad_flags_fail_with_one_line(cli: Cli, wallet_home: Path, args: tuple[str, ...], status: int,
                                      message: str) -> None:
    result = cli.with_passphrase("issue", *args)
    assert result.returncode == status, result.stderr
    assert message in result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("skillpass: error: ")
    assert result.stdout == ""


def test_a_template_that_is_not_json_is_bad_input(cli: Cli, wallet_home: Path, tmp_path: Path) -> None:
    template = tmp_path / "t.json"
    template.write_text("{not json")
    result = cli.with_passphrase("issue", str(template))
    assert result.returncode == ExitStatus.BAD_INPUT and result.stderr.count("\n") == 1


def test_help_has_examples(cli: Cli) -> None:
    result = cli("issue", "--help")
    assert result.returncode == 0 and "Example:" in result.stdout and "--make-status-list" in result.stdout


# -- the library the command and the demo call --------------------------------------------------


def test_is_test_issued_recognises_the_label_and_nothing_else() -> None:
    from datetime import UTC, datetime

    from conftest import sample_credential

    from skillpass.issuing import CredentialSpec, generate, is_test_issued
    from skillpass.issuing import issue as issue_credential
    from skillpass.summary import summarize

    now = datetime.now(UTC)
    key = generate("college", did_web="college.test-issuer.example")
    ours = issue_credential(CredentialSpec(name="x", issuer_name="Collège Boréal"), key, suite="eddsa-rdfc-2022",
                            now=now)
    french = issue_credential(CredentialSpec(name="x"), key, suite="eddsa-rdfc-2022", now=now, template={
        **sample_credential(), "issuer": {"id": "x", "name": [{"@value": "Collège", "@language": "fr"}]}})

    assert is_test_issued(summarize(ours.credential))
    assert ours.credential["issuer"]["name"] == "Collège Boréal (test issuer)"
    assert french.credential["issuer"]["name"] == [{"@value": "Collège (émetteur de test)", "@language": "fr"}]
    assert is_test_issued(summarize(french.credential))
    assert not is_test_issued(summarize(sample_credential()))
    assert "keys=<redacted>" in repr(key)


def test_a_secret_multikey_file_is_read_too(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.asymmetric import ed25519

    from skillpass.issuing.keys import read_key_file
    from skillpass.keys import multikey

    private = ed25519.Ed25519PrivateKey.generate()
    path = tmp_path / "Boreal College.key"
    path.write_text(multikey.encode_secret_key(private) + "\n")
    key = read_key_file(path)
    assert key.name == "boreal-college"
    assert key.did("Ed25519") == "did:key:" + multikey.encode_public_key(private.public_key())


def test_an_sd_jwt_vc_for_a_p256_did_key_is_bound_to_it(cli: Cli, wallet_home: Path) -> None:
    holder = next(k for k in cli.with_passphrase("did", "--json").json() if k["keyType"] == "P-256")
    result = issue(cli, "--suite", "sd-jwt-vc", "--name", "x", "--subject", holder["did"], "--json").json()

    from skillpass.summary.jwt import jwt_payload

    payload = jwt_payload(result["credential"].split("~")[0])
    assert payload["cnf"] == {"jwk": holder["publicKeyJwk"]} and payload["sub"] == holder["did"]
    assert payload["test_issuer"] is True and payload["issuer_name"] == "test-issuer (test issuer)"


def test_did_web_cannot_change_an_existing_issuer(cli: Cli, wallet_home: Path) -> None:
    issue(cli, "--name", "x", "--issuer-key", "college")
    refused = cli.with_passphrase("issue", "--name", "x", "--issuer-key", "college", "--did-web", "c.example")
    assert refused.returncode == ExitStatus.USAGE and "exists already as a did:key" in refused.stderr


def test_each_json_document_matches_its_schema(cli: Cli, wallet_home: Path) -> None:
    import jsonschema

    schema = json.loads((Path(__file__).resolve().parent.parent / "skillpass" / "schemas" / "issue.schema.json").read_text())
    for args in (("--name", "Intro"), ("--suite", "sd-jwt-vc", "--name", "Intro"),
                 ("--suite", "mattr-compact", "--name", "Intro", "--issuer-key", "uni", "--did-web", "uni.example")):
        result = issue(cli, *args, "--json")
        assert result.returncode == 0, result.stderr
        jsonschema.validate(result.json(), schema, cls=jsonschema.Draft202012Validator)


def test_a_name_that_is_not_utf8_is_a_usage_error_not_an_internal_one(cli: Cli, wallet_home: Path) -> None:
    import os

    result = cli.with_passphrase("issue", os.fsdecode(b"--name=bad\xff\xfename"), "--subject", "me")
    assert result.returncode == ExitStatus.USAGE and result.stdout == ""
    assert result.stderr == "skillpass: error: --name is not UTF-8 text; type it again, or set a UTF-8 locale\n"


def test_an_empty_array_imports_nothing_and_says_so(cli: Cli, wallet_home: Path, tmp_path: Path) -> None:
    (tmp_path / "empty.json").write_text("[]")
    result = cli.with_passphrase("import", str(tmp_path / "empty.json"), "--json")
    assert result.returncode == ExitStatus.BAD_INPUT
    assert result.json()[0]["reason"] == "the JSON array holds no credential"


def test_a_credential_printed_on_a_terminal_has_no_raw_bidi_control(cli: Cli, wallet_home: Path) -> None:
    import os
    import pty
    import subprocess
    import sys

    from conftest import REPO, TESTS
    from test_cli_share import _read_until

    primary, secondary = pty.openpty()
    proc = subprocess.Popen([sys.executable, str(TESTS / "cheap_kdf.py"), "issue", "--name", "B\u202eX",
                             "--passphrase-file", str(cli.passphrase_file)], stdin=secondary, stdout=secondary,
                            stderr=secondary, env=dict(cli.env, COLUMNS="160"), cwd=REPO)
    os.close(secondary)
    shown = _read_until(primary, b'"proofValue"').decode(errors="replace")
    assert proc.wait(timeout=60) == 0
    os.close(primary)

    assert "\u202e" not in shown and '"name": "B\\u202eX"' in shown
