"""The skills passport: a wallet of Open Badges 3.0, CLR 2.0 and SD-JWT VC credentials with
overlapping skills rolls up to the expected lines, each with its evidence; --json validates
against the schema; filters, list's filters, the profile, French."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from conftest import Cli
from issuing import new_issuer, ob3, sign
from skillpass.errors import ExitStatus
from skillpass.keys.multikey import encode_public_key

SCHEMA = json.loads((Path(__file__).parents[1] / "skillpass" / "passport" / "passport.schema.json").read_text())
ESCO_URL = "http://data.europa.eu/esco/skill/b9a4b8e5-3c25-4d39-8d0c-000000000001"
SOON = (datetime.now(UTC) + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
CLR_CONTEXT = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"


def alignment(name: str, *, url: str | None = None, framework: str | None = None,
              code: str | None = None) -> dict[str, Any]:
    found = {"type": ["Alignment"], "targetName": name, "targetUrl": url or f"https://skills.example/{code or name}"}
    if framework:
        found["targetFramework"] = framework
    if code:
        found["targetCode"] = code
    return found


def badge(issuer: Any, name: str, n: int, alignments: list[dict[str, Any]], *, college: str = "Collège Boréal",
          **extra: Any) -> dict[str, Any]:
    credential = ob3(name, issuer=issuer, n=n, **{k: v for k, v in extra.items() if k in ("validUntil", "validFrom")})
    credential["issuer"]["name"] = college
    achievement = credential["credentialSubject"]["achievement"]
    achievement["id"] = f"https://boreal.example/achievements/{n}"
    achievement["alignment"] = alignments
    for key in ("tag", "creditsAvailable"):
        if key in extra:
            achievement[key] = extra[key]
    if not alignments:
        del achievement["alignment"]
    return credential


def clr(issuer: Any, inner: list[dict[str, Any]]) -> dict[str, Any]:
    return {"@context": ["https://www.w3.org/ns/credentials/v2", CLR_CONTEXT],
            "id": "urn:uuid:1f4c2a8e-clr0-4000-8000-000000000001", "type": ["VerifiableCredential", "ClrCredential"],
            "issuer": {"id": issuer.did, "type": ["Profile"], "name": "Université Laurentienne"},
            "name": "Co-curricular record", "validFrom": "2026-02-01T00:00:00Z",
            "credentialSubject": {"type": ["ClrSubject"], "verifiableCredential": inner,
                                  "creditsEarned": "6"}}


@pytest.fixture(scope="module")
def wallet(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    """One wallet for the module: five credentials imported for real, a CLR stored beside them."""
    from conftest import PASSPHRASE, _base_env, store_credential, sources
    from skillpass.formats.sd_jwt_vc.issue import issue
    from skillpass.wallet.wallet import open_wallet

    base = tmp_path_factory.mktemp("passport")
    (base / "passphrase.txt").write_text(PASSPHRASE + "\n")
    cli = Cli(base / "home", base / "passphrase.txt", _base_env(base / "home"))
    assert cli.with_passphrase("init").returncode == 0
    boreal, cambrian, laurentian = new_issuer("Ed25519"), new_issuer("Ed25519"), new_issuer("Ed25519")
    credentials = [
        badge(boreal, "Intro to Data Analysis", 1, [
            alignment("Data analysis", framework="Ontario Skills Framework", code="DA-1",
                      url="https://example.org/skills/data-analysis"),
            alignment("analyse data", url=ESCO_URL)], creditsAvailable="3", validFrom="2025-09-01T00:00:00Z"),
        badge(cambrian, "Advanced Data Analysis", 2, [
            alignment("Data Analysis", url="https://example.org/skills/data-analysis/"),
            alignment("Analyse données", url=ESCO_URL.replace("http://data", "HTTP://DATA") + "/"),
            alignment("Numeracy", framework="Skills for Success")], creditsAvailable="1.5", college="Cambrian College"),
        badge(boreal, "Team Leadership", 3, [], tag=["teamwork", "Leadership"], validUntil="2026-02-01T00:00:00Z"),
        badge(cambrian, "First Aid", 4, [alignment("First aid", framework="Red Cross", code="FA")],
              validUntil=SOON, college="Cambrian College"),
    ]
    paths = []
    for n, credential in enumerate(credentials):
        paths.append(base / f"c{n}.json")
        paths[-1].write_text(json.dumps(sign(credential, boreal if n in (0, 2) else cambrian, "eddsa-rdfc-2022")))
    sd_key = ec.generate_private_key(ec.SECP256R1())
    sd_did = "did:key:" + encode_public_key(sd_key.public_key())
    sd_jwt = issue({"iss": sd_did, "vct": "https://credentials.example/welding", "iat": 1767225600,
                    "achievement": {"name": "Welding Safety", "hours": 40}, "skills": ["TIG welding", "Data analysis"],
                    "credits": 2},
                   [("skills", 0)], sd_key, kid=f"{sd_did}#{sd_did[8:]}")
    paths.append(base / "welding.sd-jwt")
    paths[-1].write_text(sd_jwt)
    imported = cli.with_passphrase("import", *map(str, paths), "--allow-expired", "--json")
    assert imported.returncode == 0, imported.stdout
    inner = [badge(boreal, "Statistics", 5, [alignment("Data scientists", framework="NOC 2021", code="21211",
                                                       url="https://noc.esdc.gc.ca/Structure/NocProfile?code=21211"),
                                             alignment("NUMERACY", framework="Skills for Success")])]
    from skillpass.wallet import vault

    saved = vault.KDF_LIMITS
    vault.KDF_LIMITS = vault.KdfLimits(min_memory_kib=8, min_iterations=1)  # the wallet's cheap test KDF
    try:
        with open_wallet(cli.home, sources()) as opened:
            store_credential(opened, clr(laurentian, inner))
    finally:
        vault.KDF_LIMITS = saved
    return cli


@pytest.fixture(scope="module")
def document(wallet: Cli) -> dict[str, Any]:
    result = wallet.with_passphrase("passport", "--json")
    assert result.returncode == 0, result.stderr
    return result.json()


def skill_lines(document: dict[str, Any]) -> dict[tuple[str, str], list[str]]:
    return {(f["id"], s["name"]): sorted(c["title"] for c in s["credentials"])
            for f in document["frameworks"] for s in f["skills"]}


def test_the_passport_validates_against_its_schema(document: dict[str, Any]) -> None:
    import jsonschema

    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.Draft202012Validator(SCHEMA).validate(document)


def test_skills_roll_up_across_credentials_with_their_evidence(document: dict[str, Any]) -> None:
    assert skill_lines(document) == {
        ("esco", "analyse data"): ["Advanced Data Analysis", "Intro to Data Analysis"],  # one URL
        ("noc", "Data scientists"): ["Co-curricular record"],  # inside the CLR
        ("skills-for-success", "Numeracy"): ["Advanced Data Analysis", "Co-curricular record"],  # name, case aside
        ("issuer", "Data analysis"): ["Advanced Data Analysis", "Intro to Data Analysis"],  # URL, slash aside
        ("issuer", "First aid"): ["First Aid"],
        ("other", "Data analysis"): ["Welding Safety"],  # another framework: another line
        ("other", "Leadership"): ["Team Leadership"],  # tags, where a credential has no alignment
        ("other", "TIG welding"): ["Welding Safety"],
        ("other", "teamwork"): ["Team Leadership"],
    }
    [esco] = [f for f in document["frameworks"] if f["id"] == "esco"]
    assert esco["skills"][0]["url"] == ESCO_URL
    issuer_defined = {s["name"]: s for f in document["frameworks"] if f["id"] == "issuer" for s in f["skills"]}
    assert issuer_defined["Data analysis"]["frameworkName"] == "Ontario Skills Framework"
    assert issuer_defined["Data analysis"]["code"] == "DA-1"
    assert [f["id"] for f in document["frameworks"]] == ["esco", "noc", "skills-for-success", "issuer", "other"]


def test_counts_timeline_issuers_and_totals(document: dict[str, Any]) -> None:
    counts = document["counts"]
    assert (counts["credentials"], counts["skills"], counts["expired"], counts["expiringSoon"]) == (6, 9, 1, 1)
    assert counts["unverified"] == 1  # the CLR was stored without a verified proof
    assert counts["issuers"] == 4
    assert [i["name"] for i in document["issuers"]][:2] == ["Cambrian College", "Collège Boréal"]
    dates = [entry["date"] for entry in document["timeline"]]
    assert dates == sorted(dates)
    # 3 + 1.5 + the CLR's 6 + the SD-JWT VC's credits claim, 2; its 40 hours
    assert document["totals"] == {"credits": 12.5, "hours": 40.0}
    assert document["holder"]["dids"][0].startswith("did:key:")


def test_filters_narrow_skills_and_credentials(wallet: Cli) -> None:
    esco = wallet.with_passphrase("passport", "--framework", "esco", "--json").json()
    numeracy = wallet.with_passphrase("passport", "--skill", "numéracy", "--json").json()
    valid_since = wallet.with_passphrase("passport", "--status", "valid", "--since", "2026-01-01", "--json").json()
    bad = wallet.with_passphrase("passport", "--status", "lost")

    assert [f["id"] for f in esco["frameworks"]] == ["esco"] and esco["counts"]["credentials"] == 2
    assert skill_lines(numeracy) == {("skills-for-success", "Numeracy"): ["Advanced Data Analysis",
                                                                         "Co-curricular record"]}
    assert all(c["status"] == "valid" for c in valid_since["credentials"]) and valid_since["counts"]["expired"] == 0
    assert bad.returncode == ExitStatus.USAGE and "--status" in bad.stderr


def test_list_takes_the_same_filters_a_search_and_an_order(wallet: Cli) -> None:
    by_title = wallet.with_passphrase("list", "--sort", "title", "--json").json()
    searched = wallet.with_passphrase("list", "--search", "TIG", "--json").json()
    described = wallet.with_passphrase("list", "--search", "charting tabular", "--json").json()
    issuer = wallet.with_passphrase("list", "--issuer", "laurentienne", "--json").json()

    assert [r["title"] for r in by_title] == sorted((r["title"] for r in by_title), key=str.casefold)
    assert [r["title"] for r in searched] == ["Welding Safety"]
    assert len(described) == 4  # every badge of the fixture has that description
    assert [r["title"] for r in issuer] == ["Co-curricular record"]


def test_the_profile_names_the_passport(wallet: Cli) -> None:
    assert wallet.with_passphrase("profile", "--name", "Ana  Roy").returncode == 0
    piped = wallet.with_passphrase("passport").stdout
    french = wallet.with_passphrase("passport", "--lang", "fr").stdout

    assert wallet.with_passphrase("passport", "--json").json()["holder"]["name"] == "Ana Roy"
    assert piped.startswith("record\tframework\tskill") and "holder\t\tAna Roy\t" in piped
    assert french == piped  # piped records are for scripts: the same in every language


@pytest.mark.parametrize("char", ["\u202e", "\u200b", "\x9b"])
def test_a_profile_name_with_a_bidi_control_or_an_invisible_character_is_refused(wallet: Cli, char: str) -> None:
    before = wallet.with_passphrase("profile", "--json").json()
    result = wallet.with_passphrase("profile", "--name", f"Ana{char}Roy")
    assert result.returncode == ExitStatus.USAGE and result.stdout == ""
    assert result.stderr.startswith("skillpass: error: a name is one line of 1 to 200 characters")
    assert wallet.with_passphrase("profile", "--json").json() == before


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_terminal_passport_speaks_one_language(document: dict[str, Any], lang: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from skillpass import i18n
    from skillpass.render import passport as view

    out = _Terminal()
    monkeypatch.setattr(view.sys, "stdout", out)
    monkeypatch.setenv("NO_COLOR", "1")
    i18n.use_language(lang)
    try:
        view.passport_view(document)
    finally:
        i18n.use_language(None)
    text = out.getvalue()
    english = ["Skills passport", "Achievements", "Issuers", "Totals", "credentials", "valid", "Other skills",
               "Issuer-defined", "expired", "hours", "January", "February"]
    french = ["Passeport de compétences", "Réalisations", "Émetteurs", "Totaux", " attestations", "valide",
              "Autres compétences", "Définies par l'émetteur", "heures"]
    if lang == "fr":
        assert all(word in text for word in french), text
        assert not [word for word in english if re.search(rf"\b{word}\b", text)], text
    else:
        assert all(word in text for word in english[:9]), text


def test_two_issuers_of_one_name_are_told_apart_on_a_terminal(document: dict[str, Any],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A name is what an issuer says of itself: two of the passport's issuers that say the same
    (two keys of one college, or someone posing as it) are shown with their ids, the others not."""
    from skillpass.render import passport as view

    issuers = [{"id": "did:key:z6MkOne", "name": "Collège Boréal", "credentials": 2},
               {"id": "did:key:z6MkTwo", "name": "Collège Boréal", "credentials": 1},
               {"id": "did:web:cambrian.example", "name": "Cambrian College", "credentials": 1}]
    out = _Terminal()
    monkeypatch.setattr(view.sys, "stdout", out)
    monkeypatch.setenv("NO_COLOR", "1")
    view.passport_view({**document, "issuers": issuers})
    text = out.getvalue()[out.getvalue().index("Issuers"):]

    assert "did:key:z6MkOne" in text and "did:key:z6MkTwo" in text
    assert "did:web:cambrian.example" not in text and "Cambrian College" in text


