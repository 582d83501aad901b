"""docker-compose.yml and the Dockerfile agree with the code's defaults (Docker cannot run here: we parse them)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from workers.broker import topic_policy
from workers.broker.apache_kafka import DEFAULT_KAFKA_VERSION
from workers.environment import NAMES as ENVIRONMENT_NAMES
from workers.pipeline import PIPELINE
from workers.settings import KafkaSettings, Settings, TopicNames

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


def workers(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {name: service for name, service in compose["services"].items() if name.startswith("worker")}


def test_kafka_runs_in_kraft_mode_from_the_official_image(compose: dict[str, Any]) -> None:
    kafka = compose["services"]["kafka"]
    assert kafka["image"].startswith("apache/kafka:")
    assert set(kafka["environment"]["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    assert "ZOOKEEPER" not in " ".join(kafka["environment"])
    assert kafka["healthcheck"]["test"]


def test_compose_runs_the_apache_kafka_version_the_integration_tests_run_on(compose: dict[str, Any]) -> None:
    kafka_images = {
        service["image"] for service in compose["services"].values() if service.get("image", "").startswith("apache/")
    }
    assert kafka_images == {f"apache/kafka:{DEFAULT_KAFKA_VERSION}"}


def test_broker_accepts_the_largest_message_the_pipeline_must_pass(compose: dict[str, Any]) -> None:
    kafka_env = compose["services"]["kafka"]["environment"]
    limit = KafkaSettings().max_request_bytes
    assert int(kafka_env["KAFKA_MESSAGE_MAX_BYTES"]) == limit >= 16 * 1024 * 1024
    for configs in compose_topic_configs(compose).values():
        assert int(configs["max.message.bytes"]) == limit


def compose_topic_configs(compose: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Topic → configs from create-topics' TOPICS (one line per topic: its name, then key=value configs)."""
    topics: dict[str, dict[str, str]] = {}
    for line in compose["services"]["create-topics"]["environment"]["TOPICS"].splitlines():
        if line.strip():
            name, *configs = line.split()
            topics[name] = dict(config.split("=", 1) for config in configs)
    return topics


def worker_settings(compose: dict[str, Any]) -> Settings:
    (settings,) = {
        Settings.from_env({name: str(value) for name, value in service["environment"].items()})
        for service in workers(compose).values()
    }
    return settings


def test_topic_creation_creates_the_default_topics(compose: dict[str, Any]) -> None:
    service = compose["services"]["create-topics"]
    defaults = TopicNames()
    assert list(compose_topic_configs(compose)) == [
        defaults.raw,
        defaults.cleaned,
        defaults.articles,
        defaults.links,
        defaults.deadletter,
    ]
    assert int(service["environment"]["PARTITIONS"]) == KafkaSettings().partitions
    assert service["depends_on"]["kafka"]["condition"] == "service_healthy"
    assert "--if-not-exists" in " ".join(service["command"])


def test_compose_creates_topics_with_the_settings_the_workers_would(compose: dict[str, Any]) -> None:
    settings = worker_settings(compose)
    assert compose_topic_configs(compose) == topic_policy.pipeline_topic_configs(settings.topics, settings.kafka)


def test_compose_keeps_raw_links_and_dead_letters_for_replay_and_compacts_only_articles(
    compose: dict[str, Any],
) -> None:
    topics, defaults = compose_topic_configs(compose), TopicNames()
    for name in (defaults.raw, defaults.links, defaults.deadletter):
        assert topics[name]["cleanup.policy"] == "delete" and topics[name]["retention.ms"] == "-1"
    assert topics[defaults.articles]["cleanup.policy"] == "compact"
    assert int(topics[defaults.articles]["delete.retention.ms"]) > 0
    assert worker_settings(compose).kafka.replay_retention_ms == -1  # the horizon the workers check raw against


