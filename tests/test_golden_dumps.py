"""Golden text dumps: every tests/fixtures/dumps/<name>.txt goes through the whole pipeline in memory, and its
output is checked against the hand-written expectations in <name>.expect.json beside it.

An expectation file is a JSON object. A key that is present is checked, null included (a null dateline means the
article must have none); a key that is left out means "don't care". The keys:

    dead_letter_reason  null (an article must come out) or the dead-letter reason code that must come out instead
    body_starts         the normalized article's body starts with this (the text after the dateline)
    body_ends           the body ends with this
    body_contains       each string occurs in the body (paragraphs are separated by a blank line)
    body_excludes       no string occurs in the body (boilerplate, teasers, scraper artefacts)
    related             every related-link event, in order: kind, title, summary_starts (null: no summary),
                        source_domain, url, truncated
    dateline            the place taken out of the start of the body ("SEOUL"), or null
    byline              the author's name, or null
    language            ISO 639-1 code
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from workers.records import SourceRecord
from workers.runner import run_pipeline
from workers.settings import PipelineSettings

DUMPS_DIR = Path(__file__).resolve().parent / "fixtures" / "dumps"
DUMP_PATHS = sorted(DUMPS_DIR.glob("*.txt"))
# A fixed record time, so relative dates resolve the same way on every run.
REFERENCE_TIME = "2023-10-13T00:00:00Z"

EXPECTATION_KEYS = frozenset(
    {
        "dead_letter_reason",
        "body_starts",
        "body_ends",
        "body_contains",
        "body_excludes",
        "related",
        "dateline",
        "byline",
        "language",
    }
)
RELATED_KEYS = frozenset({"kind", "title", "summary_starts", "source_domain", "url", "truncated"})


@dataclass(frozen=True)
class DumpOutput:
    """The events one dump produced, decoded and sorted by role."""

    articles: tuple[dict[str, Any], ...]
    links: tuple[dict[str, Any], ...]
    dead_letters: tuple[dict[str, Any], ...]


@functools.cache
def run_dump(path: Path) -> DumpOutput:
    """Run the pipeline over one dump exactly as the offline CLI does for a .txt file (cached per session)."""
    record = SourceRecord(payload=path.read_bytes(), name=path.stem, content_type_hint="text", timestamp=REFERENCE_TIME)
    events = run_pipeline(record, PipelineSettings())
    by_role: dict[str, list[dict[str, Any]]] = {"article": [], "link": [], "deadletter": []}
    for event in events:
        assert event.topic_role in by_role, f"unexpected output role {event.topic_role!r}"
        by_role[event.topic_role].append(json.loads(event.value))
    return DumpOutput(tuple(by_role["article"]), tuple(by_role["link"]), tuple(by_role["deadletter"]))


@functools.cache
def load_expectation(path: Path) -> dict[str, Any]:
    expect_path = path.with_name(f"{path.stem}.expect.json")
    expectation: dict[str, Any] = json.loads(expect_path.read_text(encoding="utf-8"))
    return expectation


def expected(path: Path, key: str) -> Any:
    """The expectation for `key` (cases are only generated for dumps whose file specifies it)."""
    return load_expectation(path)[key]


def cases_with(key: str) -> pytest.MarkDecorator:
    """Parametrize over the dumps whose expectation file specifies `key`; article keys skip dead-letter dumps.

    A check a file leaves out ("don't care") is not generated at all, rather than generated and skipped.
    """
    paths = [
        path
        for path in DUMP_PATHS
        if key in load_expectation(path)
        and (key == "dead_letter_reason" or load_expectation(path).get("dead_letter_reason") is None)
    ]
    return pytest.mark.parametrize("path", paths, ids=[path.stem for path in paths])


def the_article(path: Path) -> dict[str, Any]:
    """The one normalized article of a dump; fails with the dead letter's reason when there is none."""
    output = run_dump(path)
    if output.dead_letters:
        letter = output.dead_letters[0]
        pytest.fail(
            f"{path.stem}: expected an article, got a dead letter "
            f"(reason={letter['reason']!r}, step={letter['step']!r}, error={letter['error']!r})"
        )
    assert len(output.articles) == 1, f"{path.stem}: expected exactly one article, got {len(output.articles)}"
    return output.articles[0]


def the_body(path: Path) -> str:
    body: str = the_article(path)["body"]
    return body


dump_cases = pytest.mark.parametrize("path", DUMP_PATHS, ids=[path.stem for path in DUMP_PATHS])


def test_dumps_directory_has_fixtures() -> None:
    assert len(DUMP_PATHS) >= 10, f"expected the golden dumps in {DUMPS_DIR}"


