"""clean stage on text dumps: boilerplate, artefacts, inline teasers, related blocks and glued titles."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from workers.stages.common import speedups
from workers.stages.language.function_words import function_words_for
from workers.stages.text.dump_cleaning import (
    TextCleaning,
    clean_text_dump,
    is_block_blurb,
    is_boilerplate,
    is_item_separator,
    is_share_row,
    is_tail_start,
    remove_duplicated_phrases,
    split_glued_markers,
)
from workers.stages.text.marker_phrases import alternation, line_patterns, load_phrases
from workers.stages.text.related_items import item_from_block_text, split_title_and_summary


def clean(dump: str) -> TextCleaning:
    """The text-dump cleaning the clean stage runs, with the function words of the dump's language."""
    return clean_text_dump(dump, function_words_for(dump, None))


BODY_1 = "The council approved the budget on Monday after a long debate about housing and transport costs."
BODY_2 = "Opposition members said the plan would raise rents, while the mayor said it would create jobs."


@pytest.mark.parametrize(
    ("glued", "title", "summary"),
    [
        (
            "Foreign-language signs spark concerns among localsUse of foreign languages has left some frustrated.",
            "Foreign-language signs spark concerns among locals",
            "Use of foreign languages has left some frustrated.",
        ),
        (
            "Apple unveils a new iPhone with a faster chipThe device goes on sale next week.",
            "Apple unveils a new iPhone with a faster chip",
            "The device goes on sale next week.",
        ),
        (
            "McDonald's to close 40 outlets across the regionThe chain blamed rising costs.",
            "McDonald's to close 40 outlets across the region",
            "The chain blamed rising costs.",
        ),
        (
            "eBay sells payments stake to investorsThe deal is worth about 90 million dollars.",
            "eBay sells payments stake to investors",
            "The deal is worth about 90 million dollars.",
        ),
        (
            "Satellite key to countering US 'space militarisation'SEOUL - The programme is vital, KCNA said.",
            "Satellite key to countering US 'space militarisation'",
            "SEOUL - The programme is vital, KCNA said.",
        ),
        (
            "YouTube removes channels linked to scam networkGoogle said it acted on reports.",
            "YouTube removes channels linked to scam network",
            "Google said it acted on reports.",
        ),
        ("A title with no summary at all", "A title with no summary at all", None),
    ],
)
def test_related_items_split_glued_title_and_summary(glued: str, title: str, summary: str | None) -> None:
    assert split_title_and_summary(glued) == (title, summary)


def test_related_item_read_more_at_domain_is_the_source_not_summary() -> None:
    item = item_from_block_text("Floods hit the northThe river burst its banks. Read more at straitstimes.com.")
    assert item is not None
    assert item.summary == "The river burst its banks." and item.source_domain == "straitstimes.com"
    assert item.truncated is False


def test_related_item_cut_off_summary_is_truncated() -> None:
    for text in ("Talks stallThe negotiators left the room without...", "Talks stallThe negotiators left the"):
        item = item_from_block_text(text)
        assert item is not None and item.truncated is True


def test_related_item_url_is_canonicalised_without_tracking_parameters() -> None:
    item = item_from_block_text("Markets rally https://News.example.com/a?utm_source=x&id=3#top")
    assert item is not None
    assert item.url == "https://news.example.com/a?id=3" and item.source_domain == "news.example.com"
    assert item.title == "Markets rally"


def test_duplicated_phrase_is_removed_once_and_real_repeats_stay() -> None:
    assert remove_duplicated_phrases("Washington has accused has accused North Korea.") == (
        "Washington has accused North Korea."
    )
    assert remove_duplicated_phrases("He said he had had enough of it all.") == "He said he had had enough of it all."
    assert remove_duplicated_phrases("one of the best of the year") == "one of the best of the year"


def test_glued_marker_and_tagline_and_similar_block_are_cut_from_body() -> None:
    dump = "\n".join(
        [
            "CITY — " + BODY_1,
            BODY_2 + "ALSO READ:",
            "World Latest News, World Headlines",
            "Similar News:You can also read news stories similar to this one that we have collected.",
            "Bridge closes for repairsThe bridge will reopen in May. Read more at example.com.",
            "Read more »",
            "Rates stay on holdThe central bank kept rates unchanged and said...",
            "Read more »",
        ]
    )
    cleaned = clean(dump)
    assert cleaned.paragraphs == ("CITY — " + BODY_1, BODY_2)
    assert [item.title for item in cleaned.related] == ["Bridge closes for repairs", "Rates stay on hold"]
    assert cleaned.related[0].source_domain == "example.com" and cleaned.related[1].truncated


