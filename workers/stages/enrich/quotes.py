"""Quotations and who said them: "…," Kim said. / Kim said: "…" / „…“, sagte Scholz / « … », selon Dupont.

The speech verbs, pronouns, titles and quotation marks are the article language's (`people_words`); each
language's patterns are built on first use and kept.

Rules:
- quotes are looked for inside one paragraph at a time (an unclosed quote never swallows the next paragraph);
- the speaker is the capitalised name right after the quote with a speech verb ("Kim said", "said Putin", "dijo
  la alcaldesa Ana López", "so Müller"), right before it ("Kim said: …", "Selon Dupont, « … »"), or before it
  with the verb after it ('Erdoğan, "…" dedi.'); leading titles are dropped ("said Russian President Vladimir
  Putin" gives "Vladimir Putin"); a pronoun ("he said", "sagte er") or a verb without a subject ("…", dijo. /
  « … », a-t-il dit) stands for the person named last before the quote in its paragraph, else for the named
  speaker of a quote earlier in the same paragraph or in the paragraph just before, else None (further back,
  "he" is as likely someone else);
- a dash quote ("—…—, dijo") is kept only with a speaker, since a dash also sets off an aside; in Swedish,
  Danish and Norwegian a paragraph opened by a dash is speech up to its attribution ("– …, säger X.");
- a quote right after an attributed one in the same paragraph ('"…," Kim said. "…"', also after a short tail
  such as "in a statement.") has the same speaker;
- a quote of fewer than 4 words (split at spaces) without a speaker is a scare-quote or a title ("new height")
  and is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from workers.records import Quote
from workers.stages.enrich.entities import place_of_word
from workers.stages.enrich.letters import UPPER
from workers.stages.enrich.people_words import PeopleWords, people_words
from workers.stages.text.marker_phrases import alternation

_MIN_UNATTRIBUTED_WORDS = 4
_MAX_QUOTE_CHARS = 3000
_LOOKBEHIND_CHARS = 80
_LOOKAHEAD_CHARS = 120  # ', a assuré le ministre de l'Économie, Bruno Le Maire' must fit whole
_MAX_QUOTE_CANDIDATES = 2000  # bounds the work on pathological input; real articles have a few dozen at most
_MAX_ATTRIBUTION_TAIL = 40  # '… she said in a statement. "…"': the tail before a continued quote
# Spaces between words; French sets quotes and colons off with no-break spaces (U+00A0, narrow U+202F).
_S = r"[ \t\u00a0\u202f]"
# A dash opens speech in Spanish ("—…—, dijo") but also sets off an aside: such a quote needs a speaker.
_DASHES = frozenset("—–")

# A name word may end in a dot only as an initial or abbreviation ("J.", "Dr."): "Brandt. Für" is two sentences.
_NAME_WORD = rf"[{UPPER}][\w'’-]{{0,30}}(?:(?<=\b\w)\.|(?<=\b\w\w)\.|(?<=\b\w\w\w)\.)?"
# Lower-case particles inside a name: "Marieke de Bruin", "Ursula von der Leyen", "Luiz Inácio Lula da Silva".
_NAME_PARTICLES = "de|van|von|der|den|da|du|del|della|dos|ter|ten|bin|ibn"
_NAME = rf"{_NAME_WORD}(?:{_S}+(?:(?:{_NAME_PARTICLES}){_S}+){{0,2}}{_NAME_WORD}){{0,5}}"
_LOWER_WORD = rf"(?![{UPPER}\d])[\w'’-]{{1,25}}"
# Words between the verb and the quote need a colon or comma ("told reporters:"), else the quote is reported speech.
_TAIL_AFTER_VERB = rf"(?:{_S}*[:,]|(?:{_S}+[\w'’]{{1,20}}){{1,3}}{_S}*[:,])?{_S}*$"
_VERB_ENDS_WINDOW = re.compile(_TAIL_AFTER_VERB)
# A connector right before a name: "presidente del Consiglio Giorgia Meloni", "ministre de la Santé Jean Roux".
_CONNECTOR_ENDS = re.compile(
    rf"(?<![{UPPER}\w])(?:of|of{_S}+the|de|de{_S}+la|del|della|dello|dei|do|da|dos|das|du|des|van|der){_S}+$"
)
# "Erdoğan, "…" dedi." / "López: «…», dijo.": a name right before a quote whose verb follows it.
_NAME_OPENS_QUOTE = re.compile(rf"(?P<name>{_NAME}){_S}*[,:]{_S}*$")


@dataclass(frozen=True)
class QuotePatterns:
    """One language's patterns: quotes, and attributions after, before and around them."""

    words: PeopleWords
    quote: re.Pattern[str]
    opening_marks: str
    dash_groups: frozenset[int]
    after: re.Pattern[str]
    before: re.Pattern[str]
    any_verb: re.Pattern[str]
    according_before: re.Pattern[str] | None
    dash_paragraph: re.Pattern[str] | None


