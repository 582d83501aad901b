"""The worker's operational parts without a broker: progress lines, client log rate limits, broker checks, health."""

from __future__ import annotations

import logging
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest
from prometheus_client import generate_latest

from workers import __version__
from workers.broker.reachability import check_brokers, host_and_port, probe_server, wait_for_brokers
from workers.environment import ConfigurationError
from workers.logs import RateLimitFilter
from workers.settings import PIPELINE_VERSION, KafkaSettings
from workers.streaming.config import StreamSettings
from workers.streaming.metrics import HealthState, WorkerMetrics
from workers.streaming.progress import ProgressReporter, Totals, progress_line


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_progress_line_gives_counts_since_the_last_line_and_since_start_with_the_rate() -> None:
    message, fields = progress_line(Totals(100, 250, 3), Totals(160, 400, 5), 30.0, 12)

    assert message == (
        "progress: 60 in, 150 out, 2 dead-lettered in the last 30 s (2.0 in/s); "
        "160 in, 400 out, 5 dead-lettered since start; lag 12"
    )
    assert (fields["in"], fields["out"], fields["dead_lettered"], fields["in_per_s"]) == (60, 150, 2, 2.0)
    assert (fields["in_total"], fields["out_total"], fields["dead_lettered_total"], fields["lag"]) == (160, 400, 5, 12)


def test_progress_reporter_reads_the_first_stages_inputs_outputs_without_dead_letters_and_the_lag(
    caplog: pytest.LogCaptureFixture,
) -> None:
    metrics, clock = WorkerMetrics(), FakeClock()
    reporter = ProgressReporter(metrics, "clean", clock)
    metrics.messages_in.labels("clean").inc(10)
    metrics.messages_in.labels("enrich").inc(8)  # the same inputs, further down the chain: not counted again
    metrics.messages_out.labels("clean", "cleaned").inc(8)
    metrics.messages_out.labels("enrich", "article").inc(7)
    metrics.messages_out.labels("clean", "deadletter").inc(2)
    metrics.dead_lettered.labels("clean", "not_json").inc(2)
    metrics.dead_lettered.labels("enrich", "empty_after_cleaning").inc(1)
    metrics.consumer_lag.labels("raw", "0").set(4)
    metrics.consumer_lag.labels("raw", "1").set(3)
    clock.now += 5

    with caplog.at_level(logging.INFO, logger="workers.streaming.progress"):
        reporter.report()
        metrics.messages_in.labels("clean").inc(5)
        clock.now += 10
        reporter.report()

    first, second = caplog.records
    assert (first.__dict__["in"], first.__dict__["out"], first.__dict__["dead_lettered"]) == (10, 15, 3)
    assert (first.__dict__["in_per_s"], first.__dict__["lag"]) == (2.0, 7)
    assert (second.__dict__["in"], second.__dict__["in_total"], second.__dict__["in_per_s"]) == (5, 15, 0.5)


def test_progress_says_the_lag_is_unknown_before_any_fetch() -> None:
    message, fields = progress_line(Totals(), Totals(), 30.0, None)
    assert message.endswith("lag unknown") and fields["lag"] is None


def test_metrics_page_has_process_series_and_build_info() -> None:
    page = generate_latest(WorkerMetrics("9.9.9").registry).decode()

    assert f'newsflow_build_info{{pipeline_version="9.9.9",version="{__version__}"}} 1.0' in page
    for name in ("process_cpu_seconds_total", "process_resident_memory_bytes", "process_start_time_seconds"):
        assert f"\n{name} " in page, name
    assert f'pipeline_version="{PIPELINE_VERSION}"' in generate_latest(WorkerMetrics().registry).decode()


def _record(name: str) -> logging.LogRecord:
    return logging.LogRecord(name, logging.WARNING, __file__, 1, "connection failed", (), None)


def test_client_log_lines_pass_once_per_logger_per_interval_and_the_held_back_are_counted() -> None:
    clock = FakeClock()
    limit = RateLimitFilter(("kafka", "aiokafka"), 30.0, clock)

    passed = [limit.filter(_record("kafka.net.manager")) for _ in range(5)]
    other_logger = limit.filter(_record("aiokafka.conn"))
    own = [limit.filter(_record("workers.broker.reachability")) for _ in range(3)]
    lookalike = limit.filter(_record("kafkaesque"))
    clock.now += 30
    after_interval = _record("kafka.net.manager")

    assert passed == [True, False, False, False, False]
    assert other_logger and all(own) and lookalike
    assert limit.filter(after_interval) and after_interval.__dict__["suppressed"] == 4
    assert limit.suppressed_total == 4


def test_host_and_port_of_bootstrap_servers() -> None:
    assert host_and_port("kafka1:9093") == ("kafka1", 9093)
    assert host_and_port(" kafka1 ") == ("kafka1", 9092)
    assert host_and_port("[::1]:19092") == ("::1", 19092)


