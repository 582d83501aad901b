"""Replay against a real broker: a time window into the input, and a shadow run under a new pipeline version."""

from __future__ import annotations

import logging
import uuid
from collections import Counter
from pathlib import Path

import orjson
import pytest
from kafka import TopicPartition
from kafka.structs import OffsetAndMetadata

from tests.schemas import validate_event
from tests.test_replay_support import (
    BASE_MS,
    article,
    cli_env,
    header,
    high_watermarks,
    produce,
    read_all,
    settings_for,
    start_worker,
    wait_for,
)
from workers import cli
from workers.broker import clients
from workers.broker import headers as h
from workers.settings import PIPELINE_VERSION, KafkaSettings, TopicNames
from workers.tools import diff, replay
from workers.tools.offset_lookup import (
    BINARY_SEARCH,
    BROKER,
    HIGH_WATERMARK,
    OffsetLookup,
    first_offset_at_or_after,
)
from workers.tools.ranges import Window

pytestmark = pytest.mark.integration

FEED = 400  # records, one second apart
# The version a shadow replay runs as: any version other than the code's own.
SHADOW_VERSION = "99.0.0-shadow"


def _feed(kafka: KafkaSettings, topic: str) -> None:
    produce(kafka, topic, ((f"story-{i}".encode(), article(i), BASE_MS + i * 1000) for i in range(FEED)))


def test_replay_of_a_time_window_republishes_exactly_that_window_and_leaves_group_offsets_alone(
    kafka_settings: KafkaSettings, fresh_topics: TopicNames, caplog: pytest.LogCaptureFixture, broker_engine: str
) -> None:
    _feed(kafka_settings, fresh_topics.raw)
    ends_before = high_watermarks(kafka_settings, fresh_topics.raw)
    # A worker group with committed offsets: the replay must not move them.
    group = "newsflow-workers.clean-enrich"
    admin = clients.admin(kafka_settings)
    committed = {TopicPartition(fresh_topics.raw, p): OffsetAndMetadata(7, "", None) for p in range(4)}
    admin.alter_group_offsets(group, committed)

    settings = settings_for(kafka_settings, fresh_topics)
    window = Window(from_ms=BASE_MS + 100_000, to_ms=BASE_MS + 250_000)
    with caplog.at_level(logging.INFO, logger="workers.tools.offset_lookup"):
        summary = replay.into_input(settings, fresh_topics.raw, window, show_progress=False)

    # Apache Kafka's offsets_for_times answers pass their checks and are used. Tansu answers 0 for every time:
    # the check fails, so the bounds come from a binary search over the records, and the log says so.
    expected_path = BROKER if broker_engine == "kafka" else BINARY_SEARCH
    assert {r.start_path for r in summary.ranges} == {expected_path}
    assert {r.end_path for r in summary.ranges} == {expected_path}
    assert any(getattr(rec, "path", None) == expected_path for rec in caplog.records)
    assert summary.read == 150 and summary.written == 150 and summary.delivery_errors == 0
    assert summary.skipped_outside_window == 0

    records = read_all(kafka_settings, fresh_topics.raw)
    copies = [record for record in records if record.offset >= ends_before[record.partition]]
    originals = {record.key: record for record in records if record.offset < ends_before[record.partition]}
    assert sorted(record.key for record in copies) == sorted(f"story-{i}".encode() for i in range(100, 250))
    for copy in copies:
        original = originals[copy.key]
        assert copy.value == original.value
        assert header(copy, "origin") == "test-feed"
        assert header(copy, h.ORIGINAL_TIMESTAMP) == replay.record_time(original.timestamp)
        assert header(copy, replay.REPLAY_OF) == f"{original.topic}:{original.partition}:{original.offset}"
    assert sum(summary.read_per_partition.values()) == len(copies)

    # The replayed copies arrived after the ends were fixed: not chased. Group offsets unchanged.
    after = admin.list_group_offsets({group: list(committed)})[group]
    admin.close()
    assert {tp: meta.offset for tp, meta in after.items()} == dict.fromkeys(committed, 7)


