"""kafka-python clients configured from Settings, and topic administration."""

from __future__ import annotations

import contextlib
import logging
import ssl
import time
from collections.abc import Iterable, Mapping
from typing import Any

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import ConfigResource, ConfigResourceType
from kafka.errors import KafkaError, TopicAlreadyExistsError, UnknownTopicOrPartitionError

from workers.broker import topic_policy
from workers.settings import KafkaSettings, TopicNames

log = logging.getLogger(__name__)


def bootstrap_servers(kafka: KafkaSettings) -> list[str]:
    """The `host:port` of each bootstrap server, for every client (kafka-python, faust, aiokafka)."""
    if not kafka.bootstrap_servers:
        raise ValueError("no bootstrap servers: set KAFKA_BOOTSTRAP_SERVERS (or use `newsflow dev`)")
    return [server.strip() for server in kafka.bootstrap_servers.split(",")]


def ssl_context(kafka: KafkaSettings) -> ssl.SSLContext | None:
    """The TLS context of the asyncio clients (faust, aiokafka) when the security protocol asks for TLS."""
    if kafka.security_protocol.upper() in ("SSL", "SASL_SSL"):
        return ssl.create_default_context(cafile=kafka.ssl_cafile)
    return None


def connection_config(kafka: KafkaSettings) -> dict[str, Any]:
    """bootstrap, client id and security options shared by every kafka-python client."""
    config: dict[str, Any] = {
        "bootstrap_servers": bootstrap_servers(kafka),
        "client_id": kafka.client_id,
        "security_protocol": kafka.security_protocol,
    }
    if kafka.sasl_mechanism:
        config.update(
            sasl_mechanism=kafka.sasl_mechanism,
            sasl_plain_username=kafka.sasl_username,
            sasl_plain_password=kafka.sasl_password,
        )
    if kafka.ssl_cafile:
        config["ssl_cafile"] = kafka.ssl_cafile
    return config


def producer(kafka: KafkaSettings, **overrides: Any) -> KafkaProducer:
    """A producer that waits for all replicas, batches well, and accepts messages up to the broker limit."""
    options: dict[str, Any] = {
        "acks": "all",
        "linger_ms": 5,
        "batch_size": 262144,
        "max_request_size": kafka.max_request_bytes,
        "retries": 2147483647,
        "retry_backoff_ms": 200,
    }
    options.update(overrides)
    return KafkaProducer(**connection_config(kafka), **options)


def consumer(kafka: KafkaSettings, **overrides: Any) -> KafkaConsumer:
    """A consumer without a group unless one is passed, fetching messages up to the broker limit."""
    options: dict[str, Any] = {
        "enable_auto_commit": False,
        "auto_offset_reset": "earliest",
        "fetch_max_bytes": kafka.max_request_bytes,
        "max_partition_fetch_bytes": kafka.max_request_bytes,
        "session_timeout_ms": kafka.session_timeout_ms,
        "heartbeat_interval_ms": kafka.heartbeat_interval_ms,
    }
    options.update(overrides)
    return KafkaConsumer(**connection_config(kafka), **options)


def admin(kafka: KafkaSettings) -> KafkaAdminClient:
    return KafkaAdminClient(**connection_config(kafka))


def ensure_topics(kafka: KafkaSettings, configs_by_topic: Mapping[str, Mapping[str, str]], attempts: int = 20) -> None:
    """Create the topics that are missing, with the configured partitions and replication factor and their configs.

    Existing topics are left as they are: their settings belong to whoever runs the cluster.
    """
    wanted = sorted(configs_by_topic)
    for attempt in range(1, attempts + 1):
        try:
            client = admin(kafka)
            try:
                existing = set(client.list_topics())
                missing = [name for name in wanted if name not in existing]
                if missing:
                    new_topics = {
                        name: {
                            "num_partitions": kafka.partitions,
                            "replication_factor": kafka.replication_factor,
                            "configs": dict(configs_by_topic[name]),
                        }
                        for name in missing
                    }
                    with contextlib.suppress(TopicAlreadyExistsError):  # another worker created them first
                        # Waiting for the metadata: on Apache Kafka a DescribeConfigs sent just after CreateTopics
                        # answered, for a moment, with no configs at all for the new topic.
                        client.create_topics(new_topics, wait_for_metadata=True)
                    log.info("created topics", extra={"topics": missing, "partitions": kafka.partitions})
                return
            finally:
                client.close()
        except KafkaError as error:
            if attempt == attempts:
                raise
            log.warning("topic creation failed, retrying", extra={"error": str(error), "attempt": attempt})
            time.sleep(min(0.2 * attempt, 2.0))


