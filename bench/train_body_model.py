"""Fit the body model of text dumps (workers/stages/data/body_model.json) on dumps with gold bodies.

    python bench/train_body_model.py [--out workers/stages/data/body_model.json] DUMP_DIR...

Each DUMP_DIR holds <id>.txt dumps and a ground-truth.json ({"<id>": {"articleBody": …}}), the layout of
`newsflow eval-extraction`. Only the fitting half of each corpus is read: pages whose id's SHA-1 starts with 0-7.
The other half (8-f) is kept aside for measuring (bench/README.md). Needs scikit-learn: pip install -e '.[train]'.

Each page is also fitted as a region dump, cropped to a few lines around its body, since crawlers hand over both.
A line's label is whether most of its 4-token shingles (for a line under four tokens: its tokens in a row) occur
in the gold body. The logistic weights are fitted per line, weighted by the square root of its length (a long
line is more of the body's text); the region settings are then chosen on the same half (pages and crops) for
the best mean F1.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import re
import sys
import time
from pathlib import Path

import orjson

from workers.evaluation import score_corpus, score_page, shingles
from workers.stages.decoding import normalize_text
from workers.stages.language.function_words import function_words_for
from workers.stages.text.body_model import FEATURE_NAMES, BodyModel, body_mask, line_features
from workers.stages.text.dump_cleaning import body_candidate_text, read_dump, related_items_of
from workers.stages.text.line_kinds import LineKind

_TOKEN = re.compile(r"\w+")
# Lines of page around the body in a region crop (before it; twice as many after it).
_REGION_MARGIN = 3
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "workers" / "stages" / "data" / "body_model.json"


def is_fitting_page(page_id: str) -> bool:
    """The half of every corpus the model may be fitted on; the rest is only measured."""
    return int(hashlib.sha1(page_id.encode("utf-8")).hexdigest()[0], 16) < 8


def line_label(text: str, gold_shingles: frozenset[tuple[str, ...]], gold_tokens: str) -> int:
    tokens = _TOKEN.findall(text)
    if not tokens:
        return 0
    if len(tokens) < 4:
        return 1 if f" {' '.join(tokens)} " in gold_tokens else 0
    own = shingles(text)
    inside = sum(count for shingle, count in own.items() if shingle in gold_shingles)
    return 1 if inside * 2 >= sum(own.values()) else 0


def load_pages(directories: list[Path]) -> list[tuple[str, str, str]]:
    """(page id, dump text, gold body) of the fitting half of every corpus."""
    pages = []
    for directory in directories:
        truth = orjson.loads((directory / "ground-truth.json").read_bytes())
        for page_id in sorted(truth):
            path = directory / f"{page_id}.txt"
            if is_fitting_page(page_id) and path.exists():
                text = normalize_text(path.read_bytes().decode("utf-8", errors="replace"))
                pages.append((f"{directory.name}/{page_id}", text, truth[page_id].get("articleBody") or ""))
    return pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpora", type=Path, nargs="+", metavar="DUMP_DIR")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--regularization", type=float, default=0.1, help="inverse strength C (default 0.1)")
    args = parser.parse_args()
    try:
        import numpy as np
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        print("train_body_model: needs scikit-learn (pip install -e '.[train]')", file=sys.stderr)
        return 2

    started = time.perf_counter()
    pages = load_pages(args.corpora)
    rows: list[tuple[float, ...]] = []
    labels: list[int] = []
    weights: list[float] = []
    prepared = []
    for _page_id, text, gold in pages:
        dump = read_dump(text)
        function_words = function_words_for(body_candidate_text(dump, related_items_of(dump)[1]), None)
        gold_tokens = f" {' '.join(_TOKEN.findall(gold))} "
        gold_shingles = frozenset(shingles(gold))
        page_labels = [line_label(line.text, gold_shingles, gold_tokens) for line in dump]
        body_lines = [index for index, label in enumerate(page_labels) if label]
        # The whole page, the region around its body as a crawler that keeps one page region hands it over, and
        # the body alone with what follows it (a dump that starts at the dateline, like a wire feed's).
        crops = [(0, len(dump))]
        if body_lines:
            crops.append((max(0, body_lines[0] - _REGION_MARGIN), body_lines[-1] + 2 * _REGION_MARGIN))
            crops.append((body_lines[0], body_lines[-1] + 2 * _REGION_MARGIN))
        for start, end in crops:
            crop = dump[start:end]
            _related, taken = related_items_of(crop)
            for row, label, line in zip(line_features(crop, function_words, taken), page_labels[start:end], crop):
                if row is not None:  # a marker line or a related item: never body, not fitted
                    rows.append(row)
                    labels.append(label)
                    weights.append(min(len(line.text), 400) ** 0.5)
            prepared.append((crop, gold, function_words, taken))
    print(
        f"{len(pages)} pages ({len(prepared)} with their crops), {len(rows):,} lines, {sum(labels):,} of them body "
        f"({time.perf_counter() - started:.1f} s)"
    )

    classifier = LogisticRegression(C=args.regularization, max_iter=5000)
    classifier.fit(np.array(rows), np.array(labels), sample_weight=np.array(weights))
    fitted = dict(weights=tuple(float(w) for w in classifier.coef_[0]), intercept=float(classifier.intercept_[0]))

    best: tuple[float, BodyModel] | None = None
    grid = itertools.product((0.3, 0.4, 0.5), (0.1, 0.2, 0.3), (0.8, 0.9, 1.01), (0.5,), (0.2, 0.3, 1.01))
    for center, inside, outside, power, extend in grid:
        model = BodyModel(
            weights=fitted["weights"],
            intercept=fitted["intercept"],
            region_center=center,
            length_power=power,
            keep_inside=inside,
            keep_outside=outside,
            extend_from=extend,
        )
        scores = []
        for dump, gold, function_words, taken in prepared:
            mask = body_mask(dump, function_words, model, set_apart=taken)
            kept = "\n".join(line.text for line, keep in zip(dump, mask) if keep and line.kind is LineKind.BODY)
            scores.append(score_page(kept, gold))
        f1 = score_corpus(scores).f1
        if best is None or f1 > best[0]:
            best = (f1, model)
    assert best is not None
    f1, model = best
    print(
        f"fitting half with crops: F1 {f1:.4f} with region_center {model.region_center}, "
        f"keep_inside {model.keep_inside}, keep_outside {model.keep_outside}, extend_from {model.extend_from}"
    )
    document = {
        "about": "Logistic weights of workers/stages/text/body_model.py, fitted by bench/train_body_model.py",
        "corpora": sorted({page_id.split("/")[0] for page_id, *_ in pages}),
        "pages": len(pages),
        "regularization": args.regularization,
        "features": list(FEATURE_NAMES),
        "weights": [round(weight, 6) for weight in model.weights],
        "intercept": round(model.intercept, 6),
        "region_center": model.region_center,
        "length_power": model.length_power,
        "keep_inside": model.keep_inside,
        "keep_outside": model.keep_outside,
        "extend_from": model.extend_from,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
