"""Reading what a verifier sent (OpenID4VP 1.0 §5): an `openid4vp://` link with the request by
value or by `request_uri`, a signed request object, or a request file (a DCQL authorization
request, a Presentation Exchange definition, a VC-API Verifiable Presentation Request).

Everything here is `unverified_*` until the client id checks out (§5.9): a `redirect_uri:`
verifier is shown as unauthenticated and its request must be unsigned; `x509_san_dns:` and
`x509_hash:` verifiers must sign their request object with the certificate the client id names.
Other client id prefixes, and pre-registered ids, are refused: this wallet registers with nobody.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from skillpass.errors import BadInputError, InvalidError, NetworkError, UsageError
from skillpass.net.http import NetPolicy, check_url, host_of
from skillpass.oid4vp.query import (
    Query,
    bad,
    dcql_query,
    presentation_definition,
    presentation_request,
)

MAX_REQUEST = 256 * 1024  # a request, link or file, is small; anything larger is refused unread
LINK_SCHEMES = ("openid4vp", "haip-vp", "eudi-openid4vp", "mdoc-openid4vp")
RESPONSE_MODES = ("direct_post", "direct_post.jwt")
REQUEST_JWT_TYPES = ("oauth-authz-req+jwt",)  # RFC 9101 §10.8, OpenID4VP 1.0 §5.9.3
SUPPORTED_PREFIXES = ("redirect_uri", "x509_san_dns", "x509_hash")
KNOWN_PREFIXES = (*SUPPORTED_PREFIXES, "decentralized_identifier", "verifier_attestation",
                  "openid_federation", "origin", "https")


@dataclass(frozen=True)
class Verifier:
    client_id: str | None  # exactly as sent, prefix included: the KB-JWT's aud (§8.6)
    authenticated: bool
    how: str  # for people: "unauthenticated (redirect_uri)", "certificate CN=..., O=..."
    name: str | None = None  # client_metadata.client_name, as the verifier says


@dataclass(frozen=True)
class VerifierRequest:
    kind: str  # "openid4vp", "presentation_definition", "vpr"
    query: Query
    verifier: Verifier
    nonce: str | None
    domain: str | None  # the presentation's audience: the client id, or a VPR's domain
    response_mode: str | None = None
    response_uri: str | None = None
    state: str | None = None
    client_metadata: dict[str, Any] = field(default_factory=dict)
    source: str = ""

    @property
    def purpose(self) -> str | None:
        """What the verifier says it asks for: the query's, a credential query's, or (DCQL) a
        credential set's."""
        parts = (*self.query.credentials, *self.query.credential_sets)
        return self.query.purpose or next((c.purpose for c in parts if c.purpose), None)


@dataclass(frozen=True)
class Reading:
    policy: NetPolicy
    anchor_file: Path | None
    now: datetime


def read_request(argument: str, stdin: Any, reading: Reading) -> VerifierRequest:
    """The request REQUEST names: a link, an https URL, a file, or `-` (stdin)."""
    text = argument.strip()
    scheme = urlsplit(text).scheme.lower() if ":" in text[:40] else ""
    if scheme in LINK_SCHEMES:
        return from_link(text, reading)
    if scheme in ("https", "http"):
        query = dict(parse_qsl(urlsplit(text).query))
        if "client_id" in query:  # a universal link carrying the authorization request
            return from_parameters(query, reading, source=host_of(text))
        response = _fetch(text, reading.policy)
        return from_text(response.body, reading, source=host_of(text), fetched=text)
    if scheme and len(scheme) > 1:
        raise BadInputError(f"skillpass reads openid4vp:// links and https URLs, not {scheme}: links",
                            "give the verifier's openid4vp:// link, an https URL or a request file",
                            code="E_REQUEST_SCHEME")
    if text == "-":
        data = stdin.buffer.read(MAX_REQUEST + 1) if hasattr(stdin, "buffer") else stdin.read(MAX_REQUEST + 1)
        data = data.encode("utf-8") if isinstance(data, str) else data
        return from_text(_bounded(data, "stdin"), reading, source="stdin")
    from skillpass.files import read_limited

    return from_text(read_limited(Path(text), MAX_REQUEST, "a presentation request"), reading, source=text)


