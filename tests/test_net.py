"""The network rules, against a server on 127.0.0.1: https only, http to loopback only when
allowed, redirects checked and bounded, responses bounded while they stream, one line a failure."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from skillpass.encoding.plain_text import unsafe_character
from skillpass.errors import ExitStatus, NetworkError
from skillpass.net.http import NetPolicy, check_url, get, post_form

LOOPBACK = NetPolicy(allow_http=True, timeout=3, max_bytes=4096, max_redirects=2)


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        routes = {"/ok": (200, {}, b'{"a": 1}'), "/big": (200, {}, b"x" * 10_000),
                  "/to-ok": (302, {"Location": "/ok"}, b""), "/loop": (302, {"Location": "/loop"}, b""),
                  "/to-remote-http": (302, {"Location": "http://example.org/x"}, b""),
                  "/cookie": (200, {"Set-Cookie": "a=b"}, b"{}"), "/bad-json": (200, {"Content-Type": "application/json"}, b"{nope"),
                  "/html": (200, {"Content-Type": "text/html; charset=utf-8"}, b"<html>\x1b[2J</html>")}
        if self.path.startswith("/gzip"):
            return self._compressed()
        if self.path == "/trickle":
            return self._trickle()
        if self.path == "/trickle-headers":
            return self._trickle_headers()
        status, headers, body = routes.get(self.path, (404, {}, b""))
        if self.path == "/echo-cookie":
            status, body = 200, (self.headers.get("Cookie") or "none").encode()
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _compressed(self) -> None:
        """Gzip the server chose, whatever the client asked for (it says what it asked in a header)."""
        import gzip

        body = {"/gzip": gzip.compress(b'{"a": 1}'), "/gzip-bomb": gzip.compress(b"\0" * (8 * 1024 * 1024)),
                "/gzip-broken": b"\x1f\x8b\x08\x00garbage"}[self.path]
        self.send_response(200)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("X-Asked", self.headers.get("Accept-Encoding", ""))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _trickle(self) -> None:
        """A peer that sends its answer a byte at a time, each well within the read timeout."""
        self.send_response(200)
        self.send_header("Content-Length", "1000")
        self.end_headers()
        for _ in range(40):
            try:
                self.wfile.write(b" ")
                self.wfile.flush()
            except OSError:
                return
            time.sleep(0.2)

    def _trickle_headers(self) -> None:
        """A peer that sends its status line and headers a byte at a time, each well within the
        read timeout, then an empty body: the answer is whole only after 8 s."""
        head = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n" + b"X-Slow: " + b"a" * 30 + b"\r\n\r\n"
        for i in range(len(head)):
            try:
                self.wfile.write(head[i:i + 1])
                self.wfile.flush()
            except OSError:
                return
            time.sleep(8 / len(head))
        self.close_connection = True

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        port = self.server.server_address[1]
        status, location = {"/see-other": (303, "/ok"), "/resend-here": (307, "/echo"),
                            "/resend-elsewhere": (307, f"http://localhost:{port}/echo"),
                            "/moved-elsewhere": (308, f"http://localhost:{port}/echo")}.get(self.path, (200, "/ok"))
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_http_goes_to_loopback_only_and_only_when_allowed(base: str) -> None:
    assert get(base + "/ok", LOOPBACK).json() == {"a": 1}
    with pytest.raises(NetworkError, match="https only") as refused:
        get(base + "/ok", NetPolicy())
    assert refused.value.exit_status == ExitStatus.NETWORK and refused.value.code == "E_NOT_HTTPS"
    with pytest.raises(NetworkError, match="loopback"):
        check_url("http://example.org/x", LOOPBACK)
    for url in ("ftp://example.org/x", "file:///etc/passwd", "https:///nohost", "javascript:alert(1)"):
        with pytest.raises(NetworkError):
            check_url(url, LOOPBACK)
    assert check_url("https://issuer.example/x", NetPolicy()) == "https://issuer.example/x"


def test_redirects_are_followed_checked_and_bounded(base: str) -> None:
    assert get(base + "/to-ok", LOOPBACK).json() == {"a": 1}
    with pytest.raises(NetworkError, match="redirected more than 2"):
        get(base + "/loop", LOOPBACK)
    with pytest.raises(NetworkError, match="loopback addresses only"):
        get(base + "/to-remote-http", LOOPBACK)
    answered = post_form(base + "/see-other", {"code": "1"}, LOOPBACK)
    assert answered.json() == {"a": 1}  # 303: the form is not sent again


def test_a_post_is_sent_again_by_a_307_or_308_only_to_the_same_origin(base: str) -> None:
    assert post_form(base + "/resend-here", {"code": "1"}, LOOPBACK).body == b"code=1"
    for path in ("/resend-elsewhere", "/moved-elsewhere"):  # the form (a code, a presentation) stays home
        with pytest.raises(NetworkError, match="sent the request on to localhost") as refused:
            post_form(base + path, {"code": "1"}, LOOPBACK)
        assert refused.value.code == "E_NETWORK_REDIRECTS" and refused.value.exit_status == ExitStatus.NETWORK


def test_responses_are_bounded_and_cookies_not_kept(base: str) -> None:
    with pytest.raises(NetworkError, match="more than 4 KiB") as big:
        get(base + "/big", LOOPBACK)
    assert big.value.code == "E_NETWORK_TOO_LARGE"
    get(base + "/cookie", LOOPBACK)
    assert get(base + "/echo-cookie", LOOPBACK).body == b"none"
    with pytest.raises(NetworkError, match="JSON") as bad:
        get(base + "/bad-json", LOOPBACK).json()
    assert bad.value.exit_status == ExitStatus.NETWORK
    with pytest.raises(NetworkError, match="answered with text/html, not the JSON skillpass asked for") as page:
        get(base + "/html", LOOPBACK).json()
    assert page.value.code == "E_NETWORK_BAD_ANSWER" and "\x1b" not in page.value.message


@pytest.mark.parametrize(("url", "said"), [("https://", "the address 'https://' names no host"),
                                         ("https:///path", "names no host"), ("http://", "names no host"),
                                         ("", "an address skillpass was given to connect to is empty")])
def test_an_address_without_a_host_says_so(url: str, said: str) -> None:
    with pytest.raises(NetworkError, match=said) as refused:
        check_url(url, LOOPBACK)
    assert refused.value.code == "E_BAD_URL" and "https only" not in refused.value.message
    assert refused.value.hint


def test_answers_are_asked_uncompressed_and_a_compressed_one_is_inflated_within_the_bound(base: str) -> None:
    answered = get(base + "/gzip", LOOPBACK)
    assert answered.headers["x-asked"] == "identity" and answered.json() == {"a": 1}
    # 8 MiB of zeros in 8 KiB: refused at 4 KiB of output, the decoder never asked for more
    with pytest.raises(NetworkError, match="more than 4 KiB") as bomb:
        get(base + "/gzip-bomb", LOOPBACK)
    assert bomb.value.code == "E_NETWORK_TOO_LARGE"
    with pytest.raises(NetworkError, match="does not decompress") as broken:
        get(base + "/gzip-broken", LOOPBACK)
    assert broken.value.exit_status == ExitStatus.NETWORK


def test_a_peer_trickling_its_answer_cannot_hold_the_request_past_the_deadline(base: str) -> None:
    # each byte comes within the 3 s read timeout; the whole answer would take 8 s
    with pytest.raises(NetworkError, match="did not answer within 1 s") as slow:
        get(base + "/trickle", NetPolicy(allow_http=True, timeout=3, deadline=1))
    assert slow.value.code == "E_NETWORK_TIMEOUT" and slow.value.exit_status == ExitStatus.NETWORK


def test_a_peer_trickling_its_headers_cannot_hold_the_request_past_the_deadline(base: str) -> None:
    # the headers take 8 s, each byte within the 3 s read timeout, and the body is empty: only a
    # deadline that covers the headers, not just the body, ends this request
    with pytest.raises(NetworkError, match="did not answer within 1 s") as slow:
        get(base + "/trickle-headers", NetPolicy(allow_http=True, timeout=3, deadline=1))
    assert slow.value.code == "E_NETWORK_TIMEOUT" and slow.value.exit_status == ExitStatus.NETWORK


def test_an_unreachable_host_is_one_line(base: str) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(NetworkError, match="cannot reach 127.0.0.1") as failed:
        get(f"http://127.0.0.1:{port}/x", LOOPBACK)
    assert failed.value.hint


@pytest.mark.parametrize("url", ["https://x.example/\x1b[31mred", "https://x.example/a b", "https://x.example/\x85",
                                 "https://x.example/\x7f", "https://x.example/\n"])
def test_an_address_with_control_characters_is_refused_before_any_request(url: str) -> None:
    with pytest.raises(NetworkError) as refused:
        check_url(url, NetPolicy())
    assert refused.value.code == "E_BAD_URL" and "\x1b" not in refused.value.message


@pytest.mark.parametrize("url", ["https://x.example/\u202eexe.fdp", "https://x.example\u200b/", "https://x.example/\ufeff"])
def test_an_address_with_a_bidi_control_or_an_invisible_character_is_refused(url: str) -> None:
    with pytest.raises(NetworkError, match="has spaces or control characters") as refused:
        check_url(url, NetPolicy())
    assert refused.value.code == "E_BAD_URL" and unsafe_character(refused.value.message) is None


@pytest.mark.parametrize("space", ["\u00a0", "\u2000", "\u2005", "\u200a", "\u3000", "\ufeff", "\u1680", "\u202f",
                                   "\u205f"])
def test_an_address_with_a_unicode_space_is_refused_as_a_space_is(space: str) -> None:
    # a no-break or ideographic space reads as a plain space, or as nothing: another address
    for url in (f"https://x.example/a{space}b", f"https://x{space}example/", f"https://x.example/?q={space}"):
        with pytest.raises(NetworkError, match="has spaces or control characters") as refused:
            check_url(url, NetPolicy())
        assert refused.value.code == "E_BAD_URL" and refused.value.exit_status == ExitStatus.NETWORK
        assert space not in refused.value.message  # named by its escape, not shown as a space


@pytest.mark.parametrize("url", ["https://[::1/x", "https://x.example:99999/", "https://x.example:ab/",
                                 "https://a..example/", "https://\u2603.example/"])
def test_an_address_that_is_no_web_address_is_one_line_not_an_internal_error(url: str) -> None:
    with pytest.raises(NetworkError, match="is not a valid web address") as refused:
        get(url, NetPolicy())
    assert refused.value.code == "E_BAD_URL" and refused.value.exit_status == ExitStatus.NETWORK
