"""Date mentions ("Thursday (Oct 12)", "jeudi 13 mars", "13 de marzo de 2025", "am Montag") resolved against a
reference time, in the article's language.

Month and weekday names, their abbreviations and grammatical forms come from CLDR through Babel, and so do the
order of day, month and weekday and the words between them ("13 de marzo de 2025", "torsdag den 13. marts");
`data/languages/<code>/dates.toml` adds the small glue CLDR lacks (ordinal suffixes, prepositions, words that
point forward or back). The forms: a weekday alone; a weekday with day and month ("Donnerstag, 13. März",
"Thursday (Oct 12)", "13 Mart Perşembe"); day and month, with or without a year. A weekday alone is found only in
its full name; an abbreviation needs a date beside it. The mention text is the date as written, without the
prepositions and particles around it ("am", "on", "w", "pada", "günü").

Resolution rules, all relative to the reference *day* (the UTC date of the reference time):
- an explicit year gives that date; a stated weekday that disagrees sets `weekday_mismatch`;
- a mention **points forward** when a word naming the coming one stands next to it ("next", "kommenden",
  "prochain", "w przyszłą", "gelecek"…), or a deadline word ("by", "until", "bis", "jusqu'à", "hasta", "do"…)
  with no past tense in its clause ("were full by Tuesday night" lies in the past), or a future-tense word in its
  clause ("will" before it in English, a verb ending in "-acak" after it in Turkish); "next to" allows only
  prepositions, articles and particles between. A word naming a past one ("last", "seit", "dernier"…) next to it
  keeps it backward whatever the tense;
- a bare weekday: the most recent such weekday on or before the reference day; pointing forward, the first on
  or after it. The reference day itself counts either way;
- weekday + day and month, no year: the most recent such date on or before the reference day whose weekday
  matches, looking back at most 7 years; pointing forward, the first such date on or after the reference day
  if one comes within a year ("next Friday, Oct 20" names a date of the coming days). When none matches,
  `weekday_mismatch` is set and the date is None (a guessed date that contradicts the text is worse than none);
- day and month alone: the occurrence nearest the reference day (news speaks of next week as often as of last
  week), the earlier one on a tie; after a word naming the coming one ("il prossimo 25 aprile"), the first on or
  after the reference day. Deadline words and tenses leave it nearest: "by Oct 12" written on 13 October more
  often reports a deadline just missed than one a year ahead.
Without a reference time every date is None.

Languages are chosen by the article's ISO 639-1 code. Without one, or for a language that has no dates.toml,
English names are matched: English is the pipeline's default language, and matching every language's names at
once would turn the short abbreviations of some ("do", "ma", "mar", "man") into false mentions in the others.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, lru_cache
from typing import Any, Literal

from babel.dates import get_date_format, get_day_names, get_month_names

from workers.records import DateMention
from workers.stages.common import speedups
from workers.stages.language.data import language_data, language_folder

FALLBACK_LANGUAGE = "en"
_LOOKBACK_YEARS = 7
_A_YEAR = timedelta(days=366)
_ANCHOR_LENGTH = 3
_CLAUSE_CHARS = 160  # how far before a mention its clause is looked for
_CLAUSE_END = re.compile(r"[.;:!?()\n,]")
_UP_TO_LAST_CLAUSE_MARK = re.compile(r".*[.;:!?()\n,]", re.DOTALL)  # greedy: backs off to the last mark only
_TOKEN = re.compile(r"[\w']+")
_APOSTROPHES = ("'", "’")
_GLUED_SUFFIX = re.compile(r"['’]\w+")
_YEAR = r"(?:19|20)\d\d(?!\d)"
_DIGIT = re.compile(r"\d")
_DAY_NUMBER = re.compile(r"(?<!\d)\d{1,2}(?!\d)")
_YEAR_NUMBER = re.compile(rf"(?<!\d){_YEAR}")
# The keys a dates.toml may hold, documented in data/languages/README.md.
_DATA_KEYS = frozenset(
    {
        "cldr_locales",
        "capitalised",
        "day_suffixes",
        "day_month_connectors",
        "weekday_day_connectors",
        "weekday_endings",
        "prepositions",
        "particles",
        "forward_before",
        "forward_after",
        "deadline_before",
        "backward_before",
        "backward_after",
        "future_before",
        "future_after",
        "past_before",
        "weekdays_needing_context",
    }
)
# A CLDR date pattern's fields (runs of one letter) and quoted literals ("'de'").
_PATTERN_TOKEN = re.compile(r"'([^']*)'|([A-Za-z])\2*|([^A-Za-z']+)")

# "next": a word names the coming one ("next", "kommenden", "prochain"); "ahead": a deadline word ("by", "bis")
# or a future tense points past the reference day; "back": a word or a past tense points before it.
Direction = Literal["next", "ahead", "back"]


@dataclass(frozen=True)
class Phrases:
    """Words or phrases looked for right before or right after a mention, as tuples of lower-case words."""

    words: frozenset[str]  # the one-word phrases, the usual case, checked without building tuples
    phrases: frozenset[tuple[str, ...]]
    lengths: tuple[int, ...]

    @classmethod
    def of(cls, entries: Iterable[str]) -> Phrases:
        phrases = frozenset(tuple(_TOKEN.findall(_normalised(entry))) for entry in entries) - {()}
        longer = frozenset(phrase for phrase in phrases if len(phrase) > 1)
        words = frozenset(phrase[0] for phrase in phrases if len(phrase) == 1)
        return cls(words, longer, tuple(sorted({len(phrase) for phrase in longer})))

    def ends(self, tokens: list[str]) -> bool:
        """Whether `tokens` end with one of the phrases."""
        if tokens and tokens[-1] in self.words:
            return True
        return any(len(tokens) >= length and tuple(tokens[-length:]) in self.phrases for length in self.lengths)

    def starts(self, tokens: list[str]) -> bool:
        """Whether `tokens` start with one of the phrases."""
        if tokens and tokens[0] in self.words:
            return True
        return any(tuple(tokens[:length]) in self.phrases for length in self.lengths)


@dataclass(frozen=True)
class TenseMarkers:
    """Words, and word endings written with a leading "-" ("-acak"), that mark a tense."""

    words: frozenset[str]
    endings: re.Pattern[str] | None  # a listed ending at a word's end, searched in the clause's text

    @classmethod
    def of(cls, entries: Iterable[str]) -> TenseMarkers:
        normalised = [_normalised(entry) for entry in entries]
        words = frozenset(entry for entry in normalised if not entry.startswith("-"))
        endings = [re.escape(entry[1:]) for entry in normalised if entry.startswith("-")]
        # An ending ends a longer word: Portuguese "-irão" is in "partirão", not in "Irão" (Iran).
        return cls(words, re.compile(rf"(?<=\w)(?:{'|'.join(endings)})(?![\w'])") if endings else None)

    def in_clause(self, clause: str, tokens: list[str]) -> bool:
        """Whether a word of the clause (its text and its words) is a marker or ends in one."""
        if not self.words.isdisjoint(tokens):
            return True
        return self.endings is not None and self.endings.search(clause) is not None


@dataclass(frozen=True)
class LanguageDates:
    """One language's compiled mention pattern and the words its resolution reads."""

    mention: re.Pattern[str]
    # Every mention holds a month or weekday name: found first by a cheap scan for these first letters of the
    # names (`anchor_pattern` without the C module) and checked by `name_at`, they leave `mention` only a
    # short window to search around each of them, at most these many characters before and from the name.
    anchors: tuple[str, ...]
    anchor_pattern: re.Pattern[str]
    name_at: re.Pattern[str]
    longest_before_name: int
    longest_from_name: int
    month_pattern: re.Pattern[str]
    month_numbers: Mapping[str, int]  # lower-case name or abbreviation without its dot → 1..12
    weekday_numbers: Mapping[str, int]  # lower-case name, form or abbreviation without its dot → Monday = 0
    prepositions: frozenset[str]
    particles: frozenset[str]
    forward_before: Phrases
    deadline_before: Phrases
    forward_after: Phrases
    backward_before: Phrases
    backward_after: Phrases
    future_before: TenseMarkers
    future_after: TenseMarkers
    past_before: TenseMarkers
    weekdays_needing_context: frozenset[int]
    reads_after: bool  # whether any word after a mention tells its direction
    # Any word of the lists above that a clause before a mention could hold: most clauses hold none, and one
    # search settles them.
    cue_before: re.Pattern[str] | None


