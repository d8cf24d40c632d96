"""The one door to the network: every request `receive` and `share --request` make goes here.

Rules (README, "Network"): https only; plain http only with `allow_http` and only to a loopback
address (tests); redirects followed by hand, at most `max_redirects`, each target checked by the
same rules (never down to http); a timeout on every phase and a deadline on the whole (every
connect, TLS handshake, read and write of the socket waits at most what is left of it, so a peer
trickling its status line, headers or body a byte at a time is cut off at the deadline); a
response larger than `max_bytes` refused while it streams in, so a hostile server cannot fill
memory; a fresh client per request, so no cookie outlives it; no proxy from the environment:
connections go only to the hosts named. Certificates are checked against httpx's bundle
(certifi), or the bundle `SSL_CERT_FILE` names, or `ca_file`. Every failure is one NetworkError
line (exit 14) naming the host and what to do.
"""

from __future__ import annotations

import ipaddress
import json
import time
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from skillpass.encoding.plain_text import has_space, unsafe_character
from skillpass.errors import BadInputError, NetworkError

if TYPE_CHECKING:
    import httpx

MAX_BYTES = 2 * 1024 * 1024
USER_AGENT = "skillpass"


@dataclass(frozen=True)
class NetPolicy:
    allow_http: bool = False  # plain http to loopback addresses only: --allow-http, for tests
    timeout: float = 15.0  # seconds, for each of connect, read, write
    deadline: float = 60.0  # seconds for a whole request, redirects included: a peer that trickles
    #                         its answer a byte at a time never trips the read timeout
    max_bytes: int = MAX_BYTES
    max_redirects: int = 3
    ca_file: Path | None = None  # trust this bundle instead of the system's

    def at_most(self, max_bytes: int) -> NetPolicy:
        """This policy refusing, while it streams in, an answer larger than `max_bytes` (never a
        larger bound than its own): what one kind of answer may be."""
        from dataclasses import replace

        return replace(self, max_bytes=min(self.max_bytes, max_bytes))


@dataclass(frozen=True)
class Response:
    status: int
    url: str  # after redirects
    headers: Mapping[str, str] = field(repr=False)
    body: bytes = field(repr=False)
    cut: bool = False  # larger than max_bytes and dropped unread (request(..., cut=True) only)

    def json(self) -> Any:
        """The body as JSON, read by the strict parser (bounded depth and size)."""
        from skillpass.ingest import parse_json

        try:
            return parse_json(self.body)
        except BadInputError as exc:
            if "json" not in self.content_type:  # a web page, an error page: not "JSON it cannot read"
                kind = self.content_type[:40] or "no content type"
                raise NetworkError(f"{host_of(self.url)} answered with {kind}, not the JSON skillpass asked for",
                                   "tell whoever runs that service", code="E_NETWORK_BAD_ANSWER") from None
            raise NetworkError(f"{host_of(self.url)} answered with JSON skillpass cannot read ({exc.message})",
                               "tell whoever runs that service", code="E_NETWORK_BAD_ANSWER") from None

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


def check_url(url: str, policy: NetPolicy) -> str:
    """`url` if the rules allow a request to it; NetworkError E_NOT_HTTPS otherwise (E_BAD_URL
    for an address with a space of any kind or a control character, which no request may carry,
    or no host)."""
    if _unfit_character(url):
        raise NetworkError(f"the address {url[:120]!r} has spaces or control characters",
                           "ask for the address as the issuer or verifier publishes it", code="E_BAD_URL")
    try:
        parts = urlsplit(url)  # "https://[::1": ValueError
        scheme, host = parts.scheme.lower(), parts.hostname or ""
        _ = parts.port, host.encode("idna")  # a port that is no number or past 65535; "a..b"
    except ValueError:  # UnicodeError is one
        raise _not_an_address(url) from None
    if not url:
        raise NetworkError("an address skillpass was given to connect to is empty",
                           "ask the issuer or verifier for its https address", code="E_BAD_URL")
    if scheme in ("https", "http") and not host:
        raise NetworkError(f"the address {url[:120]!r} names no host", "ask for the whole https address, "
                           "host included, as the issuer or verifier publishes it", code="E_BAD_URL")
    if scheme == "https" and host:
        return url
    if scheme == "http" and host and policy.allow_http and is_loopback(host):
        return url
    if scheme == "http" and host and policy.allow_http:
        raise NetworkError(f"plain http is allowed to loopback addresses only, not {host}",
                           "use the https address", code="E_NOT_HTTPS")
    raise NetworkError(f"skillpass connects over https only, not to {url[:120]!r}",
                       "ask for the https address", code="E_NOT_HTTPS")


