"""Date mentions in every language with a dates.toml: forms, CLDR names, directions, year boundaries, traps."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from babel.dates import get_day_names, get_month_names
from hypothesis import given, settings
from hypothesis import strategies as st

from workers.records import CleanArticle, DateMention
from workers.settings import PipelineSettings
from workers.stages.common import speedups
from workers.stages.enrich import dates
from workers.stages.enrich.dates import (
    find_date_mentions,
    language_dates,
    mention_matches,
    name_starts,
    supported_languages,
)
from workers.stages.enrichment import enrich
from workers.stages.language.data import language_data

REFERENCE = "2025-03-14T10:00:00Z"  # a Friday
NEW_YEAR_REFERENCE = "2025-01-02T10:00:00Z"  # a Thursday
LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "pl", "sv", "da", "no", "tr", "id")


def only(text: str, language: str, reference: str = REFERENCE) -> DateMention:
    """The one mention found in `text`."""
    mentions = find_date_mentions(text, reference, language)
    assert len(mentions) == 1, mentions
    return mentions[0]


def test_every_language_of_the_issue_has_date_words() -> None:
    assert set(LANGUAGES) <= set(supported_languages())


def cldr_locale(language: str) -> str:
    return language_data("dates")[language].get("cldr_locales", [language])[0]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_cldr_month_name_and_abbreviation_is_read_as_its_month(language: str) -> None:
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, context, cldr_locale(language)).items():
                text = f"1 {name} 2025"
                assert only(text, language) == DateMention(text, date(2025, number, 1).isoformat()), text


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_cldr_weekday_name_and_abbreviation_before_a_date_is_checked_against_it(language: str) -> None:
    march = get_month_names("wide", "format", cldr_locale(language))[3]
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for number, name in get_day_names(width, context, cldr_locale(language)).items():
                text = f"{name}, 13 {march} 2025"  # 13 March 2025 was a Thursday (3)
                assert only(text, language) == DateMention(text, "2025-03-13", weekday_mismatch=number != 3), text


@pytest.mark.parametrize(
    ("language", "text", "mention", "iso"),
    [
        # a weekday alone, with the language's preposition or particle left out of the mention
        ("en", "It rained on Thursday.", "Thursday", "2025-03-13"),
        ("de", "Es regnete am Donnerstag.", "Donnerstag", "2025-03-13"),
        ("fr", "Il a plu jeudi.", "jeudi", "2025-03-13"),
        ("es", "Llovió el jueves.", "jueves", "2025-03-13"),
        ("it", "Ha piovuto giovedì.", "giovedì", "2025-03-13"),
        ("pt", "Choveu na quinta-feira.", "quinta-feira", "2025-03-13"),
        ("nl", "Het regende op donderdag.", "donderdag", "2025-03-13"),
        ("pl", "Padało w czwartek.", "czwartek", "2025-03-13"),
        ("pl", "Sejm obradował w środę.", "środę", "2025-03-12"),
        ("sv", "Det regnade i torsdags.", "torsdags", "2025-03-13"),
        ("da", "Det regnede torsdag.", "torsdag", "2025-03-13"),
        ("no", "Det regnet torsdag.", "torsdag", "2025-03-13"),
        ("tr", "Perşembe günü yağmur yağdı.", "Perşembe", "2025-03-13"),
        ("tr", "Toplantı perşembe günü yapıldı.", "perşembe", "2025-03-13"),
        ("id", "Hujan turun pada Kamis.", "Kamis", "2025-03-13"),
        # a weekday with day and month, in the language's order and punctuation
        ("en", "It rained on Thursday (Mar 13).", "Thursday (Mar 13)", "2025-03-13"),
        ("en", "It rained on Thu, Mar. 13.", "Thu, Mar. 13", "2025-03-13"),
        ("de", "Es regnete am Donnerstag, 13. März.", "Donnerstag, 13. März", "2025-03-13"),
        ("de", "Es regnete am Do., 13. März.", "Do., 13. März", "2025-03-13"),
        ("fr", "Il a plu jeudi 13 mars.", "jeudi 13 mars", "2025-03-13"),
        ("fr", "Il a plu le jeu. 13 mars.", "jeu. 13 mars", "2025-03-13"),
        ("es", "Llovió el jueves 13 de marzo.", "jueves 13 de marzo", "2025-03-13"),
        ("it", "Ha piovuto giovedì 13 marzo.", "giovedì 13 marzo", "2025-03-13"),
        ("pt", "Choveu na quinta-feira, 13 de março.", "quinta-feira, 13 de março", "2025-03-13"),
        ("nl", "Het regende donderdag 13 maart.", "donderdag 13 maart", "2025-03-13"),
        ("pl", "Padało w czwartek, 13 marca.", "czwartek, 13 marca", "2025-03-13"),
        ("sv", "Det regnade torsdag den 13 mars.", "torsdag den 13 mars", "2025-03-13"),
        ("da", "Det regnede torsdag den 13. marts.", "torsdag den 13. marts", "2025-03-13"),
        ("no", "Det regnet torsdag 13. mars.", "torsdag 13. mars", "2025-03-13"),
        ("tr", "Yağmur 13 Mart Perşembe yağdı.", "13 Mart Perşembe", "2025-03-13"),
        ("id", "Hujan turun pada Kamis, 13 Maret.", "Kamis, 13 Maret", "2025-03-13"),
        # full dates
        ("en", "It rained on March 13, 2025.", "March 13, 2025", "2025-03-13"),
        ("de", "Es regnete am 13. März 2025.", "13. März 2025", "2025-03-13"),
        ("fr", "Il a plu le 13 mars 2025.", "13 mars 2025", "2025-03-13"),
        ("es", "Llovió el 13 de marzo de 2025.", "13 de marzo de 2025", "2025-03-13"),
        ("it", "Ha piovuto il 13 marzo 2025.", "13 marzo 2025", "2025-03-13"),
        ("pt", "Choveu em 13 de março de 2025.", "13 de março de 2025", "2025-03-13"),
        ("nl", "Het regende op 13 maart 2025.", "13 maart 2025", "2025-03-13"),
        ("pl", "Padało 13 marca 2025 roku.", "13 marca 2025", "2025-03-13"),
        ("sv", "Det regnade den 13 mars 2025.", "13 mars 2025", "2025-03-13"),
        ("da", "Det regnede den 13. marts 2025.", "13. marts 2025", "2025-03-13"),
        ("no", "Det regnet 13. mars 2025.", "13. mars 2025", "2025-03-13"),
        ("tr", "Yağmur 13 Mart 2025 Perşembe günü yağdı.", "13 Mart 2025 Perşembe", "2025-03-13"),
        ("id", "Hujan turun pada 13 Maret 2025.", "13 Maret 2025", "2025-03-13"),
        # day and month alone, and a name capitalised at a sentence's start
        ("fr", "Le 1er mars, il a plu.", "1er mars", "2025-03-01"),
        ("es", "Jueves 13 de marzo: llovió.", "Jueves 13 de marzo", "2025-03-13"),
        ("pl", "Do 30 kwietnia trwa nabór.", "30 kwietnia", "2025-04-30"),
        ("it", "Dal 2 aprile cambia tutto.", "2 aprile", "2025-04-02"),
    ],
)
def test_date_forms_of_every_language(language: str, text: str, mention: str, iso: str) -> None:
    assert only(text, language) == DateMention(mention, iso)


@pytest.mark.parametrize(
    ("language", "text", "mention"),
    [
        ("en", "Monday, March 13, 2025", "Monday, March 13, 2025"),
        ("de", "Montag, 13. März 2025", "Montag, 13. März 2025"),
        ("fr", "lundi 13 mars 2025", "lundi 13 mars 2025"),
        ("es", "lunes 13 de marzo de 2025", "lunes 13 de marzo de 2025"),
        ("it", "lunedì 13 marzo 2025", "lunedì 13 marzo 2025"),
        ("pt", "segunda-feira, 13 de março de 2025", "segunda-feira, 13 de março de 2025"),
        ("nl", "maandag 13 maart 2025", "maandag 13 maart 2025"),
        ("pl", "poniedziałek, 13 marca 2025", "poniedziałek, 13 marca 2025"),
        ("sv", "måndag den 13 mars 2025", "måndag den 13 mars 2025"),
        ("da", "mandag den 13. marts 2025", "mandag den 13. marts 2025"),
        ("no", "mandag 13. mars 2025", "mandag 13. mars 2025"),
        ("tr", "13 Mart 2025 Pazartesi", "13 Mart 2025 Pazartesi"),
        ("id", "Senin, 13 Maret 2025", "Senin, 13 Maret 2025"),
    ],
)
def test_a_weekday_that_contradicts_a_full_date_keeps_the_date_and_is_flagged(
    language: str, text: str, mention: str
) -> None:
    assert only(text, language) == DateMention(mention, "2025-03-13", weekday_mismatch=True)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Mittwoch, 29. Februar"),  # 29 February fell on a Wednesday in none of 2018-2025
        ("pl", "środa, 29 lutego"),
        ("tr", "29 Şubat Çarşamba"),
    ],
)
def test_a_weekday_that_never_matches_its_day_and_month_is_flagged_without_a_date(language: str, text: str) -> None:
    assert only(text, language) == DateMention(text, None, weekday_mismatch=True)


# Reference Friday 14 March 2025: the Sunday before is the 9th, the one after the 16th.
FORWARD = [
    ("en", "The storm will head out to sea by Sunday."),
    ("en", "Voters go to the polls next Sunday."),
    ("en", "The museum opens this coming Sunday."),
    ("en", "Roads stay closed until Sunday."),
    ("en", "The minister will travel to Paris on Sunday."),
    ("de", "Die Straße bleibt bis Sonntag gesperrt."),
    ("de", "Gewählt wird am kommenden Sonntag."),
    ("de", "Das Spiel findet am nächsten Sonntag statt."),
    ("de", "Die Regierung wird am Sonntag entscheiden."),
    ("fr", "Les électeurs votent dimanche prochain."),
    ("fr", "La route reste fermée jusqu'à dimanche."),
    ("fr", "Les syndicats observeront une grève dimanche."),
    ("es", "Los votantes acudirán a las urnas el próximo domingo."),
    ("es", "La carretera sigue cerrada hasta el domingo."),
    ("es", "El partido se jugará el domingo."),
    ("pt", "Os ministros deverão decidir no domingo."),
    ("it", "Si vota domenica prossima."),
    ("it", "La strada resta chiusa fino a domenica."),
    ("it", "Il decreto sarà firmato entro domenica."),
    ("it", "La linea riaprirà domenica."),
    ("pt", "Os eleitores votam no próximo domingo."),
    ("pt", "A estrada fica fechada até domingo."),
    ("pt", "O jogo será disputado no domingo."),
    ("nl", "De kiezers stemmen volgende zondag."),
    ("nl", "De weg blijft dicht tot zondag."),
    ("nl", "Het kabinet zal zondag beslissen."),
    ("pl", "Wybory odbędą się w przyszłą niedzielę."),
    ("pl", "Droga pozostanie zamknięta do niedzieli."),
    ("pl", "Mecz zostanie rozegrany w najbliższą niedzielę."),
    ("pl", "Sejm będzie głosował w niedzielę."),
    ("sv", "Väljarna röstar på söndag."),
    ("sv", "Vägen är stängd till söndag."),
    ("sv", "Regeringen ska besluta nästa söndag."),
    ("da", "Vælgerne stemmer på søndag."),
    ("da", "Vejen er lukket til søndag."),
    ("da", "Kampen spilles næste søndag."),
    ("no", "Velgerne stemmer neste søndag."),
    ("no", "Veien er stengt til søndag."),
    ("no", "Regjeringen vil avgjøre saken søndag."),
    ("tr", "Seçim gelecek pazar günü yapılacak."),
    ("tr", "Yol Pazar'a kadar kapalı."),
    ("tr", "Bakanlar Kurulu pazar günü toplanacak."),
    ("tr", "Maç önümüzdeki Pazar oynanıyor."),
    ("id", "Jalan ditutup hingga Minggu."),
    ("id", "Pemilihan digelar pada Minggu depan."),
    ("id", "Presiden akan berkunjung pada Minggu."),
]
BACKWARD = [
    ("en", "It rained on Sunday."),
    ("en", "Shelters were already full by Sunday night."),
    ("en", "Prices have risen since Sunday, and they will rise again."),
    ("de", "Es regnete am Sonntag."),
    ("de", "Seit Sonntag wird gestreikt."),
    ("fr", "Il a plu dimanche dernier."),
    ("fr", "Il pleut depuis dimanche."),
    ("es", "Llovió el domingo pasado."),
    ("it", "Ha piovuto domenica scorsa."),
    ("pt", "Choveu no domingo passado."),
    ("nl", "Het regende afgelopen zondag."),
    ("pl", "Padało w ubiegłą niedzielę."),
    ("pl", "Padało w niedzielę."),
    ("sv", "Det regnade i söndags."),
    ("da", "Det regnede i søndags."),
    ("no", "Det regnet sist søndag."),
    ("tr", "Geçen pazar günü yağmur yağdı."),
    ("tr", "Pazar günü yağmur yağdı."),
    ("id", "Hujan turun pada Minggu lalu."),
    ("id", "Hujan turun sejak Minggu."),
    ("fr", "Les soldats sont montés au front dimanche."),  # "front" is no future "-ront"
    ("pt", "O Irão anunciou no domingo novas sanções."),  # "Irão" (Iran) is no future "-irão"
    ("es", "Irán anunció el domingo nuevas sanciones."),
]


@pytest.mark.parametrize(("language", "text"), FORWARD)
def test_a_weekday_that_points_forward_resolves_to_the_first_on_or_after_the_reference_day(
    language: str, text: str
) -> None:
    assert only(text, language).date == "2025-03-16"


@pytest.mark.parametrize(("language", "text"), BACKWARD)
def test_a_weekday_that_does_not_point_forward_resolves_to_the_most_recent(language: str, text: str) -> None:
    assert only(text, language).date == "2025-03-09"


def test_every_language_is_tested_forward_and_backward() -> None:
    assert {language for language, _ in FORWARD} == set(LANGUAGES) == {language for language, _ in BACKWARD}


def test_a_weekday_date_pointing_forward_is_the_coming_one_not_one_years_back() -> None:
    # 21 March fell on a Friday in 2025 only, of 2018-2025: looking back it never matches.
    assert only("The vote is next Friday, March 21.", "en") == DateMention("Friday, March 21", "2025-03-21")
    assert only("The vote was on Friday, March 21.", "en") == DateMention("Friday, March 21", None, True)


def test_a_day_and_month_after_a_word_naming_the_next_one_is_the_coming_one() -> None:
    # 20 December is nearer in 2024 than in 2025, seen from 2 January 2025.
    assert only("Il concerto è il prossimo 20 dicembre.", "it", NEW_YEAR_REFERENCE).date == "2025-12-20"
    assert only("Il concerto è stato il 20 dicembre.", "it", NEW_YEAR_REFERENCE).date == "2024-12-20"
    assert only("The deadline was extended by Dec 20.", "en", NEW_YEAR_REFERENCE).date == "2024-12-20"


@pytest.mark.parametrize(
    ("language", "text", "iso"),
    [
        ("de", "Es regnete am Montag.", "2024-12-30"),
        ("en", "It rained on Friday.", "2024-12-27"),
        ("en", "The report is due by Friday.", "2025-01-03"),
        ("es", "Vuelve el próximo lunes.", "2025-01-06"),
        ("pl", "Do 30 grudnia trwał nabór.", "2024-12-30"),
        ("pl", "Spotkanie odbyło się w piątek 3 stycznia.", "2020-01-03"),  # the last Friday 3 January before
        ("pl", "Nabór trwa do piątku 3 stycznia.", "2025-01-03"),
        ("fr", "Il a neigé mardi 31 décembre.", "2024-12-31"),
        ("tr", "31 Aralık Salı günü kar yağdı.", "2024-12-31"),
        ("sv", "Mötet hölls den 28 december.", "2024-12-28"),
        ("id", "Banjir terjadi pada Selasa, 31 Desember.", "2024-12-31"),
    ],
)
def test_mentions_across_the_year_boundary(language: str, text: str, iso: str) -> None:
    assert only(text, language, NEW_YEAR_REFERENCE).date == iso


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("es", "El barco cruzó el mar Mediterráneo en 13 días."),  # "mar": the sea, and March abbreviated
        ("pt", "O mar estava calmo e 13 barcos saíram."),
        ("it", "Il mar Tirreno era calmo."),
        ("es", "El dom 13 fue un éxito."),  # "dom": Sunday abbreviated, with no month
        ("it", "Il sab 13 era chiuso."),
        ("en", "Officials may 5 times a year review it."),  # "may" the verb
        ("en", "The Sun 12 times a day."),
        ("de", "Die 13 Mitarbeiter streikten."),  # "Di": Tuesday abbreviated
        ("de", "So 12 Menschen wurden verletzt."),
        ("de", "ein donnerstag ist kein Name"),  # German nouns are capitalised: a lower-case one is another word
        ("tr", "Pazar yerinde fiyatlar arttı."),  # "pazar": Sunday, and market
        ("tr", "Halk pazarı kuruldu."),
        ("tr", "Sebze pazar yeri kalabalıktı."),
        ("id", "Minggu lalu harga beras naik."),  # "minggu": Sunday, and week
        ("id", "Harga naik pada minggu lalu."),
        ("id", "Dua minggu kemudian hujan turun."),
        ("da", "Det kan man 3 gange om dagen."),  # "man": Monday abbreviated, and 'one'
        ("nl", "Het is zo 13 keer gebeurd."),  # "zo": Sunday abbreviated, and 'so'
        ("fr", "La mission vers Mars partira en 2030."),
        ("fr", "Il a dit mais 13 fois non."),
        ("sv", "Planeten Mars syns i kväll."),
    ],
)
def test_common_words_that_equal_a_name_or_abbreviation_are_not_mentions(language: str, text: str) -> None:
    assert find_date_mentions(text, REFERENCE, language) == ()


def test_a_language_without_date_words_and_no_language_read_english_names() -> None:
    assert find_date_mentions("It rained on Monday.", REFERENCE, None) == (DateMention("Monday", "2025-03-10"),)
    assert find_date_mentions("Rain on Monday, 10 March.", REFERENCE, "ru") == (
        DateMention("Monday, 10 March", "2025-03-10"),
    )
    assert find_date_mentions("Es regnete am Montag.", REFERENCE, None) == ()


def test_each_language_reads_only_its_own_names() -> None:
    assert find_date_mentions("Es regnete am Montag.", REFERENCE, "fr") == ()
    assert find_date_mentions("It rained on Monday.", REFERENCE, "de") == ()


def test_language_codes_are_read_in_any_case_with_regions_and_through_aliases() -> None:
    assert find_date_mentions("torsdag 13. mars", REFERENCE, "nb") == find_date_mentions(
        "torsdag 13. mars", REFERENCE, "no"
    )
    assert find_date_mentions("am Montag", REFERENCE, "DE") == (DateMention("Montag", "2025-03-10"),)
    assert find_date_mentions("na segunda-feira", REFERENCE, "pt-BR") == (DateMention("segunda-feira", "2025-03-10"),)


def test_enrich_reads_dates_in_the_article_language() -> None:
    clean = CleanArticle(
        article_id="a1",
        raw_id="r1",
        content_kind="text",
        paragraphs=("Die Gewerkschaft rief am Mittwoch zum Streik bis Sonntag auf.",),
        language_hint="de",
        reference_time=REFERENCE,
    )
    assert enrich(clean, PipelineSettings()).date_mentions == (
        DateMention("Mittwoch", "2025-03-12"),
        DateMention("Sonntag", "2025-03-16"),
    )


def fragments(language: str) -> list[str]:
    """Names of the language in their written forms, numbers and glue, to build texts of near-mentions from."""
    compiled = language_dates(language)
    names = sorted({*compiled.weekday_numbers, *compiled.month_numbers})
    glue = [" ", "  ", "\t", "\n", ",", ", ", ".", "(", ")", "de ", "den ", "of ", "x", "'a", "günü"]
    numbers = ["1", "3", "12", "13.", "31", "1st", "1er", "2025", "20233"]
    return [*names, *(name.capitalize() for name in names), *glue, *numbers]


LANGUAGE_TEXTS = st.sampled_from(LANGUAGES).flatmap(
    lambda language: st.tuples(
        st.just(language), st.lists(st.sampled_from(fragments(language)), max_size=20).map("".join)
    )
)


@settings(max_examples=400, deadline=None)
@given(LANGUAGE_TEXTS)
def test_mention_matches_are_the_full_scan_matches(language_text: tuple[str, str]) -> None:
    language, text = language_text
    compiled = language_dates(language)
    expected = [(match.span(), match.groupdict()) for match in compiled.mention.finditer(text)]
    assert [(match.span(), match.groupdict()) for match in mention_matches(text, compiled)] == expected
    assert all(mention.text in text for mention in find_date_mentions(text, REFERENCE, language))


@settings(max_examples=300, deadline=None)
@given(LANGUAGE_TEXTS)
def test_name_starts_are_the_same_with_and_without_the_c_module(language_text: tuple[str, str]) -> None:
    language, text = language_text
    compiled = language_dates(language)
    found = name_starts(text, compiled)
    saved, speedups.compiled = speedups.compiled, None
    try:
        assert name_starts(text, compiled) == found
    finally:
        speedups.compiled = saved
    assert all(compiled.name_at.match(text, at) for at in found)


@given(st.sampled_from(LANGUAGES), st.text(max_size=300))
def test_any_text_in_any_language_gives_mentions_found_in_it(language: str, text: str) -> None:
    mentions = find_date_mentions(text, REFERENCE, language)
    assert mentions == find_date_mentions(text, REFERENCE, language)
    assert all(mention.text in text for mention in mentions)


def test_every_key_of_the_date_data_is_documented() -> None:
    readme = (Path(dates.__file__).parents[1] / "data" / "languages" / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`(\w+)`", readme.split("## dates.toml", 1)[1]))
    assert documented >= dates._DATA_KEYS
    assert all(set(table) <= dates._DATA_KEYS for table in language_data("dates").values())


# Texts whose names overlap (abbreviations inside full names, a weekday inside a longer word): the alternatives of a
# pattern built in another order would match other spans.
_OVERLAPPING_NAMES = {
    "en": "On Thu (Sept 12) and Thursday, Sep. 4th, and on Sun.",
    "de": "Am Do., 13. März, und am Donnerstag, dem 13. Mär.",
    "fr": "Le jeu. 13 mars et le jeudi 13 mar. 2025.",
    "pl": "W czw., 13 marca, i w czwartek 13 mar.",
    "tr": "13 Mart 2025 Perşembe ve Perşembe günü, Pazar'a kadar.",
}


def test_mentions_are_the_same_in_another_process_with_another_hash_seed() -> None:
    """Each language's patterns are built from CLDR's names and sets of words: the mentions they find must not
    depend on the order a process happens to hold them in."""
    program = (
        "import json, sys; from workers.stages.enrich.dates import find_date_mentions; "
        "texts = json.loads(sys.argv[1]); "
        "print(json.dumps({lang: [[m.text, m.date, m.weekday_mismatch] "
        "for m in find_date_mentions(text, sys.argv[2], lang)] for lang, text in texts.items()}))"
    )
    here = {
        language: [[m.text, m.date, m.weekday_mismatch] for m in find_date_mentions(text, REFERENCE, language)]
        for language, text in _OVERLAPPING_NAMES.items()
    }
    assert all(here.values()), here
    for seed in ("1", "2"):
        completed = subprocess.run(
            [sys.executable, "-c", program, json.dumps(_OVERLAPPING_NAMES), REFERENCE],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        )
        assert json.loads(completed.stdout) == here
