"""What a verifier asks for, whatever the request language: DCQL (OpenID4VP 1.0 §6), a DIF
Presentation Exchange v2 `presentation_definition`, or a W3C VC-API Verifiable Presentation
Request (QueryByExample, DIDAuthentication), each read into one `Query`.

A `Query` is a list of credential queries, each naming the formats and types it accepts and the
claims (paths into the credential) it wants; `claim_sets` are alternatives (the first one the
credential satisfies wins), and `credential_sets` are alternatives of whole credentials. The
wallet side (oid4vp/select.py) turns it into a selection; this module only reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from skillpass.errors import BadInputError

MAX_QUERIES = 20  # credentials one request may ask for
MAX_CLAIMS = 100  # claims one credential query may name
MAX_PATH = 32  # steps of one claim path
MAX_PATTERN = 200  # characters of a Presentation Exchange filter pattern (matched with Python's re)
_ID = re.compile(r"[A-Za-z0-9_-]{1,100}")  # §6.1: alphanumeric, underscore or hyphen
SD_JWT_FORMATS = ("dc+sd-jwt", "vc+sd-jwt")  # vc+sd-jwt: the draft name some verifiers still send
W3C_FORMATS = ("ldp_vc", "jwt_vc_json")
SD_JWT_VC_TAG = "dc+sd-jwt"  # the wallet's tag for SD-JWT VCs, whichever name the request uses

PathStep = str | int | None  # a key, an array index, or None: every element of an array


@dataclass(frozen=True)
class ClaimQuery:
    path: tuple[PathStep, ...]
    values: tuple[Any, ...] | None = None  # the claim must have one of these values
    id: str | None = None
    pattern: str | None = None  # Presentation Exchange filter.pattern on a string value
    alternatives: tuple[tuple[PathStep, ...], ...] = ()  # Presentation Exchange: other paths, in order


@dataclass(frozen=True)
class CredentialQuery:
    id: str
    formats: tuple[str, ...]  # wallet format tags: dc+sd-jwt, ldp_vc, jwt_vc_json
    vct_values: tuple[str, ...] = ()  # SD-JWT VC types, any of them
    type_values: tuple[tuple[str, ...], ...] = ()  # W3C types: every type of one of these sets
    claims: tuple[ClaimQuery, ...] | None = None  # None: only what is always revealed
    claim_sets: tuple[tuple[str, ...], ...] = ()
    issuers: tuple[str, ...] = ()  # accepted issuers (VPR acceptedIssuers), any of them
    name: str | None = None
    purpose: str | None = None


@dataclass(frozen=True)
class CredentialSet:
    options: tuple[tuple[str, ...], ...]
    required: bool = True
    purpose: str | None = None


@dataclass(frozen=True)
class Query:
    language: str  # "dcql", "presentation_definition", "vpr"
    credentials: tuple[CredentialQuery, ...]
    credential_sets: tuple[CredentialSet, ...] = ()
    purpose: str | None = None
    did_authentication: bool = False  # a VPR asks the holder to prove control of a DID
    accepted_methods: tuple[str, ...] = ()  # DIDAuthentication: the DID methods it takes (any if empty)
    accepted_cryptosuites: tuple[str, ...] = ()  # DIDAuthentication: the suites it takes (any if empty)
    definition_id: str | None = None  # Presentation Exchange: for the presentation_submission
    extra: dict[str, Any] = field(default_factory=dict)


def bad(message: str, code: str = "E_REQUEST") -> BadInputError:
    return BadInputError(message, "ask the verifier for a valid OpenID4VP, Presentation Exchange or "
                         "VC-API request", code=code)


# -- DCQL (OpenID4VP 1.0 §6) -------------------------------------------------------------------


def dcql_query(unverified: Any) -> Query:
    """A DCQL query object read and checked (§6.1 to §6.4)."""
    if not isinstance(unverified, dict) or not isinstance(unverified.get("credentials"), list):
        raise bad("the DCQL query has no 'credentials' array")
    items = unverified["credentials"]
    if not 1 <= len(items) <= MAX_QUERIES:
        raise bad(f"the DCQL query asks for {len(items)} credentials (1 to {MAX_QUERIES} are read)")
    credentials = tuple(_dcql_credential(item) for item in items)
    ids = [c.id for c in credentials]
    if len(set(ids)) != len(ids):
        raise bad("two DCQL credential queries have the same id")
    sets = tuple(_dcql_set(item, set(ids)) for item in _list(unverified.get("credential_sets", []), "credential_sets"))
    return Query("dcql", credentials, sets)


def _dcql_credential(item: Any) -> CredentialQuery:
    if not isinstance(item, dict):
        raise bad("a DCQL credential query is not an object")
    cid, fmt, meta = item.get("id"), item.get("format"), item.get("meta", {})
    if not isinstance(cid, str) or not _ID.fullmatch(cid):
        raise bad("a DCQL credential query has no valid id")
    if not isinstance(fmt, str):
        raise bad(f"the DCQL credential query {cid!r} names no format")
    if not isinstance(meta, dict):
        raise bad(f"the DCQL credential query {cid!r} has a 'meta' that is not an object")
    # `multiple`: one matching credential is a valid answer to "one or more" (§6.1).
    # `trusted_authorities` (aki, etsi_tl, openid_federation) cannot be checked offline: not filtered on.
    formats = (SD_JWT_VC_TAG,) if fmt in SD_JWT_FORMATS else (fmt,) if fmt in W3C_FORMATS else ()
    vct = tuple(_strings(meta.get("vct_values", []), f"{cid}: vct_values"))
    types = tuple(tuple(_strings(t, f"{cid}: type_values")) for t in _list(meta.get("type_values", []), "type_values"))
    claims = None
    if "claims" in item:
        raw_claims = _list(item["claims"], f"{cid}: claims")
        if not 1 <= len(raw_claims) <= MAX_CLAIMS:
            raise bad(f"the DCQL credential query {cid!r} names {len(raw_claims)} claims (1 to {MAX_CLAIMS})")
        claims = tuple(_dcql_claim(c, cid) for c in raw_claims)
    claim_sets: tuple[tuple[str, ...], ...] = ()
    if "claim_sets" in item:
        if claims is None:
            raise bad(f"the DCQL credential query {cid!r} has claim_sets but no claims")
        known = {c.id for c in claims if c.id}
        claim_sets = tuple(tuple(_strings(s, f"{cid}: claim_sets")) for s in _list(item["claim_sets"], "claim_sets"))
        if not claim_sets or any(not s or not set(s) <= known for s in claim_sets):
            raise bad(f"the DCQL credential query {cid!r} has a claim set naming an unknown claim id")
    return CredentialQuery(cid, formats, vct, types, claims, claim_sets, name=fmt)


def _dcql_claim(item: Any, cid: str) -> ClaimQuery:
    if not isinstance(item, dict):
        raise bad(f"a claim of the DCQL credential query {cid!r} is not an object")
    path = item.get("path")
    if not isinstance(path, list) or not 1 <= len(path) <= MAX_PATH:
        raise bad(f"a claim of the DCQL credential query {cid!r} has no valid path")
    for step in path:
        if not (step is None or isinstance(step, str) or (isinstance(step, int) and not isinstance(step, bool)
                                                           and step >= 0)):
            raise bad(f"a claim path of {cid!r} has a step that is not a name, an index or null")
    values = item.get("values")
    if values is not None and (not isinstance(values, list) or not values
                               or any(isinstance(v, (dict, list)) for v in values)):
        raise bad(f"a claim of {cid!r} has 'values' that are not a list of strings, numbers or booleans")
    claim_id = item.get("id")
    if claim_id is not None and (not isinstance(claim_id, str) or not _ID.fullmatch(claim_id)):
        raise bad(f"a claim of {cid!r} has an invalid id")
    return ClaimQuery(tuple(path), tuple(values) if values is not None else None, claim_id)


def _dcql_set(item: Any, ids: set[str]) -> CredentialSet:
    if not isinstance(item, dict):
        raise bad("a DCQL credential set is not an object")
    options = tuple(tuple(_strings(o, "credential_sets.options")) for o in _list(item.get("options"), "options"))
    if not options or any(not o or not set(o) <= ids for o in options):
        raise bad("a DCQL credential set names a credential query the request does not have")
    required = item.get("required", True)
    return CredentialSet(options, required is not False, _text(item.get("purpose")))


# -- DIF Presentation Exchange v2 --------------------------------------------------------------


def presentation_definition(unverified: Any) -> Query:
    """The input descriptors of a Presentation Exchange v2 definition, each a credential query
    whose claims are the fields' first JSONPath (the rest are alternatives for other formats)."""
    if not isinstance(unverified, dict) or not isinstance(unverified.get("input_descriptors"), list):
        raise bad("the presentation definition has no 'input_descriptors' array")
    descriptors = unverified["input_descriptors"]
    if not 1 <= len(descriptors) <= MAX_QUERIES:
        raise bad(f"the presentation definition has {len(descriptors)} input descriptors (1 to {MAX_QUERIES})")
    formats = _pe_formats(unverified.get("format"))
    credentials = tuple(_pe_descriptor(d, formats) for d in descriptors)
    if len({c.id for c in credentials}) != len(credentials):
        raise bad("two input descriptors have the same id")
    return Query("presentation_definition", credentials, purpose=_text(unverified.get("purpose")),
                 definition_id=_text(unverified.get("id")))