def test_inline_teasers_in_several_languages_become_inline_items() -> None:
    dump = "\n".join(
        [
            BODY_1,
            "RELATED: Council votes on housing plan",
            "Lesen Sie auch: Stadtrat beschließt Haushalt",
            "LIRE AUSSI : Le conseil adopte le budget",
            "Lea también: El ayuntamiento aprueba el presupuesto",
            "Baca juga: DPRD sahkan anggaran",
            BODY_2,
        ]
    )
    cleaned = clean(dump)
    assert cleaned.paragraphs == (BODY_1, BODY_2)
    assert [item.kind for item in cleaned.related] == ["inline"] * 5
    assert cleaned.related[1].title == "Stadtrat beschließt Haushalt"


def test_boilerplate_lines_are_dropped_and_byline_is_kept() -> None:
    dump = "\n".join(
        [
            "By Jane Doe",
            BODY_1,
            "Advertisement",
            "Photo: Reuters",
            "(AP Photo/John Smith)",
            "Sign up for our morning newsletter",
            "Follow us on Twitter",
            "Share this article",
            BODY_2,
            "Tags: budget, housing, council",
            "© 2023 Example Media. All rights reserved.",
            "Most Read",
            "Celebrity chef opens restaurant",
        ]
    )
    cleaned = clean(dump)
    assert cleaned.paragraphs == (BODY_1, BODY_2)
    assert cleaned.byline == "Jane Doe"
    assert cleaned.related == ()


def test_blank_line_paragraphs_with_hard_wraps_are_joined() -> None:
    wrapped_1 = BODY_1.replace(" after a long", " after a\nlong")
    wrapped_2 = BODY_2.replace(" would raise", "\nwould raise")
    assert clean(f"{wrapped_1}\n\n{wrapped_2}\n").paragraphs == (BODY_1, BODY_2)


def test_a_body_sentence_starting_with_a_marker_word_stays_in_the_body() -> None:
    line = "Related charges were filed against two more officials on Tuesday, prosecutors said."
    assert clean(BODY_1 + "\n" + line).paragraphs == (BODY_1, line)


# One line per alternative of the whole-line boilerplate pattern, in the case a page might use.
BOILERPLATE_LINE_EXAMPLES = [
    "ADVERTISEMENT",
    "Advertising",
    "Sponsored",
    "Sponsored content",
    "Publicité",
    "Anzeige",
    "Werbung",
    "Publicidad",
    "Pubblicità",
    "Publicidade",
    "Iklan",
    "Реклама",
    "Skip to main content",
    "Loading...",
    "Close",
    "Menu",
    "Search",
    "Home",
    "Share",
    "Print",
    "Email",
    "Scroll to continue with content",
    "Story continues below advertisement",
    "Continue reading below",
    "Click here to subscribe",
    "Tap here for the app",
    "Share this article:",
    "Teilen",
    "Partager sur Facebook",
    "Partagez",
    "Compartir",
    "Comparte",
    "Condividi",
    "Compartilhe",
    "Partilhe",
    "Bagikan",
    "Поделиться",
    "Follow us on Twitter",
    "Like us on Facebook",
    "Sign up for our newsletter",
    "Subscribe now",
    "Register to read more",
    "Get the latest updates in your inbox",
    "Receive our daily newsletter",
    "Join our WhatsApp channel",
    "Download our free app",
    "Photo: Reuters",
    "Photograph by Jane Doe",
    "Picture: AFP",
    "Image: AP",
    "Foto: dpa",
    "Bild: Getty",
    "Video: BBC",
    "File photo: Reuters",
    "Credit: AP",
    "Photo credit: AFP",
    "Source: Reuters",
    "Quelle: dpa",
    "(Photo by Jane Doe/AFP)",
    "(AFP Photo)",
    "Tags: politics, economy",
    "Topic: Asia",
    "Schlagwörter: Politik",
    "Mots-clés : économie",
    "Etiquetas: política",
    "Categories: World",
    "Filed under: Asia",
    "© 2023 Example Media",
    "(c) Example News",
    "Copyright 2023 Example",
    "Reporting by Jane Doe",
    "Additional reporting by John Roe",
    "Writing by Jane Doe",
    "Editing by John Roe",
    "This story was updated on Monday",
    "This article has been corrected",
    "Read:",
    "Watch",
    "Listen:",
    "Also read:",
    "Read more:",
    "Related:",
    "Updated:",
    "We use cookies to improve your experience",
    "This site uses cookies",
    "By continuing to use this site you agree",
    "Published on 12 October 2023",
    "Updated: 12.10.2023, 10:45",
    "Posted at 10:45",
    "Last updated 12 Oct 2023",
]


