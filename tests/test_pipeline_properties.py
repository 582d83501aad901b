"""Invariants of the whole offline pipeline: any bytes in → events or one dead letter out, deterministically."""

from __future__ import annotations

import signal
import time

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.schemas import validate_event
from workers.pipeline import CLEAN, ENRICH
from workers.records import SourceRecord
from workers.runner import handoff_record, run_pipeline, run_stage
from workers.settings import PipelineSettings

PIPELINE_SETTINGS = PipelineSettings()

# Fragments that real dumps are made of, so generated inputs reach the cleaner's rules, not just the decoder.
_FRAGMENTS = st.sampled_from(
    [
        "ALSO READ:",
        "Read more »",
        "Similar News:",
        "RELATED: ",
        "Advertisement",
        "By Jane Doe",
        "SEOUL — ",
        "LONDON (Reuters) - ",
        "Thursday (Oct 12)",
        '"We will win," Kim said.',
        "has accused has accused ",
        "localsUse",
        "iPhone",
        "McDonald's",
        "Read more at example.com.",
        "\n",
        "\r\n",
        "\n\n",
        "donâ€™t",
        "<p>",
        "</div>",
        "<html>",
        "{",
        "}",
        '"text":',
        "Kim Jong-un",
        "Most Read",
        "© 2023",
        "...",
        " ",
    ]
)
_TEXTS = st.lists(st.one_of(_FRAGMENTS, st.text(max_size=80)), max_size=60).map("".join)


def _check_events(payload: bytes) -> list[bytes]:
    events = run_pipeline(SourceRecord(payload=payload, name="generated"), PIPELINE_SETTINGS)
    roles = [event.topic_role for event in events]
    assert roles, "every input must produce at least one event"
    if "deadletter" in roles:
        assert roles == ["deadletter"], roles
    else:
        assert roles[0] == "article" and set(roles[1:]) <= {"link"}, roles
    for event in events:
        value = orjson.loads(event.value)
        validate_event(event.topic_role, value)
        # An exception a stage did not expect is a bug, even though the runner turns it into a dead letter.
        assert event.topic_role != "deadletter" or value["reason"] != "stage_error", value["error"]
    return [event.key.encode() + b"\x00" + event.value for event in events]


@settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4000))
def test_any_bytes_give_events_or_one_dead_letter_and_the_same_bytes_twice(payload: bytes) -> None:
    assert _check_events(payload) == _check_events(payload)


@settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXTS)
def test_any_dump_like_text_gives_events_or_one_dead_letter_and_the_same_bytes_twice(text: str) -> None:
    payload = text.encode("utf-8", "surrogatepass")
    assert _check_events(payload) == _check_events(payload)


# Lines whole-page dumps are made of: menus, teaser headlines, share rows, prompts, body paragraphs, comments.
_PAGE_LINES = st.sampled_from(
    [
        "Home",
        "News",
        "Sport",
        "Menu",
        "Search",
        "Sign In",
        "Subscribe",
        "Facebook Twitter WhatsApp Email",
        "Teilen: Facebook | X | WhatsApp",
        "Home › News › Asia",
        "Get the day's top stories delivered to your inbox",
        "Weston captures 7th straight Class S swim title",
        "Similar News:",
        "You may also likeFloods hit northern Italy",
        "AdvertisementFloods hit the north as rivers burst their banks",
        "Bridge closes for repairsThe bridge will reopen in May.",
        "Read more »",
        "Weiterlesen auf spiegel.de.",
        "Protesters gather outside parliament. (Photo: Reuters)",
        "Tags: Economy, Europe",
        "34 Comments",
        "joetoronto says:",
        "November 19, 2019 at 6:44 am",
        "© 2024 Example Media. All rights reserved.",
        "SEOUL — North Korea leader Kim Jong-un exchanged letters with Russian President Vladimir Putin on Thursday.",
        "The council approved the budget on Monday after a long debate about housing and transport costs.",
        '"We will not accept any delay in this process," the minister said at a briefing in the capital.',
        "Die Lokführergewerkschaft hat ihre Mitglieder erneut zu einem Warnstreik im Personenverkehr aufgerufen.",
        "",
    ]
)
_PAGES = st.lists(st.one_of(_PAGE_LINES, st.text(max_size=120)), max_size=300).map("\n".join)


@settings(max_examples=100, deadline=4000, suppress_health_check=[HealthCheck.too_slow])
@given(_PAGES)
def test_any_whole_page_dump_gives_events_or_one_dead_letter_and_the_same_bytes_twice(text: str) -> None:
    payload = text.encode("utf-8", "surrogatepass")
    assert _check_events(payload) == _check_events(payload)


_PARAGRAPH = "The council approved the budget on Monday after a long debate about housing, the mayor said. "

# The per-message time limit is off here: it would turn a runaway regex into a time_limit_exceeded dead letter,
# an outcome the checks below would have to accept, so the bound on time has to come from the stages themselves.
NO_TIME_LIMIT = PipelineSettings(message_time_limit_s=0)
# Dead letters an input's content may earn; stage_error and time_limit_exceeded are never expected.
CONTENT_REASONS = frozenset(
    {"invalid_envelope", "schema_violation", "undecodable", "empty_after_cleaning", "not_an_article"}
)
# Hypothesis's deadline is judged after an example returns, and catastrophic backtracking may never return: past
# this many seconds the test fails instead of hanging the suite.
HANG_S = 120


class _Hung(BaseException):
    """Raised into a run that passed HANG_S; a BaseException, so no stage's or the runner's handler catches it."""


