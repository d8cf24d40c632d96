"""`skillpass import`: nothing enters the wallet unless its proof verifies; every rejection says why."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli
from issuing import SUITE_KEYS, new_issuer, ob3, sign, signed_ob3
from skillpass.errors import ExitStatus


def _write(path: Path, document: Any) -> Path:
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False))
    return path


def _listing(cli: Cli) -> list[dict[str, Any]]:
    result = cli.with_passphrase("list", "--json")
    assert result.returncode == 0, result.stderr
    return result.json()


@pytest.mark.parametrize("suite", sorted(SUITE_KEYS))
def test_a_credential_in_each_suite_imports_and_shows_its_proof(cli: Cli, wallet_home: Path,
                                                                tmp_path: Path, suite: str) -> None:
    credential, issuer = signed_ob3(suite)
    result = cli.with_passphrase("import", str(_write(tmp_path / "badge.json", credential)), "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    [outcome] = result.json()
    assert outcome["status"] == "imported"
    shown = cli.with_passphrase("show", outcome["id"], "--json").json()
    assert shown["title"] == "Intro to Data Analysis"
    assert shown["status"] == "valid"
    assert shown["verification"]["issuer"] == issuer.did
    assert [p["suite"] for p in shown["verification"]["proofs"]] == [suite]
    raw = cli.with_passphrase("show", outcome["id"], "--raw").stdout_bytes
    assert raw == (tmp_path / "badge.json").read_bytes()


def _tampered(kind: str) -> tuple[dict[str, Any], str]:
    credential, _ = signed_ob3("eddsa-rdfc-2022")
    bad = copy.deepcopy(credential)
    if kind == "changed claim":
        bad["credentialSubject"]["achievement"]["name"] = "Advanced Data Analysis"
        return bad, "E_SIG_INVALID"
    if kind == "changed proofValue":
        value = bad["proof"]["proofValue"]
        bad["proof"]["proofValue"] = value[:-4] + ("1111" if value[-4:] != "1111" else "2222")
        return bad, "E_SIG_INVALID"
    if kind == "another key's method":
        other = new_issuer("Ed25519")
        bad["proof"]["verificationMethod"] = other.verification_method
        return bad, "E_CONTROLLER_MISMATCH"
    if kind == "swapped context":
        bad["@context"][1] = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json"
        return bad, "E_SIG_INVALID"
    if kind == "injected context":
        bad["@context"].append("https://evil.example/context.json")
        return bad, "E_CONTEXT_UNKNOWN"
    if kind == "inline context":
        bad["@context"].append({"name": "https://evil.example/name"})
        return bad, "E_CONTEXT_INLINE"
    if kind == "removed proof":
        del bad["proof"]
        return bad, "E_NO_PROOF"
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["changed claim", "changed proofValue", "another key's method",
                                  "swapped context", "injected context", "inline context", "removed proof"])
def test_tampering_is_rejected_with_its_own_reason_and_the_wallet_unchanged(
        cli: Cli, wallet_home: Path, tmp_path: Path, kind: str) -> None:
    before = _listing(cli)
    bad, code = _tampered(kind)
    result = cli.with_passphrase("import", str(_write(tmp_path / "bad.json", bad)), "--json")
    [outcome] = result.json()
    assert outcome["status"] == "rejected"
    assert outcome["code"] == code, outcome
    assert result.returncode in (ExitStatus.INVALID, ExitStatus.UNVERIFIABLE)
    assert "Traceback" not in result.stderr
    assert _listing(cli) == before


def test_unknown_context_names_the_url_and_how_to_trust_it(cli: Cli, wallet_home: Path, tmp_path: Path) -> None:
    bad, _ = _tampered("injected context")
    result = cli.with_passphrase("import", str(_write(tmp_path / "bad.json", bad)))
    assert result.returncode == ExitStatus.UNVERIFIABLE
    assert "https://evil.example/context.json" in result.stdout
    assert "skillpass contexts add" in result.stdout


def test_an_unsupported_suite_is_named_not_called_invalid(cli: Cli, wallet_home: Path, tmp_path: Path) -> None:
    credential, _ = signed_ob3("eddsa-rdfc-2022")
    credential["proof"] = {"type": "BbsSignature2022", "created": "2026-01-01T00:00:00Z",
                           "proofPurpose": "assertionMethod", "proofValue": "AAAA",
                           "verificationMethod": credential["issuer"]["id"] + "#bls"}
    result = cli.with_passphrase("import", str(_write(tmp_path / "bbs.json", credential)), "--json")
    [outcome] = result.json()
    assert outcome["code"] == "E_SUITE_UNSUPPORTED"
    assert "BbsSignature2022" in outcome["reason"]
    assert result.returncode == ExitStatus.UNVERIFIABLE


def test_expired_is_rejected_unless_allowed_then_always_shown_expired(cli: Cli, wallet_home: Path,
                                                                     tmp_path: Path) -> None:
    issuer = new_issuer("Ed25519")
    expired = sign(ob3(issuer=issuer, validUntil="2026-06-30T00:00:00Z"), issuer, "eddsa-rdfc-2022")
    path = _write(tmp_path / "expired.json", expired)
    rejected = cli.with_passphrase("import", str(path), "--json")
    assert rejected.returncode == ExitStatus.INVALID
    assert rejected.json()[0]["code"] == "E_EXPIRED"
    assert "--allow-expired" in rejected.json()[0]["hint"]
    assert _listing(cli) == []
    kept = cli.with_passphrase("import", str(path), "--allow-expired", "--json")
    assert kept.returncode == 0, kept.stdout
    assert [row["status"] for row in _listing(cli)] == ["expired"]


def test_vc11_expiration_date_counts_too(cli: Cli, wallet_home: Path, tmp_path: Path) -> None:
    issuer = new_issuer("Ed25519")
    expired = sign(ob3(issuer=issuer, v1=True, expirationDate="2025-01-01T00:00:00Z"), issuer,
                   "Ed25519Signature2020")
    result = cli.with_passphrase("import", str(_write(tmp_path / "e.json", expired)), "--json")
    assert result.json()[0]["code"] == "E_EXPIRED"


def test_duplicates_are_reported_not_stored_twice(cli: Cli, wallet_home: Path, tmp_path: Path) -> None:
    issuer = new_issuer("Ed25519")
    credential = ob3(issuer=issuer)
    first = _write(tmp_path / "a.json", sign(credential, issuer, "eddsa-rdfc-2022"))
    resigned = _write(tmp_path / "b.json", sign(credential, issuer, "eddsa-rdfc-2022",
                                                created="2026-02-01T00:00:00Z"))
    assert cli.with_passphrase("import", str(first)).returncode == 0
    result = cli.with_passphrase("import", str(first), str(resigned), "--json")
    assert result.returncode == 0
    assert [o["status"] for o in result.json()] == ["duplicate", "duplicate"]
    assert len(_listing(cli)) == 1


def test_directories_stdin_arrays_and_presentations(cli: Cli, wallet_home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "inbox" / "nested"
    folder.mkdir(parents=True)
    _write(folder / "one.json", signed_ob3("eddsa-rdfc-2022", "Welding")[0])
    _write(folder / "two.jsonld", signed_ob3("ecdsa-rdfc-2019", "Carpentry")[0])
    (folder / "notes.txt").write_text("not a credential")
    array = _write(tmp_path / "array.json", [signed_ob3("eddsa-jcs-2022", "Plumbing")[0],
                                             signed_ob3("ecdsa-jcs-2019", "Masonry")[0]])
    presentation = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"],
                    "verifiableCredential": [signed_ob3("ecdsa-sd-2023", "Roofing")[0]]}
    stdin = json.dumps(signed_ob3("Ed25519Signature2020", "Tiling")[0]).encode()
    result = cli.with_passphrase("import", str(tmp_path / "inbox"), str(array),
                                 str(_write(tmp_path / "vp.json", presentation)), "-", "--json", input=stdin)
    assert result.returncode == 0, result.stdout
    assert [o["status"] for o in result.json()] == ["imported"] * 6
    titles = sorted(row["title"] for row in _listing(cli))
    assert titles == ["Carpentry", "Masonry", "Plumbing", "Roofing", "Tiling", "Welding"]


def test_good_credentials_are_kept_when_others_fail(cli: Cli, wallet_home: Path, tmp_path: Path) -> None:
    good = _write(tmp_path / "good.json", signed_ob3("eddsa-rdfc-2022")[0])
    bad = _write(tmp_path / "bad.json", _tampered("changed claim")[0])
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{ nope")
    result = cli.with_passphrase("import", str(good), str(bad), str(garbage), str(tmp_path / "missing.json"))
    assert result.returncode == ExitStatus.INVALID
    assert "Traceback" not in result.stderr
    assert len(_listing(cli)) == 1
    statuses = cli.with_passphrase("import", str(good), str(bad), str(garbage), "--json").json()
    assert [o["status"] for o in statuses] == ["duplicate", "rejected", "rejected"]
    assert statuses[2]["code"] == "E_JSON"


@pytest.mark.parametrize("content,code", [
    (b"", "E_EMPTY"), (b"\xff\xfe{}", "E_ENCODING"), (b'{"a": 1, "a": 2}', "E_DUP_KEY"),
    (b"[" * 500 + b"]" * 500, "E_TOO_DEEP"), (b'{"x": NaN}', "E_JSON"), (b'{"type": "Foo"}', "E_NOT_CREDENTIAL"),
    (b'"eyJhbGciOiJFUzI1NiJ9.eyJ2YyI6e319.c2ln"', "E_NO_ISSUER"), (b'["VP1-B3ECQ2LFNZ2GKZDUMVZXI"]', "E_NOT_CREDENTIAL"),
])
def test_hostile_input_gets_a_one_line_reason(cli: Cli, wallet_home: Path, tmp_path: Path,
                                              content: bytes, code: str) -> None:
    path = tmp_path / "input.json"
    path.write_bytes(content)
    result = cli.with_passphrase("import", str(path), "--json")
    assert result.returncode != 0
    assert result.json()[0]["code"] == code
    assert result.stderr == ""


def test_a_backup_given_to_import_is_named_with_the_command_that_reads_it(cli: Cli, wallet_home: Path,
                                                                          tmp_path: Path) -> None:
    backup = tmp_path / "backup.json"
    assert cli.with_passphrase("backup", str(backup)).returncode == 0
    result = cli.with_passphrase("import", str(backup), "--json")
    assert result.returncode == ExitStatus.BAD_INPUT
    [outcome] = result.json()
    assert outcome["code"] == "E_NOT_CREDENTIAL" and "skillpass backup" in outcome["reason"]
    assert "skillpass restore" in outcome["hint"]


def test_a_trusted_extra_context_lets_a_credential_verify(cli: Cli, wallet_home: Path, tmp_path: Path) -> None:
    from skillpass.jsonld.loader import ContextStore

    url = "https://skills.example.ca/contexts/apprenticeship/v1"
    context = {"@context": {"@protected": True, "ApprenticeshipCredential": "https://skills.example.ca/vocab#Apprenticeship",
                            "trade": "https://skills.example.ca/vocab#trade"}}
    context_bytes = json.dumps(context).encode()
    issuer = new_issuer("Ed25519")
    credential = {"@context": ["https://www.w3.org/ns/credentials/v2", url],
                  "type": ["VerifiableCredential", "ApprenticeshipCredential"], "issuer": issuer.did,
                  "validFrom": "2026-01-01T00:00:00Z", "credentialSubject": {"trade": "Electrician"}}
    signed = sign(credential, issuer, "eddsa-rdfc-2022", store=ContextStore.bundled().with_extra({url: context_bytes}))
    path = _write(tmp_path / "apprentice.json", signed)
    assert cli.with_passphrase("import", str(path)).returncode == ExitStatus.UNVERIFIABLE
    context_file = tmp_path / "context.json"
    context_file.write_bytes(context_bytes)
    added = cli.with_passphrase("contexts", "add", str(context_file), "--url", url, "--json")
    assert added.returncode == 0, added.stderr
    listed = cli.with_passphrase("contexts", "list", "--json").json()
    assert {"url": url, "sha256": added.json()["sha256"]}.items() <= next(r for r in listed if r["url"] == url).items()
    assert any(r["source"].startswith("bundled") for r in listed)
    assert cli.with_passphrase("import", str(path)).returncode == 0


def test_contexts_list_on_a_terminal_says_where_each_came_from_in_french(cli: Cli, wallet_home: Path,
                                                                         tmp_path: Path) -> None:
    import os
    import pty
    import subprocess
    import sys

    from conftest import REPO, TESTS
    from test_cli_share import _read_until

    context = _write(tmp_path / "context.json", {"@context": {"trade": "https://skills.example.ca/vocab#trade"}})
    url = "https://skills.example.ca/contexts/apprenticeship/v1"
    assert cli.with_passphrase("contexts", "add", str(context), "--url", url).returncode == 0
    primary, secondary = pty.openpty()
    proc = subprocess.Popen([sys.executable, str(TESTS / "cheap_kdf.py"), "contexts", "list", "--lang", "fr",
                             "--passphrase-file", str(cli.passphrase_file)], stdin=secondary, stdout=secondary,
                            stderr=secondary, env=dict(cli.env, COLUMNS="200", NO_COLOR="1"), cwd=REPO)
    os.close(secondary)
    shown = _read_until(primary, b"apprenticeship/v1").decode(errors="replace")
    shown += _read_until(primary, b"\n").decode(errors="replace")
    assert proc.wait(timeout=60) == 0
    os.close(primary)

    assert "intégré (@digitalbazaar/credentials-context@" in shown and "ajouté par vous le 20" in shown
    assert "bundled" not in shown and "added" not in shown
    piped = cli.with_passphrase("contexts", "list", "--lang", "fr").stdout
    assert "\tbundled (@digitalbazaar/credentials-context@" in piped  # scripts read the same words as --json


@pytest.mark.parametrize("char", ["\x1b", "\x9b", "\u202e", "\u200b", "\u2028"])
def test_a_context_url_with_a_control_or_invisible_character_is_refused(cli: Cli, wallet_home: Path,
                                                                        tmp_path: Path, char: str) -> None:
    context = _write(tmp_path / "context.json", {"@context": {"trade": "https://skills.example.ca/vocab#trade"}})
    result = cli.with_passphrase("contexts", "add", str(context), "--url", f"https://x.example/{char}c")
    assert result.returncode == ExitStatus.USAGE and result.stdout == ""
    assert result.stderr == (f"skillpass: error: the context URL has a control or invisible character "
                             f"(U+{ord(char):04X}); give the URL credentials use, as plain text\n")
    listed = cli.with_passphrase("contexts", "list", "--json").json()
    assert not [row for row in listed if row["url"].startswith("https://x.example/")]


@pytest.mark.parametrize(("url", "space"), [("https://x.example/a\u00a0b", "U+00A0"),
                                            ("https://x.example/v\u20021", "U+2002")])
def test_a_context_url_with_a_space_that_is_not_plain_is_refused_naming_it(cli: Cli, tmp_path: Path,
                                                                           url: str, space: str) -> None:
    context = _write(tmp_path / "context.json", {"@context": {"trade": "https://skills.example.ca/vocab#trade"}})
    result = cli.with_passphrase("contexts", "add", str(context), "--url", url)
    assert result.returncode == ExitStatus.USAGE and result.stdout == ""
    assert result.stderr == (f"skillpass: error: the context URL has a space character ({space}); "
                             "give the URL credentials use, as plain text\n")
    assert url not in [row["url"] for row in cli.with_passphrase("contexts", "list", "--json").json()]


@pytest.mark.parametrize("url", ["https://", "https:///path", "https://x.example/a b", "https://[::1/x"])
def test_a_context_url_without_a_host_or_with_a_space_is_refused(cli: Cli, wallet_home: Path, tmp_path: Path,
                                                                 url: str) -> None:
    context = _write(tmp_path / "context.json", {"@context": {"trade": "https://skills.example.ca/vocab#trade"}})
    result = cli.with_passphrase("contexts", "add", str(context), "--url", url)
    assert result.returncode == ExitStatus.USAGE and result.stdout == ""
    assert result.stderr == (f"skillpass: error: a context URL names a host and has no spaces: {url}; "
                             "give the URL credentials use\n")
    listed = cli.with_passphrase("contexts", "list", "--json").json()
    assert url not in [row["url"] for row in listed]


def test_a_did_web_issuer_resolves_only_from_the_local_cache(cli: Cli, wallet_home: Path, tmp_path: Path) -> None:
    from skillpass.keys import multikey

    key = new_issuer("Ed25519")
    did = "did:web:boreal.example"
    vm = f"{did}#key-1"
    document = {"@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
                "id": did, "verificationMethod": [{"id": vm, "type": "Multikey", "controller": did,
                                                   "publicKeyMultibase": multikey.encode_public_key(key.private_key.public_key())}],
                "assertionMethod": [vm]}
    credential = ob3(issuer=key)
    credential["issuer"]["id"] = did
    from skillpass import suites

    signed = suites.sign(credential, suite="eddsa-rdfc-2022", private_key=key.private_key,
                         verification_method=vm, created="2026-01-15T00:00:00Z")
    path = _write(tmp_path / "web.json", signed)
    unknown = cli.with_passphrase("import", str(path), "--json")
    assert unknown.json()[0]["code"] == "E_DID_UNKNOWN"
    assert "skillpass dids add" in unknown.json()[0]["hint"]
    added = cli.with_passphrase("dids", "add", str(_write(tmp_path / "did.json", document)), "--json")
    assert added.returncode == 0 and added.json()["id"] == did
    assert cli.with_passphrase("dids", "list", "--json").json()[0]["id"] == did
    assert cli.with_passphrase("import", str(path)).returncode == 0


def test_import_with_the_network_disabled(tmp_path: Path, no_network: None) -> None:
    """Every suite imports in-process with sockets made impossible."""
    from conftest import PASSPHRASE, sources
    from skillpass import flow
    from skillpass.wallet.unlock import Passphrase
    from skillpass.wallet.wallet import create_wallet

    home = tmp_path / "home"
    create_wallet(home, passphrase=Passphrase(PASSPHRASE.encode()), use_keyring=False).close()
    paths = [str(_write(tmp_path / f"{suite}.json", signed_ob3(suite)[0])) for suite in sorted(SUITE_KEYS)]

    outcomes = flow.import_credentials(flow.Session(home, sources()), paths, None,
                                       now=datetime.now(timezone.utc), allow_expired=False,
                                       progress=lambda total: lambda: None)
    assert [o.status for o in outcomes] == ["imported"] * len(SUITE_KEYS)