# -- one issuer, one name ----------------------------------------------------------------------

def _row(title: str, issuer: str, issuer_id: str, *, verified: bool = True, until: float | None = None) -> dict[str, Any]:
    return {"v": 3, "title": title, "issuer": issuer, "format": "ldp_vc", "issued": "2026-01-01", "expires": "",
            "from": 1.0e9, "until": until, "dates": True, "verified": verified, "status_entries": 0,
            "kind": "", "issuer_id": issuer_id, "awarded": "", "added": "", "description": "", "skills": [],
            "credits": None, "hours": None}


def test_a_credential_named_by_its_issuers_id_alone_takes_the_name_its_issuer_signed_elsewhere() -> None:
    from skillpass.passport.build import Filters, build

    uni, other, forged = "did:web:u-nord.example", "did:web:other.example", "did:web:forged.example"
    rows = [("sdjwt", _row("Python", uni, uni)),  # an SD-JWT VC or MATTR credential: no organisation name
            ("expired", _row("Writing", "Université du Nord", uni, until=1.1e9)),  # expired, still signed
            ("alone", _row("Welding", other, other)),  # nobody names this issuer
            ("claimed", _row("Fake", "Université du Nord", forged, verified=False)),  # never verified
            ("forged", _row("Safety", forged, forged))]
    now = datetime(2026, 12, 1, tzinfo=UTC)

    passport = build(rows, now=now, holder_name=None, holder_dids=())
    named = {held.id: held.issuer.default for held in passport.credentials}

    assert named == {"sdjwt": "Université du Nord", "expired": "Université du Nord", "alone": other,
                     "claimed": "Université du Nord", "forged": forged}
    assert {e["id"]: e["name"] for e in passport.issuers()}[uni] == "Université du Nord"
    found = build(rows, now=now, holder_name=None, holder_dids=(), filters=Filters(issuer="université du nord"))
    assert sorted(held.id for held in found.credentials) == ["claimed", "expired", "sdjwt"]


