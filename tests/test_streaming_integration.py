"""The stream worker against a real Kafka-protocol broker that the session starts (never a mock of Kafka).

Workers run as subprocesses (`python -m workers.cli worker`), so kill -9 and SIGTERM are the real thing.
Expected outputs come from the offline runner (`run_pipeline`, `newsflow process`) over the same records.
"""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest
from jsonschema import ValidationError
from kafka import TopicPartition

from tests.conftest import shared_path
from tests.schemas import validate_event
from workers import serialization
from workers.broker import clients
from workers.broker import headers as h
from workers.broker.local import LocalBroker, free_port
from workers.pipeline import CLEAN
from workers.records import SourceRecord
from workers.runner import run_pipeline, run_stage
from workers.settings import KafkaSettings, PipelineSettings, TopicNames
from workers.timestamps import format_rfc3339
from workers.tools.offsets import committed_offsets

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[1]
RECORD_TIME_MS = 1_764_237_600_000  # 2025-11-27T10:00:00Z: every test record gets this CreateTime
RECORD_TIME = format_rfc3339(datetime.fromtimestamp(RECORD_TIME_MS / 1000, UTC))
FETCHED_AT = "2025-11-27T09:30:00Z"
ROLES = ("cleaned", "article", "link", "deadletter")
CE_HEADERS = (h.CE_ID, h.CE_SOURCE, h.CE_TYPE, h.CE_SPECVERSION, h.CE_TIME, h.CONTENT_TYPE)
PROVENANCE_HEADERS = (h.SOURCE_TOPIC, h.SOURCE_PARTITION, h.SOURCE_OFFSET, h.PIPELINE_VERSION, h.STAGE)


@dataclass(frozen=True)
class Produced:
    key: bytes | None
    payload: bytes
    partition: int
    offset: int

    def source(self, topic: str) -> SourceRecord:
        return SourceRecord(
            payload=self.payload,
            key=self.key,
            topic=topic,
            partition=self.partition,
            offset=self.offset,
            timestamp=RECORD_TIME,
        )


@dataclass
class Collected:
    """Everything read back from the output topics."""

    records: list[tuple[str, bytes, bytes, dict[str, str]]] = field(default_factory=list)  # role, key, value, hdrs

    def finished(self, raw_topic: str) -> set[tuple[int, int]]:
        """Raw records that ended in an article or a dead letter."""
        return {
            (int(hdrs[h.SOURCE_PARTITION]), int(hdrs[h.SOURCE_OFFSET]))
            for role, _, _, hdrs in self.records
            if role in ("article", "deadletter") and hdrs.get(h.SOURCE_TOPIC) == raw_topic
        }

    def values(self) -> Counter[tuple[str, bytes, bytes]]:
        return Counter((role, key, value) for role, key, value, _ in self.records)

    def articles_per_input(self, raw_topic: str) -> Counter[tuple[int, int]]:
        """How often each raw record's article was published."""
        return Counter(
            (int(hdrs[h.SOURCE_PARTITION]), int(hdrs[h.SOURCE_OFFSET]))
            for role, _, _, hdrs in self.records
            if role == "article" and hdrs.get(h.SOURCE_TOPIC) == raw_topic
        )


def seed_text() -> str:
    return shared_path("seeds", "000_1e8faefd57101ac8.txt").read_text()


def envelope(index: int, text: str) -> bytes:
    return orjson.dumps(
        {
            "id": f"env-{index}",
            "url": f"https://news.example.com/world/{index}",
            "source": "Example News",
            "fetched_at": FETCHED_AT,
            "title": f"Kim and Putin exchange letters ({index})",
            "language": "en",
            "text": text + f"\nStory number {index} of the test feed.",
        }
    )


def seed_variant(index: int, text: str) -> bytes:
    paragraphs = text.split("\n")
    paragraphs.insert(1, f"This is variant {index} of the seed story, told once more.")
    return "\n".join(paragraphs).encode()


