"""Which lines of a text dump are the article's body: a model of what any reader sees in a line.

Each line is described by shallow text features that hold in any language written with spaces between words
(after boilerpipe's, Kohlschütter et al. 2010, and jusText's, Pomikálek 2011): its length, the share of the
language's function words, sentence shape and punctuation, capitals and digits, whether it repeats elsewhere in
the dump, the runs of short or headline-shaped lines around it, its neighbours, and the known marker phrases as
evidence. A logistic model (weights in data/body_model.json, fitted by bench/train_body_model.py) turns these
into the probability that the line is body text. The body is then the densest run of probable body lines (the
maximum-sum segment of Finn et al. 2001's body-text extraction, over probabilities instead of tags), which never
crosses a line that starts a comments or popularity list.
"""

from __future__ import annotations

import bisect
import itertools
import math
import operator
import re
import string
from collections import Counter
from collections.abc import Sequence, Set
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import NamedTuple

import orjson

from workers.stages.text.line_kinds import LineKind

_WORD = re.compile(r"\w+")
_TERMINAL = tuple(".!?…\"”»’'。！？」")
_SEPARATOR_TOKENS = frozenset("|›»>/•·–—")
_SENTENCE_BREAK = re.compile(r"[.!?…][\"”’»)]?\s+[\"“«]?[^\W\d_]")
_CLOCK_OR_YEAR = re.compile(r"\b(?:\d{1,2}:\d{2}|(?:19|20)\d{2})\b")
# Scripts written without spaces between words: a word count of such a line is estimated from its characters.
_UNSPACED_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")
_MARKER_KINDS = (LineKind.BOILERPLATE, LineKind.TEASER, LineKind.RELATED_BLOCK, LineKind.TAIL)
_SHORT_LINE_CHARS = 40
_CHARACTER_SAMPLE = 160
# Deletes digits and the underscore, the \w characters that are not letters.
_NOT_LETTER = str.maketrans("", "", "0123456789_")
_CONTEXT_WINDOW = 3
_ASCII_CAPITALS = string.ascii_uppercase.encode("ascii")
_ASCII_LETTERS = string.ascii_letters.encode("ascii")
_ASCII_DIGITS = string.digits.encode("ascii")


class DumpLine(NamedTuple):
    """A non-blank line of a dump (or a piece of one that the scraper glued to the next element)."""

    text: str
    source_line: int  # the dump line it came from; pieces of one glued line share it
    blank_before: bool
    kind: LineKind


class _Shape(NamedTuple):
    chars: float
    words: float
    word_count: int
    density: float
    function_words: float
    terminal: float
    sentences: float
    commas: float
    capitals: float
    upper: float
    digits: float
    lower_start: float
    separators: float
    repeated: float
    short: float
    dated: float
    prose: float
    marker: float


def character_counts(sample: str) -> tuple[int, int, int]:
    """Letters, capital letters and digits in the sample (as str.isalpha, str.isupper and str.isdigit count)."""
    if sample.isascii():  # deleting a class of bytes counts it in one C pass, a third of three map() passes
        raw = sample.encode("ascii")
        size = len(raw)
        return (
            size - len(raw.translate(None, _ASCII_LETTERS)),
            size - len(raw.translate(None, _ASCII_CAPITALS)),
            size - len(raw.translate(None, _ASCII_DIGITS)),
        )
    return sum(map(str.isalpha, sample)), sum(map(str.isupper, sample)), sum(map(str.isdigit, sample))


