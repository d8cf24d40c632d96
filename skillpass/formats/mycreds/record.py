"""The Digitary MyCreds learner record (the VSP pilot's XML, namespace MYCREDS_NS, XSD v2-v5),
read safely into a typed `MyCredsRecord`.

The XSDs (ARUCC-MyCreds-National-Network/en-CA, specification/microcredential) define:

    Student
      Person: SchoolAssignedPersonID, Birth/BirthDate?, Name{FirstName, MiddleName?, LastName},
              Contacts/Email
      LearningRecord
        MicrocredentialAward: AwardID, AwardLevel, AwardCategory? (v4+), AwardTitle (v2: text;
              v3+: Title, DisplayInfo/DisplayName*), AwardDescription?, AwardHonours?,
              AwardProgram{ProgramName, DisplayInfo?}, AwardDate, IssuedDate
        MicrocredentialOrganization: IssuingBodyID, IssuingBodyName,
              Contacts{Address/CountryCode, URL}

No version defines courses, components or skills: an award is its title, level, program and
dates. Elements are found by name, not by position (the v3 sample puts Name before
SchoolAssignedPersonID); elements of other namespaces are ignored. What the wallet shows is
required (a name, the award's id, level, title, program, both dates, the issuing body's id and
name); the learner's contact details and the institution's address are not.

The record carries no signature. Parsing is bounded before anything is built: the ingest size
cap, then the one bounded XML reader (skillpass.encoding.xml_text): UTF-8 only, no DOCTYPE or
entity declaration at all (no entity expansion, no external fetch can follow), at most
MAX_ELEMENTS elements, MAX_DEPTH deep, MAX_TEXT characters a value.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date

from skillpass.encoding import xml_text
from skillpass.encoding.xml_text import read_xml
from skillpass.errors import BadInputError, UnverifiableError

MYCREDS_NS = "https://core.digitary.net/schema/mycreds/vsp/2022/11/01"
MAX_ELEMENTS = 2000  # a record has about 40
MAX_DEPTH = 16  # a record is 6 deep
MAX_TEXT = 4000  # characters in one value
MAX_AWARDS = 50  # the XSD allows one; later versions may allow a few
_XS_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?")
_HINT = "give the record as MyCreds exported it"


@dataclass(frozen=True)
class Person:
    first_name: str
    middle_name: str | None
    last_name: str
    school_person_id: str | None
    email: str | None
    birth_date: str | None

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.middle_name, self.last_name) if p)


@dataclass(frozen=True)
class Award:
    award_id: str
    level: str
    category: str | None
    title: str
    title_display: tuple[str, ...]  # DisplayInfo/DisplayName: how a certificate breaks the title
    description: str | None
    honours: str | None
    program: str
    program_display: tuple[str, ...]
    awarded: str  # AwardDate, xs:date as written
    issued: str  # IssuedDate


@dataclass(frozen=True)
class Organisation:
    body_id: str  # IssuingBodyID: an institution code such as CA0238372, not a DID
    name: str
    country: str | None
    url: str | None  # only an http(s) address is kept


@dataclass(frozen=True)
class MyCredsRecord:
    person: Person
    awards: tuple[Award, ...]
    organisation: Organisation


def is_mycreds(raw: bytes) -> bool:
    """Whether `raw` names the MyCreds namespace at all (a cheap look, before any parse)."""
    return MYCREDS_NS.encode("ascii") in raw[:1 << 16]


def parse_record(raw: bytes) -> MyCredsRecord:
    """The record in `raw`. Raises the format-unsupported error (UnverifiableError) for XML of
    another vocabulary, BadInputError for a MyCreds record that is
    malformed, too large, declares a DOCTYPE or entities, or lacks what the wallet needs."""
    root = parse_root(raw)
    return _record(root)


def parse_root(raw: bytes) -> ET.Element:
    """The MyCreds `Student` element of `raw`, parsed within the bounds."""
    from skillpass.ingest import MAX_INPUT_BYTES

    if len(raw) > MAX_INPUT_BYTES:
        raise BadInputError(f"input larger than {MAX_INPUT_BYTES // (1024 * 1024)} MiB",
                            "a MyCreds record is a few kilobytes; check the file", code="E_TOO_LARGE")
    if not is_mycreds(raw):
        raise _other_xml()
    # No record declares a document type: refusing any declaration before the parser sees it
    # leaves no entity to expand (billion laughs) and no external one to fetch.
    root = read_xml(raw, max_elements=MAX_ELEMENTS, max_depth=MAX_DEPTH, refuse=_refused)
    namespace, _, local = root.tag[1:].partition("}") if root.tag.startswith("{") else ("", "", root.tag)
    if namespace != MYCREDS_NS:
        raise _other_xml()
    if local != "Student":
        raise BadInputError(f"a MyCreds document whose root is {local[:40]!r}, not a Student record",
                            _HINT, code="E_MYCREDS_RECORD")
    return root


def _other_xml() -> UnverifiableError:
    return UnverifiableError("this XML document is not a MyCreds record, the only XML skillpass reads",
                             "ask the issuer for the credential as a JSON file or an SD-JWT VC",
                             code="E_FORMAT_UNSUPPORTED")


def _refused(code: str, reason: str) -> BadInputError:
    """The bounded reader's refusal (skillpass.encoding.xml_text), worded for a MyCreds record."""
    if code == xml_text.ENCODING:
        return BadInputError(f"the MyCreds record {reason}", _HINT, code=code)
    if code == xml_text.DECLARATION:
        return BadInputError(f"the MyCreds XML {reason}, which a MyCreds record never does", _HINT, code=code)
    if code == xml_text.TOO_MANY:
        return BadInputError(f"the MyCreds XML {reason}", "a MyCreds record holds about 40; check the file",
                             code=code)
    if code == xml_text.MALFORMED:
        return BadInputError(f"the MyCreds XML {reason}", "check the file is the whole record, as MyCreds exported it",
                             code=code)
    return BadInputError(f"the MyCreds XML {reason}", _HINT, code=code)