# Page furniture of the kinds the phrase files describe, in several languages.
BOILERPLATE_LINE_EXAMPLES += [
    "Facebook Twitter LinkedIn",
    "Teilen: Facebook | X | WhatsApp",
    "Partager sur : Facebook X E-mail",
    "Compartir en WhatsApp Facebook",
    "Dela: Facebook X E-post Kopiera länk",
    "Udostępnij Facebook X",
    "Protesters gather outside parliament on Monday. (Photo: Reuters)",
    "Der Hafen am Morgen. (Foto: dpa)",
    "Un bombero trabaja en la extinción del incendio. FOTO: EFE/Juan Pérez",
    "Bussar vid Malmö centralstation. Foto: Johan Nilsson/TT",
    "Get the day's top stories delivered to your inbox every morning",
    "Sign me up",
    "Der Newsletter für alle, die wissen wollen, was los ist: jeden Morgen im Postfach. Jetzt abonnieren!",
    "Recevez chaque matin l'essentiel de l'actualité",
    "Tagi: smog, Kraków",
    "Ämnen: Göteborg, hamn",
]


@pytest.mark.parametrize("line", BOILERPLATE_LINE_EXAMPLES)
def test_every_kind_of_boilerplate_line_is_boilerplate(line: str) -> None:
    assert is_boilerplate(line)


BODY_LINES_WITH_MARKER_WORDS = [
    "Share prices fell sharply on Monday after the bank warned that profits would be lower than expected.",
    "Del mismo modo, el gobierno anunció nuevas ayudas para los agricultores afectados por la sequía.",
    "The figures come from the national statistics office (Source: Eurostat).",
    "She said she had signed up for the programme last year and would subscribe again.",
    "Facebook and Twitter were fined by the regulator on Tuesday for breaching the new rules.",
    "Photo finish: the race was decided by a hundredth of a second, officials said.",
]


@pytest.mark.parametrize("line", BODY_LINES_WITH_MARKER_WORDS)
def test_a_body_sentence_holding_marker_words_is_not_boilerplate(line: str) -> None:
    assert not is_boilerplate(line)
    assert not is_share_row(line)


def test_glued_markers_are_split_off_and_other_punctuation_is_left_alone() -> None:
    text = 'shoulder-fired missiles.ALSO READ: x\nHe said "no."  Advertisement\nUNRELATED: y\nA word.RELATEDNESS'
    assert split_glued_markers(text) == [
        "shoulder-fired missiles.",
        "ALSO READ: x",
        'He said "no."',
        "Advertisement",
        "UNRELATED: y",
        "A word.RELATEDNESS",
    ]


ITEM_SEPARATOR_EXAMPLES = [
    "Read more »",
    "Read full story",
    "Continue reading...",
    "Lire la suite",
    "Weiterlesen",
    "Mehr lesen ›",
    "Leer más",
    "Seguir leyendo",
    "Leggi tutto",
    "Continua a leggere",
    "Leia mais",
    "Selengkapnya",
    "Baca selengkapnya",
    "Lees meer",
    "Подробнее",
    "Читать далее",
    "Czytaj dalej",
    "Läs mer →",
]
BLOCK_BLURB_EXAMPLES = [
    "You can also read news stories similar to this one that we have collected from other news sources.",
    "We have collected these for you",
    "Here are some more stories",
    "Stories we think you will like",
]
TAIL_START_EXAMPLES = [
    "Most Read",
    "Most Popular",
    "Most Viewed",
    "Most Shared",
    "Trending Now",
    "Trending",
    "Popular Now",
    "Popular Stories",
    "Editor's Picks",
    "Editors Picks",
    "Latest News",
    "Latest Stories",
    "Comments",
    "Leave a comment",
    "Leave a reply",
    "12 Comments",
    "1 Comment",
    "Meistgelesen",
    "Meistgelesene Artikel",
    "Les plus lus",
    "Les plus populaires",
    "Lo más leído",
    "Lo más visto",
    "I più letti",
    "Mais lidas",
    "Mais lidos",
    "Terpopuler",
    "Populer",
    "Самое читаемое",
    "Популярное:",
]


@pytest.mark.parametrize("line", ITEM_SEPARATOR_EXAMPLES)
def test_item_separators_are_found_in_any_case(line: str) -> None:
    assert is_item_separator(line) and is_item_separator(line.upper()) and is_item_separator(line.lower())


@pytest.mark.parametrize("line", BLOCK_BLURB_EXAMPLES)
def test_block_blurbs_are_found(line: str) -> None:
    assert is_block_blurb(line)