_PE_FORMATS = {"ldp_vc": "ldp_vc", "ldp_vp": "ldp_vc", "ldp": "ldp_vc", "di_vc": "ldp_vc",
               "jwt_vc_json": "jwt_vc_json", "jwt_vc": "jwt_vc_json", "jwt_vp": "jwt_vc_json",
               "jwt": "jwt_vc_json", "vc+sd-jwt": "dc+sd-jwt", "dc+sd-jwt": "dc+sd-jwt"}
ALL_FORMATS = ("dc+sd-jwt", "ldp_vc", "jwt_vc_json")


def _pe_formats(value: Any) -> tuple[str, ...]:
    if not isinstance(value, dict) or not value:
        return ALL_FORMATS
    found = tuple(dict.fromkeys(_PE_FORMATS[k] for k in value if k in _PE_FORMATS))
    return found or ALL_FORMATS


def _pe_descriptor(item: Any, formats: tuple[str, ...]) -> CredentialQuery:
    if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"]:
        raise bad("an input descriptor has no id")
    did = item["id"][:100]
    constraints = item.get("constraints", {})
    if not isinstance(constraints, dict):
        raise bad(f"the input descriptor {did!r} has constraints that are not an object")
    claims, vct, types = [], [], []
    for fld in _list(constraints.get("fields", []), f"{did}: fields")[:MAX_CLAIMS]:
        if not isinstance(fld, dict):
            raise bad(f"a field of the input descriptor {did!r} is not an object")
        paths = [_jsonpath(p, did) for p in _strings(fld.get("path"), f"{did}: path")[:MAX_PATH]]
        if not paths:
            raise bad(f"a field of the input descriptor {did!r} has no path")
        if fld.get("optional") is True:
            continue  # asked for only if the holder wishes: not shared (minimal disclosure)
        flt = fld.get("filter") if isinstance(fld.get("filter"), dict) else {}
        const = flt.get("const")
        enum = flt.get("enum") if isinstance(flt.get("enum"), list) else None
        pattern = flt.get("pattern") if isinstance(flt.get("pattern"), str) else None
        if pattern is not None and len(pattern) > MAX_PATTERN:
            raise bad(f"a filter pattern of the input descriptor {did!r} is longer than {MAX_PATTERN} characters")
        if any(p in (("vct",), ("vc", "vct")) for p in paths) and isinstance(const, str):
            vct.append(const)
            continue
        if any(p in (("type",), ("vc", "type")) for p in paths):
            wanted = _type_filter(flt)
            if wanted:
                types.append((wanted,))
            continue
        values = (const,) if const is not None and not isinstance(const, (dict, list)) else \
            tuple(enum) if enum else None
        first, *others = _credential_paths(paths)
        claims.append(ClaimQuery(first, values, pattern=pattern, alternatives=tuple(others)))
    own = _pe_formats(item.get("format")) if item.get("format") else formats
    return CredentialQuery(did, own, tuple(vct), tuple(types), tuple(claims) if claims else None,
                           name=_text(item.get("name")), purpose=_text(item.get("purpose")))


