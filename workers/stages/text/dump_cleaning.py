"""Text-dump cleaning: the body/related split, boilerplate removal and scraper-artefact repair.

A dump is read line by line: markers glued to a sentence are put on lines of their own, hard-wrapped sentences
are joined, lines glued from several page elements are split. Marker phrases (data/languages) say what a line is
when a phrase applies (boilerplate, an inline teaser, the heading of a related block, the start of the comments);
related blocks are parsed wherever a heading opens one, up to where the article's prose resumes; the body model
(body_model.py) picks the body among the remaining lines; a byline is looked for beside the body's start.
Every pattern is anchored or bounded so that no input makes a regex backtrack catastrophically.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

import msgspec

from workers.records import RelatedItem
from workers.stages.common import speedups
from workers.stages.language.function_words import function_words_for
from workers.stages.text.body_model import BodyModel, DumpLine, body_mask
from workers.stages.text.line_kinds import LineKind
from workers.stages.text.marker_phrases import first_word_of, line_patterns
from workers.stages.text.related_items import (
    MAX_TITLE_CHARS as _MAX_TITLE_CHARS,
)
from workers.stages.text.related_items import (
    ends_with_source_line,
    glued_seams,
    item_from_block_text,
    item_from_teaser,
    item_from_title_and_summary,
    split_title_and_summary,
)

# Work per message is bounded: dumps beyond these sizes are cut (the pipeline's byte limit comes first).
MAX_LINES = 5000
MAX_LINE_CHARS = 50_000


# A phrase of two to six words repeated in place by the scraper: "has accused has accused".
_DUPLICATED_PHRASE = re.compile(r"\b((?:\w+\s+){1,5}\w+)\s+\1\b")
# Whitespace tokens, as line.split() sees them; punctuation stripped from their ends before comparing.
_URL = re.compile(r"https?://\S{1,2000}")
_WORD_START = re.compile(r"\S+")
_WORD = re.compile(r"\w+")
_PUNCTUATION = ",.;:!?\"'”’“‘()«»"
_TERMINAL_CHARACTERS = tuple(".!?:;\"'”’»)…。！？」")
_SENTENCE_END = ".!?\"”'’)"
_BULLETS = "-–—•*> "
# Lines longer than these are never taken for one kind of furniture or another.
_LONGEST_BOILERPLATE = 400
_LONGEST_PHRASE_LINE = 200
_LONGEST_SHARE_ROW = 160
_MIN_NEWSLETTER_WORDS = 2
_LONGEST_NEWSLETTER_PROMPT = 150
_LONGEST_TAIL_START = 160
_LONGEST_CREDIT = 120  # "(Photo: …)" at a caption's end: only the line's tail is searched
_PATTERNS = line_patterns()


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
    """Offsets where a glued marker may start, ascending (at least every start the glued-marker regex finds)."""
    if speedups.compiled is not None:  # one pass over the text for every first word at once
        return speedups.compiled.starts_of_any(text, _PATTERNS.glued_marker_first_words)
    # Without it, one str.find pass per first word cost more than the regex scan: the regex finds them itself.
    if not any(map(text.__contains__, _PATTERNS.glued_marker_words)):
        return []
    return [match.start() for match in _PATTERNS.glued_marker.finditer(text)]


def _unglue_markers(text: str) -> str:
    """Replace the spaces (or nothing) between a sentence end and a marker after it by one line break.

    The markers are those the glued-marker regex finds, but it runs only where one may start after a sentence end.
    """
    pieces: list[str] = []
    kept_from = 0
    searched_to = 0
    for start in _marker_starts(text):
        if start < searched_to:
            continue  # inside the previous marker
        gap_start = start
        while gap_start > kept_from and text[gap_start - 1].isspace():
            gap_start -= 1  # (slicing the text up to the marker and stripping it copied the whole prefix)
        # Most candidates ("In", "Das", "Top" inside a sentence) follow no sentence end: no regex for them.
        if gap_start <= kept_from or text[gap_start - 1] not in _SENTENCE_END:
            continue
        match = _PATTERNS.glued_marker.match(text, start)
        if match is None:
            continue
        searched_to = match.end()
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
    """A whole line of page furniture: a prompt, a credit, a share row, a footer, a tagline. Long lines never are."""
    if len(line) > _LONGEST_BOILERPLATE:
        return False
    # Set tests on the line's opening and tail spare most lines the regexes.
    opens = line[:1] in "(©" or first_word_of(line) in _PATTERNS.boilerplate_openings
    if opens and _PATTERNS.boilerplate_line.match(line):
        return True
    tail_start = max(0, len(line) - _LONGEST_CREDIT)
    if (line.find(":", tail_start) >= 0 or line.find("/", tail_start) >= 0) and _PATTERNS.credit_ending.search(
        line, tail_start
    ):
        return True  # a photo caption ending in its credit: "… (Photo: Reuters)", "… FOTO: EFE/Juan Pérez"
    if len(line) > _LONGEST_PHRASE_LINE:
        return False
    lowered = line.lower()
    # A URL's query (utm_medium=newsletter) says nothing about the line around it.
    if "://" in lowered:
        lowered = _URL.sub(" ", lowered)
    if any(map(lowered.__contains__, _PATTERNS.boilerplate_phrase_hints)) and _PATTERNS.boilerplate_phrase.search(
        lowered
    ):
        return True
    if is_newsletter_prompt(line, lowered):
        return True
    return len(line) <= _LONGEST_SHARE_ROW and is_share_row(line)


def is_newsletter_prompt(line: str, lowered: str) -> bool:
    """A newsletter or sign-up prompt, a button or a field of one (`lowered`: the line in lower case)."""
    if _PATTERNS.newsletter_first_words.isdisjoint(_WORD.findall(lowered)):
        return False  # a set test spares most lines the phrase search
    newsletter_words = {match.group(0) for match in _PATTERNS.newsletter_word.finditer(lowered)}
    if len(newsletter_words) >= _MIN_NEWSLETTER_WORDS:
        return True  # "Get the day's top stories delivered to your inbox", "Jetzt den Newsletter abonnieren"
    if not newsletter_words:
        return False
    if len(line) <= _SHORT_LINE and not line.endswith(_TERMINAL_CHARACTERS):
        return True  # a button or a field: "Sign me up", "Enter your email address"
    # A prompt addressing the reader: "Få dagens viktigaste nyheter … i din inkorg varje morgon."
    return len(line) <= _LONGEST_NEWSLETTER_PROMPT and _PATTERNS.reader_word.search(line) is not None


def is_share_row(line: str) -> bool:
    """A row of share buttons in any language: only share words and at least two platform names."""
    if not _PATTERNS.share_row.fullmatch(line):
        return False
    return sum(1 for piece in _PATTERNS.share_row_piece.findall(line) if piece.strip(" |•·,:/-–—")) >= 2


# Lines up to this long are classified once and remembered: the same few ("ALSO READ:", "Read more »", a site's
# tagline or blurb) recur in every dump of a site, and each classification may run several regexes.
_SHORT_LINE = 60


def classify(line: str) -> LineKind:
    """What one (stripped) line of a dump is, as far as marker phrases tell; bylines are found apart."""
    if len(line) <= _SHORT_LINE:
        return _classify_short_line(line)
    return _classify(line)


@lru_cache(maxsize=4096)
def _classify_short_line(line: str) -> LineKind:
    return _classify(line)


def _classify(line: str) -> LineKind:
    if not line:
        return LineKind.BLANK
    if is_boilerplate(line):
        return LineKind.BOILERPLATE
    if len(line) > 700:
        return LineKind.BODY
    teaser = teaser_match(line)
    # "RELATED: Some title" is one teaser; a bare "Leia também:" or "Baca juga" opens a block of them.
    if teaser and teaser.group("title").strip():
        return LineKind.TEASER
    if related_block_match(line):
        return LineKind.RELATED_BLOCK
    if teaser:  # "Read more »" between the items of a block
        return LineKind.TEASER
    if len(line) <= _LONGEST_TAIL_START and is_tail_start(line):
        return LineKind.TAIL
    return LineKind.BODY


def teaser_match(line: str) -> re.Match[str] | None:
    """The marker and title of an inline teaser line ("RELATED: Some title"), if it is one."""
    head = line[:4].lstrip(_BULLETS)[:2].lower()
    if len(line) > 700 or head not in _PATTERNS.teaser_openings:
        return None
    return _PATTERNS.teaser_line.match(line)


def related_block_match(line: str) -> re.Match[str] | None:
    """The marker and rest of a line that opens a related block ("Similar News:"), if it is one.

    "Related to the case, police said…" starts a sentence, not a block: a marker without a separator followed
    by a lower-case word is not one.
    """
    if len(line) > 700 or line[:2].lower() not in _PATTERNS.block_heading_openings:
        return None
    match = _PATTERNS.block_heading.match(line)
    if match is None:
        # A teaser marker standing alone ("Lesen Sie auch", "Baca juga") heads a block of teasers.
        match = _PATTERNS.teaser_line.match(line) if line[:2].lower() in _PATTERNS.teaser_openings else None
        if match is None or match.group("title").strip() or is_item_separator(line):
            return None
        return match
    marker, rest = match.group("marker"), match.group("rest")
    has_separator = len(line) > len(marker) and line[len(marker) :].lstrip()[:1] in ":|»>-"
    return None if not has_separator and rest and rest[:1].islower() else match


def is_item_separator(line: str) -> bool:
    """A "Read more »" line between the items of a related block."""
    return line[:2].lower() in _PATTERNS.item_separator_openings and _PATTERNS.item_separator.match(line) is not None


def is_block_blurb(line: str) -> bool:
    """The aggregator's explanation after a block marker ("You can also read news stories similar to…")."""
    return _PATTERNS.block_blurb.match(line) is not None


