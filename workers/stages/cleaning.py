"""clean: RawArticle → CleanArticle. Text dumps and HTML pages end up as the same clean record."""

from __future__ import annotations

import hashlib

from workers.records import CleanArticle, DeadLetterReason, PageMetadata, RawArticle, RelatedItem, StageFailure
from workers.settings import PipelineSettings
from workers.stages.common.urls import canonicalize_url
from workers.stages.decoding import normalize_text
from workers.stages.html.extraction import extract_html, whole_page_text
from workers.stages.text.dump_cleaning import TextCleaning, clean_text_dump

# When the HTML extractor's cleaned body holds less than this share of what the evidence expects (the extractor's
# own text, the page's JSON-LD wordCount or articleBody), a second opinion is taken before anything is lost.
_SECOND_OPINION_BELOW = 0.5


def article_id_for(canonical_url: str | None, paragraphs: tuple[str, ...]) -> str:
    """Deterministic article id: from the canonical URL when there is one, else from the body."""
    basis = f"url:{canonical_url}" if canonical_url else "body:" + "\n\n".join(paragraphs)
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]


def _words(cleaning: TextCleaning) -> int:
    return sum(len(paragraph.split()) for paragraph in cleaning.paragraphs)


def _chars(cleaning: TextCleaning) -> int:
    return sum(map(len, cleaning.paragraphs))


def html_body(page: str, extracted_text: str, metadata: PageMetadata, settings: PipelineSettings) -> TextCleaning:
    """The body of an HTML page: the extractor's, unless the evidence says it lost most of the article.

    Then the publisher's JSON-LD articleBody and the text-dump body model over the whole page's text are weighed
    too: the candidate whose length is closest to the page's own word count (wordCount, else articleBody's) wins;
    without either, the longest one, since what is at stake is an article dropped or cut short.
    """
    extracted = clean_text_dump(extracted_text, find_body=False)
    expected_words = metadata.word_count or (len(metadata.article_body.split()) if metadata.article_body else None)
    words, chars = _words(extracted), _chars(extracted)
    in_doubt = (
        chars < settings.min_body_chars
        or chars < _SECOND_OPINION_BELOW * len(extracted_text)
        or (expected_words is not None and words < _SECOND_OPINION_BELOW * expected_words)
    )
    if not in_doubt:
        return extracted
    candidates = [extracted]
    if metadata.article_body:
        candidates.append(clean_text_dump(normalize_text(metadata.article_body), find_body=False))
    text = normalize_text(whole_page_text(page))
    candidates.append(clean_text_dump(text, declared_language=metadata.language))
    if expected_words:
        return min(candidates, key=lambda candidate: abs(_words(candidate) - expected_words))
    return max(candidates, key=_chars)


def clean(article: RawArticle, settings: PipelineSettings) -> CleanArticle:
    """Cut the article body out of its dump or page and set its related items apart."""
    metadata_headline = metadata_byline = metadata_language = published_at = None
    url = article.url
    links: tuple[RelatedItem, ...] = ()
    if article.content_kind == "html":
        extraction = extract_html(article.content, article.url)
        metadata = extraction.metadata
        cleaned = html_body(article.content, normalize_text(extraction.text), metadata, settings)
        metadata_headline = normalize_text(metadata.headline) if metadata.headline else None
        metadata_byline = normalize_text(metadata.byline) if metadata.byline else None
        metadata_language, published_at = metadata.language, metadata.published_at
        url = url or metadata.canonical_url
        links = extraction.links
    else:
        cleaned = clean_text_dump(article.content, declared_language=article.language)
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
