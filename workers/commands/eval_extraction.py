"""`newsflow eval-extraction CORPUS_DIR`: score the HTML path of the clean stage on an extraction benchmark."""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from workers.evaluation import BenchmarkPage, CorpusScore, load_benchmark, read_page_html, score_corpus, score_page
from workers.records import StageFailure
from workers.settings import Settings
from workers.stages.decoding import decode_bytes, normalize_text
from workers.stages.html_extraction import extract_html
from workers.stages.text_cleaning import clean_text_dump

Extractor = Callable[[str, str | None], str]


@dataclass(frozen=True)
class ExtractorRun:
    name: str
    score: CorpusScore
    median_ms: float


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "eval-extraction",
        help="score HTML main-text extraction on a corpus (ground-truth.json + html/<id>.html.gz)",
        description=(
            "Extract the article body of every page of CORPUS_DIR as the clean stage does (HTML extraction, then "
            "text cleaning) and print shingle F1, precision, recall, page count and median milliseconds per page."
        ),
    )
    parser.add_argument("corpus", type=Path, metavar="CORPUS_DIR")
    parser.add_argument(
        "--compare",
        choices=("trafilatura",),
        help="also measure this extractor in the same run and print the ratio of both figures",
    )
    parser.set_defaults(handler=run)


def newsflow_body(page: str, url: str | None) -> str:
    """The body the clean stage would keep: extract_html, then clean_text_dump; empty for a dead letter."""
    try:
        extraction = extract_html(page, url)
    except StageFailure:
        return ""
    return "\n\n".join(clean_text_dump(extraction.text).paragraphs)


def trafilatura_body(page: str, url: str | None) -> str:
    """trafilatura.extract with its defaults, the reference point of the issue."""
    import trafilatura

    return trafilatura.extract(page, url=url) or ""


def measure(name: str, extractor: Extractor, pages: tuple[BenchmarkPage, ...], texts: dict[str, str]) -> ExtractorRun:
    """Run one extractor over every page, timing each page, and score the bodies."""
    durations: list[float] = []
    scores = []
    for page in pages:
        started = time.perf_counter()
        predicted = extractor(texts[page.page_id], page.url)
        durations.append(time.perf_counter() - started)
        scores.append(score_page(predicted, page.gold))
    return ExtractorRun(name, score_corpus(scores), statistics.median(durations) * 1000 if durations else 0.0)


def format_run(run: ExtractorRun) -> str:
    score = run.score
    return (
        f"{run.name}: F1 {score.f1:.4f}  P {score.precision:.4f}  R {score.recall:.4f}  "
        f"pages {score.pages}  median {run.median_ms:.1f} ms/page"
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    try:
        pages = load_benchmark(args.corpus)
        # Decoding is the decode step's job and is not part of what is compared.
        texts = {page.page_id: normalize_text(decode_bytes(read_page_html(page))) for page in pages}
    except (OSError, ValueError, KeyError, StageFailure) as error:
        print(f"newsflow eval-extraction: cannot read corpus {args.corpus}: {error}", file=sys.stderr)
        return 2
    ours = measure("newsflow", newsflow_body, pages, texts)
    print(format_run(ours))
    if args.compare == "trafilatura":
        theirs = measure("trafilatura", trafilatura_body, pages, texts)
        print(format_run(theirs))
        f1_ratio = ours.score.f1 / theirs.score.f1 if theirs.score.f1 else float("inf")
        time_ratio = ours.median_ms / theirs.median_ms if theirs.median_ms else float("inf")
        print(f"ratio newsflow/trafilatura: F1 {f1_ratio:.3f}  median time {time_ratio:.3f}")
    return 0