def ensure_pipeline_topics(kafka: KafkaSettings, topics: TopicNames, roles: Iterable[str] = topic_policy.ROLES) -> None:
    """Create the missing topics of these roles, each with its role's retention or compaction."""
    ensure_topics(kafka, topic_policy.pipeline_topic_configs(topics, kafka, roles))


def topic_configs(kafka: KafkaSettings, topic: str) -> dict[str, str]:
    """The effective configs of a topic as the broker reports them (set on the topic, or the broker's defaults)."""
    client = admin(kafka)
    try:
        # "all", not only "modified": a topic without its own retention.ms has the broker's, which is what counts.
        described = client.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)], config_filter="all")
    finally:
        client.close()
    entries = described.get("topic", {}).get(topic, {})
    return {name: entry["value"] for name, entry in entries.items() if entry.get("value") is not None}


def warn_if_raw_retention_short(kafka: KafkaSettings, raw_topic: str) -> bool:
    """Log one warning when the raw topic keeps records for less than the replay horizon; True when it did."""
    try:
        configs = topic_configs(kafka, raw_topic)
    except KafkaError as error:  # a cluster may deny DescribeConfigs; the worker runs on without the check
        log.info("could not read the raw topic's retention", extra={"topic": raw_topic, "error": str(error)})
        return False
    if "retention.ms" not in configs:
        log.info("the broker did not report the raw topic's retention.ms", extra={"topic": raw_topic})
        return False
    retention_ms, horizon_ms = int(configs["retention.ms"]), kafka.replay_retention_ms
    if not topic_policy.shorter_than_horizon(retention_ms, horizon_ms):
        return False
    log.warning(
        f"topic {raw_topic} keeps records for {topic_policy.describe_duration(retention_ms)} "
        f"(retention.ms={retention_ms}), less than the replay horizon "
        f"NEWSFLOW_REPLAY_RETENTION={topic_policy.describe_duration(horizon_ms)}: older raw articles cannot be "
        "replayed; raise the topic's retention.ms (kafka-configs.sh --alter --entity-type topics)",
        extra={"topic": raw_topic, "retention_ms": retention_ms, "replay_horizon_ms": horizon_ms},
    )
    return True


def delete_topics(kafka: KafkaSettings, names: Iterable[str]) -> None:
    """Delete topics (the local broker keeps every record in memory until its topic is deleted)."""
    client = admin(kafka)
    try:
        existing = set(client.list_topics())
        doomed = [name for name in names if name in existing]
        if doomed:
            with contextlib.suppress(UnknownTopicOrPartitionError):
                client.delete_topics(doomed)
    finally:
        client.close()


def all_topic_names(topics: TopicNames) -> list[str]:
    return [topics.raw, topics.cleaned, topics.articles, topics.links, topics.deadletter]


def session_timeout_refusal(kafka: KafkaSettings) -> str | None:
    """Why the brokers would refuse the consumer's session timeout (None when they accept it, or do not say).

    A group member whose session.timeout.ms lies outside the broker's group.min/max.session.timeout.ms is
    refused at every JoinGroup (INVALID_SESSION_TIMEOUT); the consumer logs that and retries for ever, so the
    worker would look alive and consume nothing. The bounds are read from the broker's configuration.
    """
    client = admin(kafka)
    try:
        brokers = client.describe_cluster()["brokers"]
        if not brokers:
            return None
        broker_id = str(brokers[0]["broker_id"])
        described = client.describe_configs([ConfigResource(ConfigResourceType.BROKER, broker_id)], config_filter="all")
    except KafkaError as error:  # a cluster may deny DescribeConfigs; the worker runs on without the check
        log.info("could not read the brokers' session timeout bounds", extra={"error": str(error)})
        return None
    finally:
        client.close()
    entries = described.get("broker", {}).get(broker_id, {})
    bounds = {
        name: int(entries[name]["value"])
        for name in ("group.min.session.timeout.ms", "group.max.session.timeout.ms")
        if entries.get(name, {}).get("value") is not None
    }
    timeout_ms = kafka.session_timeout_ms
    lowest, highest = bounds.get("group.min.session.timeout.ms"), bounds.get("group.max.session.timeout.ms")
    if lowest is not None and timeout_ms < lowest:
        return (
            f"KAFKA_SESSION_TIMEOUT_MS={timeout_ms} is below the brokers' group.min.session.timeout.ms={lowest}: "
            f"they would refuse every group join; set KAFKA_SESSION_TIMEOUT_MS to at least {lowest}"
        )
    if highest is not None and timeout_ms > highest:
        return (
            f"KAFKA_SESSION_TIMEOUT_MS={timeout_ms} is above the brokers' group.max.session.timeout.ms={highest}: "
            f"they would refuse every group join; set KAFKA_SESSION_TIMEOUT_MS to at most {highest}"
        )
    return None