def find_date_mentions(text: str, reference_time: str | None, language: str | None = None) -> tuple[DateMention, ...]:
    """Every date mention in order of appearance, in `language`'s words, resolved against `reference_time`."""
    dates = language_dates(language)
    reference_day = reference_date(reference_time)
    mentions: list[DateMention] = []
    seen: set[tuple[str, str | None]] = set()
    for match in mention_matches(text, dates):
        mention = _resolve(match, text, dates, reference_day)
        if mention is not None and (mention.text, mention.date) not in seen:
            seen.add((mention.text, mention.date))
            mentions.append(mention)
    return tuple(mentions)


def mention_matches(text: str, dates: LanguageDates) -> Iterator[re.Match[str]]:
    """The matches of `dates.mention` over `text`, as its finditer gives them, searched only around names."""
    if "  " in text or "\t" in text:
        yield from dates.mention.finditer(text)  # runs of blanks leave a mention's length unbounded: scan it all
        return
    resume = 0
    for at in name_starts(text, dates):
        if at < resume:
            continue
        earliest = max(resume, at - dates.longest_before_name)
        if _DIGIT.search(text, earliest, at) is None:  # only a day number stands before a name in a mention
            match = dates.mention.match(text, at, at + dates.longest_from_name)
        else:
            match = dates.mention.search(text, earliest, at + dates.longest_from_name)
        # A match starting after this name belongs to a later one, whose own window sees all of it.
        if match is not None and match.start() <= at:
            yield match
            resume = match.end()


