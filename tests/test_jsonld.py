"""Offline JSON-LD: pinned bundled contexts, the no-network loader, RDFC-1.0 canonicalization."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import socket
from pathlib import Path
from typing import Any

import pytest

from skillpass.errors import BadInputError, UnverifiableError
from skillpass.jsonld import canon
from skillpass.jsonld.canon import canonize, context_urls, expand, has_inline_context, to_rdf_nquads
from skillpass.jsonld.loader import ContextStore

CONTEXTS_DIR = Path(canon.__file__).parent / "contexts"
VECTORS = Path(__file__).resolve().parents[2] / "shared" / "vectors"

VC2 = "https://www.w3.org/ns/credentials/v2"
OB303 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
UNKNOWN = "https://example.com/contexts/unknown-v1.jsonld"

SMALL_VC: dict[str, Any] = {
    "@context": [VC2],
    "id": "urn:uuid:6a1bcd1e-0000-4000-8000-000000000001",
    "type": ["VerifiableCredential"],
    "issuer": "did:example:issuer",
    "validFrom": "2024-01-01T00:00:00Z",
    "credentialSubject": {"name": "Ada"},
}

# By hand from the VC 2.0 context: type -> rdf:type cred:VerifiableCredential; issuer and
# credentialSubject are @id-typed cred: terms; validFrom is xsd:dateTime; name is schema:name.
# The subject has no id, so it is the only blank node: _:c14n0.
# Lines sorted by code point ('<' < '_').
SMALL_VC_NQUADS = (
    "<urn:uuid:6a1bcd1e-0000-4000-8000-000000000001> "
    "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
    "<https://www.w3.org/2018/credentials#VerifiableCredential> .\n"
    "<urn:uuid:6a1bcd1e-0000-4000-8000-000000000001> "
    "<https://www.w3.org/2018/credentials#credentialSubject> _:c14n0 .\n"
    "<urn:uuid:6a1bcd1e-0000-4000-8000-000000000001> "
    "<https://www.w3.org/2018/credentials#issuer> <did:example:issuer> .\n"
    "<urn:uuid:6a1bcd1e-0000-4000-8000-000000000001> "
    "<https://www.w3.org/2018/credentials#validFrom> "
    "\"2024-01-01T00:00:00Z\"^^<http://www.w3.org/2001/XMLSchema#dateTime> .\n"
    "_:c14n0 <https://schema.org/name> \"Ada\" .\n"
)

BUNDLED_URLS = [
    "https://www.w3.org/2018/credentials/v1",
    VC2,
    "https://w3id.org/security/data-integrity/v1",
    "https://w3id.org/security/data-integrity/v2",
    "https://w3id.org/security/suites/ed25519-2020/v1",
    "https://w3id.org/security/multikey/v1",
    "https://w3id.org/security/v1",
    "https://w3id.org/security/v2",
    "https://www.w3.org/ns/credentials/status/v1",
    "https://w3id.org/vc/status-list/2021/v1",
    "https://www.w3.org/ns/did/v1",
    "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json",
    OB303,
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
]


def _vectors(*parts: str) -> Path:
    path = VECTORS.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared vectors not available: {path}")
    return path


def _trusted_store_from_shared() -> ContextStore:
    """Bundled contexts plus, as user-trusted extras, the shared contexts we do not ship."""
    index = json.loads(_vectors("contexts", "index.json").read_bytes())
    bundled = ContextStore.bundled()
    extra = {e["url"]: (VECTORS / "contexts" / e["file"]).read_bytes()
             for e in index if e["url"] not in bundled}
    return bundled.with_extra(extra)


# -- the bundled contexts ------------------------------------------------------------------------

def test_manifest_lists_every_file_with_its_sha256() -> None:
    manifest = json.loads((CONTEXTS_DIR / "manifest.json").read_bytes())
    files = {p.name for p in CONTEXTS_DIR.iterdir()} - {"manifest.json"}
    assert {e["file"] for e in manifest["contexts"]} == files
    for entry in manifest["contexts"]:
        data = (CONTEXTS_DIR / entry["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["file"]
        assert "@" in entry["package"] and entry["path"]
        assert isinstance(json.loads(data)["@context"], (dict, list))


def test_bundled_store_serves_the_expected_contexts() -> None:
    store = ContextStore.bundled()
    assert store is ContextStore.bundled()
    assert set(BUNDLED_URLS) <= set(store.urls())
    store.verify_all()


def test_tampered_context_file_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "contexts"
    shutil.copytree(CONTEXTS_DIR, copy)
    path = copy / "credentials-v2.jsonld"
    path.write_bytes(path.read_bytes().replace(b"https://schema.org/name", b"https://evil/name"))
    store = ContextStore.from_directory(copy)
    with pytest.raises(UnverifiableError) as err:
        store.get(VC2)
    assert err.value.code == "E_CONTEXT_TAMPERED" and VC2 in err.value.message
    with pytest.raises(UnverifiableError):
        canonize(SMALL_VC, store)


def test_tampered_bytes_against_a_pin_are_refused() -> None:
    good = b'{"@context": {"name": "https://schema.org/name"}}'
    store = ContextStore.from_bytes({UNKNOWN: good.replace(b"schema", b"evil")},
                                    pins={UNKNOWN: hashlib.sha256(good).hexdigest()})
    with pytest.raises(UnverifiableError, match="does not match its pinned sha256"):
        store.get(UNKNOWN)


# -- unknown contexts and the loader ---------------------------------------------------------------

def test_unknown_context_names_the_url_with_a_hint() -> None:
    with pytest.raises(UnverifiableError) as err:
        ContextStore.bundled().get(UNKNOWN)
    assert err.value.code == "E_CONTEXT_UNKNOWN"
    assert err.value.message == f"unknown JSON-LD context {UNKNOWN}"
    assert err.value.hint == (
        f"if you trust it, add it with: skillpass contexts add FILE --url {UNKNOWN}")


@pytest.mark.parametrize("operation", [canonize, expand, to_rdf_nquads])
def test_unknown_context_in_a_document_surfaces_through_pyld(operation: Any) -> None:
    doc = {**SMALL_VC, "@context": [VC2, UNKNOWN]}
    with pytest.raises(UnverifiableError) as err:
        operation(doc)
    assert err.value.code == "E_CONTEXT_UNKNOWN" and UNKNOWN in err.value.message
    assert err.value.__cause__ is None and err.value.__traceback__ is not None


def test_unknown_context_imported_by_an_inline_context() -> None:
    doc = {**SMALL_VC, "@context": [VC2, {"@import": UNKNOWN}]}
    with pytest.raises(UnverifiableError, match=UNKNOWN):
        canonize(doc)


def test_user_trusted_context_is_served_only_by_the_store_that_has_it() -> None:
    extra = {UNKNOWN: b'{"@context": {"hobby": "https://example.com/vocab#hobby"}}'}
    doc = {**SMALL_VC, "@context": [VC2, UNKNOWN]}
    trusted = ContextStore.bundled().with_extra(extra)
    assert trusted is ContextStore.bundled().with_extra(extra)
    assert UNKNOWN in trusted.urls() and UNKNOWN not in ContextStore.bundled()
    hobby = {**doc, "credentialSubject": {"name": "Ada", "hobby": "chess"}}
    name_quad = '_:c14n0 <https://schema.org/name> "Ada" .\n'
    hobby_quad = '_:c14n0 <https://example.com/vocab#hobby> "chess" .\n'
    assert canonize(hobby, trusted) == SMALL_VC_NQUADS.replace(name_quad, hobby_quad + name_quad)
    # pyld caches resolved contexts by URL; the bundled store must not inherit the trusted one.
    with pytest.raises(UnverifiableError):
        canonize(hobby)


def test_many_context_urls_work_on_the_first_call() -> None:
    # pyld alone refuses an 11th uncached context URL ("context overflow") but not a cached one
    extra = {f"https://example.com/c{i}": json.dumps({"@context": {f"t{i}": f"urn:t{i}"}}).encode()
             for i in range(14)}
    doc = {"@context": [VC2, *extra], "id": "urn:x", "t13": "a"}
    assert canonize(doc, ContextStore.bundled().with_extra(extra)) == '<urn:x> <urn:t13> "a" .\n'


def test_user_context_never_replaces_a_bundled_one() -> None:
    trusted = ContextStore.bundled().with_extra({VC2: b'{"@context": {}}'})
    assert trusted.get(VC2) is ContextStore.bundled().get(VC2)


def test_bad_user_context_is_bad_input() -> None:
    with pytest.raises(BadInputError) as err:
        ContextStore.bundled().with_extra({UNKNOWN: b"[1, 2]"})
    assert err.value.code == "E_CONTEXT_BAD"


def test_a_user_context_that_is_not_json_says_where_and_why() -> None:
    with pytest.raises(BadInputError) as err:
        ContextStore.bundled().with_extra({UNKNOWN: b'{"@context":\n  {"a": "\x1b"}}'})
    assert err.value.message == (f"JSON-LD context {UNKNOWN} is not valid JSON: "
                                 "line 2, column 10: control character U+001B unescaped inside a string")


def test_document_loader_shape_and_isolation() -> None:
    store = ContextStore.bundled()
    remote = store.document_loader(VC2, {})
    assert remote["contextUrl"] is None and remote["documentUrl"] == VC2
    assert remote["document"] == store.get(VC2)
    remote["document"]["@context"]["name"] = "https://evil/name"
    assert store.get(VC2)["@context"]["name"] == "https://schema.org/name"
    with pytest.raises(UnverifiableError):
        store.document_loader(UNKNOWN)


def test_canonize_never_touches_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    fresh = ContextStore.from_directory(CONTEXTS_DIR)  # nothing cached yet
    assert canonize(SMALL_VC, fresh) == SMALL_VC_NQUADS
    with pytest.raises(UnverifiableError):
        canonize({**SMALL_VC, "@context": [VC2, "https://example.com/other"]}, fresh)


# -- canonicalization ----------------------------------------------------------------------------

def test_canonize_small_vc2_matches_the_hand_derived_nquads() -> None:
    assert canonize(SMALL_VC) == SMALL_VC_NQUADS


def test_a_term_no_context_defines_is_refused_not_silently_unsigned() -> None:
    # "degree" is defined nowhere (VC 2.0 has no @vocab; that lives in undefined-terms/v2):
    # pyld would drop it from the statements a proof covers while it still shows in the JSON.
    undefined = {**SMALL_VC, "credentialSubject": {"name": "Ada", "degree": "BSc"}}
    with pytest.raises(BadInputError) as refused:
        canonize(undefined)
    assert refused.value.code == "E_JSONLD_UNDEFINED_TERM"
    assert "'degree'" in refused.value.message


def test_to_rdf_nquads_is_not_canonicalized() -> None:
    nquads = to_rdf_nquads(SMALL_VC)
    assert "_:b0" in nquads and "_:c14n" not in nquads
    assert sorted(nquads.splitlines()) == sorted(
        SMALL_VC_NQUADS.replace("_:c14n0", "_:b0").splitlines())


def test_expand_uses_bundled_contexts() -> None:
    [node] = expand(SMALL_VC)
    assert node["@type"] == ["https://www.w3.org/2018/credentials#VerifiableCredential"]


def test_relative_iris_drop_out_instead_of_taking_a_made_up_base() -> None:
    doc = {**SMALL_VC, "credentialSubject": {"id": "relative/path", "name": "Ada"}}
    assert "example.org" not in canonize(doc) and "relative/path" not in canonize(doc)


@pytest.mark.parametrize("bad_context", [5, [VC2, 7], [None, True], True])
def test_context_urls_rejects_malformed_context(bad_context: Any) -> None:
    with pytest.raises(BadInputError) as err:
        context_urls({"@context": bad_context})
    assert err.value.code == "E_JSONLD"


def test_context_urls_and_inline_detection() -> None:
    assert context_urls(SMALL_VC) == [VC2]
    assert context_urls({"@context": VC2}) == [VC2]
    assert context_urls({}) == []
    inline = {"@context": [VC2, {"x": "https://example.com/x"}]}
    assert context_urls(inline) == [VC2] and has_inline_context(inline)
    assert not has_inline_context(SMALL_VC)


@pytest.mark.parametrize("document", [
    {**SMALL_VC, "@context": [VC2, 42]},
    {**SMALL_VC, "@context": [VC2, {"@version": 2.0}]},
    {**SMALL_VC, "@context": [VC2, {"id": "urn:not-a-keyword-redefinition"}]},
    {"@context": {"@vocab": 5}, "a": 1},
    {"@id": {"not": "a string"}},
    [1, 2, 3],
    "https://example.com/remote-document",
])
def test_malformed_json_ld_is_bad_input(document: Any) -> None:
    with pytest.raises(BadInputError) as err:
        canonize(document)
    assert err.value.code == "E_JSONLD" and err.value.message.startswith("not valid JSON-LD: ")
    assert "\n" not in err.value.message


def test_poison_graph_is_unverifiable_not_malformed() -> None:
    n = 12  # a clique of equivalent blank nodes: RDFC-1.0 would walk n! permutations
    graph = [{"@id": f"_:b{i}", "https://example.com/p": [{"@id": f"_:b{j}"} for j in range(n)
                                                         if j != i]} for i in range(n)]
    with pytest.raises(UnverifiableError) as err:
        canonize({"@graph": graph})
    # nobody is blamed: the proof is neither good nor bad, it could not be checked (exit 10)
    assert err.value.code == "E_CANON_LIMIT" and int(err.value.exit_status) == 10
    assert err.value.message == (
        "the document has more look-alike blank nodes than canonicalization allows (the same "
        "limit as jsonld.js), so its proof could not be checked here")
    assert err.value.hint and "id" in err.value.hint


def test_a_ring_of_look_alike_blank_nodes_is_refused_as_jsonld_js_refuses_it() -> None:
    # every node of a 5-ring shares its first-degree hash and each needs 5 deep iterations: 25
    # exceeds rdf-canonize's default bound of 5 (tests/interop/test_interop_canon.py checks it)
    ring = [{"@id": f"_:r{i}", "https://example.com/next": {"@id": f"_:r{(i + 1) % 5}"}}
            for i in range(5)]
    with pytest.raises(UnverifiableError) as err:
        canonize({"@graph": ring})
    assert err.value.code == "E_CANON_LIMIT"


def test_a_credential_past_the_bound_is_reported_unverifiable_not_invalid() -> None:
    from datetime import datetime, timezone

    from issuing import new_issuer, sign

    from skillpass.verifier import verify_presentation

    issuer = new_issuer("Ed25519")
    signed = sign({**SMALL_VC, "issuer": issuer.did}, issuer, "eddsa-rdfc-2022")
    # a ring of three blank nodes after signing: two of them look alike and need 4 deep
    # iterations, twice the bound; what the signature says is never reached
    nxt = "https://example.com/next"
    signed["credentialSubject"][nxt] = {"id": "_:r0", nxt: {"id": "_:r1", nxt: {
        "id": "_:r2", nxt: {"id": "_:r0"}}}}

    report = verify_presentation(signed, store=ContextStore.bundled(), did_cache={}, trust=None,
                                 challenge=None, domain=None, allow_unbound=True,
                                 now=datetime(2026, 3, 1, tzinfo=timezone.utc))

    assert report.outcome == "unverifiable"
    assert report.check("credential 1 proof").code == "E_CANON_LIMIT"


def test_look_alike_blank_nodes_within_the_bound_still_canonicalize() -> None:
    # three people with one name and one (blank) address: six blank nodes, none unique at first
    # degree, settled with exactly the six deep iterations the bound allows
    person = {"https://schema.org/name": "Ada",
              "https://schema.org/address": {"https://schema.org/addressLocality": "Sudbury"}}
    nquads = canonize({"@graph": [person, person, person]})
    assert nquads.count("\n") == 9
    assert sorted(set(re.findall(r"_:c14n\d+", nquads))) == [f"_:c14n{i}" for i in range(6)]


def test_repeated_canonize_gives_the_same_text() -> None:
    assert canonize(SMALL_VC) == canonize(SMALL_VC) == canonize(json.loads(json.dumps(SMALL_VC)))


# -- published vectors (skipped without ../shared/vectors) ---------------------------------------

@pytest.mark.vectors
def test_open_badge_3_vector_canonicalizes_with_bundled_contexts() -> None:
    doc = json.loads(_vectors("ob3", "signed", "ob3_unsigned.json").read_bytes())
    expected = _vectors("ob3", "signed", "ob3_document-canon.nq").read_text(encoding="utf-8")
    assert context_urls(doc) == [VC2, OB303]
    assert canonize(doc) == expected


@pytest.mark.vectors
@pytest.mark.parametrize(("document", "canonical"), [
    ("eddsa-rdfc-2022/unsigned.json", "eddsa-rdfc-2022/canonDocDataInt.txt"),
    ("eddsa-rdfc-2022/proofConfigDataInt.json", "eddsa-rdfc-2022/proofCanonDataInt.txt"),
    ("eddsa-rdfc-2022/employmentAuth.json", "eddsa-rdfc-2022/employ/canonDocDataInt.txt"),
    ("ecdsa-rdfc-2019/unsigned.json", "ecdsa-rdfc-2019/p256/canonDocECDSAP256.txt"),
    ("ecdsa-rdfc-2019/p384/proofConfigECDSAP384.json",
     "ecdsa-rdfc-2019/p384/proofCanonECDSAP384.txt"),
    ("ed25519-signature-2020/unsigned.json", "ed25519-signature-2020/canonDocEdSig.txt"),
    ("ed25519-signature-2020/proofConfigEdSig.json", "ed25519-signature-2020/proofCanonEdSig.txt"),
    ("ob3/signed/clr2_unsigned.json", "ob3/signed/clr2_document-canon.nq"),
])
def test_w3c_vectors_with_user_trusted_contexts(document: str, canonical: str) -> None:
    # These vectors use contexts no npm package ships (examples v2, citizenship, CLR 2.0): they
    # are loaded here the way a user would trust them, with `skillpass contexts add`.
    doc = json.loads(_vectors(*document.split("/")).read_bytes())
    expected = _vectors(*canonical.split("/")).read_text(encoding="utf-8")
    assert canonize(doc, _trusted_store_from_shared()) == expected


@pytest.mark.vectors
def test_vendored_contexts_equal_the_shared_copies() -> None:
    """Same bytes, or at least the same JSON, as ../shared/vectors/contexts (OB 3.0.3 aside)."""
    index = {e["url"]: e for e in json.loads(_vectors("contexts", "index.json").read_bytes())}
    manifest = json.loads((CONTEXTS_DIR / "manifest.json").read_bytes())
    for entry in manifest["contexts"]:
        other = index.get(entry["url"])
        if other is None or other["sha256"] == entry["sha256"]:
            continue
        mine = json.loads((CONTEXTS_DIR / entry["file"]).read_bytes())
        if entry["url"] == OB303:
            # npm ships the 2024 spec-repo text; the validator's 2026 copy adds jti, endorsementJwt
            other = {"file": "ob-v3p0-context-3.0.3.spec-repo-2024.json"}
        theirs = json.loads((VECTORS / "contexts" / other["file"]).read_bytes())
        assert mine == theirs, entry["url"]


def test_reused_scoped_contexts_give_the_same_canonical_form_in_any_order() -> None:
    """skillpass.jsonld.speedups lets pyld reuse processed type-scoped contexts across documents;
    the canonical form of each document must not depend on what was processed before it."""
    import subprocess
    import sys

    code = """
import json, sys
sys.path.insert(0, 'tests')
from issuing import new_issuer, ob3
from skillpass.jsonld.canon import canonize
issuer = new_issuer('Ed25519')
issuer = type(issuer)('did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK', None)
docs = [ob3('A', issuer=issuer), ob3('B', issuer=issuer, v1=True),
        ob3('C', issuer=issuer, credentialSubject={'type': ['AchievementSubject'], 'name': 'x'})]
order = [int(i) for i in sys.argv[1]]
out = {i: canonize(docs[i]) for i in order}
print(json.dumps([out[i] for i in range(3)]))
"""
    repo = Path(__file__).resolve().parents[1]
    runs = [subprocess.run([sys.executable, "-c", code, order], capture_output=True, text=True, check=True,
                           cwd=repo).stdout for order in ("012", "210", "1020")]
    assert runs[0] == runs[1] == runs[2]
    assert "Achievement" in runs[0]


def test_a_context_file_with_a_byte_order_mark_is_read() -> None:
    from skillpass.jsonld.loader import parse_context

    assert parse_context("https://x.example/c.json", b'\xef\xbb\xbf{"@context": {"a": "https://a.example/"}}') == {
        "@context": {"a": "https://a.example/"}}