def _with_capitals(words: Iterable[str]) -> tuple[str, ...]:
    """Each word as written and with a capital first letter (a sentence may open with it)."""
    return tuple(dict.fromkeys(form for word in words for form in (word, word[:1].upper() + word[1:])))


@cache
def quote_patterns(language: str | None) -> QuotePatterns:
    """The patterns of a language's words, built on first use (see `people_words` for unsupported languages)."""
    words = people_words(language)
    closers_by_opener: dict[str, str] = {}
    for opening, closing in words.quotation_marks:
        closers_by_opener[opening] = closers_by_opener.get(opening, "") + closing
    alternatives: list[str] = []
    dash_groups: set[int] = set()
    for group, (opening, closers) in enumerate(closers_by_opener.items(), start=1):
        excluded = re.escape("".join(dict.fromkeys(opening + closers)))
        inner = f"[^{excluded}\n]"
        if "’" in closers:  # ’ is also the apostrophe: before a letter ("zo’n") it does not close the quote
            inner = rf"(?:{inner}|’(?=\w))"
        alternatives.append(f"{re.escape(opening)}((?:{inner}){{1,{_MAX_QUOTE_CHARS}}})[{re.escape(closers)}]")
        if opening in _DASHES:
            dash_groups.add(group)
    verbs = alternation((*_with_capitals(words.speech_verbs), *_with_capitals(words.according_to)), space=_S)
    speech_verbs = alternation(_with_capitals(words.speech_verbs), space=_S)
    verbs_after_name = alternation((*words.speech_verbs, *words.according_to_after), space=_S)
    pronoun = alternation(_with_capitals(words.pronouns), space=_S)
    determiners = "|".join(
        re.escape(word) + ("" if word.endswith(("'", "’")) else f"{_S}+") for word in words.determiners
    )
    name_suffix = r"(?:['’]\w{1,6})?" if words.apostrophe_suffixes else ""

    def speaker(suffix: str = "") -> str:
        """A name or a pronoun, in groups named name{suffix} and pronoun{suffix}."""
        named = (
            rf"(?:(?:{determiners}))?(?P<name{suffix}>{_NAME}){name_suffix}"
            if determiners
            else f"(?P<name{suffix}>{_NAME}){name_suffix}"
        )
        return rf"{named}|(?P<pronoun{suffix}>{pronoun})" if pronoun else named

    # A short role between a verb and a name: "said its spokesperson, Owen Pritchard", "dijo la alcaldesa Ana
    # López", "säger nämndens ordförande Lars Ekström", "disse à agência Lusa o dirigente sindical Rui Moreira";
    # tried only when the name does not follow the verb at once ("kata Rini di Surabaya, Selasa").
    role_opening = f"(?:{determiners})?" if determiners else ""
    cue_words = "|".join(map(re.escape, sorted(words.cues_before, key=len, reverse=True)))
    endings = "|".join(map(re.escape, words.title_endings))
    role_word = rf"(?:{cue_words}|[\w-]*(?:{endings}))" if endings else f"(?:{cue_words})"
    any_word = r"[\w'’-]{1,25}"
    role = (
        rf"(?:{role_opening}{any_word}(?:{_S}+{any_word}){{0,5}},{_S}+"
        rf"|(?:{any_word}{_S}+){{0,4}}?{role_opening}(?i:{role_word})(?:{_S}+{any_word}){{0,7}},{_S}+"
        rf"|(?:{any_word}{_S}+){{0,4}}?{role_opening}(?i:{role_word})(?:{_S}+{_LOWER_WORD})?{_S}+"
        # A role in lower-case words right before the name, whatever the words: "säger meteorologen Lina
        # Forsberg", "contou a comerciante Patrícia Menezes".
        rf"|{role_opening}(?:{_LOWER_WORD}{_S}+){{1,3}})??"
    )
    # "…," Kim said / "…", said Putin / "…," mayor Deborah Kinsella said / "…", dijo. — right after the quote.
    after = re.compile(
        rf"{_S}*,?{_S}*[–—-]?{_S}*(?:(?:{verbs}){_S}+{role}(?:{speaker('_late')})(?![\w'’])"
        rf"|(?P<implicit>{speech_verbs}){_S}*(?=[.,;:!?–—]|$)"
        rf"|(?:{_LOWER_WORD}{_S}+){{0,3}}(?:{speaker()}){_S}+(?:{verbs_after_name})\b)"
    )
    # Kim said: "…" / Putin told reporters, "…" — right before the opening quote.
    before = re.compile(rf"(?:{speaker()}){_S}+(?:{speech_verbs}){_TAIL_AFTER_VERB}")
    # "Selon Dupont, « … »" / "Według Kowalskiego: „…”" / "Erdoğan'a göre, "…"".
    according_forms = []
    if words.according_to:
        according = alternation(_with_capitals(words.according_to), space=_S)
        according_forms.append(rf"\b(?:{according}){_S}+{role}(?P<name>{_NAME}){name_suffix}{_S}*[,:]?{_S}*$")
    if words.according_to_after:
        according_after = alternation(words.according_to_after, space=_S)
        according_forms.append(rf"(?P<name_late>{_NAME}){name_suffix}{_S}+(?:{according_after}){_S}*[,:]?{_S}*$")
    return QuotePatterns(
        words=words,
        quote=re.compile("|".join(alternatives)),
        opening_marks="".join(closers_by_opener),
        dash_groups=frozenset(dash_groups),
        after=after,
        before=before,
        any_verb=re.compile(rf"\b(?:{speech_verbs})"),
        according_before=re.compile("|".join(according_forms)) if according_forms else None,
        dash_paragraph=re.compile(rf"{_S}*[–—]{_S}*(?P<text>[^\n]+?)(?=,{_S}*(?:{speech_verbs})\b)")
        if words.dash_opens_quote
        else None,
    )