def name_starts(text: str, dates: LanguageDates) -> list[int]:
    """Where a month or weekday name of the language starts a word of `text`, ascending."""
    if speedups.compiled is not None:  # one C pass instead of the regex scan
        starts = speedups.compiled.starts_of_any(text, dates.anchors)
    else:
        starts = [anchor.start() for anchor in dates.anchor_pattern.finditer(text)]
    return [at for at in starts if not _word_character_before(text, at) and dates.name_at.match(text, at)]


def _word_character_before(text: str, at: int) -> bool:
    """Whether a regex word character (\\w) stands just before `at`."""
    return at > 0 and (text[at - 1].isalnum() or text[at - 1] == "_")


def supported_languages() -> tuple[str, ...]:
    """The ISO 639-1 codes whose date words are known, in code order."""
    return tuple(language_data("dates"))


def language_dates(language: str | None) -> LanguageDates:
    """The compiled date words of `language`, English for None or a language without dates.toml."""
    tables = language_data("dates")
    code = _folder_of(language, tables) or FALLBACK_LANGUAGE
    return _compiled(code)


def _folder_of(language: str | None, tables: Mapping[str, Mapping[str, Any]]) -> str | None:
    """The data folder that holds `language`'s dates: its own, or the one it shares ("nb" reads "no")."""
    if not language:
        return None
    folder = language_folder(language.lower().replace("_", "-").split("-")[0])  # "pt-BR" reads Portuguese
    return folder if folder in tables else None


