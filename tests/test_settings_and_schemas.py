"""Configuration from the environment, and the public schemas themselves."""

from __future__ import annotations

import json

import pytest
from jsonschema import ValidationError

from tests.schemas import SCHEMAS_DIR, validate, validator
from workers.settings import PIPELINE_VERSION, Settings, TopicNames


def test_defaults_match_the_documented_topic_names() -> None:
    topics = Settings.from_env({}).topics
    assert (topics.raw, topics.cleaned, topics.articles, topics.links, topics.deadletter) == (
        "news.articles.raw",
        "news.articles.cleaned",
        "news.articles.normalized",
        "news.links.related",
        "news.articles.deadletter",
    )


def test_environment_overrides_topics_kafka_and_limits() -> None:
    settings = Settings.from_env(
        {
            "KAFKA_BOOTSTRAP_SERVERS": "k1:9092,k2:9092",
            "KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
            "KAFKA_SASL_MECHANISM": "PLAIN",
            "NEWSFLOW_TOPIC_RAW": "in.raw",
            "NEWSFLOW_MAX_MESSAGE_BYTES": "1000",
            "NEWSFLOW_GROUP_ID": "g",
            "NEWSFLOW_PIPELINE_VERSION": "2.0.0",
        }
    )
    assert settings.kafka.bootstrap_servers == "k1:9092,k2:9092" and settings.kafka.sasl_mechanism == "PLAIN"
    assert settings.topics.raw == "in.raw" and settings.pipeline.max_message_bytes == 1000
    assert settings.kafka.group_id == "g" and settings.pipeline.pipeline_version == "2.0.0"
    assert Settings.from_env({}).pipeline.pipeline_version == PIPELINE_VERSION


def test_versioned_topics_rename_outputs_only() -> None:
    topics = TopicNames().versioned("v2")
    assert topics.raw == "news.articles.raw" and topics.articles == "news.articles.normalized.v2"
    assert topics.links == "news.links.related.v2"


@pytest.mark.parametrize("path", sorted(SCHEMAS_DIR.glob("*.json")), ids=lambda p: p.name)
def test_every_schema_is_valid_draft_2020_12(path) -> None:  # type: ignore[no-untyped-def]
    validator(path.name)
    assert json.loads(path.read_text())["$id"].endswith(path.name)


def test_raw_envelope_schema_requires_exactly_one_of_text_or_html() -> None:
    validate("raw-article.v1.json", {"id": "a", "text": "x"})
    for bad in ({"id": "a"}, {"text": "x", "html": "y"}):
        with pytest.raises(ValidationError):
            validate("raw-article.v1.json", bad)


def test_prefixed_topics_put_every_role_under_the_prefix() -> None:
    topics = TopicNames.prefixed("run1")
    assert (topics.raw, topics.cleaned, topics.articles, topics.links, topics.deadletter) == (
        "run1.raw",
        "run1.cleaned",
        "run1.normalized",
        "run1.related",
        "run1.deadletter",
    )
