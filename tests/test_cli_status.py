"""Revocation and suspension through the real command: `status add`, `status refresh`, `status
list`, and what list, show, the passport and verify then say (W3C Bitstring Status List v1.0)."""

from __future__ import annotations

import base64
import gzip
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest

from issuing import new_issuer, ob3, sign

LIST_URL = "https://boreal.example/status/1"
REVOKED_INDEX, VALID_INDEX = 5, 6


def encoded_list(set_bits: tuple[int, ...], size: int = 131072) -> str:
    """Bitstring Status List §3.1: GZIP of the bitstring (first index = the first byte's most
    significant bit), multibase base64url without padding ('u')."""
    bits = bytearray(size // 8)
    for index in set_bits:
        bits[index // 8] |= 0x80 >> (index % 8)
    return "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits))).decode().rstrip("=")


def status_list_credential(issuer: Any, set_bits: tuple[int, ...], *, url: str = LIST_URL,
                           purpose: str = "revocation", **extra: Any) -> dict[str, Any]:
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url, "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer.did, "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": f"{url}#list", "type": "BitstringStatusList",
                              "statusPurpose": purpose, "encodedList": encoded_list(set_bits)},
        **extra,
    }
    return sign(credential, issuer, "eddsa-rdfc-2022")


def listed_credential(issuer: Any, index: int, n: int, *, purpose: str = "revocation",
                      url: str = LIST_URL) -> dict[str, Any]:
    entry = {"id": f"{url}#{index}", "type": "BitstringStatusListEntry", "statusPurpose": purpose,
             "statusListIndex": str(index), "statusListCredential": url}
    return sign(ob3(f"Badge {n}", issuer=issuer, n=n, credentialStatus=entry), issuer, "eddsa-rdfc-2022")