@cache
def _compiled(code: str) -> LanguageDates:
    """Build one language's pattern from CLDR and its dates.toml (once per process)."""
    table = language_data("dates")[code]
    unknown = sorted(set(table) - _DATA_KEYS)
    if unknown:  # a misspelt key would otherwise leave its words unread without a sign
        raise ValueError(f"data/languages/{code}/dates.toml: unknown keys {', '.join(unknown)}")
    locales = table.get("cldr_locales", [code])
    names = _written_names(table, locales)
    full_pattern = _pattern_parts(get_date_format("full", locale=locales[0]).pattern)
    long_pattern = _pattern_parts(get_date_format("long", locale=locales[0]).pattern)
    suffixes = [*table.get("day_suffixes", []), *(["."] if full_pattern.ordinal_dot else [])]
    day_month_words = [*full_pattern.day_to_month, *table.get("day_month_connectors", [])]
    weekday_day_words = [*full_pattern.weekday_to_day, *table.get("weekday_day_connectors", [])]

    weekday_in_date = _name_pattern(names.weekdays, names.short_weekdays)
    month = _name_pattern(names.months, names.short_months)
    suffix = f"(?:{'|'.join(re.escape(item) for item in sorted(suffixes, key=len, reverse=True))})?" if suffixes else ""
    day = rf"(?:[12]\d|3[01]|0?[1-9]){suffix}"
    year = rf"(?:,?[ \t]+{_optional_words(full_pattern.month_to_year)}{_YEAR})?"
    forms = [rf"{day}[ \t]+{_optional_words(day_month_words)}{month}{year}"]
    if long_pattern.month_before_day:
        forms.insert(0, rf"{month}[ \t]+{day}(?!\d)(?:,?[ \t]+{_YEAR})?")
    day_month = f"(?:{'|'.join(forms)})"
    weekday_after = ""
    if full_pattern.weekday_last:  # "13 Mart 2025 Perşembe"
        weekday_after = rf"|(?P<leading>{day_month}),?[ \t]+(?P<trailing_weekday>{weekday_in_date})"
    mention = re.compile(
        rf"\b(?:"
        rf"(?P<weekday>{weekday_in_date})"
        rf"(?:[ \t]*\([ \t]*(?P<inner>{day_month})[ \t]*\)"
        rf"|,?[ \t]+{_optional_words(weekday_day_words)}(?P<after>{day_month}))"
        rf"{weekday_after}"
        rf"|(?P<date>{day_month})"
        rf"|(?P<bare>{_alternation(names.weekdays)})\b)"
    )
    all_names = (*names.weekdays, *names.short_weekdays, *names.months, *names.short_months)
    # Letters only, so an anchor found inside a word can never hide the start of the next word.
    anchors = tuple(sorted({name[:_ANCHOR_LENGTH] for name in all_names}))
    longest_name = max(len(name) for name in all_names) + 1
    return LanguageDates(
        mention=mention,
        anchors=anchors,
        anchor_pattern=re.compile("|".join(re.escape(anchor) for anchor in anchors)),
        name_at=re.compile(rf"(?:{_alternation(all_names)})\b"),
        # "31st of May", "13 de marzo": the day, its suffix and a connector stand before the month.
        longest_before_name=len("31 ") + max(map(len, [*suffixes, ""])) + max(map(len, [*day_month_words, ""])) + 1,
        # A weekday, a parenthesis and a full date, the longest names of both with room for their glue.
        longest_from_name=2 * longest_name + 48,
        month_pattern=re.compile(rf"\b{month}"),
        month_numbers={name.lower(): number for name, number in (*names.months.items(), *names.short_months.items())},
        weekday_numbers={
            name.lower(): number for name, number in (*names.weekdays.items(), *names.short_weekdays.items())
        },
        prepositions=_words(table.get("prepositions", [])),
        particles=_words(table.get("particles", [])),
        forward_before=Phrases.of(table.get("forward_before", [])),
        deadline_before=Phrases.of(table.get("deadline_before", [])),
        forward_after=Phrases.of(table.get("forward_after", [])),
        backward_before=Phrases.of(table.get("backward_before", [])),
        backward_after=Phrases.of(table.get("backward_after", [])),
        future_before=TenseMarkers.of(table.get("future_before", [])),
        future_after=TenseMarkers.of(table.get("future_after", [])),
        past_before=TenseMarkers.of(table.get("past_before", [])),
        reads_after=any(table.get(key) for key in ("forward_after", "backward_after", "future_after")),
        cue_before=_cue_pattern(
            [
                entry
                for key in ("forward_before", "deadline_before", "backward_before", "future_before", "past_before")
                for entry in table.get(key, [])
            ]
        ),
        weekdays_needing_context=frozenset(number - 1 for number in table.get("weekdays_needing_context", [])),
    )


