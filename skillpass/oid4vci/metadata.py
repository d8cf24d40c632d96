"""Credential Issuer Metadata (OpenID4VCI 1.0 §12.2) and Authorization Server Metadata (RFC 8414
§3, or OpenID Connect Discovery), fetched from the issuer the offer names.

The fetched `credential_issuer` / `issuer` must be exactly the identifier asked for (§12.2.3,
RFC 8414 §3.3): otherwise one host could publish metadata for another. Every endpoint the
metadata names passes the network rules when it is used (skillpass.net.http).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from skillpass.errors import NetworkError
from skillpass.net.http import NetPolicy, Response, check_url, get, host_of


@dataclass(frozen=True)
class IssuerMetadata:
    credential_issuer: str
    credential_endpoint: str
    nonce_endpoint: str | None
    authorization_servers: tuple[str, ...]
    configurations: dict[str, dict[str, Any]] = field(repr=False)
    display: tuple[dict[str, Any], ...] = ()

    @property
    def name(self) -> str:
        return display_name(self.display) or host_of(self.credential_issuer)


@dataclass(frozen=True)
class ServerMetadata:
    issuer: str
    token_endpoint: str
    dpop_algs: tuple[str, ...] = ()
    # the authorization code flow (RFC 8414 §2, RFC 9126 §5, RFC 9207 §3)
    authorization_endpoint: str | None = None
    par_endpoint: str | None = None
    require_par: bool = False
    pkce_methods: tuple[str, ...] | None = None  # None: the server does not say
    iss_in_response: bool = False


def well_known(identifier: str, suffix: str) -> str:
    """§12.2.2 / RFC 8414 §3.1: the well-known segment goes between the host and the path."""
    parts = urlsplit(identifier)
    path = parts.path.rstrip("/")
    return urlunsplit((parts.scheme, parts.netloc, f"/.well-known/{suffix}{path}", "", ""))


def fetch_issuer_metadata(credential_issuer: str, policy: NetPolicy) -> IssuerMetadata:
    url = well_known(credential_issuer, "openid-credential-issuer")
    document = json_object(get(url, policy, headers={"accept": "application/json"}), "its issuer metadata")
    if document.get("credential_issuer") != credential_issuer:
        raise _bad(credential_issuer, "its metadata is for another issuer")
    endpoint = document.get("credential_endpoint")
    configurations = document.get("credential_configurations_supported")
    if not isinstance(endpoint, str) or not isinstance(configurations, dict):
        raise _bad(credential_issuer, "its metadata has no credential_endpoint or credential configurations")
    nonce = document.get("nonce_endpoint")
    servers = document.get("authorization_servers") or [credential_issuer]
    if not isinstance(servers, list) or not all(isinstance(s, str) for s in servers):
        raise _bad(credential_issuer, "its authorization_servers is not a list of URLs")
    display = document.get("display")
    return IssuerMetadata(credential_issuer, check_url(endpoint, policy),
                          check_url(nonce, policy) if isinstance(nonce, str) else None,
                          tuple(servers), {k: v for k, v in configurations.items() if isinstance(v, dict)},
                          tuple(d for d in display if isinstance(d, dict)) if isinstance(display, list) else ())


def fetch_server_metadata(issuer: str, policy: NetPolicy) -> ServerMetadata:
    """RFC 8414 first, then OpenID Connect Discovery (whose well-known path is appended)."""
    response = get(well_known(issuer, "oauth-authorization-server"), policy, headers={"accept": "application/json"})
    if response.status == 404:
        response = get(issuer.rstrip("/") + "/.well-known/openid-configuration", policy,
                       headers={"accept": "application/json"})
    document = json_object(response, "its authorization server metadata")
    if document.get("issuer") != issuer:
        raise _bad(issuer, "its authorization server metadata is for another server")
    token = document.get("token_endpoint")
    if not isinstance(token, str):
        raise _bad(issuer, "its authorization server metadata has no token_endpoint")
    algs = document.get("dpop_signing_alg_values_supported")
    authorization, par = document.get("authorization_endpoint"), document.get("pushed_authorization_request_endpoint")
    methods = document.get("code_challenge_methods_supported")
    return ServerMetadata(issuer, check_url(token, policy),
                          tuple(a for a in algs if isinstance(a, str)) if isinstance(algs, list) else (),
                          authorization if isinstance(authorization, str) else None,
                          par if isinstance(par, str) else None,
                          document.get("require_pushed_authorization_requests") is True,
                          tuple(m for m in methods if isinstance(m, str)) if isinstance(methods, list) else None,
                          document.get("authorization_response_iss_parameter_supported") is True)


def json_object(response: Response, what: str) -> dict[str, Any]:
    if response.status != 200:
        raise NetworkError(f"{host_of(response.url)} answered {response.status} for {what}",
                           "check the offer link, or try again later", code="E_NETWORK_BAD_ANSWER")
    document = response.json()
    if not isinstance(document, dict):
        raise _bad(response.url, f"{what} is not a JSON object")
    return document


def display_name(display: Any, langs: tuple[str, ...] = ("en",)) -> str | None:
    """The `name` of the display entry in the first preferred language, else the first."""
    entries = [d for d in display if isinstance(d, dict) and isinstance(d.get("name"), str)] \
        if isinstance(display, (list, tuple)) else []
    for lang in langs:
        for entry in entries:
            if str(entry.get("locale", "")).split("-")[0].lower() == lang:
                return str(entry["name"])[:200]
    return str(entries[0]["name"])[:200] if entries else None


def _bad(url: str, reason: str) -> NetworkError:
    return NetworkError(f"{host_of(url)} answered outside OpenID4VCI: {reason}",
                        "tell whoever runs that service", code="E_NETWORK_BAD_ANSWER")
