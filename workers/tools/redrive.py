"""Send dead letters' original records back to the input of the stage that failed, once a fix is deployed.

A dead letter (schemas/dead-letter.v1.json) keeps the original key, headers and bytes (base64; omitted when they
exceeded the size limit, and such letters cannot be redriven). The redriven record carries nf-redrive-of with the
dead letter's topic:partition:offset, and its original time in nf-original-timestamp so the stages see the same
record time as the first time. Each original goes out at most once per run, however many dead letters it has.
"""

from __future__ import annotations

import base64
import binascii
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

import orjson
from kafka.consumer.fetcher import ConsumerRecord

from workers.broker import clients
from workers.broker import headers as h
from workers.pipeline import PIPELINE
from workers.settings import Settings
from workers.tools.ranges import Window
from workers.tools.replay import PRODUCER_TUNING, Delivery, ReplaySummary, for_each_record, plan

# Where a redriven record came from: the dead letter's topic:partition:offset.
REDRIVE_OF = "nf-redrive-of"


@dataclass(frozen=True)
class Redrivable:
    """The record to send back: target topic, key, value, headers; and what identifies the original."""

    topic: str
    key: bytes | None
    value: bytes
    headers: list[tuple[str, bytes]]
    identity: tuple[str, str | None, str]


@dataclass(frozen=True)
class Filters:
    reason: str | None = None
    stage: str | None = None


def redrivable(record: ConsumerRecord, settings: Settings, filters: Filters) -> Redrivable | str:
    """The record a dead letter asks to resend, or why it is skipped (a short reason code)."""
    try:
        letter: Any = orjson.loads(record.value or b"")
        stage_name, reason, original = letter["stage"], letter["reason"], letter["original"]
    except (orjson.JSONDecodeError, KeyError, TypeError):
        return "not_a_dead_letter"
    if filters.reason and reason != filters.reason:
        return "filtered"
    if filters.stage and stage_name != filters.stage:
        return "filtered"
    stage = next((s for s in PIPELINE if s.name == stage_name), None)
    if stage is None:
        return "unknown_stage"
    if original.get("value_omitted") or original.get("value") is None:
        return "value_omitted"
    try:
        value = base64.b64decode(original["value"], validate=True)
        headers = [
            (item["key"], base64.b64decode(item["value"], validate=True))
            for item in original.get("headers") or []
            if item["key"] != REDRIVE_OF
        ]
    except (binascii.Error, KeyError, TypeError, ValueError):
        return "not_a_dead_letter"
    if original.get("timestamp") and not any(name == h.ORIGINAL_TIMESTAMP for name, _ in headers):
        headers.append((h.ORIGINAL_TIMESTAMP, str(original["timestamp"]).encode()))
    headers.append((REDRIVE_OF, f"{record.topic}:{record.partition}:{record.offset}".encode()))
    key = original.get("key")
    return Redrivable(
        topic=settings.topics.for_role(stage.input_role),
        key=key.encode("utf-8") if isinstance(key, str) else None,
        value=value,
        headers=headers,
        identity=(stage.name, key, original.get("sha256") or ""),
    )


def redrive(
    settings: Settings,
    filters: Filters,
    since_ms: int | None = None,
    dry_run: bool = False,
    show_progress: bool = True,
) -> ReplaySummary:
    """Read the dead-letter topic up to its end now and resend the matching originals."""
    started = time.perf_counter()
    topic = settings.topics.deadletter
    window = Window(from_ms=since_ms)
    summary = ReplaySummary(topic, "redrive", plan(settings, topic, window), dry_run)
    skipped: Counter[str] = Counter()
    would_send: Counter[str] = Counter()
    sent: set[tuple[str, str | None, str]] = set()
    producer = None if dry_run else clients.producer(settings.kafka, **PRODUCER_TUNING)
    delivery = Delivery(summary)

    def resend(record: ConsumerRecord) -> None:
        found = redrivable(record, settings, filters)
        if isinstance(found, str):
            skipped[found] += 1
            return
        if found.identity in sent:
            skipped["duplicate"] += 1
            return
        sent.add(found.identity)
        would_send[found.topic] += 1
        if producer is not None:
            future = producer.send(found.topic, value=found.value, key=found.key, headers=found.headers)
            delivery.track(future, found.topic)

    try:
        for_each_record(settings, topic, window, summary, resend, f"redrive {topic}", show_progress)
        if producer is not None:
            producer.flush()
    finally:
        if producer is not None:
            producer.close()
    delivery.settle()
    summary.duration_s = time.perf_counter() - started
    summary.details["skipped"] = dict(sorted(skipped.items()))
    summary.details["matched"] = sum(would_send.values())
    if dry_run:
        summary.details["would_send"] = dict(sorted(would_send.items()))
    return summary
