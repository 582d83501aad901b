"""Datelines: the "SEOUL —" / "LONDON (Reuters) -" / "SYDNEY:" that opens a news story's first paragraph.

The dateline value is the place only, as written ("WASHINGTON, Oct 12 (Reuters) -" gives "WASHINGTON"): the date
is found again by the dates module and the agency is the source, not a place. A qualifier after the place
("SPRINGFIELD, Ill.") is dropped with the date.
"""

from __future__ import annotations

import re

from workers.stages.enrich.gazetteers import NOT_ACRONYMS, ORGANISATION_BY_KEY, word_set
from workers.stages.enrich.letters import UPPER
from workers.stages.enrich.places import place_named

# A place word: a capital, then letters with inner dots, apostrophes or hyphens ("ST.", "N'DJAMENA", "PORT-AU-PRINCE").
_WORD = rf"[{UPPER}][^\W\d_]{{0,30}}(?:[.'’-][^\W\d_]{{1,30}}){{0,3}}\.?"
_DATE = r"\d{1,2}\.?[ \t]+[^\W\d_]{3,10}\.?(?:[ \t]+\d{4})?|[^\W\d_]{3,10}\.?[ \t]+\d{1,2}(?:,?[ \t]+\d{4})?"
_QUALIFIER = rf"(?:{_DATE}|{_WORD}(?:[ \t]{_WORD}){{0,2}})"
_DATELINE = re.compile(
    rf"(?P<place>{_WORD}(?:[ \t]{_WORD}){{0,3}})"
    rf"(?:[ \t]*,[ \t]*{_QUALIFIER}){{0,2}}"
    # "(Reuters)", or TASS's "МОСКВА, 12 октября. /ТАСС/." with the agency between slashes and a closing dot.
    r"(?:[ \t]*\((?P<agency>[^()\n]{1,40})\)|\.?[ \t]*/(?P<slashed>[^/\n]{1,40})/)?"
    r"[ \t]*(?:[—–]{1,2}[ \t]*|\.?--?(?:[ \t]+|$)|:(?:[ \t]+|$)|(?<=/)\.(?:[ \t]+|$)"
    # Nordic wires put no dash after the agency: "KØBENHAVN (Ritzau) Næsten 80.000 patienter …".
    rf"|(?P<no_dash>(?<=\))[ \t]+(?=[{UPPER}])))"
)

# All-caps labels that open a paragraph like a dateline but name no place ("UPDATE: ...").
_LABELS = word_set(
    "BREAKING UPDATE UPDATED EXCLUSIVE WATCH VIDEO PHOTO PHOTOS LIVE OPINION ANALYSIS EDITORIAL NOTE FILE "
    "CORRECTION WARNING ADVERTISEMENT SPONSORED READ ALSO MORE RELATED LISTEN FACT CHECK"
)
_KNOWN_AGENCIES = frozenset(
    name.casefold() for name in ("dpa", "epd", "kna", "afp", "ap", "efe", "ansa", "apa", "sda", "ats", "ips", "pti")
)
_MAX_TITLE_CASE_WORDS = 3
_MIN_PLACE_CHARS = 2  # "I: ..." and "A - ..." open sentences, not stories


def split_dateline(paragraphs: tuple[str, ...]) -> tuple[str | None, tuple[str, ...]]:
    """The dateline place of the first paragraph, and the paragraphs with that dateline taken out."""
    if not paragraphs:
        return None, paragraphs
    first = paragraphs[0]
    match = _DATELINE.match(first)
    if match is None or not _is_dateline(match.group("place"), match.group("agency") or match.group("slashed")):
        return None, paragraphs
    if match.group("no_dash") is not None and not match.group("place").isupper():
        return None, paragraphs  # without a dash, only an all-caps place is sure enough to be a dateline
    rest = first[match.end() :].lstrip()
    remaining = (rest, *paragraphs[1:]) if rest else paragraphs[1:]
    return match.group("place").rstrip("."), remaining


def _is_dateline(place: str, agency: str | None) -> bool:
    """An upper-case place, or a short capitalised known place or one followed by an agency."""
    if agency is not None and not _looks_like_agency(agency):
        return False
    if len(place) < _MIN_PLACE_CHARS:
        return False
    if place.isupper():
        return place not in _LABELS and not _is_organisation(place)
    words = place.split()
    if len(words) > _MAX_TITLE_CASE_WORDS:
        return False
    return agency is not None or place_named(place) is not None


def _looks_like_agency(agency: str) -> bool:
    """An agency in parentheses is capitalised ("Reuters", "AFP") or a known lower-case one ("dpa")."""
    agency = agency.strip()
    # "dpa/lni": an agency with its regional service after a slash.
    return bool(agency) and (agency[0].isupper() or agency.split("/")[0].casefold() in _KNOWN_AGENCIES)


def _is_organisation(name: str) -> bool:
    """An all-caps opener that is an organisation ("NATO:") rather than a place."""
    return name.casefold() in ORGANISATION_BY_KEY and place_named(name) is None and name not in NOT_ACRONYMS
