"""Datelines: the place that opens a story is taken out of the body; ordinary sentence starts are left alone."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workers.stages.enrich.datelines import split_dateline


@pytest.mark.parametrize(
    ("paragraph", "place", "rest"),
    [
        ("SEOUL — North Korea said.", "SEOUL", "North Korea said."),
        ("SEOUL - North Korea said.", "SEOUL", "North Korea said."),
        ("SEOUL—North Korea said.", "SEOUL", "North Korea said."),
        ("LONDON (Reuters) - Shares fell.", "LONDON", "Shares fell."),
        ("SYDNEY: Rain fell.", "SYDNEY", "Rain fell."),
        ("WASHINGTON, Oct 12 (Reuters) - The Senate voted.", "WASHINGTON", "The Senate voted."),
        ("PARIS (AFP) — Le gouvernement a dit.", "PARIS", "Le gouvernement a dit."),
        ("BERLIN (dpa) - Die Regierung sagte.", "BERLIN", "Die Regierung sagte."),
        ("MADRID, 12 Oct. (EUROPA PRESS) - El Gobierno dijo.", "MADRID", "El Gobierno dijo."),
        ("NEW YORK (AP) — Stocks rose.", "NEW YORK", "Stocks rose."),
        ("ST. LOUIS (AP) — Rain fell.", "ST. LOUIS", "Rain fell."),
        ("New York (Reuters) - Stocks rose.", "New York", "Stocks rose."),
        ("Sydney: Rain fell.", "Sydney", "Rain fell."),
        ("МОСКВА, 12 октября. /ТАСС/. Экспорт вырос.", "МОСКВА", "Экспорт вырос."),
    ],
)
def test_dateline_place_is_split_from_the_first_paragraph(paragraph: str, place: str, rest: str) -> None:
    assert split_dateline((paragraph, "Second.")) == (place, (rest, "Second."))


@pytest.mark.parametrize(
    "paragraph",
    [
        "US President Joe Biden said - and then left.",
        "Meanwhile - the market fell.",
        "Kim Jong-un (pictured) - the leader - spoke.",
        "UPDATE: the story changed.",
        "NATO: the alliance met.",
        "I: a list.",
        "North Korea leader Kim Jong-un exchanged letters.",
    ],
)
def test_ordinary_sentence_start_is_not_a_dateline(paragraph: str) -> None:
    assert split_dateline((paragraph,)) == (None, (paragraph,))


def test_dateline_alone_in_its_paragraph_drops_the_paragraph() -> None:
    assert split_dateline(("SEOUL —", "Body.")) == ("SEOUL", ("Body.",))


def test_no_paragraphs_give_no_dateline() -> None:
    assert split_dateline(()) == (None, ())


def test_dateline_is_only_looked_for_in_the_first_paragraph() -> None:
    assert split_dateline(("Body.", "SEOUL — More.")) == (None, ("Body.", "SEOUL — More."))


@pytest.mark.parametrize(
    ("paragraph", "place", "rest"),
    [
        ("KØBENHAVN (Ritzau) Næsten 80.000 patienter venter.", "KØBENHAVN", "Næsten 80.000 patienter venter."),
        ("OSLO (NTB) Legeforeningen trappet opp streiken.", "OSLO", "Legeforeningen trappet opp streiken."),
        ("STOCKHOLM (TT) Tågtrafiken stod still.", "STOCKHOLM", "Tågtrafiken stod still."),
    ],
)
def test_an_all_caps_place_and_agency_need_no_dash(paragraph: str, place: str, rest: str) -> None:
    assert split_dateline((paragraph,)) == (place, (rest,))


@pytest.mark.parametrize("paragraph", ["Berlin (dpa) Die Regierung plant.", "The Fed (US) Said it would wait."])
def test_without_a_dash_a_title_case_opening_is_not_a_dateline(paragraph: str) -> None:
    assert split_dateline((paragraph,)) == (None, (paragraph,))


def test_an_agency_with_its_regional_service_after_a_slash_counts() -> None:
    assert split_dateline(("HANNOVER (dpa/lni) – Das Land will bauen.",)) == ("HANNOVER", ("Das Land will bauen.",))


@given(st.lists(st.text(max_size=300), max_size=3))
def test_any_paragraphs_split_without_error_and_deterministically(paragraphs: list[str]) -> None:
    first = split_dateline(tuple(paragraphs))
    assert first == split_dateline(tuple(paragraphs))
    place, rest = first
    assert len(rest) <= len(paragraphs)
    if place is None:
        assert rest == tuple(paragraphs)