def _bounded(data: bytes, where: str) -> bytes:
    if len(data) > MAX_REQUEST:
        raise BadInputError(f"the request on {where} is larger than {MAX_REQUEST // 1024} KiB",
                            "a presentation request is small: check what was given", code="E_TOO_LARGE")
    return data


def from_text(data: bytes, reading: Reading, source: str, fetched: str | None = None) -> VerifierRequest:
    """A request file's bytes: a link, a request object JWT, or a JSON request. `fetched`: the
    URL they came from, whose bytes that are no request at all are the verifier's fault (exit 14),
    not the learner's input (exit 8)."""
    from skillpass.ingest import parse_json

    text = _bounded(data, source).decode("utf-8", "replace").strip()
    if urlsplit(text).scheme.lower() in LINK_SCHEMES:
        return from_link(text, reading)
    if text.count(".") == 2 and not text.startswith("{"):
        return _from_request_object(text, None, reading, source, fetched)
    try:
        document = parse_json(text.encode("utf-8"))
    except BadInputError as exc:
        if fetched is not None:  # where the verifier's bytes stop being JSON is no help to the learner
            raise _unreadable(fetched, bad("neither a request object nor JSON")) from None
        raise bad(f"the request is neither a link, a request object nor JSON ({exc.message})") from None
    if not isinstance(document, dict):
        raise _unreadable(fetched, bad("the request is not a JSON object"))
    return from_document(document, reading, source, fetched)


def _unreadable(fetched: str | None, exc: BadInputError) -> BadInputError | NetworkError:
    """`exc` for a file or a link; for what a verifier answered, the NetworkError of a peer that
    answered outside the protocol (README, exit codes: 14)."""
    if fetched is None:
        return exc
    return NetworkError(f"{host_of(fetched)} answered with something that is not a presentation request "
                        f"({exc.message})", "ask the verifier for a new link", code="E_NETWORK_BAD_ANSWER")


def from_document(document: dict[str, Any], reading: Reading, source: str,
                  fetched: str | None = None) -> VerifierRequest:
    """A JSON request; `fetched` as from_text's: a JSON object that is no kind of request at all,
    answered by a verifier's address, is its answer outside the protocol (exit 14)."""
    unsigned = Verifier(None, False, "unauthenticated (a request file)")
    if "verifiablePresentationRequest" in document and isinstance(document["verifiablePresentationRequest"], dict):
        document = document["verifiablePresentationRequest"]  # a VC-API exchange's answer
    if "client_id" in document or "dcql_query" in document or "response_type" in document:
        return from_parameters(document, reading, source=source)
    if "credentials" in document and isinstance(document["credentials"], list):
        return VerifierRequest("openid4vp", dcql_query(document), unsigned, None, None, source=source)
    if "presentation_definition" in document or "input_descriptors" in document:
        definition = document.get("presentation_definition", document)
        return VerifierRequest("presentation_definition", presentation_definition(definition), unsigned,
                               _opt(document.get("nonce") or document.get("challenge")),
                               _opt(document.get("domain")), source=source)
    if "query" in document:
        domain = _opt(document.get("domain"))
        return VerifierRequest("vpr", presentation_request(document),
                               Verifier(domain, False, "unauthenticated (a presentation request file)"),
                               _opt(document.get("challenge")), domain, source=source)
    raise _unreadable(fetched, bad("the request is none of an OpenID4VP request, a DCQL query, a presentation "
                                   "definition or a Verifiable Presentation Request"))


def from_link(link: str, reading: Reading) -> VerifierRequest:
    if len(link) > MAX_REQUEST:
        raise BadInputError(f"the link is longer than {MAX_REQUEST // 1024} KiB, too long to be a presentation "
                            "request", "a presentation request is small: check what was given", code="E_TOO_LARGE")
    return from_parameters(dict(parse_qsl(urlsplit(link).query, keep_blank_values=True)), reading,
                           source="link")


