"""Function words of the article's language, for telling running prose from navigation and lists.

The word lists are jusText's stoplists (about 100 languages, built from Wikipedia by the jusText authors,
Pomikálek 2011), read through its public API. The language is the one the envelope or page declares, else the one
py3langid (the identifier the enrich step uses, workers/stages/language/identification.py) finds in a sample of the
text's longest lines.
CLDR (through Babel) gives each ISO 639-1 code's English name, which is how jusText names its lists.
"""

from __future__ import annotations

import unicodedata
from functools import cache

import justext
from babel import Locale, UnknownLocaleError

from workers.stages.language.identification import (
    SAMPLE_CHARS,
    likeliest_raw_language,
    normalise_language_tag,
    ranked_languages,
    text_sample,
)

# Languages whose CLDR English name differs from the name jusText files its stoplist under.
_JUSTEXT_NAME_OF = {
    "bn": "Bengali",
    "fy": "West_Frisian",
    "ht": "Haitian",
    "nb": "Norwegian_Bokmal",
    "nn": "Norwegian_Nynorsk",
    "no": "Norwegian_Bokmal",
    "tl": "Tagalog",
}
# The longest lines decide the language of a page whose short lines are menus and buttons; they are sampled as the
# enrich step samples the article's paragraphs, which lets it reuse the ranking when the lines are the same.
_LANGUAGES_TRIED = 8
# py3langid's languages written without spaces between words: no function-word list applies to them.
_UNSPACED = frozenset({"ja", "zh", "th", "lo", "km", "my", "bo", "dz"})

NO_WORDS: frozenset[str] = frozenset()


@cache
def _stoplist_names() -> frozenset[str]:
    return frozenset(justext.get_stoplists())


def _without_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@cache
def function_words_of(language: str) -> frozenset[str]:
    """The lower-case function words of an ISO 639 language code; empty when no list exists for it."""
    code = language.lower()
    name = _JUSTEXT_NAME_OF.get(code)
    if name is None:
        try:
            name = _without_accents(Locale.parse(code).english_name or "").replace(" ", "_")
        except (UnknownLocaleError, ValueError, TypeError):
            return NO_WORDS
    if name not in _stoplist_names():
        return NO_WORDS
    return frozenset(justext.get_stoplist(name))


def identify_language(text: str) -> str | None:
    """The language of the text's longest lines: py3langid's likeliest one that has function words here, or that
    is written without spaces between words (which none of this needs); None for a text without letters.

    Taking the likeliest language with a list, rather than the likeliest language, makes a short sample enough:
    English text that py3langid finds a shade closer to Nigerian Pidgin still gets English function words.
    """
    sample = text_sample(text, SAMPLE_CHARS)
    if not any(character.isalpha() for character in sample):
        return None
    likeliest, _probability = likeliest_raw_language(sample)
    if likeliest in _UNSPACED or function_words_of(likeliest):
        return likeliest
    ranking = ranked_languages(sample)
    for language, _score in ranking[:_LANGUAGES_TRIED]:
        if language in _UNSPACED or function_words_of(language):
            return str(language)
    return str(ranking[0][0])


def function_words_for(text: str, declared: str | None) -> frozenset[str]:
    """The function words of the declared language when there is a list for it, else of the identified one."""
    code = normalise_language_tag(declared)
    if code is not None:
        words = function_words_of(code)
        if words:
            return words
    identified = identify_language(text)
    return function_words_of(identified) if identified else NO_WORDS
