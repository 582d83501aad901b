"""People, organisations and places named in a text, by capitalised spans, cue words, name lists and GeoNames.

A capitalised span ("Russian President Vladimir Putin", "National Aerospace Technology Administration") is
classified in this order: a known organisation (gazetteers) or place (the GeoNames index of `places`); an
organisation cue word (Ministry, Agency, Party, Inc…); a title that introduces a person (what follows it is the
name, what precedes it is classified again); an all-caps acronym (KCNA, NATO); places joined by a hyphen ("Moscow-
Pyongyang"); a person, when the name has a Korean-style hyphenated given name (Kim Jong-un) or a cue around it
("leader Kim Jong-un", "Dmitry Peskov said"). Anything else is not reported: precision over recall. A one-word
person that is part of a longer person's name ("Putin" after "Vladimir Putin") is the same person and is not listed
twice. A town name that is an ordinary word of the article's language ("Essen", "Reading") is a place only after a
locative ("in Essen") or in a list after another place; a small town abroad among places of one country is a
namesake and is dropped.

Titles, cue words, sentence-opening words and demonyms are the article language's (`people_words`). Where
the language capitalises nouns (German), a span opened by or following an article or preposition is a noun
phrase, never a person without a title.

Everything but the cues is a pure function of the span's text and language, so it is cached: news repeats its
names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import Literal

from workers.records import Entities, Place
from workers.stages.enrich.gazetteers import NOT_ACRONYMS, ORGANISATION_BY_KEY, ORGANISATION_CUES
from workers.stages.enrich.letters import UPPER
from workers.stages.enrich.people_words import PeopleWords, declined_form_of, people_words
from workers.stages.enrich.places import conjunctions, is_common_word, is_small_town, locatives, place_named

# A capitalised word, inner apostrophes, dots, ampersands and hyphens included ("Jong-un", "AT&T", "U.S."). Runs
# of one character class, not a loop over alternatives, keep the scan fast.
# A final dot belongs to an initialism ("U.S.") or to a title abbreviation ("Rep. Lorraine Buckley").
# The dot comes first and the lookbehinds check it with what precedes it: most words are not followed by a dot,
# and the optional group then fails at once instead of after four lookbehinds (a third of the span scan).
_ABBREVIATIONS = (*"Mr Dr Ms St Lt Jr Sr Mrs Rep Sen Gov Gen Col Adm Maj Sgt".split(), *"Capt Prof Supt".split())
# A lookbehind holds alternatives of one width only: one per length.
_ABBREVIATION_LOOKBEHINDS = "|".join(
    rf"(?<=\b(?:{'|'.join(word for word in _ABBREVIATIONS if len(word) == size)})\.)"
    for size in sorted({len(word) for word in _ABBREVIATIONS})
)
_WORD_TAIL = rf"\w{{0,40}}(?:['’.&-]\w{{1,40}}){{0,4}}(?:\.(?:(?<=\.[^\W\d_]\.)|{_ABBREVIATION_LOOKBEHINDS}))?"
_WORD = rf"[{UPPER}]{_WORD_TAIL}"
_CONNECTORS = ("of", "of the", "for", "de", "del", "della", "di", "da", "do", "du", "des", "van", "von", "der", "bin")
# Each connector phrase as its words, longest pattern first: the order the span pattern tries them, and the form
# the C scan takes them in.
_CONNECTOR_PHRASES = tuple(
    sorted(
        (tuple(phrase.split()) for phrase in _CONNECTORS), key=lambda words: len(r"[ \t]+".join(words)), reverse=True
    )
)
_CONNECTOR = "|".join(r"[ \t]+".join(words) for words in _CONNECTOR_PHRASES)
# The span starts with a bare character class (its start-of-word check comes after it) so that the regex engine
# can skip ahead to the next capital letter instead of trying every position.
_SPAN = re.compile(rf"[{UPPER}](?<![\w'’].){_WORD_TAIL}(?:[ \t]+(?:(?:{_CONNECTOR})[ \t]+)?{_WORD}){{0,6}}")
_CONNECTOR_WORDS = frozenset(" ".join(_CONNECTORS).split())
# Capitalised particles that are also articles: inside a span they belong to a surname ("Bruno Le Maire").
_CAPITAL_PARTICLES = frozenset(("Le", "La", "De", "Da", "Di", "Du", "Del", "Van", "Von", "Al", "El", "Ben", "Bin"))
# The last three characters of each connector, a space before the shorter ones: a cheap test of the word before.
_CONNECTOR_ENDS = frozenset(f" {word}"[-3:] for word in _CONNECTOR_WORDS)
_NAME_PARTICLES = frozenset(("de", "van", "von", "der", "da", "du", "del", "della"))

_CONTEXT_CHARS = 30
_APPOSITION_CHARS = 60
_APPOSITION_WORDS = 5  # "the chief executive of the company, Jane Doe": a role this many words before the comma
# An institution glued to its article after a role: "ministro dell'Economia", "ministre de l'Intérieur".
_GLUED_INSTITUTION = re.compile(rf"\w{{1,5}}['’][{UPPER}]")
_CACHE_SPANS = 50_000  # distinct spans remembered across articles (a few MB)
_KOREAN_NAME = re.compile(r"[A-Z][a-z]{1,3} [A-Z][a-z]{1,5}-[a-z]{1,5}")
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&]{1,5}")
_APOSTROPHE = re.compile("['’]")
_POSSESSIVE = ("'s", "’s", "'", "’")

# What a span names without looking at its context; a "candidate" is a person only with a cue around it, a
# "candidate_tail" (the part after a connector: "Rini di Surabaya") only with a cue after it.
Kind = Literal["person", "organisation", "place", "candidate", "candidate_followed", "candidate_tail"]
_Finding = tuple[Kind, str]
_CANDIDATES = frozenset(("candidate", "candidate_followed", "candidate_tail"))


def find_entities(text: str, dateline: str | None = None, language: str | None = None) -> Entities:
    """People, organisations and places named in `text` (the dateline place first when it is a known place).

    `language` (ISO 639-1) chooses the titles, cue words and sentence-opening words that tell people apart;
    see `people_words` for a language without its own words.
    """
    words = people_words(language)
    code = words.language
    cues = _cues(code)
    found: dict[Kind, dict[str, None]] = {"person": {}, "organisation": {}}
    places: dict[int, Place] = {}
    dateline_place = place_named(dateline) if dateline is not None else None
    if dateline_place is not None:
        places[dateline_place.geonames_id] = dateline_place
    last_place_end = -1
    for start, end in span_bounds(text):
        for kind, name in span_findings(text[start:end], code):
            if kind == "place":
                place = place_named(name)
                # "In Essen" is one span: the locative may be inside it, before the name.
                position = max(text.find(name, start, end), start)
                if place is not None and (
                    not is_common_word(name, language)
                    or _has_locative_before(text, position, language)
                    or (last_place_end >= 0 and _continues_a_list(text[last_place_end:position], language))
                ):
                    places.setdefault(place.geonames_id, place)
                    last_place_end = position + len(name)
                continue
            if kind in _CANDIDATES:
                person = cues.person(text, start, end, kind, name)
                if person is None:
                    continue
                kind, name = "person", person
            found[kind][name] = None
    return Entities(
        people=fold_surnames(tuple(found["person"]), words.name_case_endings),
        organisations=tuple(found["organisation"]),
        places=_without_small_towns_abroad(tuple(places.values())),
    )


def _without_small_towns_abroad(places: tuple[Place, ...]) -> tuple[Place, ...]:
    """The places without the small towns outside every country of the others (when the others have one).

    A small town abroad is most often a namesake: a quarter of Porto ("Ribeira") taken for a Galician town, a
    Milan metro station ("Garibaldi") for a Brazilian one.
    """
    countries = {place.country_code for place in places if not is_small_town(place)} - {None}
    if not countries:
        return places
    return tuple(place for place in places if place.country_code in countries or not is_small_town(place))


def span_bounds(text: str) -> list[tuple[int, int]]:
    """Start and end of every capitalised span, as `_SPAN.finditer` finds them."""
    return [match.span() for match in _SPAN.finditer(text)]


def fold_surnames(people: tuple[str, ...], case_endings: tuple[str, ...] = ()) -> tuple[str, ...]:
    """People without the one-word names that are a word of a longer listed name ("Kim" of "Kim Jong-un").

    With `case_endings`, a declined one-word name ("Kowalskiego") is folded into its full name too; so is a
    surname with its particle ("De Bruin" of "Marieke de Bruin").
    """
    full_names = [name for name in people if " " in name]
    if not full_names:
        return people
    words_of_full_names = {word for name in full_names for word in name.split()}
    endings = _shorter_endings(name for name in full_names if name.count(" ") > 1)
    kept: list[str] = []
    for name in people:
        if " " in name:
            if endings and name.casefold() in endings:
                continue
        elif name in words_of_full_names or (
            case_endings and any(declined_form_of(name, word, case_endings) for word in words_of_full_names)
        ):
            continue
        kept.append(name)
    return tuple(kept)


def full_name(name: str, people: Iterable[str], language: str | None = None) -> str:
    """The longer listed name that a one-word name ("Kim", declined "Kowalskiego") belongs to, else the name."""
    people = tuple(people)
    if " " in name:
        return next((person for person in people if _is_end_of(name, person)), name)
    found = next((person for person in people if name in person.split()), None)
    if found is None:
        endings = people_words(language).name_case_endings
        if endings:
            found = next(
                (person for person in people if any(declined_form_of(name, word, endings) for word in person.split())),
                None,
            )
    return found or name


def _is_end_of(name: str, person: str) -> bool:
    """Whether `name` is the last words of the longer name `person`, in any case ("De Bruin", "Marieke de Bruin")."""
    return len(person) > len(name) and person.casefold().endswith(" " + name.casefold())


def _shorter_endings(full_names: Iterable[str]) -> frozenset[str]:
    """The last two or more words of each name, shorter than the name and case-folded ("de bruin")."""
    endings: set[str] = set()
    for name in full_names:
        words = name.casefold().split()
        endings.update(" ".join(words[start:]) for start in range(1, len(words) - 1))
    return frozenset(endings)


@lru_cache(maxsize=_CACHE_SPANS)
def span_findings(span: str, language: str | None = None) -> tuple[_Finding, ...]:
    """What a capitalised span names, before its context is looked at (cached: a pure function of the text)."""
    words = people_words(language)
    if span in words.not_names:
        return ()
    findings: list[_Finding] = []
    _classify(span.split(), findings, True, words)
    return tuple(findings)


def _classify(tokens: list[str], findings: list[_Finding], followed: bool, words: PeopleWords) -> None:
    """Add what the words of a span name; `followed` says whether the span's own end follows them."""
    tokens = _trim(tokens, words)
    if len(tokens) == 1:
        _classify_word(tokens[0], findings, words)
        return
    if not tokens:
        return
    tokens[-1] = _without_possessive(tokens[-1], words)
    for index, token in enumerate(tokens[:-1]):
        stripped = _without_possessive(token, words)
        if stripped != token:  # "Putin's United Russia": two names
            _classify([*tokens[:index], stripped], findings, False, words)
            _classify(tokens[index + 1 :], findings, followed, words)
            return
    name = " ".join(tokens)
    key = name.casefold()
    if key in ORGANISATION_BY_KEY:
        findings.append(("organisation", ORGANISATION_BY_KEY[key]))
    elif place_named(name) is not None:
        findings.append(("place", name))
    elif tokens[0].lower() in locatives(None) and place_named(" ".join(tokens[1:])) is not None:
        findings.append(("place", " ".join(tokens[1:])))  # a sentence that opens "Aus Bergen", "À Marseille"
    elif not ORGANISATION_CUES.isdisjoint(tokens):
        # "Kepala Dinas Perdagangan" (head of the trade office): the office is the organisation.
        lead = 0
        while lead < len(tokens) - 1 and words.is_title(tokens[lead]):
            lead += 1
        findings.append(("organisation", " ".join(tokens[lead:])))
    elif any(map(words.is_title, tokens[:-1])):  # a title at the end is a surname: "Bruno Le Maire"
        _classify_titled(tokens, findings, words)
    elif not _CONNECTOR_WORDS.isdisjoint(tokens):
        if _NAME_PARTICLES.issuperset(token for token in tokens if token in _CONNECTOR_WORDS) and len(tokens) <= 4:
            # "Marieke de Bruin", "Ursula von der Leyen": particles inside a person's name; its parts may still be
            # places ("Santiago de Chile"), never people of their own.
            findings.append(("candidate_followed" if followed else "candidate", name))
            parts: list[_Finding] = []
            _classify_parts(tokens, parts, followed, words)
            findings.extend(finding for finding in parts if not finding[0].startswith("candidate"))
        else:
            _classify_parts(tokens, findings, followed, words)
    elif len(tokens) > 2 and place_of_word(tokens[0], words) is not None:
        # "(wiceprezydent) Krakowa Tomasz Wilk": a place opening a longer span, then a name. A declined form is
        # left out of the places: the place list holds names as written in a gazetteer.
        if place_named(tokens[0]) is not None:
            findings.append(("place", tokens[0]))
        _classify(tokens[1:], findings, followed, words)
    elif words.demonyms.isdisjoint(tokens) and words.not_names.isdisjoint(_unless_particles(tokens)):
        if _KOREAN_NAME.fullmatch(name):
            findings.append(("person", name))
        else:
            findings.append(("candidate_followed" if followed else "candidate", name))


