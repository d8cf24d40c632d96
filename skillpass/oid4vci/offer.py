"""The Credential Offer (OpenID4VCI 1.0 §4.1): read from a link, an https URL or stdin, and
checked before anything else is fetched.

An offer is untrusted input: it names the host the wallet will connect to, so its
`credential_issuer` passes the network rules (https, or loopback http with --allow-http) before
any request; its size, shape and grants are checked here. The pre-authorized code grant (§4.1.1)
is taken when the offer has it (no browser needed); else the authorization code grant, which
skillpass.oid4vci.authorization runs in the learner's browser.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from skillpass.errors import BadInputError, NetworkError
from skillpass.net.http import NetPolicy, check_url, host_of

SCHEME = "openid-credential-offer"
PRE_AUTHORIZED_GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
AUTHORIZATION_CODE_GRANT = "authorization_code"
MAX_OFFER_BYTES = 64 * 1024  # an offer is a few hundred bytes
MAX_CONFIGURATIONS = 20
_HINT = "ask the issuer for a new offer link"


@dataclass(frozen=True)
class TxCode:
    """§4.1.1 `tx_code`: the issuer sent a code out of band (email, SMS) the learner types."""

    input_mode: str = "numeric"
    length: int | None = None
    description: str | None = None


@dataclass(frozen=True)
class CredentialOffer:
    credential_issuer: str
    configuration_ids: tuple[str, ...]
    pre_authorized_code: str | None  # None: the authorization code grant
    tx_code: TxCode | None = None
    authorization_server: str | None = None
    issuer_state: str | None = None  # authorization code grant: echoed in the authorization request

    @property
    def grant(self) -> str:
        return PRE_AUTHORIZED_GRANT if self.pre_authorized_code is not None else AUTHORIZATION_CODE_GRANT


def offer_source(argument: str, stdin_text: str | None) -> str:
    """The offer text: the argument itself, or stdin for '-'."""
    if argument != "-":
        return argument
    if stdin_text is None:
        raise BadInputError("no offer on stdin", "pipe the offer link or JSON in", code="E_OFFER")
    return stdin_text.strip()


def offer_location(text: str, policy: NetPolicy) -> tuple[dict[str, Any] | None, str | None]:
    """(the offer by value, None) or (None, the URL to fetch it from) for an offer link, an https
    URL of an offer, or the offer's JSON itself."""
    if len(text.encode("utf-8", "replace")) > MAX_OFFER_BYTES:
        raise BadInputError(f"the offer is larger than {MAX_OFFER_BYTES // 1024} KiB", _HINT, code="E_OFFER")
    text = text.strip()
    if text.startswith("{"):
        return parse_offer_json(text.encode("utf-8")), None
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    query = parse_qs(parts.query, keep_blank_values=True)
    if scheme == SCHEME or (scheme in ("https", "http") and ("credential_offer" in query
                                                            or "credential_offer_uri" in query)):
        return _from_query(query, policy)
    if scheme in ("https", "http"):
        return None, check_url(text, policy)
    raise BadInputError(f"not a credential offer: {text[:60]!r}",
                        "give the openid-credential-offer:// link or the https address the issuer shows",
                        code="E_OFFER")


def _from_query(query: dict[str, list[str]], policy: NetPolicy) -> tuple[dict[str, Any] | None, str | None]:
    # §4.1: exactly one of credential_offer (by value) and credential_offer_uri (by reference)
    by_value, by_reference = query.get("credential_offer"), query.get("credential_offer_uri")
    if bool(by_value) == bool(by_reference) or len(by_value or by_reference or []) != 1:
        raise BadInputError("an offer link carries exactly one credential_offer or credential_offer_uri",
                            _HINT, code="E_OFFER")
    if by_value:
        return parse_offer_json(by_value[0].encode("utf-8")), None
    assert by_reference is not None
    return None, check_url(by_reference[0], policy)


def parse_offer_json(raw: bytes, fetched_from: str | None = None) -> dict[str, Any]:
    """The offer object of `raw`; `fetched_from`: the credential_offer_uri it came from, whose
    answer that is no offer is the issuer's fault (NetworkError, exit 14), not the learner's."""
    from skillpass.ingest import parse_json, why_not_json

    if len(raw) > MAX_OFFER_BYTES:
        raise BadInputError(f"the offer is larger than {MAX_OFFER_BYTES // 1024} KiB", _HINT, code="E_OFFER")
    try:
        document = parse_json(raw)
    except BadInputError as exc:
        if fetched_from is not None:
            raise _not_an_offer(fetched_from, exc.message) from None
        raise BadInputError(f"the credential offer is not valid JSON: {why_not_json(exc)}", _HINT,
                            code="E_OFFER") from None
    if not isinstance(document, dict):
        if fetched_from is not None:
            raise _not_an_offer(fetched_from, "not a JSON object")
        raise BadInputError("the credential offer is not a JSON object", _HINT, code="E_OFFER")
    return document


