"""enrich: CleanArticle → EnrichedArticle. Dateline, byline, language, dates, entities, quotes, fingerprint."""

from __future__ import annotations

import hashlib
import re

from workers.records import CleanArticle, EnrichedArticle, Entities
from workers.settings import PipelineSettings

_WORD = re.compile(r"\w+")


def enrich(article: CleanArticle, settings: PipelineSettings) -> EnrichedArticle:
    """Placeholder enrichment: word count and a body hash only."""
    body = "\n\n".join(article.paragraphs)
    return EnrichedArticle(
        clean=article,
        paragraphs=article.paragraphs,
        dateline=None,
        byline=article.byline,
        language=article.language_hint,
        date_mentions=(),
        entities=Entities(),
        quotes=(),
        word_count=len(_WORD.findall(body)),
        fingerprint=hashlib.sha256(body.encode()).hexdigest()[:16],
    )