# -- the record ------------------------------------------------------------------------------------


class _Reader:
    """Children by local name in the MyCreds namespace, with what is missing gathered so that
    one error names all of it."""

    def __init__(self) -> None:
        self.missing: list[str] = []

    def child(self, parent: ET.Element | None, name: str, where: str, required: bool = True) -> ET.Element | None:
        if parent is None:
            return None
        found = parent.findall(f"{{{MYCREDS_NS}}}{name}")
        if len(found) > 1:
            raise BadInputError(f"the MyCreds record has {len(found)} {where}/{name} elements, where "
                                "there is one", "a record with two values for one element is ambiguous; "
                                "ask the institution", code="E_MYCREDS_DUPLICATE")
        if not found and required:
            self.missing.append(f"{where}/{name}")
        return found[0] if found else None

    def text(self, parent: ET.Element | None, name: str, where: str, required: bool = True) -> str | None:
        element = self.child(parent, name, where, required)
        if element is None:
            return None
        value = _value(element)
        if not value and required:
            self.missing.append(f"{where}/{name}")
        return value or None

    def names(self, parent: ET.Element | None) -> tuple[str, ...]:
        info = parent.find(f"{{{MYCREDS_NS}}}DisplayInfo") if parent is not None else None
        if info is None:
            return ()
        return tuple(_value(e) for e in info.findall(f"{{{MYCREDS_NS}}}DisplayName"))


def _value(element: ET.Element) -> str:
    value = " ".join("".join(element.itertext()).split()) if len(element) else (element.text or "").strip()
    if len(value) > MAX_TEXT:
        raise BadInputError(f"a value in the MyCreds record is longer than {MAX_TEXT:,} characters", _HINT,
                            code="E_MYCREDS_TOO_LONG")
    return value


def _record(root: ET.Element) -> MyCredsRecord:
    r = _Reader()
    person = _person(r, r.child(root, "Person", "Student"))
    learning = r.child(root, "LearningRecord", "Student")
    elements = learning.findall(f"{{{MYCREDS_NS}}}MicrocredentialAward") if learning is not None else []
    if len(elements) > MAX_AWARDS:
        raise BadInputError(f"the MyCreds record holds {len(elements)} awards; skillpass reads at most "
                            f"{MAX_AWARDS}", _HINT, code="E_TOO_MANY_VALUES")
    if learning is not None and not elements:
        r.missing.append("LearningRecord/MicrocredentialAward")
    awards = tuple(_award(r, element) for element in elements)
    organisation = _organisation(r, r.child(learning, "MicrocredentialOrganization", "LearningRecord"))
    if r.missing:
        raise BadInputError(f"the MyCreds record has no {', '.join(dict.fromkeys(r.missing))}",
                            "ask the institution for a complete record", code="E_MYCREDS_INCOMPLETE")
    assert person is not None and organisation is not None
    return MyCredsRecord(person, awards, organisation)


def _person(r: _Reader, element: ET.Element | None) -> Person | None:
    name = r.child(element, "Name", "Person")
    first, last = r.text(name, "FirstName", "Person/Name"), r.text(name, "LastName", "Person/Name")
    contacts = r.child(element, "Contacts", "Person", required=False)
    birth = r.child(element, "Birth", "Person", required=False)
    birth_date = r.text(birth, "BirthDate", "Person/Birth", required=False)
    if first is None or last is None:
        return None
    return Person(first, r.text(name, "MiddleName", "Person/Name", required=False), last,
                  r.text(element, "SchoolAssignedPersonID", "Person", required=False),
                  r.text(contacts, "Email", "Person/Contacts", required=False),
                  _date(birth_date, "Person/Birth/BirthDate") if birth_date else None)


