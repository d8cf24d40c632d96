"""The speed-ups of skillpass.jsonld (speedups, hot_paths) change no answer and keep no verdict.

Each replaced pyld helper is checked against pyld's own on the inputs that tell them apart; the
caches they rely on hold only what is a function of a bundled context, so a document verified
twice is worked out twice, and a tampered copy of a document that just verified still fails.
"""

from __future__ import annotations

import copy
import dataclasses
import enum
import json
import re
import uuid
from datetime import datetime, timezone
from typing import Any

import pytest
from frozendict import frozendict

from issuing import signed_ob3
from skillpass.errors import SkillpassError
from skillpass.formats.ldp_vc.verify import verify_credential
from skillpass.jsonld import canon, context_keys, hot_paths
from skillpass.jsonld.loader import ContextStore

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)
SAMPLES: list[Any] = ["@type", "@id", "@unknownish", "@", "@1", "", "name", "http://x.example/a",
                      "https://x.example/a b", "_:b0", "urn:uuid:1", "did:key:z6Mk#z6Mk", "a:b",
                      "1a:b", "a+b.c-d:e", ":a", None, 1, 1.5, True, [], {}, ["@id"], (), b"x",
                      frozendict({"a": 1})]


def _pyld() -> Any:
    canon.expand({"@context": {"a": "https://a.example/"}, "a": 1})  # installs the speed-ups
    from pyld import jsonld

    return jsonld


def _source_of(name: str) -> Any:
    import pyld

    path = pyld.__path__[0] + "/jsonld.py"
    text = open(path, encoding="utf-8").read()
    start = text.index(f"\ndef {name}(")
    end = text.index("\ndef ", start + 1)
    return compile(text[start:end], path, "exec")


def test_the_replaced_predicates_answer_as_pyld_does() -> None:
    jsonld = _pyld()
    for name in ("_is_keyword", "_is_absolute_iri", "_is_string", "_is_array", "_is_object"):
        namespace = dict(vars(jsonld), re=re)
        exec(_source_of(name), namespace)
        theirs, ours = namespace[name], getattr(jsonld, name)
        assert ours is not theirs
        for sample in SAMPLES:
            assert bool(ours(sample)) == bool(theirs(sample)), (name, sample)


def test_re_as_pyld_sees_it_matches_as_re_does() -> None:
    jsonld = _pyld()
    assert jsonld.re is not re
    for sample in ("@type", "@x1", "x", "en-CA", "1234", "-1"):
        for pattern in (jsonld.KEYWORD_PATTERN, jsonld.REGEX_BCP47, r"^[+-]?\d+$"):
            assert bool(jsonld.re.match(pattern, sample)) == bool(re.match(pattern, sample))
    assert jsonld.re.sub is re.sub and jsonld.re.IGNORECASE == re.IGNORECASE


def test_expand_iri_fast_path_agrees_with_pyld_for_every_kind_of_term() -> None:
    jsonld = _pyld()
    processor = jsonld.JsonLdProcessor()
    context = {"@context": {"@vocab": "https://vocab.example/", "name": "https://schema.org/name",
                            "nothing": None, "ex": "https://ex.example/"}}
    active = processor.process_context(processor._get_initial_context({}), context,
                                       {"documentLoader": lambda url, options=None: None,
                                        "contextResolver": _resolver()})
    wrapped = jsonld.JsonLdProcessor._expand_iri
    assert wrapped.__module__ == hot_paths.__name__
    pyld_own = wrapped.__closure__[0].cell_contents  # the wrapper's `original`: pyld's own
    assert pyld_own.__module__ == "pyld.jsonld"
    for value in ["name", "nothing", "ex:thing", "unknown", "@type", "@weird", "", "_:b0",
                  "https://a.example/x", None, 5]:
        for vocab in (True, False):
            assert wrapped(processor, active, value, vocab=vocab) == pyld_own(
                processor, active, value, vocab=vocab), (value, vocab)


def _resolver() -> Any:
    return ContextStore.bundled().context_resolver()


