"""What a learner can reveal (fields), their choice (select) and the disclosure (disclose)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from issuing import Issuer, new_issuer, ob3, sign, signed_ob3, types_in

from skillpass import suites
from skillpass.errors import BadInputError
from skillpass.formats.ldp_vc.disclose import disclose
from skillpass.formats.ldp_vc.fields import disclosable_fields, with_carried_ids
from skillpass.present.fields import Field, FieldList, ancestors, display_value, format_path
from skillpass.present.select import REVEAL_ALL, Selection, resolve_selection, revealed_pointers

WHOLE_ONLY = ["eddsa-rdfc-2022", "ecdsa-rdfc-2019", "Ed25519Signature2020", "Ed25519Signature2018",
              "eddsa-jcs-2022", "ecdsa-jcs-2019"]
Signed = tuple[dict[str, Any], Issuer]
SUBJECT = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"


@pytest.fixture(scope="module")
def sd_signed() -> Signed:
    """An OB 3.0 credential with an ecdsa-sd-2023 base proof; every leaf value is distinct."""
    issuer = new_issuer("P-256")
    credential = ob3("Data Analysis Fundamentals", issuer=issuer, subject=SUBJECT)
    credential["name"] = "Micro-credential: data analysis"
    return sign(credential, issuer, "ecdsa-sd-2023"), issuer


@pytest.fixture(scope="module")
def sd_fields(sd_signed: Signed) -> FieldList:
    return disclosable_fields(sd_signed[0])


def by_path(field_list: FieldList) -> dict[str, Field]:
    return {f.path: f for f in field_list.fields}


def leaf_values(document: Any, pointer: str = "") -> dict[str, Any]:
    """pointer -> scalar value, for every leaf outside @context, proof, id and type."""
    if isinstance(document, dict):
        out: dict[str, Any] = {}
        for key, value in document.items():
            if key not in ("@context", "proof", "id", "type"):
                out.update(leaf_values(value, f"{pointer}/{key}"))
        return out
    if isinstance(document, list):
        return {k: v for i, item in enumerate(document)
                for k, v in leaf_values(item, f"{pointer}/{i}").items()}
    return {pointer: document}


# -- fields -------------------------------------------------------------------------------------

def test_sd_credential_lists_fields_with_the_issuers_mandatory_ones(sd_fields: FieldList) -> None:
    fields = by_path(sd_fields)

    assert sd_fields.selective is True
    assert sd_fields.suite == "ecdsa-sd-2023"
    assert sd_fields.reason is None
    assert fields["issuer.name"].mandatory is True  # under the issuer's mandatory /issuer
    assert fields["issuer.name"].pointer == "/issuer/name"
    assert [(f.path, f.why) for f in sd_fields.fields if f.mandatory] == [
        ("issuer.id", "issuer"), ("issuer.name", "issuer"), ("credentialSubject.id", "holder binding")]
    name = fields["credentialSubject.achievement.name"]
    assert (name.pointer, name.label, name.value, name.mandatory) == (
        "/credentialSubject/achievement/name", "Achievement name", "Data Analysis Fundamentals", False)


def test_array_elements_have_indexed_paths_and_labels(sd_fields: FieldList) -> None:
    fields = by_path(sd_fields)

    element = fields["credentialSubject.achievement.alignment[0]"]
    target = fields["credentialSubject.achievement.alignment[0].targetName"]
    assert element.pointer == "/credentialSubject/achievement/alignment/0"
    assert element.label == "Alignment 1"
    assert element.value.startswith("{targetName: Data analysis, targetUrl: https://example.org")
    assert (target.pointer, target.label, target.value) == (
        "/credentialSubject/achievement/alignment/0/targetName", "Alignment 1: target name",
        "Data analysis")
    assert fields["name"].label == "Credential name"
    assert fields["validFrom"].label == "Valid from"
    assert fields["credentialSubject.achievement.criteria.narrative"].label == "Criteria narrative"


def test_ids_and_types_are_not_fields_of_their_own(sd_fields: FieldList) -> None:
    pointers = {f.pointer for f in sd_fields.fields}

    assert not any(p.endswith(("/id", "/type")) or "/type/" in p
                   for p in pointers - {"/issuer/id", "/credentialSubject/id"})


def test_the_subject_id_is_a_field_always_revealed_for_holder_binding(sd_fields: FieldList) -> None:
    subject = by_path(sd_fields)["credentialSubject.id"]

    assert (subject.pointer, subject.label, subject.value) == (
        "/credentialSubject/id", "Subject id", SUBJECT)
    assert (subject.mandatory, subject.why) == (True, "holder binding")
    assert [f.path for f in sd_fields.fields].index("credentialSubject.id") < \
        [f.path for f in sd_fields.fields].index("credentialSubject.achievement.name")


@pytest.mark.parametrize("suite", WHOLE_ONLY)
def test_whole_only_suites_list_every_field_as_mandatory(suite: str) -> None:
    credential, _ = signed_ob3(suite)

    field_list = disclosable_fields(credential)

    assert field_list.selective is False
    assert field_list.suite == suite
    assert field_list.reason == f"signed with {suite}: can only be shared whole"
    assert field_list.fields and all(f.mandatory for f in field_list.fields)
    assert "credentialSubject.achievement.name" in by_path(field_list)


def test_a_derived_credential_can_only_be_shared_as_it_is(sd_signed: Signed) -> None:
    derived = disclose(sd_signed[0], Selection(("/name",)))

    field_list = disclosable_fields(derived)

    assert field_list.selective is False
    assert field_list.reason is not None and "already a selective disclosure" in field_list.reason
    assert sorted(f.path for f in field_list.fields) == [
        "credentialSubject", "issuer.id", "issuer.name", "name"]


def test_unsigned_and_multiply_signed_credentials_are_whole_only() -> None:
    issuer = new_issuer("P-256")
    unsigned = ob3(issuer=issuer)
    signed = sign(unsigned, issuer, "ecdsa-sd-2023")
    twice = {**signed, "proof": [signed["proof"], sign(unsigned, issuer, "ecdsa-rdfc-2019")["proof"]]}

    assert disclosable_fields(unsigned).reason == "not signed: can only be shared whole"
    assert disclosable_fields(twice).selective is False
    assert "several proofs" in str(disclosable_fields(twice).reason)


def test_field_list_to_dict(sd_fields: FieldList) -> None:
    data = sd_fields.to_dict()

    assert json.loads(json.dumps(data)) == data
    assert data["selective"] is True and data["reason"] is None
    by_pointer = {field["pointer"]: field for field in data["fields"]}
    assert by_pointer["/issuer/name"] == {"path": "issuer.name", "pointer": "/issuer/name",
                                          "label": "Issuer name", "value": "Collège Boréal",
                                          "mandatory": True, "why": "issuer", "together": []}
    assert by_pointer["/name"]["why"] is None


def test_values_are_one_short_line_that_keeps_controls_for_the_sanitizer() -> None:
    """A control is kept, for render.text.visible to show: as a space it would hide the alteration."""
    from skillpass.render.text import visible

    assert display_value("line one\nline\x1b[31m two\u202e") == "line one line\x1b[31m two\u202e"
    assert visible(display_value("line\x1b[31m two\u202e")) == "line\\x1b[31m two\\u202e"
    assert display_value("x" * 500) == "x" * 79 + "…"
    french = {"@value": "Analyse de données", "@language": "fr"}
    assert display_value(french) == "Analyse de données [fr]"
    assert display_value([{"@value": "A", "@language": "en"}, french]) == "[A [en], Analyse de données [fr]]"
    assert display_value(3) == "3" and display_value(True) == "true"


def test_odd_keys_are_quoted_in_paths_and_parents_resolve() -> None:
    path = format_path([("credentialSubject", False), ("https://ex.org/v#score", False),
                        ("items", False), ("2", True), ("a.b", False)])
    field = Field(path, "/credentialSubject/https:~1~1ex.org~1v#score/items/2/a.b", "", "", False)

    assert path == 'credentialSubject["https://ex.org/v#score"].items[2]["a.b"]'
    assert ancestors(field) == [
        ("credentialSubject", "/credentialSubject"),
        ('credentialSubject["https://ex.org/v#score"]', "/credentialSubject/https:~1~1ex.org~1v#score"),
        ('credentialSubject["https://ex.org/v#score"].items',
         "/credentialSubject/https:~1~1ex.org~1v#score/items"),
        ('credentialSubject["https://ex.org/v#score"].items[2]',
         "/credentialSubject/https:~1~1ex.org~1v#score/items/2"),
    ]


def test_texts_in_several_languages_are_labelled() -> None:
    issuer = new_issuer("P-256")
    credential = ob3(issuer=issuer)
    achievement = credential["credentialSubject"]["achievement"]
    achievement["name"] = [{"@value": "Data analysis", "@language": "en"},
                           {"@value": "Analyse de données", "@language": "fr"}]
    achievement["description"] = {"en": "Charting data.", "fr-CA": "Graphiques."}  # language map

    fields = by_path(disclosable_fields(credential))

    assert fields["credentialSubject.achievement.name[1]"].label == "Achievement name 2"
    assert fields["credentialSubject.achievement.name[1]"].value == "Analyse de données [fr]"
    assert fields["credentialSubject.achievement.description.fr-CA"].label == (
        "Achievement description (fr-CA)")



@pytest.fixture
def in_french():
    from skillpass import i18n

    i18n.use_language("fr")
    yield
    i18n.use_language(None)


def test_a_common_label_is_french_for_a_french_reader_and_the_path_stays(in_french: None) -> None:
    from skillpass.present.labels import for_reader

    issuer = new_issuer("P-256")
    credential = ob3(issuer=issuer)
    credential["credentialSubject"]["achievement"]["alignment"] = [
        {"type": ["Alignment"], "targetName": "Weld", "targetUrl": "https://skills.example/weld"}] * 3
    credential["credentialSubject"]["achievement"]["description"] = {"en": "Charting.", "fr-CA": "Graphiques."}
    fields = by_path(disclosable_fields(credential))

    said = {path: for_reader(fields[path].label) for path in (
        "credentialSubject.achievement.name", "credentialSubject.achievement.alignment[2].targetName",
        "name", "credentialSubject.achievement.description.fr-CA")}
    assert said == {"credentialSubject.achievement.name": "Nom de la réalisation",
                    "credentialSubject.achievement.alignment[2].targetName": "Alignement 3 : nom de la cible",
                    "name": "Nom de l'attestation",
                    "credentialSubject.achievement.description.fr-CA": "Description de la réalisation (fr-CA)"}
    assert fields["credentialSubject.achievement.name"].label == "Achievement name"  # what --json carries
    assert for_reader("Shoe size") == "Shoe size"  # a key the issuer chose keeps its words
    assert for_reader("Given name") == "Prénom" and for_reader("Result 12: value") == "Résultat 12 : valeur"


def test_a_claim_in_another_language_is_labelled_as_a_language_map_entry_is(in_french: None) -> None:
    """`name#fr` (OpenID Connect Core §5.2, SD-JWT VC claims) was labelled 'Fr'."""
    from skillpass.present.labels import for_reader, label

    said = label([("credentialSubject", False), ("achievement", False), ("name#fr", False)], "Soudage")
    assert said == "Achievement name (fr)" and for_reader(said) == "Nom de la réalisation (fr)"
    assert label([("given_name#fr-CA", False)], "Ana") == "Given name (fr-CA)"
    assert label([("https://vocab.example/terms#level", False)], "3") == "Level"  # an IRI's fragment: a key


def test_a_label_is_never_the_template_of_a_message(in_french: None) -> None:
    """A title 'Evidence Based Practice' in a question, a file named 'Email': messages from
    outside are translated by their templates, and a label ('Evidence {0}', 'Email') is none."""
    from skillpass.i18n import translate_message
    from skillpass.present.labels import for_reader

    for text in ("Evidence Based Practice", "Alignment and Balancing", "Email", "Term", "Nationalities 2024"):
        assert translate_message(text) == text
    assert translate_message("remove 7aafb2cc62758ff0 (Evidence Based Practice)?").endswith(
        "(Evidence Based Practice) ?")
    assert for_reader("Evidence 1") == "Preuve 1" and for_reader("Email") == "Courriel"


def test_the_labels_stay_english_for_an_english_reader() -> None:
    from skillpass.present.labels import for_reader

    assert for_reader("Achievement name") == "Achievement name"


# -- selection ----------------------------------------------------------------------------------

def test_a_dotted_path_and_a_pointer_select_the_same_field(sd_fields: FieldList) -> None:
    dotted = "credentialSubject.achievement.alignment[0].targetName"
    by_dotted = resolve_selection(sd_fields, [dotted], False)
    by_pointer = resolve_selection(sd_fields, ["/credentialSubject/achievement/alignment/0/targetName"],
                                   False)

    assert by_dotted == by_pointer == Selection(
        ("/credentialSubject/achievement/alignment/0/targetName",), False)


def test_a_parent_reveals_everything_under_it(sd_fields: FieldList) -> None:
    selection = resolve_selection(
        sd_fields, ["credentialSubject.achievement.criteria.narrative", "credentialSubject.achievement",
                    "validFrom", "/validFrom"], False)

    assert selection.pointers == ("/credentialSubject/achievement", "/validFrom")
    revealed = revealed_pointers(sd_fields, selection)
    assert "/credentialSubject/achievement/alignment/0/targetCode" in revealed
    assert "/issuer/name" in revealed and "/name" not in revealed


def test_reveal_all(sd_fields: FieldList) -> None:
    assert resolve_selection(sd_fields, ["name"], True) == REVEAL_ALL
    assert revealed_pointers(sd_fields, REVEAL_ALL) == tuple(f.pointer for f in sd_fields.fields)


def test_an_unknown_field_is_named_with_a_hint(sd_fields: FieldList) -> None:
    with pytest.raises(BadInputError) as caught:
        resolve_selection(sd_fields, ["name", "credentialSubject.achievement.nmae"], False,
                          credential_ref="3f2a")

    assert caught.value.code == "E_FIELD_UNKNOWN"
    assert "credentialSubject.achievement.nmae" in caught.value.message
    assert caught.value.hint == "see 'skillpass show 3f2a --fields'"


@pytest.mark.parametrize("reveal", [["credentialSubject.achievement.name"], []])
def test_hiding_fields_of_a_whole_only_credential_is_refused(reveal: list[str]) -> None:
    credential, _ = signed_ob3("eddsa-rdfc-2022")

    with pytest.raises(BadInputError) as caught:
        resolve_selection(disclosable_fields(credential), reveal, False)

    assert caught.value.code == "E_CANNOT_HIDE"
    assert caught.value.hint == "this credential can only be shared whole: use --reveal-all"


def test_revealing_every_field_of_a_whole_only_credential_is_reveal_all() -> None:
    credential, _ = signed_ob3("eddsa-rdfc-2022")
    field_list = disclosable_fields(credential)

    everything = resolve_selection(field_list, ["name", "issuer", "validFrom", "credentialSubject"],
                                   False)

    assert everything == REVEAL_ALL
    assert resolve_selection(field_list, [], True) == REVEAL_ALL


# -- disclosure ---------------------------------------------------------------------------------

def test_disclosure_reveals_only_the_chosen_values_and_verifies(
        sd_signed: Signed, sd_fields: FieldList) -> None:
    credential, issuer = sd_signed
    selection = resolve_selection(
        sd_fields, ["credentialSubject.achievement.name",
                    "/credentialSubject/achievement/alignment/0/targetCode"], False)

    derived = disclose(credential, selection)

    text = json.dumps({k: v for k, v in derived.items() if k != "proof"}, ensure_ascii=False)
    revealed = set(revealed_pointers(sd_fields, selection))
    for pointer, value in leaf_values(credential).items():
        assert (json.dumps(value, ensure_ascii=False) in text) == (pointer in revealed), pointer
    assert derived["credentialSubject"]["id"] == SUBJECT  # ids travel with their object
    results = suites.verify_proofs(derived, expected_purpose="assertionMethod", controller=issuer.did)
    assert [r.suite for r in results] == ["ecdsa-sd-2023"]


def ids_in(document: Any, pointer: str = "") -> set[str]:
    """The pointer of every `id` in `document` (outside the proof)."""
    if isinstance(document, dict):
        found = {f"{pointer}/id"} if isinstance(document.get("id"), str) else set()
        return found.union(*(ids_in(v, f"{pointer}/{k}") for k, v in document.items() if k != "proof"))
    if isinstance(document, list):
        return set().union(*(ids_in(v, f"{pointer}/{i}") for i, v in enumerate(document)))
    return set()


def test_what_the_learner_is_shown_names_every_id_the_disclosure_carries(
        sd_signed: Signed, sd_fields: FieldList) -> None:
    from skillpass.present.select import revealed_fields

    credential, _issuer = sd_signed
    selection = resolve_selection(sd_fields, ["credentialSubject.achievement.name"], False)

    shown = with_carried_ids(credential, revealed_fields(sd_fields, selection))
    derived = disclose(credential, selection)

    carried = {"/id", "/credentialSubject/achievement/id"}  # the credential's and the achievement's
    assert ids_in(derived) == carried | {"/issuer/id", "/credentialSubject/id"}
    assert {f.pointer for f in shown if f.why == "identifier"} == carried
    assert {f.pointer for f in shown} >= ids_in(derived)
    assert [f.label for f in shown if f.why == "identifier"] == ["Credential id", "Achievement id"]
    assert [f.pointer for f in shown].index("/credentialSubject/achievement/id") == \
        [f.pointer for f in shown].index("/credentialSubject/achievement/name") - 1  # before its object's field


def test_mandatory_only_disclosure_verifies(sd_signed: Signed) -> None:
    credential, issuer = sd_signed

    derived = disclose(credential, Selection((), False))

    # the issuer's mandatory fields, and what every verifier needs: the subject and its id
    assert set(derived) == {"@context", "id", "type", "issuer", "credentialSubject", "proof"}
    assert derived["credentialSubject"] == {"id": SUBJECT, "type": ["AchievementSubject"]}
    suites.verify_proofs(derived, expected_purpose="assertionMethod", controller=issuer.did)


def test_reveal_all_derives_the_whole_credential(sd_signed: Signed) -> None:
    credential, issuer = sd_signed

    derived = disclose(credential, REVEAL_ALL)

    assert {k: v for k, v in derived.items() if k != "proof"} == {
        k: v for k, v in credential.items() if k != "proof"}
    assert derived["proof"]["proofValue"] != credential["proof"]["proofValue"]  # not the base proof
    suites.verify_proofs(derived, expected_purpose="assertionMethod", controller=issuer.did)


def test_selecting_a_mandatory_field_is_harmless(sd_signed: Signed) -> None:
    credential, issuer = sd_signed

    derived = disclose(credential, Selection(("/issuer", "/issuer/name", "/validFrom")))

    assert derived["validFrom"] == credential["validFrom"]
    suites.verify_proofs(derived, expected_purpose="assertionMethod", controller=issuer.did)


def test_a_whole_only_credential_is_shared_unchanged() -> None:
    credential, issuer = signed_ob3("ecdsa-rdfc-2019")
    original = copy.deepcopy(credential)

    shared = disclose(credential, REVEAL_ALL)

    assert shared == original and shared is not credential
    with pytest.raises(BadInputError) as caught:
        disclose(credential, Selection(("/name",)))
    assert caught.value.code == "E_CANNOT_HIDE"


# -- always sent --------------------------------------------------------------------------------

def test_what_always_goes_out_matches_the_derived_disclosure(sd_signed: Signed) -> None:
    """The types always_sent names are exactly those the derived credential carries."""
    from skillpass.formats.ldp_vc.fields import always_sent
    from skillpass.present.select import revealed_fields

    credential, _ = sd_signed
    field_list = disclosable_fields(credential)
    selection = resolve_selection(field_list, ["credentialSubject.achievement.name"], False)
    revealed = with_carried_ids(credential, revealed_fields(field_list, selection))
    derived = disclose(credential, selection)

    sent = {entry["name"]: entry["value"] for entry in always_sent(credential, revealed, False)}
    assert set(sent["type"].split(", ")) == types_in(derived)
    assert sent["proof"] == f"ecdsa-sd-2023, {derived['proof']['created']}"


def test_a_proof_without_a_type_still_says_it_goes_out() -> None:
    from skillpass.formats.ldp_vc.fields import always_sent

    sent = always_sent({"type": ["VerifiableCredential"], "credentialSubject": {"type": "Learner", "id": "x"},
                        "proof": {"created": "2026-01-01T00:00:00Z"}}, (), True)

    assert sent == [{"name": "type", "value": "VerifiableCredential, Learner"},
                    {"name": "proof", "value": "?, 2026-01-01T00:00:00Z"}]
