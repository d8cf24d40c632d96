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


def test_share_request_with_a_request_uri_answering_garbage_exits_14(cli: Any, wallet_home: Any,
                                                                     verifier: Verifier) -> None:
    verifier.answers["/request"] = (200, {"content-type": "text/html"}, b"<html>\x1b[31mOops</html>")
    answered = cli.with_passphrase("share", "--request", "openid4vp://?client_id=x509_san_dns:127.0.0.1"
                                   f"&request_uri={verifier.base}/request", "--yes", "--allow-http")

    assert answered.returncode == ExitStatus.NETWORK, answered.stderr
    assert "127.0.0.1 answered with something that is not a presentation request" in answered.stderr
    assert "\x1b" not in answered.stderr and "Oops" not in answered.stderr
