"""newsflow's own boilerplate rules for HTML pages: what to prune before extraction and trim after it."""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree, html

from workers.records import PageMetadata, StageFailure
from workers.stages.html.parsing import class_and_id, element_text, squeeze

# Words in a block's class or id that mark it as never being article text: reader comments, newsletter and
# share prompts, related-article teasers (their links are read before pruning), print/reprint tools, tag
# clouds, and the hover cards some sites nest inside body links (thehill.com "rollover-people").
_BOILERPLATE_NAMES = re.compile(
    r"(?<![a-z])(?:comments?|comment-?list|disqus|respond|newsletters?|subscribe|subscription|signup|"
    r"share|sharing|related|recommended|read-more(?:-big)?|more-from|also-on|latest-news(?:-box)?|"
    r"popular|trending|outbrain|taboola|promo|reprints?|print-tools|article-tools|tags|tag-?list|rollover-\w+|"
    r"breadcrumbs?|author-bio)(?![a-z])"
)
_ERROR_PAGE_TITLE = re.compile(
    r"^\W*(?:error\s*)?(?:404|410|500)\b|\b(?:page|article|content)\s+(?:not\s+found|does\s*n[o']t\s+exist|"
    r"is\s+(?:no\s+longer\s+)?unavailable)|^\W*not\s+found\W*$|seite\s+nicht\s+gefunden|"
    r"p[aá]gina\s+n[aã]o\s+encontrada|p[aá]gina\s+no\s+encontrada|page\s+introuvable",
    re.IGNORECASE,
)
# A class word that also names the main content ("entry-content-read-more") does not mark boilerplate.
_CONTENT_NAMES = re.compile(r"content|body|entry|story|article-text")
_LIST_MARKER = re.compile(r"^(?:[-*•] |\d{1,3}\. )")
_TEXT_BLOCK_TAGS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "a", "span", "div", "dd", "dt", "td")
# Blocks that hold the article as a whole must survive a misleading class ("article comments-enabled").
_NEVER_PRUNED = frozenset({"html", "body", "article", "main"})


def reject_non_article(tree: html.HtmlElement, metadata: PageMetadata) -> None:
    """Raise `not_an_article` for error pages, told by their <title> or first <h1>.

    Cookie walls and empty shells need no rule here: their main text is too short and the clean stage
    dead-letters them after text cleaning.
    """
    title = tree.find(".//title")
    heading = tree.find(".//h1")
    for element in (title, heading):
        text = element_text(element) if element is not None else ""
        if text and _ERROR_PAGE_TITLE.search(text):
            raise StageFailure("not_an_article", f"an error page: {text[:100]!r}")


def is_boilerplate_name(names: str) -> bool:
    """True when one of a block's class/id words names boilerplate and that word does not name the content."""
    if not _BOILERPLATE_NAMES.search(names):
        return False
    return any(_BOILERPLATE_NAMES.search(word) and not _CONTENT_NAMES.search(word) for word in names.split())


def boilerplate_texts(named: Iterable[etree._Element]) -> frozenset[str]:
    """The texts of every block inside the page's boilerplate-named blocks, whitespace-collapsed.

    These blocks are not pruned from the page before extraction: removing them changes which block
    trafilatura picks as the article (on barrons.com, dropping the print tools lost the whole body).
    Paragraphs of the extraction that are exactly one of these texts are dropped afterwards instead.
    """
    texts: set[str] = set()
    covered: set[etree._Element] = set()  # inside a block already read: reading it again adds nothing
    for element in named:
        if element in covered or element.tag in _NEVER_PRUNED or not is_boilerplate_name(class_and_id(element)):
            continue
        for block in element.iter(*_TEXT_BLOCK_TAGS):
            covered.add(block)
            text = element_text(block)
            if text:
                texts.add(text)
    return frozenset(texts)


def _squeezed(text: str) -> str:
    return " ".join(text.split()).casefold()


def drop_heading_blocks(body: etree._Element, headline: str | None) -> None:
    """Remove the headline and the standfirst headings that trafilatura keeps above the first paragraph.

    The headline is its own field; the benchmark's bodies (and readers of `body`) start at the first paragraph.
    """
    title = _squeezed(headline or "")
    for child in list(body):
        if child.tag != "head" and _squeezed("".join(child.itertext())) != title:
            break
        body.remove(child)


def trim_paragraphs(paragraphs: list[str], boilerplate: frozenset[str]) -> list[str]:
    """Drop paragraphs that are page furniture rather than article text."""
    return [paragraph for paragraph in paragraphs if squeeze(_LIST_MARKER.sub("", paragraph)) not in boilerplate]