def test_a_test_issuers_label_is_in_the_passports_language_as_in_list() -> None:
    from skillpass.passport.build import build

    rows = [("made", {**_row("Welding", "Collège (test issuer)", "did:key:z6MkTest"), "test_issuer": True}),
            ("unlabelled", {**_row("Safety", "Atelier", "did:key:z6MkOther"), "test_issuer": True}),
            ("real", _row("Writing", "Collège (test issuer)", "did:web:c.example"))]  # not ours to say
    now = datetime(2026, 12, 1, tzinfo=UTC)

    def issuers(langs: tuple[str, ...]) -> dict[str, str]:
        passport = build(rows, now=now, holder_name=None, holder_dids=(), langs=langs)
        return {held.id: held.issuer.pick(langs) for held in passport.credentials}

    assert issuers(("fr", "en")) == {"made": "Collège (émetteur de test)", "unlabelled": "Atelier (émetteur de test)",
                                     "real": "Collège (test issuer)"}
    assert issuers(("en", "fr")) == issuers(()) == {"made": "Collège (test issuer)", "unlabelled": "Atelier (test issuer)",
                                                    "real": "Collège (test issuer)"}


def test_the_totals_leave_out_what_an_issuer_withdrew() -> None:
    from skillpass.passport.build import build

    rows = [(cid, {**_row(cid, "Collège", "did:web:c.example"), "credits": credits, "hours": hours, **extra})
            for cid, credits, hours, extra in [("kept", 1.5, 10, {}), ("expired", 2, 5, {"until": 1.1e9}),
                                               ("revoked", 3, 20, {"status_state": "revoked"}),
                                               ("suspended", 4, 40, {"status_state": "suspended"})]]
    passport = build(rows, now=datetime(2026, 12, 1, tzinfo=UTC), holder_name=None, holder_dids=())

    assert {held.id: held.status for held in passport.credentials} == {
        "kept": "valid", "expired": "expired", "revoked": "revoked", "suspended": "suspended"}
    assert passport.totals() == {"credits": 3.5, "hours": 15}


