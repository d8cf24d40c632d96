"""The authorization code flow of OpenID4VCI 1.0 (§3.4, §5), as a native app does it (RFC 8252):
PKCE S256 (RFC 7636), a random `state`, a loopback redirect URI served by a one-shot listener on
127.0.0.1 (RFC 8252 §7.3), the request pushed first when the server has a PAR endpoint (RFC 9126),
then the learner signs in in their own browser. Returns the authorization code.

The loopback listener is the only socket skillpass ever listens on: bound to 127.0.0.1 on a port the
OS picks, it answers GET /callback once (anything else gets a plain 404 page and does not count),
checks `state` before reading anything else (RFC 6749 §10.12: a callback for another request is
refused and ends the flow), and stops. Its pages are fixed text: nothing from the request is echoed.
"""

from __future__ import annotations

import hashlib
import http.server
import json
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Self
from urllib.parse import parse_qs, urlencode, urlsplit

from skillpass.errors import CancelledError, NetworkError
from skillpass.net.http import NetPolicy, check_url, host_of, post_form

CLIENT_ID = "skillpass"  # a public native client (RFC 8252 §8.4): no secret, PKCE instead
CALLBACK_PATH = "/callback"
PAGE_DONE = "Signed in. You can close this window and go back to skillpass.\n"
PAGE_REFUSED = "skillpass refused this answer: it does not belong to the sign-in skillpass started.\n"
PAGE_DENIED = "The issuer did not authorize skillpass. You can close this window.\n"
PAGE_NOT_FOUND = "Not found.\n"


# -- RFC 7636 PKCE ---------------------------------------------------------------------------------


def code_verifier() -> str:
    """§4.1: 32 random octets, base64url (43 characters of the unreserved set)."""
    return secrets.token_urlsafe(32)


def code_challenge(verifier: str) -> str:
    """§4.2 S256: BASE64URL(SHA256(ASCII(code_verifier))), no padding."""
    from skillpass.keys.multibase import b64url_encode

    return b64url_encode(hashlib.sha256(verifier.encode("ascii")).digest())


# -- the authorization request (§5.1, RFC 9126) -----------------------------------------------------


def request_parameters(configurations: dict[str, dict[str, Any]], configuration_ids: tuple[str, ...],
                       issuer_state: str | None, redirect_uri: str, state: str, challenge: str) -> dict[str, str]:
    """§5.1.1 authorization_details of type openid_credential (one per configuration), or §5.1.2
    `scope` when every offered configuration names one; issuer_state as the offer gave it."""
    parameters = {"response_type": "code", "client_id": CLIENT_ID, "redirect_uri": redirect_uri, "state": state,
                  "code_challenge": challenge, "code_challenge_method": "S256"}
    scopes = [configurations.get(cid, {}).get("scope") for cid in configuration_ids]
    if all(isinstance(s, str) and s and " " not in s for s in scopes):
        parameters["scope"] = " ".join(dict.fromkeys(str(s) for s in scopes))
    else:
        parameters["authorization_details"] = json.dumps(
            [{"type": "openid_credential", "credential_configuration_id": cid} for cid in configuration_ids],
            separators=(",", ":"))
    if issuer_state is not None:
        parameters["issuer_state"] = issuer_state
    return parameters


def authorization_url(server: Any, parameters: dict[str, str], policy: NetPolicy) -> str:
    """The address the browser opens: by reference after PAR (RFC 9126 §4) when the server has a
    PAR endpoint, else the parameters in the query (RFC 6749 §4.1.1)."""
    if server.authorization_endpoint is None:
        raise _bad(server.issuer, "its authorization server metadata has no authorization_endpoint")
    endpoint = check_url(server.authorization_endpoint, policy)
    if server.pkce_methods is not None and "S256" not in server.pkce_methods:
        raise _bad(server.issuer, "its authorization server does not support PKCE S256")
    if server.par_endpoint is None:
        if server.require_par:
            raise _bad(server.issuer, "it requires pushed authorization requests but names no PAR endpoint")
        return _with_query(endpoint, parameters)
    # RFC 9126 §2.1: the same parameters, POSTed; §2.2: 201 with request_uri and expires_in
    response = post_form(check_url(server.par_endpoint, policy), parameters, policy,
                         headers={"accept": "application/json"})
    body = response.json() if response.body.strip() and "json" in response.content_type else {}
    if response.status not in (200, 201) or not isinstance(body, dict):
        detail = str(body.get("error", ""))[:60] if isinstance(body, dict) else ""
        raise NetworkError(f"{host_of(server.par_endpoint)} refused the authorization request "
                           f"({response.status}{', ' + detail if detail else ''})",
                           "ask the issuer for a new offer", code="E_OID4VCI_AUTHORIZATION")
    request_uri = body.get("request_uri")
    if not isinstance(request_uri, str) or not request_uri or len(request_uri) > 2000:
        raise _bad(server.par_endpoint, "its pushed authorization response has no request_uri")
    return _with_query(endpoint, {"client_id": parameters["client_id"], "request_uri": request_uri})


def _with_query(endpoint: str, parameters: dict[str, str]) -> str:
    return endpoint + ("&" if urlsplit(endpoint).query else "?") + urlencode(parameters)


# -- the loopback redirect (RFC 8252 §7.3) ---------------------------------------------------------


@dataclass
class CallbackOutcome:
    code: str | None = None
    error: Exception | None = None