def test_the_context_key_tells_contexts_apart_and_falls_back_to_jcs() -> None:
    _pyld()
    from c14n.Canonicalize import canonicalize
    from pyld import context_resolver

    key = context_resolver.canonicalize
    assert key is not canonicalize
    assert key({"b": 1, "a": {"y": True, "x": "é"}}) == key({"a": {"x": "é", "y": True}, "b": 1})
    assert key({"a": 1}) != key({"a": "1"}) != key({"a": True})
    assert key({"@protected": True}) != key({"@protected": 1})
    # What json.dumps cannot write goes to pyld's own JCS, which refuses it too.
    with pytest.raises(Exception) as caught:
        key({"a": {1, 2}})
    assert "c14n" in caught.traceback[-1].path.as_posix()


@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "ecdsa-rdfc-2019", "Ed25519Signature2020"])
def test_a_tampered_document_fails_right_after_the_same_one_verified(suite: str) -> None:
    credential, _ = signed_ob3(suite)
    store = ContextStore.bundled()
    for _ in range(2):  # the second time through, every cache is warm
        verify_credential(credential, store=store, did_cache={}, now=NOW)

    tampered = copy.deepcopy(credential)
    tampered["credentialSubject"]["achievement"]["name"] = "Advanced Data Analysis"
    with pytest.raises(SkillpassError) as caught:
        verify_credential(tampered, store=store, did_cache={}, now=NOW)
    assert caught.value.code == "E_SIG_INVALID"

    # The very object that verified, changed in place, is worked out again, not remembered.
    credential["credentialSubject"]["achievement"]["name"] = "Advanced Data Analysis"
    with pytest.raises(SkillpassError):
        verify_credential(credential, store=store, did_cache={}, now=NOW)


def test_an_inline_scoped_context_changed_in_place_changes_the_statements() -> None:
    document = {"@context": [{"Thing": {"@id": "https://ex.example/Thing",
                                        "@context": {"label": "https://ex.example/label"}}}],
                "@type": "Thing", "label": "x"}
    before = canon.canonize(document, safe=False)
    document["@context"][0]["Thing"]["@context"]["label"] = "https://ex.example/other"
    after = canon.canonize(document, safe=False)

    assert "https://ex.example/label" in before and "https://ex.example/other" in after
    scoped = document["@context"][0]["Thing"]["@context"]
    assert context_keys.owned_key(scoped) is None  # only the store's own contexts are registered


def test_the_store_registers_the_scoped_contexts_it_hands_to_pyld() -> None:
    store = ContextStore.from_directory(ContextStore.bundled_directory())
    handed = store.document_loader("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json")
    scoped = handed["document"]["@context"]["Achievement"]["@context"]

    assert context_keys.owned_key(scoped) == context_keys.fresh_key(scoped, None).decode()
    assert context_keys.owned_key(copy.deepcopy(scoped)) is None