def is_tail_start(line: str) -> bool:
    """A line that starts the comments or a popularity list ("Most Read", "34 responses to …")."""
    opens = line[:1].isdigit() or line[:2].lower() in _PATTERNS.tail_openings
    return opens and _PATTERNS.tail_start.match(line) is not None


@lru_cache(maxsize=4096)
def _short_line_traits(line: str) -> tuple[bool, bool]:
    """(is a block blurb, is an item separator)."""
    return is_block_blurb(line), is_item_separator(line)


def _is_blurb(line: str) -> bool:
    return _short_line_traits(line)[0] if len(line) <= _SHORT_LINE else is_block_blurb(line)


def _is_separator(line: str) -> bool:
    return _short_line_traits(line)[1] if len(line) <= _SHORT_LINE else is_item_separator(line)


def parse_related_block(lines: list[str], *, furniture_removed: bool = False) -> list[RelatedItem]:
    """Items of a block: text between "Read more »" separators; else one item per line, where a headline-shaped
    line followed by a sentence is one item with its summary. With `furniture_removed` the lines are known to
    hold no boilerplate line any more."""
    is_furniture = (lambda line: False) if furniture_removed else is_boilerplate
    content = [line for line in lines if line and not _is_blurb(line)]
    separators = list(map(_is_separator, content))
    items: list[RelatedItem | None] = []
    if any(separators):
        groups: list[list[str]] = []
        current: list[str] = []
        for line, is_separator in zip(content, separators):
            if is_separator:
                if current:
                    groups.append(current)
                current = []
            elif not is_furniture(line):
                current.append(line)
        if current:
            groups.append(current)
        items = [item_from_block_text(" ".join(group)) for group in groups]
    else:
        lines_left = [line for line in content if not is_furniture(line)]
        index = 0
        while index < len(lines_left):
            line = lines_left[index]
            following = lines_left[index + 1] if index + 1 < len(lines_left) else None
            if (
                following is not None
                and is_headline_shaped(line)
                and is_item_summary(following)
                and not is_glued_item(following)
            ):
                items.append(item_from_title_and_summary(line, following))
                index += 2
            else:
                items.append(item_from_block_text(line))
                index += 1
    return [item for item in items if item is not None]


