"""`newsflow dev`, the README's first command: its own broker, a worker, the samples in, articles printed."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from workers.broker.local import free_port

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
