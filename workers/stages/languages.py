"""Language: an ISO 639-1 code from the source's hint, else from the text's script or its function words.

The detector is deliberately small and deterministic: non-Latin scripts decide the language on their own (with
Ukrainian told from Russian by its own letters, Japanese from Chinese by its kana); Latin-script text is scored
by how many of its words are frequent function words of each supported language.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from workers.stages import speedups

# Enough text to decide; a longer sample only costs time.
_SAMPLE_CHARS = 2000
_SAMPLE_WORDS = 400
_MIN_STOPWORD_HITS = 2  # below this a text ("Hello world") gives no evidence for any language

# ISO 639-2/3 codes of the supported languages, as "three:two" pairs.
_THREE_LETTER_PAIRS = (
    "eng:en deu:de ger:de fra:fr fre:fr spa:es ita:it por:pt nld:nl dut:nl swe:sv pol:pl ind:id rus:ru ukr:uk "
    "ara:ar zho:zh chi:zh jpn:ja kor:ko ell:el gre:el heb:he hin:hi tha:th"
)
_THREE_LETTER_CODES = dict(pair.split(":") for pair in _THREE_LETTER_PAIRS.split())
_WORD = re.compile(r"\w+")
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?=$|[-_])")

_STOPWORDS: dict[str, frozenset[str]] = {
    language: frozenset(words.split())
    for language, words in {
        "en": "the and of to in is that for was with said on he it as by his at from have has are were which this "
        "will would been not but they who",
        "de": "der die und das ist nicht ein eine ich sie es mit den auf sich des dem auch von wird wurde hat nach "
        "bei für zu im aus noch sind oder",
        "fr": "le la les et des est une un du que qui dans pour pas sur au avec ce il elle sont par plus aux ont été "
        "mais cette",
        "es": "el la los las y que de en del un una es por con para se su al lo como más pero fue ha sus este esta "
        "también",
        "it": "il lo la gli le e di che è un una per non del della dei delle nel con sono si ha anche più al alla "
        "questo come",
        "pt": "o a os as e de do da dos das que em um uma não no na para com por se mais foi ao é são também seu sua",
        "nl": "de het een en van is dat op niet te zijn met voor die er aan ook als maar bij wordt werd door naar "
        "heeft hij zij dit",
        "sv": "och att det som en är av för på med till den har inte om ett var jag men de sig så kan från vid "
        "eller också under",
        "pl": "i w z na się nie do że to jest o jak po przez od za dla co ale jego już tak jej być czy też przy oraz",
        "id": "yang dan di ini itu dengan untuk dari dalam tidak akan pada juga ke ada karena oleh adalah bisa sudah "
        "mereka kami saat atau lebih telah tersebut",
    }.items()
}
# Function words as written in running text: lower-case, or capitalised at a sentence start; so that the words of
# a text can be looked up as they are, without lower-casing each of them.
_LANGUAGES_OF_WORD: dict[str, tuple[str, ...]] = {}
for _language, _words in _STOPWORDS.items():
    for _word in _words:
        for _form in dict.fromkeys((_word, _word.capitalize())):
            _LANGUAGES_OF_WORD[_form] = (*_LANGUAGES_OF_WORD.get(_form, ()), _language)
# The votes of a function word, packed into one int: a 12-bit field per language, in _STOPWORDS order. Summing
# these ints (C-level) counts the hits of every language at once; a field cannot overflow, since at most
# _SAMPLE_WORDS (400 < 4096) words are scored.
_LANGUAGE_ORDER = tuple(_STOPWORDS)
_FIELD_BITS = 12
_FIELD_MASK = (1 << _FIELD_BITS) - 1
_VOTES_OF_WORD = {
    form: sum(1 << (_FIELD_BITS * _LANGUAGE_ORDER.index(language)) for language in languages)
    for form, languages in _LANGUAGES_OF_WORD.items()
}
_LONGEST_VOTING_WORD = max(map(len, _VOTES_OF_WORD))

# Letters outside Latin (Basic Latin to Latin Extended Additional); their absence skips script counting.
_NON_LATIN_LETTER = re.compile(r"[^\W\d_\u0000-\u024f\u1e00-\u1eff]")
_KANA = re.compile(r"[\u3040-\u30ff]+")
_HAN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]+")
_SCRIPTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("latin", re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]+")),
    ("cyrillic", re.compile(r"[\u0400-\u04ff]+")),
    ("arabic", re.compile(r"[\u0600-\u06ff\u0750-\u077f]+")),
    ("hebrew", re.compile(r"[\u0590-\u05ff]+")),
    ("greek", re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]+")),
    ("devanagari", re.compile(r"[\u0900-\u097f]+")),
    ("thai", re.compile(r"[\u0e00-\u0e7f]+")),
    ("hangul", re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]+")),
    ("kana", _KANA),
    ("han", _HAN),
)
_SCRIPT_LANGUAGE = {"arabic": "ar", "hebrew": "he", "greek": "el", "devanagari": "hi", "thai": "th", "hangul": "ko"}
_UKRAINIAN_LETTERS = re.compile(r"[іїєґІЇЄҐ]")
_JAPANESE_KANA_SHARE = 0.1  # Japanese prose is rarely under a tenth kana; Chinese has none


def normalise_language_tag(tag: str | None) -> str | None:
    """The ISO 639-1 code of a language tag ("en-GB" → "en", "deu" → "de"), or None when it has none."""
    if not tag:
        return None
    match = _LANGUAGE_TAG.match(tag.strip())
    if match is None:
        return None
    code = match.group().lower()
    return code if len(code) == 2 else _THREE_LETTER_CODES.get(code)


def detect_language(text: str, words: Sequence[str] | None = None) -> str | None:
    """The ISO 639-1 code of the text's language, or None when the text gives too little evidence.

    `words` may pass the text's \\w+ words when the caller has them already.
    """
    sample = text[:_SAMPLE_CHARS]
    if _has_non_latin_letter(sample):
        script = _dominant_script(sample)
        if script != "latin":
            return _language_of_script(script, sample)
    if words is None:
        words = _WORD.findall(sample)
    return _language_of_words(words[:_SAMPLE_WORDS])


def _has_non_latin_letter(sample: str) -> bool:
    if speedups.compiled is not None:  # one pass without the regex engine's per-character class test
        return speedups.compiled.has_non_latin_letter(sample)
    return _NON_LATIN_LETTER.search(sample) is not None


def _language_of_words(words: Sequence[str]) -> str | None:
    """Score every language by its function-word hits; ties go to the language listed first."""
    if speedups.compiled is not None:  # the same sum in one C loop that skips words longer than any key
        votes = speedups.compiled.vote_sum(words, _VOTES_OF_WORD, _LONGEST_VOTING_WORD)
    else:
        votes = sum(map(_VOTES_OF_WORD.__getitem__, filter(_VOTES_OF_WORD.__contains__, words)))
    scores = [votes >> (_FIELD_BITS * index) & _FIELD_MASK for index in range(len(_LANGUAGE_ORDER))]
    best = max(range(len(scores)), key=scores.__getitem__)
    return _LANGUAGE_ORDER[best] if scores[best] >= _MIN_STOPWORD_HITS else None


def _dominant_script(sample: str) -> str:
    """The script with the most letters in the sample."""
    counts = {name: sum(map(len, pattern.findall(sample))) for name, pattern in _SCRIPTS}
    return max(counts, key=counts.__getitem__)


def _language_of_script(script: str, sample: str) -> str | None:
    """The language a non-Latin script stands for."""
    if script == "cyrillic":
        return "uk" if _UKRAINIAN_LETTERS.search(sample) else "ru"
    if script in ("han", "kana"):
        kana = sum(map(len, _KANA.findall(sample)))
        han = sum(map(len, _HAN.findall(sample)))
        return "ja" if kana >= _JAPANESE_KANA_SHARE * (kana + han) else "zh"
    return _SCRIPT_LANGUAGE.get(script)
