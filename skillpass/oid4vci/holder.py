"""The wallet's side of the pre-authorized code flow (OpenID4VCI 1.0 §3.5) and the end of the
authorization code flow (§3.4, after skillpass.oid4vci.authorization): resolve the offer and the
metadata, then the token request (§6), a fresh nonce (§7) and a credential request (§8) for each
offered credential configuration. Returns the credentials as received, unverified.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from skillpass.errors import BadInputError, InvalidError, NetworkError
from skillpass.net.http import NetPolicy, Response, get, host_of, post_form, post_json
from skillpass.oid4vci.metadata import (
    IssuerMetadata,
    ServerMetadata,
    display_name,
    fetch_issuer_metadata,
    fetch_server_metadata,
)
from skillpass.oid4vci.offer import (
    AUTHORIZATION_CODE_GRANT,
    PRE_AUTHORIZED_GRANT,
    CredentialOffer,
    offer_location,
    parse_offer_json,
    read_offer,
)
from skillpass.oid4vci.proof import DpopKey, key_proof

FORMATS = ("dc+sd-jwt", "vc+sd-jwt", "jwt_vc_json", "ldp_vc")
MAX_CREDENTIALS = 20


@dataclass(frozen=True)
class Offered:
    configuration_id: str
    format: str
    name: str
    description: str | None = None


@dataclass(frozen=True)
class Prepared:
    """An offer with the metadata it points to: what the learner confirms."""

    offer: CredentialOffer
    issuer: IssuerMetadata
    server: ServerMetadata
    offered: tuple[Offered, ...]


@dataclass(frozen=True)
class Token:
    access_token: str
    token_type: str  # "Bearer" or "DPoP"

    def __repr__(self) -> str:
        return f"Token(token_type={self.token_type!r}, access_token=<redacted>)"


@dataclass(frozen=True)
class Received:
    configuration_id: str
    format: str
    unverified_credential: bytes


def prepare(text: str, policy: NetPolicy, langs: tuple[str, ...] = ("en",)) -> Prepared:
    """The offer (fetched when by reference), the issuer's and its server's metadata."""
    # 1. the offer, by value or fetched from credential_offer_uri (§4.1.3)
    by_value, url = offer_location(text, policy)
    if by_value is None:
        assert url is not None
        from skillpass.oid4vci.offer import MAX_OFFER_BYTES

        # bounded as an offer is, while it streams in: a larger answer is the issuer's, exit 14
        response = get(url, policy.at_most(MAX_OFFER_BYTES), headers={"accept": "application/json"})
        if response.status != 200:
            raise NetworkError(f"{host_of(url)} answered {response.status} for the credential offer",
                               "the offer may have expired: ask the issuer for a new one",
                               code="E_NETWORK_BAD_ANSWER")
        by_value = parse_offer_json(response.body, fetched_from=url)
    offer = read_offer(by_value, policy)
    # 2. the issuer's metadata (§12.2), and what it says of each offered configuration
    issuer = fetch_issuer_metadata(offer.credential_issuer, policy)
    offered = tuple(_offered(issuer, cid, langs) for cid in offer.configuration_ids)
    # 3. the authorization server: the one the grant names, else the issuer's first (§4.1.1)
    server_id = offer.authorization_server or issuer.authorization_servers[0]
    if server_id not in issuer.authorization_servers:
        raise BadInputError("the offer names an authorization server its issuer does not list",
                            "ask the issuer for a new offer link", code="E_OFFER_GRANT")
    return Prepared(offer, issuer, fetch_server_metadata(server_id, policy), offered)


def _offered(issuer: IssuerMetadata, configuration_id: str, langs: tuple[str, ...]) -> Offered:
    configuration = issuer.configurations.get(configuration_id)
    if configuration is None:
        raise BadInputError(f"the offer names a credential its issuer does not describe: {configuration_id[:80]}",
                            "ask the issuer for a new offer link", code="E_OFFER")
    credential_format = configuration.get("format")
    if credential_format not in FORMATS:
        raise BadInputError(f"the offered credential {configuration_id[:80]} has format "
                            f"{str(credential_format)[:40]!r}, which skillpass does not keep",
                            "skillpass keeps " + ", ".join(FORMATS), code="E_FORMAT_UNSUPPORTED")
    metadata = configuration.get("credential_metadata")
    display = (metadata.get("display") if isinstance(metadata, dict) else None) or configuration.get("display")
    name = display_name(display, langs) or configuration_id
    description = next((str(d["description"])[:300] for d in display or [] if isinstance(d, dict)
                        and isinstance(d.get("description"), str)), None) if isinstance(display, list) else None
    return Offered(configuration_id, str(credential_format), name, description)


def request_token(prepared: Prepared, tx_code: str | None, policy: NetPolicy, dpop: DpopKey | None,
                  now: datetime) -> Token:
    """§6.1: grant_type, pre-authorized_code, tx_code; a DPoP proof when the server takes one."""
    assert prepared.offer.pre_authorized_code is not None
    form = {"grant_type": PRE_AUTHORIZED_GRANT, "pre-authorized_code": prepared.offer.pre_authorized_code}
    if tx_code is not None:
        form["tx_code"] = tx_code
    return token_request(prepared, form, policy, dpop, now)


def request_token_with_code(prepared: Prepared, code: str, code_verifier: str, redirect_uri: str, client_id: str,
                            policy: NetPolicy, dpop: DpopKey | None, now: datetime) -> Token:
    """§6.1 with RFC 6749 §4.1.3: the authorization code, the same redirect_uri and client_id, and
    the PKCE code_verifier (RFC 7636 §4.5)."""
    form = {"grant_type": AUTHORIZATION_CODE_GRANT, "code": code, "code_verifier": code_verifier,
            "redirect_uri": redirect_uri, "client_id": client_id}
    return token_request(prepared, form, policy, dpop, now)


def token_request(prepared: Prepared, form: dict[str, str], policy: NetPolicy, dpop: DpopKey | None,
                  now: datetime) -> Token:
    endpoint = prepared.server.token_endpoint
    for attempt in range(2):  # RFC 9449 §8: once more with the nonce the server asks for
        headers = {"accept": "application/json"}
        if dpop is not None:
            headers["dpop"] = dpop.proof("POST", endpoint, now)
        response = post_form(endpoint, form, policy, headers=headers)
        if attempt == 0 and dpop is not None and _asks_dpop_nonce(response, dpop):
            continue
        break
    body = _answer(response, "the token request")
    if response.status != 200:
        raise _token_error(response, body, form["grant_type"])
    token, token_type = body.get("access_token"), body.get("token_type")
    if not isinstance(token, str) or not token or not isinstance(token_type, str):
        raise _bad(endpoint, "its token response has no access_token")
    if not all(" " < c <= "~" for c in token):  # RFC 6749 §A.12: VSCHAR; it goes in a header as sent
        raise _bad(endpoint, "its access_token has characters no token may carry")
    if token_type.lower() == "dpop" and dpop is None:
        raise _bad(endpoint, "it issued a DPoP token without being asked")
    return Token(token, "DPoP" if token_type.lower() == "dpop" else "Bearer")


def request_credentials(prepared: Prepared, token: Token, offered: Offered, private_key: Any, kid: str | None,
                        policy: NetPolicy, dpop: DpopKey | None, now: datetime) -> list[Received]:
    """§7 a fresh c_nonce, then §8 the credential request by credential_configuration_id with
    `proofs: {jwt: [...]}`; once more with a new nonce if the issuer says it is stale."""
    endpoint = prepared.issuer.credential_endpoint
    for attempt in range(3):
        nonce = fresh_nonce(prepared, policy)
        proof = key_proof(private_key, audience=prepared.issuer.credential_issuer, nonce=nonce, now=now, kid=kid)
        body = {"credential_configuration_id": offered.configuration_id, "proofs": {"jwt": [proof]}}
        headers = {"accept": "application/json", "authorization": f"{token.token_type} {token.access_token}"}
        if dpop is not None and token.token_type == "DPoP":
            headers["dpop"] = dpop.proof("POST", endpoint, now, token.access_token)
        response = post_json(endpoint, body, policy, headers=headers)
        if attempt < 2 and dpop is not None and _asks_dpop_nonce(response, dpop):
            continue
        answer = _answer(response, "the credential request")
        if attempt < 2 and response.status == 400 and answer.get("error") == "invalid_nonce":
            continue
        break
    if response.status == 202 or "transaction_id" in answer:
        raise NetworkError(f"{host_of(endpoint)} will issue {offered.name} later (deferred issuance), "
                           "which skillpass does not support yet", "ask the issuer to issue it now",
                           code="E_OID4VCI_DEFERRED")
    if response.status != 200:
        raise _credential_error(response, answer)
    return [Received(offered.configuration_id, offered.format, _credential_bytes(item.get("credential"), endpoint))
            for item in _credential_items(answer, endpoint)]


def fresh_nonce(prepared: Prepared, policy: NetPolicy) -> str | None:
    """§7.2: POST to the nonce endpoint; a nonce is single use, so one per request."""
    if prepared.issuer.nonce_endpoint is None:
        return None
    response = post_form(prepared.issuer.nonce_endpoint, {}, policy, headers={"accept": "application/json"})
    body = _answer(response, "the nonce request")
    nonce = body.get("c_nonce")
    if response.status != 200 or not isinstance(nonce, str) or not nonce:
        raise _bad(prepared.issuer.nonce_endpoint, "its nonce endpoint gave no c_nonce")
    return nonce


def _asks_dpop_nonce(response: Response, dpop: DpopKey) -> bool:
    nonce = response.headers.get("dpop-nonce")
    if response.status in (400, 401) and nonce and "use_dpop_nonce" in (
            response.body[:2000].decode("utf-8", "replace") + response.headers.get("www-authenticate", "")):
        dpop.nonce = nonce[:500]
        return True
    if nonce:
        dpop.nonce = nonce[:500]
    return False


def _answer(response: Response, what: str) -> dict[str, Any]:
    if not response.body.strip():
        return {}
    if "json" not in response.content_type:
        if response.status >= 400:
            return {}
        raise _bad(response.url, f"{what} was not answered with JSON")
    document = response.json()
    if not isinstance(document, dict):
        raise _bad(response.url, f"the answer to {what} is not a JSON object")
    return document


def _error_text(body: dict[str, Any]) -> str:
    error = str(body.get("error", ""))[:60]
    description = body.get("error_description")
    return error + (f": {str(description)[:160]}" if isinstance(description, str) else "")


def _token_error(response: Response, body: dict[str, Any], grant_type: str) -> Exception:
    if grant_type == AUTHORIZATION_CODE_GRANT and response.status == 400 and body.get("error"):
        return InvalidError(f"the issuer refused the sign-in's authorization code ({_error_text(body)})",
                            "run receive again and sign in once more", code="E_OID4VCI_GRANT")
    if body.get("error") in ("invalid_grant", "invalid_request") and response.status == 400:
        return InvalidError(f"the issuer refused the offer's code ({_error_text(body)})",
                            "check the transaction code; an offer works once and expires: ask the issuer "
                            "for a new one", code="E_OID4VCI_GRANT")
    return NetworkError(f"{host_of(response.url)} refused the token request ({response.status}"
                        + (f", {_error_text(body)}" if body.get("error") else "") + ")",
                        "ask the issuer for a new offer", code="E_OID4VCI_TOKEN")


def _credential_error(response: Response, body: dict[str, Any]) -> Exception:
    if body.get("error") in ("invalid_proof", "invalid_nonce"):
        return InvalidError(f"the issuer refused the wallet's key proof ({_error_text(body)})",
                            "try again; if it persists, tell the issuer", code="E_OID4VCI_PROOF")
    return NetworkError(f"{host_of(response.url)} refused the credential request ({response.status}"
                        + (f", {_error_text(body)}" if body.get("error") else "") + ")",
                        "ask the issuer for a new offer", code="E_OID4VCI_CREDENTIAL")


def _credential_items(answer: dict[str, Any], endpoint: str) -> list[dict[str, Any]]:
    items = answer.get("credentials")
    if not isinstance(items, list) or not items or len(items) > MAX_CREDENTIALS \
            or not all(isinstance(i, dict) for i in items):
        raise _bad(endpoint, "its credential response carries no credentials")
    return items


def _credential_bytes(credential: Any, endpoint: str) -> bytes:
    if isinstance(credential, str) and credential:
        return credential.encode("utf-8")
    if isinstance(credential, dict):  # ldp_vc: the credential as a JSON object
        return json.dumps(credential, ensure_ascii=False).encode("utf-8")
    raise _bad(endpoint, "a credential in its response is neither a string nor an object")


def _bad(url: str, reason: str) -> NetworkError:
    return NetworkError(f"{host_of(url)} answered outside OpenID4VCI: {reason}",
                        "tell whoever runs that service", code="E_NETWORK_BAD_ANSWER")


