"""Prometheus metrics and the health/readiness state of one worker process, served over HTTP.

The endpoint runs in a daemon thread with its own small HTTP server, so a scrape never waits for the event
loop, and the liveness check can tell a stalled event loop apart from a busy one. It is served from the first
moment of a worker's life, while it still waits for its broker, so an orchestrator sees a worker that is alive
but not ready rather than one that does not answer.
"""

from __future__ import annotations

import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import orjson
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    Info,
    ProcessCollector,
    disable_created_metrics,
    generate_latest,
)

from workers import __version__
from workers.settings import PIPELINE_VERSION

log = logging.getLogger(__name__)

# The `*_created` series double every counter's output and no dashboard here reads them.
disable_created_metrics()

# Per-message processing time: stages take 0.1–50 ms on the sample corpus, the time limit is seconds.
_PROCESSING_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class WorkerMetrics:
    """The metrics one worker process exports (its own registry, so tests can build several)."""

    def __init__(self, pipeline_version: str = PIPELINE_VERSION) -> None:
        self.registry = CollectorRegistry()
        # CPU, memory, open files and start time of this process (`process_*`): the default registry has them,
        # but /metrics serves this registry only.
        ProcessCollector(registry=self.registry)
        self.build = Info(
            "newsflow_build",
            "The package version of the running code and the pipeline version written into its outputs",
            registry=self.registry,
        )
        self.build.info({"version": __version__, "pipeline_version": pipeline_version})
        self.messages_in = Counter(
            "newsflow_messages_in_total", "Input records a stage processed", ["stage"], registry=self.registry
        )
        self.messages_out = Counter(
            "newsflow_messages_out_total",
            "Output records a stage produced and the broker acknowledged, by output role",
            ["stage", "role"],
            registry=self.registry,
        )
        self.dead_lettered = Counter(
            "newsflow_messages_dead_lettered_total",
            "Input records a stage turned into a dead letter, by reason",
            ["stage", "reason"],
            registry=self.registry,
        )
        self.processing_seconds = Histogram(
            "newsflow_processing_seconds",
            "Time a stage spent on one input record (pure processing, without I/O)",
            ["stage"],
            buckets=_PROCESSING_BUCKETS,
            registry=self.registry,
        )
        self.delivery_retries = Counter(
            "newsflow_delivery_retries_total",
            "Output records whose delivery failed transiently and was retried",
            registry=self.registry,
        )
        self.consumer_lag = Gauge(
            "newsflow_consumer_lag",
            "Records between the consumer's position and the partition's high watermark",
            ["topic", "partition"],
            registry=self.registry,
        )
        self.assigned_partitions = Gauge(
            "newsflow_assigned_partitions", "Input partitions assigned to this worker", registry=self.registry
        )
        self.batch_size = Histogram(
            "newsflow_batch_records",
            "Input records handled per batch",
            buckets=(1, 4, 16, 64, 128, 256, 512, 1024),
            registry=self.registry,
        )


class HealthState:
    """What /healthz and /readyz answer; updated by the worker, read by the HTTP thread."""

    def __init__(self, stall_after_s: float = 60.0) -> None:
        self.connecting = False  # waiting for the broker before the stream starts
        self.broker_problem: str | None = None  # why the broker could not be reached, while connecting
        self.started = False
        self.stopping = False
        self.delivery_failing = False
        self.stall_after_s = stall_after_s
        self._last_tick = time.monotonic()
        self._lock = threading.Lock()

    def tick(self) -> None:
        """Called by a periodic task on the event loop: proves the loop still runs."""
        with self._lock:
            self._last_tick = time.monotonic()

    def event_loop_idle_s(self) -> float:
        """Seconds since the event loop last proved it runs."""
        with self._lock:
            return time.monotonic() - self._last_tick

    def phase(self) -> str:
        """connecting (to the broker), starting (the stream), running or stopping."""
        if self.stopping:
            return "stopping"
        if self.started:
            return "running"
        return "connecting" if self.connecting else "starting"

    def live(self) -> tuple[bool, dict[str, object]]:
        """Alive while the worker's loop ticks: also while it waits for its broker, which is bounded by the
        start-up deadline, so that a liveness probe does not restart a worker that only waits."""
        since = self.event_loop_idle_s()
        alive = since < self.stall_after_s
        detail: dict[str, object] = {"event_loop_idle_s": round(since, 3), "phase": self.phase()}
        detail["ready"] = alive and self._serving()
        if self.connecting and self.broker_problem:
            detail["broker_problem"] = self.broker_problem
        return alive, detail

    def ready(self) -> tuple[bool, dict[str, object]]:
        alive, detail = self.live()
        detail.update(started=self.started, stopping=self.stopping, delivery_failing=self.delivery_failing)
        return alive and self._serving(), detail

    def _serving(self) -> bool:
        return self.started and not self.stopping and not self.delivery_failing


def _handler(metrics: WorkerMetrics, health: HealthState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            if path == "/metrics":
                self._answer(200, generate_latest(metrics.registry), CONTENT_TYPE_LATEST)
            elif path in ("/healthz", "/livez"):
                self._status(*health.live())
            elif path == "/readyz":
                self._status(*health.ready())
            else:
                self._answer(404, b"not found\n", "text/plain")

        def _status(self, ok: bool, detail: dict[str, object]) -> None:
            body = orjson.dumps({"status": "ok" if ok else "unavailable", **detail})
            self._answer(200 if ok else 503, body, "application/json")

        def _answer(self, code: int, body: bytes, content_type: str) -> None:
            self.send_response(code)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # scrapes every few seconds are not news
            return

    return Handler


def serve(metrics: WorkerMetrics, health: HealthState, port: int, host: str = "0.0.0.0") -> ThreadingHTTPServer:
    """Serve /metrics, /healthz and /readyz on host:port in a daemon thread (port 0 picks a free port)."""
    server = ThreadingHTTPServer((host, port), _handler(metrics, health))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="newsflow-http", daemon=True)
    thread.start()
    log.info("serving metrics and health", extra={"port": server.server_address[1]})
    return server
