"""Configuration from the environment, and the public schemas themselves."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from jsonschema import ValidationError

from tests.schemas import SCHEMAS_DIR, validate, validator
from workers.environment import ConfigurationError
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
            "NEWSFLOW_MAX_MESSAGE_BYTES": "2KiB",
            "NEWSFLOW_GROUP_ID": "g",
            "NEWSFLOW_PIPELINE_VERSION": "2.0.0",
        }
    )
    assert settings.kafka.bootstrap_servers == "k1:9092,k2:9092" and settings.kafka.sasl_mechanism == "PLAIN"
    assert settings.topics.raw == "in.raw" and settings.pipeline.max_message_bytes == 2048
    assert settings.kafka.group_id == "g" and settings.pipeline.pipeline_version == "2.0.0"
    assert Settings.from_env({}).pipeline.pipeline_version == PIPELINE_VERSION


@pytest.mark.parametrize(
    ("variable", "value", "allowed"),
    [
        ("NEWSFLOW_MAX_MESSAGE_BYTES", "5XB", "a size in bytes (units allowed: 5MB, 5MiB)"),
        ("NEWSFLOW_MAX_MESSAGE_BYTES", "100", "at least 1,024"),
        ("NEWSFLOW_LOG_LEVEL", "verbose", "one of DEBUG, INFO, WARNING, ERROR, CRITICAL"),
        ("NEWSFLOW_MIN_BODY_CHARS", "-5", "a whole number, at least 0"),
        ("NEWSFLOW_MIN_BODY_CHARS", "lots", "a whole number, at least 0"),
        ("KAFKA_SECURITY_PROTOCOL", "SASL_SSLX", "one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL"),
        ("KAFKA_SASL_MECHANISM", "PLAINTEXT", "one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER, GSSAPI"),
        ("NEWSFLOW_METRICS_PORT", "99999", "at most 65,535"),
        ("NEWSFLOW_STREAM_BATCH_WINDOW_S", "0", "a number, more than 0"),
        ("KAFKA_SESSION_TIMEOUT_MS", "6s", "a whole number"),
        ("NEWSFLOW_PROCESSING_GUARANTEE", "exactly_twice", "one of at_least_once, exactly_once"),
    ],
)
def test_a_bad_setting_is_refused_with_its_name_value_and_what_is_allowed(
    variable: str, value: str, allowed: str
) -> None:
    environment = {variable: value}
    if variable == "KAFKA_SASL_MECHANISM":
        environment["KAFKA_SECURITY_PROTOCOL"] = "SASL_SSL"
    with pytest.raises(ConfigurationError) as refused:
        Settings.from_env(environment)
    message = str(refused.value)
    assert message.startswith(f"{variable}={value!r} is not allowed: expected ")
    assert allowed in message


def test_sizes_take_decimal_and_binary_units_and_enumerations_any_case() -> None:
    assert Settings.from_env({"NEWSFLOW_MAX_MESSAGE_BYTES": "5MB"}).pipeline.max_message_bytes == 5_000_000
    assert Settings.from_env({"NEWSFLOW_MAX_MESSAGE_BYTES": "5MiB"}).pipeline.max_message_bytes == 5 * 1024 * 1024
    assert Settings.from_env({"NEWSFLOW_LOG_LEVEL": "debug"}).log_level == "DEBUG"
    protocol = Settings.from_env({"KAFKA_SECURITY_PROTOCOL": "sasl_ssl", "KAFKA_SASL_MECHANISM": "plain"}).kafka
    assert (protocol.security_protocol, protocol.sasl_mechanism) == ("SASL_SSL", "PLAIN")


def test_credentials_without_a_sasl_protocol_are_refused_and_the_password_is_never_shown() -> None:
    with pytest.raises(ConfigurationError) as refused:
        Settings.from_env({"KAFKA_SASL_USERNAME": "app", "KAFKA_SASL_PASSWORD": "s3cret"})
    assert "KAFKA_SECURITY_PROTOCOL='PLAINTEXT' would not use them" in str(refused.value)
    assert "s3cret" not in str(refused.value)


def test_the_cli_refuses_to_start_on_a_bad_setting_before_connecting() -> None:
    bad = dict(os.environ, KAFKA_SECURITY_PROTOCOL="SASL_SSLX", KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:1")
    result = subprocess.run(
        [sys.executable, "-m", "workers.cli", "worker"], env=bad, capture_output=True, timeout=60, text=True
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "newsflow: refusing to start: KAFKA_SECURITY_PROTOCOL='SASL_SSLX' is not allowed: "
        "expected one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL"
    )


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
