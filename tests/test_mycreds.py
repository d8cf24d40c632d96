"""The Digitary MyCreds XML learner record (VSP pilot, XSD v2-v5): read safely, kept as an
unsigned record labelled 'not verifiable' everywhere, never shared, never verified."""

from __future__ import annotations

import json
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest
from conftest import Cli

from skillpass.errors import BadInputError, ExitStatus, SkillpassError, UnverifiableError, UsageError
from skillpass.formats.mycreds.format import FORMAT, NOT_SHAREABLE, UNSIGNED_WARNING
from skillpass.formats.mycreds.record import (
    MAX_DEPTH,
    MAX_ELEMENTS,
    MYCREDS_NS,
    Award,
    MyCredsRecord,
    Organisation,
    Person,
    parse_record,
)

SAMPLE = Path("mattr/arucc-vsp/digitary-mycreds-vsp-sample-v5.xml")
XSD = Path("mattr/arucc-vsp/digitary-mycreds-vsp-v5.xsd")


def record_xml(*, title: str = "<AwardTitle><Title>Welding Safety</Title></AwardTitle>",
               award_id: str = "WS-2026-0042", extra_award: str = "", head: str = "") -> bytes:
    """A small record of our own (v4/v5 shape, elements in another order than the XSD's)."""
    return f"""<?xml version="1.0" encoding="utf-8"?>{head}
<Student xmlns="{MYCREDS_NS}">
  <Person>
    <Name><FirstName>Ana</FirstName><LastName>Roy</LastName></Name>
    <SchoolAssignedPersonID>300123</SchoolAssignedPersonID>
    <Birth><BirthDate>2001-02-03</BirthDate></Birth>
    <Contacts><Email>ana.roy@example.ca</Email></Contacts>
  </Person>
  <LearningRecord>
    <MicrocredentialAward>
      <AwardID>{award_id}</AwardID>
      <AwardLevel>Certificate</AwardLevel>
      <AwardCategory>Microcredential</AwardCategory>
      {title}
      <AwardProgram><ProgramName>Skilled Trades Foundations</ProgramName></AwardProgram>
      <AwardDate>2026-05-01</AwardDate>
      <IssuedDate>2026-05-15</IssuedDate>
      {extra_award}
    </MicrocredentialAward>
    <MicrocredentialOrganization>
      <IssuingBodyID>ON0001</IssuingBodyID>
      <IssuingBodyName>Collège Boréal</IssuingBodyName>
      <Contacts><Address><CountryCode>CA</CountryCode></Address><URL>https://www.collegeboreal.ca/</URL></Contacts>
    </MicrocredentialOrganization>
  </LearningRecord>
</Student>
""".encode()


OWN = Person("Ana", None, "Roy", "300123", "ana.roy@example.ca", "2001-02-03"), Award(
    award_id="WS-2026-0042", level="Certificate", category="Microcredential", title="Welding Safety",
    title_display=(), description=None, honours=None, program="Skilled Trades Foundations",
    program_display=(), awarded="2026-05-01", issued="2026-05-15")


# -- reading the record --------------------------------------------------------------------------


def test_the_published_sample_reads_to_exact_values(vectors: Path) -> None:
    record = parse_record((vectors / SAMPLE).read_bytes())

    assert record == MyCredsRecord(
        person=Person("James", "Scott", "Billypun", "877865654645", "john.snow@college.com", None),
        awards=(Award(award_id="17867", level="1", category=None, title="Micro-credential in Manufacturing",
                      title_display=("Micro-credential", "in", "Manufacturing"),
                      description="Description of the award", honours="H",
                      program="Advanced Manufacturing and Automation Pre-Operator Level 3",
                      program_display=("Advanced Manufacturing", "and", "Automation Pre-Operator Level"),
                      awarded="2022-04-13", issued="2022-06-07"),),
        organisation=Organisation("CA0238372", "College", "CA", "https://www.college.ca/"))


def test_a_record_of_our_own_reads_by_element_name_not_position() -> None:
    person, award = OWN
    assert parse_record(record_xml()) == MyCredsRecord(
        person, (award,), Organisation("ON0001", "Collège Boréal", "CA", "https://www.collegeboreal.ca/"))


def test_a_v2_record_has_its_award_title_as_text() -> None:
    record = parse_record(record_xml(title="<AwardTitle>Welding Safety</AwardTitle>"))
    assert record.awards[0].title == "Welding Safety"
    assert record.awards[0].title_display == ()