class CallbackServer:
    """A one-shot listener on 127.0.0.1:<free port>/callback for one expected `state`."""

    def __init__(self, state: str, issuer: str | None = None, *, request_timeout: float = 10.0) -> None:
        self._state, self._issuer = state, issuer
        self._done = threading.Event()
        self._outcome = CallbackOutcome()
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            timeout = request_timeout  # a connection that sends nothing (a browser's preconnect) is dropped
            server_version, sys_version = "skillpass", ""

            def do_GET(self) -> None:
                owner._answer(self)

            def do_POST(self) -> None:
                self._plain(405, PAGE_NOT_FOUND)

            do_PUT = do_DELETE = do_HEAD = do_POST

            def _plain(self, status: int, text: str) -> None:
                _send_plain(self, status, text)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # nothing of the request reaches the terminal

        self._server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self._server.timeout = 0.2  # handle_request returns this often, to notice the deadline
        self.redirect_uri = f"http://127.0.0.1:{self._server.server_address[1]}{CALLBACK_PATH}"
        self._thread = threading.Thread(target=self._serve, name="skillpass-callback", daemon=True)
        self._stopping = False

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stopping = True
        self._thread.join(timeout=5)
        self._server.server_close()

    def _serve(self) -> None:
        while not self._done.is_set() and not self._stopping:
            self._server.handle_request()

    def wait(self, timeout: float) -> str:
        """The authorization code, or the error the callback carried; CancelledError after `timeout`."""
        if not self._done.wait(timeout):
            raise CancelledError(f"no answer from the sign-in within {timeout:g} s",
                                 "run receive again and sign in in the browser, or pass a longer --timeout")
        if self._outcome.error is not None:
            raise self._outcome.error
        assert self._outcome.code is not None
        return self._outcome.code

    def _answer(self, handler: http.server.BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        if parts.path != CALLBACK_PATH or self._done.is_set():
            return _send_plain(handler, 404, PAGE_NOT_FOUND)
        query = parse_qs(parts.query, keep_blank_values=True)

        def one(name: str) -> str | None:
            values = query.get(name)
            return values[0] if values and len(values) == 1 else None

        status, page, outcome = _callback(one, self._state, self._issuer)
        _send_plain(handler, status, page)
        self._outcome = outcome
        self._done.set()


def _callback(one: Callable[[str], str | None], state: str, issuer: str | None) -> tuple[int, str, CallbackOutcome]:
    """RFC 6749 §4.1.2: state first, then RFC 9207 iss, then error or code."""
    # 1. state: the callback answers this request, or it is refused
    got = one("state")
    if got is None or not secrets.compare_digest(got.encode("utf-8", "replace"), state.encode("ascii")):
        return 400, PAGE_REFUSED, CallbackOutcome(error=NetworkError(
            "the sign-in answer did not carry this request's state, so it was refused",
            "run receive again; if it repeats, something else on this computer answered", code="E_OID4VCI_STATE"))
    # 2. RFC 9207: the server that answered is the one asked (a mix-up otherwise)
    iss = one("iss")
    if issuer is not None and iss is not None and iss != issuer:
        return 400, PAGE_REFUSED, CallbackOutcome(error=NetworkError(
            "the sign-in answer came from another authorization server", "ask the issuer for a new offer",
            code="E_OID4VCI_STATE"))
    # 3. an error: denied is the learner's (or the issuer's) no
    error = one("error")
    if error is not None:
        if error == "access_denied":
            return 200, PAGE_DENIED, CallbackOutcome(error=CancelledError(
                "the authorization was denied at the issuer: nothing received", "run receive again to retry"))
        from skillpass.render.text import visible

        return 200, PAGE_DENIED, CallbackOutcome(error=NetworkError(
            f"the issuer's sign-in ended with {visible(error[:60])}", "ask the issuer for a new offer",
            code="E_OID4VCI_AUTHORIZATION"))
    code = one("code")
    if not code or len(code) > 4096:
        return 400, PAGE_REFUSED, CallbackOutcome(error=NetworkError(
            "the sign-in answer carried no authorization code", "ask the issuer for a new offer",
            code="E_OID4VCI_AUTHORIZATION"))
    return 200, PAGE_DONE, CallbackOutcome(code=code)


def _send_plain(handler: http.server.BaseHTTPRequestHandler, status: int, text: str) -> None:
    body = text.encode("utf-8")
    handler.send_response(status)
    handler.send_header("content-type", "text/plain; charset=utf-8")
    handler.send_header("content-length", str(len(body)))
    handler.send_header("cache-control", "no-store")
    handler.send_header("referrer-policy", "no-referrer")
    handler.send_header("connection", "close")
    handler.end_headers()
    handler.wfile.write(body)
    handler.close_connection = True


# -- the whole front channel ---------------------------------------------------------------------


def authorize(prepared: Any, policy: NetPolicy, show: Callable[[str], None], timeout: float) -> tuple[str, str, str]:
    """§5: PKCE + state, the request (pushed when possible), the browser via `show`, the callback.
    (code, code_verifier, redirect_uri) for the token request."""
    # 1. RFC 7636 §4.1-4.2, RFC 6749 §10.12
    verifier, state = code_verifier(), secrets.token_urlsafe(32)
    server = prepared.server
    with CallbackServer(state, server.issuer if server.iss_in_response else None) as callback:
        # 2. §5.1: the request, pushed first when the server takes PAR (RFC 9126)
        parameters = request_parameters(prepared.issuer.configurations, prepared.offer.configuration_ids,
                                        prepared.offer.issuer_state, callback.redirect_uri, state,
                                        code_challenge(verifier))
        url = authorization_url(server, parameters, policy)
        # 3. the learner's browser (RFC 8252 §6: never an embedded view), then the one callback
        show(url)
        code = callback.wait(timeout)
    return code, verifier, callback.redirect_uri


def _bad(url: str, reason: str) -> NetworkError:
    return NetworkError(f"{host_of(url)} answered outside OpenID4VCI: {reason}",
                        "tell whoever runs that service", code="E_NETWORK_BAD_ANSWER")