def _award(r: _Reader, element: ET.Element) -> Award:
    where = "MicrocredentialAward"
    title_element = r.child(element, "AwardTitle", where)
    # v2: AwardTitle is the title itself; v3 on: AwardTitle/Title, with DisplayInfo beside it
    has_title = title_element is not None and title_element.find(f"{{{MYCREDS_NS}}}Title") is not None
    if has_title:
        title = r.text(title_element, "Title", f"{where}/AwardTitle")
    else:
        title = _value(title_element) if title_element is not None else None
        if title_element is not None and not title:
            r.missing.append(f"{where}/AwardTitle")
    program = r.child(element, "AwardProgram", where)
    values = {name: r.text(element, name, where) for name in ("AwardID", "AwardLevel", "AwardDate", "IssuedDate")}
    return Award(
        award_id=values["AwardID"] or "", level=values["AwardLevel"] or "",
        category=r.text(element, "AwardCategory", where, required=False), title=title or "",
        title_display=r.names(title_element) if has_title else (),
        description=r.text(element, "AwardDescription", where, required=False),
        honours=r.text(element, "AwardHonours", where, required=False),
        program=r.text(program, "ProgramName", f"{where}/AwardProgram") or "",
        program_display=r.names(program),
        awarded=_date(values["AwardDate"], f"{where}/AwardDate"),
        issued=_date(values["IssuedDate"], f"{where}/IssuedDate"))


def _organisation(r: _Reader, element: ET.Element | None) -> Organisation | None:
    where = "MicrocredentialOrganization"
    body_id, name = r.text(element, "IssuingBodyID", where), r.text(element, "IssuingBodyName", where)
    contacts = r.child(element, "Contacts", where, required=False)
    address = r.child(contacts, "Address", f"{where}/Contacts", required=False)
    country = r.text(address, "CountryCode", f"{where}/Contacts/Address", required=False)
    url = r.text(contacts, "URL", f"{where}/Contacts", required=False)
    if element is None or body_id is None or name is None:
        return None
    return Organisation(body_id, name, country, url if url and re.match(r"https?://", url, re.IGNORECASE) else None)


def _date(value: str | None, where: str) -> str:
    """An xs:date as written (2022-04-13, or with a zone), checked to be a calendar date."""
    if value is None:
        return ""  # already counted as missing
    match = _XS_DATE.fullmatch(value)
    try:
        if match is None:
            raise ValueError(value)
        date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise BadInputError(f"the MyCreds record's {where} {value[:40]!r} is not a date (YYYY-MM-DD)",
                            "ask the institution for a corrected record", code="E_MYCREDS_DATE") from None
    return value


# -- its values, as `show --fields` and a verifier list them ---------------------------------------


@dataclass(frozen=True)
class Leaf:
    pointer: str  # a JSON pointer over the record's element names
    label: str
    value: str


def leaves(record: MyCredsRecord) -> list[Leaf]:
    """Every value the record carries, in document order."""
    p, o = record.person, record.organisation
    found = [("/Person/SchoolAssignedPersonID", "Student number", p.school_person_id),
             ("/Person/Birth/BirthDate", "Birth date", p.birth_date),
             ("/Person/Name/FirstName", "First name", p.first_name),
             ("/Person/Name/MiddleName", "Middle name", p.middle_name),
             ("/Person/Name/LastName", "Last name", p.last_name),
             ("/Person/Contacts/Email", "Email", p.email)]
    for n, a in enumerate(record.awards):
        at = f"/LearningRecord/MicrocredentialAward/{n}"
        number = f"Award {n + 1}: " if len(record.awards) > 1 else "Award "
        found += [(f"{at}/AwardID", f"{number}ID", a.award_id), (f"{at}/AwardLevel", f"{number}level", a.level),
                  (f"{at}/AwardCategory", f"{number}category", a.category),
                  (f"{at}/AwardTitle/Title", f"{number}title", a.title),
                  (f"{at}/AwardDescription", f"{number}description", a.description),
                  (f"{at}/AwardHonours", f"{number}honours", a.honours),
                  (f"{at}/AwardProgram/ProgramName", f"{number}program", a.program),
                  (f"{at}/AwardDate", f"{number}date", a.awarded),
                  (f"{at}/IssuedDate", f"{number}issued on", a.issued)]
    org = "/LearningRecord/MicrocredentialOrganization"
    found += [(f"{org}/IssuingBodyID", "Issuing body ID", o.body_id),
              (f"{org}/IssuingBodyName", "Issuing body", o.name),
              (f"{org}/Contacts/Address/CountryCode", "Issuing body country", o.country),
              (f"{org}/Contacts/URL", "Issuing body URL", o.url)]
    return [Leaf(pointer, label, value) for pointer, label, value in found if value]