def _classify_word(token: str, findings: list[_Finding], words: PeopleWords) -> None:
    """Add what a one-word span names (the common case, so it has its own short path)."""
    word = _without_possessive(token, words)
    key = word.casefold()
    if key in ORGANISATION_BY_KEY:
        findings.append(("organisation", ORGANISATION_BY_KEY[key]))
    elif place_named(word) is not None:
        findings.append(("place", word))
    elif (stem := _place_before_suffix(word)) is not None:
        findings.append(("place", stem))
    elif word in words.not_names or word in words.demonyms or words.is_title(word) or word in ORGANISATION_CUES:
        return
    elif _ACRONYM.fullmatch(word):
        if word not in NOT_ACRONYMS:
            findings.append(("organisation", word))
    elif "-" in word:
        parts = word.split("-")
        if all(place_named(part) is not None for part in parts):  # "Moscow-Pyongyang"
            findings.extend(("place", part) for part in parts)
    else:
        # One word is too little to call a person on a following "said" ("Officials said"): a cue before only.
        findings.append(("candidate", word))


def _classify_titled(tokens: list[str], findings: list[_Finding], words: PeopleWords) -> None:
    """A span holding a title: the words after the last title are a person, the words before are classified."""
    titled = [index for index, token in enumerate(tokens[:-1]) if words.is_title(token)]
    name_tokens = tokens[titled[-1] + 1 :]
    # A title's own words ("Secretary of State"), and a place named between title and name ("Presiden Indonesia
    # Joko Widodo", "Wali Kota Surabaya Eri Cahyadi"), are not the name.
    # A place is stripped only when a full name (two words) is left: "Vladimir" is a city, but in "President
    # Vladimir Putin" it is a given name.
    while name_tokens and (
        name_tokens[0] in words.title_tails or (len(name_tokens) > 2 and place_of_word(name_tokens[0], words))
    ):
        if place_named(name_tokens[0]) is not None:
            findings.append(("place", name_tokens[0]))
        name_tokens = name_tokens[1:]
    if titled[0] > 0:
        _classify(tokens[: titled[0]], findings, False, words)
    if name_tokens and name_tokens[0] in _CONNECTOR_WORDS:  # "Sprecher der Bahn": a role of something, no name
        return
    # "Prezes PiS Jarosław Kaczyński", "Ketua DPR Puan Maharani": the organisation the title belongs to.
    while len(name_tokens) > 2 and _is_acronym_like(name_tokens[0]):
        findings.append(("organisation", name_tokens[0]))
        name_tokens = name_tokens[1:]
    # "Sri Mulyani Indrawati di Jakarta": the name ends at a connector that is no name particle.
    for index, token in enumerate(name_tokens):
        if token in _CONNECTOR_WORDS and token not in _NAME_PARTICLES:
            _classify(name_tokens[index + 1 :], findings, False, words)
            name_tokens = name_tokens[:index]
            break
    if name_tokens and words.demonyms.isdisjoint(name_tokens) and words.not_names.isdisjoint(name_tokens):
        findings.append(("person", " ".join(name_tokens)))


