"""One settings object, built from environment variables with sane defaults, passed down to every part."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from workers.environment import read_environment

# Bump when any stage's output can change for the same input: replays and diffs compare by it.
PIPELINE_VERSION = "2.0.1"


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
    # How long the raw, related-link and dead-letter topics keep records (-1: for ever), so that a replay can
    # start from any record still wanted; also the horizon an existing raw topic's retention is checked against.
    replay_retention_ms: int = -1
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
        """Build settings from NEWSFLOW_* and KAFKA_* environment variables (ConfigurationError for a bad one)."""
        variables = read_environment(env)

        def given(value: Any, default: Any) -> Any:
            return default if value is None else value

        pipeline_defaults, topic_defaults, kafka_defaults = PipelineSettings(), TopicNames(), KafkaSettings()
        pipeline = PipelineSettings(
            max_message_bytes=given(variables.NEWSFLOW_MAX_MESSAGE_BYTES, pipeline_defaults.max_message_bytes),
            message_time_limit_s=given(variables.NEWSFLOW_MESSAGE_TIME_LIMIT_S, pipeline_defaults.message_time_limit_s),
            min_body_chars=given(variables.NEWSFLOW_MIN_BODY_CHARS, pipeline_defaults.min_body_chars),
            default_reference_time=variables.NEWSFLOW_REFERENCE_TIME,
            pipeline_version=given(variables.NEWSFLOW_PIPELINE_VERSION, PIPELINE_VERSION),
        )
        topics = TopicNames(
            raw=given(variables.NEWSFLOW_TOPIC_RAW, topic_defaults.raw),
            cleaned=given(variables.NEWSFLOW_TOPIC_CLEANED, topic_defaults.cleaned),
            articles=given(variables.NEWSFLOW_TOPIC_ARTICLES, topic_defaults.articles),
            links=given(variables.NEWSFLOW_TOPIC_LINKS, topic_defaults.links),
            deadletter=given(variables.NEWSFLOW_TOPIC_DEADLETTER, topic_defaults.deadletter),
        )
        kafka = KafkaSettings(
            bootstrap_servers=variables.KAFKA_BOOTSTRAP_SERVERS,
            client_id=given(variables.KAFKA_CLIENT_ID, kafka_defaults.client_id),
            group_id=given(variables.NEWSFLOW_GROUP_ID, kafka_defaults.group_id),
            security_protocol=given(variables.KAFKA_SECURITY_PROTOCOL, kafka_defaults.security_protocol),
            sasl_mechanism=variables.KAFKA_SASL_MECHANISM,
            sasl_username=variables.KAFKA_SASL_USERNAME,
            sasl_password=variables.KAFKA_SASL_PASSWORD,
            ssl_cafile=variables.KAFKA_SSL_CAFILE,
            partitions=given(variables.NEWSFLOW_TOPIC_PARTITIONS, kafka_defaults.partitions),
            replication_factor=given(variables.NEWSFLOW_TOPIC_REPLICATION, kafka_defaults.replication_factor),
            replay_retention_ms=given(variables.NEWSFLOW_REPLAY_RETENTION, kafka_defaults.replay_retention_ms),
            session_timeout_ms=given(variables.KAFKA_SESSION_TIMEOUT_MS, kafka_defaults.session_timeout_ms),
            heartbeat_interval_ms=given(variables.KAFKA_HEARTBEAT_INTERVAL_MS, kafka_defaults.heartbeat_interval_ms),
        )
        return cls(
            pipeline=pipeline,
            topics=topics,
            kafka=kafka,
            metrics_port=given(variables.NEWSFLOW_METRICS_PORT, 9108),
            log_level=given(variables.NEWSFLOW_LOG_LEVEL, "INFO"),
        )