def from_parameters(unverified: dict[str, Any], reading: Reading, source: str) -> VerifierRequest:
    """An authorization request's parameters (§5.1): by value, or pointing at a request object."""
    client_id = _opt(unverified.get("client_id"))
    if unverified.get("request_uri"):
        if client_id is None:
            raise bad("the request has a request_uri but no client_id (RFC 9101 §5)")
        method = str(unverified.get("request_uri_method") or "get").lower()
        if method not in ("get", "post"):
            raise bad(f"unknown request_uri_method {method[:20]!r}")
        request_uri = str(unverified["request_uri"])
        return _from_request_object(_fetch_request_object(request_uri, method, reading.policy),
                                    client_id, reading, source, request_uri)
    if unverified.get("request"):
        return _from_request_object(str(unverified["request"]), client_id, reading, source)
    if client_id is None:
        raise bad("the request names no client_id: skillpass cannot tell who is asking")
    prefix = _prefix(client_id)
    if prefix in ("x509_san_dns", "x509_hash"):
        raise InvalidError(f"the verifier claims the client id {client_id[:80]!r} but its request is not "
                           "signed", "a certificate-based client id needs a signed request object: do not "
                           "answer this request", code="E_REQUEST_UNSIGNED")
    return _authorization_request(unverified, _unsigned_verifier(client_id, unverified), source, reading)


def _unsigned_verifier(client_id: str, unverified: dict[str, Any]) -> Verifier:
    if _prefix(client_id) != "redirect_uri":
        _check_prefix(client_id)
    target = client_id.split(":", 1)[1]  # §5.9.3: redirect_uri: names where the answer goes
    where = unverified.get("response_uri") or unverified.get("redirect_uri")
    if where != target:
        raise InvalidError("the request's response_uri is not the one its redirect_uri: client id names",
                           "do not answer this request", code="E_CLIENT_ID_MISMATCH")
    return Verifier(client_id, False, "unauthenticated (redirect_uri: anyone can send this request)",
                    _client_name(unverified))


def _prefix(client_id: str | None) -> str | None:
    if client_id is None or ":" not in client_id:
        return None
    return client_id.split(":", 1)[0]


def _check_prefix(client_id: str) -> None:
    prefix = _prefix(client_id)
    if prefix is None:
        raise InvalidError(f"the verifier's client id {client_id[:80]!r} is pre-registered with some wallet, "
                           "not with skillpass", "ask the verifier for a redirect_uri:, x509_san_dns: or "
                           "x509_hash: request", code="E_CLIENT_ID_PREFIX")
    if prefix not in SUPPORTED_PREFIXES:
        known = "known to OpenID4VP but not yet supported" if prefix in KNOWN_PREFIXES else "unknown"
        raise InvalidError(f"the client id prefix {prefix[:40]!r} is {known}",
                           "skillpass answers redirect_uri:, x509_san_dns: and x509_hash: verifiers",
                           code="E_CLIENT_ID_PREFIX")


def _client_name(unverified: dict[str, Any]) -> str | None:
    metadata = _json_parameter(unverified.get("client_metadata"), "client_metadata") or {}
    name = metadata.get("client_name") if isinstance(metadata, dict) else None
    return name[:200] if isinstance(name, str) and name else None


