"""Scores the enrich step on written multilingual dumps: language, dateline, date mentions, people, places, quotes.

Every <name>.txt of a set goes through the whole pipeline in memory, as a raw message fetched at the
`reference_time` of the <name>.expect.json beside it, and the normalized article is compared with that file.
It prints, per language and over all dumps: the share of dumps whose language and dateline are right; precision,
recall and F1 of date mentions (a mention counts when its text and its resolved date both match), of people, of
places (by GeoNames id when the event carries ids, else by name) and of quote texts; and the share of the quotes
found whose speaker is right.

    python bench/enrichment_eval.py [--set fitting|held-out] [--details]

The sets, and how their dumps and expectations were written, are described in the README of each folder:
tests/fixtures/enrichment (fitting: read it, tune on it) and bench/corpora/enrichment-heldout (measured only).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from workers.enrichment_evaluation import Score, Tally, article_of, score_article

ROOT = Path(__file__).resolve().parents[1]
SETS = {
    "fitting": ROOT / "tests" / "fixtures" / "enrichment",
    "held-out": ROOT / "bench" / "corpora" / "enrichment-heldout",
}


def dump_paths(folder: Path) -> list[Path]:
    return sorted(path for path in folder.glob("*.txt") if path.with_name(f"{path.stem}.expect.json").exists())


def _ratio(value: float | None) -> str:
    return "  -  " if value is None else f"{value:.2f}"


def _prf(counts: Tally) -> str:
    return f"{_ratio(counts.precision)}/{_ratio(counts.recall)}/{_ratio(counts.f1)}"


def table_row(label: str, score: Score) -> str:
    found_quotes = score.quotes.found_right
    speaker = score.speaker_right / found_quotes if found_quotes else None
    language, dateline = score.language_right / score.dumps, score.dateline_right / score.dumps
    return (
        f"{label:8s} {score.dumps:5d} {language:5.2f} {dateline:8.2f}"
        f"  {_prf(score.dates):14s}  {_prf(score.people):14s}  {_prf(score.places):14s}  {_prf(score.quotes):14s}"
        f"  {_ratio(speaker):>7s}"
    )


def print_report(set_name: str, folder: Path, scores: dict[str, Score]) -> None:
    overall = Score()
    for score in scores.values():
        overall.add(score)
    print(f"enrichment on the {set_name} set ({folder.relative_to(ROOT)}): {overall.dumps} dumps")
    print("P/R/F1 = precision/recall/F1; language, dateline and speaker columns are shares of dumps or found quotes")
    header = (
        f"{'language':8s} {'dumps':>5s} {'lang':>5s} {'dateline':>8s}  {'dates P/R/F1':14s}  {'people P/R/F1':14s}"
        f"  {'places P/R/F1':14s}  {'quotes P/R/F1':14s}  {'speaker':>7s}"
    )
    print(header)
    print("-" * len(header))
    for language in sorted(scores):
        print(table_row(language, scores[language]))
    print("-" * len(header))
    print(table_row("all", overall))
    print(
        f"places compared by GeoNames id in {overall.places_by_id} of {overall.dumps} dumps (by name in the rest); "
        f"dates {overall.dates.found_right}/{overall.dates.found_right + overall.dates.missed} found, "
        f"people {overall.people.found_right}/{overall.people.found_right + overall.people.missed}, "
        f"places {overall.places.found_right}/{overall.places.found_right + overall.places.missed}, "
        f"quotes {overall.quotes.found_right}/{overall.quotes.found_right + overall.quotes.missed} "
        f"({overall.speaker_right} with the right speaker); weekday mismatches found and flagged "
        f"{overall.mismatches_flagged}/{overall.mismatches_expected}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", dest="set_name", choices=sorted(SETS), default="fitting", help="which dumps to score")
    parser.add_argument(
        "--details",
        action="store_true",
        help="also list, per dump, what was missed or found in excess (fitting set only: held-out dumps are not read)",
    )
    args = parser.parse_args(argv)
    if args.details and args.set_name != "fitting":
        parser.error("--details lists what the held-out dumps contain; it is only for the fitting set")
    folder = SETS[args.set_name]
    paths = dump_paths(folder)
    if not paths:
        print(f"enrichment_eval: no dumps with expectations in {folder}", file=sys.stderr)
        return 2
    scores: dict[str, Score] = defaultdict(Score)
    for path in paths:
        expectation = json.loads(path.with_name(f"{path.stem}.expect.json").read_text(encoding="utf-8"))
        score = score_article(article_of(path, expectation), expectation)
        scores[expectation["language"]].add(score)
        if args.details and score.details:
            print(f"{path.stem}:")
            for line in score.details:
                print(f"  {line}")
    print_report(args.set_name, folder, scores)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
