"""The benchmark metric (workers.evaluation), checked on hand-computed cases."""

from __future__ import annotations

import gzip
from pathlib import Path

import orjson
import pytest

from workers.evaluation import load_benchmark, read_page_bytes, score_corpus, score_page, score_predictions, shingles


def test_shingles_are_four_token_windows_and_a_short_text_is_one_shingle() -> None:
    assert shingles("a b c d e") == {("a", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1}
    assert shingles("two words") == {("two", "words"): 1}
    assert shingles(" ,. ") == {}


def test_identical_texts_score_one_and_both_empty_score_one() -> None:
    identical = score_page("one two three four five", "one two three four five")
    assert (identical.precision, identical.recall) == (1.0, 1.0)
    empty = score_page("", "")
    assert (empty.precision, empty.recall) == (1.0, 1.0)


def test_extra_text_lowers_precision_and_missing_text_lowers_recall() -> None:
    gold = "a b c d e f"  # 3 shingles
    extra = score_page("a b c d e f g h", gold)  # 5 shingles, 3 shared
    assert extra.precision == pytest.approx(3 / 5) and extra.recall == 1.0
    missing = score_page("a b c d", gold)  # 1 shingle, shared
    assert missing.precision == 1.0 and missing.recall == pytest.approx(1 / 3)
    nothing = score_page("", gold)
    assert (nothing.precision, nothing.recall) == (0.0, 0.0)


def test_shingles_are_counted_as_a_multiset() -> None:
    repeated = score_page("x y z w x y z w", "x y z w")  # predicted: 5 shingles, one of them shared once
    assert repeated.precision == pytest.approx(1 / 5)


def test_corpus_f1_is_the_harmonic_mean_of_mean_precision_and_mean_recall() -> None:
    result = score_predictions({"a": "a b c d e f g h", "b": ""}, {"a": "a b c d e f", "b": "p q r s"})
    assert result.pages == 2
    assert result.precision == pytest.approx((3 / 5 + 0) / 2)
    assert result.recall == pytest.approx((1 + 0) / 2)
    assert result.f1 == pytest.approx(2 * result.precision * result.recall / (result.precision + result.recall))
    assert score_corpus([]).pages == 0


def test_load_benchmark_reads_the_corpus_layout(tmp_path: Path) -> None:
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "p1.html.gz").write_bytes(gzip.compress(b"<html><body><p>hi</p></body></html>"))
    truth = {"p1": {"articleBody": "hi", "url": "https://example.com/a"}}
    (tmp_path / "ground-truth.json").write_bytes(orjson.dumps(truth))
    (page,) = load_benchmark(tmp_path)
    assert (page.page_id, page.url, page.gold) == ("p1", "https://example.com/a", "hi")
    assert read_page_bytes(page).startswith(b"<html>")
