"""Helpers shared by the replay, offsets, diff and redrive tests (no tests here)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import orjson
from kafka import TopicPartition
from kafka.consumer.fetcher import ConsumerRecord

from workers.broker import clients
from workers.broker.local import free_port
from workers.settings import KafkaSettings, Settings, TopicNames

REPO = Path(__file__).resolve().parents[1]
BASE_MS = 1_790_000_000_000  # 2026-09-21T...; record times of the test feeds are BASE_MS + i seconds

_SENTENCES = (
    "The city council met on Tuesday to discuss the budget for the coming year.",
    "Officials said the new bridge would open to traffic before the winter.",
    "Residents raised concerns about noise from the construction site near the river.",
    "A spokesperson for the mayor declined to comment on the timetable.",
    "The council will vote on the proposal at its next meeting in March.",
)


def article(index: int, fetched_at: str | None = None) -> bytes:
    """A raw JSON envelope whose body passes the cleaning stage (about 450 characters)."""
    text = "\n\n".join(f"{sentence} (Story {index}.)" for sentence in _SENTENCES)
    envelope = {
        "id": f"story-{index}",
        "url": f"https://news.example.com/city/{index}",
        "source": "Example News",
        "title": f"Council debates the budget ({index})",
        "language": "en",
        "text": text,
    }
    if fetched_at:
        envelope["fetched_at"] = fetched_at
    return orjson.dumps(envelope)


def short_article(index: int) -> bytes:
    """An envelope whose body (about 90 characters) is below the default 200-character minimum."""
    return orjson.dumps(
        {
            "id": f"brief-{index}",
            "url": f"https://news.example.com/briefs/{index}",
            "source": "Example News",
            "text": f"Brief {index}: the council met on Tuesday and will vote on the plan in March.",
        }
    )


def produce(kafka: KafkaSettings, topic: str, items: Iterable[tuple[bytes, bytes, int]]) -> int:
    """Produce (key, value, timestamp ms) records in large batches, as a busy producer would."""
    producer = clients.producer(kafka)
    count = 0
    for key, value, timestamp_ms in items:
        producer.send(topic, key=key, value=value, timestamp_ms=timestamp_ms, headers=[("origin", b"test-feed")])
        count += 1
    producer.flush()
    producer.close()
    return count


def read_all(kafka: KafkaSettings, topic: str, partitions: int = 4) -> list[ConsumerRecord]:
    """Every record of a topic now, read up to the fetch high watermark of each partition."""
    consumer = clients.consumer(kafka, fetch_max_wait_ms=100)
    tps = [TopicPartition(topic, p) for p in range(partitions)]
    consumer.assign(tps)
    consumer.seek_to_beginning()
    records: list[ConsumerRecord] = []
    idle_since = time.monotonic()
    while time.monotonic() - idle_since < 1.5:
        batch = consumer.poll(timeout_ms=200)
        if batch:
            idle_since = time.monotonic()
        for found in batch.values():
            records.extend(found)
    consumer.close()
    return records


def high_watermarks(kafka: KafkaSettings, topic: str, partitions: int = 4) -> dict[int, int]:
    """Per partition, one past the last offset (the broker's end_offsets is wrong on Tansu; count records)."""
    ends = dict.fromkeys(range(partitions), 0)
    for record in read_all(kafka, topic, partitions):
        ends[record.partition] = max(ends[record.partition], record.offset + 1)
    return ends


def wait_for(condition: Callable[[], bool], timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out after {timeout_s:g} s waiting for {what}")


def settings_for(kafka: KafkaSettings, topics: TopicNames, **pipeline: object) -> Settings:
    settings = Settings(topics=topics, kafka=kafka)
    if pipeline:
        settings = replace(settings, pipeline=replace(settings.pipeline, **pipeline))  # type: ignore[arg-type]
    return settings


def cli_env(kafka: KafkaSettings, topics: TopicNames, group: str, **extra: str) -> dict[str, str]:
    """The environment `newsflow` reads its settings from, pointed at the test broker and topics."""
    env = {
        "KAFKA_BOOTSTRAP_SERVERS": kafka.bootstrap_servers or "",
        "NEWSFLOW_TOPIC_RAW": topics.raw,
        "NEWSFLOW_TOPIC_CLEANED": topics.cleaned,
        "NEWSFLOW_TOPIC_ARTICLES": topics.articles,
        "NEWSFLOW_TOPIC_LINKS": topics.links,
        "NEWSFLOW_TOPIC_DEADLETTER": topics.deadletter,
        "NEWSFLOW_GROUP_ID": group,
        "NEWSFLOW_LOG_LEVEL": "WARNING",
        "KAFKA_SESSION_TIMEOUT_MS": "4000",
        "KAFKA_HEARTBEAT_INTERVAL_MS": "1000",
    }
    env.update(extra)
    return env


@dataclass
class WorkerProcess:
    """`newsflow worker` (all stages) as a subprocess, stopped with SIGTERM."""

    process: subprocess.Popen[bytes]
    log_path: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]


def start_worker(env: dict[str, str], tmp_path: Path, name: str) -> WorkerProcess:
    full_env = dict(
        os.environ,
        NEWSFLOW_METRICS_PORT=str(free_port()),
        NEWSFLOW_STREAM_DATA_DIR=str(tmp_path / f"faust-{name}"),
        **env,
    )
    log_path = tmp_path / f"worker-{name}.log"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "workers.cli", "worker"],
            env=full_env,
            cwd=REPO,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    return WorkerProcess(process, log_path)


def header(record: ConsumerRecord, name: str) -> str | None:
    for key, value in record.headers or ():
        if key == name:
            return (value or b"").decode()
    return None
