"""The one place records become bytes and back: orjson, with a fixed key order for byte-identical output."""

from __future__ import annotations

from typing import Any

import orjson

from workers.records import CleanArticle, RelatedItem


def dumps(value: Any) -> bytes:
    """Serialise a JSON value deterministically (sorted keys, no whitespace)."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def loads(data: bytes | str) -> Any:
    return orjson.loads(data)


def related_item_to_json(item: RelatedItem) -> dict[str, Any]:
    return {
        "kind": item.kind,
        "title": item.title,
        "summary": item.summary,
        "source_domain": item.source_domain,
        "url": item.url,
        "truncated": item.truncated,
    }


def clean_article_to_json(article: CleanArticle) -> dict[str, Any]:
    """The payload of the cleaned topic (schemas/cleaned-article.v1.json)."""
    return {
        "article_id": article.article_id,
        "raw_id": article.raw_id,
        "content_kind": article.content_kind,
        "url": article.url,
        "source_name": article.source_name,
        "headline": article.headline,
        "byline": article.byline,
        "language_hint": article.language_hint,
        "published_at": article.published_at,
        "reference_time": article.reference_time,
        "paragraphs": list(article.paragraphs),
        "related": [related_item_to_json(item) for item in article.related],
    }


def clean_article_from_json(data: dict[str, Any]) -> CleanArticle:
    return CleanArticle(
        article_id=data["article_id"],
        raw_id=data["raw_id"],
        content_kind=data["content_kind"],
        url=data.get("url"),
        source_name=data.get("source_name"),
        headline=data.get("headline"),
        byline=data.get("byline"),
        language_hint=data.get("language_hint"),
        published_at=data.get("published_at"),
        reference_time=data.get("reference_time"),
        paragraphs=tuple(data["paragraphs"]),
        related=tuple(
            RelatedItem(
                kind=item["kind"],
                title=item["title"],
                summary=item.get("summary"),
                source_domain=item.get("source_domain"),
                url=item.get("url"),
                truncated=bool(item.get("truncated", False)),
            )
            for item in data.get("related", [])
        ),
    )
