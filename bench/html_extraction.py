"""Benchmark of the HTML path: `newsflow process` against one Python process running trafilatura.extract.

Runs, one after the other on the same files, (a) a Python process that calls trafilatura.extract (defaults) on
every page of the corpus and (b) `newsflow process` over the same .html.gz files; times both as whole
subprocesses (start-up included), scores both sets of bodies with the benchmark metric and prints F1/P/R, both
wall times and their ratio. The pair is run --rounds times (alternating, so a slow phase of the shared host hits
both alike) and the median of the rounds' ratios is the figure; every round is printed.

    python bench/html_extraction.py [--rounds 3] CORPUS_DIR

CORPUS_DIR holds html/<id>.html.gz pages and ground-truth.json ({"<id>": {"articleBody": …}}), the layout of
Zyte's article-extraction benchmark (scrapinghub/article-extraction-benchmark).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from workers.evaluation import CorpusScore, load_benchmark, score_corpus, score_page

# One process, as a crawler would run trafilatura: read each file, extract, emit {"id", "body"} lines.
TRAFILATURA_SCRIPT = """
import gzip, json, sys
import trafilatura
out = sys.stdout
for path in sys.argv[1:]:
    page = gzip.decompress(open(path, "rb").read())
    body = trafilatura.extract(page) or ""
    out.write(json.dumps({"id": path.rsplit("/", 1)[-1].split(".", 1)[0], "body": body}) + "\\n")
"""


def timed(command: list[str]) -> tuple[float, str]:
    """Run a command to completion; its wall time in seconds and its stdout."""
    started = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True, check=True)
    return time.perf_counter() - started, completed.stdout


def trafilatura_bodies(stdout: str) -> dict[str, str]:
    return {row["id"]: row["body"] for row in map(json.loads, stdout.splitlines())}


def newsflow_bodies(stdout: str) -> dict[str, str]:
    """Bodies of the normalized-article events of `newsflow process` output, by raw id."""
    bodies = {}
    for line in stdout.splitlines():
        event = json.loads(line)
        if event["topic"] == "news.articles.normalized":
            bodies[event["value"]["raw_id"]] = event["value"]["body"]
    return bodies


def score(bodies: dict[str, str], gold: dict[str, str]) -> CorpusScore:
    return score_corpus(score_page(bodies.get(page_id, ""), text) for page_id, text in gold.items())


def line(name: str, result: CorpusScore, seconds: float) -> str:
    return (
        f"{name:12s} F1 {result.f1:.4f}  P {result.precision:.4f}  R {result.recall:.4f}  "
        f"pages {result.pages}  wall {seconds:.2f} s"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, metavar="CORPUS_DIR")
    parser.add_argument("--rounds", type=int, default=3, help="trafilatura/newsflow pairs to time (default 3)")
    args = parser.parse_args(argv)
    corpus = args.corpus
    if not (corpus / "ground-truth.json").exists():
        print(f"no benchmark corpus at {corpus}", file=sys.stderr)
        return 2
    pages = load_benchmark(corpus)
    gold = {page.page_id: page.gold for page in pages}
    files = [str(page.path) for page in pages]
    newsflow = str(Path(sys.executable).with_name("newsflow"))
    ratios, trafilatura_times, newsflow_times = [], [], []
    for round_number in range(1, args.rounds + 1):
        trafilatura_seconds, trafilatura_out = timed([sys.executable, "-c", TRAFILATURA_SCRIPT, *files])
        newsflow_seconds, newsflow_out = timed([newsflow, "process", *files])
        ratios.append(newsflow_seconds / trafilatura_seconds)
        trafilatura_times.append(trafilatura_seconds)
        newsflow_times.append(newsflow_seconds)
        print(
            f"round {round_number}: trafilatura {trafilatura_seconds:.2f} s, newsflow {newsflow_seconds:.2f} s, "
            f"ratio {ratios[-1]:.3f}",
            flush=True,
        )
    theirs = score(trafilatura_bodies(trafilatura_out), gold)
    ours = score(newsflow_bodies(newsflow_out), gold)
    print(line("trafilatura", theirs, statistics.median(trafilatura_times)))
    print(line("newsflow", ours, statistics.median(newsflow_times)))
    print(f"newsflow / trafilatura wall time, median of {args.rounds} rounds: {statistics.median(ratios):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
