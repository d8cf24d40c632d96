"""The derived summary behind list / show / passport: shapes, languages, caps, round-trips, validity."""

from __future__ import annotations

import copy
import json
import random
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from skillpass.errors import BadInputError
from skillpass.keys.multibase import b64url_encode
from skillpass.langtext import LangText, language_map_terms, sibling_languages, text_of
from skillpass import summary as summary_module
from skillpass.summary import (MAX_ITEMS, MAX_NESTING, MAX_TEXT, SUMMARY_VERSION, Summary,
                               status_of, summarize)
from skillpass.summary import extract
from skillpass.summary.reader import Budget, Reader

DATA = Path(__file__).parent / "data" / "summary"
VECTORS = Path(__file__).resolve().parents[2] / "shared" / "vectors"


def fixture(name: str) -> dict[str, Any]:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def vector(relative: str) -> dict[str, Any]:
    path = VECTORS / relative
    if not path.exists():
        pytest.skip(f"shared vectors absent: {relative}")
    return json.loads(path.read_text(encoding="utf-8"))


def round_trip(summary: Summary) -> Summary:
    stored = json.loads(json.dumps(summary.to_dict()))
    back = Summary.from_dict(stored)
    assert back == summary and summary == back
    assert back.to_dict() == summary.to_dict() == stored
    assert hash(back) == hash(summary)
    return back


