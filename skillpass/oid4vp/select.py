"""A verifier's Query against the wallet: which credential answers each credential query, and
exactly which of its fields go out (OpenID4VP 1.0 §6.4: the claims asked for, no more).

A claim path is followed through the credential's JSON (the SD-JWT VC's claims with every
disclosure applied; the W3C credential itself for ldp_vc and jwt_vc_json); `null` steps take
every element of an array. The pointers found become the learner's selection, as if typed
with --reveal; a credential that cannot hide fields goes out whole, and the preview says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from skillpass.encoding.pointer import child_pointer
from skillpass.errors import NotFoundError
from skillpass.oid4vp.query import ClaimQuery, CredentialQuery, PathStep, Query

MAX_POINTERS = 1000


@dataclass(frozen=True)
class Candidate:
    """A wallet credential as the matcher sees it."""

    id: str
    format: str
    title: str
    document: Any  # the JSON the claim paths are followed through


@dataclass(frozen=True)
class Match:
    query_id: str
    credential: Candidate
    pointers: tuple[str, ...] | None  # None: only what is always revealed
    others: tuple[str, ...] = ()  # the ids of other credentials that would answer too


@dataclass(frozen=True)
class Miss:
    query_id: str
    reason: str


def matches(query: Query, candidates: list[Candidate]) -> list[Match]:
    """One Match per credential query answered (§6.4.2: the credential sets' first satisfiable
    option, required sets only); NotFoundError naming what is missing when the query cannot be."""
    found: dict[str, Match] = {}
    misses: dict[str, Miss] = {}
    for credential_query in query.credentials:
        outcome = answer(credential_query, candidates)
        if isinstance(outcome, Match):
            found[credential_query.id] = outcome
        else:
            misses[credential_query.id] = outcome
    if not query.credential_sets:
        if misses:
            raise _missing(next(iter(misses.values())))
        return [found[c.id] for c in query.credentials]
    chosen: list[str] = []
    for credential_set in query.credential_sets:
        if not credential_set.required:
            continue  # §6.4.2: optional; left out, so that no more goes out than is needed
        option = next((o for o in credential_set.options if all(i in found for i in o)), None)
        if option is None:
            first = credential_set.options[0]
            raise _missing(next(misses[i] for i in first if i in misses))
        chosen += [i for i in option if i not in chosen]
    return [found[i] for i in chosen]


def _missing(miss: Miss) -> NotFoundError:
    return NotFoundError(f"no credential in the wallet answers the verifier's query {miss.query_id!r}: "
                         f"{miss.reason}", "import the credential it asks for, or answer the verifier another way",
                         code="E_REQUEST_UNSATISFIED")


def answer(credential_query: CredentialQuery, candidates: list[Candidate]) -> Match | Miss:
    """The first candidate that answers `credential_query`, or why none does (the reason of the
    candidate that came closest)."""
    reason = f"it asks for {_what(credential_query)}, and the wallet has none"
    found: list[Match] = []
    for candidate in candidates:
        if candidate.format not in credential_query.formats:
            continue
        if _type_mismatch(credential_query, candidate) is not None:
            continue
        outcome = _claims(credential_query, candidate)
        if isinstance(outcome, str):
            reason = f"{candidate.title or candidate.id} ({candidate.id}) {outcome}"
            continue
        found.append(Match(credential_query.id, candidate, outcome))
    if not found:
        return Miss(credential_query.id, reason)
    first = found[0]
    return Match(first.query_id, first.credential, first.pointers, tuple(m.credential.id for m in found[1:]))


def _what(q: CredentialQuery) -> str:
    kinds = "/".join(q.formats) or "a credential format skillpass does not hold"
    if q.vct_values:
        return f"a {kinds} of type {' or '.join(q.vct_values)}"
    if q.type_values:
        return f"a {kinds} of type {' or '.join('+'.join(t) for t in q.type_values)}"
    return f"a {kinds} credential"


def _type_mismatch(q: CredentialQuery, c: Candidate) -> str | None:
    document = c.document if isinstance(c.document, dict) else {}
    if q.vct_values and document.get("vct") not in q.vct_values:
        return "another vct"
    if q.type_values:
        types = document.get("type", [])
        types = {types} if isinstance(types, str) else \
            {t for t in types if isinstance(t, str)} if isinstance(types, list) else set()
        if not any(set(wanted) <= types or _expanded_match(wanted, types) for wanted in q.type_values):
            return "another type"
    if q.issuers:
        issuer = document.get("iss", document.get("issuer"))
        issuer = issuer.get("id") if isinstance(issuer, dict) else issuer
        if issuer not in q.issuers:
            return "another issuer"
    return None


def _expanded_match(wanted: Iterable[str], types: set[str]) -> bool:
    """DCQL type_values for ldp_vc are expanded IRIs (§B.1.1); a credential's types are usually
    compact terms: a wanted IRI matches a type that is its last segment."""
    short = {re.split(r"[#/]", t)[-1] for t in wanted}
    return bool(short) and short <= types


def _claims(q: CredentialQuery, c: Candidate) -> tuple[str, ...] | None | str:
    """The pointers the query asks for in `c`, or (a string) which claim `c` lacks."""
    if q.claims is None:
        return None
    by_id = {claim.id: claim for claim in q.claims if claim.id}
    sets = [[by_id[i] for i in s] for s in q.claim_sets] if q.claim_sets else [list(q.claims)]
    lacking = ""
    for claims in sets:
        pointers: list[str] = []
        for claim in claims:
            found = next((f for f in (follow(c.document, claim, path)
                                      for path in (claim.path, *claim.alternatives)) if f), [])
            if not found:
                lacking = f"has no claim {display_path(claim.path)}" + (
                    " with the value asked for" if claim.values is not None or claim.pattern else "")
                break
            pointers += found
        else:
            return tuple(dict.fromkeys(pointers))[:MAX_POINTERS]
    return lacking


def follow(document: Any, claim: ClaimQuery, path: tuple[PathStep, ...] | None = None) -> list[str]:
    """The JSON pointers `path` (default `claim.path`) reaches in `document` (§7: claims path
    pointers) whose value passes the claim's `values` / `pattern`; empty when it reaches nothing."""
    reached: list[tuple[str, Any]] = [("", document)]
    for step in claim.path if path is None else path:
        following: list[tuple[str, Any]] = []
        for pointer, value in reached:
            if step is None and isinstance(value, list):
                following += [(child_pointer(pointer, str(i)), v) for i, v in enumerate(value)]
            elif isinstance(step, int) and isinstance(value, list) and step < len(value):
                following.append((child_pointer(pointer, str(step)), value[step]))
            elif isinstance(step, str) and isinstance(value, dict) and step in value:
                following.append((child_pointer(pointer, step), value[step]))
        reached = following[:MAX_POINTERS]
        if not reached:
            return []
    return [p for p, v in reached if _value_passes(claim, v)]


def _value_passes(claim: ClaimQuery, value: Any) -> bool:
    if claim.values is not None and not any(value == v and type(value) is type(v) for v in claim.values):
        return False
    if claim.pattern is not None:
        try:
            return isinstance(value, str) and re.search(claim.pattern, value) is not None
        except re.error:
            return False
    return True


def display_path(path: tuple[PathStep, ...]) -> str:
    text = ""
    for step in path:
        text += "[*]" if step is None else f"[{step}]" if isinstance(step, int) else (f".{step}" if text else step)
    return text
