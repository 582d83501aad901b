"""Language: declared tags normalised through CLDR; the text's language by py3langid, weighed against the tag."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workers.stages.language import identification as languages_module
from workers.stages.language.identification import (
    LANGUAGE_RULE,
    article_language,
    likeliest_language,
    likeliest_raw_language,
    normalise_language_tag,
    text_sample,
)


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        ("en-GB", "en"),
        ("EN", "en"),
        ("fr_FR", "fr"),
        ("deu", "de"),
        ("ger", "de"),
        ("zh-Hant-TW", "zh"),
        ("pt-BR", "pt"),
        ("iw", "he"),
        ("tl", "tl"),
        ("tgl", "tl"),
        ("fil", "tl"),
        ("sh", "sr"),
        ("cmn", "zh"),
        ("nob", "nb"),
        ("pcm", "pcm"),
    ],
)
def test_language_tag_is_normalised_to_iso_639_1(tag: str, code: str) -> None:
    assert normalise_language_tag(tag) == code


# Every ISO 639-2 bibliographic code, beside its terminological twin.
@pytest.mark.parametrize(
    ("bibliographic", "terminological", "code"),
    [
        tuple(codes.split(":"))
        for codes in (
            "alb:sqi:sq arm:hye:hy baq:eus:eu bur:mya:my chi:zho:zh cze:ces:cs dut:nld:nl fre:fra:fr geo:kat:ka "
            "ger:deu:de gre:ell:el ice:isl:is mac:mkd:mk mao:mri:mi may:msa:ms per:fas:fa rum:ron:ro slo:slk:sk "
            "tib:bod:bo wel:cym:cy"
        ).split()
    ],
)
def test_iso_639_2_codes_become_iso_639_1(bibliographic: str, terminological: str, code: str) -> None:
    assert normalise_language_tag(bibliographic) == normalise_language_tag(terminological) == code


@pytest.mark.parametrize("tag", [None, "", "x", "english", "123", "und", "zxx", "qqq"])
def test_unusable_language_tag_gives_none(tag: str | None) -> None:
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
        ("tr", "Bakan, hükümetin bu konudaki politikasını değiştirmeyeceğini söyledi."),
        ("fi", "Ministeri sanoi, että hallitus ei muuta politiikkaansa tässä asiassa."),
        ("hu", "A miniszter azt mondta, hogy a kormány nem változtat ezen a politikáján."),
        ("cs", "Ministr řekl, že vláda v této otázce svou politiku nezmění."),
        ("ro", "Ministrul a declarat că guvernul nu își va schimba politica în această privință."),
        ("vi", "Bộ trưởng nói rằng chính phủ sẽ không thay đổi chính sách về vấn đề này."),
        ("sw", "Waziri alisema kwamba serikali haitabadilisha sera yake kuhusu suala hilo."),
    ],
)
def test_latin_script_language_is_identified_without_a_declared_one(code: str, text: str) -> None:
    assert article_language(None, (text,)) == code


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("ru", "Министр заявил, что правительство не изменит свою политику."),
        ("uk", "Міністр заявив, що уряд не змінить свою політику."),
        ("bg", "Министърът заяви, че правителството няма да промени политиката си."),
        ("ar", "قال الوزير إن الحكومة لن تغير سياستها"),
        ("fa", "وزیر گفت که دولت سیاست خود را تغییر نخواهد داد."),
        ("zh", "部长说政府不会改变其政策。"),
        ("ja", "大臣は政府が政策を変えないと述べた。"),
        ("ko", "장관은 정부가 정책을 바꾸지 않을 것이라고 말했다."),
        ("el", "Ο υπουργός είπε ότι η κυβέρνηση δεν θα αλλάξει την πολιτική της."),
        ("he", "השר אמר שהממשלה לא תשנה את מדיניותה."),
        ("hi", "मंत्री ने कहा कि सरकार अपनी नीति नहीं बदलेगी।"),
        ("th", "รัฐมนตรีกล่าวว่ารัฐบาลจะไม่เปลี่ยนนโยบาย"),
        ("ka", "მინისტრმა თქვა, რომ მთავრობა არ შეცვლის თავის პოლიტიკას."),
        ("ta", "அரசாங்கம் தனது கொள்கையை மாற்றாது என்று அமைச்சர் கூறினார்."),
    ],
)
def test_non_latin_script_language_is_identified_without_a_declared_one(code: str, text: str) -> None:
    assert article_language(None, (text,)) == code


def test_declared_language_is_kept_against_a_short_noisy_text() -> None:
    # An English caption and a share row under a German page: too short to outweigh the page's own "de".
    assert article_language("de-DE", ("Photo: Reuters / John Smith. Share on Facebook, X and WhatsApp",)) == "de"
    assert likeliest_language("Photo: Reuters / John Smith. Share on Facebook, X and WhatsApp")[0] != "de"


def test_declared_language_is_kept_when_the_text_is_in_that_language() -> None:
    text = "Le ministre a déclaré que le gouvernement ne changerait pas sa politique sur cette question. " * 4
    assert article_language("fr", (text,)) == "fr"


LONG_SPANISH_TEXT = (
    "El Gobierno aprobó este martes un nuevo plan de vivienda que prevé construir cien mil pisos de alquiler "
    "asequible en los próximos cinco años. La ministra explicó en rueda de prensa que las comunidades autónomas "
    "recibirán los fondos a partir de enero y que los ayuntamientos podrán ceder suelo público para las obras."
)


def test_declared_language_is_overruled_by_a_long_clear_text() -> None:
    # An aggregator's envelope says "en" for every story it relays, whatever the story's language.
    assert article_language("en", (LONG_SPANISH_TEXT,)) == "es"


def test_the_same_clear_text_cut_to_a_headline_does_not_overrule() -> None:
    headline = LONG_SPANISH_TEXT[:90]
    assert likeliest_language(headline)[0] == "es"
    assert sum(character.isalpha() for character in headline) < LANGUAGE_RULE.min_letters_to_overrule
    assert article_language("en", (headline,)) == "en"


def test_declared_bokmal_is_not_overruled_by_the_identifiers_norwegian() -> None:
    text = (
        "Regjeringen la tirsdag fram et nytt forslag til statsbudsjett for neste år. Finansministeren sa at "
        "kommunene skal få mer penger til skoler og sykehjem, og at skattene ikke skal økes for vanlige familier. "
        "Opposisjonen mener at budsjettet ikke gjør nok for å få ned ventetidene i helsevesenet."
    )
    identified, probability = likeliest_language(text)
    assert identified == "no"
    assert probability >= LANGUAGE_RULE.min_confidence_to_overrule
    assert article_language("nb-NO", (text,)) == "nb"


def test_a_declared_language_outside_the_identifier_is_kept() -> None:
    # py3langid has no Maori; the page's declaration stands.
    text = "Ka kī te minita kāore te kāwanatanga e huri i tāna kaupapa here mō tēnei take. " * 3
    assert article_language("mi", (text,)) == "mi"


def test_text_without_letters_has_the_declared_language_or_none() -> None:
    assert article_language(None, ("",)) is None
    assert article_language(None, ("12345 --- 2025",)) is None
    assert article_language("pt-BR", ("12345 --- 2025",)) == "pt"


def test_latin_names_in_a_russian_text_do_not_make_it_english() -> None:
    assert article_language(None, ("Президент Vladimir Putin заявил, что правительство не изменит политику.",)) == "ru"


@settings(deadline=None)
@given(st.text(max_size=500), st.sampled_from([None, "en", "de-AT", "xx"]))
def test_any_text_gives_a_language_or_none_deterministically(text: str, declared: str | None) -> None:
    code = article_language(declared, (text,))
    assert code == article_language(declared, (text,))
    assert code is None or (code.isascii() and code.islower() and len(code) in (2, 3))


def test_the_longest_paragraphs_decide_over_short_lines_in_another_language() -> None:
    paragraphs = (
        "Share on Facebook",
        "Der Stadtrat hat am Dienstag beschlossen, die Straßenbahnlinie bis zum neuen Wohngebiet im Norden zu "
        "verlängern. Die Bauarbeiten sollen im kommenden Frühjahr beginnen und zwei Jahre dauern.",
        "Photo: John Smith",
        "Read more",
    )
    assert article_language(None, paragraphs) == "de"
    assert article_language("en", paragraphs) == "de"


LABELLED_TEXTS = Path(__file__).resolve().parents[1] / "bench" / "corpora" / "language-id"


def _labelled_texts() -> list[str]:
    texts = []
    for half in ("fitting.tsv", "held-out.tsv"):
        rows = (LABELLED_TEXTS / half).read_text(encoding="utf-8").splitlines()[1:]
        texts.extend(row.split("\t", 3)[3] for row in rows)
    return texts


@pytest.mark.skipif(not languages_module.scorer_is_compiled(), reason="the C scorer is not built in this install")
def test_the_c_scorer_names_the_language_py3langid_names_on_every_labelled_text() -> None:
    """On 578 texts in 144 languages, whole, cut to the sample size and cut to a headline: the same language, and
    a probability that agrees to rounding (the sums run in another order)."""
    identifier = languages_module._identifier()
    checked = 0
    for text in _labelled_texts():
        for sample in {text, text_sample(text), text[:40], text.upper()[:200]}:
            languages_module._likeliest.cache_clear()
            expected_code, expected_probability = identifier.classify(sample)
            code, probability = likeliest_raw_language(sample)
            assert code == expected_code, sample
            assert probability == pytest.approx(float(expected_probability), abs=1e-3), sample
            checked += 1
    assert checked > 1400  # the set comprehension drops cuts that equal the whole text


@pytest.mark.skipif(not languages_module.scorer_is_compiled(), reason="the C scorer is not built in this install")
@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_the_c_scorer_agrees_with_py3langid_on_any_text(text: str) -> None:
    languages_module._likeliest.cache_clear()
    expected_code, expected_probability = languages_module._identifier().classify(text)
    code, probability = likeliest_raw_language(text)
    assert code == expected_code
    assert probability == pytest.approx(float(expected_probability), abs=1e-3)