@pytest.fixture(scope="module")
def issued(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two credentials naming one list (one index set, one not), the list, a list by another
    issuer, a suspension list, and a list already out of date; built once for the module."""
    folder = tmp_path_factory.mktemp("status")
    issuer, other = new_issuer(), new_issuer()
    files = {
        "revoked": listed_credential(issuer, REVOKED_INDEX, 1),
        "valid": listed_credential(issuer, VALID_INDEX, 2),
        "list": status_list_credential(issuer, (REVOKED_INDEX,)),
        "foreign-list": status_list_credential(other, (REVOKED_INDEX,)),
        "stale-list": status_list_credential(issuer, (), validUntil="2026-06-01T00:00:00Z"),
        "older-list": status_list_credential(issuer, (), validFrom="2025-01-01T00:00:00Z"),
        "suspendable": listed_credential(issuer, 9, 3, purpose="suspension", url=LIST_URL + "s"),
        "suspension-list": status_list_credential(issuer, (9,), url=LIST_URL + "s", purpose="suspension"),
    }
    paths = {}
    for name, document in files.items():
        paths[name] = folder / f"{name}.json"
        paths[name].write_text(json.dumps(document, indent=2))
    return paths


def _statuses(cli: Any) -> dict[str, dict[str, Any]]:
    result = cli.with_passphrase("list", "--json")
    assert result.returncode == 0, result.stderr
    return {row["title"]: row for row in result.json()}


def _import(cli: Any, *files: Path) -> None:
    result = cli.with_passphrase("import", *map(str, files), "--json")
    assert result.returncode == 0, result.stderr


def test_a_kept_list_with_the_bit_set_marks_its_credential_revoked(cli: Any, wallet_home: Path,
                                                                    issued: dict[str, Path]) -> None:
    _import(cli, issued["revoked"], issued["valid"])
    before = _statuses(cli)
    assert before["Badge 1"]["status"] == before["Badge 2"]["status"] == "status not checked"

    added = cli.with_passphrase("status", "add", str(issued["list"]), "--json")
    assert added.returncode == 0, added.stderr
    assert added.json() | {"issuer": None} == {
        "url": LIST_URL, "kind": "bitstring", "issuer": None, "signed": True, "issued": "2026-01-01T00:00:00Z",
        "staleAfter": None, "credentials": 2, "revoked": 1, "suspended": 0}

    after = _statuses(cli)
    assert after["Badge 1"]["status"] == "revoked"
    assert after["Badge 2"]["status"] == "valid"
    assert after["Badge 2"]["statusChecked"].startswith("20")

    passport = cli.with_passphrase("passport", "--json").json()
    assert passport["counts"]["revoked"] == 1 and passport["counts"]["valid"] == 1

    shown = cli.with_passphrase("show", after["Badge 1"]["id"], "--json").json()
    assert shown["status"] == "revoked"
    assert [r["state"] for r in shown["statusResults"]] == ["revoked"]

    kept = cli.with_passphrase("status", "list", "--json").json()
    assert [(row["url"], row["state"], row["credentials"]) for row in kept] == [(LIST_URL, "current", 2)]


def test_a_list_signed_by_another_issuer_is_refused_and_nothing_changes(cli: Any, wallet_home: Path,
                                                                        issued: dict[str, Path]) -> None:
    _import(cli, issued["revoked"])
    refused = cli.with_passphrase("status", "add", str(issued["foreign-list"]))
    assert refused.returncode == 9
    assert "not from" in refused.stderr
    assert refused.stderr.count("\n") == 1 and "Traceback" not in refused.stderr
    assert _statuses(cli)["Badge 1"]["status"] == "status not checked"
    assert cli.with_passphrase("status", "list", "--json").json()[0]["state"] == "not obtained"


def test_a_list_no_credential_names_is_refused(cli: Any, wallet_home: Path, issued: dict[str, Path]) -> None:
    refused = cli.with_passphrase("status", "add", str(issued["list"]), "--json")
    assert refused.returncode == 2
    assert "no credential in the wallet names" in refused.stderr


def test_a_tampered_list_is_invalid(cli: Any, wallet_home: Path, issued: dict[str, Path], tmp_path: Path) -> None:
    _import(cli, issued["revoked"])
    document = json.loads(issued["list"].read_text())
    document["credentialSubject"]["encodedList"] = encoded_list(())
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(document))
    refused = cli.with_passphrase("status", "add", str(tampered))
    assert refused.returncode == 9, refused.stderr
    assert _statuses(cli)["Badge 1"]["status"] == "status not checked"


def test_an_out_of_date_list_says_since_when_the_status_is_unchecked(cli: Any, wallet_home: Path,
                                                                      issued: dict[str, Path]) -> None:
    _import(cli, issued["valid"])
    assert cli.with_passphrase("status", "add", str(issued["stale-list"])).returncode == 0
    row = _statuses(cli)["Badge 2"]
    assert row["status"] == "status not checked" and row["statusChecked"]
    assert cli.with_passphrase("status", "list", "--json").json()[0]["state"] == "out of date"
    text = cli.with_passphrase("list", env={"SKILLPASS_LANG": "en"})
    assert "status not checked" in text.stdout


def test_a_suspension_list_suspends(cli: Any, wallet_home: Path, issued: dict[str, Path]) -> None:
    _import(cli, issued["suspendable"])
    added = cli.with_passphrase("status", "add", str(issued["suspension-list"]), "--json")
    assert added.returncode == 0, added.stderr
    assert added.json()["suspended"] == 1
    assert _statuses(cli)["Badge 3"]["status"] == "suspended"


def test_status_add_says_one_credential_or_many_in_english_and_french(cli: Any, wallet_home: Path,
                                                                       issued: dict[str, Path]) -> None:
    _import(cli, issued["suspendable"], issued["revoked"], issued["valid"])
    one = cli.with_passphrase("status", "add", str(issued["suspension-list"]))
    assert one.returncode == 0, one.stderr
    assert one.stderr.endswith(": 1 credential checked, 0 revoked, 1 suspended\n"), one.stderr
    many = cli.with_passphrase("status", "add", str(issued["list"]), "--lang", "fr")
    assert many.returncode == 0, many.stderr
    assert many.stderr.endswith(" conservée : 2 attestations vérifiées, 1 révoquée, 0 suspendue\n"), many.stderr


def test_verify_with_the_issuers_list_refuses_a_revoked_credential(cli: Any, issued: dict[str, Path]) -> None:
    revoked = cli("verify", str(issued["revoked"]), "--status-list", str(issued["list"]), "--json")
    assert revoked.returncode == 9
    status = next(c for c in revoked.json()["checks"] if c["name"] == "credential 1 status")
    assert status["status"] == "failed" and status["code"] == "E_REVOKED"

    valid = cli("verify", str(issued["valid"]), "--status-list", str(issued["list"]), "--json")
    assert valid.returncode == 0, valid.stdout
    status = next(c for c in valid.json()["checks"] if c["name"] == "credential 1 status")
    assert status["status"] == "passed"

    unchecked = cli("verify", str(issued["revoked"]), "--json")
    status = next(c for c in unchecked.json()["checks"] if c["name"] == "credential 1 status")
    assert status["status"] == "warning" and status["code"] == "E_STATUS_NOT_CHECKED"


def test_verify_refuses_another_issuers_list_as_evidence(cli: Any, issued: dict[str, Path]) -> None:
    result = cli("verify", str(issued["revoked"]), "--status-list", str(issued["foreign-list"]), "--json")
    status = next(c for c in result.json()["checks"] if c["name"] == "credential 1 status")
    assert status["status"] == "warning" and status["code"] == "E_STATUS_NOT_CHECKED"


def test_a_bad_status_list_file_for_verify_is_one_line(cli: Any, tmp_path: Path, issued: dict[str, Path]) -> None:
    junk = tmp_path / "junk.json"
    junk.write_text("{not json")
    result = cli("verify", str(issued["valid"]), "--status-list", str(junk))
    assert result.returncode == 8 and str(junk) in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("content", ["", "  \n", "[1, 2]", "[]"])
def test_an_empty_or_array_status_list_file_is_not_called_a_bad_mattr_list(cli: Any, tmp_path: Path,
                                                                           issued: dict[str, Path],
                                                                           content: str) -> None:
    junk = tmp_path / "list.json"
    junk.write_text(content)
    result = cli("verify", str(issued["valid"]), "--status-list", str(junk))
    assert result.returncode == 8 and str(junk) in result.stderr, result.stderr
    assert "MATTR" not in result.stderr, result.stderr
    french = cli("--lang", "fr", "verify", str(issued["valid"]), "--status-list", str(junk))
    assert "liste d'état" in french.stderr and "status list" not in french.stderr, french.stderr


# -- status refresh: the network on request only, loopback http in tests --------------------------


class _ListServer(BaseHTTPRequestHandler):
    body = b""

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.send_response(200)
        self.send_header("content-type", "application/vc+ld+json")
        self.send_header("content-length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: Any) -> None:
        pass


def test_status_refresh_fetches_the_lists_credentials_name(cli: Any, wallet_home: Path, tmp_path: Path) -> None:
    server = HTTPServer(("127.0.0.1", 0), _ListServer)
    url = f"http://127.0.0.1:{server.server_port}/status/1"
    issuer = new_issuer()
    credential = tmp_path / "c.json"
    credential.write_text(json.dumps(listed_credential(issuer, REVOKED_INDEX, 1, url=url)))
    _ListServer.body = json.dumps(status_list_credential(issuer, (REVOKED_INDEX,), url=url)).encode()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        _import(cli, credential)
        refused = cli.with_passphrase("status", "refresh", "--json")  # plain http without the flag
        assert refused.returncode == 14 and refused.json()[0]["result"] == "failed"
        refreshed = cli.with_passphrase("status", "refresh", "--allow-http", "--json")
        assert refreshed.returncode == 0, refreshed.stderr
        assert refreshed.json()[0] | {"issuer": None, "staleAfter": None} == {
            "url": url, "result": "kept", "issuer": None, "staleAfter": None, "credentials": 1}
        assert _statuses(cli)["Badge 1"]["status"] == "revoked"
        piped = cli.with_passphrase("status", "refresh", "--allow-http")
        assert piped.stdout.endswith(f"{url}\tkept\t1 credential\n"), piped.stdout
    finally:
        server.shutdown()
        server.server_close()


class _GoneListServer(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        body = b"<html><body>Not Found</body></html>"
        self.send_response(404)
        self.send_header("content-type", "text/html")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def gone_list(tmp_path: Path) -> Any:
    """A credential naming a status list on a loopback server that answers 404, the server up."""
    server = HTTPServer(("127.0.0.1", 0), _GoneListServer)
    credential = tmp_path / "c.json"
    credential.write_text(json.dumps(listed_credential(
        new_issuer(), REVOKED_INDEX, 1, url=f"http://127.0.0.1:{server.server_port}/status/1")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield credential
    finally:
        server.shutdown()
        server.server_close()


def test_status_refresh_says_a_server_answered_an_error_instead_of_a_list(cli: Any, wallet_home: Path,
                                                                          gone_list: Path) -> None:
    _import(cli, gone_list)
    refreshed = cli.with_passphrase("status", "refresh", "--allow-http", "--json")

    assert refreshed.returncode == 14, refreshed.stdout
    failed = refreshed.json()[0]
    assert (failed["result"], failed["code"], failed["exit_status"]) == ("failed", "E_NETWORK_BAD_ANSWER", 14)
    assert failed["reason"] == "127.0.0.1 answered 404 for the status list"
    assert _statuses(cli)["Badge 1"]["status"] != "revoked"


def test_status_refresh_on_a_terminal_says_why_a_list_failed_in_french(cli: Any, wallet_home: Path,
                                                                       gone_list: Path) -> None:
    import os
    import pty
    import subprocess
    import sys

    from conftest import REPO, TESTS
    from test_cli_share import _read_until

    primary, secondary = pty.openpty()
    try:
        _import(cli, gone_list)
        proc = subprocess.Popen([sys.executable, str(TESTS / "cheap_kdf.py"), "status", "refresh", "--allow-http",
                                 "--lang", "fr", "--passphrase-file", str(cli.passphrase_file)],
                                stdin=secondary, stdout=secondary, stderr=secondary,
                                env=dict(cli.env, COLUMNS="200", NO_COLOR="1"), cwd=REPO)
        os.close(secondary)
        shown = _read_until(primary, "liste d'état".encode() + b"\r\n").decode(errors="replace")
        assert proc.wait(timeout=60) == 14
    finally:
        os.close(primary)
    assert "127.0.0.1 a répondu 404 pour la liste d'état" in shown and "answered" not in shown


def test_verify_uses_the_lists_the_homes_wallet_keeps(cli: Any, wallet_home: Path, issued: dict[str, Path]) -> None:
    _import(cli, issued["revoked"])
    assert cli.with_passphrase("status", "add", str(issued["list"])).returncode == 0
    locked = cli("verify", str(issued["revoked"]), "--json")  # no passphrase: the kept list is not used
    assert locked.returncode == 0 and "could use (1 status list);" in locked.stderr
    unlocked = cli.with_passphrase("verify", str(issued["revoked"]), "--json")
    assert unlocked.returncode == 9
    assert [c["code"] for c in unlocked.json()["checks"] if c["name"] == "credential 1 status"] == ["E_REVOKED"]


def test_a_restored_backup_keeps_the_lists_and_the_statuses(cli: Any, wallet_home: Path, issued: dict[str, Path],
                                                            tmp_path: Path) -> None:
    _import(cli, issued["revoked"], issued["valid"])
    assert cli.with_passphrase("status", "add", str(issued["list"])).returncode == 0
    backup = tmp_path / "backup.json"
    assert cli.with_passphrase("backup", str(backup)).returncode == 0
    new_home = tmp_path / "restored"
    restored = cli.with_passphrase("restore", str(backup), "--home", str(new_home), "--json")
    assert restored.returncode == 0, restored.stderr
    rows = cli.with_passphrase("list", "--json", "--home", str(new_home)).json()
    assert sorted(row["status"] for row in rows) == ["revoked", "valid"]
    kept = cli.with_passphrase("status", "list", "--json", "--home", str(new_home)).json()
    assert [row["state"] for row in kept] == ["current"]


def test_a_credential_imported_after_its_list_is_checked_at_once(cli: Any, wallet_home: Path,
                                                                  issued: dict[str, Path]) -> None:
    _import(cli, issued["valid"])
    assert cli.with_passphrase("status", "add", str(issued["list"])).returncode == 0
    _import(cli, issued["revoked"])
    assert _statuses(cli)["Badge 1"]["status"] == "revoked"


def test_an_older_copy_of_a_kept_list_is_refused(cli: Any, wallet_home: Path, issued: dict[str, Path]) -> None:
    """An old copy of a list (the bit not set yet) would bring a revoked credential back."""
    _import(cli, issued["revoked"])
    assert cli.with_passphrase("status", "add", str(issued["list"])).returncode == 0
    refused = cli.with_passphrase("status", "add", str(issued["older-list"]))
    assert refused.returncode == 2 and "is newer" in refused.stderr
    assert _statuses(cli)["Badge 1"]["status"] == "revoked"


def test_verify_warns_that_an_unsigned_ob2_list_is_only_as_good_as_its_source(cli: Any, vectors: Path) -> None:
    signed = vectors / "ob2" / "signed"
    dids = [arg for name in ("cryptographickey", "issuer-profile", "badgeclass")
            for arg in ("--did", str(signed / f"{name}.json"))]
    result = cli("verify", str(signed / "signed-embedded-badge.jws"), *dids,
                 "--status-list", str(signed / "revocationlist.json"), "--json")
    assert result.returncode == 0, result.stdout
    status = next(c for c in result.json()["checks"] if c["name"] == "credential 1 status")
    assert (status["status"], status["code"]) == ("warning", "E_STATUS_UNSIGNED")