# A headline: a few words without a sentence's ending. A summary: a sentence or two, not a paragraph of prose.
_HEADLINE_MAX_WORDS = 20
_HEADLINE_ENDINGS = ("?", "!", "?'", '?"', "?”")
_CUT_OFF_MIN_CHARS = 60
_SUMMARY_MAX_CHARS = 300


def is_headline_shaped(line: str) -> bool:
    """A title of a linked story: up to twenty words, not ending as a statement does (a question may)."""
    return (line.endswith(_HEADLINE_ENDINGS) or not line.endswith(_TERMINAL_CHARACTERS)) and len(
        line.split()
    ) <= _HEADLINE_MAX_WORDS


def is_glued_item(line: str) -> bool:
    """A related item whose title the scraper glued to its summary ("…among localsUse of foreign…")."""
    return len(line) <= _SUMMARY_MAX_CHARS + _MAX_TITLE_CHARS and split_title_and_summary(line)[1] is not None


def is_item_summary(line: str) -> bool:
    """The summary line under a related item's title: short prose, or a sentence cut off after a short lower-case
    word ("…to avoid cutting weekend service on"), or any line that ends by naming the site the story is on
    ("… Lire la suite sur lemonde.fr.")."""
    if ends_with_source_line(line):
        return True
    if len(line) > _SUMMARY_MAX_CHARS:
        return False
    words = line.split()
    last = words[-1] if words else ""
    cut_off = len(line) >= _CUT_OFF_MIN_CHARS and last.islower() and len(last) <= 3
    return cut_off or not is_headline_shaped(line)


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