def test_jcs_strings_are_escaped_as_before_for_every_bmp_character() -> None:
    from skillpass.suites import jcs

    for code in range(0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        text = f"a{chr(code)}b"
        assert jcs.serialize_string(text) == jcs._serialize_string_slowly(text), hex(code)
    assert jcs.serialize_string("\U0001F600\"\\") == jcs._serialize_string_slowly("\U0001F600\"\\")
    with pytest.raises(SkillpassError):
        jcs.serialize_string("lone \ud800 surrogate")


def test_jcs_orders_ascii_and_other_keys_by_utf16_units() -> None:
    from skillpass.suites import jcs

    value = {"b": 1, "a": 2, "B": 3, "\U0001F600": 4, "\ufb01": 5, "é": 6}
    # U+1F600 is D83D DE00 in UTF-16, so it sorts before U+FB01 (the order JavaScript uses)
    assert jcs.canonicalize(value).decode() == (
        '{"B":3,"a":2,"b":1,"é":6,"\U0001F600":4,"\ufb01":5}')
    assert jcs.canonicalize({"z": 1, "a": {"y": 2, "c": 3}}) == b'{"a":{"c":3,"y":2},"z":1}'


def test_cborld_gives_the_same_bytes_with_a_warm_store_as_with_a_fresh_one() -> None:
    """Term ids depend on the order contexts are met; the store's remembered context tables
    (skillpass.encoding.cborld.terms) must give the ids a fresh store gives, for any order."""
    from skillpass.encoding import cborld

    credential, _ = signed_ob3("eddsa-rdfc-2022")
    ed2020, _ = signed_ob3("Ed25519Signature2020")
    inline = {"@context": [{"Thing": {"@id": "https://ex.example/Thing",
                                      "@context": {"label": "https://ex.example/label"}}}],
              "@type": "Thing", "label": "x"}
    warm = ContextStore.from_directory(ContextStore.bundled_directory())
    for document in (credential, ed2020, inline, credential):
        fresh = ContextStore.from_directory(ContextStore.bundled_directory())
        for format in cborld.FORMATS:
            data = cborld.encode(document, store=warm, format=format)
            assert data == cborld.encode(document, store=fresh, format=format)
            assert cborld.decode(data, store=warm) == cborld.decode(data, store=fresh) == document


def test_the_pyld_internals_the_speedups_replace_keep_their_shape() -> None:
    """A pyld release that renames or reshapes these must fail here, not lose a speed-up or,
    worse, keep a replacement that no longer matches."""
    import inspect as inspection

    jsonld = _pyld()
    from pyld import context_resolver

    assert list(inspection.signature(context_resolver.ContextResolver._get).parameters) == [
        "self", "key"]
    assert "canonicalize(dict(ctx))" in inspection.getsource(context_resolver.ContextResolver.resolve)
    pyld_own = jsonld.JsonLdProcessor._expand_iri.__closure__[0].cell_contents
    assert list(inspection.signature(pyld_own).parameters) == [
        "self", "active_ctx", "value", "base", "vocab", "local_ctx", "defined"]
    assert "@type" in jsonld.KEYWORDS and jsonld.KEYWORD_PATTERN == r"^@[a-zA-Z]+$"


def test_base58_decodes_two_digits_at_a_time_as_it_did_one_at_a_time() -> None:
    import os

    from skillpass.keys import multibase

    def one_at_a_time(text: str) -> bytes:
        n = 0
        for char in text:
            n = n * 58 + multibase._B58_ALPHABET.index(char)
        zeros = len(text) - len(text.lstrip("1"))
        return b"\0" * zeros + (n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b"")

    for size in [*range(0, 70), 200]:
        data = b"\0" * (size % 3) + os.urandom(size)
        text = multibase.b58encode(data)
        assert multibase.b58decode(text, max_bytes=300) == one_at_a_time(text) == data
    with pytest.raises(SkillpassError) as caught:
        multibase.b58decode("z6Mk0OIl", max_bytes=10)
    assert "'0'" in caught.value.message


@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "ecdsa-sd-2023"])
def test_statements_from_warm_caches_are_those_from_cold_ones(suite: str) -> None:
    """The second document through a store skips the scoped-context clones and re-keying; the
    canonical statements must be those a fresh store gives."""
    credential, _ = signed_ob3(suite)
    document = {key: value for key, value in credential.items() if key != "proof"}
    warm = ContextStore.from_directory(ContextStore.bundled_directory())
    canon.canonize({**document, "name": "warming up"}, warm)
    for _ in range(2):
        cold = ContextStore.from_directory(ContextStore.bundled_directory())
        assert canon.canonize(document, warm) == canon.canonize(document, cold)
        assert canon.expand(document, warm) == canon.expand(document, cold)


# parse_json calls the C scanner directly on small, plain input; every input must get from it
# what the whole way (_parse_json_checked) gives, and what it is due: the same value (compared as
# JSON text, so that 1, 1.0 and true differ), or an error with the same code.
def _error(code: str) -> tuple[str, str]:
    return ("error", code)


def _value(text: str) -> tuple[str, str]:
    return ("value", text)