@dataclass(frozen=True)
class _WrittenNames:
    """A language's names as they may be written in running text, each with its number."""

    weekdays: dict[str, int]  # full names and their inflected forms, Monday = 0
    short_weekdays: dict[str, int]  # abbreviations without their dot
    months: dict[str, int]  # 1-12
    short_months: dict[str, int]


def _written_names(table: Mapping[str, Any], locales: list[str]) -> _WrittenNames:
    """The CLDR names of `locales`, with the inflected forms and written cases that dates.toml asks for."""
    capitalised_only = bool(table.get("capitalised", False))
    months, short_months = _cldr_names(locales, get_month_names)
    weekdays, short_weekdays = _cldr_names(locales, get_day_names)

    def written(names: Mapping[str, int]) -> dict[str, int]:
        return {form: number for name, number in names.items() for form in _written_forms(name, capitalised_only)}

    return _WrittenNames(
        weekdays=written(_inflected(weekdays, table.get("weekday_endings", []))),
        short_weekdays=written(short_weekdays),
        months=written(months),
        short_months=written(short_months),
    )


def _cue_pattern(entries: Iterable[str]) -> re.Pattern[str] | None:
    """A pattern for the first word of each entry, or the ending of an entry written "-ending", in a clause."""
    words = {_TOKEN.findall(_normalised(entry))[0] for entry in entries if not entry.startswith("-")}
    endings = [re.escape(_normalised(entry)[1:]) for entry in entries if entry.startswith("-")]
    branches = [*([rf"(?<![\w']){_alternation(words)}"] if words else []), *endings]
    return re.compile(rf"(?:{'|'.join(branches)})(?![\w'])") if branches else None


def _cldr_names(locales: Iterable[str], names_of: Any) -> tuple[dict[str, int], dict[str, int]]:
    """Wide names and dotless abbreviations (those that differ from a wide name) in both CLDR contexts.

    `names_of` is Babel's get_month_names (numbered 1-12) or get_day_names (Monday = 0).
    """
    wide: dict[str, int] = {}
    abbreviated: dict[str, int] = {}
    for locale in locales:
        for context in ("format", "stand-alone"):
            for number, name in names_of("wide", context, locale).items():
                wide[name] = number
            for number, name in names_of("abbreviated", context, locale).items():
                abbreviated[name.rstrip(".")] = number
    return wide, {name: number for name, number in abbreviated.items() if name not in wide}


def _inflected(names: Mapping[str, int], endings: Iterable[list[str]]) -> dict[str, int]:
    """The names and, for each [ending, replacement] rule of dates.toml, their inflected forms ("piątek" → "piątku")."""
    forms = dict(names)
    for ending, replacement in endings:
        for name, number in names.items():
            if name.endswith(ending):
                forms.setdefault(name[: len(name) - len(ending)] + replacement, number)
    return forms


def _written_forms(name: str, capitalised_only: bool) -> set[str]:
    """How a name may be written in running text: as CLDR has it, lower-case, or capitalised at a sentence start."""
    capital = name[:1].upper() + name[1:]
    return {capital} if capitalised_only else {name, name.lower(), capital}


