"""Text-dump cleaning: boilerplate removal, scraper-artefact repair and the body/related split.

A dump is read line by line. Each line is classified (body, boilerplate, byline, inline teaser, the start of a
related block, the start of a popularity list); the body ends where the first block after it begins.
Every pattern is anchored or bounded so that no input makes a regex backtrack catastrophically.
"""

from __future__ import annotations

import itertools
import re
from enum import Enum
from functools import lru_cache

import msgspec

from workers.records import RelatedItem
from workers.stages import speedups
from workers.stages.related_items import item_from_block_text, item_from_teaser

# Work per message is bounded: dumps beyond these sizes are cut (the pipeline's byte limit comes first).
MAX_LINES = 5000
MAX_LINE_CHARS = 50_000


def _alternation(phrases: tuple[str, ...]) -> str:
    return "|".join(re.escape(phrase).replace(r"\ ", r"\s+") for phrase in sorted(phrases, key=len, reverse=True))


def _by_first_character(prefixes: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Prefixes grouped by their first character, for `_opens_with`."""
    index: dict[str, list[str]] = {}
    for prefix in prefixes:
        index.setdefault(prefix[:1], []).append(prefix)
    return {first: tuple(group) for first, group in index.items()}


def _opens_with(head: str, starts: dict[str, tuple[str, ...]]) -> bool:
    """Whether `head` starts with one of the grouped prefixes: only those sharing its first character are tried
    (one tuple test per line over every prefix was a measurable share of the cleaning)."""
    return head.startswith(starts.get(head[:1], ()))


# Markers that introduce a single teaser link inside the body ("RELATED: Title"), several languages.
_TEASER_MARKERS = (
    "ALSO READ",
    "READ ALSO",
    "READ MORE",
    "RELATED",
    "SEE ALSO",
    "MORE",
    "WATCH",
    "LISTEN",
    "READ",
    "RELATED ARTICLE",
    "RELATED STORY",
    "RECOMMENDED",
    "LESEN SIE AUCH",
    "AUCH INTERESSANT",
    "MEHR ZUM THEMA",
    "LESEN SIE MEHR",
    "WEITERLESEN",
    "LIRE AUSSI",
    "À LIRE AUSSI",
    "A LIRE AUSSI",
    "VOIR AUSSI",
    "À LIRE",
    "LIRE ÉGALEMENT",
    "LEER MÁS",
    "LEA TAMBIÉN",
    "LEE TAMBIÉN",
    "VEA TAMBIÉN",
    "TE PUEDE INTERESAR",
    "TAMBIÉN LEA",
    "LEGGI ANCHE",
    "LEGGI PURE",
    "LEIA TAMBÉM",
    "LEIA MAIS",
    "VEJA TAMBÉM",
    "SAIBA MAIS",
    "BACA JUGA",
    "LEES OOK",
    "LÄS ÄVEN",
    "LÆS OGSÅ",
    "LES OGSÅ",
    "CZYTAJ TEŻ",
    "CZYTAJ TAKŻE",
    "ЧИТАЙТЕ ТАКЖЕ",
    "ЧИТАЙТЕ ТАКОЖ",
    "ЧИТАЙТЕ",
    "اقرأ أيضا",
    "اقرأ أيضاً",
)
# "MARKER: title" (any case), or the marker in capitals directly followed by a title.
_BULLETS = "-–—•*> "
_TEASER_PREFIXES = tuple(marker.lower() for marker in _TEASER_MARKERS)
_TEASER_STARTS = _by_first_character(_TEASER_PREFIXES)
_TEASER_LINE = re.compile(
    rf"^(?:[-–—•*>]\s*)?(?P<marker>{_alternation(_TEASER_MARKERS)})\s*(?::|\||»|>>|–|—|-)\s*(?P<title>.{{0,600}})$",
    re.IGNORECASE,
)
# A marker glued to the end of a sentence by the scraper: "…and missiles.ALSO READ:". Found marker first (a
# scan for the sentence-ending character, which tested every character of the dump, cost three times more).
_GLUED_MARKERS = (
    *(marker for marker in _TEASER_MARKERS if len(marker) > 5),
    "ADVERTISEMENT",
    "Advertisement",
    "Similar News",
    "Related News",
    "Read more »",
)
_GLUED_MARKER = re.compile(rf"(?:{_alternation(_GLUED_MARKERS)})(?:\s*[:|»]|$)", re.MULTILINE)
# A match starts where one of these words does (the pattern is case-sensitive and each alternative opens with
# its first word as written): finding them in one pass of the C module and trying the regex only there costs a
# fraction of a regex scan of every position.
# "A" is left out: as a first word (of "A LIRE AUSSI") it made every capital A a candidate, most of the seed's. That
# marker is found from its "LIRE" instead (see _marker_starts).
_GLUED_MARKER_FIRST_WORDS = tuple(sorted({marker.split()[0] for marker in _GLUED_MARKERS} - {"A"}))
# Each marker holds its longest word as written: testing for those first spares most dumps the regex scan.
_GLUED_MARKER_WORDS = tuple(sorted({max(marker.split(), key=len) for marker in _GLUED_MARKERS}))
_SENTENCE_END = ".!?\"”'’)"

# Lines that open a block of related stories after the body.
_RELATED_BLOCK_MARKERS = (
    "Similar News",
    "Related News",
    "Related Articles",
    "Related Stories",
    "Related Posts",
    "Related Content",
    "Related Coverage",
    "Related Topics",
    "Related",
    "You may also like",
    "You might also like",
    "You may be interested in",
    "More from",
    "More stories",
    "More news",
    "More on this story",
    "Read next",
    "Recommended for you",
    "Recommended stories",
    "Recommended",
    "Top stories",
    "Also in the news",
    "Ähnliche Nachrichten",
    "Ähnliche Artikel",
    "Das könnte Sie auch interessieren",
    "Weitere Artikel",
    "Mehr zum Thema",
    "Verwandte Artikel",
    "Articles similaires",
    "Sur le même sujet",
    "À lire également",
    "Vous aimerez aussi",
    "Sur le même thème",
    "Noticias relacionadas",
    "Artículos relacionados",
    "También te puede interesar",
    "Te puede interesar",
    "Notizie correlate",
    "Articoli correlati",
    "Potrebbe interessarti anche",
    "Notícias relacionadas",
    "Veja também",
    "Leia também",
    "Berita Terkait",
    "Artikel Terkait",
    "Gerelateerde artikelen",
    "Lees ook",
    "Похожие новости",
    "Читайте также",
    "Другие новости",
    "Relaterade artiklar",
    "Powiązane artykuły",
)
_RELATED_BLOCK_PREFIXES = tuple(marker.lower() for marker in _RELATED_BLOCK_MARKERS)
_RELATED_BLOCK_STARTS = _by_first_character(_RELATED_BLOCK_PREFIXES)
_RELATED_BLOCK_LINE = re.compile(
    rf"^(?P<marker>{_alternation(_RELATED_BLOCK_MARKERS)})\s*(?:[:|»>]+|\s-\s)?\s*(?P<rest>.{{0,600}})$",
    re.IGNORECASE,
)
# The aggregator's explanation after its marker is not an item.
_BLOCK_BLURB = re.compile(
    r"^(?:You can also read news stories similar to this one|We have collected|Here are some|"
    r"Stories we think you)",
    re.IGNORECASE,
)
_BLOCK_BLURB_PREFIXES = ("you can also read", "we have collected", "here are some", "stories we think")
_BLOCK_BLURB_STARTS = _by_first_character(_BLOCK_BLURB_PREFIXES)
# Separators between items of a related block.
_ITEM_SEPARATOR = re.compile(
    r"^(?:Read more|Read full story|Continue reading|Lire la suite|Weiterlesen|Mehr lesen|Leer más|"
    r"Seguir leyendo|Leggi tutto|Continua a leggere|Leia mais|Selengkapnya|Baca selengkapnya|Lees meer|"
    r"Подробнее|Читать далее|Czytaj dalej|Läs mer)\s*(?:[»›>→…]+|\.\.\.)?\s*$",
    re.IGNORECASE,
)
_ITEM_SEPARATOR_PREFIXES = (
    *"read continue lire weiterlesen mehr leer seguir leggi continua leia selengkapnya baca lees".split(),
    *"подробнее читать czytaj läs".split(),
)
_ITEM_SEPARATOR_STARTS = _by_first_character(_ITEM_SEPARATOR_PREFIXES)
# Lines that start a popularity list or comments: the rest of the dump is not article.
_TAIL_START = re.compile(
    r"^(?:Most Read|Most Popular|Most Viewed|Most Shared|Trending Now|Trending|Popular Now|Popular Stories|"
    r"Editor'?s Picks|Latest News|Latest Stories|Comments|Leave a (?:comment|reply)|\d{1,5} Comments?|"
    r"Meistgelesen|Meistgelesene Artikel|Les plus lus|Les plus populaires|Lo más leído|Lo más visto|"
    r"I più letti|Mais lidas|Mais lidos|Terpopuler|Populer|Самое читаемое|Популярное)\s*:?\s*$",
    re.IGNORECASE,
)
_TAIL_START_PREFIXES = (
    *"most trending popular editor latest comments leave meistgelesen terpopuler populer самое популярное".split(),
    *"les lo i mais".split(),
    *"0123456789",
)
_TAIL_START_STARTS = _by_first_character(_TAIL_START_PREFIXES)

# Whole lines of boilerplate, several languages. Bounded lengths keep them from eating body paragraphs.
_BOILERPLATE_LINE = re.compile(
    r"^(?:"
    r"advertisement|advertising|sponsored|sponsored content|publicité|anzeige|werbung|publicidad|pubblicità|"
    r"publicidade|iklan|реклама|"
    r"skip to (?:main )?content|loading\.*|close|menu|search|home|share|print|email|"
    r"scroll to continue(?: with content)?|story continues below(?: advertisement)?|continue reading below|"
    r"(?:click|tap) here (?:to|for) .{0,120}|"
    r"(?:share|teilen|partager|partagez|compartir|comparte|condividi|compartilhe|partilhe|bagikan|поделиться)"
    r"(?:\s.{0,60})?:?|"
    r"(?:follow|like) us on .{0,120}|"
    r"(?:sign up|subscribe|register) (?:for|to|now).{0,160}|"
    r"(?:get|receive) (?:the|our) .{0,60}(?:newsletter|inbox|alerts|updates).{0,80}|"
    r"join our (?:whatsapp|telegram|newsletter).{0,120}|download (?:our|the) .{0,30}app.{0,80}|"
    r"(?:photo|photograph|picture|image|foto|bild|video|file photo|credit|photo credit|source|quelle)"
    r"\s*(?::|/|by|credit:).{0,150}|"
    r"\((?:photo|image|foto|video)[^)]{0,150}\)|\([A-Z]{2,10} Photo[^)]{0,100}\)|"
    r"(?:tags?|topics?|schlagwörter|mots-clés|etiquetas|categories|filed under)\s*:.{0,400}|"
    r"(?:©|\(c\)).{0,200}|copyright\s*(?:©|\(c\))?\s*(?:\d{4}|\w+ (?:ltd|inc|llc|media|news|group)).{0,200}|"
    r"(?:reporting|additional reporting|writing|editing) by .{0,200}|"
    r"(?:this (?:story|article) (?:was|has been) (?:updated|corrected|first published)).{0,200}|"
    r"(?:read|watch|listen):?|also read:?|read more:?|related:?|updated:?|"
    r"(?:we use cookies|this site uses cookies|by continuing to use).{0,300}|"
    r"(?:published|updated|posted|last updated)\s*(?:on|at|:)?\s*(?=[\w ,:.+-]{0,60}\d)[\w ,:.+-]{0,60}"
    r")$",
    re.IGNORECASE,
)
# Every alternative of _BOILERPLATE_LINE starts with one of these (lower-cased): a C-level prefix test spares
# most lines the regex. tests/test_text_cleaning.py checks the two agree.
_BOILERPLATE_LINE_PREFIXES = (
    *"advertis sponsored public anzeige werbung pubblicit iklan реклама loading close menu search home".split(),
    *"share print email teilen partage compart condividi partilhe bagikan поделиться subscribe register".split(),
    *"photo picture image foto bild video credit source quelle tag topic schlagwörter mots-clés etiquetas".split(),
    *"categories © ( copyright reporting additional writing editing read watch listen also related".split(),
    *"updated published posted last".split(),
    "skip to",
    "scroll to",
    "story continues",
    "continue reading",
    "click here",
    "tap here",
    "follow us",
    "like us",
    "sign up",
    "get ",
    "receive ",
    "join our",
    "download ",
    "filed under",
    "file photo",
    "this ",
    "we use cookies",
    "by continuing",
)
_BOILERPLATE_LINE_STARTS = _by_first_character(_BOILERPLATE_LINE_PREFIXES)
# Short lines that are boilerplate wherever the phrase sits: credits, footers, site taglines.
_BOILERPLATE_PHRASE = re.compile(
    r"getty images|shutterstock|istock|afp photo|reuters/|ap photo|all rights reserved|©|riproduzione riservata|"
    r"todos los derechos reservados|tous droits réservés|alle rechte vorbehalten|"
    r"whatsapp\.com/channel|t\.me/|google news|ikuti (?:kami|saluran)|simak breaking news|"
    r"newsletter.{0,80}(?:sign up|subscribe|inbox|email)|(?:sign up|subscribe).{0,80}newsletter|"
    r"latest news, .{2,60} headlines$|breaking news.{0,20}(?:headlines|latest news)"
)  # matched against the lower-cased line: cheaper than re.IGNORECASE
# Every alternative of _BOILERPLATE_PHRASE contains one of these literally (the more specific, the fewer lines
# reach the regex); tests/test_text_cleaning.py has an example of each alternative.
_BOILERPLATE_PHRASE_HINTS = (
    "getty",
    "shutterstock",
    "istock",
    "afp photo",
    "ap photo",
    "reuters/",
    "reserv",
    "riserv",
    "réserv",
    "©",
    "rechte",
    "whatsapp",
    "t.me/",
    "google news",
    "ikuti",
    "simak",
    "newsletter",
    "latest news, ",
    "breaking news",
)
_BYLINE_LINE = re.compile(
    r"^(?:By|Von|Par|Por|Di|Door|Av|Oleh|Автор:?)\s+(?P<name>[A-ZÀ-ÖØ-ÞА-Я][\w'’.-]{0,30}"
    r"(?:(?:\s+|\s*,\s*|\s+and\s+|\s+und\s+|\s+et\s+|\s+y\s+|\s+e\s+)[A-ZÀ-ÖØ-ÞА-Яa-z][\w'’.-]{0,30}){0,6})"
    r"\s*(?:[|,/–—-]\s*.{0,60})?$"
)
# A phrase of two to six words repeated in place by the scraper: "has accused has accused".
_DUPLICATED_PHRASE = re.compile(r"\b((?:\w+\s+){1,5}\w+)\s+\1\b")
# Whitespace tokens, as line.split() sees them; punctuation stripped from their ends before comparing.
_URL = re.compile(r"https?://\S{1,2000}")
_WORD_START = re.compile(r"\S+")
_PUNCTUATION = ",.;:!?\"'”’“‘()«»"
_TERMINAL_CHARACTERS = tuple(".!?:;\"'”’»)…")


class LineKind(Enum):
    BODY = "body"
    BLANK = "blank"
    BOILERPLATE = "boilerplate"
    BYLINE = "byline"
    TEASER = "teaser"
    RELATED_BLOCK = "related_block"
    TAIL = "tail"


class TextCleaning(msgspec.Struct, frozen=True):
    paragraphs: tuple[str, ...]
    related: tuple[RelatedItem, ...]
    byline: str | None


def remove_duplicated_phrases(line: str) -> str:
    """Drop the second copy of a phrase of two to six words repeated in place ("has accused has accused").

    Such a repeat makes a word pair recur two to six words later; only there does the word-level regex run. (A
    regex over the whole line cost more than the rest of the cleaning.)
    """
    starts = (
        speedups.compiled.repeated_pair_starts(line, _PUNCTUATION)
        if speedups.compiled is not None
        else pure_python_repeated_pair_starts(line)
    )
    if not starts:
        return line
    pieces: list[str] = []
    kept_from = 0
    for start in starts:
        if start < kept_from:
            continue
        match = _DUPLICATED_PHRASE.match(line, start)
        if match:
            pieces.append(line[kept_from : match.end(1)])
            kept_from = match.end()
    pieces.append(line[kept_from:])
    return "".join(pieces)


def pure_python_repeated_pair_starts(line: str) -> list[int]:
    """Where a phrase repeated in place may start: the offsets of the words whose pair (the word and the next,
    punctuation stripped) recurs two to six words later, with no nearer recurrence in between.

    Of the ways measured to find recurring pairs in Python, a set test and then one dict pass was the cheapest.
    """
    words = list(map(str.strip, line.split(), itertools.repeat(_PUNCTUATION)))
    pairs = list(zip(words, words[1:]))
    if len(set(pairs)) == len(pairs):
        return []  # no pair recurs at all: two lines in three
    last_seen: dict[tuple[str, str], int] = {}
    candidates = []
    for index, pair in enumerate(pairs):
        previous = last_seen.get(pair)
        if previous is not None and 2 <= index - previous <= 6:
            candidates.append(previous)
        last_seen[pair] = index
    if not candidates:
        return []
    starts = [match.start() for match in _WORD_START.finditer(line)]
    return [starts[index] for index in candidates]


def repair_artefacts(line: str) -> str:
    """Undo scraper artefacts inside one body line: a phrase duplicated in place."""
    return remove_duplicated_phrases(line) if len(line) > 20 else line


def split_glued_markers(text: str) -> list[str]:
    """Put a marker glued to the end of a sentence ("missiles.ALSO READ:") on a line of its own."""
    text = _unglue_markers(text)
    lines = text.split("\n", MAX_LINES)[:MAX_LINES]
    if len(text) <= MAX_LINE_CHARS and "  " not in text and "\t" not in text:
        return list(map(str.strip, lines))  # no line to cut, no run of spaces: _normalize_spaces would only strip
    return [_normalize_spaces(line[:MAX_LINE_CHARS]) for line in lines]


def _marker_starts(text: str) -> list[int]:
    """Offsets where a glued marker may start, ascending (at least every start `_GLUED_MARKER.finditer` finds)."""
    if speedups.compiled is not None:  # one pass over the text for every first word at once
        starts = speedups.compiled.starts_of_any(text, _GLUED_MARKER_FIRST_WORDS)
        return _with_a_before_lire(text, starts) if "LIRE" in text else starts
    # Without it, one str.find pass per first word cost more than the regex scan: the regex finds them itself.
    if not any(map(text.__contains__, _GLUED_MARKER_WORDS)):
        return []
    return [match.start() for match in _GLUED_MARKER.finditer(text)]


def _with_a_before_lire(text: str, starts: list[int]) -> list[int]:
    """The starts, plus the "A" of each "A LIRE AUSSI": an "A" separated from a "LIRE" start by whitespace only.

    Nothing else can start between that "A" and its "LIRE" (only whitespace lies there), so the order holds.
    """
    with_a: list[int] = []
    for start in starts:
        if text.startswith("LIRE", start):
            letter = start
            while letter > 0 and text[letter - 1].isspace():
                letter -= 1
            if letter < start and letter > 0 and text[letter - 1] == "A":
                with_a.append(letter - 1)
        with_a.append(start)
    return with_a


def _unglue_markers(text: str) -> str:
    """Replace the spaces (or nothing) between a sentence end and a marker after it by one line break.

    The markers are those `_GLUED_MARKER.finditer(text)` finds, but the regex runs only where one may start.
    """
    pieces: list[str] = []
    kept_from = 0
    searched_to = 0
    for start in _marker_starts(text):
        if start < searched_to:
            continue  # inside the previous marker, as finditer would skip it
        match = _GLUED_MARKER.match(text, start)
        if match is None:
            continue
        searched_to = match.end()
        gap_start = start
        while gap_start > kept_from and text[gap_start - 1].isspace():
            gap_start -= 1  # (slicing the text up to the marker and stripping it copied the whole prefix)
        if gap_start > kept_from and text[gap_start - 1] in _SENTENCE_END:
            pieces.append(text[kept_from:gap_start])
            pieces.append("\n")
            kept_from = start
    if not pieces:
        return text
    pieces.append(text[kept_from:])
    return "".join(pieces)


def _normalize_spaces(line: str) -> str:
    """Strip a line and collapse runs of spaces and tabs (str methods: much cheaper than a regex here)."""
    line = line.strip()
    return " ".join(line.split()) if "  " in line or "\t" in line else line


def is_boilerplate(line: str) -> bool:
    """A whole line of boilerplate: a prompt, a credit, a footer, a tagline. Long lines never are."""
    if len(line) > 400:
        return False
    head = line[:20].lower()
    if _opens_with(head, _BOILERPLATE_LINE_STARTS) and _BOILERPLATE_LINE.match(line):
        return True
    if len(line) > 200:
        return False
    lowered = line.lower()
    if not _has_phrase_hint(lowered):
        return False  # a C-level test spares most lines the regex scan
    # A URL's query (utm_medium=newsletter) says nothing about the line around it.
    return _BOILERPLATE_PHRASE.search(_URL.sub(" ", lowered) if "://" in lowered else lowered) is not None


def _has_phrase_hint(lowered: str) -> bool:
    """Whether one of the boilerplate phrase hints occurs in the lower-cased line."""
    if speedups.compiled is not None:  # one pass for all hints instead of one `in` per hint (a third of the time)
        return bool(speedups.compiled.starts_of_any(lowered, _BOILERPLATE_PHRASE_HINTS))
    return any(map(lowered.__contains__, _BOILERPLATE_PHRASE_HINTS))


# Lines up to this long are classified once and remembered: the same few ("ALSO READ:", "Read more »", a site's
# tagline or blurb) recur in every dump of a site, and each classification lower-cases the line and may run a
# regex.
_SHORT_LINE = 60


def classify(line: str, position_in_body: int) -> LineKind:
    """What one (stripped) line of a dump is."""
    if len(line) <= _SHORT_LINE:
        return _classify_short_line(line, position_in_body < 3)
    return _classify(line, position_in_body)


@lru_cache(maxsize=4096)
def _classify_short_line(line: str, near_body_start: bool) -> LineKind:
    # The position only matters as "among the first three body lines" (a byline's place).
    return _classify(line, 0 if near_body_start else 3)


def _classify(line: str, position_in_body: int) -> LineKind:
    if not line:
        return LineKind.BLANK
    if is_boilerplate(line):
        return LineKind.BOILERPLATE
    if position_in_body < 3 and len(line) <= 120 and _BYLINE_LINE.match(line):
        return LineKind.BYLINE
    if len(line) > 700:
        return LineKind.BODY
    teaser = teaser_match(line)
    # "RELATED: Some title" is one teaser; a bare "Leia também:" (in both lists) opens a block.
    if teaser and teaser.group("title").strip():
        return LineKind.TEASER
    if related_block_match(line):
        return LineKind.RELATED_BLOCK
    if teaser:
        return LineKind.TEASER
    if len(line) <= 60 and is_tail_start(line):
        return LineKind.TAIL
    return LineKind.BODY


def teaser_match(line: str) -> re.Match[str] | None:
    """The marker and title of an inline teaser line ("RELATED: Some title"), if it is one."""
    head = line[:40].lstrip(_BULLETS).lower()
    if len(line) > 700 or not _opens_with(head, _TEASER_STARTS):
        return None  # a C-level prefix test spares almost every line the regex
    return _TEASER_LINE.match(line)


def related_block_match(line: str) -> re.Match[str] | None:
    """The marker and rest of a line that opens a related block ("Similar News:"), if it is one.

    "Related to the case, police said…" starts a sentence, not a block: a marker without a separator followed
    by a lower-case word is not one.
    """
    head = line[:40].lower()
    if len(line) > 700 or not _opens_with(head, _RELATED_BLOCK_STARTS):
        return None
    match = _RELATED_BLOCK_LINE.match(line)
    if match is None:
        return None
    marker, rest = match.group("marker"), match.group("rest")
    has_separator = len(line) > len(marker) and line[len(marker) :].lstrip()[:1] in ":|»>-"
    return None if not has_separator and rest and rest[:1].islower() else match


# Each of these line patterns is tried only on lines that start (lower-cased) as one of its alternatives does: a
# C-level prefix test spares most lines the regex. tests/test_text_cleaning.py has an example of each alternative.
def is_item_separator(line: str) -> bool:
    """A "Read more »" line between the items of a related block."""
    head = line[:15].lower()
    return _opens_with(head, _ITEM_SEPARATOR_STARTS) and _ITEM_SEPARATOR.match(line) is not None


def is_block_blurb(line: str) -> bool:
    """The aggregator's explanation after a block marker ("You can also read news stories similar to…")."""
    head = line[:20].lower()
    return _opens_with(head, _BLOCK_BLURB_STARTS) and _BLOCK_BLURB.match(line) is not None


def is_tail_start(line: str) -> bool:
    """A line that starts a popularity list or the comments ("Most Read")."""
    head = line[:15].lower()
    return _opens_with(head, _TAIL_START_STARTS) and _TAIL_START.match(line) is not None


@lru_cache(maxsize=4096)
def _short_line_traits(line: str) -> tuple[bool, bool, bool, bool]:
    """(opens a related block, starts the tail, is a block blurb, is an item separator)."""
    return related_block_match(line) is not None, is_tail_start(line), is_block_blurb(line), is_item_separator(line)


def _is_blurb(line: str) -> bool:
    return _short_line_traits(line)[2] if len(line) <= _SHORT_LINE else is_block_blurb(line)


def _is_separator(line: str) -> bool:
    return _short_line_traits(line)[3] if len(line) <= _SHORT_LINE else is_item_separator(line)


def parse_related_block(lines: list[str]) -> list[RelatedItem]:
    """Items of a block: text between "Read more »" separators, or one item per line when there are none."""
    content = [line for line in lines if line and not _is_blurb(line)]
    separators = list(map(_is_separator, content))
    groups: list[list[str]] = []
    if any(separators):
        current: list[str] = []
        for line, is_separator in zip(content, separators):
            if is_separator:
                if current:
                    groups.append(current)
                current = []
            elif not is_boilerplate(line):
                current.append(line)
        if current:
            groups.append(current)
    else:
        groups = [[line] for line in content if not is_boilerplate(line)]
    items = []
    for group in groups:
        item = item_from_block_text(" ".join(group))
        if item is not None:
            items.append(item)
    return items


def _join_wrapped(block: list[str]) -> list[str]:
    """Within a blank-line-separated block, join hard-wrapped lines; a line ending a sentence ends a paragraph."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in block:
        current.append(line)
        if line.endswith(_TERMINAL_CHARACTERS):
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def clean_text_dump(text: str) -> TextCleaning:
    """Cut the article body out of a text dump, set related items apart, and find a byline line."""
    lines = split_glued_markers(text)
    has_blank_lines = any(not line for line in lines)
    body_blocks: list[list[str]] = [[]]
    related: list[RelatedItem] = []
    byline: str | None = None
    body_lines_seen = 0
    index = 0
    while index < len(lines):
        line = lines[index]
        kind = classify(line, body_lines_seen)
        if kind is LineKind.BLANK:
            if body_blocks[-1]:
                body_blocks.append([])
        elif kind is LineKind.BYLINE and byline is None:
            match = _BYLINE_LINE.match(line)
            byline = match.group("name").strip() if match else None
        elif kind is LineKind.TEASER:
            match = teaser_match(line)
            title = match.group("title").strip() if match else ""
            if title and not is_boilerplate(title):
                item = item_from_teaser(title)
                if item is not None:
                    related.append(item)
        elif kind is LineKind.RELATED_BLOCK:
            match = related_block_match(line)
            rest = [match.group("rest").strip()] if match and match.group("rest") else []
            block, index = _collect_block(lines, index + 1)
            related.extend(parse_related_block(rest + block))
            continue
        elif kind is LineKind.TAIL:
            break
        elif kind is LineKind.BODY:
            line = repair_artefacts(line)
            if has_blank_lines:
                body_blocks[-1].append(line)
            else:
                body_blocks.append([line])
            body_lines_seen += 1
        index += 1
    paragraphs: list[str] = []
    for block in body_blocks:
        if block:
            paragraphs.extend(_join_wrapped(block) if has_blank_lines else block)
    return TextCleaning(paragraphs=tuple(paragraphs), related=tuple(related), byline=byline)


def _collect_block(lines: list[str], start: int) -> tuple[list[str], int]:
    """The lines of a related block: up to the next block, a popularity list, or the end."""
    index = start
    block: list[str] = []
    while index < len(lines):
        line = lines[index]
        if len(line) <= _SHORT_LINE:
            if line and any(_short_line_traits(line)[:2]):  # opens the next block, or starts the tail
                break
        elif related_block_match(line):
            break
        block.append(line)
        index += 1
    return block, index
