"""Related links of an HTML page: "related / more from" blocks (kind `similar`) and links in the body (`hyperlink`).

Links are only read from the markup, never followed. URLs are made absolute against the page URL and
canonicalised (tracking parameters removed), so the same target is one URL downstream.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import msgspec
from lxml import etree, html

from workers.records import RelatedItem
from workers.stages.common.urls import canonicalize_url, domain_of
from workers.stages.html.parsing import class_and_id, element_text, squeeze

# Class or id words that name a block of links to other articles (WordPress, Taboola/Outbrain-free themes,
# and the news sites of the Zyte benchmark use these).
_RELATED_BLOCK = re.compile(
    r"(?<![a-z])(?:related|similar|more[-_ ]?(?:from|stories|news|articles|on)|recommended|also[-_ ]?read|"
    r"read[-_ ]?(?:more|next|also)|you[-_ ]?may[-_ ]?(?:also[-_ ]?)?like|further[-_ ]?reading|see[-_ ]?also)"
)
# Headings that introduce such a block when the block itself has no telling class.
_RELATED_HEADING = re.compile(
    r"^(?:related(?: (?:articles|stories|posts|news|content|coverage|links))?|more (?:from|on|stories|news)\b.*|"
    r"(?:you )?(?:may|might) also (?:like|enjoy)|read (?:more|next|also)|see also|also read|further reading|"
    r"recommended(?: for you| stories| articles)?|similar (?:articles|stories|posts))\s*:?$",
    re.IGNORECASE,
)
# A body paragraph that starts so and is mostly one link is a teaser for another article (livescience.com,
# space.com: "Related: Possible Water Plumes on Europa").
_TEASER_MARKER = re.compile(
    r"^(?:related|read more|read also|also read|see also|more|watch|listen|recommended|don'?t miss)\b[^:]{0,20}:",
    re.IGNORECASE,
)
_TEASER_LINK_SHARE = 0.5
_BLOCK_TAGS = frozenset({"div", "section", "aside", "ul", "ol", "nav"})
_HEADING_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6", "header"})
_MAX_SIMILAR = 50
_BLOCKS_WITH_LINKS = etree.XPath(
    "//p[.//a] | //li[.//a] | //blockquote[.//a] | //h2[.//a] | //h3[.//a] | //h4[.//a] | //td[.//a] | //dd[.//a]"
)
_MAX_HYPERLINKS = 200
_MIN_TITLE_CHARS = 12  # "Home", "Next", "Share" are navigation, not a related article


def _related_blocks(tree: html.HtmlElement, named: Iterable[etree._Element]) -> Iterator[etree._Element]:
    """Elements holding related-article links: named so by class/id, or following a "Related…" heading."""
    for element in named:
        if element.tag in _BLOCK_TAGS and _RELATED_BLOCK.search(class_and_id(element)):
            yield element
    for heading in tree.iter(*_HEADING_TAGS):
        if len(heading) > 5 or not _RELATED_HEADING.match(element_text(heading)):
            continue
        sibling = heading.getnext()
        if sibling is not None:
            yield sibling
        else:
            parent = heading.getparent()
            if parent is not None:
                yield parent


def _link_item(kind: str, title: str, href: str | None, page_url: str | None) -> RelatedItem | None:
    """A related item for one anchor, or None when the link goes nowhere useful (or back to the page)."""
    url = canonicalize_url(href, page_url)
    if not url or (page_url and url == canonicalize_url(page_url)):
        return None
    return RelatedItem(kind=kind, title=title, source_domain=domain_of(url), url=url)  # type: ignore[arg-type]


def _unique(items: Iterable[RelatedItem | None], seen: set[str], limit: int) -> list[RelatedItem]:
    """Items in order without repeats of a URL already seen, at most `limit`."""
    kept: list[RelatedItem] = []
    for item in items:
        if item is None or item.url is None or item.url in seen:
            continue
        seen.add(item.url)
        kept.append(item)
        if len(kept) >= limit:
            break
    return kept


def similar_links(tree: html.HtmlElement, named: Iterable[etree._Element], page_url: str | None) -> list[RelatedItem]:
    """Links with a title-like text inside the page's related-article blocks."""
    anchors: list[RelatedItem | None] = []
    visited: set[etree._Element] = set()
    for block in _related_blocks(tree, named):
        for anchor in block.iter("a"):
            if anchor in visited:
                continue
            visited.add(anchor)
            title = element_text(anchor)
            if len(title) >= _MIN_TITLE_CHARS:
                anchors.append(_link_item("similar", title[:300], anchor.get("href"), page_url))
    return _unique(anchors, set(), _MAX_SIMILAR)


class BodyLinks(msgspec.Struct, frozen=True):
    hyperlinks: tuple[RelatedItem, ...]  # links inside body paragraphs
    teasers: tuple[RelatedItem, ...]  # "Related: <a>Title</a>" paragraphs, which are links, not body text
    teaser_paragraphs: frozenset[str]  # those paragraphs' texts, to take out of the body


def _teaser(block: etree._Element, text: str, page_url: str | None) -> RelatedItem | None:
    """The related item of a paragraph that is a marker plus one link ("Related: Title"), else None."""
    if not _TEASER_MARKER.match(text):
        return None
    anchors = [anchor for anchor in block.iter("a") if element_text(anchor)]
    if len(anchors) != 1:
        return None
    title = element_text(anchors[0])
    if len(title) < len(text) * _TEASER_LINK_SHARE:
        return None
    return _link_item("similar", title[:300], anchors[0].get("href"), page_url)


def body_links(tree: html.HtmlElement, paragraphs: Iterable[str], page_url: str | None) -> BodyLinks:
    """Hyperlinks and inline teasers in the page's blocks whose text is one of the extracted body paragraphs.

    trafilatura can keep links itself (include_links), but that option changes which block it picks (on the
    Zyte benchmark F1 0.958 with it, 0.961 without), so the body's blocks are found again in the page instead.
    """
    wanted = {squeeze(paragraph) for paragraph in paragraphs}
    hyperlinks: list[RelatedItem | None] = []
    teasers: list[RelatedItem | None] = []
    teaser_texts: set[str] = set()
    for block in _BLOCKS_WITH_LINKS(tree):
        text = element_text(block)
        if text not in wanted:
            continue
        teaser = _teaser(block, text, page_url)
        if teaser is not None:
            teasers.append(teaser)
            teaser_texts.add(text)
            continue
        hyperlinks.extend(
            _link_item("hyperlink", element_text(anchor)[:300], anchor.get("href"), page_url)
            for anchor in block.iter("a")
            if element_text(anchor)
        )
    return BodyLinks(
        hyperlinks=tuple(_unique(hyperlinks, set(), _MAX_HYPERLINKS)),
        teasers=tuple(_unique(teasers, set(), _MAX_SIMILAR)),
        teaser_paragraphs=frozenset(teaser_texts),
    )


def page_links(similar: Iterable[RelatedItem], hyperlinks: Iterable[RelatedItem]) -> tuple[RelatedItem, ...]:
    """Similar links first, then body hyperlinks to other URLs; one item per URL."""
    seen: set[str] = set()
    kept = _unique(similar, seen, _MAX_SIMILAR)
    return tuple(kept + _unique(hyperlinks, seen, _MAX_HYPERLINKS))