# "By Monday, …" reads like a byline anywhere: the byline is looked for only beside the start of the body.
_BYLINE_SEARCH_BEFORE = 3
_BYLINE_SEARCH_AFTER = 3


def read_dump(text: str) -> list[DumpLine]:
    """The dump's non-blank lines with what their marker phrases say. Hard-wrapped sentences are joined again; a
    body line that a scraper glued together from several page elements ("…Vice PresidNew electric…") is split
    where the elements meet."""
    dump: list[DumpLine] = []
    blank_before = False
    for number, line in _unwrapped(split_glued_markers(text)):
        if not line:
            blank_before = True
            continue
        kind = classify(line)
        seams = glued_seams(line) if kind is LineKind.BODY and len(line) >= 20 else []
        if not seams:
            dump.append(DumpLine(line, number, blank_before, kind))
        else:
            for piece_number, (start, end) in enumerate(zip([0, *seams], [*seams, len(line)])):
                piece = line[start:end].strip()
                if piece:
                    piece_kind = classify(piece)
                    dump.append(DumpLine(piece, number, blank_before and piece_number == 0, piece_kind))
        blank_before = False
    return dump


def _unwrapped(lines: list[str]) -> list[tuple[int, str]]:
    """(first line number, line) with each hard-wrapped sentence on one line: a line that does not end a sentence
    continues on the next when that starts in lower case."""
    joined: list[tuple[int, str]] = []
    for number, line in enumerate(lines):
        if joined and line and _continues(joined[-1][1], line):
            joined[-1] = (joined[-1][0], f"{joined[-1][1]} {line}")
        else:
            joined.append((number, line))
    return joined


def _continues(previous: str, line: str) -> bool:
    if not line[:1].islower() or len(previous) < 20 or not previous[-1:].isalnum() or len(previous) > MAX_LINE_CHARS:
        return False
    if _PATTERNS.byline.match(line[:1].upper() + line[1:]):
        return False  # "di Giulia Ferri" under a headline is a byline, not the headline going on
    return classify(line) is LineKind.BODY  # "read more »" or a credit is never the rest of a sentence


def body_candidate_text(dump: list[DumpLine], taken: set[int]) -> str:
    """The lines that may be body (no marker line, no related item), one per line: what the language is read from.

    A glued teaser block or a related item is often the longest line of a dump, and may be in another language.
    """
    return "\n".join(line.text for index, line in enumerate(dump) if line.kind is LineKind.BODY and index not in taken)


