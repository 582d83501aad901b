"""clean: RawArticle → CleanArticle. Text dumps and HTML pages end up as the same clean record."""

from __future__ import annotations

import hashlib

from workers.records import CleanArticle, DeadLetterReason, RawArticle, RelatedItem, StageFailure
from workers.settings import PipelineSettings
from workers.stages.decoding import normalize_text
from workers.stages.function_words import function_words_for
from workers.stages.html_extraction import extract_html
from workers.stages.text_cleaning import clean_text_dump
from workers.stages.urls import canonicalize_url


def article_id_for(canonical_url: str | None, paragraphs: tuple[str, ...]) -> str:
    """Deterministic article id: from the canonical URL when there is one, else from the body."""
    basis = f"url:{canonical_url}" if canonical_url else "body:" + "\n\n".join(paragraphs)
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]


def clean(article: RawArticle, settings: PipelineSettings) -> CleanArticle:
    """Cut the article body out of its dump or page and set its related items apart."""
    metadata_headline = metadata_byline = metadata_language = published_at = None
    url = article.url
    links: tuple[RelatedItem, ...] = ()
    if article.content_kind == "html":
        extraction = extract_html(article.content, article.url)
        text = normalize_text(extraction.text)
        metadata = extraction.metadata
        metadata_headline = normalize_text(metadata.headline) if metadata.headline else None
        metadata_byline = normalize_text(metadata.byline) if metadata.byline else None
        metadata_language, published_at = metadata.language, metadata.published_at
        url = url or metadata.canonical_url
        links = extraction.links
    else:
        text = article.content
    if article.content_kind == "html":  # the extractor has cut the body out of the page already
        cleaned = clean_text_dump(text, find_body=False)
    else:
        cleaned = clean_text_dump(text, function_words_for(text, article.language))
    paragraphs = cleaned.paragraphs
    if sum(len(paragraph) for paragraph in paragraphs) < settings.min_body_chars:
        reason: DeadLetterReason = (
            "not_an_article" if article.content_kind == "html" and not paragraphs else "empty_after_cleaning"
        )
        raise StageFailure(reason, f"{sum(map(len, paragraphs))} characters of body left after cleaning")
    canonical_url = canonicalize_url(url)
    return CleanArticle(
        article_id=article_id_for(canonical_url, paragraphs),
        raw_id=article.raw_id,
        content_kind=article.content_kind,
        paragraphs=paragraphs,
        related=cleaned.related + links,
        url=canonical_url,
        source_name=article.source_name,
        headline=article.title or metadata_headline,
        byline=cleaned.byline or metadata_byline,
        language_hint=article.language or metadata_language,
        published_at=published_at,
        reference_time=article.reference_time,
    )
