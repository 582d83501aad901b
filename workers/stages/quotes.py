"""Quotations and who said them: "…," Kim said. / Kim said: "…" / "…", said Putin; “curly”, «guillemets», „German“.

Rules:
- quotes are looked for inside one paragraph at a time (an unclosed quote never swallows the next paragraph);
- the speaker is the capitalised name right after the quote with a speech verb ("Kim said", "said Putin") or
  right before it ("Kim said: …"); leading titles are dropped ("said Russian President Vladimir Putin" gives
  "Vladimir Putin"); a pronoun ("he said") stands for the person named last before the quote in its paragraph,
  else for the named speaker of a quote earlier in the same paragraph or in the paragraph just before, else
  None (further back, "he" is as likely someone else);
- a quote right after an attributed one in the same paragraph ('"…," Kim said. "…"', also after a short tail
  such as "in a statement.") has the same speaker;
- a quote of fewer than 4 words (split at spaces) without a speaker is a scare-quote or a title ("new height")
  and is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from workers.records import Quote
from workers.stages.gazetteers import TITLES
from workers.stages.letters import UPPER

_MIN_UNATTRIBUTED_WORDS = 4
_MAX_QUOTE_CHARS = 3000
_LOOKBEHIND_CHARS = 80
_LOOKAHEAD_CHARS = 80
_MAX_QUOTE_CANDIDATES = 2000  # bounds the work on pathological input; real articles have a few dozen at most
_MAX_ATTRIBUTION_TAIL = 40  # '… she said in a statement. "…"': the tail before a continued quote

_QUOTE = re.compile(
    rf'"(?P<straight>[^"\n]{{1,{_MAX_QUOTE_CHARS}}})"'
    rf"|“(?P<curly>[^“”\n]{{1,{_MAX_QUOTE_CHARS}}})”"
    rf"|«(?P<guillemets>[^«»\n]{{1,{_MAX_QUOTE_CHARS}}})»"
    rf"|„(?P<low>[^„“”\n]{{1,{_MAX_QUOTE_CHARS}}})[“”]"
)
_VERBS = (
    r"(?:said|says|told|added|asked|stated|wrote|explained|noted|warned|insisted|declared|continued|replied|"
    r"argued|recalled|sagte|erklärte|betonte|sagt|a\s+dit|a\s+déclaré|dit|dijo|afirmó|declaró|ha\s+detto|"
    r"ha\s+dichiarato|ha\s+affermato|ha\s+spiegato|ha\s+aggiunto|disse|afirmou|declarou|ujar|kata)"
)
_NAME = rf"[{UPPER}][\w'’.-]{{0,30}}(?:[ \t]+[{UPPER}][\w'’.-]{{0,30}}){{0,5}}"
_PRONOUN = r"(?:he|she|they|He|She|They|er|sie|il|elle|él|ella)"


def _speaker(suffix: str = "") -> str:
    """A name or a pronoun, in groups named name{suffix} and pronoun{suffix}."""
    return rf"(?:the[ \t]+)?(?P<name{suffix}>{_NAME})|(?P<pronoun{suffix}>{_PRONOUN})"


# A short role between a verb and a name: "said its spokesperson, Owen Pritchard", "ha dichiarato il sindaco …".
_ROLE = (
    r"(?:(?:its|the|his|her|their|a|an|il|la|lo|el|der|die|le|o)"
    r"[ \t]+[\w'’-]{1,25}(?:[ \t]+[\w'’-]{1,25}){0,2},?[ \t]+)?"
)
# "…," Kim said / "…", said Putin / "…," mayor Deborah Kinsella said — right after the closing quote.
_AFTER = re.compile(
    rf"[ \t]*,?[ \t]*(?:{_VERBS}[ \t]+{_ROLE}(?:{_speaker('_late')})(?![\w'’])"
    rf"|(?:[a-z][\w-]{{1,20}}[ \t]+)?(?:{_speaker()})[ \t]+{_VERBS}\b)"
)
# Kim said: "…" / Putin told reporters, "…" — right before the opening quote.
_ANY_VERB = re.compile(rf"\b{_VERBS}")
# Words between the verb and the quote need a colon or comma ("told reporters:"), else the quote is reported speech.
_TAIL_AFTER_VERB = r"(?:[ \t]*[:,]|(?:[ \t]+[\w'’]{1,20}){1,3}[ \t]*[:,])?[ \t]*$"
_VERB_ENDS_WINDOW = re.compile(_TAIL_AFTER_VERB)
_BEFORE = re.compile(rf"(?:{_speaker()})[ \t]+{_VERBS}{_TAIL_AFTER_VERB}")


def find_quotes(paragraphs: Iterable[str], people: Sequence[str] = ()) -> tuple[Quote, ...]:
    """The quotations of the body in order, each with its speaker or None.

    `people` (names found in the body) lets a pronoun stand for the person last named before the quote.
    """
    quotes: list[Quote] = []
    last_speaker: str | None = None
    budget = _MAX_QUOTE_CANDIDATES
    for paragraph in paragraphs:
        if not any(map(paragraph.__contains__, '"“«„')):
            last_speaker = None  # a pronoun looks back one quoting paragraph at most
            continue
        speaker_before_paragraph, last_speaker = last_speaker, None
        attributed_until = -1  # where the last attribution in this paragraph ended
        for match in _QUOTE.finditer(paragraph):
            budget -= 1
            if budget < 0:
                return tuple(quotes)
            text = _quote_text(match)
            attribution = _attribution(paragraph, match.start(), match.end())
            if attribution is not None:
                name, is_pronoun, attributed_until = attribution
                if is_pronoun:
                    named = last_person_named(paragraph[: match.start()], people)
                    speaker = named or last_speaker or speaker_before_paragraph
                else:
                    speaker = name
                last_speaker = speaker or last_speaker
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
    inner = match.group("straight") or match.group("curly") or match.group("guillemets") or match.group("low")
    return inner.strip().rstrip(",").rstrip()


def _attribution(paragraph: str, start: int, end: int) -> tuple[str | None, bool, int] | None:
    """(speaker, whether it is a pronoun, where the attribution ends) from the words around a quote, else None."""
    found = _AFTER.match(paragraph, end, end + _LOOKAHEAD_CHARS)
    attributed_until = found.end() if found is not None else end
    if found is None:
        before = paragraph[max(0, start - _LOOKBEHIND_CHARS) : start]
        # The full pattern is tried at every position of the window: first make sure a speech verb is there, with
        # nothing after it but what the pattern allows before the quote.
        found = _BEFORE.search(before) if _verb_ends_window(before) else None
    if found is None:
        return None
    groups = found.groupdict()
    if groups["pronoun"] or groups.get("pronoun_late"):
        return None, True, attributed_until
    name = speaker_name(groups["name"] or groups.get("name_late") or "")
    return (name, False, attributed_until) if name else None


def _verb_ends_window(before: str) -> bool:
    """Whether some speech verb in the window is followed only by what `_BEFORE` allows up to its end.

    Every `_BEFORE` match holds such a verb, and `_ANY_VERB` finds it: verbs start at a word boundary, and where
    two overlap ("a dit", "dit") they end at the same place.
    """
    return any(_VERB_ENDS_WINDOW.match(before, verb.end()) for verb in _ANY_VERB.finditer(before))


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


def speaker_name(words: str) -> str | None:
    """A speaker's name without the titles in front of it ("Russian President Vladimir Putin" → "Vladimir Putin")."""
    tokens = words.rstrip(".").split()
    for index in range(len(tokens) - 1, -1, -1):
        if tokens[index] in TITLES:
            tokens = tokens[index + 1 :]
            break
    return " ".join(tokens) or None