JSON_CASES = [
    (b'{"a": 1}', _value('{"a": 1}')), (b'[1, 2.5, "x", null, true]', _value('[1, 2.5, "x", null, true]')),
    (b' {"a": 1}', _value('{"a": 1}')), (b'{"a": 1} ', _value('{"a": 1}')),
    (b'\xef\xbb\xbf{"a": 1}', _value('{"a": 1}')), (b'{"a": 1, "a": 2}', _error("E_DUP_KEY")),
    (b'{"b": {"a": 1, "a": 1}}', _error("E_DUP_KEY")), (b'[NaN]', _error("E_JSON")), (b'[Infinity]', _error("E_JSON")),
    (b'[-Infinity]', _error("E_JSON")), (b'[1e999]', _error("E_JSON")), (b'["\\ud800"]', _error("E_ENCODING")),
    (b'["\\ud83d\\ude00"]', _value('["\\ud83d\\ude00"]')), (b'["a\\u0000"]', _value('["a\\u0000"]')),
    (b'["a\x00"]', _error("E_ENCODING")), (b'', _error("E_EMPTY")), (b'   ', _error("E_EMPTY")),
    (b'{"a": 1}x', _error("E_JSON")), (b'{"a": 1}{}', _error("E_JSON")),
    (b'[' * 65 + b']' * 65, _error("E_TOO_DEEP")), (b'[' * 64 + b']' * 64, _value("[" * 64 + "]" * 64)),
    (b'\xff"x"', _error("E_ENCODING")), (b'"\xc3"', _error("E_ENCODING")), (b'"\xc3\xa9"', _value('"\\u00e9"')),
    (b'1' * 5000, _error("E_JSON")), (b'[' + b'1,' * 25_000 + b'1]', _error("E_TOO_MANY_VALUES")),
    (b'{"a": [1, {"b": "c"}]}', _value('{"a": [1, {"b": "c"}]}')), (b'[1,]', _error("E_JSON")),
    (b'{"a" 1}', _error("E_JSON")), (b'"x"', _value('"x"')), (b'12', _value("12")), (b'-0', _value("0")),
    (b'[1.0, -2e-3]', _value("[1.0, -0.002]")), (b'[1, 1.0, true]', _value("[1, 1.0, true]")),
    (b'{"\xc3\xa9": "\xe2\x82\xac"}', _value('{"\\u00e9": "\\u20ac"}')),
]


@pytest.mark.parametrize(("raw", "expected"), JSON_CASES)
def test_the_json_fast_path_answers_as_the_checked_path(raw: bytes, expected: tuple[str, str]) -> None:
    from skillpass.ingest import _parse_json_checked, parse_json

    def outcome(parse: Any) -> Any:
        try:
            return _value(json.dumps(parse(raw)))
        except SkillpassError as exc:
            return _error(exc.code)

    assert outcome(parse_json) == expected
    assert outcome(_parse_json_checked) == expected


def test_base32_decodes_as_base64_b32decode_did() -> None:
    import base64
    import random

    from skillpass.qr.vpqr import _base32_decode

    def before(text: str) -> Any:  # the decoder this one replaced
        if "=" in text or len(text) % 8 in (1, 3, 6):
            return "refused"
        try:
            return base64.b32decode(text + "=" * (-len(text) % 8))
        except ValueError:
            return "refused"

    def now(text: str) -> Any:
        try:
            return _base32_decode(text)
        except SkillpassError as exc:
            assert exc.code == "E_VPQR_ENCODING"
            return "refused"

    rng = random.Random(15)
    for size in range(0, 120):
        data = bytes([0] * (size % 3)) + rng.randbytes(size)
        text = base64.b32encode(data).decode("ascii").rstrip("=")
        assert now(text) == before(text) == data
        for _ in range(4):
            where = rng.randrange(len(text) + 1)
            changed = text[:where] + rng.choice("AZ27a18= \u00e9_+-\n") + text[where + 1:]  # int() reads _+- \n
            assert now(changed) == before(changed)
            longer = text + rng.choice("AQ7")
            assert now(longer) == before(longer)


