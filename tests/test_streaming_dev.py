"""`newsflow dev`, the README's first command: its own broker, a worker, the samples in, articles printed."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.test_streaming_integration import (
    Collected,
    below,
    collect,
    committed_positions,
    envelope,
    seed_text,
    worker_env,
)
from workers.broker.local import free_port
from workers.settings import KafkaSettings, TopicNames

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "workers" / "samples"


def test_dev_prints_the_article_of_every_sample_as_newsflow_process_does(tmp_path: Path) -> None:
    samples = sorted(path for path in SAMPLES.iterdir() if path.is_file() and not path.name.startswith("."))
    if not samples:
        pytest.skip("no sample messages in workers/samples yet")
    env = {name: value for name, value in os.environ.items() if name != "KAFKA_BOOTSTRAP_SERVERS"}
    # The configured metrics port is taken (another worker on this laptop): dev picks a free one and says which.
    with socket.create_server(("0.0.0.0", 0)) as taken:
        taken_port = taken.getsockname()[1]
        env.update(NEWSFLOW_METRICS_PORT=str(taken_port), NEWSFLOW_STREAM_DATA_DIR=str(tmp_path))
        dev = subprocess.run(
            [sys.executable, "-m", "workers.cli", "dev", "--exit", "--port", str(free_port()), "--timeout", "90"],
            cwd=REPO,
            env=env,
            capture_output=True,
            timeout=150,
        )
    offline = subprocess.run(
        [sys.executable, "-m", "workers.cli", "process", *map(str, samples)],
        cwd=REPO,
        env=env,
        capture_output=True,
        check=True,
        timeout=120,
    )

    assert dev.returncode == 0, dev.stderr.decode()[-3000:]
    metrics_url = re.search(rb"worker metrics on http://127\.0\.0\.1:(\d+)/metrics", dev.stderr)
    assert metrics_url is not None and int(metrics_url.group(1)) != taken_port, dev.stderr.decode()[-3000:]
    streamed = {line["key"]: line["value"] for line in map(json.loads, dev.stdout.splitlines())}
    printed = [json.loads(line) for line in offline.stdout.splitlines()]
    offline_articles = [line for line in printed if line["topic"] == "news.articles.normalized"]
    assert sorted(streamed) == sorted(line["key"] for line in offline_articles)
    # Envelopes carry fetched_at; a bare text dump takes its reference time from the Kafka record's timestamp,
    # which the offline run does not have, so only envelopes compare field for field.
    envelopes = [path for path in samples if path.suffix == ".json"]
    enveloped = subprocess.run(
        [sys.executable, "-m", "workers.cli", "process", *map(str, envelopes)],
        cwd=REPO,
        env=env,
        capture_output=True,
        check=True,
        timeout=120,
    )
    for line in map(json.loads, enveloped.stdout.splitlines()):
        if line["topic"] == "news.articles.normalized":
            assert streamed[line["key"]] == line["value"]


def test_dev_against_an_unreachable_cluster_names_the_cause_and_gives_up_at_the_deadline() -> None:
    env = dict(os.environ, KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:1", NEWSFLOW_STARTUP_TIMEOUT_S="2")

    dev = subprocess.run(
        [sys.executable, "-m", "workers.cli", "dev", "--exit"], cwd=REPO, env=env, capture_output=True, timeout=60
    )

    assert dev.returncode == 1
    last_line = dev.stderr.decode().strip().splitlines()[-1]
    assert last_line == (
        "newsflow dev: giving up: the Kafka brokers 127.0.0.1:1 (KAFKA_BOOTSTRAP_SERVERS) could not be reached "
        "within 2 s (NEWSFLOW_STARTUP_TIMEOUT_S): 127.0.0.1:1: connection refused"
    )


def test_ctrl_c_on_a_busy_dev_stops_it_and_its_worker_within_10_s_with_every_output_committed(
    kafka_settings: KafkaSettings, fresh_topics: TopicNames, tmp_path: Path
) -> None:
    samples = tmp_path / "samples"
    samples.mkdir()
    text = seed_text()
    (samples / "backlog.jsonl").write_bytes(b"\n".join(envelope(index, text) for index in range(3000)))
    group = f"g{uuid.uuid4().hex[:8]}"
    env = worker_env(kafka_settings, fresh_topics, group, tmp_path)
    stderr_path = tmp_path / "dev.stderr"
    with stderr_path.open("wb") as stderr:
        dev = subprocess.Popen(
            [sys.executable, "-m", "workers.cli", "dev", "--samples", str(samples)],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    stopped: list[tuple[int, float]] = []  # exit status, seconds from Ctrl-C to exit

    def interrupt_at_first_output(collected: Collected) -> None:
        fed = b"fed 3000 sample messages" in stderr_path.read_bytes()
        if not stopped and fed and collected.finished(fresh_topics.raw):
            interrupted = time.monotonic()
            dev.send_signal(signal.SIGINT)  # what a terminal's Ctrl-C sends to the foreground process
            try:
                status = dev.wait(timeout=60)
            except subprocess.TimeoutExpired:
                dev.kill()
                status = -1
            stopped.append((status, time.monotonic() - interrupted))

    try:
        collect(kafka_settings, fresh_topics, lambda c: bool(stopped), 120, during=interrupt_at_first_output)
    finally:
        if dev.poll() is None:
            dev.kill()
            dev.wait()
    printed = stderr_path.read_text(errors="replace")
    assert stopped, printed[-3000:]
    status, stop_s = stopped[0]
    assert status == 0, printed[-3000:]
    assert stop_s < 10, (stop_s, printed[-3000:])
    assert re.search(r"worker stopped in [\d.]+ s \(exit status 0\)", printed), printed[-3000:]

    committed = committed_positions(kafka_settings, f"{group}.clean-enrich", fresh_topics.raw)
    outputs = collect(kafka_settings, fresh_topics, lambda c: c.finished(fresh_topics.raw) >= below(committed), 60)
    finished = outputs.finished(fresh_topics.raw)
    assert 0 < len(below(committed)) < 3000, committed
    assert finished >= below(committed), sorted(below(committed) - finished)[:5]
    assert len(finished - below(committed)) <= 256
