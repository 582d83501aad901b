"""Scores of the enrich step against hand-written expectations: language, dateline, date mentions, people, places,
quotes and their speakers (the metric of bench/enrichment_eval.py; the expectation keys are described in
tests/fixtures/enrichment/README.md).

Entities are matched one to one and counted as found right, found wrong or missed. A date mention counts when its
resolved date is equal and one text holds the other ("Donnerstag" and "am Donnerstag"); people are compared by full
name; places by GeoNames id when the article carries ids, else by name; quotes when one text holds the other once
quotation marks and edge punctuation are set aside. Names and texts are compared without regard to case or spacing.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workers.records import SourceRecord
from workers.runner import run_pipeline
from workers.settings import PipelineSettings
from workers.timestamps import format_rfc3339, parse_rfc3339

# Quotation marks of every language of the sets, and the punctuation that closes a quote before its attribution
# ("…,“ sagte"), stripped from both ends before quote texts are compared.
_QUOTE_EDGES = "\"'“”„‟«»‹›‘’‚「」『』 ,.;:!?–—-…"
# A found quote must hold at least half of the expected text (or the reverse): a phrase in scare quotes inside an
# expected quote is not that quote.
_SHORTEST_QUOTE_SHARE = 0.5
_SPACES = re.compile(r"\s+")
# Norwegian Bokmål has its own ISO 639-1 code beside the macrolanguage's; an article tagged "nb" is Norwegian.
_LANGUAGE_ALIASES = {"nb": "no"}


@dataclass
class Tally:
    """True positives, false positives and false negatives of one kind of entity."""

    found_right: int = 0
    found_wrong: int = 0
    missed: int = 0

    def add(self, other: Tally) -> None:
        self.found_right += other.found_right
        self.found_wrong += other.found_wrong
        self.missed += other.missed

    @property
    def precision(self) -> float | None:
        found = self.found_right + self.found_wrong
        return self.found_right / found if found else None

    @property
    def recall(self) -> float | None:
        expected = self.found_right + self.missed
        return self.found_right / expected if expected else None

    @property
    def f1(self) -> float | None:
        precision, recall = self.precision or 0.0, self.recall or 0.0
        if self.precision is None and self.recall is None:
            return None
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@dataclass
class Score:
    """The measurements of one dump, or the sum over several."""

    dumps: int = 0
    language_right: int = 0
    dateline_right: int = 0
    dates: Tally = field(default_factory=Tally)
    people: Tally = field(default_factory=Tally)
    places: Tally = field(default_factory=Tally)
    places_by_id: int = 0  # dumps whose event carried GeoNames ids, so that places were compared by id
    quotes: Tally = field(default_factory=Tally)
    speaker_right: int = 0
    # Of the expected weekday mismatches, how many were found as mentions with weekday_mismatch set.
    mismatches_expected: int = 0
    mismatches_flagged: int = 0
    details: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.dumps += other.dumps
        self.language_right += other.language_right
        self.dateline_right += other.dateline_right
        self.places_by_id += other.places_by_id
        self.speaker_right += other.speaker_right
        self.mismatches_expected += other.mismatches_expected
        self.mismatches_flagged += other.mismatches_flagged
        for mine, theirs in (
            (self.dates, other.dates),
            (self.people, other.people),
            (self.places, other.places),
            (self.quotes, other.quotes),
        ):
            mine.add(theirs)


def folded(text: str) -> str:
    """Case-, width- and spacing-insensitive form of a name or text (NFKC, casefolded, single spaces)."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def quote_key(text: str) -> str:
    return folded(text).strip(_QUOTE_EDGES)


def match_one_to_one(
    expected: Sequence[Any], found: Sequence[Any], same: Callable[[Any, Any], bool]
) -> list[tuple[int, int]]:
    """Index pairs (expected, found), each item used at most once: the first unused found item for each expected."""
    unused = list(range(len(found)))
    pairs = []
    for want_index, want in enumerate(expected):
        for found_index in unused:
            if same(want, found[found_index]):
                pairs.append((want_index, found_index))
                unused.remove(found_index)
                break
    return pairs


def tally(expected: Sequence[Any], found: Sequence[Any], pairs: Sequence[tuple[int, int]]) -> Tally:
    return Tally(found_right=len(pairs), found_wrong=len(found) - len(pairs), missed=len(expected) - len(pairs))


def contains_either_way(first: str, second: str) -> bool:
    return bool(first) and bool(second) and (first in second or second in first)


def same_date_mention(want: dict[str, Any], got: dict[str, Any]) -> bool:
    """Same resolved date, and one text within the other: "Donnerstag" matches "am Donnerstag" and back."""
    return want["date"] == got.get("date") and contains_either_way(folded(want["text"]), folded(got.get("text") or ""))


def same_quote(want: dict[str, Any], got: dict[str, Any]) -> bool:
    """One quote text within the other, once quotation marks and edge punctuation are set aside, and at least half
    as long."""
    wanted, found = quote_key(want["text"]), quote_key(got.get("text") or "")
    shorter, longer = sorted((len(wanted), len(found)))
    return contains_either_way(wanted, found) and shorter >= longer * _SHORTEST_QUOTE_SHARE


def place_fields(place: Any) -> tuple[str, int | None]:
    """(name, GeoNames id or None) of an event's place, given as a string or as {name, geonames_id, country_code}."""
    if isinstance(place, str):
        return place, None
    geonames_id = place.get("geonames_id")
    return str(place.get("name") or ""), int(geonames_id) if geonames_id is not None else None


def distinct(keys: Iterable[Any]) -> list[Any]:
    return list(dict.fromkeys(key for key in keys if key))


