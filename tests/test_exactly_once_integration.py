"""NEWSFLOW_PROCESSING_GUARANTEE=exactly_once on Apache Kafka, and the start-up refusals on brokers that cannot serve
a setting: workers run as subprocesses, killed with SIGKILL, paused with SIGSTOP, joined and stopped mid-stream.

The proof is counted: a `read_committed` consumer of every output topic must see, for every raw record and every
output role, exactly as many outputs as the offline runner makes of that record, and their bytes.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import require_apache_kafka_tools
from tests.test_streaming_integration import (
    Collected,
    Produced,
    Worker,
    collect,
    envelope,
    produce,
    seed_text,
    start_worker,
    worker_env,
)
from workers.broker import clients
from workers.broker import headers as h
from workers.pipeline import CLEAN
from workers.runner import run_pipeline, run_stage
from workers.settings import KafkaSettings, PipelineSettings, TopicNames

pytestmark = pytest.mark.integration

__all__ = ["start_worker"]  # the fixture, imported for these tests

ON_APACHE_KAFKA = pytest.mark.parametrize("broker", ["kafka"], indirect=True)
ON_TANSU = pytest.mark.parametrize("broker", ["tansu"], indirect=True)
GARBAGE = [b"", b"{not json", b'{"id": "no-content"}', b"short", b"\x00\xff\xfe\xfd" * 50]
# Sessions at the test broker's floor (1 s is allowed there): a killed or paused member's partitions move soon.
FAST_SESSIONS = {"KAFKA_SESSION_TIMEOUT_MS": "2000", "KAFKA_HEARTBEAT_INTERVAL_MS": "500"}


@pytest.fixture(autouse=True)
def _apache_kafka_or_skip(request: pytest.FixtureRequest) -> None:
    if os.environ.get("NEWSFLOW_TEST_BOOTSTRAP_SERVERS"):
        pytest.skip("these tests choose their broker; NEWSFLOW_TEST_BOOTSTRAP_SERVERS points at another")
    if request.node.callspec.params.get("broker") == "kafka":
        require_apache_kafka_tools()


def inputs(count: int) -> list[tuple[bytes | None, bytes]]:
    """Envelopes, keyed and not, with a few records that can only become dead letters."""
    text = seed_text()
    records: list[tuple[bytes | None, bytes]] = [
        (f"env-{index}".encode() if index % 2 else None, envelope(index, text)) for index in range(count)
    ]
    for index, payload in enumerate(GARBAGE * 4):
        records.insert(index * count // len(GARBAGE * 4), (f"garbage-{index}".encode(), payload))
    return records


def produce_aborted(kafka: KafkaSettings, topic: str, records: list[tuple[bytes | None, bytes]]) -> None:
    """Write records in a transaction that is aborted: a read_committed worker must never process them."""
    producer = clients.producer(kafka, transactional_id=f"aborting-{uuid.uuid4().hex[:8]}")
    try:
        producer.init_transactions()
        producer.begin_transaction()
        for key, payload in records:
            producer.send(topic, payload, key=key)
        producer.flush()
        producer.abort_transaction()
    finally:
        producer.close()


def expected_per_input(produced: list[Produced], topic: str) -> Counter[tuple[int, int, str, bytes]]:
    """Each raw record's outputs by (partition, offset, role, value), as the offline runner makes them."""
    settings = PipelineSettings()
    expected: Counter[tuple[int, int, str, bytes]] = Counter()
    for item in produced:
        record = item.source(topic)
        for event in run_stage(CLEAN, record, settings).events:
            if event.topic_role == "cleaned":
                expected[(item.partition, item.offset, "cleaned", event.value)] += 1
        for event in run_pipeline(record, settings):
            expected[(item.partition, item.offset, event.topic_role, event.value)] += 1
    return expected


def seen_per_input(collected: Collected) -> Counter[tuple[int, int, str, bytes]]:
    return Counter(
        (int(hdrs[h.SOURCE_PARTITION]), int(hdrs[h.SOURCE_OFFSET]), role, value)
        for role, _, value, hdrs in collected.records
    )


