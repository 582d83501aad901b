"""Marker phrases of page furniture in many languages (data/languages/<language>/markers.toml), compiled.

One file per language holds what a reader of it recognises as not being article text ("ALSO READ:", "Weiterlesen
auf spiegel.de.", "Partager sur : Facebook X"); adding a language is adding a file. The patterns here are the one
matcher for all of them: phrases of every language are tried on every line, since an aggregator in one language
quotes sources in others. Every pattern is anchored or bounded, so no input makes one backtrack catastrophically.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from workers.stages.language.data import ANY_LANGUAGE, language_data

_PHRASE_KEYS = (
    "teaser_markers",
    "block_headings",
    "block_blurbs",
    "item_separators",
    "source_lines",
    "tail_headings",
    "comment_words",
    "advertising",
    "share_words",
    "newsletter_words",
    "reader_words",
    "photo_words",
    "source_words",
    "rights_reserved",
    "byline_words",
    "interface_words",
    "credit_lines",
    "tag_labels",
    "published_labels",
    "prompts",
)
_COMMON_KEYS = ("social_platforms", "stock_photo_credits")


@dataclass(frozen=True)
class Phrases:
    """Every language's phrases of each kind, longest first (so that an alternation prefers the longest)."""

    by_kind: dict[str, tuple[str, ...]]
    languages: tuple[str, ...]

    def __getitem__(self, kind: str) -> tuple[str, ...]:
        return self.by_kind.get(kind, ())


@cache
def load_phrases() -> Phrases:
    """All phrase files shipped with the package, merged by kind."""
    merged: dict[str, set[str]] = {key: set() for key in (*_PHRASE_KEYS, *_COMMON_KEYS)}
    languages = []
    for language, data in language_data("markers").items():
        unknown = set(data) - set(merged)
        if unknown:
            raise ValueError(f"{language}/markers.toml: unknown phrase kinds {sorted(unknown)}")
        for key, phrases in data.items():
            merged[key].update(phrase.strip() for phrase in phrases if phrase.strip())
        if language != ANY_LANGUAGE:
            languages.append(language)
    by_kind = {key: tuple(sorted(values, key=lambda phrase: (-len(phrase), phrase))) for key, values in merged.items()}
    return Phrases(by_kind, tuple(languages))


def alternation(phrases: Iterable[str], space: str = r"\s") -> str:
    """A regex alternation of literal phrases, longest first (so that "a dit" is tried before "dit"), where the
    spaces between a phrase's words match any run of the `space` class."""
    ordered = sorted(set(phrases), key=lambda phrase: (-len(phrase), phrase))
    return "|".join(f"{space}+".join(map(re.escape, phrase.split(" "))) for phrase in ordered)


def opening_letters(phrases: tuple[str, ...]) -> frozenset[str]:
    """The lower-cased first two characters of each phrase: a set test on a line's start spares most lines the
    regex of a line pattern (every alternative of the pattern that starts with a phrase starts with one of them)."""
    return frozenset(phrase[:2].lower() for phrase in phrases)


# Characters that may follow a phrase's first word on a line ("Tags:", "Loading...").
_TRAILING = ":.…,;|»"


def first_words(phrases: tuple[str, ...]) -> frozenset[str]:
    """The lower-cased first word of each phrase: a set test on a line's first word spares most lines the regex
    of a line pattern (every alternative of the pattern that starts with a phrase starts with one of them)."""
    return frozenset(phrase.split()[0].lower().rstrip(_TRAILING) for phrase in phrases if phrase.split())


def first_word_of(line: str) -> str:
    """A line's first word as first_words() sees a phrase's."""
    return line.split(None, 1)[0].lower().rstrip(_TRAILING) if line else ""