@pytest.mark.skipif(shutil.which("bash") is None, reason="the create-topics script is bash")
def test_the_create_topics_script_passes_each_topic_its_configs(compose: dict[str, Any], tmp_path: Path) -> None:
    service = compose["services"]["create-topics"]
    assert service["entrypoint"] == ["/bin/bash", "-c"]
    # Compose turns $$ into $; a stub in place of kafka-topics.sh records the arguments of each call.
    stub = tmp_path / "kafka-topics.sh"
    stub.write_text('#!/bin/bash\nprintf "%s\\n" "$*" >> "$CALLS"\n')
    stub.chmod(0o755)
    script = service["command"][0].replace("$$", "$").replace("/opt/kafka/bin/kafka-topics.sh", str(stub))
    calls = tmp_path / "calls"
    env = {name: str(value) for name, value in service["environment"].items()}
    subprocess.run(["bash", "-c", script], env={**os.environ, **env, "CALLS": str(calls)}, check=True, timeout=30)
    made: dict[str, dict[str, str]] = {}
    for call in calls.read_text().splitlines():
        words = call.split()
        assert words[words.index("--partitions") + 1] == env["PARTITIONS"]
        configs = [words[index + 1] for index, word in enumerate(words) if word == "--config"]
        made[words[words.index("--topic") + 1]] = dict(config.split("=", 1) for config in configs)
    assert made == compose_topic_configs(compose)


def test_kafka_keeps_its_data_in_a_named_volume(compose: dict[str, Any]) -> None:
    kafka = compose["services"]["kafka"]
    log_dirs = kafka["environment"]["KAFKA_LOG_DIRS"]
    mounts = {mount.split(":", 1)[1]: mount.split(":", 1)[0] for mount in kafka["volumes"]}
    assert mounts[log_dirs] in compose["volumes"]  # a named volume, not a path in the container's own layer
    assert kafka["restart"] == "unless-stopped"


def test_workers_are_restarted_when_they_exit(compose: dict[str, Any]) -> None:
    for service in workers(compose).values():
        assert service["restart"] in ("unless-stopped", "always", "on-failure")


def test_workers_run_every_stage_as_separately_scalable_services(compose: dict[str, Any]) -> None:
    services = workers(compose)
    stages = [service["command"][service["command"].index("--stages") + 1] for service in services.values()]
    assert sorted(stages) == sorted(stage.name for stage in PIPELINE)
    for service in services.values():
        assert service["command"][0] == "worker"
        assert service["build"] == "."
        assert "replicas" in service["deploy"]
        assert "ports" not in service  # scaled replicas cannot share a host port
        assert service["depends_on"]["create-topics"]["condition"] == "service_completed_successfully"


def test_worker_environment_is_what_the_code_reads_and_matches_its_defaults(compose: dict[str, Any]) -> None:
    for service in workers(compose).values():
        env = {name: str(value) for name, value in service["environment"].items()}
        unknown = [name for name in env if name not in ENVIRONMENT_NAMES]
        assert not unknown, f"variables no settings code reads: {unknown}"
        settings = Settings.from_env(env)
        assert settings.topics == TopicNames()
        assert settings.kafka.partitions == KafkaSettings().partitions
        assert settings.pipeline.max_message_bytes == Settings().pipeline.max_message_bytes
        assert settings.metrics_port == Settings().metrics_port


def test_workers_reach_kafka_on_an_advertised_listener(compose: dict[str, Any]) -> None:
    advertised = compose["services"]["kafka"]["environment"]["KAFKA_ADVERTISED_LISTENERS"]
    addresses = {entry.split("://", 1)[1] for entry in advertised.split(",")}
    for service in workers(compose).values():
        assert service["environment"]["KAFKA_BOOTSTRAP_SERVERS"] in addresses
    # Host tools use the same default port as `newsflow broker`.
    assert "localhost:9092" in addresses and "9092:9092" in compose["services"]["kafka"]["ports"]


def test_health_checks_probe_the_metrics_port(compose: dict[str, Any]) -> None:
    port = str(Settings().metrics_port)
    for service in workers(compose).values():
        probe = " ".join(service["healthcheck"]["test"])
        # Liveness, not readiness: a worker waiting for partitions during a rebalance is not broken.
        assert f"127.0.0.1:{port}/healthz" in probe
        assert {"interval", "timeout", "retries"} <= set(service["healthcheck"])
        assert port in [str(entry) for entry in service["expose"]]
    dockerfile = (REPO / "Dockerfile").read_text()
    assert re.search(rf"^EXPOSE {port}$", dockerfile, re.MULTILINE)
    assert f"127.0.0.1:{port}/healthz" in dockerfile
