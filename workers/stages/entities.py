"""People, organisations and places named in a text, by capitalised spans, cue words, name lists and GeoNames.

A capitalised span ("Russian President Vladimir Putin", "National Aerospace Technology Administration") is
classified in this order: a known organisation (gazetteers) or place (the GeoNames index of `places`); an
organisation cue word (Ministry, Agency, Party, Inc…); a title that introduces a person (what follows it is the
name, what precedes it is classified again); an all-caps acronym (KCNA, NATO); places joined by a hyphen
("Moscow-Pyongyang"); a person, when the name has a Korean-style hyphenated given name (Kim Jong-un) or a cue
around it ("leader Kim Jong-un", "Dmitry Peskov said"). Anything else is not reported: precision over recall. A
one-word person that is part of a longer person's name ("Putin" after "Vladimir Putin") is the same person and is
not listed twice. A town name that is an ordinary word of the article's language ("Essen", "Reading") is a place
only after a locative ("in Essen") or in a list after another place; a small town abroad among places of one
country is a namesake and is dropped.

Everything but the cues is a pure function of the span's text, so it is cached: news repeats its names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Literal

from workers.records import Entities, Place
from workers.stages import speedups
from workers.stages.gazetteers import (
    DEMONYMS,
    NOT_ACRONYMS,
    NOT_NAMES,
    ORGANISATION_BY_KEY,
    ORGANISATION_CUES,
    PERSON_CUES_AFTER,
    PERSON_CUES_BEFORE,
    TITLE_TAILS,
    TITLES,
)
from workers.stages.letters import UPPER, UPPER_BITMAP
from workers.stages.places import conjunctions, is_common_word, is_small_town, locatives, place_named

# A capitalised word, inner apostrophes, dots, ampersands and hyphens included ("Jong-un", "AT&T", "U.S."). Runs
# of one character class, not a loop over alternatives, keep the scan fast.
# A final dot belongs to an initialism ("U.S.") or to a title abbreviation ("Rep. Lorraine Buckley").
# The dot comes first and the lookbehinds check it with what precedes it: most words are not followed by a dot,
# and the optional group then fails at once instead of after four lookbehinds (a third of the span scan).
_ABBREVIATIONS = (*"Mr Dr Ms St Lt Jr Sr Mrs Rep Sen Gov Gen Col Adm Maj Sgt".split(), *"Capt Prof Supt".split())
# A lookbehind holds alternatives of one width only: one per length.
_ABBREVIATION_LOOKBEHINDS = "|".join(
    rf"(?<=\b(?:{'|'.join(word for word in _ABBREVIATIONS if len(word) == size)})\.)"
    for size in sorted({len(word) for word in _ABBREVIATIONS})
)
_WORD_TAIL = rf"\w{{0,40}}(?:['’.&-]\w{{1,40}}){{0,4}}(?:\.(?:(?<=\.[^\W\d_]\.)|{_ABBREVIATION_LOOKBEHINDS}))?"
_WORD = rf"[{UPPER}]{_WORD_TAIL}"
_CONNECTORS = ("of", "of the", "for", "de", "del", "della", "di", "da", "do", "du", "des", "van", "von", "der", "bin")
# Each connector phrase as its words, longest pattern first: the order the span pattern tries them, and the form
# the C scan takes them in.
_CONNECTOR_PHRASES = tuple(
    sorted(
        (tuple(phrase.split()) for phrase in _CONNECTORS), key=lambda words: len(r"[ \t]+".join(words)), reverse=True
    )
)
_CONNECTOR = "|".join(r"[ \t]+".join(words) for words in _CONNECTOR_PHRASES)
# The span starts with a bare character class (its start-of-word check comes after it) so that the regex engine
# can skip ahead to the next capital letter instead of trying every position.
_SPAN = re.compile(rf"[{UPPER}](?<![\w'’].){_WORD_TAIL}(?:[ \t]+(?:(?:{_CONNECTOR})[ \t]+)?{_WORD}){{0,6}}")
_CONNECTOR_WORDS = frozenset(" ".join(_CONNECTORS).split())

_CONTEXT_CHARS = 30
_CACHE_SPANS = 50_000  # distinct spans remembered across articles (a few MB)
_CUES_BEFORE = frozenset((*PERSON_CUES_BEFORE, "said", "says", "to"))  # "to" as in "according to"
_CUE_LAST_CHARACTERS = frozenset("".join(word[-1] + word[-1].upper() for word in _CUES_BEFORE) + ",")
_CUE_AFTER = re.compile(rf"(?:['’]s)?[ \t]*,?[ \t]*(?:{'|'.join(PERSON_CUES_AFTER)})\b")
_KOREAN_NAME = re.compile(r"[A-Z][a-z]{1,3} [A-Z][a-z]{1,5}-[a-z]{1,5}")
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&]{1,5}")
_POSSESSIVE = ("'s", "’s", "'", "’")
_APOSTROPHE = re.compile("['’]")

# What a span names without looking at its context; a "candidate" is a person only with a cue around it.
Kind = Literal["person", "organisation", "place", "candidate", "candidate_followed"]
_Finding = tuple[Kind, str]


def find_entities(text: str, dateline: str | None = None, language: str | None = None) -> Entities:
    """People, organisations and places named in `text` (the dateline place first when it is a known place).

    `language` (ISO 639-1) says which words are ordinary words rather than town names; None tries every language.
    """
    found: dict[Kind, dict[str, None]] = {"person": {}, "organisation": {}}
    places: dict[int, Place] = {}
    dateline_place = place_named(dateline) if dateline is not None else None
    if dateline_place is not None:
        places[dateline_place.geonames_id] = dateline_place
    last_place_end = -1
    for start, end in span_bounds(text):
        for kind, name in span_findings(text[start:end]):
            if kind == "place":
                place = place_named(name)
                # "In Essen" is one span: the locative may be inside it, before the name.
                position = max(text.find(name, start, end), start)
                if place is not None and (
                    not is_common_word(name, language)
                    or _has_locative_before(text, position, language)
                    or (last_place_end >= 0 and _continues_a_list(text[last_place_end:position], language))
                ):
                    places.setdefault(place.geonames_id, place)
                    last_place_end = position + len(name)
                continue
            if kind == "candidate" or kind == "candidate_followed":
                if not _has_cue_around(text, start, end if kind == "candidate_followed" else None):
                    continue
                kind = "person"
            found[kind][name] = None
    return Entities(
        people=fold_surnames(tuple(found["person"])),
        organisations=tuple(found["organisation"]),
        places=_without_small_towns_abroad(tuple(places.values())),
    )


def _without_small_towns_abroad(places: tuple[Place, ...]) -> tuple[Place, ...]:
    """The places without the small towns outside every country of the others (when the others have one).

    A small town abroad is most often a namesake: a quarter of Porto ("Ribeira") taken for a Galician town, a
    Milan metro station ("Garibaldi") for a Brazilian one.
    """
    countries = {place.country_code for place in places if not is_small_town(place)} - {None}
    if not countries:
        return places
    return tuple(place for place in places if place.country_code in countries or not is_small_town(place))


def span_bounds(text: str) -> list[tuple[int, int]]:
    """Start and end of every capitalised span, as `_SPAN.finditer` finds them."""
    if speedups.compiled is not None:  # the same scan in C: the regex was most of the entity step's time
        return speedups.compiled.capitalised_spans(text, UPPER_BITMAP, _CONNECTOR_PHRASES, _ABBREVIATIONS)
    return [match.span() for match in _SPAN.finditer(text)]


def fold_surnames(people: tuple[str, ...]) -> tuple[str, ...]:
    """People without the one-word names that are a word of a longer listed name ("Kim" of "Kim Jong-un")."""
    words_of_full_names = {word for name in people if " " in name for word in name.split()}
    return tuple(name for name in people if " " in name or name not in words_of_full_names)


def full_name(name: str, people: Iterable[str]) -> str:
    """The longer listed name that a one-word name ("Kim") belongs to, else the name itself."""
    if " " in name:
        return name
    return next((person for person in people if name in person.split()), name)


@lru_cache(maxsize=_CACHE_SPANS)
def span_findings(span: str) -> tuple[_Finding, ...]:
    """What a capitalised span names, before its context is looked at (cached: a pure function of the text)."""
    if span in NOT_NAMES:
        return ()
    findings: list[_Finding] = []
    _classify(span.split(), findings, followed=True)
    return tuple(findings)


def _classify(tokens: list[str], findings: list[_Finding], followed: bool) -> None:
    """Add what the words of a span name; `followed` says whether the span's own end follows them."""
    tokens = _trim(tokens)
    if len(tokens) == 1:
        _classify_word(tokens[0], findings)
        return
    if not tokens:
        return
    tokens[-1] = _without_possessive(tokens[-1])
    for index, token in enumerate(tokens[:-1]):
        stripped = _without_possessive(token)
        if stripped != token:  # "Putin's United Russia": two names
            _classify([*tokens[:index], stripped], findings, followed=False)
            _classify(tokens[index + 1 :], findings, followed)
            return
    name = " ".join(tokens)
    key = name.casefold()
    if key in ORGANISATION_BY_KEY:
        findings.append(("organisation", ORGANISATION_BY_KEY[key]))
    elif place_named(name) is not None:
        findings.append(("place", name))
    elif tokens[0].lower() in locatives(None) and place_named(" ".join(tokens[1:])) is not None:
        findings.append(("place", " ".join(tokens[1:])))  # a sentence that opens "Aus Bergen", "À Marseille"
    elif not ORGANISATION_CUES.isdisjoint(tokens):
        findings.append(("organisation", name))
    elif not TITLES.isdisjoint(tokens):
        _classify_titled(tokens, findings)
    elif not _CONNECTOR_WORDS.isdisjoint(tokens):
        _classify_parts(tokens, findings, followed)
    elif DEMONYMS.isdisjoint(tokens) and NOT_NAMES.isdisjoint(tokens):
        if _KOREAN_NAME.fullmatch(name):
            findings.append(("person", name))
        else:
            findings.append(("candidate_followed" if followed else "candidate", name))


