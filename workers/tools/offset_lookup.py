"""Where a partition ends and which offset a time falls on, with the broker's answers checked before use.

Brokers are not always right about offsets. Tansu 0.6 (the local test broker) answers ListOffsets by timestamp
(`offsets_for_times`) with offset 0 for every timestamp, and answers `end_offsets` with the last batch's first
offset + 1 when records were produced in batches (measured on Tansu 0.6); some hosted Kafka-compatible services
have their own quirks. So every answer is checked against the records themselves, and when a check fails the
offset is found from the records: the fetch high watermark for the end, a binary search over record timestamps
for a time. Each result says which path gave it, and the path is logged.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from kafka import KafkaConsumer, TopicPartition
from kafka.errors import KafkaError

from workers.broker import clients
from workers.broker.headers import rfc3339
from workers.settings import KafkaSettings
from workers.stages.decoding import parse_rfc3339

log = logging.getLogger(__name__)

# How an offset was found: the broker's answer passed its check; or it failed and the records told us.
BROKER = "broker"
HIGH_WATERMARK = "high-watermark"
BINARY_SEARCH = "binary-search"
EXPLICIT = "explicit"
LOG_START = "log-start"

_PROBE_TIMEOUT_S = 15.0

# (offset, timestamp_ms) of the first record at or after an offset, or None when there is none before the end.
RecordAt = Callable[[int], tuple[int, int] | None]


@dataclass(frozen=True)
class Resolved:
    """An offset and the path that found it (broker, high-watermark, binary-search, explicit, log-start)."""

    offset: int
    path: str


def parse_time_ms(text: str) -> int:
    """An RFC 3339 date-time (or a bare date, meaning midnight UTC) as epoch milliseconds."""
    value = text.strip()
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        value += "T00:00:00Z"
    return int(parse_rfc3339(value).timestamp() * 1000)


def format_time_ms(timestamp_ms: int) -> str:
    """Epoch milliseconds as RFC 3339 UTC with millisecond precision."""
    return rfc3339(datetime.fromtimestamp(timestamp_ms / 1000, UTC))


def first_offset_at_or_after(record_at: RecordAt, low: int, high: int, timestamp_ms: int) -> int:
    """The first offset in [low, high) whose record has a timestamp >= `timestamp_ms`; `high` when none has.

    A binary search, so it assumes timestamps that do not decrease along the partition (CreateTime set by
    producers with sane clocks, or LogAppendTime). Gaps in the offsets (compaction, transaction markers) are fine.
    """
    while low < high:
        middle = (low + high) // 2
        found = record_at(middle)
        if found is None:
            high = middle
            continue
        offset, found_ms = found
        if found_ms >= timestamp_ms:
            high = middle
        else:
            low = offset + 1
    return low


class OffsetLookup:
    """Answers about one topic's partitions from a group-less consumer of its own (it never commits)."""

    def __init__(self, kafka: KafkaSettings, topic: str) -> None:
        self.topic = topic
        # Small fetches: a probe needs one record (the broker still returns at least one whole batch, KIP-74),
        # and a short wait, because a probe at the end of a partition gets no data and waits the full time.
        self._consumer: KafkaConsumer = clients.consumer(
            kafka, fetch_max_wait_ms=50, max_partition_fetch_bytes=1024, fetch_max_bytes=1024
        )

    def close(self) -> None:
        self._consumer.close()

    def __enter__(self) -> OffsetLookup:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def partitions(self) -> list[int]:
        found = self._consumer.partitions_for_topic(self.topic)
        if not found:
            raise LookupError(f"topic {self.topic!r} does not exist or has no partitions")
        return sorted(found)

    def _tp(self, partition: int) -> TopicPartition:
        return TopicPartition(self.topic, partition)

    def log_start(self, partition: int) -> int:
        tp = self._tp(partition)
        return int(self._consumer.beginning_offsets([tp])[tp])

    def high_watermark(self, partition: int, near: int = 0) -> int:
        """The high watermark a fetch response reports (fetching from `near`, which should be at or before it)."""
        tp = self._tp(partition)
        self._consumer.assign([tp])
        self._consumer.seek(tp, max(0, near))
        deadline = time.monotonic() + _PROBE_TIMEOUT_S
        while time.monotonic() < deadline:
            self._consumer.poll(timeout_ms=100, max_records=1)
            highwater = self._consumer.highwater(tp)
            if highwater is not None:
                return int(highwater)
        raise TimeoutError(f"no fetch response for {self.topic}[{partition}] within {_PROBE_TIMEOUT_S:g} s")

    def record_at(self, partition: int, offset: int, end: int) -> tuple[int, int] | None:
        """(offset, timestamp ms) of the first record at or after `offset` and before `end`, or None."""
        if offset >= end:
            return None
        tp = self._tp(partition)
        self._consumer.assign([tp])
        self._consumer.seek(tp, offset)
        deadline = time.monotonic() + _PROBE_TIMEOUT_S
        while time.monotonic() < deadline:
            batch = self._consumer.poll(timeout_ms=100, max_records=1)
            for record in batch.get(tp, ()):
                return (record.offset, record.timestamp) if record.offset < end else None
            highwater = self._consumer.highwater(tp)
            if highwater is not None and self._consumer.position(tp) >= min(highwater, end):
                return None
        raise TimeoutError(f"no record at {self.topic}[{partition}]@{offset} within {_PROBE_TIMEOUT_S:g} s")

    def end_offset(self, partition: int) -> Resolved:
        """The offset after the last record now: the broker's end offset if the fetch high watermark agrees."""
        tp = self._tp(partition)
        try:
            reported: int | None = int(self._consumer.end_offsets([tp])[tp])
        except KafkaError as error:
            log.warning("end_offsets failed", extra={"topic": self.topic, "partition": partition, "error": str(error)})
            reported = None
        highwater = self.high_watermark(partition, near=reported or 0)
        # Tansu answers the last batch's first offset + 1 here; the high watermark in fetches is right.
        result = Resolved(highwater, BROKER if reported == highwater else HIGH_WATERMARK)
        log.info(
            "end offset",
            extra={
                "topic": self.topic,
                "partition": partition,
                "offset": result.offset,
                "path": result.path,
                "broker_answer": reported,
                "high_watermark": highwater,
            },
        )
        return result

    def _broker_offset_for_time(self, partition: int, timestamp_ms: int) -> int | None:
        """The broker's answer: an offset, -1 when it says no record is that late, None when it gives none."""
        tp = self._tp(partition)
        try:
            answer = self._consumer.offsets_for_times({tp: timestamp_ms}).get(tp)
        except KafkaError as error:
            log.warning(
                "offsets_for_times failed", extra={"topic": self.topic, "partition": partition, "error": str(error)}
            )
            return None
        return -1 if answer is None else int(answer.offset)

    def _answer_holds(self, partition: int, answer: int, timestamp_ms: int, start: int, end: int) -> bool:
        """The record at `answer` is at or after the time and the record before it is earlier."""
        if answer == -1:
            # "No record at or after T": then the last record must be earlier than T.
            last = self.record_at(partition, end - 1, end) if end > start else None
            return last is None or last[1] < timestamp_ms
        if not start <= answer <= end:
            return False
        if answer < end:
            found = self.record_at(partition, answer, end)
            if found is None or found[1] < timestamp_ms:
                return False
        if answer > start:
            before = self.record_at(partition, answer - 1, end)
            # A gap (compaction) before the answer cannot be checked cheaply: count it as a failed check.
            if before is None or before[0] != answer - 1 or before[1] >= timestamp_ms:
                return False
        return True

    def offset_for_time(self, partition: int, timestamp_ms: int, start: int, end: int) -> Resolved:
        """The first offset in [start, end) whose record is at or after `timestamp_ms` (`end` when none is)."""
        answer = self._broker_offset_for_time(partition, timestamp_ms)
        if answer is not None and self._answer_holds(partition, answer, timestamp_ms, start, end):
            result = Resolved(end if answer == -1 else answer, BROKER)
        else:
            found = first_offset_at_or_after(
                lambda offset: self.record_at(partition, offset, end), start, end, timestamp_ms
            )
            result = Resolved(found, BINARY_SEARCH)
        log.info(
            "offset for time",
            extra={
                "topic": self.topic,
                "partition": partition,
                "time": format_time_ms(timestamp_ms),
                "offset": result.offset,
                "path": result.path,
                "broker_answer": answer,
            },
        )
        return result
