"""Language: hints are normalised to ISO 639-1; otherwise the script or the function words decide."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workers.stages import languages
from workers.stages.languages import detect_language, normalise_language_tag


@pytest.mark.parametrize(
    ("tag", "code"),
    [("en-GB", "en"), ("EN", "en"), ("fr_FR", "fr"), ("deu", "de"), ("zh-Hant-TW", "zh"), ("pt-BR", "pt")],
)
def test_language_hint_is_normalised_to_iso_639_1(tag: str, code: str) -> None:
    assert normalise_language_tag(tag) == code


@pytest.mark.parametrize("tag", [None, "", "x", "english", "123"])
def test_unusable_language_hint_gives_none(tag: str | None) -> None:
    assert normalise_language_tag(tag) is None


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("en", "The minister said that the government would not change its policy on the issue."),
        ("de", "Der Minister sagte, dass die Regierung ihre Politik in dieser Frage nicht ändern wird."),
        ("fr", "Le ministre a déclaré que le gouvernement ne changerait pas sa politique sur cette question."),
        ("es", "El ministro dijo que el gobierno no cambiará su política sobre la cuestión."),
        ("it", "Il ministro ha detto che il governo non cambierà la sua politica sulla questione."),
        ("pt", "O ministro disse que o governo não vai mudar a sua política sobre a questão."),
        ("nl", "De minister zei dat de regering haar beleid op dit punt niet zal veranderen."),
        ("sv", "Ministern sade att regeringen inte kommer att ändra sin politik i frågan."),
        ("pl", "Minister powiedział, że rząd nie zmieni swojej polityki w tej sprawie."),
        ("id", "Menteri mengatakan bahwa pemerintah tidak akan mengubah kebijakannya dalam masalah ini."),
    ],
)
def test_latin_script_language_is_detected_from_function_words(code: str, text: str) -> None:
    assert detect_language(text) == code


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("ru", "Министр заявил, что правительство не изменит свою политику."),
        ("uk", "Міністр заявив, що уряд не змінить свою політику."),
        ("ar", "قال الوزير إن الحكومة لن تغير سياستها"),
        ("zh", "部长说政府不会改变其政策。"),
        ("ja", "大臣は政府が政策を変えないと述べた。"),
        ("ko", "장관은 정부가 정책을 바꾸지 않을 것이라고 말했다."),
        ("el", "Ο υπουργός είπε ότι η κυβέρνηση δεν θα αλλάξει την πολιτική της."),
        ("he", "השר אמר שהממשלה לא תשנה את מדיניותה."),
        ("hi", "मंत्री ने कहा कि सरकार अपनी नीति नहीं बदलेगी।"),
        ("th", "รัฐมนตรีกล่าวว่ารัฐบาลจะไม่เปลี่ยนนโยบาย"),
    ],
)
def test_non_latin_language_is_detected_from_its_script(code: str, text: str) -> None:
    assert detect_language(text) == code


def test_text_without_evidence_has_no_language() -> None:
    assert detect_language("Hello world") is None
    assert detect_language("") is None


def test_latin_names_in_a_russian_text_do_not_make_it_english() -> None:
    assert detect_language("Президент Vladimir Putin заявил, что правительство не изменит политику.") == "ru"


@given(st.text(max_size=500))
def test_any_text_gives_a_language_or_none_deterministically(text: str) -> None:
    code = detect_language(text)
    assert code == detect_language(text)
    assert code is None or len(code) == 2


def _counted_language(words: list[str]) -> str | None:
    """The scoring rule spelled out: hits per language, ties to the language listed first, at least 2 hits."""
    scores = {
        language: sum(1 for word in words if language in languages._LANGUAGES_OF_WORD.get(word, ()))
        for language in languages._STOPWORDS
    }
    best = max(scores, key=scores.__getitem__)
    return best if scores[best] >= 2 else None


_SCORED_WORDS = st.lists(
    st.sampled_from([*languages._LANGUAGES_OF_WORD, "Kim", "missile", "zzz"]), max_size=languages._SAMPLE_WORDS
)


@settings(max_examples=300, deadline=None)
@given(_SCORED_WORDS)
def test_packed_votes_score_as_counting_each_language_does(words: list[str]) -> None:
    assert languages._language_of_words(words) == _counted_language(words)


def test_packed_votes_do_not_overflow_on_a_full_sample_of_one_word() -> None:
    # "de" is a function word of several languages (Spanish listed first of them); 400 hits each must not carry
    # into a neighbouring language's field.
    words = ["de"] * languages._SAMPLE_WORDS
    assert languages._language_of_words(words) == _counted_language(words) == "es"
