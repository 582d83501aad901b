"""Related items: blocks of similar stories after the body and teaser lines inside it.

Aggregators glue an item's title to its summary without a space ("…among localsUse of foreign…"); this module
finds that seam without splitting brand names such as iPhone, eBay or McDonald's.
"""

from __future__ import annotations

import re

from workers.records import RelatedItem, RelatedKind
from workers.stages.common.urls import canonicalize_url, domain_of
from workers.stages.text.marker_phrases import line_patterns

# Words whose inner capital is part of the word, not a glued seam. Two-letter and shorter left fragments
# (iPhone, eBay, McDonald's, DeSantis, LeBron) are never split anyway; these are the longer ones.
_CAMEL_CASE_WORDS = frozenset(
    word.lower()
    for word in """
    YouTube PlayStation WhatsApp LinkedIn PayPal JavaScript OpenAI TikTok GitHub BlackRock FedEx SoftBank
    HarperCollins DreamWorks ExxonMobil AstraZeneca BioNTech MasterCard SmackDown WikiLeaks PricewaterhouseCoopers
    GlaxoSmithKline JetBlue SpaceX MacBook McLaren MacArthur MacKenzie MacDonald DiCaprio AirPods AirBnb HarmonyOS
    PowerPoint SharePoint OneDrive StarCraft WarCraft FaceTime GameStop DoorDash ChatGPT DeepMind DeepSeek
    CrowdStrike SolarWinds TotalEnergies ArcelorMittal BuzzFeed HuffPost NatWest EasyJet WeChat AliExpress AliPay
    TechCrunch StubHub PepsiCo CocaCola MySpace NordVPN TalkTalk ZipRecruiter SoundCloud DropBox KuCoin CoinDesk
    CoinBase BlackBerry InfoWars FreeBSD
    """.split()
)
# A seam: the end of a word (letter, digit, closing quote or bracket) directly followed by a capitalised word.
# It starts at the capital, so the regex engine skips from capital to capital (starting at the end of the word
# tested nearly every character) and only then looks behind.
_SEAM = re.compile(r"[A-Z](?<=[a-z0-9'’\")\]%.…][A-Z])")
_NOT_LETTERS = re.compile(r"[^A-Za-z]")
_WORD_RIGHT = re.compile(r"[\w'’-]{1,60}")
_URL = re.compile(r"https?://[^\s<>\"')\]]{1,2000}")
_TERMINAL_CHARACTERS = tuple(".!?\"'”’»)")
_SOURCE_LINE_TAIL = 120
_LIST_BULLET = re.compile(r"^\s*(?:[-*•–·]|\d{1,2}[.)])\s+")
_LIST_BULLET_STARTS = frozenset("-*•–·0123456789")
MAX_TITLE_CHARS = 250
# Surname prefixes written with an inner capital: MacArthur, FitzGerald, VanDyke.
_NAME_PREFIXES = frozenset(("Mac", "Mc", "Fitz", "Van", "Von", "Della", "Dos", "Des", "O'"))


def _seam_is_real(text: str, position: int) -> bool:
    """A capital after a lower-case word is a glued seam unless the word is a known camel-case word."""
    left_fragment = text[text.rfind(" ", max(0, position - 61), position) + 1 : position]
    right = _WORD_RIGHT.match(text, position)
    right_fragment = right.group(0) if right else ""
    stripped_left = left_fragment.lstrip("\"'(‘“").rstrip("'’\")]")
    if left_fragment[-1:] in "'’\")]%.…":
        # Closing quote or bracket then a capital (…militarisation'SEOUL): a seam, when a word precedes it.
        return len(stripped_left) >= 2 and len(right_fragment) >= 2
    letters = _NOT_LETTERS.sub("", stripped_left.split("-")[-1])
    if len(letters) <= 2 or len(right_fragment) < 2:
        return False  # iPhone, eBay, McDonald's, DeSantis, LeBron, SpaceX
    if (stripped_left + right_fragment).lower().rstrip("'’s") in _CAMEL_CASE_WORDS:
        return False
    return stripped_left not in _NAME_PREFIXES


def split_title_and_summary(text: str) -> tuple[str, str | None]:
    """Split "TitleSummary" glued without a space at the first real seam; no seam means no summary."""
    position = _seam_position(text, min(len(text), MAX_TITLE_CHARS + 1))
    if position < 0:
        return text.strip(), None
    return text[:position].strip(), text[position:].strip() or None


