"""`receive` against a hostile issuer on 127.0.0.1 (a Python peer: every answer is the test's):
what the issuer sends that is no credential, errors full of escape sequences, huge answers.
Whatever it sends, the learner gets one line, nothing raw, exit 14, and nothing kept."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from test_oid4vp_hostile import Verifier as Peer

from skillpass.errors import ExitStatus

JSON = {"content-type": "application/json"}
PRE_AUTHORIZED = "urn:ietf:params:oauth:grant-type:pre-authorized_code"


@pytest.fixture
def issuer() -> Iterator[Peer]:
    peer = Peer()
    base = peer.base
    peer.answers.update({
        "/.well-known/openid-credential-issuer": (200, JSON, json.dumps({
            "credential_issuer": base, "credential_endpoint": base + "/credential", "nonce_endpoint": base + "/nonce",
            "credential_configurations_supported": {"badge": {"format": "ldp_vc"}}}).encode()),
        "/.well-known/oauth-authorization-server": (200, JSON, json.dumps({
            "issuer": base, "token_endpoint": base + "/token"}).encode()),
        "/token": (200, JSON, b'{"access_token": "t", "token_type": "Bearer"}'),
        "/nonce": (200, JSON, b'{"c_nonce": "n"}')})
    yield peer
    peer.server.shutdown()
    peer.server.server_close()


def _receive(cli: Any, issuer: Peer) -> Any:
    offer = {"credential_issuer": issuer.base, "credential_configuration_ids": ["badge"],
             "grants": {PRE_AUTHORIZED: {"pre-authorized_code": "abc"}}}
    return cli.with_passphrase("receive", "openid-credential-offer://?credential_offer=" + quote(json.dumps(offer)),
                               "--yes", "--allow-http")


@pytest.mark.parametrize("credential", ["{}", {"a": 1}, "eyJhbGciOiJFUzI1NiJ9.e30.c2ln", "\x1b[2J<html>oops",
                                        "abc~def~"])
def test_a_credential_that_is_no_credential_is_the_issuers_fault_exit_14(cli: Any, wallet_home: Any, issuer: Peer,
                                                                        credential: Any) -> None:
    issuer.answers["/credential"] = (200, JSON, json.dumps({"credentials": [{"credential": credential}]}).encode())
    received = _receive(cli, issuer)

    assert received.returncode == ExitStatus.NETWORK, received.stderr
    assert "the badge credential the issuer sent is not a credential skillpass can read" in received.stderr
    assert "check the file" not in received.stderr and "give a W3C" not in received.stderr  # import's hints
    assert "\x1b" not in received.stderr and "nothing of this offer was kept" in received.stderr
    assert cli.with_passphrase("list", "--json").json() == []


@pytest.mark.parametrize(("path", "answer"), [
    ("/token", (400, JSON, json.dumps({"error": "invalid_grant\x1b[31m",
                                       "error_description": "no\x1b[2J\nline two\x07"}).encode())),
    ("/token", (200, {"content-type": "text/html"}, b"<html>\x1b]0;owned\x07</html>")),
    ("/credential", (500, {"content-type": "text/html"}, b"<h1>\x1b[5mdown</h1>")),
    ("/credential", (200, JSON, b'{"credentials": [' + b'{"credential": "x"},' * 200_000 + b"{}]}")),
    ("/nonce", (200, JSON, b'{"c_nonce": 42}')),
    ("/token", (200, JSON, b'{"access_token": "a\\r\\nX-Injected: 1", "token_type": "Bearer"}')),
    ("/token", (200, JSON, b'{"access_token": "caf\\u00e9 \\u001b[2J", "token_type": "Bearer"}')),
])
def test_a_hostile_answer_is_one_clean_line_and_exit_14(cli: Any, wallet_home: Any, issuer: Peer, path: str,
                                                         answer: Any) -> None:
    issuer.answers[path] = answer
    received = _receive(cli, issuer)

    assert received.returncode == ExitStatus.NETWORK, received.stderr
    assert "try again later" not in received.stderr  # the issuer's answer, not the connection
    lines = received.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("skillpass: error: 127.0.0.1"), received.stderr
    assert not any(c in received.stderr for c in "\x1b\x07") and "<h" not in received.stderr
    assert cli.with_passphrase("list", "--json").json() == []


@pytest.mark.parametrize(("answer", "said"), [
    ((200, {"content-type": "text/html"}, b"<html>\x1b[2Jexpired</html>"),
     "answered with something that is not a credential offer (not valid JSON"),
    ((200, JSON, b"[1, 2]"), "answered with something that is not a credential offer"),
    ((200, JSON, b" " * (300 * 1024)), "sent more than 64 KiB"),  # refused while it streams in
])
def test_an_offer_by_reference_answering_no_offer_is_exit_14(cli: Any, wallet_home: Any, issuer: Peer,
                                                             answer: Any, said: str) -> None:
    issuer.answers["/offer"] = answer
    received = cli.with_passphrase("receive", "openid-credential-offer://?credential_offer_uri="
                                   + quote(issuer.base + "/offer", safe=""), "--yes", "--allow-http")

    assert received.returncode == ExitStatus.NETWORK, received.stderr
    assert said in received.stderr and "127.0.0.1" in received.stderr
    assert "\x1b" not in received.stderr and "expired" not in received.stderr


def test_the_reason_an_issuer_answered_outside_the_protocol_is_in_french(cli: Any, wallet_home: Any,
                                                                         issuer: Peer) -> None:
    issuer.answers["/token"] = (200, JSON, b'{"access_token": "a\\r\\nX-Injected: 1", "token_type": "Bearer"}')
    issuer.answers["/nonce"] = (200, JSON, b"[]")
    offer = {"credential_issuer": issuer.base, "credential_configuration_ids": ["badge"],
             "grants": {PRE_AUTHORIZED: {"pre-authorized_code": "abc"}}}
    received = cli.with_passphrase("receive", "openid-credential-offer://?credential_offer=" + quote(json.dumps(offer)),
                                   "--yes", "--allow-http", "--lang", "fr")

    assert received.returncode == ExitStatus.NETWORK
    assert ("127.0.0.1 a répondu hors du protocole OpenID4VCI : son access_token contient des caractères "
            "qu'aucun jeton ne peut porter ; prévenez") in received.stderr, received.stderr