def _not_an_offer(url: str, reason: str) -> NetworkError:
    return NetworkError(f"{host_of(url)} answered with something that is not a credential offer ({reason})",
                        "ask the issuer for a new offer link", code="E_NETWORK_BAD_ANSWER")


def read_offer(unverified_offer: dict[str, Any], policy: NetPolicy) -> CredentialOffer:
    """§4.1.1: credential_issuer, credential_configuration_ids, grants."""
    # 1. the issuer: the one host this offer may send the wallet to
    issuer = unverified_offer.get("credential_issuer")
    if not isinstance(issuer, str) or not issuer:
        raise BadInputError("the offer names no credential_issuer", _HINT, code="E_OFFER")
    check_url(issuer, policy)
    if urlsplit(issuer).query or urlsplit(issuer).fragment:
        raise BadInputError("the offer's credential_issuer has a query or fragment", _HINT, code="E_OFFER")
    # 2. what is offered
    ids = unverified_offer.get("credential_configuration_ids")
    if not isinstance(ids, list) or not ids or len(ids) > MAX_CONFIGURATIONS \
            or not all(isinstance(i, str) and 0 < len(i) <= 200 for i in ids):
        raise BadInputError("the offer's credential_configuration_ids is not a list of names",
                            _HINT, code="E_OFFER")
    # 3. how: the pre-authorized code grant when offered (no browser), else the authorization code
    grants = unverified_offer.get("grants", {})
    if not isinstance(grants, dict):
        raise BadInputError("the offer's grants is not an object", _HINT, code="E_OFFER_GRANT")
    grant = grants.get(PRE_AUTHORIZED_GRANT)
    if grant is None and AUTHORIZATION_CODE_GRANT in grants:
        return _authorization_code(issuer, tuple(dict.fromkeys(ids)), grants[AUTHORIZATION_CODE_GRANT], policy)
    if grant is None and not grants:
        # §4.1.1: grants is optional; without it the wallet learns the grant types from the
        # authorization server's metadata, and a pre-authorized code comes only in an offer
        return _authorization_code(issuer, tuple(dict.fromkeys(ids)), {}, policy)
    if grant is None:
        offered = ", ".join(sorted(map(str, grants)))[:120]
        raise BadInputError(f"the offer's grants ({offered}) are none skillpass knows",
                            "ask the issuer for an offer with a pre-authorized code or an authorization code grant",
                            code="E_OFFER_GRANT")
    if not isinstance(grant, dict) or not isinstance(grant.get("pre-authorized_code"), str) \
            or not grant["pre-authorized_code"] or len(grant["pre-authorized_code"]) > 4096:
        raise BadInputError("the offer's pre-authorized code grant has no pre-authorized_code", _HINT,
                            code="E_OFFER_GRANT")
    return CredentialOffer(issuer, tuple(dict.fromkeys(ids)), grant["pre-authorized_code"],
                           _tx_code(grant.get("tx_code")), _server(grant, policy))


def _authorization_code(issuer: str, ids: tuple[str, ...], grant: Any, policy: NetPolicy) -> CredentialOffer:
    """§4.1.1 authorization_code: an optional issuer_state and authorization_server."""
    if not isinstance(grant, dict):
        raise BadInputError("the offer's authorization code grant is not an object", _HINT, code="E_OFFER_GRANT")
    state = grant.get("issuer_state")
    if state is not None and (not isinstance(state, str) or not state or len(state) > 4096):
        raise BadInputError("the offer's issuer_state is malformed", _HINT, code="E_OFFER_GRANT")
    return CredentialOffer(issuer, ids, None, None, _server(grant, policy), state)


def _server(grant: dict[str, Any], policy: NetPolicy) -> str | None:
    server = grant.get("authorization_server")
    if server is not None:
        if not isinstance(server, str):
            raise BadInputError("the offer's authorization_server is not a URL", _HINT, code="E_OFFER_GRANT")
        check_url(server, policy)
    return server


def _tx_code(value: Any) -> TxCode | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise BadInputError("the offer's tx_code is not an object", _HINT, code="E_OFFER_GRANT")
    mode = value.get("input_mode", "numeric")
    length = value.get("length")
    description = value.get("description")
    if mode not in ("numeric", "text") or (length is not None and (not isinstance(length, int)
                                                                    or isinstance(length, bool)
                                                                    or not 0 < length <= 64)):
        raise BadInputError("the offer's tx_code is malformed", _HINT, code="E_OFFER_GRANT")
    return TxCode(mode, length, description[:300] if isinstance(description, str) else None)