def _type_filter(flt: dict[str, Any]) -> str | None:
    for candidate in (flt.get("const"), (flt.get("contains") or {}).get("const")
                      if isinstance(flt.get("contains"), dict) else None, flt.get("pattern")):
        if isinstance(candidate, str) and candidate:
            return candidate.strip("^$")
    return None


def _credential_paths(paths: list[tuple[PathStep, ...]]) -> list[tuple[PathStep, ...]]:
    """The paths into the credential itself, in order: `$.vc.x` (inside a VC-JWT's claims) is
    `$.x` of the credential skillpass keeps."""
    unwrapped = [p[1:] if p[:1] == ("vc",) and len(p) > 1 else p for p in paths]
    return list(dict.fromkeys(unwrapped))


_JSONPATH_STEP = re.compile(r"\.([A-Za-z0-9_@$-]+)|\[(\d+)\]|\['([^'\]]*)'\]|\[\"([^\"\]]*)\"\]|\[\*\]|\.\*")


def _jsonpath(text: str, did: str) -> tuple[PathStep, ...]:
    """A JSONPath of the simple kind Presentation Exchange uses ($.a.b, $['a'], $.a[0], [*])."""
    if not text.startswith("$") or len(text) > 500:
        raise bad(f"the input descriptor {did!r} has a path that is not a simple JSONPath")
    steps: list[PathStep] = []
    position = 1
    while position < len(text):
        match = _JSONPATH_STEP.match(text, position)
        if match is None:
            raise bad(f"the input descriptor {did!r} has a JSONPath skillpass cannot follow: {text[:80]!r}")
        name, index, quoted, dquoted = match.groups()
        steps.append(name if name is not None else int(index) if index is not None else
                     quoted if quoted is not None else dquoted if dquoted is not None else None)
        position = match.end()
    if not steps or len(steps) > MAX_PATH:
        raise bad(f"the input descriptor {did!r} has an empty or too deep path")
    return tuple(steps)