def _authorization_request(unverified: dict[str, Any], verifier: Verifier, source: str,
                           reading: Reading) -> VerifierRequest:
    """§5.1 and §8.2: what to answer, how and where, from parameters whose origin is settled."""
    if unverified.get("response_type", "vp_token") != "vp_token":
        raise bad(f"skillpass answers response_type vp_token, not {str(unverified.get('response_type'))[:40]!r}",
                  code="E_REQUEST_UNSUPPORTED")
    if unverified.get("transaction_data") is not None:  # §8.4: each entry must be bound in the KB-JWT
        raise BadInputError("the request carries transaction_data, which skillpass does not yet sign",
                            "answer this verifier with another wallet for now", code="E_REQUEST_UNSUPPORTED")
    raw_query = _json_parameter(unverified.get("dcql_query"), "dcql_query")
    if raw_query is not None:
        query = dcql_query(raw_query)
    elif unverified.get("presentation_definition") is not None or unverified.get("presentation_definition_uri"):
        # OpenID4VP drafts; 1.0 asks by DCQL, and a draft verifier expects a presentation_submission
        raise BadInputError("the request asks by presentation_definition, from OpenID4VP drafts; "
                            "answering those over the network is not yet supported",
                            "ask the verifier for an OpenID4VP 1.0 request (dcql_query), or save the "
                            "definition to a file and answer it with --out", code="E_REQUEST_UNSUPPORTED")
    elif unverified.get("scope"):
        raise bad("the request asks by scope, which names a query agreed with some wallet beforehand",
                  code="E_REQUEST_UNSUPPORTED")
    else:
        raise bad("the request has no dcql_query")
    nonce = _opt(unverified.get("nonce"))
    if nonce is None:
        raise bad("the request has no nonce (§5.2): an answer to it could be replayed")
    mode = _opt(unverified.get("response_mode")) or "fragment"
    response_uri = _opt(unverified.get("response_uri"))
    if mode not in RESPONSE_MODES:
        raise BadInputError(f"response_mode {mode[:40]!r} is not yet supported",
                            "skillpass answers direct_post and direct_post.jwt requests",
                            code="E_REQUEST_UNSUPPORTED")
    if response_uri is None:
        raise bad(f"the request's response_mode {mode} needs a response_uri (§8.2)")
    check_url(response_uri, reading.policy)
    metadata = _json_parameter(unverified.get("client_metadata"), "client_metadata") or {}
    if not isinstance(metadata, dict):
        raise bad("the request's client_metadata is not an object")
    return VerifierRequest("openid4vp", query, verifier, nonce, verifier.client_id, mode, response_uri,
                           _opt(unverified.get("state")), metadata, source)


def _from_request_object(token: str, client_id: str | None, reading: Reading, source: str,
                         fetched: str | None = None) -> VerifierRequest:
    """A request object (RFC 9101, §5.9): signed by the certificate its client id names."""
    from skillpass.formats import jose
    from skillpass.oid4vp.verifier_trust import certified, load_anchors

    if _unverified_alg(token) == "none":
        raise InvalidError("the request object is unsigned (alg none)", "do not answer this request",
                           code="E_REQUEST_UNSIGNED")
    try:
        unverified_jws = jose.read_compact(token.strip(), "request object")
        unverified = jose.payload_json(unverified_jws, "request object")
    except BadInputError as exc:
        raise _unreadable(fetched, exc) from None
    typ = unverified_jws.header.get("typ")
    if typ is not None and typ not in REQUEST_JWT_TYPES:
        raise InvalidError(f"the request object's typ is {str(typ)[:40]!r}, not oauth-authz-req+jwt",
                           "do not answer this request", code="E_REQUEST_TYP")
    claimed = _opt(unverified.get("client_id"))
    if client_id is not None and claimed != client_id:
        raise InvalidError("the request object names another client id than the link",
                           "do not answer this request", code="E_CLIENT_ID_MISMATCH")
    client_id = claimed
    if client_id is None:
        raise bad("the request object has no client_id")
    prefix = _prefix(client_id)
    _check_prefix(client_id)
    if prefix == "redirect_uri":  # §5.9.3: such requests cannot be signed
        raise InvalidError("a redirect_uri: verifier signed its request, which OpenID4VP forbids",
                           "do not answer this request", code="E_REQUEST_SIGNED")
    leaf = certified(unverified_jws.header.get("x5c"), load_anchors(reading.anchor_file), reading.now)
    jose.verify(unverified_jws, leaf.public_key, "request object")
    _check_x509_client_id(client_id, leaf, unverified)
    _check_expiry(unverified, reading.now)
    verifier = Verifier(client_id, True, f"certificate {leaf.subject}", _client_name(unverified))
    return _authorization_request(unverified, verifier, source, reading)


