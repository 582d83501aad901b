"""Quotes: quoted speech with the speaker the text attributes it to; short unattributed scare-quotes skipped."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workers.records import Quote
from workers.stages.enrich import quotes
from workers.stages.enrich.people_words import people_words
from workers.stages.enrich.quotes import find_quotes, speaker_name


def test_quote_followed_by_name_and_verb_is_attributed() -> None:
    paragraph = '"I hope the Russian people will always achieve victory," Kim said.'
    assert find_quotes([paragraph]) == (Quote("I hope the Russian people will always achieve victory", "Kim"),)


def test_quote_followed_by_verb_and_titled_name_is_attributed_without_the_title() -> None:
    paragraph = '"We will never give up on this fight", said Russian President Vladimir Putin.'
    assert find_quotes([paragraph]) == (Quote("We will never give up on this fight", "Vladimir Putin"),)


def test_quote_after_name_verb_and_colon_is_attributed() -> None:
    assert find_quotes(['Putin said: "The policy of the United States has failed."']) == (
        Quote("The policy of the United States has failed.", "Putin"),
    )
    assert find_quotes(['Putin told reporters: "It failed."']) == (Quote("It failed.", "Putin"),)


@pytest.mark.parametrize(
    ("language", "paragraph", "quote"),
    [
        ("en", "“This is a curly quote with words,” Biden said.", Quote("This is a curly quote with words", "Biden")),
        (
            "fr",
            "«C’est une citation en français», a déclaré Macron.",
            Quote("C’est une citation en français", "Macron"),
        ),
        (
            "de",
            "Scholz sagte: „Das ist ein deutsches Zitat hier.“",
            Quote("Das ist ein deutsches Zitat hier.", "Scholz"),
        ),
    ],
)
def test_curly_quotes_guillemets_and_german_quotes_are_found(language: str, paragraph: str, quote: Quote) -> None:
    assert find_quotes([paragraph], language=language) == (quote,)


@pytest.mark.parametrize(
    "paragraph",
    [
        "«C’est une citation en français», a dit Macron.",
        "Scholz sagte: „Das ist ein deutsches Zitat hier.“",
        "Er sagte: »Das ist ein deutsches Zitat hier.«",
        "Hon sa: ”Det här är ett svenskt citat.”",
    ],
)
def test_text_of_no_known_language_finds_every_style_of_quotation_marks(paragraph: str) -> None:
    assert len(find_quotes([paragraph], language=None)) == 1
    assert len(find_quotes([paragraph], language="xx")) == 1


def test_short_unattributed_scare_quotes_are_skipped() -> None:
    paragraph = 'He praised their "candid, comprehensive" talks and a "new height" in ties.'
    assert find_quotes([paragraph]) == ()


def test_long_unattributed_quote_has_no_speaker() -> None:
    assert find_quotes(['The sign read "no entry for anyone after dark" in red.']) == (
        Quote("no entry for anyone after dark", None),
    )


def test_short_attributed_quote_is_kept() -> None:
    assert find_quotes(['"No," Kim said.']) == (Quote("No", "Kim"),)


def test_pronoun_speaker_is_the_previous_named_speaker() -> None:
    paragraphs = ['"We are ready to talk today," Kim said.', '"We will not wait for ever though," he said.']
    assert [quote.speaker for quote in find_quotes(paragraphs)] == ["Kim", "Kim"]


def test_pronoun_speaker_without_a_previous_speaker_is_none() -> None:
    assert find_quotes(['"We will not wait for ever though," she said.']) == (
        Quote("We will not wait for ever though", None),
    )


def test_reported_speech_before_a_scare_quote_is_not_an_attribution() -> None:
    assert find_quotes(['Kim said he wanted ties at "a new height" now.']) == ()


def test_unclosed_quote_does_not_swallow_the_next_paragraph() -> None:
    assert find_quotes(['"An opening quote that never closes here', 'Next paragraph" with more words here.']) == ()


def test_lower_case_role_before_the_speaker_is_allowed() -> None:
    assert find_quotes(['"We will keep the pool open for families," mayor Deborah Kinsella said.']) == (
        Quote("We will keep the pool open for families", "Deborah Kinsella"),
    )
    assert find_quotes(['"Every new field deepens the crisis," said its spokesperson, Owen Pritchard.']) == (
        Quote("Every new field deepens the crisis", "Owen Pritchard"),
    )


def test_quote_right_after_an_attributed_one_continues_with_the_same_speaker() -> None:
    paragraph = '"We know how much this pool means," Kinsella said in a statement. "But it is not safe to open."'
    assert [quote.speaker for quote in find_quotes([paragraph])] == ["Kinsella", "Kinsella"]


def test_pronoun_speaker_is_the_person_named_last_before_the_quote() -> None:
    paragraphs = [
        '"We will keep the pool open for families," Kinsella said.',
        'Their spokesman, Graeme Lowe, was angry. "They have patched it and patched it," he said.',
    ]
    quotes = find_quotes(paragraphs, people=("Deborah Kinsella", "Graeme Lowe"))
    assert [quote.speaker for quote in quotes] == ["Kinsella", "Graeme Lowe"]


def test_pronoun_does_not_reach_back_past_the_previous_paragraph() -> None:
    paragraphs = ['"We are ready to talk today," Kim said.', "Nothing happened.", '"We will not wait," he said.']
    assert [quote.speaker for quote in find_quotes(paragraphs)] == ["Kim", None]


def test_quote_candidates_per_article_are_bounded() -> None:
    assert len(find_quotes(['"one two three four" ' * 5000])) == 2000


def test_speaker_name_drops_leading_titles() -> None:
    assert speaker_name("Russian President Vladimir Putin") == "Vladimir Putin"
    assert speaker_name("Kim") == "Kim"
    assert speaker_name("Mayor") is None
    assert speaker_name("Bundeskanzler Olaf Scholz", people_words("de")) == "Olaf Scholz"
    assert speaker_name("Finanzminister Christian Lindner", people_words("de")) == "Christian Lindner"


@given(st.lists(st.text(alphabet=st.characters(), max_size=300), max_size=4))
def test_any_paragraphs_give_quotes_deterministically(paragraphs: list[str]) -> None:
    quotes = find_quotes(paragraphs)
    assert quotes == find_quotes(paragraphs)
    assert all(quote.text for quote in quotes)


_WINDOW_FRAGMENTS = st.sampled_from(
    ["Kim", "Vladimir Putin", "the mayor", "he", "She", "said", "sagte", "sagten", "a dit", "dit", "ha detto",
     "told", "reporters", "on Monday", ":", ",", ".", " ", "\t", "  ", "x", "Said", "unsaid", "é"]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(
    st.sampled_from(["en", "de", "fr", "it"]),
    st.lists(_WINDOW_FRAGMENTS, max_size=14).map(" ".join) | st.lists(_WINDOW_FRAGMENTS, max_size=14).map("".join),
)
def test_verb_prefilter_never_hides_an_attribution_before_a_quote(language: str, window: str) -> None:
    """The cheap test may only say no where the full pattern finds nothing."""
    patterns = quotes.quote_patterns(language)
    if patterns.before.search(window) is not None:
        assert quotes._verb_ends_window(patterns, window)


@pytest.mark.parametrize(
    ("paragraph", "language", "speaker"),
    [
        (
            '"Our members worked every public holiday of the year," union secretary Georgia Mills told a rally.',
            "en",
            "Georgia Mills",
        ),
        ("”Det här är inte farligt om man klär sig rätt”, säger meteorologen Lina Forsberg.", "sv", "Lina Forsberg"),
        (
            '"Fiquei dois dias sem geladeira e perdi toda a comida", contou a comerciante Patrícia Menezes.',
            "pt",
            "Patrícia Menezes",
        ),
    ],
)
def test_a_role_in_lower_case_words_before_the_name_still_names_the_speaker(
    paragraph: str, language: str, speaker: str
) -> None:
    assert [quote.speaker for quote in find_quotes((paragraph,), (), language)] == [speaker]
