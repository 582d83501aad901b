"""Which record a dead letter asks to resend, and when it cannot be resent."""

from __future__ import annotations

import base64
import hashlib

import orjson
from kafka.consumer.fetcher import ConsumerRecord

from workers.broker import headers as h
from workers.pipeline import CLEAN, ENRICH, StreamStage
from workers.records import DeadLetterReason, SourceRecord
from workers.runner import dead_letter_event
from workers.settings import PipelineSettings, Settings
from workers.tools.redrive import REDRIVE_OF, Filters, Redrivable, redrivable

_ORIGINAL = SourceRecord(
    payload=b'{"id": "brief-1", "text": "short"}',
    key=b"brief-1",
    headers=(("trace", b"abc"),),
    topic="news.articles.raw",
    partition=1,
    offset=17,
    timestamp="2026-09-21T14:13:20Z",
)


def _letter_record(value: bytes, offset: int = 5) -> ConsumerRecord:
    return ConsumerRecord(
        topic="news.articles.deadletter",
        partition=0,
        leader_epoch=0,
        offset=offset,
        timestamp=0,
        timestamp_type=0,
        key=b"brief-1",
        value=value,
        headers=[],
        checksum=None,
        serialized_key_size=7,
        serialized_value_size=len(value),
        serialized_header_size=-1,
    )


def _letter(
    stage: StreamStage = CLEAN, reason: DeadLetterReason = "empty_after_cleaning", max_bytes: int | None = None
) -> bytes:
    settings = PipelineSettings() if max_bytes is None else PipelineSettings(max_message_bytes=max_bytes)
    return dead_letter_event(_ORIGINAL, stage, "clean", reason, "too short", settings, "brief-1").value


def test_a_clean_dead_letter_resends_the_original_bytes_key_and_headers_to_the_raw_topic() -> None:
    found = redrivable(_letter_record(_letter()), Settings(), Filters())
    assert isinstance(found, Redrivable)
    assert found.topic == "news.articles.raw"
    assert (found.key, found.value) == (b"brief-1", _ORIGINAL.payload)
    assert found.headers == [
        ("trace", b"abc"),
        (h.ORIGINAL_TIMESTAMP, b"2026-09-21T14:13:20Z"),
        (REDRIVE_OF, b"news.articles.deadletter:0:5"),
    ]


def test_an_enrich_dead_letter_goes_back_to_the_cleaned_topic() -> None:
    found = redrivable(_letter_record(_letter(stage=ENRICH)), Settings(), Filters())
    assert isinstance(found, Redrivable) and found.topic == "news.articles.cleaned"


def test_filters_and_letters_that_cannot_be_redriven_are_skipped_with_a_reason() -> None:
    assert redrivable(_letter_record(_letter()), Settings(), Filters(reason="too_large")) == "filtered"
    assert redrivable(_letter_record(_letter()), Settings(), Filters(stage="enrich")) == "filtered"
    assert redrivable(_letter_record(b"not json"), Settings(), Filters()) == "not_a_dead_letter"
    omitted = _letter(max_bytes=3)
    assert orjson.loads(omitted)["original"]["value_omitted"] is True
    assert redrivable(_letter_record(omitted), Settings(), Filters()) == "value_omitted"


def test_the_same_original_in_two_dead_letters_has_one_identity() -> None:
    first = redrivable(_letter_record(_letter(), offset=5), Settings(), Filters())
    second = redrivable(_letter_record(_letter(), offset=9), Settings(), Filters())
    assert isinstance(first, Redrivable) and isinstance(second, Redrivable)
    assert first.identity == second.identity
    assert first.identity[2] == hashlib.sha256(_ORIGINAL.payload).hexdigest()
    assert base64.b64decode(orjson.loads(_letter())["original"]["value"]) == _ORIGINAL.payload
