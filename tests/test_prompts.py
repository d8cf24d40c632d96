"""Never a prompt without a terminal: with stdin a pipe and no flag, every question skillpass
could ask fails at once, in one stderr line with the flag or variable that answers it, and
changes nothing. A passphrase exits 6, a confirmation 12 (`--yes`), a missing choice 2."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from conftest import Cli, Result
from issuing import new_issuer, ob3, sign
from skillpass.errors import ExitStatus

ENGLISH = {"SKILLPASS_LANG": "en"}


def refused(result: Result, status: int, hint: str) -> None:
    """Exit `status`, nothing on stdout, one error line on stderr that names `hint`."""
    assert result.returncode == status, result.stderr
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("skillpass: error: "), result.stderr
    assert hint in result.stderr


@pytest.fixture
def credential_id(cli: Cli, wallet_home: Path, tmp_path: Path) -> str:
    holder = cli.with_passphrase("did", "--json").json()[0]["did"]
    issuer = new_issuer("Ed25519")
    path = tmp_path / "badge.json"
    path.write_text(json.dumps(sign(ob3("Welding Safety", issuer=issuer, subject=holder), issuer, "eddsa-rdfc-2022")))
    result = cli.with_passphrase("import", str(path), "--json")
    assert result.returncode == 0, result.stderr
    return str(result.json()[0]["id"])


def _ids(cli: Cli) -> list[str]:
    return [row["id"] for row in cli.with_passphrase("list", "--json").json()]


# -- passphrases: exit 6 ------------------------------------------------------------------------


def test_init_without_a_passphrase_asks_nothing_and_creates_nothing(cli: Cli) -> None:
    refused(cli("init", input=b"", env=ENGLISH), ExitStatus.NO_PASSPHRASE, "--passphrase-file")
    assert cli.with_passphrase("list").returncode == ExitStatus.NO_WALLET


def test_unlocking_without_a_passphrase_asks_nothing(cli: Cli, wallet_home: Path) -> None:
    refused(cli("list", input=b"", env=ENGLISH), ExitStatus.NO_PASSPHRASE, "SKILLPASS_PASSPHRASE")


def test_a_new_passphrase_is_not_asked_for(cli: Cli, wallet_home: Path) -> None:
    refused(cli.with_passphrase("passphrase", input=b"", env=ENGLISH), ExitStatus.NO_PASSPHRASE,
            "--new-passphrase-file")
    assert cli.with_passphrase("did").returncode == 0  # the old passphrase still opens it


def test_a_backup_passphrase_is_not_asked_for(cli: Cli, wallet_home: Path, tmp_path: Path) -> None:
    backup = tmp_path / "backup.json"
    assert cli.with_passphrase("backup", str(backup)).returncode == 0
    elsewhere = tmp_path / "elsewhere"
    refused(cli("restore", str(backup), "--home", str(elsewhere), input=b"", env=ENGLISH),
            ExitStatus.NO_PASSPHRASE, "--backup-passphrase-file")
    assert cli.with_passphrase("list", "--home", str(elsewhere)).returncode == ExitStatus.NO_WALLET


# -- confirmations: exit 12 ---------------------------------------------------------------------


def test_remove_does_not_ask_without_a_terminal(cli: Cli, credential_id: str) -> None:
    refused(cli.with_passphrase("remove", credential_id, input=b"", env=ENGLISH), ExitStatus.CANCELLED, "--yes")
    assert _ids(cli) == [credential_id]


def test_answering_a_request_does_not_ask_without_a_terminal(cli: Cli, credential_id: str, tmp_path: Path) -> None:
    request = tmp_path / "vpr.json"
    request.write_text(json.dumps({"query": [{"type": "QueryByExample", "credentialQuery": {"example": {
        "@context": ["https://www.w3.org/ns/credentials/v2"], "type": "OpenBadgeCredential"}}}],
        "challenge": "c-1", "domain": "hiring.example"}))
    answer = tmp_path / "answer.json"
    refused(cli.with_passphrase("share", "--request", str(request), "--out", str(answer), input=b"", env=ENGLISH),
            ExitStatus.CANCELLED, "--yes")
    assert not answer.exists()
    assert cli.with_passphrase("history", "--json").json() == []


# -- a missing choice: exit 2 -------------------------------------------------------------------


def test_the_field_picker_is_not_shown_without_a_terminal(cli: Cli, credential_id: str, tmp_path: Path) -> None:
    out = tmp_path / "vp.json"
    refused(cli.with_passphrase("share", credential_id, "--challenge", "c-1", "--out", str(out), input=b"",
                                env=ENGLISH), ExitStatus.USAGE, "--reveal")
    assert not out.exists()
    assert cli.with_passphrase("history", "--json").json() == []


# -- receive: its confirmation (12) and its transaction code (2) --------------------------------


class _Issuer(BaseHTTPRequestHandler):
    """An OpenID4VCI issuer's metadata on loopback; any other request is recorded and refused."""

    documents: dict[str, Any] = {}
    other: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        document = self.documents.get(self.path)
        if document is None:
            self.other.append(self.path)
            self.send_error(404)
            return
        body = json.dumps(document).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:  # noqa: N802
        self.other.append(self.path)
        self.send_error(400)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def offer() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _Issuer)
    issuer = f"http://127.0.0.1:{server.server_address[1]}"
    _Issuer.documents = {
        "/.well-known/openid-credential-issuer": {
            "credential_issuer": issuer, "credential_endpoint": f"{issuer}/credential",
            "display": [{"name": "Collège Boréal", "locale": "fr-CA"}],
            "credential_configurations_supported": {"welding": {
                "format": "dc+sd-jwt", "vct": "https://credentials.example/welding",
                "credential_metadata": {"display": [{"name": "Welding Safety", "locale": "en"}]}}}},
        "/.well-known/oauth-authorization-server": {"issuer": issuer, "token_endpoint": f"{issuer}/token"},
    }
    _Issuer.other = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    document = {"credential_issuer": issuer, "credential_configuration_ids": ["welding"],
                "grants": {"urn:ietf:params:oauth:grant-type:pre-authorized_code": {
                    "pre-authorized_code": "abc", "tx_code": {"input_mode": "numeric", "length": 6}}}}
    yield "openid-credential-offer://?credential_offer=" + quote(json.dumps(document))
    server.shutdown()


def test_receive_does_not_ask_to_confirm_without_a_terminal(cli: Cli, wallet_home: Path, offer: str) -> None:
    refused(cli.with_passphrase("receive", offer, "--allow-http", input=b"", env=ENGLISH), ExitStatus.CANCELLED,
            "--yes")
    assert _Issuer.other == []  # no token asked for: the pre-authorized code is not spent
    assert _ids(cli) == []


def test_receive_does_not_ask_for_the_transaction_code_without_a_terminal(cli: Cli, wallet_home: Path,
                                                                           offer: str) -> None:
    refused(cli.with_passphrase("receive", offer, "--allow-http", "--yes", input=b"", env=ENGLISH),
            ExitStatus.USAGE, "--tx-code")
    assert _Issuer.other == []
    assert _ids(cli) == []