def _unfit_character(url: str) -> bool:
    """Whether `url` has a character no address may carry: a control, a bidi override, a
    zero-width space or a BOM (not plain text), or a space of any kind (Unicode's Zs: U+0020, the
    no-break space U+00A0, U+2000-U+200A, U+3000...), which a browser percent-encodes or refuses
    and a reader takes for a plain space or for nothing: an address that looks like another."""
    return unsafe_character(url) is not None or has_space(url)


def _not_an_address(url: str) -> NetworkError:
    return NetworkError(f"the address {url[:120]!r} is not a valid web address",
                        "ask for the address as the issuer or verifier publishes it", code="E_BAD_URL")


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_of(url: str) -> str:
    return urlsplit(url).hostname or url[:60]


def get(url: str, policy: NetPolicy, *, headers: Mapping[str, str] | None = None) -> Response:
    return request("GET", url, policy, headers=headers)


def post_form(url: str, form: Mapping[str, str], policy: NetPolicy, *,
              headers: Mapping[str, str] | None = None, follow: bool = True, cut: bool = False) -> Response:
    return request("POST", url, policy, headers=headers, form=form, follow=follow, cut=cut)


def post_json(url: str, body: Any, policy: NetPolicy, *, headers: Mapping[str, str] | None = None) -> Response:
    return request("POST", url, policy, headers={"content-type": "application/json", **(headers or {})},
                   content=json.dumps(body, ensure_ascii=False).encode("utf-8"))


def request(method: str, url: str, policy: NetPolicy, *, headers: Mapping[str, str] | None = None,
            form: Mapping[str, str] | None = None, content: bytes | None = None, follow: bool = True,
            cut: bool = False) -> Response:
    """One request by the rules above, following redirects by hand (a POST answered 303 goes on
    as a GET, RFC 9110 §15.4.4; a 307 or 308 sends the body again, so only to the same origin);
    the final response whatever its status. `follow=False`: the first response, redirect or not.
    `cut=True`: a body over max_bytes comes back dropped (`Response.cut`) instead of refused."""
    import httpx

    target = check_url(url, policy)
    deadline = time.monotonic() + policy.deadline
    # identity: answers are small JSON, and a compressed one could expand a thousandfold in one read
    sent = {"user-agent": USER_AGENT, "accept-encoding": "identity", **(headers or {})}
    try:
        with httpx.Client(timeout=policy.timeout, follow_redirects=False,
                          transport=_transport(policy, deadline)) as client:
            for _ in range(policy.max_redirects + 1):
                response = _send(client, method, target, sent, form, content, policy, deadline, cut)
                location = response.headers.get("location")
                if not follow or response.status not in (301, 302, 303, 307, 308) or not location:
                    return response
                came_from, target = target, check_url(urljoin(target, location), policy)
                if response.status == 303 or (response.status in (301, 302) and method == "POST"):
                    method, form, content = "GET", None, None
                elif method != "GET" and _origin(target) != _origin(came_from):
                    raise NetworkError(f"{host_of(came_from)} sent the request on to {host_of(target)}",
                                       "skillpass sends what it posts only to the host it was meant for: "
                                       "tell whoever runs that service", code="E_NETWORK_REDIRECTS")
    except httpx.TimeoutException:
        if time.monotonic() >= deadline:
            raise _past_deadline(target, policy) from None
        raise NetworkError(f"{host_of(target)} did not answer within {policy.timeout:g} s",
                           "try again later", code="E_NETWORK_TIMEOUT") from None
    except httpx.ConnectError as exc:
        raise _connect_error(target, exc) from None
    except httpx.InvalidURL:  # a host IDNA 2008 refuses (an emoji), which urlsplit took
        raise _not_an_address(target) from None
    except httpx.HTTPError as exc:
        raise NetworkError(f"the connection to {host_of(target)} failed ({type(exc).__name__})",
                           "try again later", code="E_NETWORK") from None
    raise NetworkError(f"{host_of(url)} redirected more than {policy.max_redirects} times",
                       "tell whoever runs that service", code="E_NETWORK_REDIRECTS")


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme.lower(), (parts.hostname or "").lower(), parts.port


def _send(client: Any, method: str, url: str, headers: Mapping[str, str], form: Mapping[str, str] | None,
          content: bytes | None, policy: NetPolicy, deadline: float, cut: bool = False) -> Response:
    with client.stream(method, url, headers=dict(headers), data=dict(form) if form is not None else None,
                       content=content) as streamed:
        status, final, received = streamed.status_code, str(streamed.url), {
            k.lower(): v for k, v in streamed.headers.items()}
        declared = streamed.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > policy.max_bytes:
            return _over_the_limit(Response(status, final, received, b"", cut=True), cut, policy)
        body = bytearray()
        decoder = _decoder(url, streamed.headers.get("content-encoding", ""))
        for raw in streamed.iter_raw():
            # at most one byte past the limit comes out of the decoder, whatever the ratio
            try:
                chunk = decoder.decompress(raw, policy.max_bytes + 1 - len(body)) if decoder is not None else raw
            except zlib.error:
                raise _undecodable(url) from None
            body += chunk
            if len(body) > policy.max_bytes:
                return _over_the_limit(Response(status, final, received, b"", cut=True), cut, policy)
            if time.monotonic() > deadline:
                raise _past_deadline(url, policy)
        if decoder is not None and not decoder.eof:
            raise _undecodable(url)
        return Response(status, final, received, bytes(body))