# -- W3C VC-API Verifiable Presentation Request ------------------------------------------------


def presentation_request(unverified: Any) -> Query:
    """The queries of a VPR: each QueryByExample credentialQuery a credential query (its example's
    `type` and `credentialSubject` keys, `acceptedIssuers`); DIDAuthentication a proof of the
    holder's DID (a signed presentation with the request's challenge and domain)."""
    if not isinstance(unverified, dict):
        raise bad("the presentation request is not a JSON object")
    queries = unverified.get("query")
    queries = [queries] if isinstance(queries, dict) else queries
    if not isinstance(queries, list) or not queries:
        raise bad("the presentation request has no 'query'")
    credentials: list[CredentialQuery] = []
    did_auth = False
    methods: list[str] = []
    suites: list[str] = []
    for query in queries[:MAX_QUERIES]:
        if not isinstance(query, dict):
            raise bad("a query of the presentation request is not an object")
        kind = query.get("type")
        if kind == "DIDAuthentication":
            did_auth = True
            methods += [m.get("method") for m in _list(query.get("acceptedMethods", []), "acceptedMethods")
                        if isinstance(m, dict) and isinstance(m.get("method"), str)]
            suites += [c.get("cryptosuite") for c in _list(query.get("acceptedCryptosuites", []),
                                                           "acceptedCryptosuites")
                       if isinstance(c, dict) and isinstance(c.get("cryptosuite"), str)]
        elif kind == "QueryByExample":
            wanted = query.get("credentialQuery")
            for one in [wanted] if isinstance(wanted, dict) else _list(wanted, "credentialQuery"):
                credentials.append(_by_example(one, f"query{len(credentials) + 1}"))
        else:
            raise bad(f"skillpass answers QueryByExample and DIDAuthentication queries, not {str(kind)[:40]!r}",
                      code="E_REQUEST_UNSUPPORTED")
    return Query("vpr", tuple(credentials), did_authentication=did_auth,
                 accepted_methods=tuple(dict.fromkeys(methods)), accepted_cryptosuites=tuple(dict.fromkeys(suites)))


def _by_example(item: Any, qid: str) -> CredentialQuery:
    if not isinstance(item, dict):
        raise bad("a credentialQuery is not an object")
    example = item.get("example", {})
    if not isinstance(example, dict):
        raise bad("a credentialQuery example is not an object")
    types = example.get("type", [])
    types = [types] if isinstance(types, str) else types
    type_set = tuple(t for t in _strings(types, "example.type") if t != "VerifiableCredential")
    subject = example.get("credentialSubject")
    claims = tuple(ClaimQuery(path) for path in _example_paths(subject, ("credentialSubject",))) \
        if isinstance(subject, dict) and subject else None
    issuers = []
    for issuer in _list(item.get("acceptedIssuers", []), "acceptedIssuers"):
        value = issuer.get("id") if isinstance(issuer, dict) else issuer
        if isinstance(value, str):
            issuers.append(value)
    formats = tuple(f for f in ("ldp_vc", "jwt_vc_json") if not item.get("acceptedCryptosuites") or f == "ldp_vc")
    return CredentialQuery(qid, formats, (), (type_set,) if type_set else (), claims, issuers=tuple(issuers),
                           purpose=_text(item.get("reason")))


def _example_paths(value: Any, prefix: tuple[PathStep, ...], depth: int = 0) -> list[tuple[PathStep, ...]]:
    """Each leaf of an example object: a claim the verifier wants (a value of "" or {} is a
    placeholder; `type` and `id` in the example are not claims asked for)."""
    paths: list[tuple[PathStep, ...]] = []
    for key, child in value.items():
        if key in ("type", "@context") or depth > MAX_PATH:
            continue
        if isinstance(child, dict) and child:
            paths += _example_paths(child, (*prefix, key), depth + 1)
        else:
            paths.append((*prefix, key))
    return paths[:MAX_CLAIMS]


# -- small readers ------------------------------------------------------------------------------


def _list(value: Any, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise bad(f"the request's {what} is not an array")
    return value


def _strings(value: Any, what: str) -> list[str]:
    items = _list(value, what)
    if any(not isinstance(v, str) for v in items):
        raise bad(f"the request's {what} holds something that is not a string")
    return items


def _text(value: Any) -> str | None:
    return value[:500] if isinstance(value, str) and value else None
