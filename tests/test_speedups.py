"""The C module of hot loops gives exactly what the Python code it replaces gives, on any text.

Outputs must not depend on whether the C module was built (a replay on another machine must give the same
bytes), so each C function is compared with its twin over generated text, Unicode and surrogates included.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workers.stages.common import speedups
from workers.stages.common.speedups import compiled
from workers.stages.enrich import fingerprints
from workers.stages.text import dump_cleaning
from workers.stages.text.marker_phrases import line_patterns

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_1e8faefd57101ac8.txt"

# Any code point (lone surrogates too), and text made of words, spaces and punctuation where repeats are likely.
ANY_TEXT = st.text(alphabet=st.characters(), max_size=300)
WORDY_TEXT = st.lists(
    st.sampled_from(["has", "accused", "Has", "the", "of", "é", "ü_1", "", "(", ")", ",", ".", "»", "—", "İ", "Σ"]),
    max_size=60,
).map(lambda tokens: " ".join(tokens))
TEXTS = ANY_TEXT | WORDY_TEXT | st.from_regex(r"[\w ,.'’()_\t\n-]{0,120}", fullmatch=True)


def reference_starts_of_any(text: str, words: tuple[str, ...]) -> list[int]:
    """What compiled.starts_of_any must return: every offset where one of the words starts, ascending, once."""
    return sorted({at for word in words for at in range(len(text)) if text.startswith(word, at)})


needs_compiled = pytest.mark.skipif(compiled is None, reason="the C module is not built (no C compiler at install)")


@contextmanager
def pure_python() -> Iterator[None]:
    """The stages as they run without the C module."""
    module, speedups.compiled = speedups.compiled, None
    try:
        yield
    finally:
        speedups.compiled = module


def test_the_c_module_is_built_where_the_tests_are_installed() -> None:
    """`make test` installs with a C compiler at hand; a silently missing module would skip every comparison."""
    assert compiled is not None, "workers.stages.common._speedups was not built: is a C compiler installed?"


@needs_compiled
@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_compiled_fingerprint_is_the_pure_python_one(text: str) -> None:
    words = re.findall(r"\w+", text) or ["x"]
    assert compiled is not None
    assert compiled.fingerprint(words, fingerprints._SECOND_WORD, fingerprints._THIRD_WORD) == (
        fingerprints.pure_python_fingerprint(words)
    )


@needs_compiled
@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_compiled_repeated_pair_starts_are_the_pure_python_ones(line: str) -> None:
    assert compiled is not None
    assert compiled.repeated_pair_starts(line, dump_cleaning._PUNCTUATION) == (
        dump_cleaning.pure_python_repeated_pair_starts(line)
    )


@needs_compiled
@settings(max_examples=400, deadline=None)
@given(TEXTS, st.lists(st.sampled_from(["A", "À", "ALSO", "has", "Σ", "ü_1", "ЧИТАЙТЕ", "اقرأ", "x" * 30]), max_size=8))
def test_compiled_starts_of_any_are_the_pure_python_ones(text: str, words: list[str]) -> None:
    assert compiled is not None
    assert compiled.starts_of_any(text, tuple(words)) == reference_starts_of_any(text, tuple(words))
    marker_words = line_patterns().glued_marker_first_words
    glued = text + " ".join(marker_words) + text
    assert compiled.starts_of_any(glued, marker_words) == reference_starts_of_any(glued, marker_words)


@needs_compiled
def test_compiled_functions_agree_on_real_article_lines() -> None:
    if not SEED.exists():
        pytest.skip(f"{SEED} is not beside the checkout")
    for line in SEED.read_text(encoding="utf-8").splitlines():
        assert compiled is not None
        assert compiled.repeated_pair_starts(line, dump_cleaning._PUNCTUATION) == (
            dump_cleaning.pure_python_repeated_pair_starts(line)
        )
    text = SEED.read_text(encoding="utf-8")
    words = line_patterns().glued_marker_first_words
    assert compiled.starts_of_any(text, words) == reference_starts_of_any(text, words)


def test_repeated_pair_starts_find_the_phrase_repeated_in_place() -> None:
    line = "Washington has accused has accused North Korea."
    assert dump_cleaning.pure_python_repeated_pair_starts(line) == [line.index("has")]
    assert dump_cleaning.remove_duplicated_phrases(line) == "Washington has accused North Korea."


def test_repeated_pair_starts_ignore_a_pair_repeated_right_after_itself() -> None:
    # "the the the": the pair recurs one word later, which is no phrase of two or more words repeated.
    assert dump_cleaning.pure_python_repeated_pair_starts("on the the the day") == []


def test_compiled_fingerprint_rejects_permutations_of_the_wrong_size() -> None:
    if compiled is None:
        pytest.skip("the C module is not built")
    with pytest.raises(TypeError):
        compiled.fingerprint(["a"], b"\x00" * 10, fingerprints._THIRD_WORD)


def test_fingerprint_of_a_short_body_pads_it_to_one_shingle() -> None:
    short = fingerprints.pure_python_fingerprint(["kim"])
    assert fingerprints.fingerprint(["kim"]) == short
    assert len(short) == 16 and set(short) <= set(string.hexdigits.lower())
