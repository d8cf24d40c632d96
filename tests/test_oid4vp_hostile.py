"""`share --request` against a hostile verifier on 127.0.0.1: requests that are not requests, and
replies to the direct_post (OpenID4VP 1.0 §8.2) outside the protocol. What a learner must get:
a delivered answer said to be delivered, the reason there is no next step in one line, nothing
the verifier sent shown raw, and a documented exit code when it went wrong."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import test_requests
from test_requests import LOOPBACK, link

from skillpass.errors import ExitStatus, NetworkError
from skillpass.oid4vp.request import read_request

badges = test_requests.badges  # the fixture: a selective and a whole badge in the wallet

LDP_DCQL = {"credentials": [{"id": "course", "format": "ldp_vc", "meta": {"type_values": [["OpenBadgeCredential"]]},
                             "claims": [{"path": ["credentialSubject", "achievement", "name"]}]}]}


class Verifier:
    """A verifier whose every path answers what the test set in `answers`; it keeps what is posted."""

    def __init__(self) -> None:
        self.answers: dict[str, tuple[int, dict[str, str], bytes]] = {}
        self.posted: list[tuple[str, bytes]] = []
        answers, posted = self.answers, self.posted

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                status, headers, body = answers.get(self.path, (404, {}, b""))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802
                self._answer()

            def do_POST(self) -> None:  # noqa: N802
                posted.append((self.path, self.rfile.read(int(self.headers.get("content-length", "0")))))
                self._answer()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def link(self, path: str = "/response") -> str:
        uri = self.base + path
        return link(client_id=f"redirect_uri:{uri}", response_uri=uri, nonce="n-h", dcql_query=json.dumps(LDP_DCQL))


@pytest.fixture
def verifier() -> Iterator[Verifier]:
    peer = Verifier()
    yield peer
    peer.server.shutdown()
    peer.server.server_close()


def _share(cli: Any, badges: dict[str, str], verifier: Verifier, reply: tuple[int, dict[str, str], bytes],
           *extra: str) -> Any:
    verifier.answers["/response"] = reply
    return cli.with_passphrase("share", "--request", verifier.link(), badges["sd"], "--yes", "--allow-http", *extra)


JSON = {"content-type": "application/json"}


# -- the direct_post reply (§8.2) -----------------------------------------------------------------


def test_a_200_with_an_html_body_is_delivered_with_a_warning_and_nothing_of_it_shown(
        cli: Any, badges: dict[str, str], verifier: Verifier) -> None:
    page = b"<html><body>\x1b[2J\x1b]0;owned\x07Thanks! <script>x()</script></body></html>"
    answered = _share(cli, badges, verifier, (200, {"content-type": "text/html"}, page))

    assert answered.returncode == 0, answered.stderr
    assert "answered redirect_uri:" in answered.stderr and "replied with text/html, not the JSON" in answered.stderr
    assert "<html" not in answered.stderr and "\x1b" not in answered.stderr and "Thanks" not in answered.stderr
    assert len(verifier.posted) == 1
    [record] = cli.with_passphrase("history", "--json").json()
    assert record["via"] == "direct_post to 127.0.0.1"  # delivered: recorded


@pytest.mark.parametrize(("reply", "said"), [
    ((200, JSON, b"[1, 2]"), "its reply is not a JSON object"),
    ((200, JSON, b'"ok"'), "its reply is not a JSON object"),
    ((200, JSON, b"{not json\x1b[31m"), "its reply is not a JSON object"),
    ((200, {}, b"\xff\xfe garbage \x00"), "replied with no content type"),
    ((200, JSON, b'{"redirect_uri": 42}'), "its redirect_uri is not text"),
    ((200, JSON, b'{"redirect_uri": "http://evil.example/next"}'), "not a clean https address"),
    ((200, JSON, b'{"redirect_uri": "javascript:alert(1)"}'), "not a clean https address"),
    ((200, JSON, b'{"redirect_uri": "https://ok.example/\\u001b[2J"}'), "not a clean https address"),
    ((200, JSON, b'{"redirect_uri": "' + b"x" * (100 * 1024) + b'"}'), "more than 64 KiB"),
    ((200, JSON, b'{"redirect_uri": "https://ok.example/' + b"x" * 3000 + b'"}'), "not a clean https address"),
    ((200, JSON, b'{"error": "invalid_request"}'), "said it took the answer (200) but also sent an error "
                                                     "(invalid_request): ask the verifier whether"),
    ((200, JSON, b'{"error": "bad\\u001b[2J", "error_description": "evil"}'), "also sent an error: ask"),
])
def test_a_200_reply_outside_the_protocol_is_delivered_with_one_warning_and_no_next_step(
        cli: Any, badges: dict[str, str], verifier: Verifier, reply: Any, said: str) -> None:
    answered = _share(cli, badges, verifier, reply, "--json")

    assert answered.returncode == 0, answered.stderr
    result = answered.json()
    assert result["sent"] == {"status": 200, "redirectUri": None}
    [warning] = [w for w in result["warnings"] if "took the answer" in w]
    assert said in warning and "\x1b" not in warning and "evil" not in warning


def test_a_bare_200_and_a_json_object_without_redirect_uri_are_delivered_without_a_warning(
        cli: Any, badges: dict[str, str], verifier: Verifier) -> None:
    for reply in ((200, {}, b""), (200, JSON, b'{"status": "received"}')):
        answered = _share(cli, badges, verifier, reply, "--json")
        assert answered.returncode == 0, answered.stderr
        assert answered.json()["sent"] == {"status": 200, "redirectUri": None}
        assert not [w for w in answered.json()["warnings"] if "took the answer" in w]


def test_the_warning_is_in_french_with_french_typography(cli: Any, badges: dict[str, str],
                                                         verifier: Verifier) -> None:
    answered = _share(cli, badges, verifier, (200, {"content-type": "text/html"}, b"<p>merci</p>"), "--lang", "fr")

    assert answered.returncode == 0, answered.stderr
    assert "a répondu par text/html" in answered.stderr and "avertissement :" in answered.stderr, answered.stderr
    assert "/response : 1 attestation (direct_post)" in answered.stderr  # the label's colon too


def test_a_200_reply_with_an_error_is_a_warning_in_french_too(cli: Any, badges: dict[str, str],
                                                              verifier: Verifier) -> None:
    answered = _share(cli, badges, verifier, (200, JSON, b'{"error": "invalid_request"}'), "--lang", "fr")

    assert answered.returncode == 0, answered.stderr
    assert ("a aussi renvoyé une erreur (invalid_request) : demandez au vérificateur si votre réponse lui "
            "est parvenue") in " ".join(answered.stderr.split()), answered.stderr


def test_a_redirect_of_the_answer_is_not_followed_and_is_exit_14(cli: Any, badges: dict[str, str],
                                                                 verifier: Verifier) -> None:
    elsewhere = verifier.base.replace("127.0.0.1", "localhost") + "/collect"
    verifier.answers["/collect"] = (200, JSON, b"{}")
    for status in (302, 303, 307):
        answered = _share(cli, badges, verifier, (status, {"location": elsewhere}, b""))
        assert answered.returncode == ExitStatus.NETWORK, answered.stderr
        assert f"answered {status}, sending the answer elsewhere" in answered.stderr
    assert [path for path, _ in verifier.posted] == ["/response"] * 3  # never to /collect
    assert cli.with_passphrase("history", "--json").json() == []


def test_a_refusal_with_an_error_description_full_of_escapes_is_one_clean_line(
        cli: Any, badges: dict[str, str], verifier: Verifier) -> None:
    body = json.dumps({"error": "invalid_request", "error_description": "bad\x1b[2J\nnonce\x07"}).encode()
    answered = _share(cli, badges, verifier, (400, JSON, body))

    assert answered.returncode == ExitStatus.NETWORK
    assert "refused the answer (400: invalid_request" in answered.stderr
    assert "\x1b" not in answered.stderr and "\x07" not in answered.stderr
    assert len(answered.stderr.strip().splitlines()) == 1, answered.stderr  # the error and its hint


# -- a request that is not a request ------------------------------------------------------------


@pytest.mark.parametrize("body", [b"<html>not found</html>", b"\x00\xff garbage", b"aaa.bbb.ccc", b"[1, 2]",
                                  b"eyJhbGciOiJFUzI1NiJ9.bm90IGpzb24.c2ln"])
def test_a_request_uri_answering_garbage_is_a_network_error(verifier: Verifier, body: bytes) -> None:
    verifier.answers["/request"] = (200, {"content-type": "application/oauth-authz-req+jwt"}, body)
    by_reference = "openid4vp://?client_id=x509_san_dns:127.0.0.1&request_uri=" + verifier.base + "/request"

    for given in (by_reference, verifier.base + "/request"):
        with pytest.raises(NetworkError) as refused:
            read_request(given, None, LOOPBACK)
        assert refused.value.code == "E_NETWORK_BAD_ANSWER", refused.value.message
        assert refused.value.exit_status == ExitStatus.NETWORK and "127.0.0.1" in refused.value.message
        assert "\x00" not in refused.value.message and "<html" not in refused.value.message


@pytest.mark.parametrize(("body", "said"), [
    (b"<html>\x1b[31mOops</html>", "(neither a request object nor JSON)"),
    (b'{"error": "not_found", "error_description": "\\u001b[2Jgone"}', "(the request is none of an OpenID4VP request"),
    (b"{}", "(the request is none of an OpenID4VP request"),
    (b"[1, 2]", "(the request is not a JSON object)"),
])
def test_an_https_request_address_answering_no_request_is_one_line_and_exit_14(
        cli: Any, wallet_home: Any, verifier: Verifier, body: bytes, said: str) -> None:
    verifier.answers["/request"] = (200, JSON, body)
    answered = cli.with_passphrase("share", "--request", verifier.base + "/request", "--yes", "--allow-http")

    assert answered.returncode == ExitStatus.NETWORK, answered.stderr
    [line] = answered.stderr.strip().splitlines()
    assert line.startswith("skillpass: error: 127.0.0.1 answered with something that is not a presentation "
                           f"request {said}") and "ask the verifier for a new link" in line, line
    assert "\x1b" not in line and "Oops" not in line and "gone" not in line and "line 1" not in line


def test_the_same_json_from_a_file_is_the_learners_bad_input(cli: Any, wallet_home: Any, tmp_path: Any) -> None:
    for body in (b"{}", b"<html>"):
        (tmp_path / "request.json").write_bytes(body)
        answered = cli.with_passphrase("share", "--request", str(tmp_path / "request.json"), "--yes")
        assert answered.returncode == ExitStatus.BAD_INPUT, answered.stderr


def test_share_request_with_a_request_uri_answering_garbage_exits_14(cli: Any, wallet_home: Any,
                                                                     verifier: Verifier) -> None:
    verifier.answers["/request"] = (200, {"content-type": "text/html"}, b"<html>\x1b[31mOops</html>")
    answered = cli.with_passphrase("share", "--request", "openid4vp://?client_id=x509_san_dns:127.0.0.1"
                                   f"&request_uri={verifier.base}/request", "--yes", "--allow-http")

    assert answered.returncode == ExitStatus.NETWORK, answered.stderr
    assert "127.0.0.1 answered with something that is not a presentation request" in answered.stderr
    assert "\x1b" not in answered.stderr and "Oops" not in answered.stderr


def test_a_request_address_answering_more_than_a_request_may_be_is_refused_while_it_streams(
        verifier: Verifier) -> None:
    verifier.answers["/request"] = (200, JSON, b"{" + b" " * (300 * 1024) + b"}")
    by_reference = "openid4vp://?client_id=x509_san_dns:127.0.0.1&request_uri=" + verifier.base + "/request"

    for given in (by_reference, verifier.base + "/request"):
        with pytest.raises(NetworkError, match="127.0.0.1 sent more than 256 KiB") as refused:
            read_request(given, None, LOOPBACK)
        assert refused.value.code == "E_NETWORK_TOO_LARGE" and refused.value.exit_status == ExitStatus.NETWORK


def test_what_is_wrong_with_a_request_is_said_in_french(cli: Any, wallet_home: Any) -> None:
    refused = cli.with_passphrase("share", "--request", link(nonce=None), "--yes", "--lang", "fr")

    assert refused.returncode == ExitStatus.BAD_INPUT
    assert "la demande n'a pas de nonce (§5.2) : une réponse pourrait être rejouée ; demandez" in refused.stderr, \
        refused.stderr