def clean_text_dump(
    text: str,
    function_words: frozenset[str] | None = None,
    *,
    declared_language: str | None = None,
    find_body: bool = True,
    model: BodyModel | None = None,
) -> TextCleaning:
    """Cut the article body out of a text dump, set related items apart, and find a byline line.

    With find_body the body model picks the body among the lines; without it (text an HTML extractor already cut
    out of its page) every line that is not boilerplate, a teaser or a related block is body, up to a line that
    starts the comments or a popularity list. Without `function_words`, those of the declared language are used,
    else those of the language the lines that may be body are in.
    """
    dump = read_dump(text)
    related, taken = related_items_of(dump)
    if find_body:
        if function_words is None:
            function_words = function_words_for(body_candidate_text(dump, taken), declared_language)
        candidates = body_mask(dump, function_words, model, set_apart=taken)
    else:
        tail = next((index for index, line in enumerate(dump) if line.kind is LineKind.TAIL), len(dump))
        candidates = [index < tail for index in range(len(dump))]
    body = [
        index
        for index, line in enumerate(dump)
        if candidates[index] and line.kind is LineKind.BODY and index not in taken
    ]
    if find_body:
        body = _without_loose_ends(dump, body)
    byline, byline_index = _byline_near(dump, body[0] if body else 0)
    if byline_index is not None and body and byline_index in body:
        body.remove(byline_index)
    paragraphs = _paragraphs(dump, body, has_blank_lines=any(line.blank_before for line in dump))
    return TextCleaning(paragraphs=tuple(paragraphs), related=tuple(related), byline=byline)


# A body starts and ends with a sentence: short lines that end none at its edges are a kicker, a date, a place
# line, a heading of what comes next or a button.
_LONGEST_LOOSE_END = 150
_MOST_LOOSE_END_WORDS = 20
_MOST_LOOSE_ENDS = 3  # lines at each end


def _without_loose_ends(dump: list[DumpLine], body: list[int]) -> list[int]:
    """The body without short non-sentence lines at its start and end."""

    def loose(index: int) -> bool:
        text = dump[index].text
        return (
            len(text) <= _LONGEST_LOOSE_END
            and len(text.split()) <= _MOST_LOOSE_END_WORDS
            and not text.endswith(_TERMINAL_CHARACTERS)
        )

    start, end = 0, len(body)
    while start < min(end, _MOST_LOOSE_ENDS) and loose(body[start]):
        start += 1
    while end > max(start, len(body) - _MOST_LOOSE_ENDS) and loose(body[end - 1]):
        end -= 1
    return body[start:end] if start < end else body


def related_items_of(dump: list[DumpLine]) -> tuple[list[RelatedItem], set[int]]:
    """Teasers and related blocks anywhere in the dump, and the lines they take."""
    related: list[RelatedItem] = []
    taken: set[int] = set()
    index = 0
    while index < len(dump):
        line = dump[index]
        if line.kind is LineKind.TEASER:
            taken.add(index)
            match = teaser_match(line.text)
            title = match.group("title").strip() if match else ""
            if title and not is_boilerplate(title):
                item = item_from_teaser(title)
                if item is not None:
                    related.append(item)
        elif line.kind is LineKind.RELATED_BLOCK:
            match = related_block_match(line.text)
            rest_of_line = match.groupdict().get("rest") if match else None
            rest = [rest_of_line.strip()] if rest_of_line else []
            end = _block_end(dump, index + 1, after_headline=bool(rest) and is_headline_shaped(rest[0]))
            block = _source_lines(dump[index + 1 : end])
            related.extend(
                parse_related_block([line for line in rest if not is_boilerplate(line)] + block, furniture_removed=True)
            )
            taken.update(range(index, end))
            index = end
            continue
        index += 1
    return related, taken


def _source_lines(lines: list[DumpLine]) -> list[str]:
    """The dump's own lines again, pieces split at glued seams put back together as the scraper left them, without
    their boilerplate pieces."""
    return [text for text in map(_without_furniture, _by_source_line(lines)) if text]


def _by_source_line(lines: list[DumpLine]) -> list[list[DumpLine]]:
    """Consecutive pieces grouped by the dump line they came from."""
    grouped: list[list[DumpLine]] = []
    for line in lines:
        if grouped and grouped[-1][-1].source_line == line.source_line:
            grouped[-1].append(line)
        else:
            grouped.append([line])
    return grouped