def test_the_summary_lists_the_award_its_program_and_the_record_values(vectors: Path) -> None:
    summary = FORMAT.summarize((vectors / SAMPLE).read_bytes()).to_dict()

    assert summary["kind"] == "MyCredsRecord"
    assert summary["title"] == "Micro-credential in Manufacturing"
    assert summary["description"] == "Description of the award"
    assert summary["issuer"] == {"id": "CA0238372", "name": "College", "url": "https://www.college.ca/"}
    assert summary["subject_name"] == "James Scott Billypun"
    assert (summary["issued"], summary["awarded"]) == ("2022-06-07", "2022-04-13")
    [award] = summary["achievements"]
    assert award["id"] == "17867" and award["name"] == "Micro-credential in Manufacturing"
    assert award["field_of_study"] == "Advanced Manufacturing and Automation Pre-Operator Level 3"
    claims = {c["path"]: c["value"] for c in summary["claims"]}
    assert claims["/LearningRecord/MicrocredentialAward/0/AwardLevel"] == "1"
    assert claims["/LearningRecord/MicrocredentialAward/0/AwardHonours"] == "H"
    assert "/Person/Name/FirstName" not in claims  # shown as the subject's name


def test_check_keeps_it_unsigned_and_labelled_not_verifiable() -> None:
    from datetime import datetime

    checked = FORMAT.check(record_xml(), None, datetime(2026, 6, 1, tzinfo=UTC), False)  # type: ignore[arg-type]

    assert checked.issuer == "ON0001"
    assert checked.validity == "valid"
    assert checked.unverified == "not verifiable"
    assert checked.verification["method"] == "none"
    assert checked.verification["reason"] == ("a MyCreds XML record carries no signature: nothing about it "
                                              "can be verified")
    assert "not a DID" in checked.verification["issuerIs"]
    assert checked.alias == "mycreds:ON0001\nWS-2026-0042"
    assert checked.issuer_metadata is None


def test_it_is_never_shared_as_a_credential() -> None:
    fields = FORMAT.fields(record_xml(), None)
    assert not fields.selective and fields.reason == NOT_SHAREABLE
    assert {f.pointer: f.value for f in fields.fields}["/LearningRecord/MicrocredentialAward/0/AwardID"] \
        == "WS-2026-0042"
    for attempt in (lambda: FORMAT.revealed(b"", fields, None), lambda: FORMAT.signer([], [], None),  # type: ignore[arg-type]
                    lambda: FORMAT.present([], None, None, None, None)):  # type: ignore[arg-type]
        with pytest.raises(UsageError) as refused:
            attempt()
        assert refused.value.code == "E_NOT_SHAREABLE"
        assert "certified PDF" in str(refused.value.hint)
    assert FORMAT.binding_warning(record_xml(), []) == UNSIGNED_WARNING


def _deep(levels: int) -> bytes:
    return record_xml(extra_award="<X>" * levels + "</X>" * levels)


def _many(count: int) -> bytes:
    return record_xml(extra_award="<X/>" * count)


