"""Page metadata from an HTML tree: headline, byline, published time, canonical URL, site name, language.

Sources, most trusted first: schema.org JSON-LD, then OpenGraph / article:* meta tags, then plain HTML
(<h1>, <title>, <link rel=canonical>, <html lang>).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import orjson
from lxml import etree, html

from workers.records import PageMetadata
from workers.stages.common.urls import canonicalize_url
from workers.stages.html.parsing import element_text
from workers.timestamps import format_rfc3339

_ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "blogposting",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "webpage",
        "techarticle",
        "scholarlyarticle",
        "liveblogposting",
        "report",
        "socialmediaposting",
    }
)
_MAX_JSON_LD_CHARS = 500_000  # a bigger script is data, not page metadata, and not worth parsing
_MAX_FIELD_CHARS = 500
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")
_BYLINE_PREFIX = re.compile(r"^\s*by\s+", re.IGNORECASE)
_TITLE_SUFFIX = re.compile(r"\s+[|\-–—:]\s+[^|\-–—:]{2,60}$")


def _short(value: Any) -> str | None:
    """A non-empty, whitespace-collapsed, bounded string, or None."""
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())[:_MAX_FIELD_CHARS]
    return text or None


def _meta_values(tree: html.HtmlElement) -> dict[str, str]:
    """First content of each <meta> by its property, name or itemprop, keys lower-cased."""
    values: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop")
        content = _short(meta.get("content"))
        if key and content:
            values.setdefault(key.strip().lower(), content)
    return values


def _json_ld_objects(tree: html.HtmlElement) -> Iterator[dict[str, Any]]:
    """Every JSON object in the page's JSON-LD scripts, @graph members included."""
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        source = script.text or ""
        if len(source) > _MAX_JSON_LD_CHARS:
            continue
        try:
            data = orjson.loads(source.strip())
        except orjson.JSONDecodeError:
            continue
        pending = data if isinstance(data, list) else [data]
        for item in pending[:50]:
            if not isinstance(item, dict):
                continue
            yield item
            graph = item.get("@graph")
            if isinstance(graph, list):
                yield from (member for member in graph[:50] if isinstance(member, dict))


def _is_article(item: dict[str, Any]) -> bool:
    kinds = item.get("@type")
    names = kinds if isinstance(kinds, list) else [kinds]
    return any(isinstance(name, str) and name.lower() in _ARTICLE_TYPES for name in names)


def _names(value: Any) -> list[str]:
    """Names from a JSON-LD author/publisher value: a string, an object with a name, or a list of those."""
    values = value if isinstance(value, list) else [value]
    names = []
    for item in values[:10]:
        name = _short(item.get("name")) if isinstance(item, dict) else _short(item)
        if name and not name.startswith("http"):
            names.append(name)
    return names


def _json_ld_article(tree: html.HtmlElement) -> dict[str, Any]:
    """The page's article object from JSON-LD (the first article-like one), or an empty dict."""
    fallback: dict[str, Any] = {}
    for item in _json_ld_objects(tree):
        if _is_article(item):
            if str(item.get("@type")).lower() != "webpage":
                return item
            fallback = fallback or item
    return fallback


def normalize_timestamp(value: str | None) -> str | None:
    """An RFC 3339 UTC timestamp from an ISO 8601 one with a zone; None when the zone or the time is missing.

    A time without a zone cannot be placed on the timeline without guessing, so it is left out.
    """
    if not value:
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    # Python before 3.11 rejects "+0000"; 3.11 accepts it, but be explicit about the common forms.
    text = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", text)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None or ("T" not in text.upper() and " " not in text):
        return None
    return format_rfc3339(moment)