def ob3(subject: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {"@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": "did:example:issuer", "credentialSubject": subject, **top}


# --- Open Badges 3.0 spec examples (read at run time) --------------------------------------------

@pytest.mark.vectors
def test_ob3_basic_example() -> None:
    s = summarize(vector("ob3/examples/basicOpenBadgeCredential.json"))
    assert (str(s.title), s.kind, s.vc_version) == ("Teamwork", "OpenBadgeCredential", "2.0")
    assert s.issuer.id == "https://example.com/issuers/876543" and str(s.issuer.name) == "Example Corp"
    assert s.issued == "2010-01-01T00:00:00Z" and s.expires is None
    assert s.credential_id == "http://example.com/credentials/3527"
    assert s.subject_id == "did:example:ebfeb1f712ebc6f1c276e12ec21"
    (achievement,) = s.achievements
    assert str(achievement.criteria_narrative).startswith("Team members are nominated")
    assert str(s.description).startswith("This badge recognizes")
    assert s.claims == () and s.credentials == ()
    round_trip(s)


@pytest.mark.vectors
def test_ob3_full_example() -> None:
    s = summarize(vector("ob3/examples/fullOpenBadge.json"))
    assert str(s.title) == "1EdTech University Degree"  # the achievement's name, not the credential's
    assert s.expires == "2030-01-01T00:00:00Z"
    assert s.issuer.url == "https://1edtech.edu" and s.issuer.image == "https://1edtech.edu/logo.png"
    assert s.image == "https://1edtech.edu/credentials/3732/image"
    (a,) = s.achievements
    assert (a.achievement_type, a.credits_available, str(a.field_of_study), a.human_code) == (
        "Degree", "36.0", "Research", "R1")
    assert a.tags == ("research", "computer science")
    assert a.criteria_id == "https://1edtech.edu/achievements/degree"
    assert [x.target_type for x in a.alignments] == ["CFItem", "CTDL", "CFItem", "CFItem"]  # 2 of results
    assert str(a.alignments[0].target_framework) == "1EdTech University Program and Course Catalog"
    assert a.creator is not None and str(a.creator.name) == "1EdTech University"
    assert [(r.value, r.status, str(r.name)) for r in s.results] == [
        ("A", None, "Final Project Grade"), (None, None, "Final Project Grade"),
        (None, "Completed", "Final Project Grade")]
    assert s.results[1].achieved_level == "urn:uuid:d05a0867-d0ad-4b03-bdb5-28fb5d2aab7a"
    assert str(s.results[1].level_name) == "Mastery"
    assert (s.credits_earned, s.activity_start, s.activity_end) == (
        "42.0", "2010-01-01T00:00:00Z", "2010-01-02T00:00:00Z")
    round_trip(s)


@pytest.mark.vectors
@pytest.mark.parametrize("name", ["achievementAlignmentCase.json", "achievementAlignmentCe.json",
                                  "skillAssertionCase.json", "skillAssertionCtdl.json"])
def test_ob3_alignment_examples(name: str) -> None:
    unverified = vector(f"ob3/examples/{name}")
    s = summarize(unverified)
    raw = unverified["credentialSubject"]["achievement"]["alignment"]
    (a,) = s.achievements
    assert [x.target_url for x in a.alignments] == [x["targetUrl"] for x in raw]
    assert [x.target_code for x in a.alignments] == [x.get("targetCode") for x in raw]
    assert [str(x.target_name) for x in a.alignments] == [x["targetName"] for x in raw]
    round_trip(s)


@pytest.mark.vectors
@pytest.mark.parametrize("name", ["ob3_eddsa-rdfc-2022_signed.json", "clr2_eddsa-rdfc-2022_signed.json"])
def test_signed_vectors(name: str) -> None:
    s = summarize(vector(f"ob3/signed/{name}"))
    assert s.kind in ("OpenBadgeCredential", "ClrCredential")
    if s.kind == "ClrCredential":
        assert str(s.title) == "Sample Transcript"
        assert [c.kind for c in s.credentials] == ["OpenBadgeCredential"]
        assert [str(a.name) for a in s.achievements] == ["Achievement 1", "Achievement 2"]
    round_trip(s)


@pytest.mark.vectors
def test_arucc_academic_award_vector() -> None:
    s = summarize(vector("mattr/arucc-vsp/academic-award.valid-ed25519signature2018.json"))
    assert (s.kind, str(s.title), s.vc_version) == ("AcademicAward", "Social Network Modelling", "1.1")
    assert str(s.issuer.name) == "Shamrock University Canada"
    assert s.issued == "2023-02-13T20:18:46.324Z" and s.awarded == "2022-09-08"
    assert s.achievements[0].creator is not None
    assert str(s.achievements[0].creator.name) == "Shamrock University"
    round_trip(s)


# --- own fixtures ---------------------------------------------------------------------------------

def test_ob3_bilingual_with_alignments() -> None:
    s = summarize(fixture("ob3-bilingual.json"))
    assert s.title.pick(["fr"]) == "Soudage MIG, niveau 1"
    assert s.title.pick(["en-CA"]) == "MIG welding, level 1"
    assert str(s.title) == "Soudage MIG, niveau 1"  # first given when none is language-less
    assert s.issuer.display(["en"]) == "Northern College"
    assert s.issuer.display(["fr_CA.UTF-8"]) == "Collège du Nord"
    assert s.issuer.image == "https://college-du-nord.example/logo.png"
    (a,) = s.achievements
    assert a.criteria_narrative is not None and a.criteria_narrative.pick(["en"]) == "Pass three test welds."
    assert a.description is not None and a.description.pick(["en"]) == "Soudage semi-automatique sur acier doux."
    assert [x.target_name.pick(["en"]) for x in a.alignments if x.target_name] == ["Weld steel parts", "Shop safety"]
    assert a.alignments[1].target_framework is None
    assert a.tags == ("soudage", "welding")  # a number and an object are not tags
    assert (a.credits_available, s.credits_earned, s.awarded) == ("3", "3", "2024-04-30")
    assert [(r.value, r.name and str(r.name), r.level_name and str(r.level_name)) for r in s.results] == [
        ("A-", "Practical exam", None), (None, "Practical exam", "Proficient"), (None, None, None)]
    assert s.list_row(["en"]) == {"title": "MIG welding, level 1", "issuer": "Northern College",
                                  "kind": "OpenBadgeCredential", "issued": "2024-05-01T09:00:00-04:00",
                                  "expires": "2027-05-01"}
    back = round_trip(s)
    assert back.title.langs == {"fr": "Soudage MIG, niveau 1", "en": "MIG welding, level 1"}


def test_clr_with_two_nested_credentials() -> None:
    s = summarize(fixture("clr2-two-nested.json"))
    assert (s.kind, str(s.title)) == ("ClrCredential", "Relevé de compétences / Skills record")
    first, second = s.credentials
    assert (first.kind, str(first.title), str(first.issuer.name)) == (
        "OpenBadgeCredential", "Blueprint reading", "Northern College")
    assert first.achievements[0].criteria_narrative == LangText("Score 80% on the drawing test.")
    assert second.title.pick(["en"]) == "Shop safety" and second.issuer.display() == "https://safety-board.example"
    assert second.expires == "2025-03-01T00:00:00Z"
    assert status_of(second, datetime(2025, 6, 1, tzinfo=UTC)) == "expired"
    assert [str(a.name) for a in s.achievements] == ["Blueprint reading", "Shop safety"]
    assert s.claims == ()
    back = round_trip(s)
    assert back.credentials[1].title.pick(["fr"]) == "Sécurité en atelier"


def test_clr_nested_vc_jwt_string_and_unreadable_entry() -> None:
    unverified = fixture("clr2-two-nested.json")
    inner = unverified["credentialSubject"]["verifiableCredential"][0]
    payload = {"iss": "did:example:jwt-issuer", "nbf": 1700000000, "jti": "urn:uuid:jwt-1",
               "sub": "did:example:learner", "vc": {k: v for k, v in inner.items() if k not in ("issuer", "id", "validFrom")}}
    header = b64url_encode(b'{"alg":"EdDSA"}')
    compact = f"{header}.{b64url_encode(json.dumps(payload).encode())}.c2ln"
    unverified["credentialSubject"]["verifiableCredential"] = [compact, "not.a.jws!", 42]
    s = summarize(unverified)
    jwt, bad = s.credentials
    assert (str(jwt.title), jwt.issuer.id, jwt.credential_id, jwt.issued) == (
        "Blueprint reading", "did:example:jwt-issuer", "urn:uuid:jwt-1", "2023-11-14T22:13:20Z")
    assert bad.kind == "Unreadable"
    round_trip(s)


def test_academic_award_fixture() -> None:
    s = summarize(fixture("academic-award.json"))
    assert (s.kind, str(s.title), str(s.description)) == (
        "AcademicAward", "Analyse de données en santé", "Health data analysis with open tools")
    assert (s.issued, s.expires, s.awarded) == (
        "2023-03-20T14:02:11.500Z", "2028-03-20T14:02:11.500Z", "2023-03-10")
    assert s.issuer == party_of("did:web:credentials.universite-riviere.example", "Université de la Rivière",
                                image="https://universite-riviere.example/logo.png")
    assert str(s.subject_name) == "Amélie Tremblay" and s.subject_id == "did:key:z6MkfixtureLearnerNotARealKey"
    (award,) = s.achievements
    assert (award.id, award.achievement_type) == ("MC_2023_000417", "MICROCREDENTIAL")
    assert award.creator == party_of("UOR99999", "Faculté des sciences de la santé",
                                     url="https://universite-riviere.example/sante")
    claims = {c.path: str(c.value) for c in s.claims}
    assert claims["/credentialSubject/awardDetails/honors"] == "With Distinction"
    assert claims["/credentialSubject/birthDate"] == "1999-07-14"  # kept as given, not coerced
    assert "/credentialSubject/id" not in claims
    round_trip(s)


def party_of(id: str, name: str, **rest: str) -> Any:
    return summary_module.Party(id=id, name=LangText(name), **rest)


def test_generic_vc_claims_and_language_maps() -> None:
    s = summarize(fixture("generic-vc.json"))
    assert (s.kind, s.vc_version, s.types) == ("VerifiableCredential", "1.1",
                                              ("VerifiableCredential", "EnrolmentCredential"))
    assert s.title.pick(["en"]) == "Enrolment certificate"  # a language map the context declares
    assert s.issuer.display() == "did:web:institution.example"
    claims = {c.path: c.value for c in s.claims}
    assert list(claims) == [
        "/credentialSubject/programName", "/credentialSubject/degree/type", "/credentialSubject/degree/name",
        "/credentialSubject/skills/0", "/credentialSubject/skills/1", "/credentialSubject/note",
        "/credentialSubject/credits", "/credentialSubject/honours", "/credentialSubject/a~1b~0c"]
    program = claims["/credentialSubject/programName"]
    assert (str(program), program.pick(["fr"]), program.pick(["de"])) == ("Civil Eng.", "Génie civil", "Civil Eng.")
    assert claims["/credentialSubject/note"].pick(["en"]) == "Full time"
    assert (str(claims["/credentialSubject/credits"]), str(claims["/credentialSubject/honours"])) == ("30.5", "false")
    assert status_of(s, datetime(2023, 8, 31, 23, 59, tzinfo=UTC)) == "valid"  # date-only expiry: whole day
    assert status_of(s, datetime(2023, 9, 1, tzinfo=UTC)) == "expired"
    round_trip(s)


def test_undeclared_language_map_is_not_text() -> None:
    s = summarize(ob3({"id": "did:example:s", "achievement": {"name": {"fr": "Badge", "en": "Badge"}}},
                      name="Fallback name"))
    assert s.achievements[0].name is None and str(s.title) == "Fallback name"


def test_title_falls_back_to_most_specific_type() -> None:
    s = summarize({"type": ["VerifiableCredential", "AlumniCredential"], "credentialSubject": {"alumniOf": "X"}})
    assert str(s.title) == "AlumniCredential" and s.vc_version is None
    assert summarize({"credentialSubject": {}}).title == LangText("VerifiableCredential")


def test_sd_jwt_vc_claims() -> None:
    claims = {"vct": "https://credentials.example/micro", "iss": "https://issuer.example", "iat": 1700000000,
              "exp": 1800000000, "cnf": {"jwk": {"kty": "OKP"}}, "_sd_alg": "sha-256", "given_name": "Ana",
              "family_name": "Roy", "skills": ["a", {"...": "digest"}, "b"], "_sd": ["x"]}
    s = summarize(claims)
    assert (s.kind, str(s.title), s.issuer.id, s.issued, s.expires) == (
        "SdJwtVc", "https://credentials.example/micro", "https://issuer.example",
        "2023-11-14T22:13:20Z", "2027-01-15T08:00:00Z")
    assert [(c.path, str(c.value)) for c in s.claims] == [
        ("/given_name", "Ana"), ("/family_name", "Roy"), ("/skills/0", "a"), ("/skills/2", "b")]
    assert str(s.subject_name) == "Ana Roy"
    assert [str(a.target_name) for a in s.achievements[0].alignments] == ["a", "b"]
    round_trip(s)


def test_an_sd_jwt_vc_is_titled_by_its_name_like_claim_and_its_skills_are_alignments() -> None:
    claims = {"vct": "https://credentials.example/welding", "name": "Ana Roy",
              "achievement": {"name": "Welding Safety", "hours": 40},
              "competencies": [{"name": "TIG welding", "framework": "Red Seal", "code": "W-1",
                                "url": "https://skills.example/w1"}, {"code": "no name"}]}
    s = summarize(claims)

    assert str(s.title) == "Welding Safety" and s.types == ("https://credentials.example/welding",)
    assert str(s.subject_name) == "Ana Roy"
    [skill] = s.achievements[0].alignments
    assert (str(skill.target_name), str(skill.target_framework), skill.target_code, skill.target_url) == (
        "TIG welding", "Red Seal", "W-1", "https://skills.example/w1")
    assert str(summarize({"vct": "urn:x"}).title) == "urn:x"
    round_trip(s)


# --- hostile input ---------------------------------------------------------------------------------

@pytest.mark.parametrize("unverified", [
    None, 1, "text", [], [{"credentialSubject": {}}], {}, {"credentialSubject": "did:example:x"},
    {"credentialSubject": ["did:example:x", 3]}, {"credentialSubject": None}, {"vc": "x"},
    {"vc": {"type": "VerifiableCredential"}},
])
def test_not_a_credential_raises_bad_input(unverified: Any) -> None:
    with pytest.raises(BadInputError):
        summarize(unverified)


ODD_VALUES: list[Any] = [None, True, 0, -1.5, float("nan"), 10**5000, "", "x", [], {}, [None], [[["deep"]]],
                         {"@value": {"a": 1}}, {"@value": 3, "@language": 7}, {"id": 5}, [{"@value": "v"}, "plain", 9]]


@pytest.mark.parametrize("odd", ODD_VALUES, ids=range(len(ODD_VALUES)))
def test_odd_values_everywhere_never_crash(odd: Any) -> None:
    places = [("issuer",), ("name",), ("type",), ("validFrom",), ("image",), ("@context",),
              ("credentialSubject", "achievement"), ("credentialSubject", "result"),
              ("credentialSubject", "achievement", "alignment"), ("credentialSubject", "achievement", "criteria"),
              ("credentialSubject", "achievement", "name"), ("credentialSubject", "achievement", "tag"),
              ("credentialSubject", "achievement", "resultDescription"), ("credentialSubject", "verifiableCredential"),
              ("credentialSubject", "awardDetails"), ("credentialSubject", "educationalOrganization")]
    base = fixture("ob3-bilingual.json")
    for kind in ("OpenBadgeCredential", "ClrCredential", "AcademicAward", "Other"):
        for place in places:
            unverified = copy.deepcopy(base)
            unverified["type"] = ["VerifiableCredential", kind]
            target = unverified
            for key in place[:-1]:
                target = target[key]
            target[place[-1]] = odd
            # the private entry point: no safety net, so a missed shape fails here loudly
            s = extract.summarize_credential(unverified, Reader(Budget()), 0)
            round_trip(s)


def random_json(rng: random.Random, depth: int = 0) -> Any:
    roll = rng.random()
    if depth > 4 or roll < 0.35:
        return rng.choice([None, True, 7, 2.5, "s", "", "did:example:x", "2020-01-01", "@value", "@language"])
    if roll < 0.65:
        return [random_json(rng, depth + 1) for _ in range(rng.randrange(4))]
    keys = ["id", "type", "name", "description", "@value", "@language", "achievement", "alignment",
            "result", "verifiableCredential", "credentialSubject", "criteria", "image", "targetName",
            "awardDetails", "issuer", "tag", "resultDescription", "rubricCriterionLevel", "fr", "@none"]
    return {rng.choice(keys): random_json(rng, depth + 1) for _ in range(rng.randrange(5))}


def test_random_shapes_only_ever_raise_bad_input() -> None:
    rng = random.Random(20261129)
    for _ in range(3000):
        unverified = random_json(rng)
        if rng.random() < 0.7:
            unverified = {"type": rng.choice([["VerifiableCredential", "ClrCredential"], "OpenBadgeCredential",
                                              ["AcademicAward"], None]),
                          "credentialSubject": random_json(rng), "name": random_json(rng),
                          "issuer": random_json(rng), "@context": random_json(rng)}
        try:
            s = extract.summarize_credential(unverified, Reader(Budget()), 0)
        except BadInputError:
            continue
        round_trip(s)


def test_huge_lists_are_capped_and_flagged() -> None:
    achievement = {"name": "A", "alignment": [{"targetName": f"t{i}"} for i in range(5000)],
                   "tag": ["t"] * 5000}
    s = summarize(ob3({"achievement": [achievement] * 3000}))
    assert s.truncated
    assert len(s.achievements) <= MAX_ITEMS and len(s.achievements[0].alignments) == MAX_ITEMS
    generic = summarize({"credentialSubject": {f"k{i}": i for i in range(5000)}})
    assert generic.truncated and len(generic.claims) == MAX_ITEMS
    assert not summarize({"credentialSubject": {"k": "v"}}).truncated
    round_trip(generic)


def test_total_budget_spans_nested_credentials() -> None:
    inner = ob3({"achievement": {"name": "x", "alignment": [{"targetName": "t"}] * 1000}})
    clr = {"type": ["ClrCredential"], "credentialSubject": {"verifiableCredential": [inner] * 200}}
    s = summarize(clr)  # work stops when the budget is spent
    assert s.truncated
    kept = sum(len(a.alignments) for c in s.credentials for a in c.achievements)
    assert kept <= summary_module.MAX_TOTAL
    assert {c.kind for c in s.credentials} == {"OpenBadgeCredential"}
    assert all(c.claims == () for c in s.credentials)


def test_long_texts_cut_and_data_uri_images_dropped() -> None:
    long_text = "é" * (MAX_TEXT + 10)
    s = summarize(ob3({"achievement": {"name": long_text, "image": "data:image/png;base64," + "A" * 100_000}}))
    assert len(s.title.default) == MAX_TEXT and s.achievements[0].image is None and s.truncated


def test_deep_nesting_is_capped() -> None:
    deep: Any = "leaf"
    for _ in range(200):
        deep = {"k": deep}
    s = summarize({"credentialSubject": {"deep": deep}})
    assert s.truncated and s.claims == ()
    clr: dict[str, Any] = ob3({"achievement": {"name": "bottom"}})
    for _ in range(MAX_NESTING + 3):
        clr = {"type": ["ClrCredential"], "name": "level", "credentialSubject": {"verifiableCredential": clr}}
    top = summarize(clr)
    depth, node = 0, top
    while node.credentials:
        node, depth = node.credentials[0], depth + 1
    assert depth == MAX_NESTING and top.truncated


def test_safety_net_turns_surprises_into_bad_input(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_: Any) -> None:
        raise TypeError("unforeseen")
    monkeypatch.setattr(extract, "_kind", boom)
    with pytest.raises(BadInputError) as caught:
        summarize({"credentialSubject": {}})
    assert caught.value.code == "E_SHAPE"


# --- storage round-trip and the list view ------------------------------------------------------------

def test_from_dict_refuses_other_versions_and_damage() -> None:
    stored = summarize(fixture("generic-vc.json")).to_dict()
    assert stored["v"] == SUMMARY_VERSION
    with pytest.raises(BadInputError) as caught:
        Summary.from_dict({**stored, "v": SUMMARY_VERSION + 1})
    assert caught.value.code == "E_SUMMARY_VERSION"
    with pytest.raises(BadInputError):
        Summary.from_dict({"v": SUMMARY_VERSION, "kind": "x"})  # no title
    with pytest.raises(BadInputError):
        Summary.from_dict({"v": SUMMARY_VERSION, "title": {"default": "x"}})  # langs missing


def test_summary_is_frozen_and_serialises_sparse() -> None:
    s = summarize(fixture("ob3-bilingual.json"))
    with pytest.raises(AttributeError):
        s.title = LangText("other")  # type: ignore[misc]
    assert "claims" not in s.to_dict() and "truncated" not in s.to_dict()
    back = Summary.from_dict(json.loads(json.dumps(s.to_dict())))
    assert len(back.achievements) == 1 and back.achievements[0].alignments[0].target_code == "TS-W-01"


# --- LangText ------------------------------------------------------------------------------------

def test_langtext_pick_order() -> None:
    text = LangText("Default", {"fr-CA": "Québec", "fr": "France", "en": "English"})
    assert text.pick(["fr-CA"]) == "Québec"
    assert text.pick(["fr-BE"]) == "France"  # truncated lookup
    assert text.pick(["FR"]) == "France"
    assert text.pick(["de"]) == text.pick([]) == "Default" == str(text)
    tagged = LangText("France", {"fr-CA": "Québec", "fr": "France", "en": "English"})
    assert tagged.pick(["de", "en-GB"]) == "English"  # no text without a language: the next preference
    # A text in no language is the issuer's own: it answers before a translation into the
    # reader's second language (an English reader is not shown the French of an untagged title).
    assert text.pick(["de", "en-GB"]) == "Default"
    assert LangText("Welding", {"fr": "Soudage"}).pick(["en", "fr"]) == "Welding"
    assert LangText("Welding", {"fr": "Soudage"}).pick(["fr", "en"]) == "Soudage"
    assert LangText("Défaut", {"fr-CA": "Québec"}).pick(["fr"]) == "Québec"  # same primary language
    assert LangText("x", {"en": "y"}).pick(["*", ""]) == "x"


def test_text_of_forms() -> None:
    assert text_of("plain") == LangText("plain")
    assert text_of({"@value": "Bonjour", "@language": "fr"}) == LangText("Bonjour", {"fr": "Bonjour"})
    both = text_of([{"@value": "Mon badge", "@language": "fr"}, {"@value": "My badge", "@language": "en"}])
    assert both is not None and (str(both), both.pick(["en"])) == ("Mon badge", "My badge")
    with_plain = text_of([{"@value": "Mon badge", "@language": "fr"}, "Badge"])
    assert with_plain is not None and str(with_plain) == "Badge"
    assert text_of({"fr": "x"}) is None
    mapped = text_of({"fr": ["a", "b"], "@none": "n", "en": None}, language_map=True)
    assert mapped == LangText("n", {"fr": "a"})
    assert text_of({"@value": None}) is None and text_of([]) is None and text_of(None) is None
    assert text_of(2.50) == LangText("2.5") and text_of(False) == LangText("false")


def test_langtext_json_round_trip() -> None:
    for text in (LangText("x"), LangText("a", {"fr": "a", "en": "b"})):
        assert LangText.from_json(json.loads(json.dumps(text.to_json()))) == text
    assert LangText("x").to_json() == "x"


def test_language_map_terms_from_embedded_contexts() -> None:
    context = ["https://www.w3.org/ns/credentials/v2",
               {"title": {"@id": "x:t", "@container": "@language"}, "tags": {"@container": ["@set", "@language"]},
                "other": {"@container": "@list"}, "plain": "x:p"}]
    assert language_map_terms(context) == {"title", "tags"}
    assert language_map_terms("https://example") == frozenset()


# --- validity ------------------------------------------------------------------------------------

def dated(issued: str | None, expires: str | None) -> Summary:
    return Summary(title=LangText("t"), issued=issued, expires=expires)


NOW = datetime(2025, 6, 15, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("issued", "expires", "expected"), [
    (None, None, "valid"),
    ("2020-01-01T00:00:00Z", "2030-01-01T00:00:00Z", "valid"),
    ("2020-01-01T00:00:00Z", "2025-06-15T12:00:00Z", "expired"),  # validUntil is the first invalid instant
    ("2025-06-15T12:00:01Z", None, "not yet valid"),
    ("2025-06-15T14:00:00+02:00", None, "valid"),
    ("2025-06-15T08:00:00-04:00", None, "valid"),
    ("2025-06-15T08:00:01-04:00", None, "not yet valid"),
    ("2025-06-15", "2025-06-15", "valid"),  # date-only: from the start to the end of that day
    ("2025-06-16", None, "not yet valid"),
    (None, "2025-06-14", "expired"),
    (None, "2025-06-14T24:00:00Z", "expired"),
    (None, "2025-06-15T12:00:00.000001Z", "valid"),
    ("2020-01-01T00:00:00", None, "valid"),  # no zone: taken as UTC
    ("yesterday", None, "unknown"),
    (None, "2025-13-01", "unknown"),
    (None, "10000-01-01T00:00:00Z", "unknown"),
    (None, "2025-06-15T12:00:00+15:00", "unknown"),
    (None, "２０２５-06-15", "unknown"),  # non-ASCII digits
    (None, "2025-06-15T12:00:00Z\n", "unknown"),
    ("", None, "unknown"),
])
def test_status_of(issued: str | None, expires: str | None, expected: str) -> None:
    assert status_of(dated(issued, expires), NOW) == expected


def test_status_of_takes_naive_now_as_utc_and_defaults_to_now() -> None:
    summary = dated("2020-01-01T00:00:00Z", "2025-06-15T12:00:00Z")
    assert status_of(summary, datetime(2025, 6, 15, 11, 59)) == "valid"
    assert status_of(summary) == ("expired" if datetime.now(UTC) >= datetime(2025, 6, 15, 12, tzinfo=UTC) else "valid")


def test_a_json_claim_gives_its_translations_in_sibling_claims() -> None:
    """SD-JWT VC and MATTR claims are plain JSON: `name#fr-CA` (OpenID Connect Core §5.2) and
    `name_fr` say a claim's other languages; other `_xx` endings are claims of their own."""
    claims = {"award": "Welding", "award_fr": "Soudage", "award#fr-CA": "Soudage (Québec)",
              "award_id": "W-1", "award_de": "Schweißen", "award#not a tag": "x", "award#es": 3, "award_en": " "}
    assert sibling_languages(claims, "award") == {"fr": "Soudage", "fr-CA": "Soudage (Québec)"}
    text = Reader(Budget()).claim_text(claims, "award")
    assert text == LangText("Welding", {"fr": "Soudage", "fr-CA": "Soudage (Québec)"})
    assert (text.pick(["fr", "en"]), text.pick(["fr-CA"]), text.pick(["en", "fr"])) == (
        "Soudage", "Soudage (Québec)", "Welding")
    assert Reader(Budget()).claim_text({"award": "Welding"}, "award") == LangText("Welding")
    assert Reader(Budget()).claim_text({"award_fr": "Soudage"}, "award") is None  # no claim, no title