def test_list_names_an_issuer_as_the_passport_does() -> None:
    """A credential named by its issuer's id alone is listed with the name the same issuer signed
    into a verified one, also when a filter leaves that one out."""
    from skillpass.flow.listing import ListOptions, _listed
    from skillpass.passport.build import Filters

    uni = "did:web:u-nord.example"
    rows = [("sdjwt", _row("Python", uni, uni)), ("expired", _row("Writing", "Université du Nord", uni, until=1.1e9)),
            ("test", {**_row("Welding", uni, uni), "test_issuer": True})]
    now = datetime(2026, 12, 1, tzinfo=UTC)

    listed = {row["id"]: row["issuer"] for row in _listed(iter(rows), now, (), ListOptions())}
    valid = {row["id"]: row["issuer"] for row in _listed(iter(rows), now, (), ListOptions(Filters(status="valid")))}

    assert listed == {"sdjwt": "Université du Nord", "expired": "Université du Nord",
                      "test": "Université du Nord (test issuer)"}
    assert valid == {"sdjwt": "Université du Nord", "test": "Université du Nord (test issuer)"}


def test_a_test_issuer_named_by_its_id_alone_takes_the_name_it_signed_elsewhere_with_its_label() -> None:
    """The demo's university: its SD-JWT VC and MATTR credentials name it by its did:web alone,
    its Open Badge by name; all three are test credentials, labelled once named."""
    from skillpass.passport.build import build

    uni = "did:web:u-nord.example"
    rows = [(cid, {**row, "test_issuer": True}) for cid, row in (
        ("sdjwt", _row("Python", uni, uni)), ("badge", _row("Writing", "Université du Nord (test issuer)", uni)))]
    now = datetime(2026, 12, 1, tzinfo=UTC)

    passport = build(rows, now=now, holder_name=None, holder_dids=(), langs=("fr",))

    assert {held.id: held.issuer.pick(("fr",)) for held in passport.credentials} == {
        "sdjwt": "Université du Nord (émetteur de test)", "badge": "Université du Nord (émetteur de test)"}