@dataclass(frozen=True)
class LinePatterns:
    """The compiled patterns of dump_cleaning, built once from the phrase files."""

    teaser_line: re.Pattern[str]
    teaser_openings: frozenset[str]
    glued_marker: re.Pattern[str]
    glued_markers: tuple[str, ...]
    glued_marker_first_words: tuple[str, ...]
    glued_marker_words: tuple[str, ...]
    block_heading: re.Pattern[str]
    block_heading_openings: frozenset[str]
    block_blurb: re.Pattern[str]
    item_separator: re.Pattern[str]
    item_separator_openings: frozenset[str]
    tail_start: re.Pattern[str]
    tail_openings: frozenset[str]
    boilerplate_line: re.Pattern[str]
    boilerplate_openings: frozenset[str]
    boilerplate_phrase: re.Pattern[str]
    boilerplate_phrase_hints: tuple[str, ...]
    newsletter_word: re.Pattern[str]
    newsletter_first_words: frozenset[str]
    reader_word: re.Pattern[str]
    share_row_piece: re.Pattern[str]
    share_row: re.Pattern[str]
    credit_ending: re.Pattern[str]
    byline: re.Pattern[str]
    source_line: re.Pattern[str]


_BULLET = r"(?:[-–—•*>]\s*)?"
_NAME_WORD = r"[A-ZÀ-ÖØ-ÞА-ЯЁ][\w'’.-]{0,30}"