def find_quotes(
    paragraphs: Iterable[str], people: Sequence[str] = (), language: str | None = None
) -> tuple[Quote, ...]:
    """The quotations of the body in order, each with its speaker or None.

    `people` (names found in the body) lets a pronoun stand for the person last named before the quote;
    `language` (ISO 639-1) chooses the speech verbs, pronouns and quotation marks.
    """
    patterns = quote_patterns(people_words(language).language)
    quotes: list[Quote] = []
    last_speaker: str | None = None
    budget = _MAX_QUOTE_CANDIDATES
    for paragraph in paragraphs:
        if patterns.dash_paragraph is not None and (dashed := patterns.dash_paragraph.match(paragraph)) is not None:
            attribution = _attribution(patterns, paragraph, 0, dashed.end())
            if attribution is not None:
                name, is_pronoun, _ = attribution
                speaker = (last_person_named(paragraph, people) or last_speaker) if is_pronoun else name
                quotes.append(Quote(dashed.group("text").strip(), speaker))
                last_speaker = speaker
                continue
        if not any(map(paragraph.__contains__, patterns.opening_marks)):
            last_speaker = None  # a pronoun looks back one quoting paragraph at most
            continue
        speaker_before_paragraph, last_speaker = last_speaker, None
        attributed_until = -1  # where the last attribution in this paragraph ended
        for match in patterns.quote.finditer(paragraph):
            budget -= 1
            if budget < 0:
                return tuple(quotes)
            text = _quote_text(match)
            attribution = _attribution(patterns, paragraph, match.start(), match.end())
            if attribution is not None:
                name, is_pronoun, attributed_until = attribution
                if is_pronoun:
                    named = last_person_named(paragraph[: match.start()], people)
                    speaker = named or last_speaker or speaker_before_paragraph
                else:
                    speaker = name
                last_speaker = speaker or last_speaker
            elif match.lastindex in patterns.dash_groups:
                continue
            elif attributed_until >= 0 and _same_sentence(paragraph[attributed_until : match.start()]):
                speaker = last_speaker  # '"…," Kim said. "…"': the next quote goes on with the same speaker
            elif len(text.split(None, _MIN_UNATTRIBUTED_WORDS)) >= _MIN_UNATTRIBUTED_WORDS:
                speaker = None
            else:
                continue
            if text:
                quotes.append(Quote(text, speaker))
    return tuple(quotes)