def test_base58_encodes_four_digits_at_a_time_as_it_did_one_at_a_time() -> None:
    import random

    from skillpass.keys.multibase import _B58_ALPHABET, b58encode

    def before(data: bytes) -> str:
        zeros = len(data) - len(data.lstrip(b"\0"))
        n, out = int.from_bytes(data, "big"), []
        while n:
            n, r = divmod(n, 58)
            out.append(_B58_ALPHABET[r])
        return "1" * zeros + "".join(reversed(out))

    rng = random.Random(58)
    samples = [b"", b"\0", b"\0\0\x01", b"\x39", b"\x3a", bytes([0x0D, 0x24]), bytes([0x0D, 0x23])]
    samples += [bytes(rng.randrange(3) * [0]) + rng.randbytes(rng.randrange(70)) for _ in range(2000)]
    around_steps = [58**k + d for k in range(1, 13) for d in (-1, 0, 1)]  # four digits a step now
    samples += [n.to_bytes((n.bit_length() + 7) // 8, "big") for n in around_steps]
    for data in samples:
        assert b58encode(data) == before(data)


def test_a_disclosure_read_fast_is_the_dataclass_built_by_its_constructor() -> None:
    import dataclasses

    from skillpass.formats.sd_jwt_vc import sd_jwt

    text = sd_jwt.b64url(b'["2GLC42sKQveCfGfryNRN9w", "given_name", {"a": [1]}]')
    read = sd_jwt.parse_disclosure(text)
    built = sd_jwt.Disclosure(text, "2GLC42sKQveCfGfryNRN9w", "given_name", {"a": [1]})
    assert read == built and type(read) is sd_jwt.Disclosure and vars(read) == vars(built)
    with pytest.raises(dataclasses.FrozenInstanceError):
        read.name = "family_name"  # type: ignore[misc]
    element = sd_jwt.parse_disclosure(sd_jwt.b64url(b'["s", 3]'))
    assert (element.salt, element.name, element.value) == ("s", None, 3)


def test_strict_base64url_refuses_what_it_refused_before() -> None:
    import base64

    from skillpass.keys.multibase import b64url_decode

    def outcome(text: Any, max_bytes: int = 64) -> Any:
        try:
            return b64url_decode(text, max_bytes=max_bytes)
        except SkillpassError as exc:
            return exc.code

    assert outcome(base64.urlsafe_b64encode(b"\xfb\xff\xfe").decode()) == b"\xfb\xff\xfe"
    assert outcome("AQ") == b"\x01" and outcome("") == b""
    for text in ("AR", "AQJ", "A", "AQ==", "AQ=", "+/+/", "AQ\n", " AQ", "A\u0661", "AQ.", "AQ\x00"):
        assert outcome(text) == "E_ENCODING", text
    assert outcome("AAAA" * 30, max_bytes=10) == "E_TOO_LARGE"
    assert outcome(b"AQ") == "E_ENCODING" and outcome(None) == "E_ENCODING"


def test_cborld_term_ids_added_at_once_are_those_added_one_by_one() -> None:
    from skillpass.encoding.cborld import terms

    terms_list = ["name", "@type", "id", "name", "zeta", "alpha", "id", "type", "Ω"]
    one, bulk = terms.TermIds(terms.KEYWORDS), terms.TermIds(terms.KEYWORDS)
    one.add("first")
    bulk.add("first")
    for term in terms_list:
        one.add(term)
    bulk.add_all(terms_list)
    assert (bulk.to_id, bulk.to_term) == (one.to_id, one.to_term)
    one.add("after")
    bulk.add("after")
    assert bulk.to_id["after"] == one.to_id["after"]


# -- JCS through orjson where it writes the same bytes ------------------------------------------

def _outcome(canonicalize: Any, value: Any) -> Any:
    try:
        return canonicalize(value)
    except SkillpassError as error:
        return ("error", error.code, str(error))


def _jcs_values() -> Any:
    from hypothesis import strategies as st

    bmp = st.characters(max_codepoint=0xFFFF, blacklist_categories=("Cs",))  # key order by UTF-16
    texts = (st.text(max_size=6) | st.text(bmp, max_size=3)
             | st.sampled_from(["\ud800", "a\udfff", "\U0001f600", "\ue000", "é", "\x1f", "\\\"", "\x7f", "\u2028"]))
    numbers = (st.integers(min_value=-(2 ** 60), max_value=2 ** 60)
               | st.sampled_from([2 ** 53, -(2 ** 53), 2 ** 53 + 1, 10 ** 21, 10 ** 400])
               | st.floats(allow_nan=True, allow_infinity=True))
    scalars = st.none() | st.booleans() | numbers | texts
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
                        | st.dictionaries(texts, inner, max_size=4), max_leaves=25)


def test_jcs_fast_path_writes_the_bytes_and_errors_of_the_slow_one() -> None:
    from hypothesis import given, settings

    from skillpass.suites.jcs import canonicalize, canonicalize_slowly

    @settings(max_examples=600, deadline=None)
    @given(_jcs_values())
    def agree(value: Any) -> None:
        assert _outcome(canonicalize, value) == _outcome(canonicalize_slowly, value)

    agree()


def test_jcs_fast_path_is_taken_for_a_credential_and_refused_where_json_differs() -> None:
    from skillpass.suites import jcs

    credential, _ = signed_ob3("eddsa-jcs-2022")
    assert jcs._json_gives_jcs(credential)
    assert jcs._canonicalize_with_orjson(credential) == jcs.canonicalize_slowly(credential)
    for differs in ({"n": 1.0}, {"n": 2 ** 53 + 1}, {1: "int key"}, {"b": frozendict(a=1)},
                    {"k": [True, 2.5]}, _nested(101)):
        assert not jcs._json_gives_jcs(differs), differs
    assert jcs._canonicalize_with_orjson({"\U0001f600": 1, "\ue000": 2}) is None  # UTF-16 order differs
    assert jcs.canonicalize(_nested(101)) == jcs.canonicalize_slowly(_nested(101))
    assert jcs.canonicalize({"\U0001f600": 1, "\ue000": 2}) == '{"\U0001f600":1,"\ue000":2}'.encode()


class _Colour(enum.Enum):
    RED = "red"


@dataclasses.dataclass
class _Point:
    x: int


class _Text(str):
    pass


def test_jcs_fast_path_refuses_what_orjson_writes_and_json_has_not() -> None:
    """orjson writes dates, UUIDs, enums, dataclasses, raw fragments and subclasses; JCS takes
    none of them, and canonicalize names them as the slow path does."""
    import orjson

    from skillpass.suites import jcs

    for value in (datetime(2026, 1, 1), uuid.UUID(int=1), _Colour.RED, enum.IntEnum("N", "ONE").ONE,
                  _Point(1), orjson.Fragment(b"1.0"), _Text("a"), {"k": _Text("a")}, {_Text("k"): 1}):
        assert not jcs._json_gives_jcs(value), value
        assert not jcs._json_gives_jcs([value]), value
        assert _outcome(jcs.canonicalize, [value]) == _outcome(jcs.canonicalize_slowly, [value])


def test_orjson_escapes_every_bmp_character_as_jcs_does() -> None:
    """3.2.2.2: the fast path's strings are serialize_string's, character by character."""
    import orjson

    from skillpass.suites import jcs

    for code in range(0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        text = f"a{chr(code)}"
        assert orjson.dumps(text) == jcs.serialize_string(text).encode(), hex(code)
    assert jcs._canonicalize_with_orjson(["lone \ud800"]) is None
    for code in (0xFFFF, 0x10000, 0x3FFFF, 0x40000, 0xFFFFF, 0x100000, 0x10FFFF):
        assert jcs._beyond_the_bmp(chr(code).encode()) == (code > 0xFFFF), hex(code)


def _nested(depth: int) -> Any:
    value: Any = "leaf"
    for _ in range(depth):
        value = [value]
    return value


class _Tagged(list):  # type: ignore[type-arg]
    """A list subclass: json_copy hands it to copy.deepcopy, which keeps its type."""


def test_json_copy_is_deepcopy_for_json_data_and_hands_anything_else_to_it() -> None:
    from skillpass.jsonld.json_copy import json_copy

    shared = {"k": [1, 1.0, True, None, "s"]}
    data = {"a": shared, "b": [shared, {"c": {"d": []}}], "e": False, "f": 0}
    copied = json_copy(data)
    assert json.dumps(copied, sort_keys=True) == json.dumps(copy.deepcopy(data), sort_keys=True)
    assert [type(v) for v in copied["a"]["k"]] == [int, float, bool, type(None), str]
    copied["a"]["k"].append(2)
    copied["b"][1]["c"]["d"].append(3)
    assert shared == {"k": [1, 1.0, True, None, "s"]} and data["b"][1] == {"c": {"d": []}}
    assert copied["b"][0] is not copied["a"]  # as a JSON round trip gives it
    odd = {"when": datetime(2026, 1, 1), "tagged": _Tagged([[1]]), "frozen": frozendict(a=[1])}
    copied_odd = json_copy(odd)
    assert type(copied_odd["tagged"]) is _Tagged and copied_odd["tagged"] == [[1]]
    assert copied_odd["tagged"][0] is not odd["tagged"][0]
    assert copied_odd["when"] == odd["when"] and copied_odd["frozen"] == odd["frozen"]


def test_pyld_expand_copies_its_input_with_json_copy_and_leaves_it_as_it_was() -> None:
    from skillpass.jsonld.json_copy import json_copy

    jsonld = _pyld()
    assert jsonld.copy.deepcopy is json_copy
    credential, _ = signed_ob3("eddsa-rdfc-2022")
    before = json.dumps(credential, sort_keys=True)
    assert canon.expand(credential, ContextStore.bundled())
    assert json.dumps(credential, sort_keys=True) == before


def _ours_and_pyld_own(wrapped: Any) -> tuple[Any, Any]:
    """Our replacement patched into pyld, and pyld's own function it wraps."""
    assert wrapped.__module__ == "skillpass.jsonld.speedups"
    return wrapped, next(c.cell_contents for c in wrapped.__closure__
                         if getattr(c.cell_contents, "__module__", None) == "pyld.jsonld")


def test_add_value_first_value_fast_path_does_what_pyld_does() -> None:
    jsonld = _pyld()
    wrapped, pyld_own = _ours_and_pyld_own(jsonld.JsonLdProcessor.add_value)
    options_cases: list[Any] = [None, {}, {"propertyIsArray": True},
                                {"propertyIsArray": True, "allowDuplicate": False},
                                {"valueIsArray": True}, {"propertyIsArray": 0}]
    values: list[Any] = [1, "x", {"@id": "_:b0"}, {"@value": 1}, [], [1, 1], _Tagged([2])]
    subjects: list[Any] = [{}, {"p": 1}, {"p": [1]}, {"q": 2}]
    for options in options_cases:
        for value in values:
            for subject in subjects:
                ours_subject, theirs_subject = copy.deepcopy(subject), copy.deepcopy(subject)
                ours_options, theirs_options = copy.deepcopy(options), copy.deepcopy(options)
                wrapped(ours_subject, "p", copy.deepcopy(value), ours_options)
                pyld_own(theirs_subject, "p", copy.deepcopy(value), theirs_options)
                case = (options, value, subject)
                assert ours_subject == theirs_subject, case
                assert [type(v) for v in ours_subject.values()] == [
                    type(v) for v in theirs_subject.values()], case
                assert ours_options == theirs_options, case


def test_node_map_of_value_objects_is_the_one_pyld_builds() -> None:
    jsonld = _pyld()
    wrapped, pyld_own = _ours_and_pyld_own(jsonld.JsonLdProcessor._create_node_map)
    credential, _ = signed_ob3("ecdsa-sd-2023")
    expanded = canon.expand(credential, ContextStore.bundled())
    odd: list[Any] = [{"@id": "_:s", "https://p.example/typed": [
        {"@value": "x", "@type": "_:dt"}, {"@value": "y", "@type": "_:dt"},
        {"@value": "z", "@type": ""}, {"@value": 1}, {"@value": "fr", "@language": "fr"},
        {"@list": [{"@value": "a", "@type": "_:dt2"}, {"@value": True}]}]}]
    for document in (expanded, odd):
        maps = []
        for create in (wrapped, pyld_own):
            graph_map: dict[str, Any] = {"@default": {}}
            issuer = jsonld.IdentifierIssuer("_:b")
            create(jsonld.JsonLdProcessor(), copy.deepcopy(document), graph_map, "@default",
                   issuer)
            maps.append((json.dumps(graph_map, sort_keys=True), dict(issuer.existing)))
        assert maps[0] == maps[1]
        assert '"@value"' in maps[0][0]
    assert "_:b" in maps[0][0] and '"_:dt"' not in maps[0][0]
