"""Shared fixtures: one real Kafka-protocol broker for the whole session, fresh topic names per test."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from workers.broker import clients
from workers.broker.apache_kafka import ApacheKafkaBroker, missing_tools
from workers.broker.local import LocalBroker, free_port
from workers.settings import KafkaSettings, TopicNames

# ../shared sits beside the checkout for developers and CI only; tests that read it skip without it.
SHARED_DIR = Path(__file__).resolve().parents[2] / "shared"
FIXTURES_DIR = Path(__file__).resolve().parent / "fixtures"
BROKER_ENGINES = ("tansu", "kafka")


def shared_path(*parts: str) -> Path:
    """A path under ../shared, skipping the test with a clear reason when it is absent."""
    path = SHARED_DIR.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: ../shared is only beside developer and CI checkouts")
    return path


def require_apache_kafka_tools() -> None:
    """Skip the test when Java or Maven is missing, or fail it where NEWSFLOW_TEST_REQUIRE_ALL_BROKERS says so."""
    missing = missing_tools()
    if missing:
        reason = f"Apache Kafka tier needs Java 17+ and Maven; not found: {', '.join(missing)}"
        if os.environ.get("NEWSFLOW_TEST_REQUIRE_ALL_BROKERS"):
            pytest.fail(reason)
        pytest.skip(reason)


def broker_engines() -> list[str]:
    """The brokers the integration tests run on: NEWSFLOW_TEST_BROKERS (comma-separated), by default both."""
    if os.environ.get("NEWSFLOW_TEST_BOOTSTRAP_SERVERS"):
        return ["external"]
    chosen = [name.strip() for name in os.environ.get("NEWSFLOW_TEST_BROKERS", ",".join(BROKER_ENGINES)).split(",")]
    unknown = sorted(set(chosen) - set(BROKER_ENGINES))
    if unknown:
        raise pytest.UsageError(f"NEWSFLOW_TEST_BROKERS: unknown broker {unknown}; choose from {BROKER_ENGINES}")
    return chosen


@pytest.fixture(scope="session", params=broker_engines())
def broker(request: pytest.FixtureRequest) -> Iterator[LocalBroker | ApacheKafkaBroker]:
    """A real broker on a free loopback port, started once per test session and engine.

    Every integration test runs on the embedded Tansu broker (what `newsflow dev` uses) and on Apache Kafka (what
    users run). A machine without Java or Maven skips the Apache Kafka tier with the reason, unless
    NEWSFLOW_TEST_REQUIRE_ALL_BROKERS is set (CI sets it: there a missing tier is a failure, not a skip).
    NEWSFLOW_TEST_BOOTSTRAP_SERVERS points the tests at another Kafka cluster instead.
    """
    external = os.environ.get("NEWSFLOW_TEST_BOOTSTRAP_SERVERS")
    if external:
        host, _, port = external.partition(":")
        yield LocalBroker(port=int(port or 9092), host=host)
        return
    if request.param == "kafka":
        require_apache_kafka_tools()
        with ApacheKafkaBroker(port=free_port()) as kafka:
            yield kafka
        return
    with LocalBroker(port=free_port()) as local:
        yield local


@pytest.fixture(scope="session")
def broker_engine(broker: LocalBroker | ApacheKafkaBroker) -> str:
    """Which broker the test runs on, for the few answers where Tansu's faults show ("tansu", "kafka")."""
    return "kafka" if isinstance(broker, ApacheKafkaBroker) else "tansu"


@pytest.fixture(scope="session")
def kafka_settings(broker: LocalBroker | ApacheKafkaBroker) -> KafkaSettings:
    # Short session timeouts make a group join take a few seconds instead of ~25 s on this broker (docs/deployment.md).
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
