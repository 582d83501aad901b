"""`newsflow dev`: local broker, topics, workers and the shipped samples, with normalized events printed."""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from pathlib import Path

from workers import serialization
from workers.broker import clients
from workers.broker import headers as h
from workers.broker.local import BrokerStartError, LocalBroker, free_port
from workers.commands.process import records_from_path
from workers.records import SourceRecord
from workers.settings import Settings

SAMPLES_DIR = Path(__file__).resolve().parents[1] / "samples"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "dev",
        help="start a local broker, the topics and a worker, feed the samples and print normalized events",
        description=(
            "Without KAFKA_BOOTSTRAP_SERVERS: start the embedded broker on 127.0.0.1 (port 9092, or a free one "
            "when taken). Then create the topics, start `newsflow worker`, produce every sample raw message "
            "(keyed by its file name) and print each normalized event as a JSON line as it arrives. Stops on "
            "Ctrl-C, or with --exit when every sample has ended as an article or a dead letter."
        ),
    )
    parser.add_argument("--samples", type=Path, default=SAMPLES_DIR, help="directory of raw messages to feed")
    parser.add_argument("--port", type=int, default=9092, help="port for the embedded broker (default 9092)")
    parser.add_argument("--exit", action="store_true", help="exit once every sample has an output")
    parser.add_argument("--timeout", type=float, default=120.0, help="with --exit: give up after this many seconds")
    parser.set_defaults(handler=run)


def sample_records(directory: Path) -> list[SourceRecord]:
    """Every raw message in the samples directory, in file-name order."""
    records: list[SourceRecord] = []
    for path in sorted(directory.iterdir()) if directory.is_dir() else []:
        if path.is_file() and not path.name.startswith(".") and not path.name.endswith(".md"):
            records.extend(records_from_path(str(path), sys.stdin.buffer, None))
    return records


@contextmanager
def _broker(settings: Settings, port: int) -> Iterator[Settings]:
    """The configured cluster, or an embedded broker started for the duration of the block."""
    if settings.kafka.bootstrap_servers:
        yield settings
        return
    # Another broker on the port would answer in our stead, so check the port is free before starting.
    broker = LocalBroker(port=port if _port_is_free(port) else free_port()).start()
    print(f"newsflow dev: local broker on {broker.bootstrap_servers}", file=sys.stderr)
    try:
        yield replace(settings, kafka=replace(settings.kafka, bootstrap_servers=broker.bootstrap_servers))
    finally:
        broker.stop()


def _port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _metrics_port(settings: Settings) -> int:
    """The configured metrics port when it is free, else a free one (0 stays off): a worker refuses a taken
    port, and on a laptop another worker or exporter often holds 9108."""
    if settings.metrics_port == 0 or _port_is_free(settings.metrics_port, host="0.0.0.0"):
        return settings.metrics_port
    return free_port()