def mixed_inputs(count_seed: int, count_html: int) -> list[tuple[bytes | None, bytes]]:
    """Seed texts and envelopes, benchmark HTML pages and garbage, keyed and not."""
    text = seed_text()
    inputs: list[tuple[bytes | None, bytes]] = []
    for index in range(count_seed):
        inputs.append((f"seed-{index}".encode(), seed_variant(index, text)))
        inputs.append((None, envelope(index, text)))
    html_dir = shared_path("corpora", "zyte-article-benchmark", "html")
    for path in sorted(html_dir.glob("*.html.gz"))[:count_html]:
        inputs.append((path.name.split(".")[0].encode(), gzip.decompress(path.read_bytes())))
    garbage = [
        b"",
        b"\x00\xff\xfe\xfd" * 100,
        b"{not json",
        b'{"id": "no-content"}',
        b'{"id": 5, "text": "wrong type"}',
        b'{"id": "both", "text": "a", "html": "<p>b</p>"}',
        b"short",
        b"<html><body><p>tiny</p></body></html>",
        "Ça a l’air cassé\u0000\u0001".encode("utf-16"),
        os.urandom(3000),
    ]
    for index, payload in enumerate(garbage * 3):
        inputs.append((f"garbage-{index}".encode() if index % 2 else None, payload))
    inputs.append((b"huge", b"x" * (6 * 1024 * 1024)))  # over the 5 MB pipeline limit
    inputs.append((b"huge-16mb", b"y" * (16 * 1024 * 1024)))  # the largest message the broker must pass
    return inputs


def produce(kafka: KafkaSettings, topic: str, inputs: list[tuple[bytes | None, bytes]]) -> list[Produced]:
    producer = clients.producer(kafka)
    try:
        futures = [
            (key, payload, producer.send(topic, payload, key=key, timestamp_ms=RECORD_TIME_MS))
            for key, payload in inputs
        ]
        produced = []
        for key, payload, future in futures:
            metadata = future.get(timeout=60)
            produced.append(Produced(key, payload, metadata.partition, metadata.offset))
        return produced
    finally:
        producer.close()


def expected_outputs(produced: list[Produced], topic: str) -> Counter[tuple[str, bytes, bytes]]:
    """What the offline runner makes of the same records: the reference for the streamed outputs."""
    settings = PipelineSettings()
    expected: Counter[tuple[str, bytes, bytes]] = Counter()
    for item in produced:
        record = item.source(topic)
        for event in run_stage(CLEAN, record, settings).events:
            if event.topic_role == "cleaned":
                expected[("cleaned", event.key.encode(), event.value)] += 1
        for event in run_pipeline(record, settings):
            expected[(event.topic_role, event.key.encode(), event.value)] += 1
    return expected


def committed_positions(kafka: KafkaSettings, group: str, topic: str) -> dict[int, int]:
    """The group's committed offset per partition of `topic` (0 where it committed none)."""
    admin = clients.admin(kafka)
    try:
        partitions = [TopicPartition(topic, partition) for partition in range(kafka.partitions)]
        committed = committed_offsets(admin, group, partitions)
    finally:
        admin.close()
    return {tp.partition: committed.get(tp, 0) for tp in partitions}


def below(positions: dict[int, int]) -> set[tuple[int, int]]:
    """Every (partition, offset) under the given positions."""
    return {(partition, offset) for partition, end in positions.items() for offset in range(end)}


def worker_env(kafka: KafkaSettings, topics: TopicNames, group: str, tmp_path: Path, **extra: str) -> dict[str, str]:
    env = dict(
        os.environ,
        KAFKA_BOOTSTRAP_SERVERS=kafka.bootstrap_servers or "",
        NEWSFLOW_TOPIC_RAW=topics.raw,
        NEWSFLOW_TOPIC_CLEANED=topics.cleaned,
        NEWSFLOW_TOPIC_ARTICLES=topics.articles,
        NEWSFLOW_TOPIC_LINKS=topics.links,
        NEWSFLOW_TOPIC_DEADLETTER=topics.deadletter,
        NEWSFLOW_GROUP_ID=group,
        NEWSFLOW_METRICS_PORT=str(free_port()),
        NEWSFLOW_STREAM_DATA_DIR=str(tmp_path / "faust"),
        NEWSFLOW_LOG_LEVEL="WARNING",
        # Short sessions make joins and the hand-over of a killed member's partitions quick (docs/deployment.md).
        KAFKA_SESSION_TIMEOUT_MS="4000",
        KAFKA_HEARTBEAT_INTERVAL_MS="1000",
    )
    env.update(extra)
    return env


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    metrics_port: int
    log_path: Path

    def metric(self, name: str) -> float:
        """Sum of every sample of a metric on this worker's /metrics."""
        with urllib.request.urlopen(f"http://127.0.0.1:{self.metrics_port}/metrics", timeout=5) as response:
            text = response.read().decode()
        return sum(
            float(line.rsplit(" ", 1)[1])
            for line in text.splitlines()
            if line.startswith(name) and (line[len(name)] in " {")
        )

    def status(self, path: str) -> int:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.metrics_port}{path}", timeout=5) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-5000:]


