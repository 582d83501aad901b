"""Main-text extraction from HTML pages: body paragraphs, page metadata and links."""

from __future__ import annotations

from dataclasses import dataclass

from workers.records import PageMetadata, RelatedItem


@dataclass(frozen=True)
class HtmlExtraction:
    text: str  # the main text, paragraphs separated by a blank line
    metadata: PageMetadata
    links: tuple[RelatedItem, ...]  # kind "similar" (related blocks) or "hyperlink" (links in the body)


def extract_html(html: str, page_url: str | None) -> HtmlExtraction:
    """Extract the main text of an article page (placeholder: trafilatura with defaults)."""
    import trafilatura

    text = trafilatura.extract(html, url=page_url) or ""
    return HtmlExtraction(text=text, metadata=PageMetadata(), links=())
