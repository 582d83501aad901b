"""The runner: every failure of a stage becomes a dead letter with a stable reason; nothing escapes."""

from __future__ import annotations

import base64
import time
from dataclasses import replace

import orjson
import pytest

from tests.schemas import validate_event
from workers.pipeline import CLEAN, ENRICH, PIPELINE, Step, check_chain, stages_from, stages_named
from workers.records import SourceRecord, StageFailure
from workers.runner import run_chain, run_pipeline, run_stage
from workers.settings import PipelineSettings


def _letter(stage, record: SourceRecord, settings: PipelineSettings | None = None) -> dict:  # type: ignore[no-untyped-def]
    result = run_stage(stage, record, settings or PipelineSettings())
    assert [event.topic_role for event in result.events] == ["deadletter"]
    letter = orjson.loads(result.events[0].value)
    validate_event("deadletter", letter)
    return letter


def _stage_with_step(run) -> object:  # type: ignore[no-untyped-def]
    return replace(CLEAN, steps=(*CLEAN.steps[:1], Step("clean", run)))


def test_a_bug_in_a_step_becomes_a_stage_error_dead_letter_with_the_original_record() -> None:
    def broken(article, settings):  # type: ignore[no-untyped-def]
        raise ZeroDivisionError("boom")

    record = SourceRecord(payload=b"Some text", key=b"k1", headers=(("h", b"v"),), topic="raw", partition=2, offset=9)
    letter = _letter(_stage_with_step(broken), record)
    assert letter["reason"] == "stage_error" and letter["step"] == "clean" and "ZeroDivisionError" in letter["error"]
    assert letter["raw_id"] == "k1"
    original = letter["original"]
    assert (original["topic"], original["partition"], original["offset"], original["key"]) == ("raw", 2, 9, "k1")
    assert base64.b64decode(original["value"]) == b"Some text"
    assert original["headers"] == [{"key": "h", "value": base64.b64encode(b"v").decode()}]


def test_a_step_over_the_time_limit_becomes_a_time_limit_dead_letter() -> None:
    def slow(article, settings):  # type: ignore[no-untyped-def]
        time.sleep(5)

    started = time.perf_counter()
    letter = _letter(_stage_with_step(slow), SourceRecord(payload=b"text"), PipelineSettings(message_time_limit_s=0.3))
    assert letter["reason"] == "time_limit_exceeded"
    assert time.perf_counter() - started < 2


def test_an_expected_failure_keeps_its_reason_code() -> None:
    def not_article(article, settings):  # type: ignore[no-untyped-def]
        raise StageFailure("not_an_article", "a cookie wall")

    assert _letter(_stage_with_step(not_article), SourceRecord(payload=b"text"))["reason"] == "not_an_article"


def test_enrich_stage_dead_letters_a_record_that_is_not_a_cleaned_article() -> None:
    letter = _letter(PIPELINE[1], SourceRecord(payload=b'{"nope": 1}', topic="news.articles.cleaned"))
    assert letter["stage"] == "enrich" and letter["reason"] == "schema_violation"


def test_pipeline_declaration_names_stages_in_order_and_rejects_unknown_ones() -> None:
    assert [stage.name for stage in PIPELINE] == ["clean", "enrich"]
    assert [stage.name for stage in stages_named(["enrich"])] == ["enrich"]
    assert PIPELINE[0].output_roles == ("cleaned",) and PIPELINE[1].input_role == "cleaned"
    with pytest.raises(ValueError, match="unknown stage"):
        stages_named(["translate"])
    assert stages_from("raw") == PIPELINE and stages_from("cleaned") == (ENRICH,)


def test_a_chain_refuses_a_stage_that_does_not_read_what_the_one_before_writes() -> None:
    with pytest.raises(ValueError, match="does not read what enrich writes"):
        check_chain((ENRICH, CLEAN))
    with pytest.raises(ValueError, match="at least one stage"):
        check_chain(())


def test_a_chain_hands_on_the_role_the_next_stage_reads_and_the_pipeline_returns_the_rest() -> None:
    record = SourceRecord(payload=b"SEOUL - Officials said on Thursday that talks would go on. " * 8, name="x")
    chained = run_chain(PIPELINE, record, PipelineSettings())

    assert [(item.stage.name, item.event.topic_role, item.handed_on) for item in chained] == [
        ("clean", "cleaned", True),
        ("enrich", "article", False),
    ]
    assert run_pipeline(record, PipelineSettings()) == [chained[1].event]
    # The enrich stage run apart, over the bytes the clean stage wrote, writes the same article.
    cleaned = SourceRecord(payload=chained[0].event.value, key=chained[0].event.key.encode(), name="x")
    assert run_stage(ENRICH, cleaned, PipelineSettings()).events == [chained[1].event]


def test_a_dead_letter_ends_the_chain_for_its_record() -> None:
    chained = run_chain(PIPELINE, SourceRecord(payload=b"\x00\xff\xfe\xfd" * 100, name="bad"), PipelineSettings())
    assert [(item.stage.name, item.event.topic_role, item.handed_on) for item in chained] == [
        ("clean", "deadletter", False)
    ]


@pytest.mark.parametrize(
    ("payload", "key", "raw_id"),
    [
        (b"\x00\xff\xfe\xfd" * 100, b"k7", "k7"),  # undecodable: the record key
        (b"{not json", b"kk", "kk"),  # invalid envelope
        (b'{"id": 5, "text": "wrong type"}', None, "raw:2:9"),  # an id that is no id, no key: the coordinates
        (b"x" * 64, b"big", "big"),  # too large (limit below)
        (b'{"id": "env-9", "text": "short"}', b"k9", "env-9"),  # decoded: the envelope id wins over the key
    ],
)
def test_every_dead_letter_names_the_envelope_id_else_the_record_key_else_its_coordinates(
    payload: bytes, key: bytes | None, raw_id: str
) -> None:
    record = SourceRecord(payload=payload, key=key, topic="raw", partition=2, offset=9)
    letter = _letter(CLEAN, record, PipelineSettings(max_message_bytes=32 if key == b"big" else 5 * 1024 * 1024))
    assert letter["raw_id"] == raw_id
