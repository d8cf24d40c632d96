"""What `list` and `show` present of a stored credential: plain data, rendered elsewhere.

`list` reads a small `row` record per credential, written beside the full entry when the
credential is added: ten thousand of them decrypt and parse in a fraction of a second, where
the full summaries would take seconds. Dates are kept there as epoch seconds so that the status
is a comparison, not a parse.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from skillpass.encoding.dates import EXPIRED, NOT_YET_VALID, VALID
from skillpass.formats import MATTR_CWT, SD_JWT_VC
from skillpass.langtext import LangText

ROW_VERSION = 4  # 2: status entries; 3: skills, kind, description, credits, hours (the passport);
# 4: what the status lists said, the label of a credential kept unsigned
# What one format's summaries hold changed (not the shape every summary and row has, which
# SUMMARY_VERSION and ROW_VERSION say): only that format's credentials are derived again, each
# entry and row saying the revision it was derived at. MATTR 1: the `skills` claim; SD-JWT VC 1,
# MATTR 2: the `credits` claim counted in the passport's totals; MATTR 3: the description is the
# issuer's, not the claims on one line; MATTR 4, SD-JWT VC 2: the title's (and MATTR's description's)
# translations in sibling claims (`award_fr`, `name#fr`).
FORMAT_REVISIONS = {MATTR_CWT: 4, SD_JWT_VC: 2}
MAX_DESCRIPTION = 500  # characters of a description kept for `list --search`
_HOURS = frozenset({"hours", "duration_hours", "durationHours", "learning_hours", "learningHours"})
_CREDITS = frozenset({"credits", "credits_earned", "creditsEarned"})  # claims (SD-JWT VC, MATTR)


def new_entry(checked: Any, format_tag: str, added: str) -> dict[str, Any]:
    """The entry kept beside a verified credential (formats.base.Checked): its summary, its
    format, the verification, and the alias (issuer and credential id) that finds a second
    copy of it."""
    entry = {"summary": checked.summary.to_dict(), "format": format_tag, "added": added,
             "verification": checked.verification, "alias": checked.alias}
    if checked.unverified:
        entry["unverified"] = checked.unverified
    return with_revision(entry)


def with_revision(entry: dict[str, Any]) -> dict[str, Any]:
    """`entry` saying the revision of its format's summaries it was derived at (none for 0)."""
    revised = {name: value for name, value in entry.items() if name != "revision"}
    if revision := format_revision(entry.get("format")):
        revised["revision"] = revision
    return revised


def format_revision(format_tag: Any) -> int:
    return FORMAT_REVISIONS.get(format_tag, 0) if type(format_tag) is str else 0


def at_current_revision(record: dict[str, Any]) -> bool:
    """Whether an entry or its row was derived at its format's current revision."""
    return record.get("revision", 0) == format_revision(record.get("format"))


def row_record(entry: dict[str, Any]) -> dict[str, Any]:
    """The compact record behind one `list` line, derived from a full entry."""
    from skillpass.encoding import dates
    from skillpass.summary import Summary

    summary = Summary.from_dict(entry["summary"])
    try:
        start, end, readable = *dates.validity_bounds(summary.issued, summary.expires), True
    except ValueError:
        start, end, readable = None, None, False
    issuer = summary.issuer.name if summary.issuer.name is not None and summary.issuer.name.default \
        else LangText(summary.issuer.id or "")
    row = {"v": ROW_VERSION, "title": summary.title.to_json(), "issuer": issuer.to_json(),
           "format": entry.get("format") or "", "issued": summary.issued or "",
           "expires": summary.expires or "", "from": start.timestamp() if start else None,
           "until": end.timestamp() if end else None, "dates": readable,
           "verified": bool(entry.get("verification")), "status_entries": len(summary.status)}
    if entry.get("unverified"):
        row["unverified"] = entry["unverified"]
    if entry.get("revision"):
        row["revision"] = entry["revision"]
    if _test_issued(summary):
        row["test_issuer"] = True
    checked = entry.get("status_check")
    if checked:  # what the kept status lists said (flow/status.py)
        row.update(status_state=checked["state"], status_checked=checked.get("checked"),
                   status_stale_after=checked.get("stale_after"))
    return {**row, **_passport_part(summary, entry)}


NUMBER_TYPES = frozenset({int, float, type(None)})  # a row's numbers: JSON's, or null
OPTIONAL_STR_TYPES = frozenset({str, type(None)})
_STR, _BOOL, _TEXT = frozenset({str}), frozenset({bool}), frozenset({str, dict})
# Each member of a row as row_record writes it, and the JSON types it may have.
_ROW_MEMBERS = {"v": frozenset({int}), "title": _TEXT, "issuer": _TEXT, "format": _STR, "issued": _STR,
                "expires": _STR, "from": NUMBER_TYPES, "until": NUMBER_TYPES, "dates": _BOOL, "verified": _BOOL,
                "status_entries": frozenset({int}), "kind": _STR, "issuer_id": _STR, "awarded": _STR,
                "added": _STR, "description": _TEXT, "skills": frozenset({list}), "credits": NUMBER_TYPES,
                "hours": NUMBER_TYPES}
