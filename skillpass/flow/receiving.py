"""`receive`: an OpenID4VCI 1.0 offer -> metadata -> the learner confirms -> (a sign-in in the
browser, for an authorization code offer) -> token -> credentials
-> the same verification and storage as `import` (skillpass.flow.credentials).

Nothing is stored until every received credential has verified: each is checked first, then all
are stored; a failure anywhere before that leaves the wallet as it was. The issuer's JWT VC Issuer
Metadata (the keys an SD-JWT VC is checked with) is fetched from the issuer the offer names and kept
beside the credential, so that it verifies offline later, as after `trust add --metadata`; so is
the DID document of a did:web issuer the wallet does not keep yet (oid4vci.did_web), as after
`dids add`.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from skillpass.errors import (
    BadInputError,
    CancelledError,
    InvalidError,
    NotFoundError,
    SkillpassError,
    UnverifiableError,
)
from skillpass.net.http import NetPolicy

if TYPE_CHECKING:
    from skillpass.flow.session import Session
    from skillpass.oid4vci.holder import Prepared, Received

# the formats skillpass.formats calls these by (an older SD-JWT VC name among them)
_TAGS = {"dc+sd-jwt": "dc+sd-jwt", "vc+sd-jwt": "dc+sd-jwt", "jwt_vc_json": "jwt_vc_json", "ldp_vc": "ldp_vc"}


@dataclass(frozen=True)
class ReceiveOptions:
    offer: str  # the link, URL, offer JSON, or the text read from stdin
    tx_code: str | None = None
    did: str | None = None  # the holder DID the proof is signed with; default the P-256 one
    policy: NetPolicy = field(default_factory=NetPolicy)
    langs: tuple[str, ...] = ("en",)
    timeout: float = 300.0  # seconds the authorization code flow waits for the browser's sign-in


def receive(session: Session, options: ReceiveOptions, *, now: datetime,
            confirm: Callable[[dict[str, Any]], bool],
            ask_tx_code: Callable[[dict[str, Any]], str],
            show_authorization: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Receive every credential the offer names; what was received (ids, titles, formats).
    `show_authorization(url)` sends the learner to the issuer's sign-in (authorization code offers)."""
    from skillpass.oid4vci.holder import (
        prepare,
        request_credentials,
        request_token,
        request_token_with_code,
    )
    from skillpass.oid4vci.proof import DpopKey

    # 1. the wallet first: no connection for a wallet that cannot be opened
    with session.open() as wallet:
        key = holder_key(list(wallet.holder_keys()), options.did)
    # 2. the offer and the metadata it points to, shown before anything is asked for
    prepared = prepare(options.offer, options.policy, options.langs)
    for offered in prepared.offered:  # before the single-use code is spent
        check_proof_alg(prepared, offered.configuration_id, key)
    question = preview(prepared)
    if not confirm(question):
        raise CancelledError("nothing received", "pass --yes to receive without asking")
    # 3. token (DPoP when the server supports it, RFC 9449 §5.1): for the code the offer carries,
    # or for the one the learner's sign-in in the browser returns (§3.4)
    dpop = DpopKey() if "ES256" in prepared.server.dpop_algs else None
    if prepared.offer.pre_authorized_code is None:
        from skillpass.oid4vci.authorization import CLIENT_ID, authorize

        if show_authorization is None:
            raise BadInputError("this offer needs a sign-in in a browser", "run receive in a terminal",
                                code="E_OFFER_GRANT")
        code, verifier, redirect_uri = authorize(prepared, options.policy, show_authorization, options.timeout)
        token = request_token_with_code(prepared, code, verifier, redirect_uri, CLIENT_ID, options.policy, dpop, now)
    else:
        tx_code = None
        if prepared.offer.tx_code is not None:
            tx_code = options.tx_code if options.tx_code is not None else ask_tx_code(question)
        token = request_token(prepared, tx_code, options.policy, dpop, now)
    received: list[Received] = []
    for offered in prepared.offered:
        kid = key.verification_method if _binds_did(prepared, offered.configuration_id) else None
        received += request_credentials(prepared, token, offered, key.private_key(), kid, options.policy, dpop, now)
    # 4. the issuer keys they are checked with (JWT VC Issuer Metadata, did:web documents the
    # wallet does not keep yet), then verify all, then store all
    from skillpass.flow.material import trusted_material_of
    from skillpass.oid4vci.did_web import did_documents_for

    metadata = issuer_metadata_for(received, prepared, options.policy)
    with session.open() as wallet:
        kept_dids = trusted_material_of(wallet)[1]
    dids = did_documents_for(received, kept_dids, options.policy)
    outcomes = store_received(session, received, metadata, now, dids)
    return {"issuer": question["issuer"], "received": outcomes}


