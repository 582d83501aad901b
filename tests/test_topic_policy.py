"""What each topic is created with (retention, compaction), the replay-horizon comparison, and its setting."""

from __future__ import annotations

import pytest

from workers.broker import topic_policy
from workers.environment import ConfigurationError
from workers.settings import KafkaSettings, Settings, TopicNames

DAY_MS = 24 * 3600 * 1000


def test_by_default_raw_links_and_dead_letters_keep_records_for_ever() -> None:
    configs = topic_policy.pipeline_topic_configs(TopicNames(), KafkaSettings())
    for name in ("news.articles.raw", "news.links.related", "news.articles.deadletter"):
        assert configs[name]["cleanup.policy"] == "delete"
        assert configs[name]["retention.ms"] == "-1"


def test_normalized_articles_are_compacted_and_keep_tombstones_a_week() -> None:
    configs = topic_policy.configs_for_role("article", KafkaSettings())
    assert configs["cleanup.policy"] == "compact"
    assert configs["delete.retention.ms"] == str(7 * DAY_MS)
    assert "retention.ms" not in configs  # a compacted topic keeps the latest record of a key whatever its age


def test_related_links_are_never_compacted_because_an_article_has_several_under_one_key() -> None:
    configs = topic_policy.configs_for_role("link", KafkaSettings(replay_retention_ms=90 * DAY_MS))
    assert "compact" not in configs["cleanup.policy"]
    assert configs["retention.ms"] == str(90 * DAY_MS)


def test_the_replay_retention_setting_reaches_raw_links_and_dead_letters_only() -> None:
    kafka = Settings.from_env({"NEWSFLOW_REPLAY_RETENTION": "90d"}).kafka
    configs = topic_policy.pipeline_topic_configs(TopicNames(), kafka)
    retained = {name: config.get("retention.ms") for name, config in configs.items()}
    assert retained == {
        "news.articles.raw": str(90 * DAY_MS),
        "news.articles.cleaned": None,  # the broker's default: a replay rebuilds it from raw
        "news.articles.normalized": None,
        "news.links.related": str(90 * DAY_MS),
        "news.articles.deadletter": str(90 * DAY_MS),
    }


def test_every_topic_takes_the_largest_message_the_clients_send() -> None:
    kafka = KafkaSettings()
    for configs in topic_policy.pipeline_topic_configs(TopicNames(), kafka).values():
        assert configs["max.message.bytes"] == str(kafka.max_request_bytes)


def test_an_unknown_role_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown topic role 'articles'"):
        topic_policy.configs_for_role("articles", KafkaSettings())


@pytest.mark.parametrize(
    ("written", "milliseconds"),
    [("unlimited", -1), ("UNLIMITED", -1), ("-1", -1), ("90d", 90 * DAY_MS), ("12w", 84 * DAY_MS), ("3600", 3_600_000)],
)
def test_replay_retention_takes_unlimited_or_a_duration_with_units(written: str, milliseconds: int) -> None:
    assert Settings.from_env({"NEWSFLOW_REPLAY_RETENTION": written}).kafka.replay_retention_ms == milliseconds


@pytest.mark.parametrize("written", ["0", "0d", "-5d", "forever", "7 fortnights"])
def test_a_replay_retention_that_is_not_a_positive_duration_is_refused(written: str) -> None:
    with pytest.raises(ConfigurationError) as refused:
        Settings.from_env({"NEWSFLOW_REPLAY_RETENTION": written})
    assert str(refused.value).startswith(f"NEWSFLOW_REPLAY_RETENTION={written!r} is not allowed: expected `unlimited`")


@pytest.mark.parametrize(
    ("retention_ms", "horizon_ms", "shorter"),
    [
        (7 * DAY_MS, -1, True),
        (-1, -1, False),
        (-1, 90 * DAY_MS, False),
        (30 * DAY_MS, 90 * DAY_MS, True),
        (90 * DAY_MS, 90 * DAY_MS, False),
        (365 * DAY_MS, 90 * DAY_MS, False),
    ],
)
def test_a_retention_is_shorter_than_the_horizon_only_when_it_loses_records_the_horizon_wants(
    retention_ms: int, horizon_ms: int, shorter: bool
) -> None:
    assert topic_policy.shorter_than_horizon(retention_ms, horizon_ms) is shorter


def test_durations_are_described_in_words_a_person_reads() -> None:
    assert topic_policy.describe_duration(-1) == "unlimited"
    assert topic_policy.describe_duration(7 * DAY_MS) == "7 days"
    assert topic_policy.describe_duration(36 * 3600 * 1000) == "36 hours"
    assert topic_policy.describe_duration(90_000) == "90 s"
