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