BOMB = ('<!DOCTYPE Student [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>')
HOSTILE = {
    "entity bomb": (record_xml(head=BOMB, award_id="&c;"), "E_XML_DTD"),
    "external entity": (record_xml(head='<!DOCTYPE Student [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
                                   award_id="&x;"), "E_XML_DTD"),
    "bare doctype": (record_xml(head="<!DOCTYPE Student>"), "E_XML_DTD"),
    "truncated": (record_xml()[:700], "E_XML"),
    "larger than the ingest cap": (record_xml(extra_award="<!--" + "x" * (9 * 1024 * 1024) + "-->"),
                                   "E_TOO_LARGE"),
    "too many elements": (_many(MAX_ELEMENTS), "E_TOO_MANY_VALUES"),
    "too deep": (_deep(MAX_DEPTH), "E_TOO_DEEP"),
    "missing elements": (record_xml().replace(b"<AwardID>WS-2026-0042</AwardID>", b"")
                         .replace(b"<LastName>Roy</LastName>", b""), "E_MYCREDS_INCOMPLETE"),
    "two titles": (record_xml(extra_award="<AwardTitle>Other</AwardTitle>"), "E_MYCREDS_DUPLICATE"),
    "not a date": (record_xml().replace(b"2026-05-15", b"15/05/2026"), "E_MYCREDS_DATE"),
    "not UTF-8": (record_xml().replace("Boréal".encode(), "Boréal".encode("latin-1")), "E_ENCODING"),
    "another root": (record_xml().replace(b"<Student ", b"<Learner ").replace(b"</Student>", b"</Learner>"),
                     "E_MYCREDS_RECORD"),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_or_broken_records_are_refused_with_their_reason(kind: str) -> None:
    raw, code = HOSTILE[kind]
    with pytest.raises(BadInputError) as refused:
        parse_record(raw)
    assert refused.value.code == code
    assert "\n" not in refused.value.message


def test_the_missing_elements_are_all_named() -> None:
    with pytest.raises(BadInputError, match=r"no Person/Name/LastName, MicrocredentialAward/AwardID$"):
        parse_record(HOSTILE["missing elements"][0])


@pytest.mark.parametrize("raw", [b'<?xml version="1.0"?><Record xmlns="urn:digitary"><a/></Record>',
                                 b'<!DOCTYPE note SYSTEM "note.dtd"><note>hello</note>',
                                 f'<Student xmlns:m="{MYCREDS_NS}"><Person/></Student>'.encode()])
def test_other_xml_is_said_not_to_be_a_mycreds_record(raw: bytes) -> None:
    with pytest.raises(UnverifiableError) as refused:
        parse_record(raw)
    assert (refused.value.code, refused.value.message) == (
        "E_FORMAT_UNSUPPORTED", "this XML document is not a MyCreds record, the only XML skillpass reads")


def test_the_schema_itself_is_not_a_record(vectors: Path) -> None:
    with pytest.raises(SkillpassError) as refused:
        parse_record((vectors / XSD).read_bytes())
    assert refused.value.code == "E_FORMAT_UNSUPPORTED"


# -- through the real command --------------------------------------------------------------------


def _write(path: Path, raw: bytes) -> Path:
    path.write_bytes(raw)
    return path


def _listing(cli: Cli) -> list[dict[str, Any]]:
    result = cli.with_passphrase("list", "--json")
    assert result.returncode == 0, result.stderr
    return result.json()


@pytest.fixture
def imported(cli: Cli, wallet_home: Path, tmp_path: Path) -> dict[str, Any]:
    result = cli.with_passphrase("import", str(_write(tmp_path / "record.xml", record_xml())), "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    [outcome] = result.json()
    return outcome


def test_import_keeps_it_as_an_unsigned_record(cli: Cli, wallet_home: Path, tmp_path: Path) -> None:
    result = cli.with_passphrase("import", str(_write(tmp_path / "record.xml", record_xml())))

    assert result.returncode == 0, result.stderr
    [row] = [line for line in result.stdout.splitlines() if line.startswith("imported")]
    assert "Welding Safety" in row and "kept as an unsigned record" in row
    assert [(r["title"], r["issuer"], r["format"], r["issued"], r["status"]) for r in _listing(cli)] == [
        ("Welding Safety", "Collège Boréal", "mycreds-xml", "2026-05-15", "not verifiable")]


def test_a_directory_reads_its_record_as_the_file_alone_is_read(cli: Cli, wallet_home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "records"
    folder.mkdir()
    record = _write(folder / "record.xml", record_xml())

    [from_folder] = cli.with_passphrase("import", str(folder), "--json").json()
    [alone] = cli.with_passphrase("import", str(record), "--json").json()

    assert (from_folder["status"], from_folder["title"]) == ("imported", "Welding Safety")
    assert from_folder["warning"].startswith("kept as an unsigned record")
    assert (alone["status"], alone["id"]) == ("duplicate", from_folder["id"])


def test_the_published_sample_imports_shows_and_joins_the_passport(cli: Cli, wallet_home: Path,
                                                                    vectors: Path) -> None:
    result = cli.with_passphrase("import", str(vectors / SAMPLE), "--json")
    [outcome] = result.json()
    assert (outcome["status"], outcome["title"]) == ("imported", "Micro-credential in Manufacturing")
    assert outcome["warning"].startswith("kept as an unsigned record")

    shown = cli.with_passphrase("show", outcome["id"])
    assert shown.returncode == 0, shown.stderr
    for text in ("Micro-credential in Manufacturing", "not verifiable", "CA0238372",
                 "Advanced Manufacturing and Automation Pre-Operator Level 3", "James Scott Billypun"):
        assert text in shown.stdout
    detail = cli.with_passphrase("show", outcome["id"], "--json").json()
    assert detail["status"] == "not verifiable"
    assert detail["verification"]["method"] == "none"
    assert [a["name"] for a in detail["summary"]["achievements"]] == ["Micro-credential in Manufacturing"]

    passport = cli.with_passphrase("passport", "--json").json()
    [held] = passport["credentials"]
    assert (held["id"], held["status"], held["kind"]) == (outcome["id"], "not verifiable", "MyCredsRecord")
    assert passport["counts"]["valid"] == 0
    assert passport["issuers"] == [{"id": "CA0238372", "name": "College", "credentials": 1}]


def test_show_lists_the_award_and_its_program(cli: Cli, imported: dict[str, Any]) -> None:
    shown = cli.with_passphrase("show", imported["id"])
    for text in ("Welding Safety", "Skilled Trades Foundations", "Certificate", "not verifiable"):
        assert text in shown.stdout
    fields = cli.with_passphrase("show", imported["id"], "--fields", "--json").json()
    assert fields["reason"] == NOT_SHAREABLE
    assert "LearningRecord.MicrocredentialAward[0].AwardID" in [f["path"] for f in fields["fields"]]


@pytest.mark.parametrize("how", [["--reveal-all"], ["--reveal", "Person.Name.FirstName"], []])
def test_share_refuses_it_and_writes_nothing(cli: Cli, imported: dict[str, Any], tmp_path: Path,
                                             how: list[str]) -> None:
    out = tmp_path / "vp.json"
    result = cli.with_passphrase("share", imported["id"], *how, "--out", str(out))

    assert result.returncode != 0
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    # Without --reveal-all the selection (or, with no selection, the field picker) answers
    # first: see the report for the change that makes every route say E_NOT_SHAREABLE.
    if how == ["--reveal-all"]:
        assert result.returncode == ExitStatus.USAGE
        assert result.stderr.startswith(f"skillpass: error: {NOT_SHAREABLE}; share the certified PDF")
    elif how:
        assert NOT_SHAREABLE in result.stderr
    assert not out.exists()
    assert not list(tmp_path.glob("*.json")) and not list(tmp_path.glob("*.jwt"))


def test_verify_says_it_cannot_be_verified(cli: Cli, tmp_path: Path) -> None:
    result = cli("verify", str(_write(tmp_path / "record.xml", record_xml())), "--json")

    assert result.returncode == ExitStatus.UNVERIFIABLE
    report = result.json()
    assert report["outcome"] == "unverifiable" and report["kind"] == "credential"
    proof = next(c for c in report["checks"] if c["name"] == "credential 1 proof")
    assert (proof["status"], proof["code"]) == ("failed", "E_NOT_VERIFIABLE")
    assert proof["detail"] == "a MyCreds XML record carries no signature"
    assert proof["hint"] == "ask the learner for the verifiable credential, or verify the certified PDF in MyCreds"
    assert all(c["status"] == "not applicable" for c in report["checks"]
               if c["name"].startswith("credential 1 ") and c["name"] != "credential 1 proof")
    [credential] = report["credentials"]
    assert credential["trusted"] is False and credential["title"] == "Welding Safety"
    assert {d["path"]: d["value"] for d in credential["disclosed"]}[
        "/LearningRecord/MicrocredentialOrganization/IssuingBodyName"] == "Collège Boréal"


def test_verify_of_the_sample_exits_10(cli: Cli, vectors: Path) -> None:
    result = cli("verify", str(vectors / SAMPLE))
    assert result.returncode == ExitStatus.UNVERIFIABLE
    assert "E_NOT_VERIFIABLE" in result.stdout


def test_a_challenge_asked_of_a_record_fails_too(cli: Cli, tmp_path: Path) -> None:
    result = cli("verify", str(_write(tmp_path / "record.xml", record_xml())), "--challenge", "n-1", "--json")
    assert result.returncode in (ExitStatus.INVALID, ExitStatus.UNVERIFIABLE)
    challenge = next(c for c in result.json()["checks"] if c["name"] == "challenge")
    assert challenge["status"] == "failed"


@pytest.mark.parametrize("kind", ["entity bomb", "external entity", "truncated", "larger than the ingest cap",
                                  "missing elements"])
def test_hostile_records_are_one_line_errors_and_the_wallet_is_unchanged(cli: Cli, imported: dict[str, Any],
                                                                         tmp_path: Path, kind: str) -> None:
    before = _listing(cli)
    path = _write(tmp_path / "bad.xml", HOSTILE[kind][0])

    result = cli.with_passphrase("import", str(path), "--json")
    [outcome] = result.json()
    assert result.returncode == ExitStatus.BAD_INPUT
    assert (outcome["status"], outcome["code"]) == ("rejected", HOSTILE[kind][1])
    assert "\n" not in outcome["reason"]
    assert _listing(cli) == before

    checked = cli("verify", str(path))
    assert checked.returncode == ExitStatus.BAD_INPUT
    assert checked.stdout == "" and checked.stderr.count("\n") == 1


def test_other_xml_is_refused_as_not_a_mycreds_record(cli: Cli, wallet_home: Path, tmp_path: Path) -> None:
    path = _write(tmp_path / "other.xml", b'<?xml version="1.0"?><Record xmlns="urn:digitary"/>')
    result = cli.with_passphrase("import", str(path), "--json")
    [outcome] = result.json()
    assert (outcome["status"], outcome["code"]) == ("rejected", "E_FORMAT_UNSUPPORTED")
    assert outcome["reason"] == "this XML document is not a MyCreds record, the only XML skillpass reads"
    assert outcome["hint"] == "ask the issuer for the credential as a JSON file or an SD-JWT VC"
    assert _listing(cli) == []
    verified = cli("verify", str(path))
    assert verified.returncode == ExitStatus.UNVERIFIABLE and verified.stdout == ""
    assert verified.stderr == ("skillpass: error: this XML document is not a MyCreds record, the only XML "
                               "skillpass reads; ask the issuer for the credential as a JSON file or an SD-JWT VC\n")


def test_a_second_copy_is_a_duplicate(cli: Cli, imported: dict[str, Any], tmp_path: Path) -> None:
    same = _write(tmp_path / "again.xml", record_xml())
    resaved = _write(tmp_path / "resaved.xml", record_xml().replace(b"\n", b"\r\n"))
    result = cli.with_passphrase("import", str(same), str(resaved), "--json")

    assert result.returncode == 0
    assert [(o["status"], o["id"]) for o in result.json()] == [("duplicate", imported["id"])] * 2
    assert len(_listing(cli)) == 1


def test_a_second_award_is_another_record(cli: Cli, imported: dict[str, Any], tmp_path: Path) -> None:
    other = _write(tmp_path / "other.xml", record_xml(award_id="WS-2026-0043"))
    [outcome] = cli.with_passphrase("import", str(other), "--json").json()
    assert outcome["status"] == "imported"
    assert len(_listing(cli)) == 2


def test_the_stored_bytes_are_the_record_as_given(cli: Cli, imported: dict[str, Any]) -> None:
    raw = cli.with_passphrase("show", imported["id"], "--raw").stdout_bytes
    assert raw == record_xml()
    assert json.loads(cli.with_passphrase("list", "--json").stdout)[0]["status"] == "not verifiable"


# -- the one bounded XML reader (skillpass.encoding.xml_text), shared with baked SVGs -------------


def _peak_bytes(action: Any) -> tuple[int, BaseException | None]:
    import tracemalloc

    tracemalloc.start()
    try:
        action()
        raised = None
    except BaseException as exc:  # noqa: BLE001 - handed back to the test
        raised = exc
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak, raised


def test_a_deep_record_is_refused_within_one_chunk_of_tree() -> None:
    raw = _deep(1_000_000)  # 7 MiB of nesting, under the ingest cap
    peak, raised = _peak_bytes(lambda: parse_record(raw))
    assert isinstance(raised, BadInputError) and raised.code == "E_TOO_DEEP"
    assert raised.message == f"the MyCreds XML nests deeper than {MAX_DEPTH} levels"
    # the text (decoding non-ASCII UTF-8 briefly holds it twice) and one chunk of tree; the
    # whole tree would be hundreds of MiB
    assert peak < 2 * len(raw) + 4 * 1024 * 1024


def test_a_wide_record_is_refused_as_its_elements_are_counted() -> None:
    raw = _many(500_000)
    peak, raised = _peak_bytes(lambda: parse_record(raw))
    assert isinstance(raised, BadInputError) and raised.code == "E_TOO_MANY_VALUES"
    assert raised.message == f"the MyCreds XML holds more than {MAX_ELEMENTS:,} elements"
    assert peak < 2 * len(raw) + 4 * 1024 * 1024


def test_the_record_is_read_as_utf8_whatever_its_declaration_names() -> None:
    raw = record_xml().replace(b'encoding="utf-8"', b'encoding="ISO-8859-1"')
    assert parse_record(raw).organisation.name == "Coll\u00e8ge Bor\u00e9al"


@pytest.mark.parametrize("raw, message", [
    (record_xml().replace("Boréal".encode(), "Boréal".encode("latin-1")), "the MyCreds record is not UTF-8 text"),
    (record_xml().replace(b"ON0001", b"ON\x000001"), "the MyCreds record holds a NUL character"),
    (record_xml(head="<!DOCTYPE Student>"), "the MyCreds XML declares a DOCTYPE or entities, which a MyCreds record never does"),
])
def test_the_reader_s_refusals_say_what_is_wrong_with_the_record(raw: bytes, message: str) -> None:
    with pytest.raises(BadInputError) as refused:
        parse_record(raw)
    assert refused.value.message == message and refused.value.code in ("E_ENCODING", "E_XML_DTD")
