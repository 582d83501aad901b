"""normalize: EnrichedArticle → the records of the public output topics (normalized article, related links)."""

from __future__ import annotations

import hashlib

import msgspec

from workers.records import ArticleSource, EnrichedArticle, Named, NormalizedArticle, RelatedItem, RelatedLink
from workers.settings import PipelineSettings
from workers.stages.common.urls import domain_of


class NormalizedOutput(msgspec.Struct, frozen=True):
    article: NormalizedArticle
    links: tuple[RelatedLink, ...]


def link_id_for(article_id: str, position: int, item: RelatedItem) -> str:
    """Deterministic link id: the article, the position and what the link points at."""
    basis = "\x1f".join((article_id, str(position), item.kind, item.url or "", item.title))
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]


def _related_link(article_id: str, position: int, item: RelatedItem, version: str) -> RelatedLink:
    return RelatedLink(
        link_id=link_id_for(article_id, position, item),
        article_id=article_id,
        position=position,
        kind=item.kind,
        title=item.title,
        summary=item.summary,
        source_domain=item.source_domain or domain_of(item.url),
        url=item.url,
        truncated=item.truncated,
        pipeline_version=version,
    )


def normalize(article: EnrichedArticle, settings: PipelineSettings) -> NormalizedOutput:
    """Build the normalized article (schemas/normalized-article.v2.json) and one related link per related item."""
    clean = article.clean
    normalized = NormalizedArticle(
        article_id=clean.article_id,
        raw_id=clean.raw_id,
        pipeline_version=settings.pipeline_version,
        source=ArticleSource(url=clean.url, domain=domain_of(clean.url), name=clean.source_name),
        language=article.language,
        headline=clean.headline,
        dateline=article.dateline,
        byline=article.byline,
        published_at=clean.published_at,
        body="\n\n".join(article.paragraphs),
        date_mentions=article.date_mentions,
        people=tuple(Named(name) for name in article.entities.people),
        organisations=tuple(Named(name) for name in article.entities.organisations),
        places=article.entities.places,
        quotes=article.quotes,
        word_count=article.word_count,
        fingerprint=article.fingerprint,
    )
    links = tuple(
        _related_link(clean.article_id, position, item, settings.pipeline_version)
        for position, item in enumerate(clean.related, 1)
    )
    return NormalizedOutput(normalized, links)
