"""Answering a verifier's request (`share --request`): read the request, match it against the
wallet, show the learner exactly what goes out and to whom, present with the request's nonce and
audience, send (OpenID4VP direct_post / direct_post.jwt) or write the answer, record it.

Composed from the public pieces of `share` (formats' fields/signer/present, record_share), as
flow/passport.py's signed_page is: the request, not the learner's --reveal, makes the selection.
Nothing is read from the wallet before the request checked out, and nothing is recorded until
the verifier took the answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from skillpass.errors import CancelledError, SkillpassError, UsageError

if TYPE_CHECKING:
    from skillpass.flow.session import Session
    from skillpass.net.http import NetPolicy
    from skillpass.oid4vp.request import VerifierRequest
    from skillpass.oid4vp.select import Match


@dataclass(frozen=True)
class AnswerOptions:
    request: str  # REQUEST: a link, an https URL, a file, or '-'
    ids: tuple[str, ...]  # only these credentials may answer (all when empty)
    policy: NetPolicy
    anchor_file: Path | None = None


@dataclass(frozen=True)
class _Part:
    """One presentation of the answer: the credential query it answers and what it carries."""

    query_id: str
    format: Any
    chosen: list[Any]
    whole: bool  # the credential cannot hide fields: it goes out whole
    titles: tuple[str, ...] = ()
    others: tuple[str, ...] = ()  # other credentials that would answer the same query


def answer_request(session: Session, options: AnswerOptions, stdin: Any, *, now: datetime,
                   confirm: Callable[[dict[str, Any]], bool],
                   deliver: Callable[[dict[str, Any] | str, str], str | None]) -> dict[str, Any]:
    """Answer the request; `confirm` sees the verifier and every field before anything is
    signed; `deliver` writes a request file's answer (no response endpoint) and says where."""
    from skillpass.flow.material import wallet_material
    from skillpass.formats.base import ShareOptions
    from skillpass.oid4vp.request import Reading, read_request

    request = read_request(options.request, stdin, Reading(options.policy, options.anchor_file, now))
    with session.open() as wallet:
        wallet.require_writable()  # before the learner is asked: the answer must go into the history
        parts = _parts(wallet, request, options.ids)
        suite = _did_authentication_suite(request, wallet.holder_keys()) if not parts[0].chosen else None
        share_options = ShareOptions(request.nonce, request.domain, suite, False)
        signers = [part.format.signer(part.chosen, wallet.holder_keys(), share_options) for part in parts]
        holder = next((s.key.did for s in signers if s.key is not None), None)
        question = _question(request, parts, holder)
        if not confirm(question):
            raise CancelledError("nothing shared", "the verifier got no answer")
        material = wallet_material(wallet, session.home)
        results = [part.format.present(part.chosen, signer, share_options, material, now)
                   for part, signer in zip(parts, signers)]
        outcome = _send(request, parts, results, options.policy, deliver)
        from skillpass.flow.sharing import record_share

        via = f"{request.response_mode} to {outcome['to']}" if outcome.get("to") else None
        for part, signer, result in zip(parts, signers, results):
            record_share(wallet, part.chosen, result, share_options, part.format.tag,
                         signer.key.did if signer.key is not None else None, now, via=via)
    warnings = [w for result in results for w in result.warnings] + outcome.pop("replyWarnings", [])
    return {**question, **outcome, "warnings": warnings,
            "presentations": {part.query_id: result.body for part, result in zip(parts, results)}}


def _parts(wallet: Any, request: VerifierRequest, ids: tuple[str, ...]) -> list[_Part]:
    from skillpass.oid4vp.select import matches

    if not request.query.credentials:
        if not request.query.did_authentication:
            raise UsageError("the request asks for nothing skillpass can answer", "ask the verifier what it needs",
                             code="E_REQUEST_UNSUPPORTED")
        from skillpass.formats import by_tag

        # DIDAuthentication alone (VC-API VPR): a presentation of no credential, signed by the
        # holder for the request's challenge and domain, proves control of the DID.
        return [_Part("DIDAuthentication", by_tag("ldp_vc"), [], False)]
    chosen = matches(request.query, _candidates(wallet, ids))
    parts = [_part(wallet, match) for match in chosen]
    if request.response_uri is None and len(parts) > 1:
        return [_grouped(parts)]  # a file holds one presentation
    return parts


SUITE_KEYS = {"eddsa-rdfc-2022": "Ed25519", "ecdsa-rdfc-2019": "P-256"}  # what skillpass signs with


def _did_authentication_suite(request: VerifierRequest, keys: list[Any]) -> str | None:
    """The suite (and so the key) a DIDAuthentication answer signs with: one the verifier takes,
    of a DID whose method it takes; UsageError when the wallet has none."""
    query = request.query
    if query.accepted_methods and not any(k.did.split(":")[1] in query.accepted_methods for k in keys):
        raise UsageError(f"the verifier takes DIDs of method {', '.join(query.accepted_methods)[:80]}, and the "
                         "wallet's are did:key", "ask the verifier to accept did:key", code="E_REQUEST_UNSATISFIED")
    if not query.accepted_cryptosuites:
        return None
    for suite in query.accepted_cryptosuites:
        if suite in SUITE_KEYS and any(k.key_type == SUITE_KEYS[suite] for k in keys):
            return suite
    raise UsageError(f"the verifier takes proofs by {', '.join(query.accepted_cryptosuites)[:80]}, none of which "
                     "skillpass signs presentations with", "ask the verifier to accept eddsa-rdfc-2022 or "
                     "ecdsa-rdfc-2019", code="E_REQUEST_UNSATISFIED")