def holder_key(keys: list[Any], did: str | None) -> Any:
    if did is not None:
        for key in keys:
            if key.did == did:
                return key
        raise NotFoundError(f"the wallet has no DID {did}", "see 'skillpass did' for the wallet's DIDs")
    for key in keys:
        if key.key_type == "P-256":
            return key
    raise NotFoundError("the wallet has no P-256 key", "choose a key with --did")


def check_proof_alg(prepared: Prepared, configuration_id: str, key: Any) -> None:
    """§12.2.4 proof_types_supported: the issuer lists the algorithms it takes proofs in."""
    from skillpass.formats.jose import ALG_FOR_KEY

    proof_types = prepared.issuer.configurations[configuration_id].get("proof_types_supported")
    jwt = proof_types.get("jwt") if isinstance(proof_types, dict) else None
    if isinstance(proof_types, dict) and not isinstance(jwt, dict):
        raise BadInputError(f"the issuer of {configuration_id[:80]} takes no JWT key proof, the only kind "
                            "skillpass signs", "ask the issuer", code="E_OID4VCI_PROOF_TYPE")
    algs = jwt.get("proof_signing_alg_values_supported") if isinstance(jwt, dict) else None
    alg = ALG_FOR_KEY[key.key_type]
    if isinstance(algs, list) and alg not in algs:
        raise BadInputError(f"the issuer does not take key proofs signed with {alg} ({key.did[:40]}...)",
                            "choose another of your DIDs with --did (see 'skillpass did')",
                            code="E_OID4VCI_PROOF_TYPE")


def preview(prepared: Prepared) -> dict[str, Any]:
    """What the learner confirms: the issuer, what is offered, whether a code is needed."""
    tx = prepared.offer.tx_code
    return {
        "issuer": {"id": prepared.issuer.credential_issuer, "name": prepared.issuer.name},
        "credentials": [{"configuration": o.configuration_id, "format": o.format, "name": o.name,
                         **({"description": o.description} if o.description else {})}
                        for o in prepared.offered],
        "txCode": None if tx is None else {"inputMode": tx.input_mode, "length": tx.length,
                                           "description": tx.description},
    }


def _binds_did(prepared: Prepared, configuration_id: str) -> bool:
    """A JWT VC or Data Integrity credential names its subject by DID when the issuer binds to
    did:key; an SD-JWT VC always carries the key itself (`cnf.jwk`)."""
    configuration = prepared.issuer.configurations[configuration_id]
    methods = configuration.get("cryptographic_binding_methods_supported")
    return configuration.get("format") in ("jwt_vc_json", "ldp_vc") and isinstance(methods, list) \
        and any(m in ("did:key", "did") for m in methods)


def issuer_metadata_for(received: list[Received], prepared: Prepared, policy: NetPolicy) -> dict[str, Any]:
    """The JWT VC Issuer Metadata of each https `iss` of the JWT-shaped credentials, fetched only
    from the credential issuer's own host (no host the offer did not name)."""
    from skillpass.formats.issuer_keys import parse_metadata
    from skillpass.net.http import get, host_of
    from skillpass.oid4vci.metadata import json_object, well_known

    found: dict[str, Any] = {}
    for item in received:
        iss = _unverified_iss(item)
        if iss is None or iss in found or not iss.startswith("https://") \
                or host_of(iss) != host_of(prepared.issuer.credential_issuer):
            continue
        document = json_object(get(well_known(iss, "jwt-vc-issuer"), policy), "its JWT VC issuer metadata")
        metadata = parse_metadata(document)
        if metadata.issuer != iss:
            from skillpass.errors import NetworkError

            raise NetworkError(f"{host_of(iss)} published JWT VC issuer metadata for another issuer",
                               "tell whoever runs that service", code="E_NETWORK_BAD_ANSWER")
        found[iss] = metadata
    return found