@cache
def line_patterns() -> LinePatterns:
    phrases = load_phrases()
    teasers = phrases["teaser_markers"]
    headings = phrases["block_headings"]
    separators = phrases["item_separators"]
    tails = phrases["tail_headings"]
    photo = phrases["photo_words"]
    source = phrases["source_words"]
    # Markers a scraper glues to the end of a sentence ("…and missiles.ALSO READ:"), as written and in capitals.
    glued = tuple(
        dict.fromkeys(
            (
                *(marker for marker in teasers if len(marker) > 5),
                *(label for label in phrases["advertising"] if len(label) > 5),
                *(label.upper() for label in phrases["advertising"] if len(label) > 5),
                *(heading for heading in headings if len(heading) > 5),
                *(f"{separator} »" for separator in separators),
                *phrases["tag_labels"],
            )
        )
    )
    glued_first_words = tuple(sorted({marker.split()[0] for marker in glued}))
    glued_longest_words = tuple(sorted({max(marker.split(), key=len) for marker in glued}))
    boilerplate_alternatives = (
        rf"(?:{alternation(phrases['advertising'])})",
        rf"(?:{alternation(phrases['interface_words'])})(?::|\.{{1,3}}|…)?",
        rf"(?:{alternation(phrases['prompts'])}).{{0,300}}",
        rf"(?:{alternation(phrases['share_words'])})\s*:?",  # with platform names after it: is_share_row
        rf"(?:{alternation(photo + source)})\s*(?::|/|by\b|credit:).{{0,150}}",
        rf"\((?:{alternation(photo)})[^)]{{0,150}}\)",
        r"\([A-Z]{2,10} Photo[^)]{0,100}\)",
        rf"(?:{alternation(phrases['tag_labels'])})\s*(?::.{{0,400}})?",
        r"(?:©|\(c\)).{0,200}",
        r"copyright\s*(?:©|\(c\))?\s*(?:\d{4}|\w+ (?:ltd|inc|llc|media|news|group)).{0,200}",
        rf"(?:{alternation(phrases['credit_lines'])})\s.{{0,200}}",
        rf"(?:{alternation(phrases['published_labels'])})\s*(?:on|at|:)?\s*(?=[\w ,:.+-]{{0,60}}\d)[\w ,:.+-]{{0,60}}",
    )
    boilerplate_openings = first_words(
        (
            *phrases["advertising"],
            *phrases["interface_words"],
            *phrases["prompts"],
            *phrases["share_words"],
            *photo,
            *source,
            *phrases["tag_labels"],
            *phrases["credit_lines"],
            *phrases["published_labels"],
            "copyright",
        ),
    )
    share_pieces = (*phrases["share_words"], *phrases["social_platforms"])
    return LinePatterns(
        teaser_line=re.compile(
            rf"^{_BULLET}(?P<marker>{alternation(teasers)})\s*(?::|\||»|>>|–|—|-)\s*(?P<title>.{{0,600}})$",
            re.IGNORECASE,
        ),
        teaser_openings=opening_letters(teasers),
        glued_marker=re.compile(rf"(?:{alternation(glued)})(?:\s*[:|»]|$)", re.MULTILINE),
        glued_markers=glued,
        glued_marker_first_words=glued_first_words,
        glued_marker_words=glued_longest_words,
        block_heading=re.compile(
            rf"^(?P<marker>{alternation(headings)})\s*(?:[:|»>]+|\s-\s)?\s*(?P<rest>.{{0,600}})$", re.IGNORECASE
        ),
        block_heading_openings=opening_letters(headings),
        block_blurb=re.compile(rf"^(?:{alternation(phrases['block_blurbs'])})", re.IGNORECASE),
        item_separator=re.compile(rf"^(?:{alternation(separators)})\s*(?:[»›>→…]+|\.\.\.)?\s*$", re.IGNORECASE),
        item_separator_openings=opening_letters(separators),
        tail_start=re.compile(
            rf"^(?:(?:{alternation(tails)})|\d{{1,5}}\s+(?:{alternation(phrases['comment_words'])})\b.{{0,120}})"
            r"\s*:?\s*$",
            re.IGNORECASE,
        ),
        tail_openings=opening_letters(tails),
        boilerplate_line=re.compile(rf"^(?:{'|'.join(boilerplate_alternatives)})$", re.IGNORECASE),
        boilerplate_openings=boilerplate_openings,
        boilerplate_phrase=re.compile(
            rf"(?:{alternation(tuple(credit.lower() for credit in phrases['stock_photo_credits']))})|"
            rf"(?:{alternation(tuple(words.lower() for words in phrases['rights_reserved']))})|©|"
            r"whatsapp\.com/channel|t\.me/|google news|latest news, .{2,60} headlines$|"
            r"breaking news.{0,20}(?:headlines|latest news)"
        ),  # matched against the lower-cased line
        # Every alternative of boilerplate_phrase holds one of these literally: a substring test spares most lines
        # the regex search.
        boilerplate_phrase_hints=(
            *{max(phrase.lower().split(), key=len) for phrase in phrases["stock_photo_credits"]},
            *{max(words.lower().split(), key=len) for words in phrases["rights_reserved"]},
            "©",
            "whatsapp.com",
            "t.me/",
            "google news",
            "latest news",
            "breaking news",
        ),
        newsletter_word=re.compile(rf"(?<!\w)(?:{alternation(phrases['newsletter_words'])})(?!\w)", re.IGNORECASE),
        reader_word=re.compile(rf"(?<!\w)(?:{alternation(phrases['reader_words'])})(?!\w)", re.IGNORECASE),
        newsletter_first_words=frozenset(
            re.findall(r"\w+", phrase.lower())[0] for phrase in phrases["newsletter_words"] if re.search(r"\w", phrase)
        ),
        share_row_piece=re.compile(rf"(?<!\w)(?:{alternation(share_pieces)})(?!\w)|[\s|•·,:/\-–—]+", re.IGNORECASE),
        share_row=re.compile(rf"(?:(?<!\w)(?:{alternation(share_pieces)})(?!\w)|[\s|•·,:/\-–—]+)+", re.IGNORECASE),
        credit_ending=re.compile(
            rf"(?:\((?:{alternation(photo)})\s*:\s*[^()]{{1,80}}\)|(?<!\w)(?:{alternation(photo)})\s*:\s*[^.!?()]{{1,80}}"
            rf"|{alternation(tuple(credit for credit in phrases['stock_photo_credits'] if credit.endswith('FOTO')))}"
            r"\s*/\s*[^.!?()]{1,60})\s*$",
            re.IGNORECASE,
        ),
        byline=re.compile(
            rf"^(?:(?:{alternation(phrases['byline_words'])}):?\s+(?P<name>{_NAME_WORD}"
            rf"(?:(?:\s+|\s*,\s*|\s+(?:and|und|et|y|e|en|och|og|i|dan)\s+)[A-ZÀ-ÖØ-ÞА-ЯЁa-z][\w'’.-]{{0,30}}){{0,6}})"
            r"\s*(?:[|,/–—-]\s*.{0,60})?"
            rf"|(?P<named>{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,3}})\s*[|·]\s*[^|·.!?]{{2,60}})$"
        ),
        source_line=re.compile(
            rf"(?:{alternation(phrases['source_lines'])})\s+([a-z0-9.-]+\.[a-z]{{2,24}})\.?\s*$", re.IGNORECASE
        ),
    )