def _headline(tree: html.HtmlElement, meta: dict[str, str], article: dict[str, Any]) -> str | None:
    """JSON-LD headline, else og:title, else the first <h1>, else <title> without its site suffix."""
    for candidate in (_short(article.get("headline")), meta.get("og:title"), meta.get("twitter:title")):
        if candidate:
            return candidate
    for heading in tree.iter("h1"):
        text = _short(element_text(heading))
        if text:
            return text
    title = tree.find(".//title")
    text = _short(element_text(title)) if title is not None else None
    return _TITLE_SUFFIX.sub("", text) if text else None


def _byline(meta: dict[str, str], article: dict[str, Any]) -> str | None:
    """Author names from JSON-LD, else the author meta tags (URLs of author pages are not names)."""
    names = _names(article.get("author"))
    if names:
        return ", ".join(dict.fromkeys(names))
    for key in ("author", "article:author", "sailthru.author", "parsely-author", "dc.creator"):
        value = meta.get(key)
        if value and not value.startswith("http"):
            return _BYLINE_PREFIX.sub("", value)
    return None


def _published_at(meta: dict[str, str], article: dict[str, Any]) -> str | None:
    """The first zoned publication timestamp among JSON-LD and the usual meta tags."""
    candidates = [article.get("datePublished") if isinstance(article.get("datePublished"), str) else None]
    candidates += [
        meta.get(key)
        for key in ("article:published_time", "datepublished", "pubdate", "publishdate", "dc.date.issued", "date")
    ]
    for candidate in candidates:
        timestamp = normalize_timestamp(candidate)
        if timestamp:
            return timestamp
    return None


def _canonical_url(tree: html.HtmlElement, meta: dict[str, str], page_url: str | None) -> str | None:
    """<link rel=canonical>, else og:url, resolved against the page URL and canonicalised."""
    for link in tree.iter("link"):
        if (link.get("rel") or "").strip().lower() == "canonical" and link.get("href"):
            url = canonicalize_url(link.get("href"), page_url)
            if url:
                return url
    return canonicalize_url(meta.get("og:url"), page_url)


def _site_name(meta: dict[str, str], article: dict[str, Any]) -> str | None:
    names = _names(article.get("publisher"))
    return meta.get("og:site_name") or meta.get("application-name") or (names[0] if names else None)


def _language(tree: html.HtmlElement, meta: dict[str, str], article: dict[str, Any]) -> str | None:
    """<html lang>, else og:locale, else JSON-LD inLanguage; as a lower-case tag with hyphens."""
    for candidate in (tree.get("lang"), tree.get("xml:lang"), meta.get("og:locale"), article.get("inLanguage")):
        if isinstance(candidate, str) and _LANGUAGE_TAG.match(candidate.strip()):
            return candidate.strip().lower().replace("_", "-")
    return None


def extract_metadata(tree: html.HtmlElement, page_url: str | None) -> PageMetadata:
    """Everything PageMetadata holds, read from the page's own markup (never fetched)."""
    meta = _meta_values(tree)
    article = _json_ld_article(tree)
    return PageMetadata(
        headline=_headline(tree, meta, article),
        byline=_byline(meta, article),
        published_at=_published_at(meta, article),
        canonical_url=_canonical_url(tree, meta, page_url),
        site_name=_site_name(meta, article),
        language=_language(tree, meta, article),
        article_body=_article_body(article),
        word_count=_word_count(article),
    )


def _article_body(article: dict[str, Any]) -> str | None:
    """JSON-LD articleBody as plain text (some publishers put markup in it), or None."""
    body = article.get("articleBody")
    if not isinstance(body, str) or not body.strip():
        return None
    if "<" in body:
        try:
            fragment = html.fragment_fromstring(body, create_parent="div")
        except (etree.ParserError, ValueError):
            return None
        body = "\n\n".join(element_text(block) for block in fragment.iter("p")) or element_text(fragment)
    return body.strip() or None


def _word_count(article: dict[str, Any]) -> int | None:
    """JSON-LD wordCount, when it is a positive whole number."""
    value = article.get("wordCount")
    try:
        count = int(str(value).strip().replace(",", "")) if value is not None else 0
    except ValueError:
        return None
    return count if count > 0 else None