@pytest.mark.parametrize("line", TAIL_START_EXAMPLES)
def test_tail_starts_are_found_in_any_case(line: str) -> None:
    assert is_tail_start(line) and is_tail_start(line.upper()) and is_tail_start(line.lower())


# The definition the marker-first scan must agree with: a sentence end, spaces, then a marker.
_GLUED_MARKERS = line_patterns().glued_markers
_GLUED_MARKER_REFERENCE = re.compile(
    rf"([.!?\"”'’)])\s*(?=(?:{alternation(_GLUED_MARKERS)})(?:\s*[:|»]|$))", re.MULTILINE
)
_GLUE_FRAGMENTS = st.sampled_from(
    [
        *_GLUED_MARKERS,
        "ALSO",
        "READ",
        "SEE",
        "Read",
        ".",
        "!",
        '"',
        "”",
        "’",
        ")",
        ":",
        "|",
        "»",
        " ",
        "\n",
        "  ",
        "word",
        "Kim said",
        "UNRELATED",
        "LESEN SIE",
        "ÀLIRE",
        "x.",
        "end.",
        "A",
        "KCNA",
        "LIRE",
        "AUSSI",
        "\t",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_GLUE_FRAGMENTS, max_size=30).map("".join), st.booleans())
# "A LIRE AUSSI": glued, spaced, across a line break, after a word's "A".
@example("Le budget est adopté.A LIRE AUSSI : La suite", False)
@example("Le budget est adopté. A \t LIRE AUSSI: La suite", False)
@example("Fin.A\nLIRE AUSSI", False)
@example("selon KCNA LIRE AUSSI : x. A LIRE AUSSI", False)
@example("A LIRE AUSSI. LIRE AUSSI", False)
def test_glued_markers_are_split_exactly_where_the_reference_pattern_splits(text: str, pure_python: bool) -> None:
    expected = [line.strip() for line in _GLUED_MARKER_REFERENCE.sub("\\1\n", text).split("\n")]
    with pytest.MonkeyPatch.context() as patch:
        if pure_python:  # as without the C module
            patch.setattr(speedups, "compiled", None)
        assert split_glued_markers(text) == [" ".join(line.split()) for line in expected]


# One line per alternative of the boilerplate phrase pattern, none of them a whole-line boilerplate pattern.
BOILERPLATE_PHRASE_EXAMPLES = [
    "Kim at the summit. Getty Images",
    "Soldiers on parade. Shutterstock",
    "A street in Seoul, iStock",
    "Crowds in Seoul (AFP Photo / Jung Yeon-je)",
    "Kim Jong-un (AP Photo/Lee Jin-man)",
    "REUTERS/Kim Hong-Ji",
    "Example Media. All rights reserved.",
    "Text and images © Example Media",
    "Riproduzione riservata",
    "Todos los derechos reservados",
    "Tous droits réservés",
    "Alle Rechte vorbehalten",
    "Follow our channel at whatsapp.com/channel/123",
    "Join us at t.me/examplenews",
    "Find us on Google News",
    "Ikuti kami di Google News",
    "Simak breaking news dan berita pilihan kami",
    "The morning newsletter: sign up today",
    "Want more? Subscribe to our newsletter",
    "South Africa Latest News, South Africa Headlines",
    "Breaking News and Latest News from Asia",
]


@pytest.mark.parametrize("line", BOILERPLATE_PHRASE_EXAMPLES)
def test_every_boilerplate_phrase_makes_its_line_boilerplate(line: str) -> None:
    assert is_boilerplate(line)


def test_every_phrase_file_is_read_and_covers_the_pipeline_languages() -> None:
    phrases = load_phrases()
    languages = {"en", "de", "fr", "es", "it", "pt", "nl", "sv", "da", "no", "pl", "id", "tr", "ru"}
    assert languages <= set(phrases.languages)
    assert "Weiterlesen auf" in phrases["source_lines"] and "Baca juga" in phrases["block_headings"]


def test_a_block_line_glued_from_boilerplate_and_a_title_keeps_the_title_alone() -> None:
    dump = "\n".join(
        [
            BODY_1,
            BODY_2,
            "Similar News:",
            "AdvertisementFloods hit the north as rivers burst their banks",
            "Bridge closes for repairsThe bridge will reopen in May.",
        ]
    )
    cleaned = clean(dump)
    assert cleaned.paragraphs == (BODY_1, BODY_2)
    assert [item.title for item in cleaned.related] == [
        "Floods hit the north as rivers burst their banks",
        "Bridge closes for repairs",
    ]