def test_a_test_issuers_name_in_several_languages_is_labelled_in_each() -> None:
    from skillpass.langtext import LangText
    from skillpass.passport.build import _test_labelled

    labelled = _test_labelled(LangText("College", {"en": "College", "fr-CA": "Collège"}))

    assert (labelled.pick(("en",)), labelled.pick(("fr",))) == ("College (test issuer)", "Collège (émetteur de test)")


# -- Skills for Success in English and French --------------------------------------------------

def test_a_skill_for_success_named_in_english_or_in_french_is_one_skill_shown_in_the_readers_language() -> None:
    from skillpass.passport.build import build

    def held(cid: str, *skills: list[Any]) -> tuple[str, dict[str, Any]]:
        return cid, {**_row(cid, "Collège", "did:web:c.example"), "skills": list(skills)}

    sfs_url = "https://www.canada.ca/fr/services/emplois/formation/initiatives/competence-reussir.html"
    rows = [held("en", ["Problem solving", "skills-for-success", "Skills for Success", None, None]),
            held("fr", ["résolution de  problèmes", "skills-for-success", "Compétences pour réussir", sfs_url, None]),
            held("alias", ["Digital skills", "skills-for-success", None, None, None],
                 ["Problem-solving", "skills-for-success", None, None, None]),
            held("own", ["Reading", "issuer", "Collège's own skills", None, None],  # not the framework's
                 ["Oral communication", "skills-for-success", None, None, None])]  # not one of the nine
    passport = build(rows, now=datetime(2026, 12, 1, tzinfo=UTC), holder_name=None, holder_dids=())

    def named(langs: tuple[str, ...]) -> dict[str, list[str]]:
        return {skill.name.pick(langs): sorted(held.id for held in skill.proofs) for skill in passport.skills}

    assert named(("fr", "en")) == {"Résolution de problèmes": ["alias", "en", "fr"],
                                   "Compétences numériques": ["alias"], "Oral communication": ["own"],
                                   "Reading": ["own"]}
    assert named(("en",)) == {"Problem solving": ["alias", "en", "fr"], "Digital": ["alias"],
                              "Oral communication": ["own"], "Reading": ["own"]}
    # skills proved as often are in the reader's alphabetical order: Digital, Numeracy; Calcul, Compétences…
    two = [held("both", ["Digital", "skills-for-success", None, None, None],
                ["Numeracy", "skills-for-success", None, None, None])]
    for langs, order in ((("en", "fr"), ["Digital", "Numeracy"]), (("fr", "en"), ["Calcul", "Compétences numériques"])):
        built = build(two, now=datetime(2026, 12, 1, tzinfo=UTC), holder_name=None, holder_dids=(), langs=langs)
        assert [skill.name.pick(langs) for skill in built.skills] == order
    # with no language asked for (--json), a name stays as an issuer spelled it (the oldest's, on a tie)
    assert set(named(())) == {"Problem-solving", "Digital skills", "Oral communication", "Reading"}


def test_the_french_skills_for_success_page_names_the_framework_in_new_and_in_kept_rows() -> None:
    from skillpass.passport.skills import ISSUER, SFS, SkillRef, framework_of

    url = "https://www.canada.ca/fr/services/emplois/formation/initiatives/competence-reussir/comprendre-individus.html"
    assert framework_of(url, None) == SFS
    # a row kept before this page was recognised said 'issuer'; the passport reads it as it would be now
    assert SkillRef.from_row(["Lecture", ISSUER, None, url, None]).framework == SFS
    assert SkillRef.from_row([{"default": "Lecture", "langs": {"fr": "Lecture"}}, ISSUER, None, url, None]).framework == SFS
    assert SkillRef.from_row(["Welding", ISSUER, "Trades", "https://www.canada.ca/en/trades.html", None]).framework == ISSUER