def _shape(text: str, function_words: frozenset[str], repeated: bool) -> _Shape:
    words = _WORD.findall(text)
    count = len(words)
    if not function_words and count * 8 < len(text):
        unspaced = len(_UNSPACED_SCRIPT.findall(text))
        if unspaced * 3 > len(text):
            count = max(count, unspaced // 2)
    terminal = text.endswith(_TERMINAL)
    # map() over str methods and set lookups: the counting loops run in C (a generator per count cost most of
    # the features' time).
    if function_words:
        # Lower-casing ASCII never moves a word boundary, so its words are lowered one by one instead of being
        # searched again; elsewhere it may ("İ" becomes "i" and a combining dot, which is not a word character).
        lowered = map(str.lower, words) if text.isascii() else _WORD.findall(text.lower())
        hits = sum(map(function_words.__contains__, lowered))
        density = hits / count if count else 0.0
    else:  # no list for this language: a finished sentence is the only evidence of prose
        hits = 0
        density = 0.3 if terminal and len(text) >= 15 else 0.1
    initials = "".join([word[0] for word in words]).translate(_NOT_LETTER)  # the words' first letters
    capitals = sum(map(str.isupper, initials)) / len(initials) if initials else 0.0
    sample = text[:_CHARACTER_SAMPLE]  # shares of capitals and digits hardly move past a line's start
    letters, capital_letters, digit_count = character_counts(sample)
    upper = capital_letters / letters if letters else 0.0
    digits = digit_count / len(sample)
    separators = sum(map(_SEPARATOR_TOKENS.__contains__, text.split()))
    return _Shape(
        chars=math.log1p(len(text)),
        words=math.log1p(count),
        word_count=count,
        density=density,
        function_words=math.log1p(hits),
        terminal=1.0 if terminal else 0.0,
        sentences=min(len(_SENTENCE_BREAK.findall(text)), 5) / 5,
        commas=min(text.count(",") / count, 1.0) if count else 0.0,
        capitals=capitals,
        upper=upper,
        digits=digits,
        lower_start=1.0 if text[:1].islower() else 0.0,
        separators=min(separators, 4) / 4,
        repeated=1.0 if repeated else 0.0,
        short=1.0 if len(text) < _SHORT_LINE_CHARS else 0.0,
        dated=1.0 if count <= 10 and _CLOCK_OR_YEAR.search(text) else 0.0,
        prose=1.0 if density >= 0.3 and len(text) >= 120 else 0.0,
        marker=0.0,
    )


def _run_lengths(flags: Sequence[bool]) -> list[int]:
    """For each position, the length of the run of equal-and-true flags it belongs to (0 where false)."""
    lengths = [0] * len(flags)
    start = 0
    while start < len(flags):
        if not flags[start]:
            start += 1
            continue
        end = start
        while end < len(flags) and flags[end]:
            end += 1
        lengths[start:end] = [end - start] * (end - start)
        start = end
    return lengths


def _densest_prose(shapes: Sequence[_Shape], lines: Sequence[DumpLine]) -> tuple[int, int]:
    """A first guess at the body from shapes alone: the maximum-sum run of a crude prose weight per line."""
    weights = []
    for shape, line in zip(shapes, lines):
        length = len(line.text)
        if line.kind is LineKind.TAIL:
            weight = -2000.0
        elif shape.marker:
            weight = -50.0
        elif shape.prose:
            weight = float(length)
        elif shape.density >= 0.22 and length >= _SHORT_LINE_CHARS:
            weight = length * 0.5
        elif length < _SHORT_LINE_CHARS:
            weight = -15.0
        else:
            weight = -min(length, 200) * 0.5 - 10
        weights.append(weight)
    return maximum_sum_segment(weights)


def maximum_sum_segment(weights: Sequence[float]) -> tuple[int, int]:
    """First and last index of the contiguous run with the largest positive sum; (0, -1) when none is positive."""
    best = running = 0.0
    start = best_start = 0
    best_end = -1
    for index, weight in enumerate(weights):
        if running <= 0:
            running, start = weight, index
        else:
            running += weight
        if running > best:
            best, best_start, best_end = running, start, index
    return best_start, best_end


FEATURE_NAMES: tuple[str, ...] = (
    *_Shape._fields[:2],
    *_Shape._fields[3:-1],
    "blank_before",
    "headline_run",
    "short_run",
    "long_prose",
    "in_first_guess",
    "distance_to_first_guess",
    *(
        f"{side}_{name}"
        for side in ("previous", "next", "second_previous", "second_next")
        for name in ("density", "chars", "terminal", "prose", "short", "capitals")
    ),
    "window_prose",
    "window_dated",
    "window_short",
    "window_markers",
)


Row = tuple[float, ...]


# What the model sees of a marker line or a related item: a marker, and no text of its own.
_MARKER_SHAPE = _Shape(
    chars=0.0,
    words=0.0,
    word_count=0,
    density=0.0,
    function_words=0.0,
    terminal=0.0,
    sentences=0.0,
    commas=0.0,
    capitals=0.0,
    upper=0.0,
    digits=0.0,
    lower_start=0.0,
    separators=0.0,
    repeated=0.0,
    short=0.0,
    dated=0.0,
    prose=0.0,
    marker=1.0,
)


def line_features(
    lines: Sequence[DumpLine], function_words: frozenset[str], set_apart: Set[int] = frozenset()
) -> list[Row | None]:
    """The feature vector of every line in FEATURE_NAMES order; None for marker lines and the lines `set_apart`
    (a related block's items), which are never body and count only as markers in their neighbours' context."""
    counts = Counter(line.text for line in lines)
    shapes = [
        _MARKER_SHAPE
        if line.kind in _MARKER_KINDS or index in set_apart
        else _shape(line.text, function_words, counts[line.text] > 1)
        for index, line in enumerate(lines)
    ]
    guess_start, guess_end = _densest_prose(shapes, lines)
    headline_run = _run_lengths(
        [not shape.terminal and 2 <= shape.word_count <= 20 and not shape.sentences for shape in shapes]
    )
    short_run = _run_lengths([shape.word_count <= 3 for shape in shapes])
    empty = (0.0,) * 6  # beyond the dump's first or last line
    context = [
        (shape.density, shape.chars, shape.terminal, shape.prose, shape.short, shape.capitals) for shape in shapes
    ]
    # Neighbours are the nearest lines that are not markers: an advertisement, a photo credit or a teaser
    # interrupts the body without ending it.
    unmarked = [index for index, shape in enumerate(shapes) if not shape.marker]
    unmarked_set = set(unmarked)
    total = len(shapes)
    # Running sums, so that each line's window shares cost two lookups.
    prose_sums = [0.0, *itertools.accumulate(shape.prose for shape in shapes)]
    dated_sums = [0.0, *itertools.accumulate(shape.dated for shape in shapes)]
    short_sums = [0.0, *itertools.accumulate(shape.short for shape in shapes)]
    marker_sums = [0.0, *itertools.accumulate(shape.marker for shape in shapes)]
    rows: list[Row | None] = []
    for index, (shape, line) in enumerate(zip(shapes, lines)):
        if shape.marker:
            rows.append(None)
            continue
        own = (shape.chars, shape.words, *shape[3:-1])
        if guess_start <= index <= guess_end:
            distance = 0
        else:
            distance = guess_start - index if index < guess_start else index - guess_end
        # Ranks in `unmarked` of the nearest unmarked lines before and after this one.
        before = bisect.bisect_left(unmarked, index) - 1
        after = before + 2 if index in unmarked_set else before + 1
        neighbours: list[float] = []
        for rank in (before, after, before - 1, after + 1):
            neighbours.extend(context[unmarked[rank]] if 0 <= rank < len(unmarked) else empty)
        low, high = max(0, index - _CONTEXT_WINDOW), min(total, index + _CONTEXT_WINDOW + 1)
        width = high - low
        rows.append(
            (
                *own,
                1.0 if line.blank_before else 0.0,
                math.log1p(headline_run[index]),
                math.log1p(short_run[index]),
                1.0 if shape.density >= 0.25 and shape.word_count >= 30 else 0.0,
                1.0 if distance == 0 and guess_end >= 0 else 0.0,
                math.log1p(distance),
                *neighbours,
                (prose_sums[high] - prose_sums[low]) / width,
                (dated_sums[high] - dated_sums[low]) / width,
                (short_sums[high] - short_sums[low]) / width,
                (marker_sums[high] - marker_sums[low]) / width,
            )
        )
    return rows


_DENSITY_FEATURE = FEATURE_NAMES.index("density")
_TERMINAL_FEATURE = FEATURE_NAMES.index("terminal")
_WORDS_FEATURE = FEATURE_NAMES.index("words")
_GUESS_FEATURE = FEATURE_NAMES.index("in_first_guess")
# A sentence of running text: this many words at least, ending as a sentence does, with this share of function
# words (the features hold log(1 + words)).
_SENTENCE_WORDS = math.log1p(8)
_SENTENCE_DENSITY = 0.25


@dataclass(frozen=True)
class BodyModel:
    """Logistic weights per feature, and how probabilities become the body."""

    weights: tuple[float, ...]
    intercept: float
    # A line adds (probability - region_center) × its length ** length_power to the body run's score.
    region_center: float
    length_power: float
    # Inside the body run a line is kept from this probability on; outside it only from keep_outside on.
    keep_inside: float
    keep_outside: float
    # The run grows over adjacent lines from this probability on.
    extend_from: float


@cache
def load_model() -> BodyModel:
    """The fitted model shipped with the package (workers/stages/data/body_model.json)."""
    data = orjson.loads(resources.files("workers.stages").joinpath("data/body_model.json").read_bytes())
    names = tuple(data["features"])
    if names != FEATURE_NAMES:
        raise RuntimeError("body_model.json was fitted on other features; refit with bench/train_body_model.py")
    return BodyModel(
        weights=tuple(float(weight) for weight in data["weights"]),
        intercept=float(data["intercept"]),
        region_center=float(data["region_center"]),
        length_power=float(data["length_power"]),
        keep_inside=float(data["keep_inside"]),
        keep_outside=float(data["keep_outside"]),
        extend_from=float(data["extend_from"]),
    )


def body_probabilities(features: Sequence[Row | None], model: BodyModel) -> list[float]:
    """The model's probability that each line is body text (0 for a line without features)."""
    probabilities = []
    for row in features:
        if row is None:
            probabilities.append(0.0)
            continue
        score = model.intercept + sum(map(operator.mul, model.weights, row))
        probabilities.append(1.0 / (1.0 + math.exp(-max(min(score, 40.0), -40.0))))
    return probabilities


# When the body run holds less than body_mask's min_chars, lower bars are tried in turn: a real article is never
# dropped for being surrounded by navigation or written without full stops.
_LOWER_BARS = (0.2, 0.1, 0.05)


def _extended(
    lines: Sequence[DumpLine],
    probabilities: Sequence[float],
    prose: Sequence[bool],
    transparent: Sequence[bool],
    start: int,
    end: int,
    threshold: float,
) -> tuple[int, int]:
    """The run grown over the paragraphs just outside it, past marker lines: a first or last paragraph is the
    article's when it reads as a sentence or the model finds it likely, whatever its neighbours make of it."""
    for step in (-1, 1):
        index = (start if step < 0 else end) + step
        while 0 <= index < len(lines) and lines[index].kind is not LineKind.TAIL:
            if not transparent[index]:
                if not (prose[index] or probabilities[index] >= threshold):
                    break
                start, end = min(start, index), max(end, index)
            index += step
    return start, end


def body_mask(
    lines: Sequence[DumpLine],
    function_words: frozenset[str],
    model: BodyModel | None = None,
    min_chars: int = 200,
    set_apart: Set[int] = frozenset(),
) -> list[bool]:
    """Which lines are body: probable lines in the densest run of them, and near-certain ones anywhere.

    Lines `set_apart` (a related block's items) interrupt the body without ending it, as marker lines do.
    """
    if not lines:
        return []
    model = model or load_model()
    transparent = [line.kind in _MARKER_KINDS or index in set_apart for index, line in enumerate(lines)]
    features = line_features(lines, function_words, set_apart)
    probabilities = body_probabilities(features, model)
    # Running prose that ends as a sentence does: a paragraph no page furniture is made of.
    prose = [
        row is not None
        and row[_TERMINAL_FEATURE] == 1.0
        and row[_DENSITY_FEATURE] >= _SENTENCE_DENSITY
        and row[_WORDS_FEATURE] >= _SENTENCE_WORDS
        for row in features
    ]
    sizes = [min(len(line.text), 1000) ** model.length_power for line in lines]
    mask: list[bool] = []
    for center in (model.region_center, *(bar for bar in _LOWER_BARS if bar < model.region_center)):
        # Marker lines weigh nothing: they are not body, but the body may go on after them.
        weights = [
            -math.inf if line.kind is LineKind.TAIL else 0.0 if clear else (probability - center) * size
            for line, probability, size, clear in zip(lines, probabilities, sizes, transparent)
        ]
        start, end = maximum_sum_segment(weights)
        if end < 0:  # no run scores above zero: the line likeliest to be prose, weighed by its length
            start = end = max(range(len(lines)), key=lambda index: probabilities[index] * sizes[index])
        start, end = _extended(lines, probabilities, prose, transparent, start, end, min(model.extend_from, center))
        mask = [
            not transparent[index]
            and (
                (start <= index <= end and (probability >= min(model.keep_inside, center) or prose[index]))
                or probability >= model.keep_outside
            )
            for index, probability in enumerate(probabilities)
        ]
        if _body_chars(lines, mask) >= min_chars:
            return mask
    # No bar finds a body of that size: the densest run of prose by shape alone, if it holds more.
    guess = [row is not None and row[_GUESS_FEATURE] == 1.0 for row in features]
    return guess if _body_chars(lines, guess) > _body_chars(lines, mask) else mask


def _body_chars(lines: Sequence[DumpLine], mask: Sequence[bool]) -> int:
    return sum(len(line.text) for line, kept in zip(lines, mask) if kept and line.kind is LineKind.BODY)