def _over_the_limit(dropped: Response, cut: bool, policy: NetPolicy) -> Response:
    """An answer larger than max_bytes: dropped unread when the caller asked (`cut`), else refused."""
    if cut:
        return dropped
    raise _too_large(dropped.url, policy)


def _decoder(url: str, content_encoding: str) -> Any:
    """A zlib decoder for a gzip or deflate body a server sent unasked, None for identity: decoded
    here, bounded by max_bytes, not by httpx, which inflates each read whole."""
    encoding = content_encoding.strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip", "deflate"):
        return zlib.decompressobj(zlib.MAX_WBITS | 32)  # +32: a gzip or zlib header, told apart by it
    raise NetworkError(f"{host_of(url)} sent its answer in an encoding skillpass does not read ({encoding[:40]})",
                       "tell whoever runs that service", code="E_NETWORK_BAD_ANSWER")


def _undecodable(url: str) -> NetworkError:
    return NetworkError(f"{host_of(url)} sent a compressed answer that does not decompress",
                        "tell whoever runs that service", code="E_NETWORK_BAD_ANSWER")


def _past_deadline(url: str, policy: NetPolicy) -> NetworkError:
    return NetworkError(f"{host_of(url)} did not answer within {policy.deadline:g} s",
                        "try again later", code="E_NETWORK_TIMEOUT")


def _transport(policy: NetPolicy, deadline: float) -> httpx.HTTPTransport:
    """httpx's transport over a connection pool whose sockets never wait past `deadline`.

    httpx has no deadline of its own: its read timeout restarts with every byte, and the body
    loop in _send sees the clock only between chunks, never while the status line and headers
    come in. The pool's network backend is httpcore's public seam for this."""
    import ssl

    import httpcore
    import httpx

    class Transport(httpx.HTTPTransport):
        def __init__(self) -> None:  # the parent builds nothing but `_pool`, which this replaces
            context = (ssl.create_default_context(cafile=str(policy.ca_file)) if policy.ca_file
                       else httpx.create_ssl_context())
            self._pool = httpcore.ConnectionPool(ssl_context=context, network_backend=_DeadlineBackend(deadline))

    return Transport()


def _left(deadline: float, timeout: float | None) -> float:
    """The longest one socket operation may wait: its timeout, or less when the deadline is nearer."""
    import httpcore

    left = deadline - time.monotonic()
    if left <= 0:
        raise httpcore.ReadTimeout("past the deadline")  # httpx: a TimeoutException, as any other
    return left if timeout is None else min(timeout, left)


class _DeadlineStream:
    """A socket stream (httpcore.NetworkStream) whose every wait is cut to what is left of the deadline."""

    def __init__(self, stream: Any, deadline: float) -> None:
        self._stream, self._deadline = stream, deadline

    def _left(self, timeout: float | None) -> float:
        return _left(self._deadline, timeout)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return bytes(self._stream.read(max_bytes, self._left(timeout)))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._left(timeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> _DeadlineStream:
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, self._left(timeout)),
                               self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _DeadlineBackend:
    """httpcore's socket backend (httpcore.NetworkBackend), each connection a _DeadlineStream."""

    def __init__(self, deadline: float) -> None:
        import httpcore

        self._backend, self._deadline = httpcore.SyncBackend(), deadline

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Any = None) -> _DeadlineStream:
        stream = self._backend.connect_tcp(host, port, _left(self._deadline, timeout), local_address, socket_options)
        return _DeadlineStream(stream, self._deadline)

    def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options: Any = None) -> Any:
        raise NotImplementedError  # httpcore asks for it only when given a unix socket path, which skillpass never is

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


def _too_large(url: str, policy: NetPolicy) -> NetworkError:
    return NetworkError(f"{host_of(url)} sent more than {policy.max_bytes // 1024} KiB",
                        "tell whoever runs that service", code="E_NETWORK_TOO_LARGE")


def _connect_error(url: str, exc: Exception) -> NetworkError:
    text = str(exc)
    if "CERTIFICATE" in text.upper() or "SSL" in text.upper():
        return NetworkError(f"the TLS certificate of {host_of(url)} could not be verified",
                            "check the address; a test server's CA goes in SSL_CERT_FILE", code="E_TLS")
    return NetworkError(f"cannot reach {host_of(url)}", "check the address and your connection",
                        code="E_NETWORK_UNREACHABLE")
