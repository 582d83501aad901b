"""Rebuild the labelled language-identification set (fitting.tsv, held-out.tsv) from two PyPI distributions.

    pip download --no-deps spacy==3.8.18 -d /tmp/lid
    pip download --no-deps --no-binary :all: pycld2==0.42 -d /tmp/lid
    python bench/corpora/language-id/build.py /tmp/lid/spacy-3.8.18-*.whl /tmp/lid/pycld2-0.42.tar.gz

Short texts (at most 100 characters) and long texts (at least 200) from spaCy's example sentences
(`spacy/lang/<code>/examples.py`) and CLD2's test strings (`cld2/internal/unittest_data.h`); see README.md.
"""

from __future__ import annotations

import ast
import hashlib
import re
import sys
import tarfile
import zipfile
from pathlib import Path

from babel.core import get_global

HERE = Path(__file__).resolve().parent
SHORT_MAX_CHARS = 100
LONG_MIN_CHARS = 200
LONG_MAX_CHARS = 1500  # a long text is cut at a word boundary here: longer adds time, not evidence
# Deprecated or non-ISO-639-1 codes of the sources, as ISO 639-1 (or 639-3 where no 639-1 code exists).
RELABELLED = {"iw": "he", "jw": "jv", "kmr": "ku"}
# spaCy's Ancient Greek, and multi-language examples, are not a language a news stream carries.
SKIPPED_SPACY = {"grc", "xx"}
CLD2_STRING = re.compile(r'^const char\* kTeststr_([a-z]{2,3})_([A-Z][a-z]{3})(\d?) = "((?:[^"\\]|\\.)*)";', re.M)


def spacy_examples(wheel: Path) -> list[tuple[str, str]]:
    """(language, sentence) pairs of spaCy's `sentences` lists, read without importing spaCy."""
    pairs = []
    with zipfile.ZipFile(wheel) as archive:
        for name in sorted(archive.namelist()):
            match = re.fullmatch(r"spacy/lang/(\w+)/examples\.py", name)
            if match is None or match.group(1) in SKIPPED_SPACY:
                continue
            tree = ast.parse(archive.read(name).decode("utf-8"))
            for node in tree.body:
                if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "sentences":
                    pairs.extend((match.group(1), sentence) for sentence in ast.literal_eval(node.value))
    return pairs


def cld2_strings(sdist: Path) -> list[tuple[str, str]]:
    """(language, text) pairs of CLD2's test strings whose script is the language's usual one (CLDR)."""
    likely = get_global("likely_subtags")
    with tarfile.open(sdist) as archive:
        member = next(m for m in archive.getmembers() if m.name.endswith("cld2/internal/unittest_data.h"))
        source = archive.extractfile(member).read().decode("utf-8")  # type: ignore[union-attr]
    utf8_part = source.split("#ifndef avoid_utf8_string_constants", 1)[1].split("#else", 1)[0]
    pairs = []
    for language, script, _variant, text in CLD2_STRING.findall(utf8_part):
        code = RELABELLED.get(language, language)
        usual = likely.get(code, "").split("_")
        if len(usual) < 2 or usual[1] != script:
            continue
        pairs.append((language, text.replace('\\"', '"').replace("\\\\", "\\")))
    return pairs


def cut_at_word(text: str, size: int) -> str:
    if len(text) <= size:
        return text
    cut = text[:size]
    return cut[: cut.rfind(" ")] if " " in cut else cut


def main(wheel: Path, sdist: Path) -> None:
    rows = []
    for source, pairs in (("spacy-3.8.18", spacy_examples(wheel)), ("cld2-unittest", cld2_strings(sdist))):
        for language, raw_text in pairs:
            text = " ".join(raw_text.split())
            if len(text) <= SHORT_MAX_CHARS:
                length = "short"
            elif len(text) >= LONG_MIN_CHARS:
                length, text = "long", cut_at_word(text, LONG_MAX_CHARS)
            else:
                continue
            rows.append((RELABELLED.get(language, language), length, source, text))
    seen: set[str] = set()
    halves: dict[str, list[str]] = {"fitting": [], "held-out": []}
    for language, length, source, text in sorted(rows):
        if text in seen:
            continue
        seen.add(text)
        # The fitting half is the texts whose SHA-1 starts with 0-7, as in the other corpora of bench/corpora.
        half = "fitting" if hashlib.sha1(text.encode("utf-8")).hexdigest()[0] in "01234567" else "held-out"
        halves[half].append("\t".join((language, length, source, text)))
    for half, lines in halves.items():
        (HERE / f"{half}.tsv").write_text("language\tlength\tsource\ttext\n" + "\n".join(lines) + "\n", "utf-8")
        print(half, len(lines), "texts")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
