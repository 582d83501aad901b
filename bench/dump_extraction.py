"""Benchmark of text-dump cleaning: shingle F1 on dump corpora, beside the unchanged dump and jusText.

For every corpus (a folder of <id>.txt dumps and ground-truth.json) it prints newsflow's F1, precision and recall
and those of the whole dump unchanged and of jusText (each line a paragraph) on the same pages in the same run,
for the half the body model was fitted on, the half kept aside, and all pages; and, for a folder whose dumps
carry <name>.expect.json files (the layout of tests/fixtures/dumps), how many of their checks pass.

    python bench/dump_extraction.py [CORPUS_DIR ...]
    (default: every folder under bench/corpora that holds dumps)
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from workers.commands.eval_extraction import EXTRACTORS, measure, newsflow_body
from workers.evaluation import is_fitting_page, load_benchmark, read_page_bytes
from workers.records import SourceRecord
from workers.runner import run_pipeline
from workers.settings import PipelineSettings
from workers.stages.decoding import decode_bytes, normalize_text

CORPORA = Path(__file__).resolve().parent / "corpora"
# The reference time of tests/test_golden_dumps.py, so that the checks resolve dates the same way.
REFERENCE_TIME = "2023-10-13T00:00:00Z"


def default_corpora() -> list[Path]:
    return sorted({path.parent for path in CORPORA.glob("**/ground-truth.json") if any(path.parent.glob("*.txt"))})


def score_table(corpus: Path) -> None:
    pages = load_benchmark(corpus)
    texts = {page.page_id: normalize_text(decode_bytes(read_page_bytes(page))) for page in pages}
    halves = {
        "fitting": tuple(page for page in pages if is_fitting_page(page.page_id)),
        "held-out": tuple(page for page in pages if not is_fitting_page(page.page_id)),
        "all": pages,
    }
    print(f"{corpus} ({len(pages)} dumps)")
    for half, chosen in halves.items():
        if not chosen:
            continue
        runs = [measure("newsflow", newsflow_body, chosen, texts, "text")]
        runs += [measure(name, EXTRACTORS[name], chosen, texts, "text") for name in ("whole-dump", "justext")]
        cells = "  ".join(
            f"{run.name} {run.score.f1:.3f} ({run.score.precision:.3f}/{run.score.recall:.3f})" for run in runs
        )
        print(f"  {half:8s} {len(chosen):3d} pages  {cells}  newsflow without body: {runs[0].empty_pages}")


def expectation_checks(corpus: Path) -> None:
    """The checks of tests/test_golden_dumps.py on every dump with an .expect.json: counts per kind."""
    passed: Counter[str] = Counter()
    failed: Counter[str] = Counter()
    for path in sorted(corpus.glob("*.txt")):
        expect_path = path.with_name(f"{path.stem}.expect.json")
        if not expect_path.exists():
            continue
        expectation: dict[str, Any] = json.loads(expect_path.read_text(encoding="utf-8"))
        record = SourceRecord(path.read_bytes(), name=path.stem, content_type_hint="text", timestamp=REFERENCE_TIME)
        events = run_pipeline(record, PipelineSettings())
        articles = [json.loads(event.value) for event in events if event.topic_role == "article"]
        links = [json.loads(event.value) for event in events if event.topic_role == "link"]

        def check(kind: str, ok: bool) -> None:
            (passed if ok else failed)[kind] += 1

        if expectation.get("dead_letter_reason") is not None:
            check("dead_letter_reason", not articles)
            continue
        check("article", bool(articles))
        if not articles:
            continue
        article, body = articles[0], articles[0]["body"]
        if "body_starts" in expectation:
            check("body_starts", body.startswith(expectation["body_starts"]))
        if "body_ends" in expectation:
            check("body_ends", body.endswith(expectation["body_ends"]))
        for text in expectation.get("body_contains", []):
            check("body_contains", text in body)
        for text in expectation.get("body_excludes", []):
            check("body_excludes", text not in body)
        for key in ("dateline", "byline", "language"):
            if key in expectation:
                check(key, article.get(key) == expectation[key])
        if "related" in expectation:
            wanted = [(item["kind"], item["title"]) for item in expectation["related"]]
            check("related", wanted == [(link["kind"], link["title"]) for link in links])
    total_passed, total = sum(passed.values()), sum(passed.values()) + sum(failed.values())
    if total:
        detail = ", ".join(f"{kind} {passed[kind]}/{passed[kind] + failed[kind]}" for kind in sorted(passed | failed))
        print(f"  expectation checks: {total_passed} of {total} pass ({total_passed / total:.3f}): {detail}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpora", type=Path, nargs="*", metavar="CORPUS_DIR")
    args = parser.parse_args()
    corpora = args.corpora or default_corpora()
    if not corpora:
        print("dump_extraction: no dump corpus found", file=sys.stderr)
        return 2
    for corpus in corpora:
        score_table(corpus)
        expectation_checks(corpus)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
