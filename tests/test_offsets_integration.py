"""`newsflow offsets` against a real broker: refuses while a worker is a member of the group, resets once it left."""

from __future__ import annotations

import time
import uuid

import orjson
import pytest
from kafka import KafkaConsumer, TopicPartition
from kafka.structs import OffsetAndMetadata

from tests.test_replay_support import BASE_MS, article, cli_env, produce
from workers import cli
from workers.broker import clients
from workers.settings import KafkaSettings, TopicNames
from workers.tools import offsets
from workers.tools.offset_lookup import BINARY_SEARCH, BROKER

pytestmark = pytest.mark.integration


def _committed(kafka: KafkaSettings, group: str, topic: str) -> dict[int, int]:
    admin = clients.admin(kafka)
    try:
        answer = admin.list_group_offsets({group: [TopicPartition(topic, p) for p in range(4)]})[group]
    finally:
        admin.close()
    return {tp.partition: meta.offset for tp, meta in answer.items() if meta.offset >= 0}


def _join(kafka: KafkaSettings, group: str, topic: str) -> KafkaConsumer:
    """An active member of the group, as a running worker is: joined, assigned, committing."""
    member = clients.consumer(kafka, group_id=group, session_timeout_ms=6000, heartbeat_interval_ms=1000)
    member.subscribe([topic])
    deadline = time.monotonic() + 30
    while not member.assignment() and time.monotonic() < deadline:
        member.poll(timeout_ms=200)
    assert member.assignment(), "the member did not join the group"
    while member.poll(timeout_ms=500):
        pass
    member.commit()
    return member


def test_offsets_reset_refuses_while_a_worker_is_running_and_resets_after_it_stopped(
    kafka_settings: KafkaSettings,
    fresh_topics: TopicNames,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    broker_engine: str,
) -> None:
    topic = fresh_topics.raw
    produce(kafka_settings, topic, ((f"story-{i}".encode(), article(i), BASE_MS + i * 1000) for i in range(80)))
    group = f"workers-{uuid.uuid4().hex[:8]}"
    for name, value in cli_env(kafka_settings, fresh_topics, group).items():
        monkeypatch.setenv(name, value)

    member = _join(kafka_settings, group, topic)
    try:
        at_end = _committed(kafka_settings, group, topic)
        assert sum(at_end.values()) == 80
        code = cli.main(["offsets", "--group", group, "--topic", topic, "--to-earliest", "--execute"])
        captured = capsys.readouterr()
        assert code == 1
        assert "REFUSED" in captured.out and "has active members" in captured.err
        # How it was found out: Apache Kafka answers DescribeGroups; Tansu's answer is wrong, so a probe join tells.
        assert ("DescribeGroups: state Stable" if broker_engine == "kafka" else "UnknownMemberIdError") in captured.out
        assert _committed(kafka_settings, group, topic) == at_end
    finally:
        member.close()  # leaves the group, as a worker does on SIGTERM

    code = cli.main(["offsets", "--group", group, "--to-datetime", "2026-09-21T14:13:40Z", "--json"])
    report = orjson.loads(capsys.readouterr().out)
    assert code == 0 and report["membership"] == offsets.EMPTY and not report["executed"]
    # 2026-09-21T14:13:40Z is BASE_MS + 20 s: the 20 records before it are spread over the partitions.
    assert sum(p["target"] for p in report["partitions"]) == 20
    assert {p["path"] for p in report["partitions"]} == {BROKER if broker_engine == "kafka" else BINARY_SEARCH}
    assert _committed(kafka_settings, group, topic) == at_end  # a dry run commits nothing new

    code = cli.main(["offsets", "--group", group, "--shift-by", "-5", "--execute"])
    assert code == 0, capsys.readouterr().out
    assert _committed(kafka_settings, group, topic) == {p: max(0, n - 5) for p, n in at_end.items()}
    capsys.readouterr()
    code = cli.main(["offsets", "--group", group, "--to-earliest", "--execute"])
    assert code == 0, capsys.readouterr().out
    assert _committed(kafka_settings, group, topic) == dict.fromkeys(at_end, 0)


def test_offsets_reset_refuses_when_the_broker_cannot_say_unless_forced(
    kafka_settings: KafkaSettings, fresh_topics: TopicNames
) -> None:
    topic = fresh_topics.raw
    produce(kafka_settings, topic, ((f"story-{i}".encode(), article(i), BASE_MS + i * 1000) for i in range(8)))
    group = f"never-committed-{uuid.uuid4().hex[:8]}"
    # No committed offsets to probe with, and DescribeGroups fails on this broker: nobody can say.
    report = offsets.reset(kafka_settings, group, [topic], offsets.ResetTarget("to-latest"), True, False)
    assert report.membership.state == offsets.UNKNOWN and report.refused and not report.executed
    assert "cannot say" in report.refused and "--force" in report.refused
    report = offsets.reset(kafka_settings, group, [topic], offsets.ResetTarget("to-latest"), True, True)
    assert report.executed and not report.failed
    assert sum(p.target or 0 for p in report.partitions) == 8
    admin = clients.admin(kafka_settings)
    try:
        committed = admin.list_group_offsets({group: [TopicPartition(topic, p) for p in range(4)]})[group]
    finally:
        admin.close()
    assert sum(meta.offset for meta in committed.values()) == 8
    assert all(isinstance(meta, OffsetAndMetadata) for meta in committed.values())
