"""On a real broker: topics newsflow creates carry their role's retention and compaction, and a raw topic that
keeps less than the replay horizon is reported once at start-up."""

from __future__ import annotations

import logging
import uuid
from dataclasses import replace

import pytest

from workers.broker import clients, topic_policy
from workers.settings import KafkaSettings, TopicNames

pytestmark = pytest.mark.integration

WEEK_MS = 7 * 24 * 3600 * 1000


def test_topics_created_by_newsflow_carry_their_retention_and_compaction(
    kafka_settings: KafkaSettings, fresh_topics: TopicNames
) -> None:
    # fresh_topics were created by clients.ensure_pipeline_topics, as every worker creates missing topics.
    reported = {name: clients.topic_configs(kafka_settings, name) for name in clients.all_topic_names(fresh_topics)}
    assert reported[fresh_topics.raw]["retention.ms"] == "-1"
    assert reported[fresh_topics.raw]["cleanup.policy"] == "delete"
    assert reported[fresh_topics.articles]["cleanup.policy"] == "compact"
    assert reported[fresh_topics.articles]["delete.retention.ms"] == str(topic_policy.COMPACTED_DELETE_RETENTION_MS)
    assert reported[fresh_topics.links]["cleanup.policy"] == "delete"
    assert reported[fresh_topics.links]["retention.ms"] == "-1"
    assert reported[fresh_topics.deadletter]["retention.ms"] == "-1"
    for name, configs in reported.items():
        assert configs["max.message.bytes"] == str(kafka_settings.max_request_bytes), name


def test_an_existing_raw_topic_keeping_less_than_the_horizon_is_reported_in_one_line(
    kafka_settings: KafkaSettings, caplog: pytest.LogCaptureFixture
) -> None:
    raw = f"t{uuid.uuid4().hex[:10]}.raw"
    # Created by someone else, with a week's retention; newsflow leaves an existing topic's settings alone.
    clients.ensure_topics(kafka_settings, {raw: {"cleanup.policy": "delete", "retention.ms": str(WEEK_MS)}})
    try:
        with caplog.at_level(logging.INFO, logger="workers.broker.clients"):
            clients.ensure_pipeline_topics(kafka_settings, TopicNames(raw=raw), roles=["raw"])
            assert clients.topic_configs(kafka_settings, raw)["retention.ms"] == str(WEEK_MS)
            assert clients.warn_if_raw_retention_short(kafka_settings, raw) is True
            ninety_days = replace(kafka_settings, replay_retention_ms=90 * 24 * 3600 * 1000)
            assert clients.warn_if_raw_retention_short(ninety_days, raw) is True
            five_days = replace(kafka_settings, replay_retention_ms=5 * 24 * 3600 * 1000)
            assert clients.warn_if_raw_retention_short(five_days, raw) is False
        warnings = [record for record in caplog.records if record.levelno == logging.WARNING]
        assert [record.getMessage().split(":")[0] for record in warnings] == [
            f"topic {raw} keeps records for 7 days (retention.ms={WEEK_MS}), less than the replay horizon "
            "NEWSFLOW_REPLAY_RETENTION=unlimited",
            f"topic {raw} keeps records for 7 days (retention.ms={WEEK_MS}), less than the replay horizon "
            "NEWSFLOW_REPLAY_RETENTION=90 days",
        ]
    finally:
        clients.delete_topics(kafka_settings, [raw])


def test_a_raw_topic_created_by_newsflow_is_not_reported(
    kafka_settings: KafkaSettings, fresh_topics: TopicNames, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="workers.broker.clients"):
        assert clients.warn_if_raw_retention_short(kafka_settings, fresh_topics.raw) is False
    assert not caplog.records