def _unverified_iss(item: Received) -> str | None:
    """The `iss` the credential claims (read only to know whose keys to fetch)."""
    from skillpass.formats.jose import payload_json, read_compact

    if _TAGS.get(item.format) not in ("dc+sd-jwt", "jwt_vc_json"):
        return None
    try:
        text = item.unverified_credential.decode("ascii").strip()
        claims = payload_json(read_compact(text.split("~")[0], "credential"), "credential")
    except (UnicodeDecodeError, SkillpassError):
        return None  # the verification below says what is wrong with it
    iss = claims.get("iss")
    return iss if isinstance(iss, str) and urlsplit(iss).scheme == "https" else None


def store_received(session: Session, received: list[Received], metadata: dict[str, Any],
                   now: datetime, dids: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Exactly `import`'s check and store, with the fetched issuer metadata and DID documents
    beside the wallet's: every credential checked first (any failure raises, nothing stored),
    then the DID documents kept (as `dids add` keeps them), then each credential stored."""
    from skillpass.flow.credentials import import_candidate, ImportContext
    from skillpass.flow.status import kept_lists
    from skillpass.flow.material import wallet_material
    from skillpass.formats import by_tag

    with session.open() as wallet:
        material = wallet_material(wallet, session.home)
        material = replace(material, trusted=replace(material.trusted,
                                                     did_cache=ChainMap(dids or {}, material.trusted.did_cache),
                                                     metadata=ChainMap(metadata, material.trusted.metadata)))
        found = []
        for item in received:
            for candidate in _readable(item):
                if candidate.format != _TAGS.get(item.format):
                    raise InvalidError(f"the issuer sent a {candidate.format} credential for a "
                                       f"{item.format} offer", "tell the issuer", code="E_OID4VCI_FORMAT")
                try:  # raises if it fails: nothing of the offer is kept
                    by_tag(candidate.format).check(candidate.raw, material, now, False)
                except (BadInputError, InvalidError, UnverifiableError) as exc:
                    raise type(exc)(f"the {item.configuration_id} credential the issuer sent was not kept: "
                                    f"{exc.message}", exc.hint, code=exc.code) from None
                found.append((item, candidate))
        for did, document in (dids or {}).items():  # first: a credential is never kept without its key
            keep_did_document(wallet, did, document)
        context = ImportContext(material, now, False, list(wallet.holder_keys()), status_lists=kept_lists(wallet))
        outcomes = []
        for item, candidate in found:
            outcome = import_candidate(wallet, candidate, context)
            outcomes.append({**outcome.to_dict(), "format": candidate.format, "configuration": item.configuration_id})
    return outcomes


def _readable(item: Received) -> list[Any]:
    """The credentials of what the issuer sent; bytes that are no credential at all are the
    issuer answering outside the protocol (exit 14), not the learner's input (import's exit 8)."""
    from skillpass.errors import NetworkError
    from skillpass.ingest import Source, candidates

    try:
        return list(candidates(Source(f"{item.configuration_id} ({item.format})", item.unverified_credential)))
    except BadInputError as exc:
        raise NetworkError(f"the {item.configuration_id[:80]} credential the issuer sent is not a credential "
                           f"skillpass can read ({exc.message})", "tell the issuer; nothing of this offer was kept",
                           code="E_NETWORK_BAD_ANSWER") from None


def keep_did_document(wallet: Any, did: str, document: dict[str, Any]) -> None:
    """The record `dids add` writes (flow.material.add_did_document)."""
    from skillpass.wallet.wallet import utc_now

    wallet.put_json("did", wallet.record_id("did", did), {"id": did, "document": document, "added": utc_now()},
                    replace=True)
