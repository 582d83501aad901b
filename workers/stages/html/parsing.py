"""HTML → lxml tree, bounded: one parse per page, shared by text, metadata and link extraction."""

from __future__ import annotations

import re

from lxml import etree, html

from workers.records import StageFailure

# lxml's HTML parser (libxml2) already stops nesting at 255 levels and ignores network access; the parser
# drops comments and processing instructions, which no later step needs.
_PARSER = html.HTMLParser(
    collect_ids=False, default_doctype=False, remove_comments=True, remove_pis=True, no_network=True
)
# An XML declaration naming an encoding makes lxml refuse an already decoded str.
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]{0,200}>", re.IGNORECASE)


def parse_page(page: str) -> html.HtmlElement:
    """Parse a decoded page into an lxml tree; `not_an_article` when nothing parseable is there."""
    page = _XML_DECLARATION.sub("", page, count=1)
    if not page.strip():
        raise StageFailure("not_an_article", "the page is empty")
    try:
        tree = html.document_fromstring(page, parser=_PARSER)
    except (etree.ParserError, ValueError) as error:
        raise StageFailure("not_an_article", f"the page is not parseable HTML: {error}") from None
    if tree is None or not isinstance(tree, html.HtmlElement):
        raise StageFailure("not_an_article", "the page has no HTML document")
    return tree


# XPath's normalize-space runs in C: on the Zyte pages it is several times faster than joining itertext().
_NORMALIZED_TEXT = etree.XPath("normalize-space()")
_XML_SPACE = re.compile(r"[ \t\n\r]+")


def element_text(element: etree._Element) -> str:
    """An element's text with runs of whitespace collapsed (XPath normalize-space)."""
    return str(_NORMALIZED_TEXT(element))


def squeeze(text: str) -> str:
    """A string with whitespace collapsed exactly as element_text does, to compare the two."""
    return _XML_SPACE.sub(" ", text).strip()


def class_and_id(element: etree._Element) -> str:
    """An element's class and id attributes, lower-cased, for rules on block names."""
    return f"{element.get('class') or ''} {element.get('id') or ''}".lower()


_NAMED = etree.XPath("//*[@class or @id]")


def named_elements(tree: etree._Element) -> list[etree._Element]:
    """The elements that carry a class or an id, in document order (the ones class/id rules look at)."""
    return list(_NAMED(tree))


# Elements whose text no reader sees; block elements, after which a browser's innerText breaks the line.
_UNSEEN = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "head", "object", "select", "title"})
_BLOCKS = frozenset(
    """address article aside blockquote body br dd details dialog div dl dt fieldset figcaption figure footer form
    h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody td th thead tfoot tr ul caption
    center menu legend button""".split()
)


def page_text(tree: etree._Element) -> str:
    """The page as a reader's copy-all gives it (a browser's innerText): a line per block, inline text joined.

    The text-dump body model reads this when the HTML extractor's body is in doubt.
    """
    parts: list[str] = []

    def walk(element: etree._Element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in _UNSEEN:
            if element.tail:
                parts.append(element.tail)
            return
        block = tag in _BLOCKS
        if block:
            parts.append("\n")
        if element.text:
            parts.append(element.text)
        for child in element:
            walk(child)
        if block:
            parts.append("\n")
        if element.tail:
            parts.append(element.tail)

    body = tree.find("body")
    walk(body if body is not None else tree)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)