def _classify_word(token: str, findings: list[_Finding]) -> None:
    """Add what a one-word span names (the common case, so it has its own short path)."""
    word = _without_possessive(token)
    key = word.casefold()
    if key in ORGANISATION_BY_KEY:
        findings.append(("organisation", ORGANISATION_BY_KEY[key]))
    elif place_named(word) is not None:
        findings.append(("place", word))
    elif (stem := _place_before_suffix(word)) is not None:
        findings.append(("place", stem))
    elif word in NOT_NAMES or word in DEMONYMS or word in TITLES or word in ORGANISATION_CUES:
        return
    elif _ACRONYM.fullmatch(word):
        if word not in NOT_ACRONYMS:
            findings.append(("organisation", word))
    elif "-" in word:
        parts = word.split("-")
        if all(place_named(part) is not None for part in parts):  # "Moscow-Pyongyang"
            findings.extend(("place", part) for part in parts)
    else:
        # One word is too little to call a person on a following "said" ("Officials said"): a cue before only.
        findings.append(("candidate", word))


def _classify_titled(tokens: list[str], findings: list[_Finding]) -> None:
    """A span holding a title: the words after the last title are a person, the words before are classified."""
    last_title = max(index for index, token in enumerate(tokens) if token in TITLES)
    name_tokens = tokens[last_title + 1 :]
    while name_tokens and name_tokens[0] in TITLE_TAILS:
        name_tokens = name_tokens[1:]
    first_title = min(index for index, token in enumerate(tokens) if token in TITLES)
    if first_title > 0:
        _classify(tokens[:first_title], findings, followed=False)
    if name_tokens and DEMONYMS.isdisjoint(name_tokens) and NOT_NAMES.isdisjoint(name_tokens):
        findings.append(("person", " ".join(name_tokens)))


