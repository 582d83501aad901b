"""The article-extraction benchmark metric: 4-token shingle precision and recall, averaged over pages.

Implemented from the description of Scrapinghub's article-extraction benchmark
(scrapinghub/article-extraction-benchmark): tokens are the matches of `\\w+`; a text's shingles are the multiset of
its 4-token windows (a text of fewer than four tokens is one shingle); per page TP is the multiset intersection; P
and R are means over pages and F1 = 2PR / (P + R).
"""

from __future__ import annotations

import gzip
import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import orjson

_TOKEN = re.compile(r"\w+")
SHINGLE_SIZE = 4


@dataclass(frozen=True)
class PageScore:
    precision: float
    recall: float


@dataclass(frozen=True)
class CorpusScore:
    f1: float
    precision: float
    recall: float
    pages: int


def shingles(text: str) -> Counter[tuple[str, ...]]:
    """The multiset of a text's 4-token windows; a shorter text is one shingle (none when it has no token)."""
    tokens = _TOKEN.findall(text)
    if not tokens:
        return Counter()
    if len(tokens) < SHINGLE_SIZE:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + SHINGLE_SIZE]) for i in range(len(tokens) - SHINGLE_SIZE + 1))


def score_page(predicted: str, gold: str) -> PageScore:
    """Shingle precision and recall of one predicted text against its gold text."""
    predicted_shingles, gold_shingles = shingles(predicted), shingles(gold)
    true_positives = sum((predicted_shingles & gold_shingles).values())
    predicted_total, gold_total = sum(predicted_shingles.values()), sum(gold_shingles.values())
    if predicted_total == 0 and gold_total == 0:
        return PageScore(1.0, 1.0)
    # An empty prediction claims nothing wrong but finds nothing: the benchmark scores its precision as 0.
    precision = true_positives / predicted_total if predicted_total else 0.0
    recall = true_positives / gold_total if gold_total else 0.0
    return PageScore(precision, recall)


def score_corpus(page_scores: Iterable[PageScore]) -> CorpusScore:
    """Mean precision and recall over pages, and the F1 of those two means."""
    scores = list(page_scores)
    if not scores:
        return CorpusScore(0.0, 0.0, 0.0, 0)
    precision = sum(score.precision for score in scores) / len(scores)
    recall = sum(score.recall for score in scores) / len(scores)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return CorpusScore(f1, precision, recall, len(scores))


def score_predictions(predictions: Mapping[str, str], gold: Mapping[str, str]) -> CorpusScore:
    """Score every gold page; a page without a prediction counts as an empty prediction."""
    return score_corpus(score_page(predictions.get(page_id, ""), gold_text) for page_id, gold_text in gold.items())


@dataclass(frozen=True)
class BenchmarkPage:
    page_id: str
    url: str | None
    path: Path  # html/<id>.html.gz of an HTML corpus, <id>.txt of a text-dump corpus
    gold: str


def is_dump_corpus(corpus_dir: Path) -> bool:
    """A folder of text dumps (<id>.txt beside ground-truth.json) rather than html/<id>.html.gz pages."""
    return not (corpus_dir / "html").is_dir()


def is_fitting_page(page_id: str) -> bool:
    """The half of every corpus that tuning may look at: ids whose SHA-1 starts with 0-7. The other half is kept
    aside and only measured (bench/README.md)."""
    return int(hashlib.sha1(page_id.encode("utf-8")).hexdigest()[0], 16) < 8


def load_benchmark(corpus_dir: Path) -> tuple[BenchmarkPage, ...]:
    """Pages of a corpus with ground-truth.json: html/<id>.html.gz pages, or <id>.txt text dumps."""
    truth = orjson.loads((corpus_dir / "ground-truth.json").read_bytes())
    dumps = is_dump_corpus(corpus_dir)
    pages = []
    for page_id in sorted(truth):
        entry = truth[page_id]
        pages.append(
            BenchmarkPage(
                page_id=page_id,
                url=entry.get("url"),
                path=corpus_dir / f"{page_id}.txt" if dumps else corpus_dir / "html" / f"{page_id}.html.gz",
                gold=entry.get("articleBody") or "",
            )
        )
    return tuple(pages)


def read_page_bytes(page: BenchmarkPage) -> bytes:
    """The page's raw bytes (un-gzipped for HTML pages)."""
    data = page.path.read_bytes()
    return gzip.decompress(data) if page.path.suffix == ".gz" else data
