"""Text-dump cleaning: boilerplate removal, scraper-artefact repair and the body/related split."""

from __future__ import annotations

from dataclasses import dataclass

from workers.records import RelatedItem


@dataclass(frozen=True)
class TextCleaning:
    paragraphs: tuple[str, ...]
    related: tuple[RelatedItem, ...]
    byline: str | None


def clean_text_dump(text: str) -> TextCleaning:
    """Split a dump into body paragraphs (placeholder: one paragraph per non-empty line)."""
    paragraphs = tuple(line.strip() for line in text.split("\n") if line.strip())
    return TextCleaning(paragraphs=paragraphs, related=(), byline=None)
