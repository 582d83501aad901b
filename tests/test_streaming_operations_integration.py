"""The worker as an operator meets it, through the real CLI in a subprocess: progress lines on a real broker run,
a taken metrics port, and a broker that is away (unreachable or unresolvable)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tests.test_streaming_integration import Collected, collect, expected_outputs, produce, worker_env
from workers.broker.local import free_port
from workers.broker.reachability import check_brokers
from workers.settings import KafkaSettings, TopicNames

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "workers" / "samples"


def log_lines(path: Path) -> list[dict[str, Any]]:
    """The JSON log lines a worker wrote so far (faust's own plain lines are skipped)."""
    lines = []
    for text in path.read_text(errors="replace").splitlines():
        if text.startswith("{"):
            with contextlib.suppress(json.JSONDecodeError):  # a line still being written
                lines.append(json.loads(text))
    return lines


def http_get(port: int, path: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
            return int(response.status), response.read()
    except urllib.error.HTTPError as error:
        return int(error.code), error.read()


@pytest.fixture
def worker_process(tmp_path: Path) -> Iterator[Any]:
    """Starts `newsflow worker` with an environment, its stdout and stderr in a file; kills what is left."""
    started: list[subprocess.Popen[bytes]] = []

    def start(env: dict[str, str], log_path: Path) -> subprocess.Popen[bytes]:
        with log_path.open("wb") as log_file:
            process = subprocess.Popen(
                [sys.executable, "-m", "workers.cli", "worker"],
                env=env,
                cwd=REPO,
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.integration
def test_a_running_worker_logs_progress_lines_that_count_what_it_did_and_serves_process_and_build_metrics(
    kafka_settings: KafkaSettings, fresh_topics: TopicNames, worker_process: Any, tmp_path: Path
) -> None:
    samples = sorted(path for path in SAMPLES.iterdir() if path.is_file() and not path.name.endswith(".md"))
    inputs: list[tuple[bytes | None, bytes]] = [
        (f"{path.stem}-{copy}".encode(), path.read_bytes()) for copy in range(4) for path in samples
    ]
    inputs += [(f"garbage-{index}".encode(), payload) for index, payload in enumerate([b"", b"{not json", b"short"])]
    produced = produce(kafka_settings, fresh_topics.raw, inputs)
    expected = expected_outputs(produced, fresh_topics.raw)
    expected_dead_letters = sum(count for (role, _, _), count in expected.items() if role == "deadletter")
    expected_out = sum(expected.values()) - expected_dead_letters
    assert expected_dead_letters >= 3  # the garbage, at least
    env = worker_env(
        kafka_settings,
        fresh_topics,
        f"g{uuid.uuid4().hex[:8]}",
        tmp_path,
        NEWSFLOW_LOG_LEVEL="INFO",
        NEWSFLOW_PROGRESS_INTERVAL_S="1",
    )
    log_path = tmp_path / "worker.log"
    worker = worker_process(env, log_path)
    wanted = {(item.partition, item.offset) for item in produced}

    collected = collect(kafka_settings, fresh_topics, lambda c: c.finished(fresh_topics.raw) >= wanted, 120)
    assert collected.finished(fresh_topics.raw) >= wanted, log_path.read_text()[-3000:]

    def progress() -> list[dict[str, Any]]:
        return [line for line in log_lines(log_path) if line["logger"] == "workers.streaming.progress"]

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not any(
        line["in_total"] == len(produced) and line["out_total"] == expected_out and line["lag"] == 0
        for line in progress()
    ):
        time.sleep(0.5)
    lines = progress()
    final = next(
        (line for line in lines if line["in_total"] == len(produced) and line["out_total"] == expected_out), None
    )
    assert final is not None, lines[-3:]
    assert (final["dead_lettered_total"], final["lag"]) == (expected_dead_letters, 0)
    assert final["msg"].startswith("progress: ") and f"{len(produced)} in, {expected_out} out" in final["msg"]
    for before, after in zip(lines, lines[1:], strict=False):
        assert after["in_total"] == before["in_total"] + after["in"]
        assert after["out_total"] == before["out_total"] + after["out"]
        assert after["dead_lettered_total"] == before["dead_lettered_total"] + after["dead_lettered"]
    assert any(line["in_per_s"] > 0 for line in lines)
    assert all(0.5 < line["interval_s"] < 5 for line in lines[1:])
    assert len(collected_dead_letters(collected)) == expected_dead_letters

    status, page = http_get(int(env["NEWSFLOW_METRICS_PORT"]), "/metrics")
    assert status == 200
    text = page.decode()
    assert "\nprocess_cpu_seconds_total " in text and "\nprocess_resident_memory_bytes " in text
    assert 'newsflow_build_info{pipeline_version="' in text

    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=30) == 0, log_path.read_text()[-3000:]


def collected_dead_letters(collected: Collected) -> list[bytes]:
    return [value for role, _, value, _ in collected.records if role == "deadletter"]


@pytest.mark.parametrize("setting", ["NEWSFLOW_METRICS_PORT", "--metrics-port"])
def test_a_taken_metrics_port_refuses_to_start_with_status_2_naming_the_setting_and_port(setting: str) -> None:
    with socket.create_server(("0.0.0.0", 0)) as taken:
        port = taken.getsockname()[1]
        env = dict(os.environ, KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:1", NEWSFLOW_METRICS_PORT=str(port))
        arguments = ["--metrics-port", str(port)] if setting == "--metrics-port" else []
        if arguments:
            env["NEWSFLOW_METRICS_PORT"] = str(free_port())
        run = subprocess.run(
            [sys.executable, "-m", "workers.cli", "worker", *arguments],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
        )

    assert run.returncode == 2, run.stderr
    assert f"{setting}={port} cannot be served" in run.stderr
    assert "cannot reach" not in run.stderr  # refused before it tried the broker


def test_metrics_port_0_serves_no_endpoint() -> None:
    env = dict(
        os.environ, KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:1", NEWSFLOW_METRICS_PORT="0", NEWSFLOW_STARTUP_TIMEOUT_S="1"
    )
    run = subprocess.run(
        [sys.executable, "-m", "workers.cli", "worker"], env=env, cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 1 and "giving up" in run.stderr
    assert "serving metrics" not in run.stderr


@pytest.mark.parametrize(
    ("bootstrap_servers", "cause"),
    [("127.0.0.1:1", "connection refused"), ("no-such-broker.invalid:9092", "name does not resolve")],
)
def test_a_broker_that_is_away_is_named_within_10_s_health_answers_and_the_worker_gives_up_at_the_deadline(
    bootstrap_servers: str, cause: str, worker_process: Any, tmp_path: Path
) -> None:
    metrics_port = free_port()
    env = dict(
        os.environ,
        KAFKA_BOOTSTRAP_SERVERS=bootstrap_servers,
        NEWSFLOW_METRICS_PORT=str(metrics_port),
        NEWSFLOW_STARTUP_TIMEOUT_S="8",
        NEWSFLOW_STREAM_DATA_DIR=str(tmp_path / "faust"),
        NEWSFLOW_LOG_LEVEL="INFO",
    )
    log_path = tmp_path / "worker.log"
    started = time.monotonic()
    worker = worker_process(env, log_path)

    first_line: dict[str, Any] | None = None
    while first_line is None and time.monotonic() - started < 10 and worker.poll() is None:
        first_line = next((line for line in log_lines(log_path) if line["level"] == "error"), None)
        time.sleep(0.1)
    assert first_line is not None, log_path.read_text()
    assert f"{bootstrap_servers} (KAFKA_BOOTSTRAP_SERVERS)" in first_line["msg"] and cause in first_line["msg"]

    health_status, health = http_get(metrics_port, "/healthz")
    ready_status, _ = http_get(metrics_port, "/readyz")
    assert health_status == 200 and ready_status == 503
    body = json.loads(health)
    assert (body["status"], body["phase"], body["ready"]) == ("ok", "connecting", False)
    assert body["broker_problem"].startswith(f"{bootstrap_servers}: {cause}")

    assert worker.wait(timeout=60) == 1
    elapsed = time.monotonic() - started
    lines = log_lines(log_path)
    assert 8 <= elapsed < 30, elapsed
    assert "NEWSFLOW_STARTUP_TIMEOUT_S" in lines[-1]["msg"] and cause in lines[-1]["msg"], lines[-1]
    retries = [line for line in lines if line["logger"] == "workers.broker.reachability"]
    assert 2 <= len(retries) <= 4, [line["msg"] for line in retries]  # after 1, 2 and 4 s, then the deadline
    assert not [line for line in lines if line["logger"].split(".")[0] in ("kafka", "aiokafka")]


@pytest.mark.integration
def test_a_sasl_failure_is_named(kafka_settings: KafkaSettings) -> None:
    # The local broker offers no SASL mechanism, so a client configured for SASL/PLAIN fails its handshake.
    kafka = replace(
        kafka_settings, security_protocol="SASL_PLAINTEXT", sasl_mechanism="PLAIN", sasl_username="u", sasl_password="p"
    )
    problems = check_brokers(kafka, handshake_timeout_s=3)
    assert [problem.cause for problem in problems] == ["SASL authentication failed"], problems