def _unless_particles(tokens: list[str]) -> list[str]:
    """The words of a span but the capitalised particles inside it ("Bruno Le Maire", "Marine Le Pen")."""
    return [token for index, token in enumerate(tokens) if index == 0 or token not in _CAPITAL_PARTICLES]


def _is_acronym_like(token: str) -> bool:
    """An all-capitals or mixed acronym ("DPR", "PiS") or a known organisation."""
    return token.casefold() in ORGANISATION_BY_KEY or (sum(map(str.isupper, token)) >= 2 and "-" not in token)


def place_of_word(word: str, words: PeopleWords) -> str | None:
    """The known place a word names, also in a declined form ("Krakowa" in Polish), else None."""
    if place_named(word) is not None:
        return word
    for ending in words.name_case_endings:
        if word.casefold().endswith(ending) and place_named(word[: -len(ending)]) is not None:
            return word[: -len(ending)]
    return None


def _classify_parts(tokens: list[str], findings: list[_Finding], followed: bool, words: PeopleWords) -> None:
    """Classify the pieces of a span that connectors ("of", "de") join but no organisation cue holds together."""
    parts: list[list[str]] = [[]]
    for token in tokens:
        if token in _CONNECTOR_WORDS:
            parts.append([])
        else:
            parts[-1].append(token)
    parts = [part for part in parts if part]
    for index, part in enumerate(parts):
        if index == 0:
            _classify(part, findings, False, words)
            continue
        # A later part is not preceded by the span's cue; only the last part is followed by what follows the span
        # ("Joint Chiefs of Staff said").
        found: list[_Finding] = []
        _classify(part, found, followed and index == len(parts) - 1, words)
        for kind, name in found:
            if kind == "candidate_followed":
                findings.append(("candidate_tail", name))
            elif kind != "candidate":
                findings.append((kind, name))


