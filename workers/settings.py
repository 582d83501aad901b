"""One settings object, built from environment variables with sane defaults, passed down to every part."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

# Bump when any stage's output can change for the same input: replays and diffs compare by it.
PIPELINE_VERSION = "1.2.0"


@dataclass(frozen=True)
class PipelineSettings:
    """What the pure stages may read. Nothing here comes from the clock or the network."""

    pipeline_version: str = PIPELINE_VERSION
    max_message_bytes: int = 5 * 1024 * 1024
    # A safety valve against pathological input; stages are also bounded by construction.
    message_time_limit_s: float = 10.0
    # Texts shorter than this after cleaning are not articles (a teaser, a cookie wall, an error page).
    min_body_chars: int = 200
    # Used when neither the envelope nor the transport gives a reference time (CLI --reference-time).
    default_reference_time: str | None = None


@dataclass(frozen=True)
class TopicNames:
    raw: str = "news.articles.raw"
    cleaned: str = "news.articles.cleaned"
    articles: str = "news.articles.normalized"
    links: str = "news.links.related"
    deadletter: str = "news.articles.deadletter"

    def for_role(self, role: str) -> str:
        return {
            "raw": self.raw,
            "cleaned": self.cleaned,
            "article": self.articles,
            "link": self.links,
            "deadletter": self.deadletter,
        }[role]

    @classmethod
    def prefixed(cls, prefix: str) -> TopicNames:
        """A full set of topic names under one prefix (tests and benchmarks use a fresh prefix each run)."""
        return cls(
            raw=f"{prefix}.raw",
            cleaned=f"{prefix}.cleaned",
            articles=f"{prefix}.normalized",
            links=f"{prefix}.related",
            deadletter=f"{prefix}.deadletter",
        )

    def versioned(self, version: str) -> TopicNames:
        """Output topic names for a shadow replay under another pipeline version (inputs stay)."""
        return replace(
            self,
            cleaned=f"{self.cleaned}.{version}",
            articles=f"{self.articles}.{version}",
            links=f"{self.links}.{version}",
            deadletter=f"{self.deadletter}.{version}",
        )


@dataclass(frozen=True)
class KafkaSettings:
    bootstrap_servers: str | None = None  # None: use the embedded local broker
    client_id: str = "newsflow"
    group_id: str = "newsflow-workers"
    security_protocol: str = "PLAINTEXT"
    sasl_mechanism: str | None = None
    sasl_username: str | None = None
    sasl_password: str | None = None
    ssl_cafile: str | None = None
    partitions: int = 4
    replication_factor: int = 1
    # Messages up to 16 MB must pass through the broker, the pipeline's own limit dead-letters them.
    max_request_bytes: int = 17 * 1024 * 1024
    session_timeout_ms: int = 6000
    heartbeat_interval_ms: int = 1000


@dataclass(frozen=True)
class Settings:
    pipeline: PipelineSettings = field(default_factory=PipelineSettings)
    topics: TopicNames = field(default_factory=TopicNames)
    kafka: KafkaSettings = field(default_factory=KafkaSettings)
    metrics_port: int = 9108
    log_level: str = "INFO"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Build settings from NEWSFLOW_* and KAFKA_* environment variables."""
        env = os.environ if env is None else env

        def text(name: str, default: str | None) -> str | None:
            value = env.get(name)
            return value if value not in (None, "") else default

        def number(name: str, default: int) -> int:
            value = env.get(name)
            return int(value) if value else default

        def seconds(name: str, default: float) -> float:
            value = env.get(name)
            return float(value) if value else default

        base_pipeline = PipelineSettings()
        pipeline = PipelineSettings(
            max_message_bytes=number("NEWSFLOW_MAX_MESSAGE_BYTES", base_pipeline.max_message_bytes),
            message_time_limit_s=seconds("NEWSFLOW_MESSAGE_TIME_LIMIT_S", base_pipeline.message_time_limit_s),
            min_body_chars=number("NEWSFLOW_MIN_BODY_CHARS", base_pipeline.min_body_chars),
            default_reference_time=text("NEWSFLOW_REFERENCE_TIME", None),
            pipeline_version=text("NEWSFLOW_PIPELINE_VERSION", PIPELINE_VERSION) or PIPELINE_VERSION,
        )
        base_topics = TopicNames()
        topics = TopicNames(
            raw=text("NEWSFLOW_TOPIC_RAW", base_topics.raw) or base_topics.raw,
            cleaned=text("NEWSFLOW_TOPIC_CLEANED", base_topics.cleaned) or base_topics.cleaned,
            articles=text("NEWSFLOW_TOPIC_ARTICLES", base_topics.articles) or base_topics.articles,
            links=text("NEWSFLOW_TOPIC_LINKS", base_topics.links) or base_topics.links,
            deadletter=text("NEWSFLOW_TOPIC_DEADLETTER", base_topics.deadletter) or base_topics.deadletter,
        )
        base_kafka = KafkaSettings()
        kafka = KafkaSettings(
            bootstrap_servers=text("KAFKA_BOOTSTRAP_SERVERS", None),
            client_id=text("KAFKA_CLIENT_ID", base_kafka.client_id) or base_kafka.client_id,
            group_id=text("NEWSFLOW_GROUP_ID", base_kafka.group_id) or base_kafka.group_id,
            security_protocol=text("KAFKA_SECURITY_PROTOCOL", base_kafka.security_protocol)
            or base_kafka.security_protocol,
            sasl_mechanism=text("KAFKA_SASL_MECHANISM", None),
            sasl_username=text("KAFKA_SASL_USERNAME", None),
            sasl_password=text("KAFKA_SASL_PASSWORD", None),
            ssl_cafile=text("KAFKA_SSL_CAFILE", None),
            partitions=number("NEWSFLOW_TOPIC_PARTITIONS", base_kafka.partitions),
            replication_factor=number("NEWSFLOW_TOPIC_REPLICATION", base_kafka.replication_factor),
            session_timeout_ms=number("KAFKA_SESSION_TIMEOUT_MS", base_kafka.session_timeout_ms),
            heartbeat_interval_ms=number("KAFKA_HEARTBEAT_INTERVAL_MS", base_kafka.heartbeat_interval_ms),
        )
        return cls(
            pipeline=pipeline,
            topics=topics,
            kafka=kafka,
            metrics_port=number("NEWSFLOW_METRICS_PORT", 9108),
            log_level=text("NEWSFLOW_LOG_LEVEL", "INFO") or "INFO",
        )
