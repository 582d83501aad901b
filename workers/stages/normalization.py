"""normalize: EnrichedArticle → the public output events (normalized article, related links)."""

from __future__ import annotations

import hashlib
from typing import Any

import msgspec

from workers.records import EnrichedArticle, RelatedItem
from workers.settings import PipelineSettings
from workers.stages.urls import domain_of


class NormalizedOutput(msgspec.Struct, frozen=True):
    article_id: str
    article: dict[str, Any]
    links: tuple[dict[str, Any], ...]


def link_id_for(article_id: str, position: int, item: RelatedItem) -> str:
    """Deterministic link id: the article, the position and what the link points at."""
    basis = "\x1f".join((article_id, str(position), item.kind, item.url or "", item.title))
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]


def _link_event(article_id: str, position: int, item: RelatedItem, version: str) -> dict[str, Any]:
    return {
        "link_id": link_id_for(article_id, position, item),
        "article_id": article_id,
        "position": position,
        "kind": item.kind,
        "title": item.title,
        "summary": item.summary,
        "source_domain": item.source_domain or domain_of(item.url),
        "url": item.url,
        "truncated": item.truncated,
        "pipeline_version": version,
    }


def normalize(article: EnrichedArticle, settings: PipelineSettings) -> NormalizedOutput:
    """Build the normalized-article event (schemas/normalized-article.v2.json) and one event per related item."""
    clean = article.clean
    event = {
        "article_id": clean.article_id,
        "raw_id": clean.raw_id,
        "pipeline_version": settings.pipeline_version,
        "source": {"url": clean.url, "domain": domain_of(clean.url), "name": clean.source_name},
        "language": article.language,
        "headline": clean.headline,
        "dateline": article.dateline,
        "byline": article.byline,
        "published_at": clean.published_at,
        "body": "\n\n".join(article.paragraphs),
        "date_mentions": [
            {"text": mention.text, "date": mention.date, "weekday_mismatch": mention.weekday_mismatch}
            for mention in article.date_mentions
        ],
        "people": [{"name": name} for name in article.entities.people],
        "organisations": [{"name": name} for name in article.entities.organisations],
        "places": [
            {"name": place.name, "geonames_id": place.geonames_id, "country_code": place.country_code}
            for place in article.entities.places
        ],
        "quotes": [{"text": quote.text, "speaker": quote.speaker} for quote in article.quotes],
        "word_count": article.word_count,
        "fingerprint": article.fingerprint,
    }
    links = tuple(
        _link_event(clean.article_id, position, item, settings.pipeline_version)
        for position, item in enumerate(clean.related, 1)
    )
    return NormalizedOutput(clean.article_id, event, links)