def assert_exactly_once(collected: Collected, produced: list[Produced], topic: str) -> None:
    expected, seen = expected_per_input(produced, topic), seen_per_input(collected)
    duplicated = {output[:3]: count for output, count in seen.items() if count > expected[output]}
    missing = {output[:3]: count for output, count in (expected - seen).items()}
    assert not duplicated, f"{len(duplicated)} outputs seen more than once: {sorted(duplicated.items())[:5]}"
    assert not missing, f"{len(missing)} outputs missing: {sorted(missing.items())[:5]}"
    assert seen == expected
    roles = Counter(output[2] for output in seen.elements())
    assert roles["article"] and roles["deadletter"] and roles["link"] and roles["cleaned"], roles


def exactly_once_env(kafka: KafkaSettings, topics: TopicNames, group: str, tmp_path: Path) -> dict[str, str]:
    return worker_env(kafka, topics, group, tmp_path, NEWSFLOW_PROCESSING_GUARANTEE="exactly_once", **FAST_SESSIONS)


def wait_until_ready(worker: Worker, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if worker.status("/readyz") == 200:
                return
        except OSError:  # not serving yet
            pass
        time.sleep(0.2)
    pytest.fail(f"the worker was not ready within {timeout_s} s:\n{worker.log()}")


def everything_finished(produced: list[Produced], topic: str) -> Callable[[Collected], bool]:
    wanted = {(item.partition, item.offset) for item in produced}
    return lambda collected: collected.finished(topic) >= wanted


def run_with_random_kills(
    kafka: KafkaSettings,
    start_worker: Callable[..., Worker],
    tmp_path: Path,
    rng: random.Random,
    kills_per_run: int,
    count: int,
) -> list[int]:
    """One run on fresh topics: kill -9 the worker several times and restart it; how many inputs were
    committed at each kill. Asserts every output was seen exactly once."""
    topics = TopicNames.prefixed(f"t{uuid.uuid4().hex[:10]}")
    clients.ensure_pipeline_topics(kafka, topics)
    produced = produce(kafka, topics.raw, inputs(count))
    # Small batches: more transactions, so more of them are open when the kill comes.
    env = dict(exactly_once_env(kafka, topics, f"g{uuid.uuid4().hex[:8]}", tmp_path), NEWSFLOW_STREAM_BATCH_MAX="64")
    workers = [start_worker(env)]
    # Kill when a random share of the inputs is committed, a random moment later (mostly mid-transaction), and
    # each time only once the restarted worker has committed something itself.
    thresholds = sorted(rng.uniform(0.1, 0.75) * len(produced) for _ in range(kills_per_run))
    kills: list[int] = []

    def kill_at_random_moments(collected: Collected) -> None:
        finished = len(collected.finished(topics.raw))
        due = len(kills) < len(thresholds) and finished >= thresholds[len(kills)]
        if due and (not kills or finished > kills[-1]):
            time.sleep(rng.uniform(0, 0.5))
            os.kill(workers[-1].process.pid, signal.SIGKILL)
            workers[-1].process.wait()
            kills.append(finished)
            workers.append(start_worker(env))

    try:
        collected = collect(
            kafka,
            topics,
            everything_finished(produced, topics.raw),
            150,
            during=kill_at_random_moments,
            isolation_level="read_committed",
        )
        assert len(kills) == kills_per_run, (kills, workers[-1].log())
        assert_exactly_once(collected, produced, topics.raw)
        wait_until_ready(workers[-1])  # a worker started after the last kill may still be starting
        workers[-1].process.send_signal(signal.SIGTERM)
        assert workers[-1].process.wait(timeout=30) == 0, workers[-1].log()
    finally:
        clients.delete_topics(kafka, clients.all_topic_names(topics))
    return kills


@ON_APACHE_KAFKA
def test_exactly_once_across_kill_9_at_random_moments_in_a_loop_of_runs(
    kafka_settings: KafkaSettings, start_worker: Callable[..., Worker], tmp_path: Path
) -> None:
    runs, kills_per_run, count = 3, 3, 800
    rng = random.Random()
    summary = []
    for run in range(runs):
        kills = run_with_random_kills(kafka_settings, start_worker, tmp_path, rng, kills_per_run, count)
        summary.append(f"run {run + 1}: killed after {kills} inputs committed")
    print("; ".join(summary) + f" (of {count + len(GARBAGE) * 4} each); every output exactly once")


@ON_APACHE_KAFKA
def test_exactly_once_across_a_member_joining_a_paused_zombie_and_a_member_leaving(
    kafka_settings: KafkaSettings, fresh_topics: TopicNames, start_worker: Callable[..., Worker], tmp_path: Path
) -> None:
    """Rebalances under load; the paused member outlives its session with a batch in hand, is fenced by the
    member that took its partitions, and must not commit anything when it wakes up. The raw topic also holds an
    aborted upstream transaction, whose records must cause no output."""
    text = seed_text()
    produce_aborted(kafka_settings, fresh_topics.raw, [(b"aborted", envelope(100_000 + i, text)) for i in range(40)])
    produced = produce(kafka_settings, fresh_topics.raw, inputs(1500))
    group = f"g{uuid.uuid4().hex[:8]}"
    env = exactly_once_env(kafka_settings, fresh_topics, group, tmp_path)
    workers = [start_worker(env)]
    events: list[str] = []
    handled_by_second: list[float] = []

    def join_pause_leave(collected: Collected) -> None:
        finished = len(collected.finished(fresh_topics.raw))
        if not events and finished >= 150:
            workers.append(start_worker(exactly_once_env(kafka_settings, fresh_topics, group, tmp_path)))
            events.append(f"joined after {finished}")
        elif len(events) == 1 and finished >= 500:
            os.kill(workers[0].process.pid, signal.SIGSTOP)
            time.sleep(4)  # twice the session: the group gives its partitions to the other member
            os.kill(workers[0].process.pid, signal.SIGCONT)
            events.append(f"first paused 4 s after {finished}")
        elif len(events) == 2 and finished >= 1000:
            handled_by_second.append(workers[1].metric("newsflow_messages_in_total"))
            workers[1].process.send_signal(signal.SIGTERM)
            events.append(f"second left after {finished}")

    collected = collect(
        kafka_settings,
        fresh_topics,
        everything_finished(produced, fresh_topics.raw),
        180,
        during=join_pause_leave,
        isolation_level="read_committed",
    )

    assert len(events) == 3, (events, workers[0].log())
    assert handled_by_second[0] > 0, workers[1].log()
    assert_exactly_once(collected, produced, fresh_topics.raw)
    assert workers[1].process.wait(timeout=30) == 0, workers[1].log()
    assert workers[0].process.poll() is None, workers[0].log()
    workers[0].process.send_signal(signal.SIGTERM)
    assert workers[0].process.wait(timeout=30) == 0, workers[0].log()
    print(f"{'; '.join(events)} of {len(produced)} inputs; every output exactly once")


@ON_TANSU
def test_exactly_once_is_refused_at_start_up_on_tansu_which_has_no_transactions(
    kafka_settings: KafkaSettings, fresh_topics: TopicNames, start_worker: Callable[..., Worker], tmp_path: Path
) -> None:
    env = worker_env(
        kafka_settings, fresh_topics, f"g{uuid.uuid4().hex[:8]}", tmp_path, NEWSFLOW_PROCESSING_GUARANTEE="exactly_once"
    )
    started = time.monotonic()
    worker = start_worker(env)
    status = worker.process.wait(timeout=60)

    output = worker.log()
    assert status == 2, output
    assert time.monotonic() - started < 30
    assert "refusing to start: NEWSFLOW_PROCESSING_GUARANTEE=exactly_once needs Kafka transactions" in output
    assert "Tansu" in output and "NEWSFLOW_PROCESSING_GUARANTEE=at_least_once" in output
    assert "Traceback" not in output


@ON_APACHE_KAFKA
@pytest.mark.parametrize("guarantee", ["at_least_once", "exactly_once"])
def test_a_session_timeout_below_the_brokers_floor_is_refused_at_start_up(
    guarantee: str,
    kafka_settings: KafkaSettings,
    fresh_topics: TopicNames,
    start_worker: Callable[..., Worker],
    tmp_path: Path,
) -> None:
    env = worker_env(
        kafka_settings,
        fresh_topics,
        f"g{uuid.uuid4().hex[:8]}",
        tmp_path,
        NEWSFLOW_PROCESSING_GUARANTEE=guarantee,
        KAFKA_SESSION_TIMEOUT_MS="500",  # the test broker's group.min.session.timeout.ms is 1000
        KAFKA_HEARTBEAT_INTERVAL_MS="100",
    )
    worker = start_worker(env)
    try:
        status = worker.process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the worker still runs a minute later:\n{worker.log()}")

    output = worker.log()
    assert status == 2, output
    assert (
        "refusing to start: KAFKA_SESSION_TIMEOUT_MS=500 is below the brokers' group.min.session.timeout.ms=1000"
        in output
    )
    assert "Traceback" not in output
