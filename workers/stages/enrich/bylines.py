"""Bylines: a leading "By Jane Doe" line ("Von", "Par", "Por", "Door", "Di", "Av" in other languages)."""

from __future__ import annotations

import re

from workers.stages.enrich.gazetteers import word_set
from workers.stages.enrich.letters import UPPER
from workers.stages.enrich.people_words import people_words

_BYLINE = re.compile(
    r"(?i:by|von|par|por|door|di|av|af|przez|oleh)[ \t]+"
    r"(?P<names>[^\n|•·]{1,120}?)"
    r"[ \t]*(?:[|•·][^\n]{0,200})?$"
)
# Words joining several authors; everything else in a byline must be a capitalised name word.
_JOINERS = word_set("and und et y e en och og i & ,")
_PARTICLES = word_set("de da di del della der den van von la le du dos das bin al ibn ter ten y")
_NAME_WORD = re.compile(rf"[{UPPER}][\w'’.-]{{0,30}}")
_TOKEN = re.compile(r"[^\s,]+|,")
_MAX_WORDS = 12
# Bylines come in any language; the English sentence openers ("The", "Monday") are the ones scrapers leave there.
_NOT_NAMES = people_words("en").not_names
_TRAILING = " \t,.;:-–—"


def split_byline(paragraphs: tuple[str, ...]) -> tuple[str | None, tuple[str, ...]]:
    """The author names of a leading byline line, and the paragraphs with that line taken out."""
    if not paragraphs:
        return None, paragraphs
    first_line, _, rest = paragraphs[0].partition("\n")
    names = byline_names(first_line.strip())
    if names is None:
        return None, paragraphs
    rest = rest.strip()
    return names, ((rest, *paragraphs[1:]) if rest else paragraphs[1:])


def byline_names(line: str) -> str | None:
    """The names in a "By Jane Doe and John Roe" line, or None when the line is not a byline."""
    match = _BYLINE.match(line)
    if match is None:
        return None
    names = match.group("names").strip(_TRAILING)
    tokens = _TOKEN.findall(names)
    if not tokens or len(tokens) > _MAX_WORDS or not all(_is_byline_token(token) for token in tokens):
        return None
    return names


def _is_byline_token(token: str) -> bool:
    """A capitalised name word (not "Monday", "The"), a name particle or a word joining authors."""
    lowered = token.casefold()
    if lowered in _JOINERS or lowered in _PARTICLES:
        return True
    return _NAME_WORD.fullmatch(token) is not None and token.rstrip(".") not in _NOT_NAMES
