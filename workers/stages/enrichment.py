"""enrich: CleanArticle → EnrichedArticle. Dateline, byline, language, dates, entities, quotes, fingerprint.

Each concern lives in its own module (datelines, bylines, languages, dates, entities, quotes, fingerprints); this
module only composes them. The body is tokenised once and the words are shared by the word count and the fingerprint.
"""

from __future__ import annotations

import re

import msgspec

from workers.records import CleanArticle, EnrichedArticle, Entities, Quote
from workers.settings import PipelineSettings
from workers.stages.enrich.bylines import split_byline
from workers.stages.enrich.datelines import split_dateline
from workers.stages.enrich.dates import find_date_mentions
from workers.stages.enrich.entities import find_entities, fold_surnames, full_name
from workers.stages.enrich.fingerprints import fingerprint
from workers.stages.enrich.quotes import find_quotes
from workers.stages.language.identification import article_language

_WORD = re.compile(r"\w+")
_PARAGRAPH_BREAK = "\n\n"
# Characters that are never part of a \w+ word and often end or open one ("said,", "(Oct").
_EDGE_PUNCTUATION = ",.;:!?\"'()[]{}«»“”‘’—–-…/"


def words_of(text: str) -> list[str]:
    r"""The \w+ words of `text`, as `re.findall(r"\w+", text)` gives them, about a third cheaper than the regex.

    Most whitespace-separated tokens are one word with punctuation at its edges: stripping that punctuation
    (none of it is a word character) and finding the rest alphanumeric settles them with C-level calls; the
    others (inner punctuation, underscores) go through the regex.
    """
    words: list[str] = []
    for token in text.split():
        if token.isalnum():
            words.append(token)
            continue
        stripped = token.strip(_EDGE_PUNCTUATION)
        if stripped.isalnum():
            words.append(stripped)
        elif stripped:
            words.extend(_WORD.findall(stripped))
    return words


def with_speakers(entities: Entities, quotes: tuple[Quote, ...], body: str) -> Entities:
    """The entities with each quote's named speaker among the people (a speech verb is a person's surest cue).

    People stay in the order the body first names them.
    """
    speakers = [quote.speaker for quote in quotes if quote.speaker and quote.speaker not in entities.people]
    if not speakers:
        return entities
    people = fold_surnames(tuple(dict.fromkeys((*entities.people, *speakers))))
    return msgspec.structs.replace(entities, people=tuple(sorted(people, key=body.find)))


def enrich(article: CleanArticle, settings: PipelineSettings) -> EnrichedArticle:
    """Take the byline and dateline off the body, then find its language, dates, names, quotes and fingerprint."""
    found_byline, paragraphs = split_byline(article.paragraphs)
    dateline, paragraphs = split_dateline(paragraphs)
    body = _PARAGRAPH_BREAK.join(paragraphs)
    words = words_of(body)
    # First: people and quotes are found with the words of the article's language.
    language = article_language(article.language_hint, article.paragraphs)
    entities = find_entities(body, dateline, language)
    quotes = tuple(
        Quote(quote.text, full_name(quote.speaker, entities.people, language) if quote.speaker else None)
        for quote in find_quotes(paragraphs, entities.people, language)
    )
    return EnrichedArticle(
        clean=article,
        paragraphs=paragraphs,
        dateline=dateline,
        byline=article.byline or found_byline,
        language=language,
        date_mentions=find_date_mentions(body, article.reference_time, language),
        entities=with_speakers(entities, quotes, body),
        quotes=quotes,
        word_count=len(words),
        fingerprint=fingerprint(words),
    )
