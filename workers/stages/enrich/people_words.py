"""Each language's words for people and quotes: `data/languages/<code>/people.toml`, read once per language.

A language without a file, or no language at all, gets the English words with every language's quotation marks:
English is the language wire copy falls back on, and quotation marks are punctuation that a text of unknown
language may use in any style, whereas speech verbs and function words of several languages matched together
would collide ("so", "sa", "dit" are ordinary words elsewhere).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from workers.stages.language.data import language_data, language_folder

FALLBACK_LANGUAGE = "en"
# Straight quotes are typed in every language.
STRAIGHT_QUOTES = ('"', '"')


@dataclass(frozen=True)
class PeopleWords:
    """One language's speech verbs, titles, cue words and quotation marks, ready for lookups."""

    language: str | None
    speech_verbs: tuple[str, ...]
    according_to: tuple[str, ...]
    according_to_after: tuple[str, ...]
    pronouns: tuple[str, ...]
    determiners: tuple[str, ...]
    quotation_marks: tuple[tuple[str, str], ...]
    titles: frozenset[str]
    title_endings: tuple[str, ...]
    title_tails: frozenset[str]
    cues_before: frozenset[str]  # lower case: role_cues, verb_cues and one-word according-to phrases
    role_cues: frozenset[str]  # lower case: the file's cues_before and titles
    verb_cues: frozenset[str]  # lower case: the last word of each speech verb, and according-to words
    cues_after: tuple[str, ...]  # speech verbs, the file's cues_after and according_to_after
    not_names: frozenset[str]
    demonyms: frozenset[str]
    noun_phrase_openers: frozenset[str]
    apostrophe_suffixes: bool
    dash_opens_quote: bool
    name_case_endings: tuple[str, ...]

    def is_title(self, word: str) -> bool:
        """Whether a capitalised word introduces a person's name ("President", "Finanzminister")."""
        return word in self.titles or (bool(self.title_endings) and word.casefold().endswith(self.title_endings))

    def is_role(self, word: str) -> bool:
        """Whether a word is a role or title in any case ("ministre", "líder"), not a speech verb."""
        lowered = word.lower()
        return lowered in self.role_cues or (bool(self.title_endings) and lowered.endswith(self.title_endings))

    def is_verb(self, word: str) -> bool:
        """Whether a word ends a speech verb or is an according-to word ("said", "déclaré", "selon")."""
        return word.lower() in self.verb_cues

    def is_cue_before(self, word: str) -> bool:
        """Whether a word right before a name says it is a person ("leader", "selon", "utrikesminister")."""
        lowered = word.lower()
        return lowered in self.cues_before or (bool(self.title_endings) and lowered.endswith(self.title_endings))


def supported_languages() -> tuple[str, ...]:
    """The codes that have their own people.toml."""
    return tuple(language_data("people"))


@cache
def people_words(language: str | None) -> PeopleWords:
    """The words of `language` (an ISO 639-1 code); English words and every style of quotes when it has none."""
    tables = language_data("people")
    code = language_folder(language) if language else language
    if code in tables:
        return _people_words(code, tables[code], _marks(tables[code]))
    every_style = _marks(*tables.values())
    return _people_words(None, tables[FALLBACK_LANGUAGE], every_style)


def _marks(*tables: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """Straight quotes, then the tables' pairs of opening and closing marks, each once."""
    pairs: dict[tuple[str, str], None] = {STRAIGHT_QUOTES: None}
    for table in tables:
        pairs.update(((pair[0], pair[1]), None) for pair in table.get("quotation_marks", ()))
    return tuple(pairs)


def _people_words(code: str | None, table: dict[str, Any], marks: tuple[tuple[str, str], ...]) -> PeopleWords:
    """A table's words, with each title in both capitalisations and the cue words derived from verbs and titles."""

    def strings(key: str) -> tuple[str, ...]:
        return tuple(table.get(key, ()))

    titles = strings("titles")
    speech_verbs = strings("speech_verbs")
    according_to = strings("according_to")
    role_cues = {*strings("cues_before"), *(title.lower() for title in titles)}
    cues_before = {
        *role_cues,
        *_last_words(speech_verbs),
        *(phrase.lower() for phrase in according_to if " " not in phrase),
    }
    return PeopleWords(
        language=code,
        speech_verbs=speech_verbs,
        according_to=according_to,
        according_to_after=strings("according_to_after"),
        pronouns=strings("pronouns"),
        determiners=strings("determiners"),
        quotation_marks=marks,
        titles=frozenset((*titles, *(title[:1].upper() + title[1:] for title in titles))),
        title_endings=strings("title_endings"),
        title_tails=frozenset(strings("title_tails")),
        cues_before=frozenset(cues_before),
        role_cues=frozenset(role_cues),
        verb_cues=frozenset(cues_before - role_cues),
        cues_after=(*speech_verbs, *strings("cues_after"), *strings("according_to_after")),
        not_names=frozenset(strings("not_names")),
        demonyms=frozenset(strings("demonyms")),
        noun_phrase_openers=frozenset(strings("noun_phrase_openers")),
        apostrophe_suffixes=bool(table.get("apostrophe_suffixes", False)),
        dash_opens_quote=bool(table.get("dash_opens_quote", False)),
        name_case_endings=tuple(sorted(strings("name_case_endings"), key=len, reverse=True)),
    )


def _last_words(phrases: Iterable[str]) -> Iterable[str]:
    """The last word of each phrase, lower-cased ("a déclaré" → "déclaré")."""
    return (phrase.split()[-1].lower() for phrase in phrases if phrase.strip())


def declined_form_of(name: str, word: str, endings: tuple[str, ...]) -> bool:
    """Whether `name` is `word` with a case ending ("Kowalskiego" of "Kowalski", "Kowalskiej" of "Kowalska")."""
    if name == word:
        return True
    for ending in endings:
        if name.endswith(ending) and len(name) - len(ending) >= 3:
            stem = name[: -len(ending)]
            if word == stem or (word[:-1] == stem and len(word) > len(stem)):
                return True
    return False