def _seam_position(text: str, limit: int) -> int:
    """Where the summary starts: the first real seam before `limit`, or -1."""
    for match in _SEAM.finditer(text, 0, limit):
        position = match.start()
        if position < 8:
            continue
        if _seam_is_real(text, position):
            if text[position - 1] in '"”' and text.count('"', 0, position) % 2 == 1:
                position -= 1  # an odd quote before the seam opens the summary: "…in 2024\"It is big,\" he said"
            return position
    return -1


# A seam in any cased script: a lower-case letter, digit or closing punctuation directly followed by a capitalised
# word. Scrapers that keep text nodes without separators glue elements this way ("…Vice PresidNew electric…").
# The pattern starts at the capital, so that the engine skips from capital to capital before looking around.
_CAPITAL = "A-ZÀ-ÖØ-ÞА-ЯЁΑ-Ω"
_ANY_SCRIPT_SEAM = re.compile(
    rf"[{_CAPITAL}](?<=[^\W_{_CAPITAL}][{_CAPITAL}]|[.!?:;\"”’)\]%][{_CAPITAL}])(?=[^\W\d_{_CAPITAL}])"
)
_MIN_GLUED_PIECE = 3


def glued_seams(text: str) -> list[int]:
    """Every real seam where a scraper glued two elements together, left to right."""
    seams = []
    last = 0
    for match in _ANY_SCRIPT_SEAM.finditer(text):
        position = match.start()
        if position - last >= _MIN_GLUED_PIECE and _seam_is_real(text, position):
            seams.append(position)
            last = position
    return seams


def _item_from_parts(kind: RelatedKind, title: str, summary: str | None) -> RelatedItem | None:
    """Pull a trailing "Read more at site.com." and any URL out of the text, and flag a cut-off summary."""
    source_domain = None
    url = None
    for part in (summary, title):
        if part and "://" in part and (found := _URL.search(part)):
            url = canonicalize_url(found.group(0))
            break
    if url:
        title = _URL.sub("", title).strip(" -–—|()")
        summary = _URL.sub("", summary).strip(" -–—|()") if summary else summary
    # Only the tail can hold "Read more at site.com."; searching the whole summary cost more than the rest.
    if summary and (read_more := _read_more_at(summary)):
        source_domain = read_more.group(1).lower()
        summary = summary[: read_more.start()].strip() or None
    title = title.strip()
    if not title:
        return None
    ending = summary.rstrip() if summary else ""
    truncated = bool(ending) and (ending.endswith(("...", "…")) or not ending.endswith(_TERMINAL_CHARACTERS))
    return RelatedItem(
        kind=kind,
        title=title,
        summary=summary or None,
        source_domain=source_domain or domain_of(url),
        url=url,
        truncated=truncated,
    )


def _read_more_at(summary: str) -> re.Match[str] | None:
    """A trailing source line in any language: "Read more at site.com.", "Weiterlesen auf spiegel.de."."""
    if "." not in summary.rstrip(". ").rsplit(" ", 1)[-1]:
        return None  # no domain at the end: no need to search for the phrases before it
    return line_patterns().source_line.search(summary, max(0, len(summary) - _SOURCE_LINE_TAIL))


def ends_with_source_line(text: str) -> bool:
    """Whether a summary ends by naming the site the story is on ("Lire la suite sur lemonde.fr.")."""
    return _read_more_at(text) is not None


def item_from_block_text(text: str, kind: RelatedKind = "similar") -> RelatedItem | None:
    """One related item from the text between two "Read more »" separators (or one line of a list)."""
    text = text.strip()
    if text[:1] in _LIST_BULLET_STARTS:
        text = _LIST_BULLET.sub("", text)
    title, summary = split_title_and_summary(text)
    return _item_from_parts(kind, title, summary)


def item_from_title_and_summary(title: str, summary: str, kind: RelatedKind = "similar") -> RelatedItem | None:
    """One related item whose title and summary stood on lines of their own."""
    return _item_from_parts(kind, title.strip(), summary.strip() or None)


def item_from_teaser(title_text: str) -> RelatedItem | None:
    """An inline teaser ("RELATED: Some title") inside the body; the title may carry a URL."""
    return _item_from_parts("inline", title_text.strip().strip('"“”'), None)