def _without_furniture(pieces: list[DumpLine]) -> str:
    """The pieces of one dump line joined again, boilerplate pieces ("Advertisement" glued to a title) left out."""
    return "".join(piece.text for piece in pieces if piece.kind is not LineKind.BOILERPLATE)


def _block_end(dump: list[DumpLine], start: int, *, after_headline: bool = False) -> int:
    """Where a related block ends: at the next block or the comments, or where the article's prose resumes.

    Up to the last "Read more »" separator everything belongs to the block. After it (or without separators),
    items are headlines, headlines with a short summary line under them, or titles glued to their summaries;
    a line of prose that follows no headline is the body going on.
    """
    stop = next(
        (index for index in range(start, len(dump)) if dump[index].kind in (LineKind.RELATED_BLOCK, LineKind.TAIL)),
        len(dump),
    )
    separators = [index for index in range(start, stop) if _is_separator(dump[index].text)]
    index = separators[-1] + 1 if separators else start
    after_headline = after_headline and not separators
    titles_only: bool | None = None  # decided by the block's first items: a list of titles, or titles with summaries
    # A line split at glued seams is judged whole, as the scraper left it ("TitleSummary…").
    for pieces in _by_source_line(dump[index:stop]):
        text = _without_furniture(pieces)
        if not text or _is_blurb(text):
            index += len(pieces)
            continue
        if is_glued_item(text):
            after_headline = False
        elif after_headline and not titles_only and is_item_summary(text):
            titles_only = False
            after_headline = False
        elif is_headline_shaped(text):
            if after_headline and titles_only is None:
                titles_only = True
            after_headline = True
        else:
            break
        index += len(pieces)
    return index


_NAME_ONLY = re.compile(r"[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’-]+(?: [A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’-]+){1,2}")


def _byline_near(dump: list[DumpLine], body_start: int) -> tuple[str | None, int | None]:
    """The author's name from a byline line ("By Jane Doe") among the few lines before the body (marker lines
    such as a date are not counted) or at its start."""
    first = body_start
    unmarked_seen = 0
    while first > 0 and unmarked_seen < _BYLINE_SEARCH_BEFORE:
        first -= 1
        unmarked_seen += dump[first].kind is not LineKind.BOILERPLATE
    for index in range(first, min(len(dump), body_start + _BYLINE_SEARCH_AFTER)):
        line = dump[index]
        text = line.text[:1].upper() + line.text[1:]  # "di Giulia Ferri" under an Italian headline
        if line.kind is LineKind.BODY and len(text) <= 120 and (match := _PATTERNS.byline.match(text)):
            return (match.group("name") or match.group("named")).strip(), index
    # Without a byline word: a line that is only a name, with the author's role on the line under it.
    for index in range(first, max(first, body_start - 1)):
        if _NAME_ONLY.fullmatch(dump[index].text) and dump[index + 1].kind is LineKind.BODY:
            return dump[index].text, index
    return None, None


def _paragraphs(dump: list[DumpLine], body: list[int], *, has_blank_lines: bool) -> list[str]:
    """The body's paragraphs: glued pieces of one line joined again, then blank-line blocks or one per line."""
    lines: list[tuple[str, bool]] = []  # (text, starts a new blank-line block)
    previous: DumpLine | None = None
    for index in body:
        line = dump[index]
        if previous is not None and line.source_line == previous.source_line and lines:
            lines[-1] = (lines[-1][0] + line.text, lines[-1][1])
        else:
            lines.append((line.text, line.blank_before))
        previous = line
    paragraphs: list[str] = []
    if not has_blank_lines:
        return [repair_artefacts(text) for text, _ in lines]
    block: list[str] = []
    for text, new_block in lines:
        if new_block and block:
            paragraphs.extend(_join_wrapped(block))
            block = []
        block.append(repair_artefacts(text))
    if block:
        paragraphs.extend(_join_wrapped(block))
    return paragraphs