class _Cues:
    """A language's person cues around a candidate span: a word before it, a speech verb after it, a role and its
    institution before it."""

    def __init__(self, words: PeopleWords) -> None:
        self.words = words
        suffix = r"(?:['’]\w+)?" if words.apostrophe_suffixes else r"(?:['’]s)?"
        after = "|".join(_phrase_pattern(phrase) for phrase in sorted(words.cues_after, key=len, reverse=True))
        self.after = re.compile(rf"{suffix}[ \t]*(?:{after})\b") if after else None
        # "Putin's spokesperson, Dmitry Peskov, said", "Margaret Dyson, who": a comma may come before the cue.
        self.after_apposition = re.compile(rf"{suffix}[ \t]*,[ \t]*(?:{after})\b") if after else None
        # Languages that glue an article to a noun ("l'Économie") may glue it to an institution after a role.
        self.glued_articles = any(word.endswith(("'", "’")) for word in words.determiners)
        # Most spans open a sentence (". The") or follow no cue: the two characters before the space rule them
        # out before any slicing (a one-letter cue is matched with the space before it).
        pairs = {
            (word[-2:] if len(word) > 1 else " " + word).lower() for word in (*words.cues_before, *words.title_endings)
        }
        self.last_pairs = frozenset((*pairs, *(pair.upper() for pair in pairs), *(pair.capitalize() for pair in pairs)))

    def person(self, text: str, start: int, end: int, kind: Kind, name: str) -> str | None:
        """The person a candidate span names, given the cues around it, else None."""
        if self.words.noun_phrase_openers and _opens_noun_phrase(text, start, self.words):
            return None
        if kind == "candidate_tail":
            return name if self.after_only(text, end) else None
        if self.around(text, start, end if kind == "candidate_followed" else None):
            return name
        institution = self.institution_before(text, start)
        if institution is None:
            return None
        if not institution:
            return name
        return name.split(" ", 1)[1] if name.count(" ") >= 2 else None

    def around(self, text: str, start: int, end: int | None) -> bool:
        """A cue right before `start` ("leader", "spokesperson,", "said") or right after `end` ("said")."""
        if self.before(text, start):
            return True
        if end is None or self.after is None or self.after_apposition is None:
            return False
        if self.after.match(text, end, end + _CONTEXT_CHARS) is not None:
            return True
        if self.after_apposition.match(text, end, end + _CONTEXT_CHARS) is None:
            return False
        # "…, pedagang di Muara Angke, mengatakan": a name after a preposition closes someone else's apposition.
        preceding = text[max(0, start - _CONTEXT_CHARS) : start].rsplit(None, 1)
        return not preceding or preceding[-1].capitalize() not in self.words.not_names

    def after_only(self, text: str, end: int) -> bool:
        """Whether a speech verb or other cue follows `end` right away ("… Staff said")."""
        return self.after is not None and self.after.match(text, end, end + _CONTEXT_CHARS) is not None

    def before(self, text: str, start: int) -> bool:
        """Whether a person cue word comes right before `start`, or a role a few words before a comma there."""
        if start < 3:
            return False
        mark = text[start - 2]
        if mark == ",":
            # "El líder del PP, Alberto Núñez Feijóo": a role opens the apposition. A speech verb before a comma
            # ("sagte, Details würden …") ends its clause instead.
            before_comma = text[max(0, start - _APPOSITION_CHARS) : start - 2].split()[-_APPOSITION_WORDS:]
            return (
                bool(before_comma)
                and not self.words.is_verb(before_comma[-1])
                and any(map(self.words.is_role, before_comma))
            )
        if text[start - 3 : start - 1] not in self.last_pairs:
            return False
        last = text[max(0, start - _CONTEXT_CHARS) : start].rsplit(None, 1)
        return bool(last) and self.words.is_cue_before(last[-1])

    def institution_before(self, text: str, start: int) -> bool | None:
        """After a role and an institution, whether the span holds the institution's last word.

        "presidente del Consiglio Giorgia Meloni": True (the span opens with "Consiglio"); "ministro
        dell'Economia Giancarlo Giorgetti": False (the institution is glued to its article, outside the span);
        None when no role and institution come right before the span.
        """
        # Most spans follow neither a connector nor a glued article: three characters rule them out.
        if start < 4 or (text[start - 4 : start - 1] not in _CONNECTOR_ENDS and not self.glued_articles):
            return None
        last = text[text.rfind(" ", max(0, start - _CONTEXT_CHARS), start - 1) + 1 : start - 1]
        if last not in _CONNECTOR_WORDS and not (self.glued_articles and ("'" in last or "’" in last)):
            return None
        words = text[max(0, start - _CONTEXT_CHARS) : start].split()[-3:]
        if len(words) < 2 or not self.words.is_role(words[-2]):
            return None
        if words[-1] in _CONNECTOR_WORDS:
            return True
        return False if _GLUED_INSTITUTION.match(words[-1]) else None