@dataclass(frozen=True)
class _PatternParts:
    """What a CLDR date pattern says of a language's written dates."""

    weekday_to_day: tuple[str, ...]
    day_to_month: tuple[str, ...]
    month_to_year: tuple[str, ...]
    ordinal_dot: bool
    month_before_day: bool
    weekday_last: bool


def _pattern_parts(pattern: str) -> _PatternParts:
    """The words between the fields of a CLDR pattern ("EEEE, d 'de' MMMM 'de' y"), and the fields' order."""
    fields: list[str] = []
    between: dict[tuple[str, str], str] = {}
    literal = ""
    for quoted, field, chars in _PATTERN_TOKEN.findall(pattern):
        if field:
            if fields:
                between[(fields[-1], field)] = literal
            fields.append(field)
            literal = ""
        else:
            literal += quoted or chars

    def words(first: str, second: str) -> tuple[str, ...]:
        return tuple(word for word in between.get((first, second), "").split() if word.isalpha())

    return _PatternParts(
        weekday_to_day=words("E", "d"),
        day_to_month=words("d", "M"),
        month_to_year=words("M", "y"),
        ordinal_dot=between.get(("d", "M"), "").startswith("."),
        month_before_day="M" in fields and "d" in fields and fields.index("M") < fields.index("d"),
        weekday_last=bool(fields) and fields[-1] == "E",
    )


def _optional_words(words: Iterable[str]) -> str:
    """A pattern for at most one of `words` followed by blanks, or nothing."""
    unique = sorted(set(words), key=len, reverse=True)
    return f"(?:(?:{'|'.join(re.escape(word) for word in unique)})[ \t]+)?" if unique else ""


def _name_pattern(wide: Iterable[str], abbreviated: Iterable[str]) -> str:
    """A full name, or an abbreviation with an optional dot (a dot after a full name ends the sentence)."""
    abbreviations = list(abbreviated)
    if not abbreviations:
        return rf"(?:{_alternation(wide)})\b"
    return rf"(?:(?:{_alternation(wide)})\b|(?:{_alternation(abbreviations)})\b\.?)"