_OPTIONAL_MEMBERS = {"unverified": _STR, "revision": frozenset({int}), "test_issuer": _BOOL, "status_state": OPTIONAL_STR_TYPES,
                     "status_checked": OPTIONAL_STR_TYPES, "status_stale_after": NUMBER_TYPES}


def sound_row(row: Any) -> bool:
    """Whether `row` has the shape row_record gives it, every member `list` and `passport` read
    of its type. Rows are sealed, so only a skillpass with a bug could have written one that is
    not: such a row is derived again from its entry (flow.listing.with_sound_rows)."""
    from skillpass.passport.skills import sound_skill_row

    if type(row) is not dict or row.get("v") != ROW_VERSION:
        return False
    if any(type(row.get(name)) not in types for name, types in _ROW_MEMBERS.items()):
        return False
    if any(name in row and type(row[name]) not in types for name, types in _OPTIONAL_MEMBERS.items()):
        return False
    return all(map(sound_text, (row["title"], row["issuer"], row["description"]))) and all(
        map(sound_skill_row, row["skills"]))


def text_of(value: Any) -> LangText:
    """The LangText a row's text is (LangText.from_json); TypeError for what to_json never writes."""
    if not sound_text(value):
        raise TypeError("a text is neither a string nor a text with languages")
    return LangText.from_json(value)


def sound_text(value: Any) -> bool:
    """A text as LangText.to_json writes it: a string, or {"default": str, "langs": {tag: str}}."""
    if type(value) is str:
        return True
    if type(value) is not dict or type(value.get("default")) is not str or type(value.get("langs")) is not dict:
        return False
    return all(type(tag) is str and type(text) is str for tag, text in value["langs"].items())


def _test_issued(summary: Any) -> bool:
    from skillpass.issuing import is_test_issued

    return is_test_issued(summary)


def _passport_part(summary: Any, entry: dict[str, Any]) -> dict[str, Any]:
    """What the passport and `list`'s filters read of a credential, kept in its row."""
    from skillpass.passport.skills import skills_of

    description = summary.description
    issuer_id = (entry.get("verification") or {}).get("issuer") or summary.issuer.id
    return {"kind": summary.kind, "issuer_id": issuer_id or "", "awarded": summary.awarded or "",
            "added": entry.get("added") or "",
            "description": LangText(description.default[:MAX_DESCRIPTION]).to_json() if description else "",
            "skills": [skill.to_row() for skill in skills_of(summary)],
            "credits": _total(_credits(summary)), "hours": _total(
                str(c.value) for c in summary.claims if c.path.rpartition("/")[2] in _HOURS)}


def _credits(summary: Any) -> list[str]:
    if summary.credits_earned:
        return [summary.credits_earned]
    offered = [a.credits_available for a in summary.achievements if a.credits_available]
    # a credential of claims (SD-JWT VC, MATTR) says its credits as one, as it says its hours
    return offered or [str(c.value) for c in summary.claims if c.path.rpartition("/")[2] in _CREDITS]


def _total(values: Any) -> float | None:
    """The sum of the values that are numbers (as credentials write them: "3", "1.5"), or None."""
    total, found = 0.0, False
    for value in values:
        try:
            number = float(value)
        except (TypeError, ValueError):
            continue
        if 0 <= number < 1e6:
            total, found = total + number, True
    return round(total, 2) if found else None


def refreshed_entry(entry: dict[str, Any], raw: bytes, kept: Callable[[], Mapping[str, Any]]) -> dict[str, Any] | None:
    """`entry` with its summary derived again from the credential when it was written by an
    older skillpass (None when it is current), with the documents the wallet keeps (`kept()`,
    asked for only then): derived data is rebuilt, never lost."""
    from skillpass.formats import of_entry
    from skillpass.summary import SUMMARY_VERSION

    summary = entry.get("summary")
    if (isinstance(summary, dict) and summary.get("v") == SUMMARY_VERSION
            and at_current_revision(entry)):
        return None
    return with_revision({**entry, "summary": of_entry(entry).summarize(raw, kept()).to_dict()})


def list_row(cid: str, row: dict[str, Any], now: datetime, langs: tuple[str, ...] = ()) -> dict[str, Any]:
    form, issued, expires = row["format"], row["issued"], row["expires"]
    if type(form) is not str or type(issued) is not str or type(expires) is not str:
        # Shown as they are (the texts are checked where they are picked): a damaged row fails
        # here, before anything is shown (flow.listing.with_sound_rows derives it again).
        raise TypeError("a credential's format or dates are not strings")
    listed = {"id": cid, "title": _picked(row["title"], langs), "issuer": _picked(row["issuer"], langs),
              "format": form, "issued": issued, "expires": expires, "status": row_status(row, now)}
    if row.get("status_checked"):
        if type(row["status_checked"]) is not str:
            raise TypeError("a credential's status check time is not a string")
        listed["statusChecked"] = row["status_checked"]  # when the status list used was obtained
    if row.get("test_issuer"):  # `skillpass issue` made it: said wherever it is listed
        listed["testIssuer"] = True
        listed["issuer"] = test_labelled(listed["issuer"])
    return listed


