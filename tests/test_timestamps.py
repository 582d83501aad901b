"""The one RFC 3339 parser and formatter (payload times to the second, header times to the millisecond)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workers.timestamps import format_rfc3339, parse_rfc3339, rfc3339_of_second


@given(st.datetimes(datetime(2, 1, 1), datetime(9998, 12, 31), timezones=st.timezones()))
def test_rfc3339_formatting_is_strftimes(moment: datetime) -> None:
    utc = moment.astimezone(UTC)
    assert format_rfc3339(moment) == utc.strftime("%Y-%m-%dT%H:%M:%SZ")
    if utc.year >= 1000:
        assert parse_rfc3339(format_rfc3339(moment)) == utc.replace(microsecond=0)


@given(st.datetimes(datetime(2, 1, 1), datetime(9998, 12, 31), timezones=st.timezones()))
def test_rfc3339_with_milliseconds_is_strftimes_with_the_milliseconds(moment: datetime) -> None:
    utc = moment.astimezone(UTC)
    expected = utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"
    assert format_rfc3339(moment, milliseconds=True) == expected


def test_a_time_without_a_zone_is_formatted_as_utc_and_refused_by_the_parser() -> None:
    assert format_rfc3339(datetime(2026, 11, 27, 10, 4, 5, 123456), milliseconds=True) == "2026-11-27T10:04:05.123Z"
    with pytest.raises(ValueError, match="without a time zone"):
        parse_rfc3339("2026-11-27T10:04:05")


def test_offsets_are_converted_to_utc() -> None:
    assert parse_rfc3339("2025-11-27T11:30:00+02:00") == datetime(2025, 11, 27, 9, 30, tzinfo=UTC)
    assert format_rfc3339(datetime(2025, 11, 27, 11, 30, tzinfo=timezone(timedelta(hours=2)))) == "2025-11-27T09:30:00Z"


def test_a_record_time_is_its_second_in_utc() -> None:
    assert rfc3339_of_second(1764235800) == "2025-11-27T09:30:00Z"