def _candidates(wallet: Any, ids: tuple[str, ...]) -> list[Any]:
    from skillpass.flow.credentials import current_rows, stored_credential, summary_of
    from skillpass.oid4vp.select import Candidate

    allowed = {stored_credential(wallet, prefix).id for prefix in ids}
    found = []
    for cid, row in sorted(current_rows(wallet), key=lambda r: (str(r[1].get("issued") or ""), r[0]), reverse=True):
        if allowed and cid not in allowed:
            continue
        stored = stored_credential(wallet, cid)
        tag = str(stored.entry.get("format") or "ldp_vc")
        try:
            document = _document(tag, stored.raw)
        except (SkillpassError, ValueError):  # a credential the matcher cannot read answers nothing
            continue
        found.append(Candidate(cid, tag, summary_of(stored.entry).title.default or "", document))
    return found


def _document(tag: str, raw: bytes) -> Any:
    """The JSON a DCQL claims path is followed through (OpenID4VP 1.0 §7, Appendix B)."""
    import json

    if tag == "dc+sd-jwt":
        from skillpass.formats.sd_jwt_vc.vc import held

        return held(raw.decode("ascii").strip()).claims
    if tag == "jwt_vc_json":
        from skillpass.formats.vc_jwt.format import credential

        return credential(raw)
    return json.loads(raw)


def _part(wallet: Any, match: Match) -> _Part:
    from skillpass.flow.credentials import stored_credential, summary_of
    from skillpass.formats import of_entry
    from skillpass.formats.base import Chosen

    stored = stored_credential(wallet, match.credential.id)
    credential_format = of_entry(stored.entry)
    fields = credential_format.fields(stored.raw, summary_of(stored.entry))
    selection, whole = selection_for(fields, match.pointers)
    return _Part(match.query_id, credential_format, [Chosen(stored.id, stored.raw, fields, selection)], whole,
                 (match.credential.title,), match.others)


def selection_for(fields: Any, pointers: tuple[str, ...] | None) -> tuple[Any, bool]:
    """(the Selection revealing `pointers` and nothing else the format lets hide, whether the
    credential must go out whole instead)."""
    from skillpass.present.select import REVEAL_ALL, Selection

    if not fields.selective:
        return REVEAL_ALL, True
    if not pointers:
        return Selection((), False), False
    known = [f.pointer for f in fields.fields]
    picked: list[str] = []
    for pointer in pointers:
        if any(k == pointer or k.startswith(pointer + "/") for k in known):
            picked.append(pointer)
        else:  # inside a field shown as one (cnf): that field
            picked += [k for k in known if pointer.startswith(k + "/")]
    unique = list(dict.fromkeys(picked))
    return Selection(tuple(p for p in unique if not any(p != q and p.startswith(q + "/") for q in unique)),
                     False), False


def _grouped(parts: list[_Part]) -> _Part:
    first = parts[0]
    if any(p.format.tag != first.format.tag for p in parts) or first.format.tag == "dc+sd-jwt":
        raise UsageError("this request asks for credentials that cannot go out in one presentation file",
                         "answer it credential by credential with 'skillpass share ID'", code="E_FORMAT_MIXED")
    return _Part(first.query_id, first.format, [c for p in parts for c in p.chosen], any(p.whole for p in parts),
                 tuple(t for p in parts for t in p.titles))


def _question(request: VerifierRequest, parts: list[_Part], holder: str | None) -> dict[str, Any]:
    from skillpass.flow.sharing import preview_item

    credentials = []
    for part in parts:
        for chosen, title in zip(part.chosen, part.titles):
            item = preview_item(part.format, chosen, title)
            credentials.append({"id": chosen.ref, "query": part.query_id, "format": part.format.tag,
                                "title": title, "whole": part.whole, "alsoMatching": list(part.others),
                                "fields": item["fields"], "alwaysSent": item["alwaysSent"]})
    verifier = request.verifier
    return {"kind": request.kind, "verifier": {"clientId": verifier.client_id, "name": verifier.name,
                                               "authenticated": verifier.authenticated, "how": verifier.how},
            "purpose": request.purpose, "didAuthentication": request.query.did_authentication,
            "responseUri": request.response_uri, "responseMode": request.response_mode,
            "holder": holder, "challenge": request.nonce, "domain": request.domain, "credentials": credentials}


def _send(request: VerifierRequest, parts: list[_Part], results: list[Any], policy: NetPolicy,
          deliver: Callable[[dict[str, Any] | str, str], str | None]) -> dict[str, Any]:
    if request.response_uri is None or request.response_mode is None:
        return {"file": deliver(results[0].body, results[0].suffix), "sent": None}
    from skillpass.net.http import host_of
    from skillpass.oid4vp.response import post_response, response_parameters

    vp_token = {part.query_id: [result.body] for part, result in zip(parts, results)}
    sent = post_response(request.response_uri, request.response_mode,
                         response_parameters(vp_token, request.state), request.client_metadata, policy)
    return {"file": None, "to": host_of(request.response_uri),
            "sent": {"status": sent.status, "redirectUri": sent.redirect_uri}, "replyWarnings": list(sent.warnings)}
