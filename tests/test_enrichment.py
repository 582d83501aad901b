"""The enrich stage as a whole, and the byline rules it applies before the dateline."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workers.records import CleanArticle, DateMention, Quote
from workers.settings import PipelineSettings
from workers.stages.enrich.bylines import byline_names, split_byline
from workers.stages.enrichment import enrich, words_of

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "seeds" / "000_1e8faefd57101ac8.txt"
REFERENCE = "2023-10-13T02:00:00Z"


def article(*paragraphs: str, **fields: str | None) -> CleanArticle:
    return CleanArticle(article_id="a1", raw_id="r1", content_kind="text", paragraphs=paragraphs, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("By Jane Doe", "Jane Doe"),
        ("BY JANE DOE", "JANE DOE"),
        ("By Jane Doe and John Roe", "Jane Doe and John Roe"),
        ("Von Anna Schmidt und Max Müller", "Anna Schmidt und Max Müller"),
        ("Par Jean-Pierre Dupont, AFP", "Jean-Pierre Dupont, AFP"),
        ("Por María García", "María García"),
        ("By Jane Doe | Updated 3 hours ago", "Jane Doe"),
        ("By Ludwig van Beethoven", "Ludwig van Beethoven"),
    ],
)
def test_byline_line_gives_the_author_names(line: str, names: str) -> None:
    assert byline_names(line) == names


@pytest.mark.parametrize("line", ["By Thursday, the market had fallen.", "By Monday", "by the way", "Von Berlin aus"])
def test_sentence_starting_with_by_is_not_a_byline(line: str) -> None:
    assert byline_names(line) is None


def test_byline_line_is_taken_out_of_its_paragraph() -> None:
    assert split_byline(("By Jane Doe\nSEOUL — Rain.", "More.")) == ("Jane Doe", ("SEOUL — Rain.", "More."))


def test_enrich_takes_byline_then_dateline_off_the_body() -> None:
    enriched = enrich(article("By Jane Doe", "LONDON (Reuters) - Shares fell on Monday.", "More."), PipelineSettings())
    assert enriched.byline == "Jane Doe"
    assert enriched.dateline == "LONDON"
    assert enriched.paragraphs == ("Shares fell on Monday.", "More.")


def test_enrich_keeps_the_clean_byline_when_set_and_still_removes_the_line() -> None:
    enriched = enrich(article("By Jane Doe", "Shares fell.", byline="J. Doe"), PipelineSettings())
    assert enriched.byline == "J. Doe"
    assert enriched.paragraphs == ("Shares fell.",)


def test_enrich_uses_the_normalised_language_hint_over_detection() -> None:
    body = "Der Minister sagte, dass die Regierung ihre Politik nicht ändern wird."
    assert enrich(article(body, language_hint="en-GB"), PipelineSettings()).language == "en"
    assert enrich(article(body), PipelineSettings()).language == "de"


def test_enrich_counts_words_of_the_final_body() -> None:
    enriched = enrich(article("SEOUL — One two three.", "Four, five-six."), PipelineSettings())
    assert enriched.word_count == 6


def test_enrich_resolves_dates_against_the_reference_time() -> None:
    enriched = enrich(article("Talks were held on Thursday (Oct 12).", reference_time=REFERENCE), PipelineSettings())
    assert enriched.date_mentions == (DateMention("Thursday (Oct 12)", "2023-10-12"),)


def test_enrich_gives_quote_speakers_their_full_names() -> None:
    enriched = enrich(
        article(
            "North Korea leader Kim Jong-un wrote a letter.",
            '"I hope that the people will always achieve victory," Kim said.',
        ),
        PipelineSettings(),
    )
    assert enriched.quotes == (Quote("I hope that the people will always achieve victory", "Kim Jong-un"),)


def test_enrich_of_an_empty_body_gives_empty_results() -> None:
    enriched = enrich(article(), PipelineSettings())
    assert (enriched.paragraphs, enriched.word_count, enriched.fingerprint) == ((), 0, "0" * 16)


@pytest.mark.parametrize(
    "paragraph",
    [
        "A" * 20_000,
        '"' * 20_000,
        "“" * 20_000,
        "SEOUL " * 5_000,
        "By " + "Jane " * 5_000,
        "Kim Jong-un " * 3_000,
        "Thursday (Oct 12) " * 2_000,
        ("Aa-" * 30 + " ") * 500,
        "A. " * 10_000,
    ],
)
def test_pathological_paragraphs_are_handled_in_bounded_time(paragraph: str) -> None:
    started = time.perf_counter()
    enrich(article(paragraph, reference_time=REFERENCE), PipelineSettings())
    assert time.perf_counter() - started < 2.0


@settings(max_examples=200)
@given(
    st.lists(st.text(max_size=400), max_size=4),
    st.sampled_from([None, REFERENCE]),
    st.sampled_from([None, "en", "de-AT", "??"]),
)
def test_any_article_enriches_without_error_and_deterministically(
    paragraphs: list[str], reference: str | None, hint: str | None
) -> None:
    clean = article(*paragraphs, reference_time=reference, language_hint=hint)
    first = enrich(clean, PipelineSettings())
    assert first == enrich(clean, PipelineSettings())
    assert len(first.fingerprint) == 16


@pytest.mark.skipif(not SEED.exists(), reason=f"the seed article is read from {SHARED}, which is absent here")
def test_seed_article_enrichment_finds_dateline_date_people_organisations_places_and_quote() -> None:
    # The seed's body is its first four lines; the clean stage drops the rest and the doubled "has accused".
    lines = SEED.read_text(encoding="utf-8").splitlines()[:4]
    lines[3] = lines[3].split("ALSO READ:")[0].replace("has accused has accused", "has accused")
    enriched = enrich(article(*lines, reference_time=REFERENCE), PipelineSettings())
    assert enriched.dateline == "SEOUL"
    assert enriched.paragraphs[0].startswith("North Korea leader Kim Jong-un exchanged letters")
    assert DateMention("Thursday (Oct 12)", "2023-10-12") in enriched.date_mentions
    assert enriched.language == "en"
    assert enriched.entities.people == ("Kim Jong-un", "Vladimir Putin")
    assert "KCNA" in enriched.entities.organisations
    assert {"North Korea", "Russia", "Ukraine", "Pyongyang", "Moscow"} <= {
        place.name for place in enriched.entities.places
    }
    assert [quote.speaker for quote in enriched.quotes] == ["Kim Jong-un"]
    assert enriched.word_count == 226


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200) | st.from_regex(r"[\w ,.'’()_-]{0,80}"))
def test_words_of_are_the_regex_words(text: str) -> None:
    assert words_of(text) == re.findall(r"\w+", text)