def _same_sentence(gap: str) -> bool:
    """Whether the words between an attribution and the next quote only finish the attribution's sentence."""
    rest = gap.rstrip(" \t.,;")
    return len(rest) <= _MAX_ATTRIBUTION_TAIL and not any(map(rest.__contains__, '.!?"“”«»„'))


def _quote_text(match: re.Match[str]) -> str:
    """The quoted words without the comma that English puts inside the closing quote."""
    return (match.group(match.lastindex or 0) or "").strip().rstrip(",").rstrip()


def _attribution(patterns: QuotePatterns, paragraph: str, start: int, end: int) -> tuple[str | None, bool, int] | None:
    """(speaker, whether it is a pronoun, where the attribution ends) from the words around a quote, else None."""
    found = patterns.after.match(paragraph, end, end + _LOOKAHEAD_CHARS)
    attributed_until = found.end() if found is not None else end
    before = paragraph[max(0, start - _LOOKBEHIND_CHARS) : start]
    if found is not None and found.group("implicit") is not None:
        # The verb has no subject after it: a name right before the quote, else the person last named.
        opener = _NAME_OPENS_QUOTE.search(before)
        name = speaker_name(opener.group("name"), patterns.words) if opener is not None else None
        return (name, False, attributed_until) if name else (None, True, attributed_until)
    if found is None:
        # The full pattern is tried at every position of the window: first make sure a speech verb is there, with
        # nothing after it but what the pattern allows before the quote.
        found = patterns.before.search(before) if _verb_ends_window(patterns, before) else None
    if found is None and patterns.according_before is not None:
        found = patterns.according_before.search(before)
    if found is None:
        return None
    groups = found.groupdict()
    if groups.get("pronoun") or groups.get("pronoun_late"):
        return None, True, attributed_until
    group = "name" if groups.get("name") else "name_late"
    words = groups.get(group) or ""
    # "ha detto la presidente del Consiglio Giorgia Meloni": the role's institution opens the name.
    if words.count(" ") >= 2 and _CONNECTOR_ENDS.search(
        found.string, max(0, found.start(group) - 12), found.start(group)
    ):
        words = words.split(None, 1)[1]
    name = speaker_name(words, patterns.words)
    return (name, False, attributed_until) if name else None


def _verb_ends_window(patterns: QuotePatterns, before: str) -> bool:
    """Whether some speech verb in the window is followed only by what `before` allows up to its end.

    Every `before` match holds such a verb, and `any_verb` finds it: verbs start at a word boundary, and where
    two overlap ("a dit", "dit") they end at the same place.
    """
    return any(_VERB_ENDS_WINDOW.match(before, verb.end()) for verb in patterns.any_verb.finditer(before))


def last_person_named(text: str, people: Sequence[str]) -> str | None:
    """The person of `people` whose name (or surname) `text` mentions last."""
    best, best_at = None, -1
    for person in people:
        words = person.split()
        # Korean-style names put the family name first ("Kim Jong-un"): either end may be used alone.
        for form in (person, words[-1], words[0]):
            at = text.rfind(form)
            if at > best_at:
                best, best_at = person, at
    return best


def speaker_name(words: str, language_words: PeopleWords | None = None) -> str | None:
    """A speaker's name without the titles in front of it ("Russian President Vladimir Putin" → "Vladimir Putin")."""
    known = language_words or people_words(None)
    tokens = words.rstrip(".").split()
    for index in range(len(tokens) - 2, -1, -1):  # a title at the end is a surname: "Bruno Le Maire"
        if known.is_title(tokens[index]):
            tokens = tokens[index + 1 :]
            break
    # "wiceprezydent Krakowa Tomasz Wilk": a place between the title and the name is not part of it.
    while tokens and (
        tokens[0] in known.title_tails
        or tokens[0] in known.not_names
        or (len(tokens) > 2 and place_of_word(tokens[0], known))
    ):
        tokens = tokens[1:]
    if len(tokens) == 1 and known.is_title(tokens[0]):  # "said Mayor." names nobody
        return None
    if known.apostrophe_suffixes and tokens:
        tokens[-1] = re.split("['’]", tokens[-1], maxsplit=1)[0]
    return " ".join(tokens) or None