@dump_cases
def test_expectation_file_is_well_formed(path: Path) -> None:
    expect_path = path.with_name(f"{path.stem}.expect.json")
    assert expect_path.exists(), f"{path.name} has no {expect_path.name} beside it"
    expectation = load_expectation(path)
    assert set(expectation) <= EXPECTATION_KEYS, f"unknown keys: {sorted(set(expectation) - EXPECTATION_KEYS)}"
    assert "dead_letter_reason" in expectation, "every expectation file must say whether the dump is an article"
    for item in expectation.get("related", []):
        assert set(item) == RELATED_KEYS, f"a related item needs exactly {sorted(RELATED_KEYS)}: {item}"
        assert item["kind"] in ("similar", "inline", "hyperlink")


@cases_with("dead_letter_reason")
def test_dump_becomes_an_article_or_the_expected_dead_letter(path: Path) -> None:
    reason = expected(path, "dead_letter_reason")
    output = run_dump(path)
    if reason is None:
        assert not output.dead_letters, (
            f"expected an article, got dead letter(s): "
            f"{[(letter['reason'], letter['step'], letter['error']) for letter in output.dead_letters]}"
        )
        assert len(output.articles) == 1, f"expected exactly one article, got {len(output.articles)}"
    else:
        actual = [letter["reason"] for letter in output.dead_letters]
        assert actual == [reason], f"expected one dead letter {reason!r}, got {actual}"
        assert not output.articles, (
            f"expected no article, got one whose body starts {output.articles[0]['body'][:120]!r}"
        )


@cases_with("body_starts")
def test_body_starts_after_the_dateline(path: Path) -> None:
    start = expected(path, "body_starts")
    body = the_body(path)
    assert body.startswith(start), f"body starts {body[: len(start) + 40]!r}, expected {start!r}"


@cases_with("body_ends")
def test_body_ends_with_the_last_sentence_of_the_article(path: Path) -> None:
    end = expected(path, "body_ends")
    body = the_body(path)
    assert body.endswith(end), f"body ends {body[-(len(end) + 40) :]!r}, expected {end!r}"


@cases_with("body_contains")
def test_body_keeps_the_article_text(path: Path) -> None:
    wanted = expected(path, "body_contains")
    body = the_body(path)
    missing = [text for text in wanted if text not in body]
    assert not missing, f"missing from the body: {missing}\nbody:\n{body}"


@cases_with("body_excludes")
def test_body_has_no_boilerplate_teasers_or_artefacts(path: Path) -> None:
    unwanted = expected(path, "body_excludes")
    body = the_body(path)
    found = {text: _context(body, text) for text in unwanted if text in body}
    assert not found, f"left in the body (string: context): {found}"


def _context(body: str, text: str) -> str:
    at = body.index(text)
    return body[max(0, at - 50) : at + len(text) + 50]


def _comparable(actual: dict[str, Any], want: dict[str, Any] | None) -> dict[str, Any]:
    """A link event in the shape of an expected item, its summary cut to the length the expectation gives."""
    summary = actual.get("summary")
    wanted_start = want.get("summary_starts") if want else None
    if summary is not None and isinstance(wanted_start, str):
        summary = summary[: len(wanted_start)]
    return {
        "kind": actual.get("kind"),
        "title": actual.get("title"),
        "summary_starts": summary,
        "source_domain": actual.get("source_domain"),
        "url": actual.get("url"),
        "truncated": actual.get("truncated"),
    }


@cases_with("related")
def test_related_items_are_all_found_in_order(path: Path) -> None:
    wanted: list[dict[str, Any]] = expected(path, "related")
    output = run_dump(path)
    links = sorted(output.links, key=lambda link: link["position"])
    actual = [_comparable(link, wanted[index] if index < len(wanted) else None) for index, link in enumerate(links)]
    assert actual == wanted


@cases_with("dateline")
def test_dateline_is_taken_out_of_the_body(path: Path) -> None:
    dateline = expected(path, "dateline")
    article = the_article(path)
    assert article["dateline"] == dateline
    if dateline is not None:
        assert not article["body"].startswith(dateline), f"the dateline is still in the body: {article['body'][:80]!r}"


@cases_with("byline")
def test_byline_is_found_and_taken_out_of_the_body(path: Path) -> None:
    byline = expected(path, "byline")
    article = the_article(path)
    assert article["byline"] == byline
    if byline is not None:
        first_line = article["body"].split("\n", 1)[0]
        assert byline not in first_line, f"the byline is still at the top of the body: {first_line!r}"


@cases_with("language")
def test_language_is_detected(path: Path) -> None:
    language = expected(path, "language")
    assert the_article(path)["language"] == language
