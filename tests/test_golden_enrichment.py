"""Golden enrichment of the multilingual fixtures: every tests/fixtures/enrichment/<name>.txt goes through the whole
pipeline at its own reference time (and with its language hint, if the expectation gives one), and what the enrich
step found — language, dateline, date mentions with their dates, people, places with their GeoNames ids, quotes
with their speakers — is compared with <name>.golden.json beside it.

A changed output is then a reviewed diff. To accept the current output, rewrite the golden files with
    NEWSFLOW_UPDATE_GOLDEN=1 pytest tests/test_golden_enrichment.py
How close the output is to the hand-written expectations (<name>.expect.json) is printed by
bench/enrichment_eval.py; here a floor on it keeps a golden update from accepting a collapse.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from workers.enrichment_evaluation import article_of, score_article

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "enrichment"
DUMP_PATHS = sorted(path for path in FIXTURES.glob("*.txt") if path.with_suffix(".expect.json").exists())
ENRICHMENT_FIELDS = ("language", "dateline", "date_mentions", "people", "places", "quotes")
UPDATE_ENV = "NEWSFLOW_UPDATE_GOLDEN"


def expectation_of(path: Path) -> dict[str, Any]:
    expectation: dict[str, Any] = json.loads(path.with_suffix(".expect.json").read_text(encoding="utf-8"))
    return expectation


def enrichment_of(path: Path) -> dict[str, Any]:
    article = article_of(path, expectation_of(path))
    assert article is not None, f"{path.name} became a dead letter"
    return {field: article[field] for field in ENRICHMENT_FIELDS}


def test_every_supported_language_has_at_least_two_fixtures() -> None:
    languages = [expectation_of(path)["language"] for path in DUMP_PATHS]
    supported = ("en", "de", "fr", "es", "it", "pt", "nl", "pl", "sv", "da", "no", "tr", "id")
    assert {language: languages.count(language) for language in supported if languages.count(language) < 2} == {}


@pytest.mark.parametrize("path", DUMP_PATHS, ids=lambda path: path.stem)
def test_enrichment_matches_golden_file(path: Path) -> None:
    golden = path.with_suffix(".golden.json")
    found = enrichment_of(path)
    text = json.dumps(found, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if os.environ.get(UPDATE_ENV):
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"no golden file: run {UPDATE_ENV}=1 pytest {Path(__file__).name}"
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", DUMP_PATHS, ids=lambda path: path.stem)
def test_enrichment_keeps_the_language_and_most_dates_of_the_expectation(path: Path) -> None:
    expectation = expectation_of(path)
    score = score_article(article_of(path, expectation), expectation)
    assert score.language_right
    assert score.dates.recall is None or score.dates.recall >= 0.75, score.dates