def score_article(article: dict[str, Any] | None, expectation: dict[str, Any]) -> Score:
    """How one normalized article (None: the dump became a dead letter) measures up to its expectation."""
    article = article or {}
    score = Score(dumps=1)
    if not article:
        score.details.append("no article came out (dead letter)")
    language = article.get("language")
    score.language_right = int(_LANGUAGE_ALIASES.get(language or "", language) == expectation["language"])
    if not score.language_right:
        score.details.append(f"language {language!r}, expected {expectation['language']!r}")

    dateline, expected_dateline = article.get("dateline"), expectation["dateline"]
    score.dateline_right = int(
        (dateline is None and expected_dateline is None)
        or (dateline is not None and expected_dateline is not None and folded(dateline) == folded(expected_dateline))
    )
    if not score.dateline_right:
        score.details.append(f"dateline {dateline!r}, expected {expected_dateline!r}")

    found_mentions = article.get("date_mentions", [])
    pairs = match_one_to_one(expectation["date_mentions"], found_mentions, same_date_mention)
    score.dates = tally(expectation["date_mentions"], found_mentions, pairs)
    score.mismatches_expected = sum(1 for mention in expectation["date_mentions"] if mention.get("weekday_mismatch"))
    score.mismatches_flagged = sum(
        1
        for want_index, found_index in pairs
        if expectation["date_mentions"][want_index].get("weekday_mismatch")
        and found_mentions[found_index].get("weekday_mismatch")
    )
    for mention in unpaired(expectation["date_mentions"], pairs, 0):
        score.details.append(f"date missed: {mention['text']!r} → {mention['date']}")
    for mention in unpaired(found_mentions, pairs, 1):
        score.details.append(f"date extra: {mention.get('text')!r} → {mention.get('date')}")

    expected_people = distinct(folded(name) for name in expectation["people"])
    found_people = distinct(folded(person.get("name") or "") for person in article.get("people", []))
    pairs = match_one_to_one(expected_people, found_people, str.__eq__)
    score.people = tally(expected_people, found_people, pairs)
    score.details += [f"person missed: {name}" for name in unpaired(expected_people, pairs, 0)]
    score.details += [f"person extra: {name}" for name in unpaired(found_people, pairs, 1)]

    found_places = [place_fields(place) for place in article.get("places", [])]
    by_id = any(geonames_id is not None for _, geonames_id in found_places)
    score.places_by_id = int(by_id)
    if by_id:
        expected_places = distinct(place["geonames_id"] for place in expectation["places"])
        found_keys = distinct(geonames_id for _, geonames_id in found_places)
    else:
        expected_places = distinct(folded(place["name"]) for place in expectation["places"])
        found_keys = distinct(folded(name) for name, _ in found_places)
    pairs = match_one_to_one(expected_places, found_keys, lambda want, got: bool(want == got))
    score.places = tally(expected_places, found_keys, pairs)
    score.details += [f"place missed: {key}" for key in unpaired(expected_places, pairs, 0)]
    score.details += [f"place extra: {key}" for key in unpaired(found_keys, pairs, 1)]

    found_quotes = article.get("quotes", [])
    pairs = match_one_to_one(expectation["quotes"], found_quotes, same_quote)
    score.quotes = tally(expectation["quotes"], found_quotes, pairs)
    for want_index, found_index in pairs:
        want, got = expectation["quotes"][want_index], found_quotes[found_index]
        expected_speaker, speaker = want["speaker"], got.get("speaker")
        right = (expected_speaker is None and speaker is None) or (
            expected_speaker is not None and speaker is not None and folded(expected_speaker) == folded(speaker)
        )
        score.speaker_right += int(right)
        if not right:
            score.details.append(f"speaker {speaker!r}, expected {expected_speaker!r}: {want['text'][:50]!r}")
    score.details += [f"quote missed: {q['text'][:60]!r}" for q in unpaired(expectation["quotes"], pairs, 0)]
    score.details += [f"quote extra: {q.get('text', '')[:60]!r}" for q in unpaired(found_quotes, pairs, 1)]
    return score


def unpaired(items: Sequence[Any], pairs: Sequence[tuple[int, int]], side: int) -> list[Any]:
    """The items of one side (0: expected, 1: found) that no pair uses."""
    used = {pair[side] for pair in pairs}
    return [item for index, item in enumerate(items) if index not in used]


def raw_message(path: Path, expectation: dict[str, Any]) -> SourceRecord:
    """The dump as a transport hands it over: a bare text payload fetched at the reference time, or, when the
    expectation gives a language hint, a JSON envelope that declares it (schemas/raw-article.v1.json)."""
    text = path.read_text(encoding="utf-8")
    # In UTC with a Z, as `newsflow process --reference-time` passes it on.
    fetched_at = format_rfc3339(parse_rfc3339(expectation["reference_time"]))
    hint = expectation.get("language_hint")
    if hint is None:
        return SourceRecord(
            payload=text.encode("utf-8"), name=path.stem, content_type_hint="text", timestamp=fetched_at
        )
    envelope = {"id": path.stem, "text": text, "fetched_at": fetched_at, "language": hint}
    return SourceRecord(payload=json.dumps(envelope, ensure_ascii=False).encode("utf-8"), name=path.stem)


def article_of(path: Path, expectation: dict[str, Any]) -> dict[str, Any] | None:
    """The normalized article the pipeline makes of a dump, or None when it makes a dead letter instead."""
    for event in run_pipeline(raw_message(path, expectation), PipelineSettings()):
        if event.topic_role == "article":
            article: dict[str, Any] = json.loads(event.value)
            return article
    return None
