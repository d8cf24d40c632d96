"""skillpass.jsonld.direct_rdf makes the canonical N-Quads pyld's toRdf makes, or steps aside.

Each case is canonicalized twice, once with the walk and once with it switched off (pyld's
expand, node map and toRdf), and must give the same text or the same error: on every document
in the published vectors and our fixtures, on random credential-shaped documents over the
bundled contexts, and on the shapes the walk leaves to pyld. What the walk remembers is a
function of contexts only: a changed document is worked out again.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from issuing import signed_ob3
from skillpass.errors import SkillpassError
from skillpass.jsonld import canon, direct_rdf
from skillpass.jsonld.loader import ContextStore

TESTS = Path(__file__).parent
CONTEXTS = Path(canon.__file__).parent / "contexts"
V1 = "https://www.w3.org/2018/credentials/v1"
V2 = "https://www.w3.org/ns/credentials/v2"
OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
DI2 = "https://w3id.org/security/data-integrity/v2"
ED2020 = "https://w3id.org/security/suites/ed25519-2020/v1"


def _outcome(document: Any, safe: bool) -> tuple[str, ...]:
    try:
        return ("ok", canon.canonize(document, safe=safe))
    except SkillpassError as error:
        return ("error", error.code, str(error))


def _both(document: Any, safe: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any, bool]:
    """(outcome with the walk, outcome with pyld alone, whether the walk answered)."""
    walked: list[bool] = []
    walk = direct_rdf.to_quads

    def spy(*args: Any) -> Any:
        quads = walk(*args)
        walked.append(quads is not None)
        return quads

    with monkeypatch.context() as patch:
        patch.setattr(direct_rdf, "to_quads", spy)
        ours = _outcome(document, safe)
        patch.setattr(direct_rdf, "to_quads", lambda *args: None)
        theirs = _outcome(document, safe)
    return ours, theirs, bool(walked and walked[0])


def _documents(value: Any) -> Iterator[dict[str, Any]]:
    """Every object with an @context in a JSON value (credentials, presentations, proofs...)."""
    if isinstance(value, dict):
        if "@context" in value:
            yield value
        for item in value.values():
            yield from _documents(item)
    elif isinstance(value, list):
        for item in value:
            yield from _documents(item)


def _json_files(vectors: Path) -> list[Path]:
    return sorted(p for root in (vectors, TESTS) for p in root.rglob("*.json")
                  if "node_modules" not in p.parts)


def _documents_in(vectors: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Each JSON-LD document in the vectors and the tests' fixtures, with its file."""
    for path in _json_files(vectors):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            continue
        for document in _documents(data):
            yield path, document