@cache
def _cues(language: str | None) -> _Cues:
    return _Cues(people_words(language))


def _phrase_pattern(phrase: str) -> str:
    """A phrase as a pattern whose words may be separated by any run of spaces or tabs."""
    return r"[ \t]+".join(map(re.escape, phrase.split()))


def _opens_noun_phrase(text: str, start: int, words: PeopleWords) -> bool:
    """Whether the span at `start` opens with, or follows, a noun phrase opener ("die Deutsche Bahn", "Der Verein")."""
    first = text[start : start + _CONTEXT_CHARS].split(None, 1)
    if first and first[0].casefold() in words.noun_phrase_openers:
        return True
    preceding = text[max(0, start - _CONTEXT_CHARS) : start].rsplit(None, 1)
    return bool(preceding) and preceding[-1].casefold() in words.noun_phrase_openers


def _place_before_suffix(word: str) -> str | None:
    """The place name before a case ending set off by an apostrophe (Turkish "Bodrum'da", "Ankara'dan")."""
    name = _APOSTROPHE.split(word, 1)[0]
    return name if name != word and place_named(name) is not None else None


def _has_locative_before(text: str, start: int, language: str | None) -> bool:
    """Whether the word right before `start` puts a place after it ("in Essen", "à Nice")."""
    words = text[max(0, start - _CONTEXT_CHARS) : start].rsplit(None, 1)
    return bool(words) and words[-1].lower() in locatives(language)


