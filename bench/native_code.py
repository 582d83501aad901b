"""What each function of the C module (workers/stages/common/_speedups.c) saves on the text path.

Runs the text-path workload of bench/text_pipeline.py (generated seed-sized dumps, the whole offline pipeline, one
core) with the C module as built, and with one of its functions at a time replaced by the pure-Python code that runs
where the module is not built. The configurations alternate within each round, each one compared with the mean
of the all-C runs just before and after it (this machine's speed drifts by tens of percent); the median over the
rounds is printed as the extra CPU time of the text path without that function.

    python bench/native_code.py [--articles 1500] [--rounds 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dumps import generate_dump
from text_pipeline import full_pipeline

from workers.heap import freeze_startup_objects
from workers.stages.common import speedups
from workers.stages.enrich import dates, fingerprints
from workers.stages.enrich.places import load_places
from workers.stages.text import dump_cleaning

compiled = speedups.compiled
if compiled is None:
    raise SystemExit("the C module is not built: install with a C compiler at hand")

_LANGUAGE_DATES = [dates.language_dates(code) for code in dates.supported_languages()]
_ANCHOR_PATTERNS = {language.anchors: language.anchor_pattern for language in _LANGUAGE_DATES}


def _starts_without_c(text: str, words: tuple[str, ...]) -> list[int]:
    """What each caller of starts_of_any runs without the C module (a superset of starts is fine for both)."""
    if words is dump_cleaning._PATTERNS.glued_marker_first_words:
        saved, speedups.compiled = speedups.compiled, None
        try:
            return dump_cleaning._marker_starts(text)
        finally:
            speedups.compiled = saved
    return [match.start() for match in _ANCHOR_PATTERNS[words].finditer(text)]


PYTHON_VERSIONS: dict[str, Callable[..., object]] = {
    "fingerprint": lambda words, second, third: fingerprints.pure_python_fingerprint(words),
    "repeated_pair_starts": lambda line, punctuation: dump_cleaning.pure_python_repeated_pair_starts(line),
    "starts_of_any": _starts_without_c,
}


def with_python(function: str) -> types.SimpleNamespace:
    """The C module with one function replaced by the Python code it stands for."""
    module = types.SimpleNamespace(**{name: getattr(compiled, name) for name in PYTHON_VERSIONS})
    setattr(module, function, PYTHON_VERSIONS[function])
    return module


def cpu_seconds(payloads: list[bytes], module: object) -> float:
    speedups.compiled = module  # type: ignore[assignment]
    try:
        started = time.process_time()
        full_pipeline(payloads)
        return time.process_time() - started
    finally:
        speedups.compiled = compiled


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1500)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as bench/text_pipeline.py
    payloads = [generate_dump(seed).encode() for seed in range(args.articles)]
    load_places()
    full_pipeline(payloads[:200])
    freeze_startup_objects()
    functions = list(PYTHON_VERSIONS)
    missing = sorted(set(functions) - set(dir(compiled)))
    if missing or len([name for name in dir(compiled) if not name.startswith("_")]) != len(functions):
        raise SystemExit(f"the C module and this script disagree on its functions (missing here or there: {missing})")
    extra: dict[str, list[float]] = {function: [] for function in functions}
    all_c: list[float] = []
    for round_number in range(args.rounds):
        shift = round_number % len(functions)
        before = cpu_seconds(payloads, compiled)
        all_c.append(before)
        for function in functions[shift:] + functions[:shift]:
            without = cpu_seconds(payloads, with_python(function))
            after = cpu_seconds(payloads, compiled)
            all_c.append(after)
            extra[function].append(without / ((before + after) / 2) - 1)
            before = after
        print(f"round {round_number + 1}: " + ", ".join(f"{f} {extra[f][-1]:+.1%}" for f in functions), flush=True)
    print(
        f"text path with the C module: median {args.articles / statistics.median(all_c):,.0f} articles per CPU "
        f"second ({len(all_c)} runs of {args.articles} generated dumps)"
    )
    print("extra CPU time of the text path with the function's Python version instead (median over rounds):")
    for function in sorted(functions, key=lambda name: -statistics.median(extra[name])):
        print(f"  {function:22s} {statistics.median(extra[function]):+6.1%}")


if __name__ == "__main__":
    main()
