"""What each pipeline topic keeps, as the topic configs newsflow creates it with, and the replay-horizon check.

- raw: every record, for as long as the replay horizon (`NEWSFLOW_REPLAY_RETENTION`, unlimited by default),
  so that a replay can run the improved pipeline over old articles; the raw topic is the only copy of them.
- cleaned: the broker's default retention: it is derived from raw, and a replay rebuilds it.
- normalized articles: compacted. There is one current event per article_id and a replay under the same pipeline
  version writes byte-identical payloads under the same keys, so the latest record per key is the whole state.
- related links: NOT compacted. They are keyed by article_id with several links per article, so compaction would
  keep only one link of each article; they keep the raw topic's retention instead.
- dead letters: the raw topic's retention, so that a fix can re-drive them as long as their input can be replayed.
"""

from __future__ import annotations

from collections.abc import Iterable

from workers.settings import KafkaSettings, TopicNames

ROLES: tuple[str, ...] = ("raw", "cleaned", "article", "link", "deadletter")
UNLIMITED_MS = -1
# How long a compacted topic keeps a delete marker (tombstone) after compaction: a consumer rebuilding its state
# from the beginning must finish within this time to see a deletion. Kafka's default is 1 day; a week leaves a
# consumer that was down for a long weekend still correct.
COMPACTED_DELETE_RETENTION_MS = 7 * 24 * 3600 * 1000


def configs_for_role(role: str, kafka: KafkaSettings) -> dict[str, str]:
    """The topic configs a topic of this role is created with (CreateTopics takes them as strings)."""
    # Every topic must take the largest message the clients may send; a topic-level limit does not depend on
    # the cluster's message.max.bytes (1 MB by default).
    configs = {"max.message.bytes": str(kafka.max_request_bytes)}
    if role == "article":
        configs.update({"cleanup.policy": "compact", "delete.retention.ms": str(COMPACTED_DELETE_RETENTION_MS)})
    elif role in ("raw", "link", "deadletter"):
        configs.update({"cleanup.policy": "delete", "retention.ms": str(kafka.replay_retention_ms)})
    elif role == "cleaned":
        configs["cleanup.policy"] = "delete"
    else:
        raise ValueError(f"unknown topic role {role!r}; roles: {', '.join(ROLES)}")
    return configs


def pipeline_topic_configs(
    topics: TopicNames, kafka: KafkaSettings, roles: Iterable[str] = ROLES
) -> dict[str, dict[str, str]]:
    """Topic name → configs for the topics of these roles."""
    return {topics.for_role(role): configs_for_role(role, kafka) for role in roles}


def shorter_than_horizon(retention_ms: int, horizon_ms: int) -> bool:
    """Whether a topic keeping records retention_ms loses some that a replay over horizon_ms would want."""
    if retention_ms == UNLIMITED_MS:
        return False
    return horizon_ms == UNLIMITED_MS or retention_ms < horizon_ms


def describe_duration(milliseconds: int) -> str:
    """`unlimited`, or days (hours under two days, seconds under an hour) for a log line a person reads."""
    if milliseconds == UNLIMITED_MS:
        return "unlimited"
    hours = milliseconds / 3_600_000
    if hours >= 48:
        return f"{round(hours / 24, 1):g} days"
    return f"{round(hours, 1):g} hours" if hours >= 1 else f"{round(milliseconds / 1000, 1):g} s"