@contextmanager
def _worker(settings: Settings) -> Iterator[subprocess.Popen[bytes]]:
    env = dict(os.environ, KAFKA_BOOTSTRAP_SERVERS=settings.kafka.bootstrap_servers or "")
    metrics_port = _metrics_port(settings)
    if metrics_port:
        print(
            f"newsflow dev: worker metrics on http://127.0.0.1:{metrics_port}/metrics (health: /healthz, /readyz)",
            file=sys.stderr,
        )
    # Its own session, like the broker's: on Ctrl-C this command stops the worker (SIGTERM, so it drains and
    # commits) before it stops the broker.
    process = subprocess.Popen(
        [sys.executable, "-m", "workers.cli", "worker", "--metrics-port", str(metrics_port)],
        env=env,
        start_new_session=True,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            asked = time.monotonic()
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            print(
                f"newsflow dev: worker stopped in {time.monotonic() - asked:.1f} s (exit status {process.returncode})",
                file=sys.stderr,
            )
        else:
            print(f"newsflow dev: the worker exited by itself (exit status {process.returncode})", file=sys.stderr)


def run(args: argparse.Namespace, settings: Settings) -> int:
    try:
        return _run(args, settings)
    except KeyboardInterrupt:  # Ctrl-C before the events are printed: the worker and broker are stopped above
        print("newsflow dev: interrupted", file=sys.stderr)
        return 130


def _run(args: argparse.Namespace, settings: Settings) -> int:
    records = sample_records(args.samples)
    if not records:
        print(f"newsflow dev: no sample messages in {args.samples}; the worker waits for input", file=sys.stderr)
    interrupted = False

    def _interrupt(*_: object) -> None:
        nonlocal interrupted
        interrupted = True

    signal.signal(signal.SIGTERM, _interrupt)
    if settings.kafka.bootstrap_servers and not _brokers_answer(settings):
        return 1
    with ExitStack() as stack:
        try:
            settings = stack.enter_context(_broker(settings, args.port))
        except BrokerStartError as error:
            print(f"newsflow dev: {error}", file=sys.stderr)
            return 1
        topics = settings.topics
        clients.ensure_pipeline_topics(settings.kafka, topics)
        worker = stack.enter_context(_worker(settings))
        producer = clients.producer(settings.kafka)
        sent = [
            producer.send(topics.raw, record.payload, key=record.name.encode() if record.name else None)
            for record in records
        ]
        raw_coordinates = {(metadata.partition, metadata.offset) for metadata in (f.get(timeout=60) for f in sent)}
        producer.close()
        print(f"newsflow dev: fed {len(records)} sample messages to {topics.raw}", file=sys.stderr)
        consumer = clients.consumer(settings.kafka)
        consumer.subscribe([topics.articles, topics.deadletter])
        finished: set[tuple[int, int]] = set()
        counts = {"articles": 0, "dead letters": 0}
        started = time.monotonic()
        out = sys.stdout.buffer
        try:
            while not interrupted and worker.poll() is None:
                if args.exit and (finished >= raw_coordinates or time.monotonic() - started > args.timeout):
                    break
                for batch in consumer.poll(timeout_ms=500).values():
                    for message in batch:
                        origin = h.header_map(message.headers)
                        if origin.get(h.SOURCE_TOPIC) == topics.raw:
                            finished.add((int(origin[h.SOURCE_PARTITION]), int(origin[h.SOURCE_OFFSET])))
                        if message.topic == topics.articles:
                            counts["articles"] += 1
                            out.write(b'{"key":' + _json_text(message.key) + b',"value":' + message.value + b"}\n")
                            out.flush()
                        else:
                            counts["dead letters"] += 1
        except KeyboardInterrupt:
            pass
        finally:
            consumer.close()
        print(
            f"newsflow dev: {counts['articles']} articles, {counts['dead letters']} dead letters",
            file=sys.stderr,
        )
        if args.exit and not finished >= raw_coordinates:
            print(f"newsflow dev: {len(raw_coordinates - finished)} samples had no output in time", file=sys.stderr)
            return 1
    return 0


def _brokers_answer(settings: Settings) -> bool:
    """Wait for a configured cluster as a worker does (one line per attempt naming the cause) until the
    start-up deadline, instead of leaving topic creation to retry for minutes without saying why."""
    from workers.broker.reachability import wait_for_brokers
    from workers.streaming.config import StreamSettings

    timeout_s = StreamSettings.from_env().startup_timeout_s
    problems = wait_for_brokers(settings.kafka, time.monotonic() + timeout_s)
    if problems:
        print(
            f"newsflow dev: giving up: the Kafka brokers {settings.kafka.bootstrap_servers} (KAFKA_BOOTSTRAP_SERVERS) "
            f"could not be reached within {timeout_s:g} s (NEWSFLOW_STARTUP_TIMEOUT_S): "
            + "; ".join(map(str, problems)),
            file=sys.stderr,
        )
    return not problems


def _json_text(data: bytes | None) -> bytes:
    return serialization.dumps(data.decode("utf-8", "replace") if data is not None else None)