def _classify_parts(tokens: list[str], findings: list[_Finding], followed: bool) -> None:
    """Classify the pieces of a span that connectors ("of", "de") join but no organisation cue holds together."""
    parts: list[list[str]] = [[]]
    for token in tokens:
        if token in _CONNECTOR_WORDS:
            parts.append([])
        else:
            parts[-1].append(token)
    parts = [part for part in parts if part]
    for index, part in enumerate(parts):
        # Only the last part is followed by what follows the span ("Joint Chiefs of Staff said").
        _classify(part, findings, followed and index == len(parts) - 1)


def _has_cue_around(text: str, start: int, end: int | None) -> bool:
    """A person cue right before `start` ("leader", "spokesperson,", "said") or right after `end` ("said")."""
    if _has_cue_before(text, start):
        return True
    return end is not None and _CUE_AFTER.match(text, end, end + _CONTEXT_CHARS) is not None


def _has_cue_before(text: str, start: int) -> bool:
    """Whether a person cue word comes right before `start`."""
    # Most spans open a sentence (". The"): one character rules them out before any slicing.
    if start < 2 or text[start - 2] not in _CUE_LAST_CHARACTERS:
        return False
    words = text[max(0, start - _CONTEXT_CHARS) : start].rstrip(" \t,").rsplit(None, 1)
    return bool(words) and words[-1].lower() in _CUES_BEFORE


def _place_before_suffix(word: str) -> str | None:
    """The place name before a case ending set off by an apostrophe (Turkish "Bodrum'da", "Ankara'dan")."""
    name = _APOSTROPHE.split(word, 1)[0]
    return name if name != word and place_named(name) is not None else None


def _has_locative_before(text: str, start: int, language: str | None) -> bool:
    """Whether the word right before `start` puts a place after it ("in Essen", "à Nice")."""
    words = text[max(0, start - _CONTEXT_CHARS) : start].rsplit(None, 1)
    return bool(words) and words[-1].lower() in locatives(language)


def _continues_a_list(gap: str, language: str | None) -> bool:
    """Whether the text between a place and a name joins them in a list ("Leeds and York", "Halle, Leipzig")."""
    words = gap.replace(",", " ").split()
    return len(words) <= 1 and (not words or words[0].lower() in conjunctions(language))


def _trim(tokens: list[str]) -> list[str]:
    """The span without the sentence-opening words and connectors at its edges."""
    first, last = 0, len(tokens)
    while first < last and (tokens[first] in NOT_NAMES or tokens[first] in _CONNECTOR_WORDS):
        first += 1
    while last > first and (tokens[last - 1] in NOT_NAMES or tokens[last - 1] in _CONNECTOR_WORDS):
        last -= 1
    return tokens[first:last]


def _without_possessive(token: str) -> str:
    """A word without its possessive ending ("Kim's" → "Kim")."""
    if "'" not in token and "’" not in token:
        return token
    for ending in _POSSESSIVE:
        if token.endswith(ending) and len(token) > len(ending):
            return token[: -len(ending)]
    return token
