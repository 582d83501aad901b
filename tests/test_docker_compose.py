"""docker-compose.yml and the Dockerfile agree with the code's defaults (Docker cannot run here: we parse them)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

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


def test_broker_accepts_the_largest_message_the_pipeline_must_pass(compose: dict[str, Any]) -> None:
    kafka_env = compose["services"]["kafka"]["environment"]
    limit = KafkaSettings().max_request_bytes
    assert int(kafka_env["KAFKA_MESSAGE_MAX_BYTES"]) == limit >= 16 * 1024 * 1024
    assert int(compose["services"]["create-topics"]["environment"]["MAX_MESSAGE_BYTES"]) == limit


def test_topic_creation_creates_the_default_topics(compose: dict[str, Any]) -> None:
    service = compose["services"]["create-topics"]
    defaults = TopicNames()
    assert service["environment"]["TOPICS"].split() == [
        defaults.raw,
        defaults.cleaned,
        defaults.articles,
        defaults.links,
        defaults.deadletter,
    ]
    assert int(service["environment"]["PARTITIONS"]) == KafkaSettings().partitions
    assert service["depends_on"]["kafka"]["condition"] == "service_healthy"
    assert "--if-not-exists" in " ".join(service["command"])


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
        assert f"127.0.0.1:{port}/readyz" in probe
        assert port in [str(entry) for entry in service["expose"]]
    dockerfile = (REPO / "Dockerfile").read_text()
    assert re.search(rf"^EXPOSE {port}$", dockerfile, re.MULTILINE)
    assert f"127.0.0.1:{port}/healthz" in dockerfile
