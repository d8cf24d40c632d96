"""XML Schema 1.1 dates and times, the one parser for every date skillpass reads or writes.

Credentials carry `validFrom`/`validUntil` (VC 2.0 §4.9, dateTimeStamp) or
`issuanceDate`/`expirationDate` (VC 1.1 §4.6, dateTime); proofs carry `created`/`expires`
(VC Data Integrity 1.0 §2.1). Some issuers write a date alone ("2025-12-31"): it is read as the
whole of that day, so a credential valid until 2025-12-31 is still valid on the 31st and a
credential valid from that date is valid from its first instant. Import, list, show and verify
all decide with `period_status`. A value without a zone is taken as UTC.
"""

from __future__ import annotations

import functools
import re
from datetime import UTC, datetime, timedelta, timezone

VALID, EXPIRED, NOT_YET_VALID = "valid", "expired", "not yet valid"

# XSD 1.1 §3.3.7 dateTime / §3.3.9 date lexical space: year of four digits or more (no leading
# zero beyond four), month, day; an optional time (24:00:00 allowed) and an optional zone.
_DATE_TIME = re.compile(
    r"(?P<year>-?(?:[1-9][0-9]{3,}|0[0-9]{3}))-(?P<month>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12][0-9]|3[01])"
    r"(?:T(?P<hour>[01][0-9]|2[0-4]):(?P<minute>[0-5][0-9]):(?P<second>[0-5][0-9])(?:\.(?P<fraction>[0-9]+))?)?"
    r"(?P<zone>Z|[+-](?:(?:0[0-9]|1[0-3]):[0-5][0-9]|14:00))?")


CLOCK_SKEW = timedelta(minutes=5)  # how far another clock may be from ours, either way


def is_datetime(text: object, *, offset_required: bool = False) -> bool:
    """True for an XML Schema dateTime (a time is required), with a zone when `offset_required`
    (dateTimeStamp). Syntax only: a year beyond 9999 is a dateTime Python cannot represent."""
    match = _DATE_TIME.fullmatch(text) if isinstance(text, str) else None
    if match is None or match["hour"] is None or (offset_required and match["zone"] is None):
        return False
    return match["hour"] != "24" or _is_midnight(match)


def parse(text: object, *, end_of_day: bool = False) -> datetime | None:
    """An XML Schema dateTime or date as an aware datetime; None when it is neither, or out of
    Python's range. A date alone means its first instant, or with `end_of_day` the first instant
    of the next day (the end of an inclusive period)."""
    if type(text) is str and len(text) <= _KEPT_LENGTH:
        return _kept_parse(text, end_of_day)
    return parse_anew(text, end_of_day=end_of_day)


# A wallet or verifier reads the same few dates again and again (an issuer signs a batch at one
# `created`, with one validFrom): the parsed datetimes (immutable) are kept, for a bounded number
# of short texts (a dateTime to the microsecond with an offset is 32 characters); longer ones
# are parsed anew.
_KEPT_LENGTH = 40


@functools.lru_cache(maxsize=1024)
def _kept_parse(text: str, end_of_day: bool) -> datetime | None:
    return parse_anew(text, end_of_day=end_of_day)


def parse_anew(text: object, *, end_of_day: bool = False) -> datetime | None:
    """parse, worked out from the text every time."""
    match = _DATE_TIME.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        return None
    try:
        day = datetime(int(match["year"]), int(match["month"]), int(match["day"]),
                       tzinfo=_zone(match["zone"]))
        if match["hour"] is None:
            return day + timedelta(days=1) if end_of_day else day
        if match["hour"] == "24":  # XSD 1.1 §D.3.2: 24:00:00 is the first instant of the next day
            return day + timedelta(days=1) if _is_midnight(match) else None
        micro = int((match["fraction"] or "0")[:6].ljust(6, "0"))
        return day.replace(hour=int(match["hour"]), minute=int(match["minute"]),
                           second=int(match["second"]), microsecond=micro)
    except (ValueError, OverflowError):  # 31 February, year 0 or beyond 9999
        return None


def validity_bounds(start: object, end: object) -> tuple[datetime | None, datetime | None]:
    """The instants a validity period opens and closes (None for an open end). Raises ValueError
    naming the value that is not a date."""
    opens = None if start is None else parse(start)
    closes = None if end is None else parse(end, end_of_day=True)
    for value, moment in ((start, opens), (end, closes)):
        if value is not None and moment is None:
            raise ValueError(value)
    return opens, closes


def period_status(start: datetime | None, end: datetime | None, now: datetime) -> str:
    """'expired', 'not yet valid' or 'valid' for a validity period; either end may be open."""
    if end is not None and now >= end:
        return EXPIRED
    if start is not None and now < start:
        return NOT_YET_VALID
    return VALID


def as_utc(moment: datetime) -> datetime:
    """An aware datetime; a naive one is taken to be UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def format_utc(moment: datetime | None = None) -> str:
    """A dateTimeStamp to the second in UTC, as digitalbazaar writes them ('...T12:00:00Z')."""
    if type(moment) is datetime and (moment.tzinfo is None or type(moment.tzinfo) is timezone):
        return _kept_format_utc(moment)
    return format_utc_anew(moment)


def format_utc_anew(moment: datetime | None = None) -> str:
    """format_utc, worked out every time."""
    moment = as_utc(moment or datetime.now(UTC)).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


# One command checks every credential at the same `now`: its text is kept, for a bounded number
# of instants. Only naive times and fixed offsets: there equal datetimes are the same instant,
# with the same text in UTC; in a zone with a fold, 01:30 before and after the clocks go back
# compare equal and are an hour apart.
@functools.lru_cache(maxsize=64)
def _kept_format_utc(moment: datetime) -> str:
    return format_utc_anew(moment)


def numeric_date(value: object) -> datetime | None:
    """An RFC 7519 NumericDate (seconds since the epoch) as a UTC datetime; None when it is not
    a number or out of range."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, ValueError, OSError):
        return None


def from_numeric_date(value: object) -> str | None:
    """An RFC 7519 NumericDate as a dateTimeStamp, so every format shows dates alike."""
    moment = numeric_date(value)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment is not None else None


def _is_midnight(match: re.Match[str]) -> bool:
    return match["minute"] == "00" and match["second"] == "00" and not (match["fraction"] or "").strip("0")


def _zone(zone: str | None) -> timezone:
    if zone is None or zone == "Z":
        return UTC
    offset = timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
    return timezone(-offset if zone[0] == "-" else offset)
