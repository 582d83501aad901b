"""Date mentions: found in order, resolved against the reference day by the documented rules."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workers.records import DateMention
from workers.stages.common import speedups
from workers.stages.enrich.dates import (
    find_date_mentions,
    language_dates,
    mention_matches,
    most_recent_weekday,
    most_recent_with_weekday,
    name_starts,
)

REFERENCE = "2023-10-13T02:00:00Z"  # a Friday


def test_weekday_with_parenthesised_date_resolves_to_matching_day() -> None:
    assert find_date_mentions("letters on Thursday (Oct 12), KCNA said", REFERENCE) == (
        DateMention("Thursday (Oct 12)", "2023-10-12"),
    )


def test_leading_on_is_not_part_of_the_mention_text() -> None:
    assert find_date_mentions("said on Tuesday (Oct 10).", REFERENCE)[0].text == "Tuesday (Oct 10)"


@pytest.mark.parametrize(
    ("text", "mention", "iso"),
    [
        ("on Thursday, October 12 it rained", "Thursday, October 12", "2023-10-12"),
        ("on Tuesday, 10 October it rained", "Tuesday, 10 October", "2023-10-10"),
        ("by Oct 12 at the latest", "Oct 12", "2023-10-12"),
        ("on 12 October 2023 it rained", "12 October 2023", "2023-10-12"),
        ("on October 12, 2023 it rained", "October 12, 2023", "2023-10-12"),
        ("on Thursday, Oct. 12, 2023 it rained", "Thursday, Oct. 12, 2023", "2023-10-12"),
        ("since Sept. 5 it rained", "Sept. 5", "2023-09-05"),
        ("on the 1st of May it rained", "1st of May", "2023-05-01"),
    ],
)
def test_date_forms_resolve_to_iso_dates(text: str, mention: str, iso: str) -> None:
    assert find_date_mentions(text, REFERENCE) == (DateMention(mention, iso),)


def test_weekday_date_resolves_to_most_recent_matching_day() -> None:
    # 12 October was a Friday in 2018, the most recent year on or before the reference day where it was.
    assert find_date_mentions("Friday (Oct 12)", REFERENCE) == (DateMention("Friday (Oct 12)", "2018-10-12"),)


def test_weekday_date_after_the_reference_day_looks_back_to_earlier_years() -> None:
    assert find_date_mentions("Saturday (Oct 14)", REFERENCE) == (DateMention("Saturday (Oct 14)", "2017-10-14"),)


def test_weekday_that_never_matches_within_seven_years_is_flagged_with_null_date() -> None:
    # In 2016-2023 only 2016 (a Monday) and 2020 (a Saturday) had a 29 February.
    mention = find_date_mentions("Wednesday (Feb 29)", REFERENCE)[0]
    assert mention == DateMention("Wednesday (Feb 29)", None, weekday_mismatch=True)


def test_explicit_year_with_wrong_weekday_keeps_the_date_and_flags_mismatch() -> None:
    assert find_date_mentions("Monday, October 12, 2023", REFERENCE) == (
        DateMention("Monday, October 12, 2023", "2023-10-12", weekday_mismatch=True),
    )


def test_bare_weekday_resolves_to_most_recent_such_day_on_or_before_reference() -> None:
    assert find_date_mentions("on Monday", REFERENCE) == (DateMention("Monday", "2023-10-09"),)
    assert find_date_mentions("on Friday", REFERENCE) == (DateMention("Friday", "2023-10-13"),)


def test_day_month_without_weekday_resolves_to_the_nearest_occurrence() -> None:
    assert find_date_mentions("until Dec 25", REFERENCE) == (DateMention("Dec 25", "2023-12-25"),)
    assert find_date_mentions("since Aug 5", REFERENCE) == (DateMention("Aug 5", "2023-08-05"),)
    assert find_date_mentions("since Jan 5", REFERENCE) == (DateMention("Jan 5", "2024-01-05"),)


def test_no_reference_time_leaves_dates_null() -> None:
    assert find_date_mentions("on Thursday (Oct 12) and Monday", None) == (
        DateMention("Thursday (Oct 12)", None),
        DateMention("Monday", None),
    )


def test_unreadable_reference_time_leaves_dates_null() -> None:
    assert find_date_mentions("Monday", "yesterday") == (DateMention("Monday", None),)


def test_mentions_keep_order_of_appearance_without_repeats() -> None:
    text = "On Tuesday (Oct 10) he left; on Thursday (Oct 12) he wrote; on Tuesday (Oct 10) he returned."
    assert [mention.text for mention in find_date_mentions(text, REFERENCE)] == [
        "Tuesday (Oct 10)",
        "Thursday (Oct 12)",
    ]


@pytest.mark.parametrize("text", ["Feb 30", "April 31", "the Thursdays", "Octopus 12", "may 5", "Oct 123"])
def test_non_dates_are_not_mentions(text: str) -> None:
    assert find_date_mentions(text, REFERENCE) == ()


def test_most_recent_weekday_counts_the_reference_day_itself() -> None:
    assert most_recent_weekday(date(2023, 10, 13), 4) == date(2023, 10, 13)
    assert most_recent_weekday(date(2023, 10, 13), 5) == date(2023, 10, 7)


def test_most_recent_with_weekday_handles_leap_days() -> None:
    assert most_recent_with_weekday(date(2024, 3, 1), 2, 29, 3) == date(2024, 2, 29)


@given(st.text(max_size=400), st.sampled_from([None, REFERENCE, "0001-01-01T00:00:00Z", "9999-12-31T00:00:00Z"]))
def test_any_text_gives_mentions_deterministically(text: str, reference: str | None) -> None:
    mentions = find_date_mentions(text, reference)
    assert mentions == find_date_mentions(text, reference)
    assert all(mention.text in text for mention in mentions)


@given(
    st.sampled_from(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)),
)
def test_resolved_weekday_mentions_fall_on_their_weekday_and_not_after_reference(weekday: str, day: date) -> None:
    reference = f"{day.isoformat()}T12:00:00Z"
    text = f"{weekday} ({day.strftime('%b')} {day.day})"
    mention = find_date_mentions(text, reference)[0]
    if mention.date is not None:
        resolved = date.fromisoformat(mention.date)
        assert resolved <= day and resolved.strftime("%A") == weekday and not mention.weekday_mismatch
    else:
        assert mention.weekday_mismatch


_DATE_FRAGMENTS = st.sampled_from(
    [
        "Monday",
        "Thursday",
        "Wednesday",
        "Sunday",
        "Mon",
        "Thu",
        "Oct",
        "Sept",
        "Sep.",
        "May",
        "March",
        "Dec",
        "December",
        "Decision",
        "Sunday's",
        "12",
        "1",
        "31",
        "31st",
        "2nd",
        "3rd",
        "4th",
        "2023",
        "1999",
        "20233",
        "of",
        " of ",
        " ",
        "  ",
        "\t",
        "\n",
        "(",
        ")",
        ",",
        ", ",
        ".",
        "on ",
        "x",
        "said",
        "Mar",
        "Marching",
    ]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(_DATE_FRAGMENTS, max_size=25).map("".join))
def test_mention_matches_are_the_full_scan_matches(text: str) -> None:
    english = language_dates("en")
    expected = [(match.span(), match.groupdict()) for match in english.mention.finditer(text)]
    assert [(match.span(), match.groupdict()) for match in mention_matches(text, english)] == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(_DATE_FRAGMENTS, max_size=25).map("".join) | st.text(max_size=60))
def test_name_starts_are_the_same_with_and_without_the_c_module(text: str) -> None:
    english = language_dates("en")
    found = name_starts(text, english)
    compiled, speedups.compiled = speedups.compiled, None
    try:
        assert name_starts(text, english) == found
    finally:
        speedups.compiled = compiled