def _alternation(words: Iterable[str]) -> str:
    """A regex for any of `words`, prefix-factored: a failed attempt costs one branch per character, not per word."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_pattern(trie)


def _trie_pattern(node: dict[str, Any]) -> str:
    """The regex of one trie node; an ending word makes the longer branches optional, tried first (greedy)."""
    branches = [re.escape(char) + _trie_pattern(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    if "" in node:
        return f"(?:{body})?"
    return body


def _words(entries: Iterable[str]) -> frozenset[str]:
    return frozenset(_normalised(entry) for entry in entries)


def _normalised(text: str) -> str:
    """Lower case with one apostrophe ("jusqu’à" → "jusqu'à")."""
    return text.lower().replace("’", "'")


def reference_date(reference_time: str | None) -> date | None:
    """The UTC day of an RFC 3339 reference time, or None when there is none or it is unreadable."""
    if not reference_time:
        return None
    try:
        return date.fromisoformat(reference_time[:10])
    except ValueError:
        return None


def _resolve(match: re.Match[str], text: str, dates: LanguageDates, reference_day: date | None) -> DateMention | None:
    """A DateMention for one regex match; None when the day does not exist or a name is a common word here."""
    mention_text = match.group()
    groups = match.groupdict()  # only a weekday-last language has `leading` and `trailing_weekday`
    bare = groups["bare"]
    if bare:
        weekday = dates.weekday_numbers[bare.lower()]
        if weekday in dates.weekdays_needing_context and not _reads_as_day(match, text, dates):
            return None
        if reference_day is None:
            return DateMention(mention_text, None)
        if _direction(match, text, dates) in ("next", "ahead"):
            return DateMention(mention_text, _iso(first_weekday_from(reference_day, weekday)))
        return DateMention(mention_text, _iso(most_recent_weekday(reference_day, weekday)))
    day_month = groups["inner"] or groups["after"] or groups["date"] or groups.get("leading") or ""
    stated = groups["weekday"] or groups.get("trailing_weekday")
    month_name = dates.month_pattern.search(day_month)
    day_number = _DAY_NUMBER.search(day_month)
    if month_name is None or day_number is None:
        return None
    month = dates.month_numbers[month_name.group().rstrip(".").lower()]
    day = int(day_number.group())
    year_number = _YEAR_NUMBER.search(day_month)
    year = int(year_number.group()) if year_number else None
    stated_weekday = dates.weekday_numbers[stated.rstrip(".").lower()] if stated else None
    if not _exists(year or 2000, month, day):  # 2000 is a leap year: 29 Feb may exist in some year
        return None
    if year is not None:
        explicit = date(year, month, day)
        mismatch = stated_weekday is not None and explicit.weekday() != stated_weekday
        return DateMention(mention_text, explicit.isoformat(), mismatch)
    if reference_day is None:
        return DateMention(mention_text, None)
    direction = _direction(match, text, dates)
    if stated_weekday is None:
        if direction == "next":
            return DateMention(mention_text, _iso(first_occurrence_from(reference_day, month, day)))
        return DateMention(mention_text, _iso(nearest_occurrence(reference_day, month, day)))
    matching = None
    if direction in ("next", "ahead"):
        matching = first_with_weekday_within_a_year(reference_day, month, day, stated_weekday)
    if matching is None:
        matching = most_recent_with_weekday(reference_day, month, day, stated_weekday)
    return DateMention(mention_text, _iso(matching), weekday_mismatch=matching is None)


def _clause_before(text: str, start: int) -> str:
    """The clause before `start` (back to a punctuation mark or a line break), lower-case."""
    earliest = max(0, start - _CLAUSE_CHARS)
    last_mark = _UP_TO_LAST_CLAUSE_MARK.match(text, earliest, start)
    return _normalised(text[last_mark.end() if last_mark else earliest : start])


def _clause_after(text: str, end: int) -> str:
    """The clause after `end`, lower-case, without a suffix glued by an apostrophe ("Pazar'a")."""
    window = text[end : end + _CLAUSE_CHARS]
    clause_end = _CLAUSE_END.search(window)
    if clause_end:
        window = window[: clause_end.start()]
    glued = _GLUED_SUFFIX.match(window)
    return _normalised(window[glued.end() if glued else 0 :])


def _reads_as_day(match: re.Match[str], text: str, dates: LanguageDates) -> bool:
    """Whether a weekday name that is also a common word ("Pazar", "Minggu") reads as a day here.

    A suffix glued by an apostrophe (which marks a proper noun: "Pazar'a") or a particle after it ("Pazar
    günü") always does; a preposition or a forward or backward word before it only when the name is
    capitalised, since those also stand before the common word ("pada minggu lalu": last week).
    """
    if text[match.end() : match.end() + 1] in _APOSTROPHES:
        return True
    after = _TOKEN.findall(_clause_after(text, match.end()))
    if after and after[0] in dates.particles:
        return True
    before = _TOKEN.findall(_clause_before(text, match.start()))
    if not before or not match.group()[:1].isupper():
        return False
    return before[-1] in dates.prepositions or any(
        words.ends(before) for words in (dates.forward_before, dates.deadline_before, dates.backward_before)
    )


def _direction(match: re.Match[str], text: str, dates: LanguageDates) -> Direction | None:
    """Whether the words around a mention point forward or back from the reference day, or neither."""
    clause_before = _clause_before(text, match.start())
    clause_after = _clause_after(text, match.end()) if dates.reads_after else ""
    if not clause_after and (dates.cue_before is None or dates.cue_before.search(clause_before) is None):
        return None
    before = _TOKEN.findall(clause_before)
    after = _TOKEN.findall(clause_after)
    nearest_before = before
    while nearest_before and nearest_before[-1] in dates.prepositions:
        nearest_before = nearest_before[:-1]
    nearest_after = after
    while nearest_after and (nearest_after[0] in dates.particles or nearest_after[0] in dates.prepositions):
        nearest_after = nearest_after[1:]
    if dates.backward_before.ends(nearest_before) or dates.backward_after.starts(nearest_after):
        return "back"
    if dates.forward_before.ends(nearest_before) or dates.forward_after.starts(nearest_after):
        return "next"
    # "were already full by Tuesday night": a deadline in a story told in the past lies in the past.
    if dates.past_before.in_clause(clause_before, before):
        return "back"
    if dates.deadline_before.ends(nearest_before):
        return "ahead"
    if dates.future_before.in_clause(clause_before, before) or dates.future_after.in_clause(clause_after, after):
        return "ahead"
    return None


def most_recent_weekday(reference_day: date, weekday: int) -> date | None:
    """The latest day on or before `reference_day` that falls on `weekday` (Monday = 0); None before year 1."""
    days_back = (reference_day.weekday() - weekday) % 7
    if reference_day.toordinal() - days_back < 1:
        return None
    return reference_day - timedelta(days=days_back)


def first_weekday_from(reference_day: date, weekday: int) -> date | None:
    """The first day on or after `reference_day` that falls on `weekday` (Monday = 0); None after year 9999."""
    days_ahead = (weekday - reference_day.weekday()) % 7
    if reference_day.toordinal() + days_ahead > date.max.toordinal():
        return None
    return reference_day + timedelta(days=days_ahead)


@lru_cache(maxsize=4096)  # the same few dates recur in every article of a day
def most_recent_with_weekday(reference_day: date, month: int, day: int, weekday: int) -> date | None:
    """The latest month/day on or before `reference_day`, at most 7 years back, that falls on `weekday`."""
    for year in range(reference_day.year, reference_day.year - _LOOKBACK_YEARS - 1, -1):
        if _exists(year, month, day):
            candidate = date(year, month, day)
            if candidate <= reference_day and candidate.weekday() == weekday:
                return candidate
    return None


@lru_cache(maxsize=4096)  # the same few dates recur in every article of a day
def first_with_weekday_within_a_year(reference_day: date, month: int, day: int, weekday: int) -> date | None:
    """The first month/day on or after `reference_day`, less than a year ahead, that falls on `weekday`."""
    for year in (reference_day.year, reference_day.year + 1):
        if _exists(year, month, day):
            candidate = date(year, month, day)
            if reference_day <= candidate < reference_day + _A_YEAR and candidate.weekday() == weekday:
                return candidate
    return None


@lru_cache(maxsize=4096)  # the same few dates recur in every article of a day
def first_occurrence_from(reference_day: date, month: int, day: int) -> date | None:
    """The first month/day on or after `reference_day` (29 February may be years ahead)."""
    for year in range(reference_day.year, reference_day.year + _LOOKBACK_YEARS + 1):
        if _exists(year, month, day) and date(year, month, day) >= reference_day:
            return date(year, month, day)
    return None


@lru_cache(maxsize=4096)  # the same few dates recur in every article of a day
def nearest_occurrence(reference_day: date, month: int, day: int) -> date | None:
    """The month/day occurrence nearest `reference_day` (last, this or next year; the earlier on a tie)."""
    candidates = [
        date(year, month, day)
        for year in (reference_day.year - 1, reference_day.year, reference_day.year + 1)
        if _exists(year, month, day)
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda candidate: (abs((candidate - reference_day).days), candidate))


def _exists(year: int, month: int, day: int) -> bool:
    """Whether the calendar has this day (31 April and 29 February of common years do not exist)."""
    if not 1 <= year <= 9999:
        return False
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _iso(day: date | None) -> str | None:
    """The ISO 8601 form of a date, None kept."""
    return None if day is None else day.isoformat()
