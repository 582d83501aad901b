"""Compare two output topics by key: added, removed, unchanged and changed records, and which fields changed.

The comparison itself (`compare`) is pure: it takes the latest value of every key on each side. Reading a topic
(`latest_values`) follows compaction's rule, the last record of a key wins, and can key by a field of the JSON
value instead (the related-links topic keys every link of an article by the article id; `link_id` tells them
apart).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from workers.broker import clients
from workers.settings import KafkaSettings
from workers.tools.offset_lookup import OffsetLookup
from workers.tools.progress import Progress
from workers.tools.ranges import Window, read_ranges, resolve_ranges

_ABSENT = object()
# The path of a whole value that is not a JSON object or array (or not JSON at all).
WHOLE_VALUE = "(value)"


@dataclass
class TopicValues:
    """The latest value per key of one topic, and how many records and repeated keys it had."""

    topic: str
    values: dict[str, bytes]
    records: int = 0
    keys_with_several_values: int = 0


@dataclass
class DiffReport:
    topic_a: str
    topic_b: str
    records_a: int
    records_b: int
    added: int = 0
    removed: int = 0
    unchanged: int = 0
    changed: int = 0
    field_changes: Counter[str] = field(default_factory=Counter)
    samples: list[dict[str, Any]] = field(default_factory=list)
    keys_with_several_values_a: int = 0
    keys_with_several_values_b: int = 0

    @property
    def identical(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def to_json(self) -> dict[str, Any]:
        return {
            "topic_a": self.topic_a,
            "topic_b": self.topic_b,
            "records_a": self.records_a,
            "records_b": self.records_b,
            "keys_with_several_values_a": self.keys_with_several_values_a,
            "keys_with_several_values_b": self.keys_with_several_values_b,
            "added": self.added,
            "removed": self.removed,
            "unchanged": self.unchanged,
            "changed": self.changed,
            "field_changes": dict(self.field_changes.most_common()),
            "samples": self.samples,
        }


def _parse(data: bytes) -> Any:
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return data.decode("utf-8", "replace")


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def changed_paths(a: Any, b: Any, generic: str = "", concrete: str = "") -> Iterator[tuple[str, str, Any, Any]]:
    """(path with [] for list items, path with indexes, value in a, value in b) for every leaf that differs.

    Objects are compared member by member; lists of the same length item by item; a list whose length changed
    is one difference at the list's path.
    """
    if isinstance(a, dict) and isinstance(b, dict):
        for name in sorted(a.keys() | b.keys()):
            yield from changed_paths(
                a.get(name, _ABSENT), b.get(name, _ABSENT), _join(generic, name), _join(concrete, name)
            )
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for index, (item_a, item_b) in enumerate(zip(a, b, strict=True)):
            yield from changed_paths(item_a, item_b, f"{generic}[]", f"{concrete}[{index}]")
    elif a != b or type(a) is not type(b):
        yield generic or WHOLE_VALUE, concrete or WHOLE_VALUE, a, b


def _sample(key: str, status: str, path: str | None = None, a: Any = _ABSENT, b: Any = _ABSENT) -> dict[str, Any]:
    entry: dict[str, Any] = {"key": key, "status": status}
    if path is not None:
        entry["path"] = path
    if a is not _ABSENT:
        entry["a"] = a
    if b is not _ABSENT:
        entry["b"] = b
    return entry


def compare(
    a: Mapping[str, bytes],
    b: Mapping[str, bytes],
    topic_a: str = "a",
    topic_b: str = "b",
    sample_size: int = 10,
) -> DiffReport:
    """Compare two key → latest value maps; JSON values field by field, other values as bytes."""
    report = DiffReport(topic_a, topic_b, len(a), len(b))
    for key in sorted(a.keys() | b.keys()):
        if key not in b:
            report.removed += 1
            if len(report.samples) < sample_size:
                report.samples.append(_sample(key, "removed"))
            continue
        if key not in a:
            report.added += 1
            if len(report.samples) < sample_size:
                report.samples.append(_sample(key, "added"))
            continue
        if a[key] == b[key]:
            report.unchanged += 1
            continue
        differences = list(changed_paths(_parse(a[key]), _parse(b[key])))
        if not differences:
            # Same JSON, different bytes (key order, whitespace): not a change of content.
            report.unchanged += 1
            continue
        report.changed += 1
        report.field_changes.update({generic for generic, _, _, _ in differences})
        for _, concrete, value_a, value_b in differences:
            if len(report.samples) >= sample_size:
                break
            report.samples.append(_sample(key, "changed", concrete, value_a, value_b))
    return report


def record_key(key: bytes | None, value: bytes | None, key_field: str | None) -> str | None:
    """The identity a record is compared under: its Kafka key, or a field of its JSON value."""
    if key_field is None:
        return key.decode("utf-8", "replace") if key is not None else None
    try:
        data = orjson.loads(value or b"")
    except orjson.JSONDecodeError:
        return None
    found = data.get(key_field) if isinstance(data, dict) else None
    return None if found is None else str(found)


def latest_values(
    kafka: KafkaSettings, topic: str, key_field: str | None = None, show_progress: bool = True
) -> TopicValues:
    """The last value of every key in the topic as it ends now (records without a key are not comparable)."""
    with OffsetLookup(kafka, topic) as lookup:
        ranges = resolve_ranges(lookup, Window())
    result = TopicValues(topic, {})
    seen_twice: set[str] = set()
    consumer = clients.consumer(kafka, max_poll_records=2000)
    try:
        with Progress(f"read {topic}", sum(r.size for r in ranges), enabled=show_progress) as progress:
            for record in read_ranges(consumer, topic, ranges):
                progress.advance()
                result.records += 1
                key = record_key(record.key, record.value, key_field)
                if key is None:
                    continue
                value = record.value or b""
                previous = result.values.get(key)
                if previous is not None and previous != value:
                    seen_twice.add(key)
                result.values[key] = value
    finally:
        consumer.close()
    result.keys_with_several_values = len(seen_twice)
    return result


def diff_topics(
    kafka: KafkaSettings,
    topic_a: str,
    topic_b: str,
    key_field: str | None = None,
    sample_size: int = 10,
    show_progress: bool = True,
) -> DiffReport:
    side_a = latest_values(kafka, topic_a, key_field, show_progress)
    side_b = latest_values(kafka, topic_b, key_field, show_progress)
    report = compare(side_a.values, side_b.values, topic_a, topic_b, sample_size)
    report.records_a, report.records_b = side_a.records, side_b.records
    report.keys_with_several_values_a = side_a.keys_with_several_values
    report.keys_with_several_values_b = side_b.keys_with_several_values
    return report


def describe(report: DiffReport) -> Iterator[str]:
    yield f"diff {report.topic_a} → {report.topic_b}"
    yield f"  records: {report.records_a} in A, {report.records_b} in B"
    for side, count in (("A", report.keys_with_several_values_a), ("B", report.keys_with_several_values_b)):
        if count:
            yield f"  {count} keys of {side} have several different values; the latest was compared (--key-field?)"
    yield f"  added {report.added}, removed {report.removed}, unchanged {report.unchanged}, changed {report.changed}"
    if report.field_changes:
        yield "  changed fields (records):"
        width = max(len(path) for path in report.field_changes)
        for path, count in report.field_changes.most_common():
            yield f"    {path.ljust(width)}  {count}"
    if report.samples:
        yield "  sample:"
        for sample in report.samples:
            if sample["status"] == "changed":
                a = orjson.dumps(sample.get("a")).decode()[:80] if "a" in sample else "(absent)"
                b = orjson.dumps(sample.get("b")).decode()[:80] if "b" in sample else "(absent)"
                yield f"    {sample['key']}  {sample['path']}: {a} → {b}"
            else:
                yield f"    {sample['key']}  {sample['status']}"
