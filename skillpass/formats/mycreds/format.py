"""The MyCreds XML record behind the format seam: kept as the bytes the learner gave, with no
proof to verify (the record carries no signature), labelled "not verifiable" in every view, and
refused by share: what MyCreds certifies is its PDF and, in the VSP pilot, the AcademicAward
verifiable credential MATTR issues from this record (SEED-SYSTEMS.md §1)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, NoReturn

from skillpass.errors import UsageError
from skillpass.formats import MYCREDS
from skillpass.formats.base import (
    NOTHING_KEPT,
    NOT_VERIFIABLE,
    Checked,
    Chosen,
    Material,
    Presentation,
    ShareOptions,
    Signer,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from skillpass.formats.mycreds.record import MyCredsRecord
    from skillpass.present.fields import Field, FieldList
    from skillpass.present.select import Selection
    from skillpass.summary import Summary
    from skillpass.wallet.keys import HolderKey

KIND = "MyCredsRecord"
NO_SIGNATURE = "a MyCreds XML record carries no signature: nothing about it can be verified"
ISSUER_IS = "the record's IssuingBodyID, an institution code: not a DID, no key stands behind it"
NOT_SHAREABLE = "a MyCreds record is not a verifiable credential and cannot be shared as one"
SHARE_HINT = ("share the certified PDF from your MyCreds portal, or ask the institution for a "
              "verifiable credential")
UNSIGNED_WARNING = ("kept as an unsigned record: it carries no signature, is shown as 'not verifiable' "
                    "and cannot be shared as a verifiable credential")


class MyCredsXml:
    tag = MYCREDS
    name = "MyCreds record (unsigned)"

    def check(self, raw: bytes, material: Material, now: datetime, allow_expired: bool) -> Checked:
        from skillpass.formats.mycreds.record import parse_record

        record = parse_record(raw)
        issuer = record.organisation.body_id or record.organisation.name
        verification = {"method": "none", "reason": NO_SIGNATURE, "issuer": issuer, "issuerIs": ISSUER_IS}
        # One record per award from one institution: a second copy is a duplicate.
        alias = f"mycreds:{issuer}\n" + "\n".join(a.award_id for a in record.awards)
        return Checked(issuer, "valid", verification, summary_of(record), alias, unverified=NOT_VERIFIABLE)

    def summarize(self, raw: bytes, kept: Mapping[str, Any] = NOTHING_KEPT) -> Summary:
        from skillpass.formats.mycreds.record import parse_record

        return summary_of(parse_record(raw))

    def binding_warning(self, raw: bytes, keys: list[HolderKey]) -> str | None:
        # The seam's "why the learner could not present it": a record is never presented, and
        # import_candidate prints this as the import's warning line.
        return UNSIGNED_WARNING

    def fields(self, raw: bytes, summary: Summary | None) -> FieldList:
        from skillpass.formats.mycreds.record import leaves, parse_record
        from skillpass.present.fields import WHOLE, Field, FieldList, format_path

        def path(pointer: str) -> str:
            tokens = pointer.split("/")[1:]
            return format_path([(token, token.isdigit()) for token in tokens])

        fields = tuple(Field(path(leaf.pointer), leaf.pointer, leaf.label, leaf.value, True, WHOLE)
                       for leaf in leaves(parse_record(raw)))
        return FieldList(False, "none (unsigned MyCreds record)", NOT_SHAREABLE, fields)

    def refuse_share(self) -> NoReturn:
        """share asks this before any picker: a record is never shared (formats/base.py)."""
        not_shareable()

    def revealed(self, raw: bytes, fields: FieldList, selection: Selection) -> tuple[Field, ...]:
        not_shareable()

    def signer(self, chosen: list[Chosen], keys: list[HolderKey], request: ShareOptions) -> Signer:
        not_shareable()

    def present(self, chosen: list[Chosen], signer: Signer, request: ShareOptions, material: Material,
                now: datetime) -> Presentation:
        not_shareable()


def not_shareable() -> NoReturn:
    raise UsageError(NOT_SHAREABLE, SHARE_HINT, code="E_NOT_SHAREABLE")


def summary_of(record: MyCredsRecord) -> Summary:
    """What list, show and the passport display: the award(s) as achievements (the issuing body is
    the issuer), the record's other values as claims (pointers as `show --fields` lists them)."""
    from skillpass.formats.mycreds.record import leaves
    from skillpass.langtext import LangText
    from skillpass.summary import Summary
    from skillpass.summary.model import Achievement, Claim, Party

    org = record.organisation
    issuer = Party(id=org.body_id, name=LangText(org.name), url=org.url)
    achievements = tuple(
        Achievement(id=a.award_id, name=LangText(a.title),
                    description=LangText(a.description) if a.description else None,
                    achievement_type=a.category or "Microcredential", field_of_study=LangText(a.program))
        for a in record.awards)
    # The issuer's address is left to `show --fields`: its pointer alone would fill a terminal line.
    shown_elsewhere = ("/Name/", "/AwardTitle/", "/AwardDescription", "/IssuingBodyID", "/IssuingBodyName",
                       "/MicrocredentialOrganization/Contacts/", "/AwardProgram/")
    claims = tuple(Claim(leaf.pointer, LangText(leaf.value)) for leaf in leaves(record)
                   if not any(part in leaf.pointer for part in shown_elsewhere))
    first = record.awards[0]
    return Summary(
        title=LangText(first.title or f"MyCreds record of {record.person.full_name}"), kind=KIND,
        description=LangText(first.description) if first.description else None, issuer=issuer,
        subject_name=LangText(record.person.full_name), issued=first.issued, awarded=first.awarded,
        achievements=achievements, claims=claims)


FORMAT = MyCredsXml()
