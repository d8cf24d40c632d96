"""One XML Schema date parser and one rule for a date alone, in import, list, show and verify."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from issuing import new_issuer, ob3, sign

from skillpass.encoding import dates
from skillpass.errors import InvalidError
from skillpass.jsonld.loader import ContextStore
from skillpass.summary import summarize
from skillpass.formats.ldp_vc.verify import verify_credential
from skillpass.views import list_row, row_record

LAST_DAY = datetime(2026, 8, 31, 23, 59, 59, tzinfo=UTC)
NEXT_DAY = datetime(2026, 9, 1, tzinfo=UTC)


@pytest.mark.parametrize(("text", "expected"), [
    ("2023-02-13T20:18:46.324Z", datetime(2023, 2, 13, 20, 18, 46, 324000, tzinfo=UTC)),
    ("2024-05-01T09:00:00-04:00", datetime(2024, 5, 1, 13, tzinfo=UTC)),
    ("2024-05-01T09:00:00.1234567Z", datetime(2024, 5, 1, 9, 0, 0, 123456, tzinfo=UTC)),
    ("2024-05-01T09:00:00", datetime(2024, 5, 1, 9, tzinfo=UTC)),  # no zone: UTC
    ("2025-06-15T24:00:00Z", datetime(2025, 6, 16, tzinfo=UTC)),
    ("2025-12-31", datetime(2025, 12, 31, tzinfo=UTC)),
    ("2025-12-31+05:00", datetime(2025, 12, 31, tzinfo=timezone(timedelta(hours=5)))),
])
def test_parse(text: str, expected: datetime) -> None:
    assert dates.parse(text) == expected


def _read(parse: object, text: object, end_of_day: bool) -> object:
    moment = parse(text, end_of_day=end_of_day)  # type: ignore[operator]
    return None if moment is None else (moment, moment.utcoffset(), moment.isoformat())


_DATE_TEXTS = st.from_regex(
    r"-?[0-9]{4,5}-[0-9]{2}-[0-3][0-9](T[0-2][0-9]:[0-6][0-9]:[0-6][0-9](\.[0-9]{1,40})?)?"
    r"(Z|[+-][01][0-9]:[0-6][0-9])?", fullmatch=True)


@settings(max_examples=300, deadline=None)
@given(_DATE_TEXTS | st.text(max_size=50)
       | st.sampled_from(["2025-12-31", "2025-06-15T24:00:00Z", None, 20250615, ["2025-12-31"]]),
       st.booleans())
def test_a_kept_date_is_the_date_parsed_anew(text: object, end_of_day: bool) -> None:
    """The same instant and offset, or the same None, asked once or again."""
    assert _read(dates.parse, text, end_of_day) == _read(dates.parse_anew, text, end_of_day)
    assert _read(dates.parse, text, end_of_day) == _read(dates.parse_anew, text, end_of_day)


@settings(max_examples=200, deadline=None)
@given(st.datetimes(timezones=st.none() | st.timezones() | st.sampled_from([UTC, timezone(timedelta(hours=-5))]),
                    allow_imaginary=False))
def test_a_kept_utc_text_is_the_text_made_anew(moment: datetime) -> None:
    assert dates.format_utc(moment) == dates.format_utc_anew(moment)
    assert dates.format_utc(moment) == dates.format_utc_anew(moment)


def test_the_two_half_past_ones_of_the_night_the_clocks_go_back_are_an_hour_apart() -> None:
    from zoneinfo import ZoneInfo

    first = datetime(2026, 11, 1, 1, 30, tzinfo=ZoneInfo("America/New_York"))
    assert dates.format_utc(first) == "2026-11-01T05:30:00Z"
    assert dates.format_utc(first.replace(fold=1)) == "2026-11-01T06:30:00Z"


@pytest.mark.parametrize("text", ["2025-06-15T24:00:01Z", "2025-02-30", "2025-13-01", "0000-01-01",
                                  "10000-01-01T00:00:00Z", "2025-06-15T12:00Z", "2025-06-15 12:00:00Z",
                                  "2025-06-15T12:00:00+15:00", "", "tomorrow", None, 20250615])
def test_not_a_representable_date(text: object) -> None:
    assert dates.parse(text) is None


def test_a_date_alone_ends_with_its_day() -> None:
    assert dates.parse("2025-12-31", end_of_day=True) == datetime(2026, 1, 1, tzinfo=UTC)
    assert dates.parse("2025-12-31T10:00:00Z", end_of_day=True) == datetime(2025, 12, 31, 10, tzinfo=UTC)
    assert dates.parse("9999-12-31", end_of_day=True) is None


@pytest.mark.parametrize(("text", "offset_required", "ok"), [
    ("2026-01-15T00:00:00Z", True, True), ("2026-01-15T00:00:00", False, True),
    ("2026-01-15T00:00:00", True, False), ("2026-01-15", False, False),
    ("10000-01-15T00:00:00Z", True, True), ("2026-01-15T24:00:00Z", True, True),
    ("2026-01-15T24:00:01Z", True, False),
])
def test_is_datetime_is_the_proof_syntax(text: str, offset_required: bool, ok: bool) -> None:
    assert dates.is_datetime(text, offset_required=offset_required) is ok


@pytest.fixture(scope="module")
def until_a_date() -> dict:
    issuer = new_issuer("Ed25519")
    return sign(ob3(issuer=issuer, validUntil="2026-08-31"), issuer, "eddsa-rdfc-2022")


@pytest.mark.parametrize(("now", "status"), [(LAST_DAY, "valid"), (NEXT_DAY, "expired")])
def test_import_list_and_verify_agree_on_a_date_alone(until_a_date: dict, now: datetime,
                                                      status: str) -> None:
    store = ContextStore.bundled()
    verification = verify_credential(until_a_date, store=store, did_cache={}, now=now,
                                     allow_expired=True)
    entry = {"summary": summarize(until_a_date).to_dict(), "format": "ldp_vc",
             "verification": verification.to_dict()}

    assert verification.validity == status
    assert list_row("0" * 16, row_record(entry), now)["status"] == status
    if status == "expired":
        with pytest.raises(InvalidError) as refused:
            verify_credential(until_a_date, store=store, did_cache={}, now=now)
        assert refused.value.code == "E_EXPIRED"