@pytest.fixture
def start_worker(tmp_path: Path) -> Iterator[Callable[..., Worker]]:
    started: list[Worker] = []

    def start(env: dict[str, str], *args: str) -> Worker:
        log_path = tmp_path / f"worker-{len(started)}.log"
        with log_path.open("wb") as log_file:
            process = subprocess.Popen(
                [sys.executable, "-m", "workers.cli", "worker", *args],
                env=env,
                cwd=REPO,
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        worker = Worker(process, int(env["NEWSFLOW_METRICS_PORT"]), log_path)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        if worker.process.poll() is None:
            worker.process.kill()
            worker.process.wait()


def collect(
    kafka: KafkaSettings,
    topics: TopicNames,
    done: Callable[[Collected], bool],
    timeout_s: float,
    during: Callable[[Collected], None] | None = None,
    isolation_level: str = "read_uncommitted",
) -> Collected:
    """Read every output topic from the start until `done`, then 1.5 s more for stragglers."""
    consumer = clients.consumer(kafka, isolation_level=isolation_level)
    role_of = {topics.for_role(role): role for role in ROLES}
    consumer.subscribe(list(role_of))
    collected = Collected()
    deadline = time.monotonic() + timeout_s
    quiet_until: float | None = None
    try:
        while time.monotonic() < deadline:
            batch = consumer.poll(timeout_ms=300)
            for messages in batch.values():
                for message in messages:
                    collected.records.append(
                        (role_of[message.topic], message.key, message.value, h.header_map(message.headers))
                    )
            if during is not None:
                during(collected)
            if quiet_until is None and done(collected):
                quiet_until = time.monotonic() + 1.5
            if quiet_until is not None and time.monotonic() > quiet_until:
                break
    finally:
        consumer.close()
    return collected


def assert_headers(collected: Collected, raw_topic: str) -> None:
    for role, _, _, hdrs in collected.records:
        missing = [name for name in (*CE_HEADERS, *PROVENANCE_HEADERS) if name not in hdrs]
        assert not missing, (role, missing)
        assert hdrs[h.CE_TYPE] == h.CE_TYPES[role]
        assert hdrs[h.CE_SPECVERSION] == "1.0"
        assert hdrs[h.CONTENT_TYPE] == "application/json"
        assert hdrs[h.SOURCE_TOPIC] == raw_topic
        assert (
            hdrs[h.CE_ID]
            == f"{raw_topic}:{hdrs[h.SOURCE_PARTITION]}:{hdrs[h.SOURCE_OFFSET]}:" + hdrs[h.CE_ID].rsplit(":", 1)[1]
        )
        assert hdrs[h.ORIGINAL_TIMESTAMP] == RECORD_TIME
        datetime.fromisoformat(hdrs[h.CE_TIME].replace("Z", "+00:00"))


def assert_duplicates_identical(collected: Collected) -> int:
    """Every redelivered output has the bytes of the first delivery; returns how many duplicates there were."""
    by_id: dict[tuple[str, str], set[bytes]] = defaultdict(set)
    counts: Counter[tuple[str, str]] = Counter()
    for role, _, value, hdrs in collected.records:
        by_id[(role, hdrs[h.CE_ID])].add(value)
        counts[(role, hdrs[h.CE_ID])] += 1
    differing = {ce_id: values for ce_id, values in by_id.items() if len(values) > 1}
    assert not differing, list(differing)[:5]
    return sum(count - 1 for count in counts.values())


@pytest.fixture
def pausable_broker(broker: LocalBroker) -> LocalBroker:
    """The session's broker, for tests that pause its process; an external cluster cannot be paused from here."""
    if broker.process is None:
        pytest.skip("the broker is external (NEWSFLOW_TEST_BOOTSTRAP_SERVERS); it cannot be paused from here")
    return broker


def test_worker_streams_mixed_inputs_to_exactly_the_offline_outputs(
    kafka_settings: KafkaSettings, fresh_topics: TopicNames, start_worker: Callable[..., Worker], tmp_path: Path
) -> None:
    inputs = mixed_inputs(count_seed=100, count_html=20)
    produced = produce(kafka_settings, fresh_topics.raw, inputs)
    worker = start_worker(worker_env(kafka_settings, fresh_topics, f"g{uuid.uuid4().hex[:8]}", tmp_path))
    wanted = {(item.partition, item.offset) for item in produced}

    collected = collect(kafka_settings, fresh_topics, lambda c: c.finished(fresh_topics.raw) >= wanted, 120)

    assert collected.finished(fresh_topics.raw) >= wanted, worker.log()
    assert collected.values() == expected_outputs(produced, fresh_topics.raw)
    assert_headers(collected, fresh_topics.raw)
    schema_errors = []
    for role, key, value, _ in collected.records:
        try:
            validate_event(role, orjson.loads(value))
        except ValidationError as error:
            schema_errors.append(f"{role} {key!r}: {error.message}")
    letters = [orjson.loads(value) for role, _, value, _ in collected.records if role == "deadletter"]
    for key in ("huge", "huge-16mb"):
        huge = next(letter for letter in letters if letter["original"]["key"] == key)
        assert (huge["reason"], huge["original"]["value_omitted"]) == ("too_large", True)
    assert worker.metric("newsflow_messages_in_total") >= len(produced)
    assert worker.metric('newsflow_messages_dead_lettered_total{reason="too_large",stage="clean"}') >= 2
    assert (worker.status("/healthz"), worker.status("/readyz")) == (200, 200)

    # The streamed article of an envelope is what `newsflow process` prints for the same envelope.
    item = next(item for item in produced if item.key is None and item.payload.startswith(b'{"id":"env-7"'))
    path = tmp_path / "env-7.json"
    path.write_bytes(item.payload)
    printed = subprocess.run(
        [sys.executable, "-m", "workers.cli", "process", str(path)], cwd=REPO, capture_output=True, check=True
    ).stdout
    offline = [json.loads(line) for line in printed.splitlines()]
    offline_article = next(line["value"] for line in offline if line["topic"] == "news.articles.normalized")
    streamed = [
        value
        for role, _, value, hdrs in collected.records
        if role == "article"
        and (int(hdrs[h.SOURCE_PARTITION]), int(hdrs[h.SOURCE_OFFSET])) == (item.partition, item.offset)
    ]
    assert streamed == [serialization.dumps(offline_article)]

    worker.process.send_signal(signal.SIGTERM)
    assert worker.process.wait(timeout=30) == 0, worker.log()
    assert not schema_errors, sorted({error.split(": ", 1)[1] for error in schema_errors})


def test_kill_9_mid_stream_and_restart_loses_nothing(
    kafka_settings: KafkaSettings, fresh_topics: TopicNames, start_worker: Callable[..., Worker], tmp_path: Path
) -> None:
    text = seed_text()
    produced = produce(kafka_settings, fresh_topics.raw, [(None, envelope(i, text)) for i in range(3000)])
    wanted = {(item.partition, item.offset) for item in produced}
    env = worker_env(kafka_settings, fresh_topics, f"g{uuid.uuid4().hex[:8]}", tmp_path, NEWSFLOW_STREAM_BATCH_MAX="64")
    first = start_worker(env)
    kills: list[int] = []

    def kill_mid_stream(collected: Collected) -> None:
        finished = len(collected.finished(fresh_topics.raw))
        if not kills and finished >= 600:
            os.kill(first.process.pid, signal.SIGKILL)
            first.process.wait()
            kills.append(finished)
            start_worker(env)

    collected = collect(
        kafka_settings, fresh_topics, lambda c: c.finished(fresh_topics.raw) >= wanted, 150, during=kill_mid_stream
    )

    assert kills and kills[0] < len(wanted), "the worker finished before it could be killed mid-stream"
    assert collected.finished(fresh_topics.raw) >= wanted
    assert set(collected.values()) == set(expected_outputs(produced, fresh_topics.raw))
    duplicates = assert_duplicates_identical(collected)
    print(f"killed after {kills[0]} of {len(wanted)} inputs; {duplicates} duplicate outputs, all byte-identical")


def test_worker_recovers_from_a_10_s_broker_pause(
    pausable_broker: LocalBroker,
    kafka_settings: KafkaSettings,
    fresh_topics: TopicNames,
    start_worker: Callable[..., Worker],
    tmp_path: Path,
) -> None:
    text = seed_text()
    first_half = produce(kafka_settings, fresh_topics.raw, [(None, envelope(i, text)) for i in range(1000)])
    worker = start_worker(worker_env(kafka_settings, fresh_topics, f"g{uuid.uuid4().hex[:8]}", tmp_path))
    paused: list[float] = []

    def pause_once(collected: Collected) -> None:
        if not paused and collected.finished(fresh_topics.raw):
            os.kill(pausable_broker.pid(), signal.SIGSTOP)
            try:
                time.sleep(10)
            finally:
                os.kill(pausable_broker.pid(), signal.SIGCONT)
            paused.append(time.monotonic())

    collect(kafka_settings, fresh_topics, lambda c: bool(paused), 60, during=pause_once)
    second_half = produce(kafka_settings, fresh_topics.raw, [(None, envelope(i, text)) for i in range(1000, 1500)])
    produced = first_half + second_half
    wanted = {(item.partition, item.offset) for item in produced}

    collected = collect(kafka_settings, fresh_topics, lambda c: c.finished(fresh_topics.raw) >= wanted, 120)

    assert worker.process.poll() is None, worker.log()
    assert collected.finished(fresh_topics.raw) >= wanted, worker.log()
    assert set(collected.values()) == set(expected_outputs(produced, fresh_topics.raw))
    assert_duplicates_identical(collected)


def test_two_workers_in_one_group_share_the_partitions(
    kafka_settings: KafkaSettings, fresh_topics: TopicNames, start_worker: Callable[..., Worker], tmp_path: Path
) -> None:
    group = f"g{uuid.uuid4().hex[:8]}"
    workers = [start_worker(worker_env(kafka_settings, fresh_topics, group, tmp_path)) for _ in range(2)]
    deadline = time.monotonic() + 60
    assigned = [0.0, 0.0]
    while time.monotonic() < deadline:
        try:
            assigned = [worker.metric("newsflow_assigned_partitions") for worker in workers]
        except OSError:
            assigned = [0.0, 0.0]
        if all(assigned) and sum(assigned) == kafka_settings.partitions:
            break
        time.sleep(0.5)
    assert all(assigned) and sum(assigned) == kafka_settings.partitions, (assigned, workers[0].log())

    text = seed_text()
    produced = produce(kafka_settings, fresh_topics.raw, [(None, envelope(i, text)) for i in range(800)])
    wanted = {(item.partition, item.offset) for item in produced}
    collected = collect(kafka_settings, fresh_topics, lambda c: c.finished(fresh_topics.raw) >= wanted, 120)

    assert collected.finished(fresh_topics.raw) >= wanted
    handled = [worker.metric('newsflow_messages_in_total{stage="clean"}') for worker in workers]
    assert all(count > 0 for count in handled), handled
    assert sum(handled) >= len(produced)
    for worker in workers:
        worker.process.send_signal(signal.SIGTERM)
    for worker in workers:
        assert worker.process.wait(timeout=30) == 0, worker.log()


def test_a_third_worker_joining_and_one_leaving_under_load_lose_nothing(
    kafka_settings: KafkaSettings, fresh_topics: TopicNames, start_worker: Callable[..., Worker], tmp_path: Path
) -> None:
    """Two rebalances while records flow: a third member joins once outputs appear, then a first one leaves."""
    group = f"g{uuid.uuid4().hex[:8]}"
    workers = [start_worker(worker_env(kafka_settings, fresh_topics, group, tmp_path)) for _ in range(2)]
    text = seed_text()
    produced = produce(kafka_settings, fresh_topics.raw, [(None, envelope(i, text)) for i in range(1500)])
    wanted = {(item.partition, item.offset) for item in produced}
    events: list[str] = []

    def join_then_leave(collected: Collected) -> None:
        finished = len(collected.finished(fresh_topics.raw))
        if not events and finished >= 100:
            workers.append(start_worker(worker_env(kafka_settings, fresh_topics, group, tmp_path)))
            events.append(f"joined after {finished}")
        elif len(events) == 1 and finished >= 600:
            workers[0].process.send_signal(signal.SIGTERM)
            events.append(f"left after {finished}")

    collected = collect(
        kafka_settings, fresh_topics, lambda c: c.finished(fresh_topics.raw) >= wanted, 240, during=join_then_leave
    )

    assert len(events) == 2, events
    assert collected.finished(fresh_topics.raw) >= wanted, (len(collected.finished(fresh_topics.raw)), events)
    duplicates = assert_duplicates_identical(collected)
    print(f"{'; '.join(events)} of {len(wanted)} inputs; {duplicates} duplicate outputs, all byte-identical")
    assert workers[0].process.wait(timeout=30) == 0, workers[0].log()
    for worker in workers[1:]:
        worker.process.send_signal(signal.SIGTERM)
    for worker in workers[1:]:
        assert worker.process.wait(timeout=30) == 0, worker.log()


def test_sigterm_during_a_backlog_stops_within_10_s_with_every_output_committed_and_a_restart_goes_on(
    kafka_settings: KafkaSettings, fresh_topics: TopicNames, start_worker: Callable[..., Worker], tmp_path: Path
) -> None:
    text = seed_text()
    produced = produce(kafka_settings, fresh_topics.raw, [(None, envelope(i, text)) for i in range(4000)])
    wanted = {(item.partition, item.offset) for item in produced}
    group = f"g{uuid.uuid4().hex[:8]}"
    env = worker_env(kafka_settings, fresh_topics, group, tmp_path, NEWSFLOW_LOG_LEVEL="INFO")
    first = start_worker(env)
    stopped: list[tuple[int, float]] = []  # exit status, seconds from SIGTERM to exit

    def stop_at_first_output(collected: Collected) -> None:
        if not stopped and collected.finished(fresh_topics.raw):
            signalled = time.monotonic()
            first.process.send_signal(signal.SIGTERM)
            try:
                status = first.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                status = -1
            stopped.append((status, time.monotonic() - signalled))

    collect(kafka_settings, fresh_topics, lambda c: bool(stopped), 90, during=stop_at_first_output)
    assert stopped, first.log()
    status, stop_s = stopped[0]
    assert status == 0, first.log()
    assert stop_s < 10, (stop_s, first.log())

    committed = committed_positions(kafka_settings, f"{group}.clean-enrich", fresh_topics.raw)
    before_restart = collect(
        kafka_settings, fresh_topics, lambda c: c.finished(fresh_topics.raw) >= below(committed), 60
    )
    finished = before_restart.finished(fresh_topics.raw)
    # The stop happened in the backlog, and every input whose offset was committed has its outputs.
    assert 0 < len(below(committed)) < len(wanted), committed
    assert finished >= below(committed), sorted(below(committed) - finished)[:5]
    # What was published but not committed is processed again after the restart: at most one batch.
    uncommitted = finished - below(committed)
    assert len(uncommitted) <= 256, len(uncommitted)

    second = start_worker(env)
    collected = collect(kafka_settings, fresh_topics, lambda c: c.finished(fresh_topics.raw) >= wanted, 150)

    assert collected.finished(fresh_topics.raw) >= wanted, second.log()
    assert set(collected.values()) == set(expected_outputs(produced, fresh_topics.raw))
    duplicates = assert_duplicates_identical(collected)
    repeated = {
        coordinates for coordinates, count in collected.articles_per_input(fresh_topics.raw).items() if count > 1
    }
    assert repeated <= uncommitted, sorted(repeated - uncommitted)[:5]
    second.process.send_signal(signal.SIGTERM)
    assert second.process.wait(timeout=30) == 0, second.log()
    print(
        f"stopped {stop_s:.1f} s after SIGTERM with {len(below(committed))} of {len(wanted)} inputs committed, "
        f"{len(uncommitted)} published but not committed; {duplicates} duplicate outputs after the restart"
    )


@pytest.mark.parametrize(("second_signal", "expected_status"), [(False, 75), (True, 128 + signal.SIGTERM)])
def test_a_stop_held_up_by_a_paused_broker_ends_at_the_stop_deadline_or_at_once_on_a_second_signal(
    second_signal: bool,
    expected_status: int,
    pausable_broker: LocalBroker,
    kafka_settings: KafkaSettings,
    fresh_topics: TopicNames,
    start_worker: Callable[..., Worker],
    tmp_path: Path,
) -> None:
    text = seed_text()
    produce(kafka_settings, fresh_topics.raw, [(None, envelope(i, text)) for i in range(4000)])
    env = worker_env(
        kafka_settings, fresh_topics, f"g{uuid.uuid4().hex[:8]}", tmp_path, NEWSFLOW_STREAM_STOP_TIMEOUT_S="3"
    )
    worker = start_worker(env)
    collect(kafka_settings, fresh_topics, lambda c: bool(c.finished(fresh_topics.raw)), 90)

    os.kill(pausable_broker.pid(), signal.SIGSTOP)
    try:
        signalled = time.monotonic()
        worker.process.send_signal(signal.SIGTERM)
        if second_signal:
            time.sleep(1)
            assert worker.process.poll() is None, "the stop finished although the broker was paused"
            signalled = time.monotonic()
            worker.process.send_signal(signal.SIGTERM)
        status = worker.process.wait(timeout=30)
        stop_s = time.monotonic() - signalled
    finally:
        os.kill(pausable_broker.pid(), signal.SIGCONT)

    assert status == expected_status, worker.log()
    assert stop_s < (1.5 if second_signal else 5), stop_s