def test_an_unreachable_port_and_an_unresolvable_name_are_told_apart() -> None:
    kafka = KafkaSettings(bootstrap_servers="127.0.0.1:1,no-such-broker.invalid:9092")

    problems = check_brokers(kafka)

    assert [(problem.server, problem.cause) for problem in problems] == [
        ("127.0.0.1:1", "connection refused"),
        ("no-such-broker.invalid:9092", "name does not resolve"),
    ]


@pytest.fixture
def not_a_tls_server() -> Iterator[int]:
    """A TCP server that answers a TLS client hello with plain text and hangs up."""
    listener = socket.create_server(("127.0.0.1", 0))

    def answer() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.recv(1024)
            connection.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n")

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    yield int(listener.getsockname()[1])
    listener.close()


def test_a_tls_handshake_failure_is_named(not_a_tls_server: int) -> None:
    server = f"127.0.0.1:{not_a_tls_server}"
    problem = probe_server(server, KafkaSettings(bootstrap_servers=server, security_protocol="SSL"))
    assert problem is not None and problem.cause == "TLS handshake failed", problem


def test_waiting_for_brokers_backs_off_and_gives_up_at_the_deadline(caplog: pytest.LogCaptureFixture) -> None:
    clock, slept, failures = FakeClock(), [], []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock.now += seconds

    with caplog.at_level(logging.ERROR, logger="workers.broker.reachability"):
        problems = wait_for_brokers(
            KafkaSettings(bootstrap_servers="127.0.0.1:1"), clock.now + 100, failures.append, clock, sleep
        )

    assert [problem.cause for problem in problems] == ["connection refused"]
    assert slept == [1, 2, 4, 8, 16, 30, 30, 9]
    assert len(failures) == len(slept) + 1
    assert len(caplog.records) == len(slept)  # one line per retry; the caller says it gave up
    assert "127.0.0.1:1 (KAFKA_BOOTSTRAP_SERVERS)" in caplog.records[0].getMessage()


def test_health_is_alive_but_not_ready_while_connecting_then_ready_once_started() -> None:
    health = HealthState()
    health.connecting, health.broker_problem = True, "127.0.0.1:1: connection refused"

    alive, detail = health.live()
    ready, _ = health.ready()
    assert (alive, ready, detail["phase"], detail["ready"]) == (True, False, "connecting", False)
    assert detail["broker_problem"] == "127.0.0.1:1: connection refused"

    health.connecting, health.started = False, True
    alive, detail = health.live()
    assert (alive, health.ready()[0], detail["phase"], "broker_problem" in detail) == (True, True, "running", False)


def test_progress_interval_zero_turns_the_line_off_and_the_startup_timeout_must_be_positive() -> None:
    assert StreamSettings.from_env({"NEWSFLOW_PROGRESS_INTERVAL_S": "0"}).progress_interval_s == 0
    assert StreamSettings.from_env({}).progress_interval_s == 30
    assert StreamSettings.from_env({"NEWSFLOW_STARTUP_TIMEOUT_S": "5"}).startup_timeout_s == 5
    with pytest.raises(ConfigurationError, match="NEWSFLOW_STARTUP_TIMEOUT_S='0' is not allowed"):
        StreamSettings.from_env({"NEWSFLOW_STARTUP_TIMEOUT_S": "0"})
    with pytest.raises(ConfigurationError, match="NEWSFLOW_PROGRESS_INTERVAL_S='-1' is not allowed"):
        StreamSettings.from_env({"NEWSFLOW_PROGRESS_INTERVAL_S": "-1"})


def test_the_startup_watchdog_ends_a_worker_that_has_not_started_by_the_deadline_and_spares_one_that_has() -> None:
    script = """
import sys, time
from workers.logs import configure_logging
from workers.streaming.app import StartupWatchdog
from workers.streaming.metrics import HealthState
configure_logging("INFO")
health = HealthState()
health.started = sys.argv[1] == "started"
StartupWatchdog(health, 0.3).start(0.3)
time.sleep(2)
print("still running")
"""
    stuck = subprocess.run([sys.executable, "-c", script, "stuck"], capture_output=True, text=True, timeout=60)
    started = subprocess.run([sys.executable, "-c", script, "started"], capture_output=True, text=True, timeout=60)

    assert stuck.returncode == -signal.SIGTERM and "still running" not in stuck.stdout
    assert "did not start its stream within 0.3 s (NEWSFLOW_STARTUP_TIMEOUT_S)" in stuck.stderr
    assert (started.returncode, started.stdout.strip(), started.stderr) == (0, "still running", "")


def test_the_processing_guarantee_is_at_least_once_unless_exactly_once_is_asked_for() -> None:
    assert StreamSettings.from_env({}).processing_guarantee == "at_least_once"
    assert StreamSettings.from_env({"NEWSFLOW_PROCESSING_GUARANTEE": "exactly_once"}).processing_guarantee == (
        "exactly_once"
    )
    with pytest.raises(ConfigurationError, match="NEWSFLOW_PROCESSING_GUARANTEE='exactly-once' is not allowed"):
        StreamSettings.from_env({"NEWSFLOW_PROCESSING_GUARANTEE": "exactly-once"})