def _hung(signum: int, frame: object) -> None:
    raise _Hung(f"the pipeline ran for more than {HANG_S} s: catastrophic backtracking?")


def _outcome(payload: bytes) -> str:
    """'article' (with its related links) or the dead-letter reason, after checking every event's schema."""
    previous = signal.signal(signal.SIGALRM, _hung)
    signal.setitimer(signal.ITIMER_REAL, HANG_S)
    try:
        events = run_pipeline(SourceRecord(payload=payload, name="pathological"), NO_TIME_LIMIT)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    roles = [event.topic_role for event in events]
    values = [orjson.loads(event.value) for event in events]
    for role, value in zip(roles, values, strict=True):
        validate_event(role, value)
    if roles == ["deadletter"]:
        return str(values[0]["reason"])
    assert roles and roles[0] == "article" and set(roles[1:]) <= {"link"}, roles
    return "article"


@pytest.mark.parametrize(
    ("payload", "outcome"),
    [
        pytest.param(
            "\n".join(("Home", "News", "Sport", _PARAGRAPH * 3)[index % 4] for index in range(60_000)).encode()[
                : PIPELINE_SETTINGS.max_message_bytes
            ],
            "article",
            id="whole-page-dump-at-the-size-limit",
        ),
        pytest.param(("wordWord " * 20_000 + "\n") * 25, "article", id="glued-seams-everywhere"),
        pytest.param(b"has accused " * 40_000, "article", id="one-phrase-repeated"),
        pytest.param(("a" * 60 + "A") * 8000 + "\n", "article", id="glue-seams-in-one-line"),
        pytest.param(("Related " * 20 + "\n") * 3000, "empty_after_cleaning", id="marker-words-everywhere"),
        pytest.param(b"ALSO READ:" * 50_000, "article", id="glued-markers"),
        pytest.param(b"x" * 3_000_000, "empty_after_cleaning", id="one-long-word"),
        pytest.param(("word " * 9000 + "\n") * 50, "article", id="long-lines"),
        pytest.param(b"<div>" * 100_000, "not_an_article", id="nested-divs"),
        pytest.param(b'{"text": "' + b"\\u00e9" * 200_000 + b'"}', "empty_after_cleaning", id="escaped-envelope"),
    ],
)
def test_pathological_inputs_end_with_their_outcome_without_a_time_limit(payload: bytes | str, outcome: str) -> None:
    data = payload.encode() if isinstance(payload, str) else payload
    started = time.perf_counter()
    assert _outcome(data) == outcome
    # Generous bound for a shared machine (the slowest case takes about 3 s): the point is "no catastrophic
    # backtracking", which costs minutes on inputs this size, not speed (the benchmark measures speed).
    assert time.perf_counter() - started < 20


# Pieces that sit at the edges of the cleaner's patterns (seams, markers, repeats, teaser separators), repeated
# until a quadratic or exponential pattern would show: 20,000 repeats make texts of up to a few hundred kilobytes.
_REPEATED_PIECES = st.one_of(_FRAGMENTS, _PAGE_LINES, st.text(min_size=1, max_size=12))
_SEPARATORS = st.sampled_from(["", " ", "\n", "\n\n", ". ", "wordWord", "»"])


@settings(max_examples=25, deadline=10_000, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(_REPEATED_PIECES, min_size=1, max_size=3), _SEPARATORS, st.integers(1_000, 20_000))
def test_repeated_pieces_give_an_article_or_a_content_dead_letter_within_the_deadline(
    pieces: list[str], separator: str, repeats: int
) -> None:
    payload = (separator.join(pieces) + separator) * repeats
    outcome = _outcome(payload.encode("utf-8", "surrogatepass")[: PIPELINE_SETTINGS.max_message_bytes])
    assert outcome == "article" or outcome in CONTENT_REASONS, outcome


def test_message_over_the_size_limit_is_dead_lettered_as_too_large_with_a_reference_only() -> None:
    small_limit = PipelineSettings(max_message_bytes=1000)
    events = run_pipeline(SourceRecord(payload=b"x " * 1000, name="big"), small_limit)
    assert [event.topic_role for event in events] == ["deadletter"]
    letter = orjson.loads(events[0].value)
    validate_event("deadletter", letter)
    assert letter["reason"] == "too_large"
    assert letter["original"]["value"] is None and letter["original"]["value_omitted"] is True
    assert letter["original"]["size"] == 2000


def _split_stage_events(payload: bytes) -> list[bytes]:
    """The events of the two stages run apart, enrich parsing the cleaned bytes as a split worker does."""
    record = SourceRecord(payload=payload, name="generated")
    cleaned = run_stage(CLEAN, record, PIPELINE_SETTINGS)
    events = []
    for event in cleaned.events:
        if event.topic_role != "cleaned":
            events.append(event)
            continue
        handed_over = handoff_record(record, event)
        # The in-memory value the all-stages runners hand to enrich is exactly what enrich parses from the bytes.
        assert ENRICH.read(handed_over) == cleaned.value
        events.extend(run_stage(ENRICH, handed_over, PIPELINE_SETTINGS).events)
    return [event.key.encode() + b"\x00" + event.value for event in events]


@settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXTS)
def test_stages_run_apart_give_the_bytes_of_the_in_memory_pipeline(text: str) -> None:
    payload = text.encode("utf-8", "surrogatepass")
    in_memory = [
        event.key.encode() + b"\x00" + event.value
        for event in run_pipeline(SourceRecord(payload=payload, name="generated"), PIPELINE_SETTINGS)
    ]
    assert _split_stage_events(payload) == in_memory
