"""Shared fixtures: one real Kafka-protocol broker for the whole session, fresh topic names per test."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from workers.broker import clients
from workers.broker.local import LocalBroker, free_port
from workers.settings import KafkaSettings, TopicNames

# ../shared sits beside the checkout for developers and CI only; tests that read it skip without it.
SHARED_DIR = Path(__file__).resolve().parents[2] / "shared"
FIXTURES_DIR = Path(__file__).resolve().parent / "fixtures"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, skipping the test with a clear reason when it is absent."""
    path = SHARED_DIR.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: ../shared is only beside developer and CI checkouts")
    return path


@pytest.fixture(scope="session")
def broker() -> Iterator[LocalBroker]:
    """The local Tansu broker on a free loopback port, started once per test session.

    NEWSFLOW_TEST_BOOTSTRAP_SERVERS points the tests at another Kafka cluster instead.
    """
    external = os.environ.get("NEWSFLOW_TEST_BOOTSTRAP_SERVERS")
    if external:
        host, _, port = external.partition(":")
        yield LocalBroker(port=int(port or 9092), host=host)
        return
    with LocalBroker(port=free_port()) as local:
        yield local


@pytest.fixture(scope="session")
def kafka_settings(broker: LocalBroker) -> KafkaSettings:
    # Short session timeouts make a group join take a few seconds instead of ~25 s on this broker (docs/streaming.md).
    return KafkaSettings(
        bootstrap_servers=broker.bootstrap_servers, session_timeout_ms=6000, heartbeat_interval_ms=1000
    )


@pytest.fixture
def fresh_topics(kafka_settings: KafkaSettings) -> Iterator[TopicNames]:
    """Topic names no other test uses, created up front and deleted afterwards (the broker keeps all in memory)."""
    prefix = f"t{uuid.uuid4().hex[:10]}"
    topics = TopicNames.prefixed(prefix)
    clients.ensure_pipeline_topics(kafka_settings, topics)
    yield topics
    clients.delete_topics(kafka_settings, clients.all_topic_names(topics))