def test_labelled(issuer: str) -> str:
    """A test issuer's name as listed: with its label, unless the name it signed already has it."""
    from skillpass.issuing.template import TEST_SUFFIX, TEST_SUFFIX_FR

    return issuer if issuer.endswith((TEST_SUFFIX, TEST_SUFFIX_FR)) else issuer + TEST_SUFFIX


def test_labelled_in_french(issuer: str) -> str:
    """A test issuer's name as listed, its label in French: 'Collège (émetteur de test)'."""
    from skillpass.issuing.template import TEST_SUFFIX, TEST_SUFFIX_FR

    labelled = test_labelled(issuer)
    return labelled.removesuffix(TEST_SUFFIX) + TEST_SUFFIX_FR if labelled.endswith(TEST_SUFFIX) else labelled


def proof_checked(row: dict[str, Any]) -> bool:
    """Whether a row's credential had its proof verified (not kept unsigned, nor left unchecked):
    only such a credential names its issuer for the others."""
    return row.get("verified") is True and not row.get("unverified")


def signed_name(issuer_id: str, rows: Iterable[tuple[str, Any]], langs: tuple[str, ...]) -> str | None:
    """The name `issuer_id` signed into the first of `rows` whose proof was verified and that
    names its issuer (the rows as stored: one of another shape names nobody)."""
    for _, row in rows:
        if (type(row) is dict and row.get("issuer_id") == issuer_id and proof_checked(row)
                and row.get("issuer") != issuer_id and sound_text(row.get("issuer"))):
            return _picked(row["issuer"], langs)
    return None


def _picked(text: str | dict[str, Any], langs: tuple[str, ...]) -> str:
    # Most texts have no languages (LangText.to_json wrote them as a plain string).
    return text if type(text) is str else text_of(text).pick(langs)


def row_status(row: dict[str, Any], now: datetime) -> str:
    """'valid', 'expired', 'not yet valid', 'unknown' (unreadable dates), 'unverified' for a
    credential in its validity period whose proof was never checked, 'revoked' or 'suspended'
    as its issuer's status list says, or 'status not checked' for one that names a status list
    nobody has checked, or whose list is out of date (it may have been revoked since). A
    credential kept unsigned has its label ("not verifiable") once its dates are passed."""
    state, label = row.get("status_state"), row.get("unverified")
    if state == "revoked" or state == "suspended":
        return str(state)
    if not row["dates"]:
        return str(label) if label else "unknown"
    status = period_status_at(row["from"], row["until"], epoch_seconds(now))
    if status != VALID:
        return status
    if label:  # kept unsigned: what it is
        return str(label)
    if not row["verified"]:
        return "unverified"
    if not row.get("status_entries"):
        return VALID
    stale_after = row.get("status_stale_after")
    current = state == VALID and (stale_after is None or now.timestamp() <= stale_after)
    return VALID if current else "status not checked"


_LAST_EPOCH: list[Any] = [None, 0.0]  # the last `now` asked of epoch_seconds, and its answer


def epoch_seconds(now: datetime) -> float:
    """`now.timestamp()`, once per moment however many rows ask (each call converts the aware
    datetime again: a tenth of row_status's time)."""
    if _LAST_EPOCH[0] is not now:
        _LAST_EPOCH[:] = [now, now.timestamp()]
    return float(_LAST_EPOCH[1])


def period_status_at(opens: float | None, closes: float | None, now: float) -> str:
    """encoding.dates.period_status of a row's validity period (epoch seconds, as the row keeps
    it), compared as numbers: `list` and `passport` ask it of every row, and making two datetimes
    a row was a tenth of their work."""
    if closes is not None and now >= closes:
        return EXPIRED
    if opens is not None and now < opens:
        return NOT_YET_VALID
    return VALID


def detail(cid: str, entry: dict[str, Any], raw: bytes, now: datetime, langs: tuple[str, ...] = (),
           rows: Callable[[], Iterable[tuple[str, Any]]] = tuple,
           trusted: Callable[[], Mapping[str, str]] = dict) -> dict[str, Any]:
    """What `show` prints; its issuer named as `list` names it: a credential that names its issuer
    by its id alone takes the name the trust list gives it (`trusted()`), else the name that
    issuer signed into another of the wallet's `rows()`, one whose proof was verified (each read
    only then; flow.listing, passport.build)."""
    row = row_record(entry)
    shown = list_row(cid, row, now, langs)
    issuer_id = row["issuer_id"]
    by_id = bool(issuer_id) and row["issuer"] == issuer_id
    name = (trusted().get(issuer_id) or signed_name(issuer_id, rows(), langs)) if by_id else None
    if name is not None:
        shown["issuer"] = test_labelled(name) if shown.get("testIssuer") else name
    return {**shown, "summary": entry["summary"],
            "statusEntries": entry["summary"].get("status", []),
            "statusResults": (entry.get("status_check") or {}).get("results", []),
            "verification": entry.get("verification"), "added": entry.get("added"), "size": len(raw),
            **({"unverified": entry["unverified"]} if entry.get("unverified") else {})}
