"""The DID documents of received credentials' did:web issuers, fetched once at `receive` and kept
in the wallet (as `dids add` keeps them), so that the credentials verify offline later.

did:web Method Specification (W3C CCG), §3.2 "Read (Resolve)": the method-specific identifier's
`:` become `/`, a `%3A` in the host is its port, `https://` goes in front, `/.well-known` when
there is no path, then `/did.json`. Only the issuers' own hosts are contacted, and only for a DID
the wallet cannot resolve offline (did:key, did:jwk and kept documents need nothing).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from skillpass.errors import BadInputError, NetworkError, SkillpassError
from skillpass.net.http import NetPolicy

if TYPE_CHECKING:
    from skillpass.oid4vci.holder import Received

PREFIX = "did:web:"
MAX_DOCUMENT_BYTES = 1024 * 1024  # what `dids add` reads from a file (flow.material.read_small_file)
# A DNS name or IPv4 address; an IPv6 literal cannot be written in a did:web (its `:` separate
# path segments). A path segment: RFC 3986 unreserved characters only, so no percent-encoded
# `/` or `..` can reach the URL.
_HOST = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?")
_SEGMENT = re.compile(r"[A-Za-z0-9._~-]{1,255}")


def did_web_url(did: str, policy: NetPolicy | None = None) -> str:
    """§3.2: the URL of `did`'s DID document; https, or http for a loopback host with allow_http
    (tests). BadInputError E_DID_MALFORMED for anything that is not a plain did:web."""
    from skillpass.net.http import is_loopback

    if not isinstance(did, str) or not did.startswith(PREFIX) or len(did) > 2048:
        raise _malformed(did, "it is not a did:web DID")
    # 1. the `:`-separated parts: the host (with its port) first, then the path
    host, *path = did[len(PREFIX):].split(":")
    # 2. a port is the one percent-encoding a host may carry
    name, sep, port = re.sub("%3a", "%3A", host, flags=re.IGNORECASE).partition("%3A")
    if not _HOST.fullmatch(name) or ".." in name:
        raise _malformed(did, "its host is not a domain name")
    if sep and not (port.isascii() and port.isdigit() and 0 < int(port) < 65536):
        raise _malformed(did, "its port is not a number from 1 to 65535")
    for segment in path:
        if not _SEGMENT.fullmatch(segment) or segment in (".", ".."):
            raise _malformed(did, "its path has an empty, '.' or '..' segment, or a character "
                                  "other than letters, digits and . _ ~ -")
    # 3. https in front (http only to loopback, with allow_http); 4. /.well-known without a path
    scheme = "http" if policy is not None and policy.allow_http and is_loopback(name) else "https"
    authority = f"{name.lower()}:{port}" if port else name.lower()
    # 5. /did.json
    return f"{scheme}://{authority}/{'/'.join(path) if path else '.well-known'}/did.json"


def fetch_did_document(did: str, policy: NetPolicy) -> dict[str, Any]:
    """The DID document of `did`, checked as `dids add` checks one, and its `id` must be `did`.
    Every failure is a NetworkError (exit 14)."""
    from skillpass.net.http import get, host_of

    url = did_web_url(did, policy)
    response = get(url, policy.at_most(MAX_DOCUMENT_BYTES),
                   headers={"accept": "application/did+json, application/json"})
    if response.status != 200:
        raise NetworkError(f"{host_of(url)} answered {response.status} for the DID document of {did[:80]}",
                           "tell the issuer, or keep its DID document with 'skillpass dids add FILE'",
                           code="E_NETWORK_BAD_ANSWER")
    from skillpass.dids import did_document_of

    try:
        served, document = did_document_of(response.json())
    except BadInputError:
        served = None
    if served != did:  # §3.2: the document is that DID's
        raise NetworkError(f"{host_of(url)} served no DID document of {did[:80]} (its id must be the DID "
                           "and it must list verificationMethod)", "tell the issuer",
                           code="E_NETWORK_BAD_ANSWER")
    return document


def did_documents_for(received: list[Received], kept: Mapping[str, Any], policy: NetPolicy) -> dict[str, Any]:
    """DID -> document for every did:web issuer of `received` that `kept` (the wallet's DID
    documents) lacks; a DID that is no plain did:web is left to the verification to refuse."""
    found: dict[str, Any] = {}
    for item in received:
        did = unverified_issuer_did(item)
        if did is None or not did.startswith(PREFIX) or did in kept or did in found:
            continue
        try:
            did_web_url(did)
        except BadInputError:
            continue  # nothing is fetched for it: its credential fails as "unknown DID"
        found[did] = fetch_did_document(did, policy)
    return found


def unverified_issuer_did(item: Received) -> str | None:
    """The issuer a credential claims, if it is a DID (read only to know whose document to fetch):
    `iss` of a JWT VC or SD-JWT VC, `issuer` (or its `id`) of a Data Integrity credential."""
    from skillpass.formats.jose import payload_json, read_compact
    from skillpass.ingest import parse_json

    try:
        if item.format == "ldp_vc":
            credential = parse_json(item.unverified_credential)
            issuer = credential.get("issuer") if isinstance(credential, dict) else None
            issuer = issuer.get("id") if isinstance(issuer, dict) else issuer
        else:
            text = item.unverified_credential.decode("ascii").strip()
            issuer = payload_json(read_compact(text.split("~")[0], "credential"), "credential").get("iss")
    except (UnicodeDecodeError, SkillpassError):
        return None  # the verification says what is wrong with it
    return issuer if isinstance(issuer, str) and issuer.startswith("did:") else None


def _malformed(did: Any, reason: str) -> BadInputError:
    shown = did[:80] if isinstance(did, str) else "(not a string)"
    return BadInputError(f"cannot resolve {shown}: {reason}",
                         "keep the issuer's DID document with 'skillpass dids add FILE'",
                         code="E_DID_MALFORMED")