def test_live_worker_reprocesses_exactly_the_replayed_window_into_identical_payloads(
    kafka_settings: KafkaSettings,
    fresh_topics: TopicNames,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # No fetched_at: the stages resolve "Tuesday" against the record time, and a re-published record has a new
    # one. Identical payloads show that the worker reads the original time from nf-original-timestamp.
    produce(
        kafka_settings,
        fresh_topics.raw,
        ((f"story-{i}".encode(), article(i), BASE_MS + i * 1000) for i in range(100)),
    )
    env = cli_env(kafka_settings, fresh_topics, f"workers-{uuid.uuid4().hex[:8]}")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    worker = start_worker(env, tmp_path, "live")
    try:
        wait_for(lambda: len(read_all(kafka_settings, fresh_topics.articles)) == 100, 90, "the first pass")
        raw_ends = high_watermarks(kafka_settings, fresh_topics.raw)
        # 2026-09-21T14:13:40Z and …14:14:10Z are BASE_MS + 20 s and + 50 s.
        code = cli.main(
            [
                "replay",
                "--topic",
                fresh_topics.raw,
                "--from",
                "2026-09-21T14:13:40Z",
                "--to",
                "2026-09-21T14:14:10Z",
                "--into-input",
                "--no-progress",
            ]
        )
        assert code == 0, capsys.readouterr()
        assert "wrote 30 to" in capsys.readouterr().out
        wait_for(lambda: len(read_all(kafka_settings, fresh_topics.articles)) == 130, 90, "the reprocessed window")
    finally:
        worker.stop()
    articles = read_all(kafka_settings, fresh_topics.articles)
    first: dict[bytes, bytes] = {}
    reprocessed: dict[bytes, bytes] = {}
    for record in articles:
        source_offset = int(header(record, h.SOURCE_OFFSET) or -1)
        source_partition = int(header(record, h.SOURCE_PARTITION) or -1)
        replayed = source_offset >= raw_ends[source_partition]
        (reprocessed if replayed else first)[orjson.loads(record.value)["raw_id"].encode()] = record.value
    assert sorted(reprocessed) == sorted(f"story-{i}".encode() for i in range(20, 50))
    # Determinism: the same input under the same version gives byte-identical payloads.
    assert all(reprocessed[key] == first[key] for key in reprocessed)
    tuesday = orjson.loads(first[b"story-20"])["date_mentions"][0]
    assert tuesday["text"] == "Tuesday" and tuesday["date"] == "2026-09-15"  # the Tuesday before 2026-09-21


def test_replay_dry_run_from_the_cli_shows_the_ranges_and_the_paths_taken(
    kafka_settings: KafkaSettings,
    fresh_topics: TopicNames,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    broker_engine: str,
) -> None:
    _feed(kafka_settings, fresh_topics.raw)
    for name, value in cli_env(kafka_settings, fresh_topics, "g-dry").items():
        monkeypatch.setenv(name, value)
    ends = high_watermarks(kafka_settings, fresh_topics.raw)
    code = cli.main(
        ["replay", "--topic", fresh_topics.raw, "--from", "2000-01-01", "--into-input", "--dry-run", "--json"]
    )
    assert code == 0
    report = orjson.loads(capsys.readouterr().out)
    assert report["dry_run"] is True and report["written"] == 0
    # A time before every record: the broker's answer (0) passes its check and is kept.
    assert {r["start_path"] for r in report["ranges"]} == {BROKER}
    if broker_engine == "kafka":
        assert {r["end_path"] for r in report["ranges"]} == {BROKER}
    else:
        # Tansu's end offset is right only where the last batch held one record; elsewhere the high watermark wins.
        assert HIGH_WATERMARK in {r["end_path"] for r in report["ranges"]} <= {BROKER, HIGH_WATERMARK}
    assert {r["partition"]: r["end"] for r in report["ranges"]} == ends
    assert high_watermarks(kafka_settings, fresh_topics.raw) == ends  # nothing written

    code = cli.main(
        [
            "replay",
            "--topic",
            fresh_topics.raw,
            "--from-offset",
            "0:5",
            "1:0",
            "--to-offset",
            "0:10",
            "1:3",
            "--into-input",
            "--dry-run",
            "--json",
        ]
    )
    report = orjson.loads(capsys.readouterr().out)
    assert [(r["partition"], r["start"], r["end"]) for r in report["ranges"]] == [(0, 5, 10), (1, 0, 3)]


def _versioned_topics(topics: TopicNames, *versions: str) -> list[str]:
    names = []
    for version in versions:
        versioned = topics.versioned(version)
        names += [versioned.cleaned, versioned.articles, versioned.links, versioned.deadletter]
    return names


def test_shadow_replay_writes_only_versioned_topics_and_diff_reports_exactly_the_version_change(
    kafka_settings: KafkaSettings, fresh_topics: TopicNames
) -> None:
    count = 60
    items = [(f"story-{i}".encode(), article(i), BASE_MS + i * 1000) for i in range(count)]
    items.append((b"broken-1", b'{"id": "broken-1", "title": "no body"}', BASE_MS + 61_000))
    items.append((b"broken-2", b"{not json", BASE_MS + 62_000))
    produce(kafka_settings, fresh_topics.raw, items)
    settings = settings_for(kafka_settings, fresh_topics)
    everything = Window()
    try:
        base = replay.shadow(settings, fresh_topics.raw, everything, "v1", PIPELINE_VERSION, show_progress=False)
        new = replay.shadow(settings, fresh_topics.raw, everything, "v2", SHADOW_VERSION, show_progress=False)
        again = replay.shadow(settings, fresh_topics.raw, everything, "v2b", SHADOW_VERSION, show_progress=False)
        for summary in (base, new, again):
            assert summary.read == count + 2 and summary.dead_letters == 2 and summary.delivery_errors == 0

        v1, v2, v2b = (fresh_topics.versioned(v) for v in ("v1", "v2", "v2b"))
        assert new.written_per_topic == Counter({v2.cleaned: count, v2.articles: count, v2.deadletter: 2})
        # The live outputs saw nothing.
        for live in (fresh_topics.cleaned, fresh_topics.articles, fresh_topics.links, fresh_topics.deadletter):
            assert read_all(kafka_settings, live) == []

        articles = read_all(kafka_settings, v2.articles)
        for record in articles:
            value = orjson.loads(record.value)
            validate_event("article", value)
            assert value["pipeline_version"] == SHADOW_VERSION
            assert header(record, h.PIPELINE_VERSION) == SHADOW_VERSION
        for record in read_all(kafka_settings, v2.deadletter):
            validate_event("deadletter", orjson.loads(record.value))
        for record in read_all(kafka_settings, v2.cleaned):
            validate_event("cleaned", orjson.loads(record.value))

        changed = diff.diff_topics(kafka_settings, v1.articles, v2.articles, show_progress=False)
        assert (changed.added, changed.removed, changed.unchanged, changed.changed) == (0, 0, 0, count)
        assert dict(changed.field_changes) == {"pipeline_version": count}
        sample = changed.samples[0]
        assert (sample["path"], sample["a"], sample["b"]) == ("pipeline_version", PIPELINE_VERSION, SHADOW_VERSION)
        letters = diff.diff_topics(kafka_settings, v1.deadletter, v2.deadletter, show_progress=False)
        assert dict(letters.field_changes) == {"pipeline_version": 2}
        # The cleaned records carry no version: the new version changed nothing in them.
        assert diff.diff_topics(kafka_settings, v1.cleaned, v2.cleaned, show_progress=False).identical

        # The same range under the same version twice: byte-identical payloads under identical keys.
        same = diff.diff_topics(kafka_settings, v2.articles, v2b.articles, show_progress=False)
        assert same.identical and same.unchanged == count and not same.field_changes
        first = {r.key: r.value for r in articles}
        assert first == {r.key: r.value for r in read_all(kafka_settings, v2b.articles)}
    finally:
        clients.delete_topics(kafka_settings, _versioned_topics(fresh_topics, "v1", "v2", "v2b"))


def test_the_records_and_the_brokers_answers_agree_on_where_times_and_partitions_end(
    kafka_settings: KafkaSettings, fresh_topics: TopicNames, broker_engine: str
) -> None:
    """The work-arounds (binary search over record times, fetch high watermark) give the answers a correct broker
    gives; on Apache Kafka the broker's own answers pass their checks and are the ones used."""
    _feed(kafka_settings, fresh_topics.raw)
    times = [BASE_MS - 1, BASE_MS, BASE_MS + 99_500, BASE_MS + 100_000, BASE_MS + 250_000, BASE_MS + FEED * 1000]
    with OffsetLookup(kafka_settings, fresh_topics.raw) as lookup:
        for partition in lookup.partitions():
            start = lookup.log_start(partition)
            end = lookup.end_offset(partition)
            assert end.offset == lookup.high_watermark(partition)
            assert end.path == BROKER or broker_engine == "tansu"
            for timestamp_ms in times:
                resolved = lookup.offset_for_time(partition, timestamp_ms, start, end.offset)
                searched = first_offset_at_or_after(
                    lambda offset, p=partition, e=end.offset: lookup.record_at(p, offset, e),
                    start,
                    end.offset,
                    timestamp_ms,
                )
                assert resolved.offset == searched, (partition, timestamp_ms, resolved)
                if broker_engine == "kafka":
                    assert resolved.path == BROKER