def _unverified_alg(token: str) -> Any:
    import base64

    try:
        head = token.strip().split(".", 1)[0][:4096]
        return json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4))).get("alg")
    except (ValueError, AttributeError):
        return None


def _check_x509_client_id(client_id: str, leaf: Any, unverified: dict[str, Any]) -> None:
    value = client_id.split(":", 1)[1]
    if client_id.startswith("x509_hash:"):
        if value != leaf.leaf_hash:
            raise InvalidError("the request is signed by another certificate than its x509_hash client id names",
                               "do not answer this request", code="E_CLIENT_ID_MISMATCH")
        return
    if value.lower() not in (d.lower() for d in leaf.dns_names):
        raise InvalidError(f"the verifier's certificate is not for {value[:80]!r}",
                           "do not answer this request", code="E_CLIENT_ID_MISMATCH")
    target = unverified.get("response_uri") or unverified.get("redirect_uri")
    if isinstance(target, str) and (urlsplit(target).hostname or "").lower() != value.lower():
        # §5.9.3: without a trust list saying otherwise, the answer goes to the certified host
        raise InvalidError(f"the request sends the answer to {host_of(target)}, not to {value[:80]}",
                           "do not answer this request", code="E_CLIENT_ID_MISMATCH")


def _check_expiry(unverified: dict[str, Any], now: datetime) -> None:
    exp = unverified.get("exp")
    if isinstance(exp, (int, float)) and not isinstance(exp, bool) and exp + 60 < now.timestamp():
        raise InvalidError("the request object has expired", "ask the verifier for a new request",
                           code="E_REQUEST_EXPIRED")


def _fetch(url: str, policy: NetPolicy) -> Any:
    from skillpass.net.http import get

    # bounded as a request is, while it streams in: a verifier's oversized answer is exit 14
    # (E_NETWORK_TOO_LARGE), never 2 MiB read to be refused as input
    response = get(url, policy.at_most(MAX_REQUEST),
                   headers={"accept": "application/oauth-authz-req+jwt, application/json"})
    _ok(response, url)
    return response


def _fetch_request_object(url: str, method: str, policy: NetPolicy) -> str:
    """§5.10: GET the request object, or POST the wallet's metadata for it."""
    from skillpass.net.http import get, post_form

    accept = {"accept": "application/oauth-authz-req+jwt"}
    policy = policy.at_most(MAX_REQUEST)
    if method == "post":
        metadata = {"vp_formats_supported": {"dc+sd-jwt": {"sd-jwt_alg_values": ["ES256"],
                                                           "kb-jwt_alg_values": ["ES256"]},
                                             "ldp_vc": {}, "jwt_vc_json": {"alg_values": ["ES256"]}},
                    "response_modes_supported": list(RESPONSE_MODES), "client_id_prefixes_supported":
                    list(SUPPORTED_PREFIXES)}
        response = post_form(url, {"wallet_metadata": json.dumps(metadata)}, policy, headers=accept)
    else:
        response = get(url, policy, headers=accept)
    _ok(response, url)
    return response.body.decode("ascii", "replace").strip()


def _ok(response: Any, url: str) -> None:

    if not 200 <= response.status < 300:
        raise NetworkError(f"{host_of(url)} answered {response.status} when asked for the request",
                           "ask the verifier for a new link", code="E_NETWORK_STATUS")


def _json_parameter(value: Any, name: str) -> Any:
    """A parameter that is JSON in a link (a string) and an object in a request object."""
    if value is None or isinstance(value, (dict, list)):
        return value
    if not isinstance(value, str):
        raise bad(f"the request's {name} is neither JSON text nor an object")
    from skillpass.ingest import parse_json

    try:
        return parse_json(value.encode("utf-8"))
    except BadInputError:
        raise bad(f"the request's {name} is not valid JSON") from None


def _opt(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


__all__ = ["Reading", "UsageError", "Verifier", "VerifierRequest", "read_request"]
