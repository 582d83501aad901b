"""Bounded reads: which offsets of which partitions a tool reads, fixed when it starts, and reading exactly those.

The end of every range is fixed before the first record is read, so records that arrive during a run (the
replay's own output, when it writes into the topic it reads) are never chased. Reads assign partitions and seek;
they never join a consumer group and never commit, so a live worker group's offsets are never touched.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from kafka import KafkaConsumer, TopicPartition
from kafka.consumer.fetcher import ConsumerRecord

from workers.tools.offset_lookup import EXPLICIT, LOG_START, OffsetLookup, Resolved

# A read that receives nothing for this long while records remain in its ranges has stalled.
_STALL_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class PartitionRange:
    """Offsets [start, end) of one partition, and how each bound was found."""

    partition: int
    start: int
    end: int
    start_path: str
    end_path: str

    @property
    def size(self) -> int:
        return max(0, self.end - self.start)


@dataclass(frozen=True)
class Window:
    """What to read: start and end bounds as times (epoch ms) or offsets per partition, and which partitions."""

    from_ms: int | None = None
    to_ms: int | None = None
    from_offsets: Mapping[int, int] | None = None
    to_offsets: Mapping[int, int] | None = None
    partitions: Sequence[int] | None = None

    def admits(self, timestamp_ms: int) -> bool:
        """Whether a record time lies inside the time bounds (records out of time order can sit inside offsets)."""
        if self.from_ms is not None and timestamp_ms < self.from_ms:
            return False
        return not (self.to_ms is not None and timestamp_ms >= self.to_ms)


def parse_partition_offsets(items: Sequence[str]) -> dict[int, int]:
    """`["0:120", "1:98"]` (or one comma-separated item) → {0: 120, 1: 98}."""
    offsets: dict[int, int] = {}
    for item in items:
        for part in item.split(","):
            if not part.strip():
                continue
            partition, sep, offset = part.partition(":")
            if not sep:
                raise ValueError(f"{part!r} is not PARTITION:OFFSET")
            try:
                offsets[int(partition)] = int(offset)
            except ValueError:
                raise ValueError(f"{part!r} is not PARTITION:OFFSET with whole numbers") from None
            if offsets[int(partition)] < 0 or int(partition) < 0:
                raise ValueError(f"{part!r}: partitions and offsets are not negative")
    return offsets


def parse_partitions(text: str) -> list[int]:
    """`"0,2,3"` → [0, 2, 3]."""
    try:
        return sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        raise ValueError(f"{text!r} is not a comma-separated list of partition numbers") from None


def resolve_ranges(lookup: OffsetLookup, window: Window) -> list[PartitionRange]:
    """Fix the offsets to read in each partition, ends first (the high watermark now, or the --to bound)."""
    existing = lookup.partitions()
    wanted = list(window.partitions) if window.partitions else None
    if wanted is None and window.from_offsets:
        wanted = sorted(window.from_offsets)
    chosen = wanted if wanted is not None else existing
    missing = sorted(set(chosen) - set(existing))
    if missing:
        raise LookupError(f"topic {lookup.topic!r} has no partition(s) {missing}; it has {existing}")
    ranges = []
    for partition in chosen:
        last = lookup.end_offset(partition)
        first_offset = lookup.log_start(partition)
        if window.from_offsets and partition in window.from_offsets:
            start = Resolved(min(max(window.from_offsets[partition], first_offset), last.offset), EXPLICIT)
        elif window.from_ms is not None:
            start = lookup.offset_for_time(partition, window.from_ms, first_offset, last.offset)
        else:
            start = Resolved(first_offset, LOG_START)
        if window.to_offsets and partition in window.to_offsets:
            end = Resolved(min(window.to_offsets[partition], last.offset), EXPLICIT)
        elif window.to_ms is not None:
            end = lookup.offset_for_time(partition, window.to_ms, start.offset, last.offset)
        else:
            end = last
        ranges.append(PartitionRange(partition, start.offset, max(start.offset, end.offset), start.path, end.path))
    return ranges


def read_ranges(consumer: KafkaConsumer, topic: str, ranges: Sequence[PartitionRange]) -> Iterator[ConsumerRecord]:
    """Every record in the ranges, partition order kept; stops at each range's end, whatever arrives later."""
    remaining = {TopicPartition(topic, r.partition): r for r in ranges if r.size > 0}
    if not remaining:
        return
    consumer.assign(list(remaining))
    for tp, partition_range in remaining.items():
        consumer.seek(tp, partition_range.start)
    last_progress = time.monotonic()
    while remaining:
        batch = consumer.poll(timeout_ms=200)
        if batch:
            last_progress = time.monotonic()
        for tp, records in batch.items():
            current = remaining.get(tp)
            if current is None:
                continue
            for record in records:
                if record.offset >= current.end:
                    break
                yield record
        for tp, partition_range in list(remaining.items()):
            # The position passes the end also across gaps (compaction, transaction markers).
            if consumer.position(tp) >= partition_range.end:
                consumer.pause(tp)
                del remaining[tp]
        if remaining and time.monotonic() - last_progress > _STALL_TIMEOUT_S:
            stuck = {tp.partition: consumer.position(tp) for tp in remaining}
            raise TimeoutError(f"reading {topic} stalled for {_STALL_TIMEOUT_S:g} s at positions {stuck}")