def _continues_a_list(gap: str, language: str | None) -> bool:
    """Whether the text between a place and a name joins them in a list ("Leeds and York", "Halle, Leipzig")."""
    words = gap.replace(",", " ").split()
    return len(words) <= 1 and (not words or words[0].lower() in conjunctions(language))


def _trim(tokens: list[str], words: PeopleWords) -> list[str]:
    """The span without the sentence-opening words and connectors at its edges."""
    first, last = 0, len(tokens)
    not_names = words.not_names
    while first < last and (tokens[first] in not_names or tokens[first] in _CONNECTOR_WORDS):
        first += 1
    while last > first and (tokens[last - 1] in not_names or tokens[last - 1] in _CONNECTOR_WORDS):
        last -= 1
    return tokens[first:last]


def _without_possessive(token: str, words: PeopleWords) -> str:
    """A word without its possessive ending ("Kim's" → "Kim"), or its case ending in Turkish ("Erdoğan'a")."""
    if "'" not in token and "’" not in token:
        return token
    if words.apostrophe_suffixes:
        cut = min(at for at in (token.find("'"), token.find("’")) if at >= 0)
        return token[:cut] if cut > 0 else token
    for ending in _POSSESSIVE:
        if token.endswith(ending) and len(token) > len(ending):
            return token[: -len(ending)]
    return token
