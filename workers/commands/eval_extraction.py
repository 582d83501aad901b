"""`newsflow eval-extraction CORPUS_DIR`: score the clean stage's body extraction on a benchmark corpus."""

from __future__ import annotations

import argparse
import html
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from workers.evaluation import (
    BenchmarkPage,
    CorpusScore,
    is_dump_corpus,
    is_fitting_page,
    load_benchmark,
    read_page_bytes,
    score_corpus,
    score_page,
)
from workers.records import RawArticle, StageFailure
from workers.settings import Settings
from workers.stages.cleaning import clean
from workers.stages.decoding import decode_bytes, normalize_text
from workers.stages.language.function_words import function_words_of, identify_language

# (page text, page url, content kind) → predicted body
Extractor = Callable[[str, str | None, str], str]
COMPARISONS = ("trafilatura", "justext", "whole-dump")


@dataclass(frozen=True)
class ExtractorRun:
    name: str
    score: CorpusScore
    median_ms: float
    empty_pages: int


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "eval-extraction",
        help="score body extraction on a corpus (ground-truth.json + html/<id>.html.gz, or <id>.txt text dumps)",
        description=(
            "Run the clean stage over every page of CORPUS_DIR — HTML pages (html/<id>.html.gz) or text dumps "
            "(<id>.txt) beside ground-truth.json — and print shingle F1, precision, recall, the page count, the "
            "pages left without a body (dead letters) and the median milliseconds per page."
        ),
    )
    parser.add_argument("corpus", type=Path, metavar="CORPUS_DIR")
    parser.add_argument(
        "--compare",
        choices=COMPARISONS,
        action="append",
        default=[],
        help=(
            "also measure this extractor on the same pages in the same run (repeatable): trafilatura; jusText; "
            "whole-dump (the text unchanged). On text dumps, trafilatura and jusText get each line as a paragraph"
        ),
    )
    parser.add_argument(
        "--half",
        choices=("all", "fitting", "held-out"),
        default="all",
        help="score every page, or only the half tuning may look at, or only the half kept aside (default all)",
    )
    parser.set_defaults(handler=run)


def newsflow_body(page: str, url: str | None, kind: str) -> str:
    """The body the clean stage keeps; empty for a dead letter."""
    article = RawArticle(raw_id="evaluation", content_kind="html" if kind == "html" else "text", content=page, url=url)
    try:
        return "\n\n".join(clean(article, Settings().pipeline).paragraphs)
    except StageFailure:
        return ""


def _lines_as_paragraphs(text: str) -> str:
    """A text dump as an HTML page with each line a paragraph, the form HTML extractors take."""
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in text.split("\n") if line.strip())
    return f"<html><body>{paragraphs}</body></html>"


def trafilatura_body(page: str, url: str | None, kind: str) -> str:
    """trafilatura.extract with its defaults."""
    import trafilatura

    source = page if kind == "html" else _lines_as_paragraphs(page)
    return trafilatura.extract(source, url=url) or ""


def justext_body(page: str, url: str | None, kind: str) -> str:
    """jusText's good paragraphs, with the stoplist of the language py3langid finds (English when it has none)."""
    import justext

    language = identify_language(page) if kind != "html" else None
    stoplist = function_words_of(language) if language else frozenset()
    source = page if kind == "html" else _lines_as_paragraphs(page)
    paragraphs = justext.justext(source, stoplist or justext.get_stoplist("English"))
    return "\n\n".join(paragraph.text for paragraph in paragraphs if not paragraph.is_boilerplate)


def whole_dump_body(page: str, url: str | None, kind: str) -> str:
    """The text unchanged: the floor a cleaner has to beat."""
    return page


EXTRACTORS: dict[str, Extractor] = {
    "trafilatura": trafilatura_body,
    "justext": justext_body,
    "whole-dump": whole_dump_body,
}


def measure(
    name: str, extractor: Extractor, pages: tuple[BenchmarkPage, ...], texts: dict[str, str], kind: str
) -> ExtractorRun:
    """Run one extractor over every page, timing each page, and score the bodies."""
    durations: list[float] = []
    scores = []
    empty = 0
    for page in pages:
        started = time.perf_counter()
        predicted = extractor(texts[page.page_id], page.url, kind)
        durations.append(time.perf_counter() - started)
        empty += not predicted.strip()
        scores.append(score_page(predicted, page.gold))
    median_ms = statistics.median(durations) * 1000 if durations else 0.0
    return ExtractorRun(name, score_corpus(scores), median_ms, empty)


def format_run(run: ExtractorRun) -> str:
    score = run.score
    return (
        f"{run.name}: F1 {score.f1:.4f}  P {score.precision:.4f}  R {score.recall:.4f}  "
        f"pages {score.pages}  without body {run.empty_pages}  median {run.median_ms:.1f} ms/page"
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    try:
        kind = "text" if is_dump_corpus(args.corpus) else "html"
        pages = load_benchmark(args.corpus)
        if args.half != "all":
            pages = tuple(page for page in pages if is_fitting_page(page.page_id) == (args.half == "fitting"))
        # Decoding is the decode step's job and is not part of what is compared.
        texts = {page.page_id: normalize_text(decode_bytes(read_page_bytes(page))) for page in pages}
    except (OSError, ValueError, KeyError, StageFailure) as error:
        print(f"newsflow eval-extraction: cannot read corpus {args.corpus}: {error}", file=sys.stderr)
        return 2
    print(f"{args.corpus}: {len(pages)} {'text dumps' if kind == 'text' else 'HTML pages'} ({args.half})")
    ours = measure("newsflow", newsflow_body, pages, texts, kind)
    print(format_run(ours))
    for name in dict.fromkeys(args.compare):
        theirs = measure(name, EXTRACTORS[name], pages, texts, kind)
        print(format_run(theirs))
        f1_ratio = ours.score.f1 / theirs.score.f1 if theirs.score.f1 else float("inf")
        time_ratio = ours.median_ms / theirs.median_ms if theirs.median_ms else float("inf")
        print(f"ratio newsflow/{name}: F1 {f1_ratio:.3f}  median time {time_ratio:.3f}")
    return 0
