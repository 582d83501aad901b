"""Headers on every output record: CloudEvents binary-mode attributes and newsflow provenance.

The payload of an output record is deterministic (same input, same bytes); everything that depends on when or
where a record was processed lives here, in the headers. CloudEvents' Kafka protocol binding puts each
attribute in a header named `ce_<attribute>` and the data's media type in `content-type`
(https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/bindings/kafka-protocol-binding.md#32-binary-content-mode).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache

from workers.records import OutputEvent, SourceRecord
from workers.timestamps import format_rfc3339

CE_ID = "ce_id"
CE_SOURCE = "ce_source"
CE_TYPE = "ce_type"
CE_SPECVERSION = "ce_specversion"
CE_TIME = "ce_time"
CONTENT_TYPE = "content-type"

SOURCE_TOPIC = "nf-source-topic"
SOURCE_PARTITION = "nf-source-partition"
SOURCE_OFFSET = "nf-source-offset"
PIPELINE_VERSION = "nf-pipeline-version"
STAGE = "nf-stage"
# The input record's own timestamp, so `replay --into-input` can re-produce a record with its original time.
ORIGINAL_TIMESTAMP = "nf-original-timestamp"

SPECVERSION = "1.0"
JSON_CONTENT_TYPE = "application/json"

# One CloudEvents type per output role; the version suffix follows the schema file's (schemas/*.v<N>.json).
CE_TYPES: dict[str, str] = {
    "cleaned": "io.newsflow.article.cleaned.v1",
    "article": "io.newsflow.article.normalized.v2",
    "link": "io.newsflow.link.related.v1",
    "deadletter": "io.newsflow.deadletter.v1",
}


def ce_source(stage_name: str) -> str:
    """The CloudEvents source of a stage's outputs: `newsflow/<stage>`."""
    return f"newsflow/{stage_name}"


def ce_id(source_topic: str | None, partition: int | None, offset: int | None, index: int) -> str:
    """A deterministic event id: the input record's coordinates and the output's index among its outputs.

    Reprocessing the same input record (a redelivery after a crash) gives the same id, so consumers can
    deduplicate on (ce_source, ce_id) as CloudEvents intends.
    """
    return f"{source_topic}:{partition}:{offset}:{index}"


@lru_cache(maxsize=8)  # a worker stamps a whole batch with one `now`
def _event_time(now: datetime) -> bytes:
    return format_rfc3339(now, milliseconds=True).encode()


def output_headers(
    event: OutputEvent,
    stage_name: str,
    source: SourceRecord,
    pipeline_version: str,
    index: int,
    now: datetime,
) -> list[tuple[str, bytes]]:
    """The headers of one output record: CloudEvents binary mode plus provenance of the input it came from."""
    id_prefix, provenance = _input_headers(
        source.topic, source.partition, source.offset, source.timestamp, pipeline_version, now
    )
    return [
        (CE_ID, id_prefix + str(index).encode()),
        *_constant_headers(stage_name, event.topic_role),
        *provenance,
        (STAGE, stage_name.encode()),
    ]


@lru_cache(maxsize=16)  # every output of one input shares these: computed once per input record
def _input_headers(
    topic: str | None,
    partition: int | None,
    offset: int | None,
    timestamp: str | None,
    pipeline_version: str,
    now: datetime,
) -> tuple[bytes, tuple[tuple[str, bytes], ...]]:
    headers = [
        (CE_TIME, _event_time(now)),
        (SOURCE_TOPIC, (topic or "").encode()),
        (SOURCE_PARTITION, str(partition if partition is not None else "").encode()),
        (SOURCE_OFFSET, str(offset if offset is not None else "").encode()),
        (PIPELINE_VERSION, pipeline_version.encode()),
    ]
    if timestamp:
        headers.append((ORIGINAL_TIMESTAMP, timestamp.encode()))
    return ce_id(topic, partition, offset, 0)[:-1].encode(), tuple(headers)


@lru_cache(maxsize=64)
def _constant_headers(stage_name: str, topic_role: str) -> tuple[tuple[str, bytes], ...]:
    """The headers that depend only on the stage and the output role (encoded once: a worker sends millions)."""
    return (
        (CE_SOURCE, ce_source(stage_name).encode()),
        (CE_TYPE, CE_TYPES[topic_role].encode()),
        (CE_SPECVERSION, SPECVERSION.encode()),
        (CONTENT_TYPE, JSON_CONTENT_TYPE.encode()),
    )


def reference_time(headers: Iterable[tuple[str, bytes]], record_time: str | None) -> str | None:
    """The time the stages resolve relative dates against: a replayed or redriven record keeps its original one.

    Without this, a replay would change the payloads of envelopes that have no fetched_at.
    """
    for name, value in headers:
        if name == ORIGINAL_TIMESTAMP and value:
            return value.decode("ascii", "replace")
    return record_time


def header_map(headers: Iterable[tuple[str, bytes]] | None) -> dict[str, str]:
    """Headers as a str → str dict (the last value wins when a name repeats); for tools and tests."""
    return {name: (value or b"").decode("utf-8", "replace") for name, value in headers or ()}