def test_every_vector_and_fixture_canonicalizes_as_pyld_does(
        vectors: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    walked = compared = 0
    for path, document in _documents_in(vectors):
        for safe in (True, False):
            ours, theirs, used = _both(document, safe, monkeypatch)
            assert ours == theirs, (path, safe)
            walked += used
            compared += 1
    # the walk answers for most of them, so the comparison above is not pyld against itself
    assert compared > 300 and walked > compared // 2


def test_the_walk_answers_for_a_signed_credential_and_its_presentation(
        monkeypatch: pytest.MonkeyPatch) -> None:
    credential, _ = signed_ob3("eddsa-rdfc-2022")
    presentation = {"@context": [V2], "type": ["VerifiablePresentation"],
                    "holder": "did:example:holder", "verifiableCredential": [credential]}
    unsigned = {k: v for k, v in credential.items() if k != "proof"}
    for document in (credential, unsigned, presentation):
        ours, theirs, used = _both(document, True, monkeypatch)
        assert used and ours == theirs and ours[0] == "ok"
    # the presentation's credential sits in a named graph of its own
    assert any(len(line.split()) == 5 for line in _outcome(presentation, True)[1].splitlines())


LEFT_TO_PYLD = [
    {"@context": [V2], "type": "VerifiableCredential", "name": {"@value": "x", "@language": "en"}},
    {"@context": [V2, {"l": {"@id": "https://ex.example/l", "@container": "@list"}}], "l": [1, 2]},
    {"@context": [V2, {"r": {"@reverse": "https://ex.example/r"}}], "id": "urn:x:1",
     "r": {"id": "urn:x:2"}},
    {"@context": [V2], "id": "_:b7", "type": "VerifiableCredential", "name": "x"},
    {"@context": [V2], "type": "VerifiableCredential", "undefinedTerm": "x"},
    {"@context": [V2], "type": "VerifiableCredential", "@nest": {"name": "x"}},
    {"@context": [V2], "@graph": [{"id": "urn:x:1", "name": "x"}]},
    {"@context": [V2], "type": "VerifiableCredential", "id": 5},
    {"@context": [V2], "type": [{"no": "type"}]},
    {"@context": [V2, {"j": {"@id": "https://ex.example/j", "@type": "@json"}}], "j": {"a": [1]}},
    {"@context": [V2, {"m": {"@id": "https://ex.example/m", "@container": "@language"}}],
     "m": {"en": "x", "fr": "y"}},
    {"@context": [V2, {"@direction": "rtl", "d": "https://ex.example/d"}], "d": "x"},
    {"@context": ["https://unknown.example/context"], "name": "x"},
    {"@context": 5, "name": "x"},
]


@pytest.mark.parametrize("document", LEFT_TO_PYLD)
@pytest.mark.parametrize("safe", [True, False])
def test_shapes_the_walk_does_not_know_go_to_pyld(document: dict[str, Any], safe: bool,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    ours, theirs, used = _both(document, safe, monkeypatch)
    assert not used and ours == theirs


def test_relative_iris_and_an_empty_object_drop_out_as_in_pyld(
        monkeypatch: pytest.MonkeyPatch) -> None:
    document = {"@context": [V2], "id": "relative/credential", "type": ["VerifiableCredential"],
                "issuer": {"id": "also-relative", "name": "Issuer"},
                "credentialSubject": [{}, {"id": "did:example:1", "name": ["a", "a", "b"]}],
                "validFrom": "2024-01-01T00:00:00Z", "name": None}
    ours, theirs, used = _both(document, True, monkeypatch)
    assert used and ours == theirs
    # a node with a relative @id loses its statements, and a reference to it is dropped too
    assert "relative" not in ours[1] and '"Issuer"' not in ours[1]
    assert ours[1].count("<did:example:1> <https://schema.org/name>") == 2


def test_an_inline_scoped_context_changed_in_place_is_not_remembered(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def document() -> dict[str, Any]:
        return {"@context": [V2, {"Thing": {"@id": "https://ex.example/Thing", "@context": {
            "label": "https://ex.example/label"}}}], "type": "Thing", "label": "x"}

    first = document()
    before = canon.canonize(first)
    first["@context"][1]["Thing"]["@context"]["label"] = "https://ex.example/other"
    assert "https://ex.example/other" in canon.canonize(first)
    # a fresh copy of the first text still means what it meant (nothing kept points into the
    # object that was changed)
    assert canon.canonize(document()) == before
    ours, theirs, used = _both(document(), True, monkeypatch)
    assert used and ours == theirs == ("ok", before)


def _terms() -> list[str]:
    """Terms the bundled contexts define, at any depth (scoped contexts included)."""
    found: set[str] = set()

    def collect(value: Any) -> None:
        if isinstance(value, dict):
            found.update(k for k in value if not k.startswith("@") and ":" not in k)
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    for name in ("credentials-v2.jsonld", "ob-v3p0-context-3.0.3.json", "credentials-v1.jsonld"):
        collect(json.loads((CONTEXTS / name).read_text(encoding="utf-8")))
    return sorted(found)


TERMS = _terms()
CLASSES = [t for t in TERMS if t[:1].isupper()]
KEYS = st.sampled_from(TERMS + ["id", "type", "@id", "@type", "https://ex.example/p", "ex:p",
                                "undefinedTerm", "@value", "@language", "@list"])
STRINGS = st.sampled_from(["https://ex.example/a", "did:example:123", "urn:uuid:1", "relative",
                           "", "_:b1", "en", "2024-01-01T00:00:00Z", "Achievement", "ex:thing",
                           "a b", "\u00e9\n\"", "@id"]) | st.text(max_size=6)
SCALARS = (STRINGS | st.integers(-3, 10**22) | st.floats(allow_nan=False, width=32)
           | st.booleans() | st.none())
CONTEXT_LISTS = st.sampled_from([
    [V2], [V2, OB3], [V1], [V1, ED2020], [V2, DI2], [V1, OB3],
    [V2, {"ex": "https://ex.example/", "extra": "ex:extra"}],
    [V2, {"@vocab": "https://vocab.example/"}],
])


def _nodes(values: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    types = st.lists(st.sampled_from(CLASSES + ["https://ex.example/T", "Nope"]), max_size=3)
    return st.fixed_dictionaries(
        {}, optional={"id": STRINGS, "type": types | st.sampled_from(CLASSES)}
    ).flatmap(lambda head: st.dictionaries(KEYS, values, max_size=4).map(
        lambda body: {**body, **head}))


VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | _nodes(inner),
                      max_leaves=12)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(context=CONTEXT_LISTS, node=_nodes(VALUES), safe=st.booleans())
def test_random_credential_shaped_documents_canonicalize_as_pyld_does(
        context: list[Any], node: dict[str, Any], safe: bool) -> None:
    document = {"@context": context, **node}
    with pytest.MonkeyPatch.context() as monkeypatch:
        ours, theirs, _ = _both(document, safe, monkeypatch)
    assert ours == theirs


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(subject=_nodes(VALUES), issuer=st.sampled_from(["did:example:1", {"id": "did:example:2",
                                                                          "name": "Issuer"}]))
def test_random_open_badges_canonicalize_as_pyld_does(subject: dict[str, Any],
                                                      issuer: Any) -> None:
    document = {"@context": [V2, OB3], "type": ["VerifiableCredential", "OpenBadgeCredential"],
                "issuer": issuer, "validFrom": "2024-01-01T00:00:00Z",
                "credentialSubject": {"type": ["AchievementSubject"],
                                      "achievement": {"type": ["Achievement"], **subject}}}
    with pytest.MonkeyPatch.context() as monkeypatch:
        ours, theirs, _ = _both(document, True, monkeypatch)
    assert ours == theirs


def test_two_stores_serving_one_url_differently_are_kept_apart() -> None:
    # what the walk remembers is per store: the same URL, the same document, two meanings
    url = "https://ctx.example/one"
    first, second = (ContextStore.from_bytes({url: json.dumps({"@context": {
        "name": f"https://{host}/name", "Thing": f"https://{host}/Thing"}}).encode()})
        for host in ("a.example", "b.example"))
    document = {"@context": url, "@type": "Thing", "name": "x"}
    for _ in range(2):
        a, b = canon.canonize(document, first), canon.canonize(document, second)
        assert "https://a.example/name" in a and "https://b.example/name" in b


# sha256 of the pyld 3.3.0 methods the walk follows step for step (their source, in this order)
_MIRRORED = ["to_rdf", "expand", "_expand", "_expand_object", "_prepare_nested_context",
             "_expand_value", "_graph_to_rdf", "_object_to_rdf", "_revert_to_previous_context",
             "get_context_value"]
_MIRRORED_SHA256 = "2395e8345840d150283829a112e842b745a8ceed512c5c773b0c5f281f50e59e"


def test_the_pyld_steps_the_walk_follows_are_those_it_was_written_against() -> None:
    """A pyld release that changes expansion, the node map or toRdf must fail here: the walk
    would no longer make the quads pyld makes."""
    import hashlib
    import inspect

    canon.expand({"@context": {"a": "https://a.example/"}, "a": 1})  # installs the speed-ups
    from pyld import jsonld

    processor = jsonld.JsonLdProcessor
    source = "".join(inspect.getsource(getattr(processor, name)) for name in _MIRRORED)
    # the node map is patched by skillpass.jsonld.speedups; its original is in the closure
    source += inspect.getsource(processor._create_node_map.__closure__[0].cell_contents)
    assert hashlib.sha256(source.encode()).hexdigest() == _MIRRORED_SHA256


def test_ecdsa_sd_quads_are_pyld_s_on_every_vector_and_fixture(
        vectors: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """sd_primitives.to_quads walks where pyld's labels do not matter or no blank node is made:
    the same statements (the same canonical form where the labels are the walk's own)."""
    from skillpass.jsonld import rdfc10
    from skillpass.jsonld.nquads import serialize_nquad
    from skillpass.suites import sd_primitives as sd

    store = ContextStore.bundled()

    def outcome(document: Any, any_labels: bool) -> tuple[Any, ...]:
        try:
            quads = sd.to_quads(document, store, any_labels=any_labels)
        except SkillpassError as error:
            return ("error", error.code, str(error))
        if not any_labels:
            return ("ok", sorted(set(map(serialize_nquad, quads))))
        try:
            return ("ok", rdfc10.canonicalize(quads).text)
        except rdfc10.CanonicalizationLimitError:
            return ("limit",)

    walk = direct_rdf.to_pyld_quads
    walked = compared = 0
    for path, document in _documents_in(vectors):
        for any_labels in (False, True):
            used: list[bool] = []

            def spy(*args: Any, **kwargs: Any) -> Any:
                quads = walk(*args, **kwargs)
                used.append(quads is not None)
                return quads

            monkeypatch.setattr(direct_rdf, "to_pyld_quads", spy)
            ours = outcome(document, any_labels)
            monkeypatch.setattr(direct_rdf, "to_pyld_quads", lambda *a, **k: None)
            assert ours == outcome(document, any_labels), (path, any_labels)
            walked += bool(used and used[0])
            compared += 1
    assert compared > 300 and walked > compared // 3
