"""The faust app: one agent generated from the pipeline declaration, batching, acking after delivery, shutdown.

How an input record flows:
1. faust's consumer fetches it; the agent takes up to `batch_max` records (`noack_take`: nothing is acked yet).
2. The stage chain turns each record into output records (outputs or a dead letter) in memory.
3. The publisher sends every output of the batch and awaits every delivery future (acks=all), retrying
   transient failures with backoff; this runs in a task while the agent processes the next batch, whose
   outputs are sent only once this delivery has finished (so outputs stay in order).
4. Only then are the batch's events acked; faust commits the offsets of acked events, and only of
   contiguous runs of them, every `commit_interval_s` (after flushing its producer).
So an offset is never committed before every output its record caused is on the broker: a kill -9 at any point
re-delivers the uncommitted records, whose outputs are produced again with byte-identical payloads.
The guarantee rests on faust's, mode's and aiokafka's public API only (settings, the producer's `send`, the
stream's `noack_take` and `ack`, the worker's service hooks), not on code a library upgrade may change.

Not used here on purpose: faust Tables (on the local Tansu broker a table restored stale state and restarts
skipped records, see docs/streaming.md) and faust's processing_guarantee="exactly_once" (its transactions do not
hold an input's outputs together with its offset); NEWSFLOW_PROCESSING_GUARANTEE=exactly_once runs
workers.streaming.transactional instead of this agent.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import faust

from workers.broker.clients import bootstrap_servers, ssl_context
from workers.broker.headers import reference_time
from workers.heap import collect_less_often, freeze_startup_objects
from workers.pipeline import StreamStage, stages_named
from workers.records import SourceRecord
from workers.settings import KafkaSettings, Settings
from workers.stages.enrich.places import load_places
from workers.streaming.chain import Outgoing, StageChain
from workers.streaming.config import StreamSettings
from workers.streaming.delivery import Publisher, key_partitioner
from workers.streaming.metrics import HealthState, WorkerMetrics
from workers.streaming.progress import ProgressReporter
from workers.streaming.watchdog import EventLoopWatchdog
from workers.timestamps import rfc3339_of_second

log = logging.getLogger(__name__)

# Yield to the event loop at least this often while a batch is processed, so faust's timers keep running.
YIELD_EVERY_S = 0.05
# EX_TEMPFAIL of sysexits.h: the stop did not finish in time, the worker may be started again at once.
STOP_TIMEOUT_EXIT_STATUS = 75


def group_id(settings: Settings, stages: Sequence[StreamStage]) -> str:
    """One consumer group per stage set: `newsflow-workers.clean`, `….enrich`, `….clean-enrich`."""
    return f"{settings.kafka.group_id}.{'-'.join(stage.name for stage in stages)}"


def faust_credentials(kafka: KafkaSettings) -> faust.SASLCredentials | faust.SSLCredentials | None:
    """SASL and/or TLS settings for aiokafka, from the same KAFKA_* variables the kafka-python tools read."""
    context = ssl_context(kafka)
    if kafka.sasl_mechanism:
        return faust.SASLCredentials(
            username=kafka.sasl_username,
            password=kafka.sasl_password,
            mechanism=kafka.sasl_mechanism,
            ssl_context=context,
        )
    if context is not None:
        return faust.SSLCredentials(context)
    return None


def build_app(settings: Settings, stream: StreamSettings, stages: Sequence[StreamStage]) -> faust.App:
    app_id = group_id(settings, stages)
    app = faust.App(
        app_id,
        broker=[f"kafka://{server}" for server in bootstrap_servers(settings.kafka)],
        broker_credentials=faust_credentials(settings.kafka),
        broker_client_id=settings.kafka.client_id,
        processing_guarantee="at_least_once",
        broker_session_timeout=settings.kafka.session_timeout_ms / 1000,
        broker_heartbeat_interval=settings.kafka.heartbeat_interval_ms / 1000,
        broker_commit_interval=stream.commit_interval_s,
        consumer_auto_offset_reset="earliest",
        consumer_max_fetch_size=settings.kafka.max_request_bytes,
        producer_max_request_size=settings.kafka.max_request_bytes,
        producer_acks=-1,
        producer_linger=0.005,
        producer_max_batch_size=262144,
        producer_partitioner=key_partitioner,
        topic_partitions=settings.kafka.partitions,
        topic_replication_factor=settings.kafka.replication_factor,
        topic_disable_leader=True,  # no internal leader topic: the agents need no leader election
        stream_buffer_maxsize=max(4096, stream.batch_max * 4),
        web_enabled=False,  # /metrics and health are served by workers.streaming.metrics
        autodiscover=False,
        datadir=str(stream.data_dir / app_id),
    )
    return app


class StreamRuntime:
    """State shared by the agent, the timers and the shutdown path of one worker process."""

    def __init__(
        self,
        app: faust.App,
        chain: StageChain,
        stream: StreamSettings,
        metrics: WorkerMetrics,
        health: HealthState,
    ) -> None:
        self.app = app
        self.chain = chain
        self.stream = stream
        self.metrics = metrics
        self.health = health
        self.publisher = Publisher(
            app.maybe_start_producer, metrics, health, stream.first_backoff_s, stream.max_backoff_s
        )
        self._in_flight: asyncio.Future[None] | None = None
        self._next_offsets: dict[Any, int] = {}

    async def handle(self, events: Sequence[Any], ack: Callable[[Any], Awaitable[Any]]) -> None:
        """Process one batch, then hand its delivery and acks to a task and return for the next batch.

        The next batch is processed while the broker acknowledges this one, but its outputs are sent only after
        this batch's delivery finished (`_previous_batch_done`), so outputs keep their order and an input is
        still acked only after every output it caused was acknowledged.

        Also while the worker stops, a batch the agent has taken is processed, delivered and acked: faust's
        shutdown (and a rebalance) waits until every message a stream has started on is acked (its
        `stream_wait_empty`), then commits. Leaving a taken batch unacked would make that wait last for ever.
        What the agent had not taken yet is dropped unacked by faust and processed again by the next owner.
        """
        now = datetime.now(UTC)
        outgoing = []
        last_yield = time.perf_counter()
        for event in events:
            outgoing.extend(self.chain.process(source_record(event.message), now))
            if time.perf_counter() - last_yield > YIELD_EVERY_S:
                await asyncio.sleep(0)
                last_yield = time.perf_counter()
        await self._previous_batch_done()
        self._in_flight = asyncio.ensure_future(self._deliver_then_ack(outgoing, events, ack))

    async def _previous_batch_done(self) -> None:
        """Wait for the batch in flight to be delivered and acked (its errors surface here)."""
        in_flight, self._in_flight = self._in_flight, None
        if in_flight is not None:
            await in_flight

    async def _deliver_then_ack(
        self, outgoing: list[Outgoing], events: Sequence[Any], ack: Callable[[Any], Awaitable[Any]]
    ) -> None:
        await self.publisher.deliver(outgoing)
        self.metrics.batch_size.observe(len(events))
        for event in events:
            message = event.message
            self._next_offsets[message.tp] = max(self._next_offsets.get(message.tp, 0), message.offset + 1)
        for event in events:
            await ack(event)
        self.update_lag()

    def update_lag(self) -> None:
        """Lag from the high watermark of fetch responses (right on Tansu, unlike its ListOffsets answers)."""
        consumer = self.app.consumer
        assigned = consumer.assignment()
        for tp in [tp for tp in self._next_offsets if tp not in assigned]:
            # Another member owns it now and reports its lag; a stale figure here would count it twice.
            del self._next_offsets[tp]
            with contextlib.suppress(KeyError):  # no lag was known for it yet
                self.metrics.consumer_lag.remove(tp.topic, str(tp.partition))
        for tp, next_offset in self._next_offsets.items():
            try:
                highwater = consumer.highwater(tp)
            except Exception:  # not assigned any more, or no fetch response yet
                continue
            if highwater is not None:
                self.metrics.consumer_lag.labels(tp.topic, str(tp.partition)).set(max(0, highwater - next_offset))


def source_record(message: Any) -> SourceRecord:
    """The transport-neutral record of a faust message (raw key and value bytes; its timestamp in seconds)."""
    return transport_record(
        message.value,
        message.key,
        message.headers,
        message.topic,
        message.partition,
        message.offset,
        message.timestamp,
    )


def transport_record(
    value: bytes | None,
    key: bytes | None,
    headers: Any,
    topic: str,
    partition: int,
    offset: int,
    timestamp_s: float | None,
) -> SourceRecord:
    """The transport-neutral record of a consumed Kafka record, whichever client fetched it."""
    timestamp = None
    if timestamp_s and timestamp_s > 0:
        timestamp = rfc3339_of_second(int(timestamp_s))
    headers = headers or ()
    if isinstance(headers, dict):
        headers = headers.items()
    header_pairs = tuple((str(name), bytes(header_value or b"")) for name, header_value in headers)
    return SourceRecord(
        payload=value if value is not None else b"",
        key=key,
        headers=header_pairs,
        topic=topic,
        partition=partition,
        offset=offset,
        timestamp=reference_time(header_pairs, timestamp),
    )


def create_worker_app(
    settings: Settings,
    stage_names: Sequence[str] | None,
    stream: StreamSettings,
    metrics: WorkerMetrics,
    health: HealthState,
) -> tuple[faust.App, StreamRuntime]:
    """The app with one agent for the chain of the selected stages (all of them: clean and enrich in one)."""
    stages = stages_named(stage_names)
    app = build_app(settings, stream, stages)
    chain = StageChain(stages, settings, metrics)
    runtime = StreamRuntime(app, chain, stream, metrics, health)
    source = app.topic(
        chain.input_topic,
        key_type=bytes,
        value_type=bytes,
        key_serializer="raw",
        value_serializer="raw",
        partitions=settings.kafka.partitions,
    )

    async def run_chain(stream_: faust.StreamT) -> None:
        # noack_take (on faust.Stream, not in the StreamT interface) yields events and leaves acking to us.
        take = stream_.noack_take  # type: ignore[attr-defined]
        async for events in take(stream.batch_max, within=stream.batch_window_s):
            await runtime.handle(events, stream_.ack)

    app.agent(source, name=f"newsflow.{chain.name}")(run_chain)

    @app.timer(1.0)
    async def tick() -> None:
        health.tick()
        runtime.update_lag()
        metrics.assigned_partitions.set(len(app.consumer.assignment()))

    progress = ProgressReporter(metrics, stages[0].name)
    if stream.progress_interval_s > 0:

        @app.timer(stream.progress_interval_s)
        async def report_progress() -> None:
            progress.report()

    @app.task
    async def started() -> None:
        health.tick()
        health.started = True
        progress.restart()
        log.info(
            "worker started",
            extra={"stages": chain.name, "input": chain.input_topic, "group": group_id(settings, stages)},
        )

    return app, runtime


class NewsflowWorker(faust.Worker):
    """faust's worker with a bounded stop: SIGTERM or SIGINT stops it as faust does (the taken batches are
    delivered and acked, the offsets committed, the group left), a second signal or the stop deadline ends the
    process at once.

    mode calls `on_stop` first when the worker stops, whatever started the stop (its own signal handler, or a
    crash); `on_shutdown` last, once the app and its consumer have stopped. Both are mode's documented hooks.
    """

    def __init__(self, app: faust.App, health: HealthState, stop_timeout_s: float, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self.health = health
        self.stop_deadline = StopDeadline(stop_timeout_s)
        self._stop_started = 0.0

    async def on_stop(self) -> None:
        self.health.stopping = True
        self._stop_started = time.monotonic()
        log.info("stopping: finishing the batches taken, then committing and leaving the group")
        self.stop_deadline.start()
        # mode's handlers ignore every signal after the first; replacing them lets an operator cut a stop short.
        for signum in (signal.SIGINT, signal.SIGTERM):
            self.loop.add_signal_handler(signum, exit_at_once, signum)
        await super().on_stop()

    async def on_shutdown(self) -> None:
        await super().on_shutdown()
        self.stop_deadline.cancel()
        log.info("worker stopped", extra={"stop_s": round(time.monotonic() - self._stop_started, 3)})


def exit_at_once(signum: int) -> None:
    """A second SIGTERM/SIGINT during a stop: exit now, with the status a shell gives a process the signal ended."""
    log.warning(
        "second signal during the stop: exiting at once; records not yet committed will be processed again",
        extra={"signal": signal.Signals(signum).name},
    )
    logging.shutdown()
    os._exit(128 + signum)


class StopDeadline:
    """Ends the process when a stop has not finished in time, e.g. while the broker is away and deliveries
    are retried: a supervisor would kill it anyway, and the exit says why. What was not committed is
    processed again after the restart (at-least-once)."""

    def __init__(self, timeout_s: float) -> None:
        self.timeout_s = timeout_s
        self._timer: threading.Timer | None = None

    def start(self) -> None:
        if self._timer is None:
            self._timer = threading.Timer(self.timeout_s, self._exit_now)
            self._timer.daemon = True
            self._timer.start()

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()

    def _exit_now(self) -> None:
        log.error(
            f"the worker did not stop within {self.timeout_s:g} s (NEWSFLOW_STREAM_STOP_TIMEOUT_S); exiting; "
            "records not yet committed will be processed again"
        )
        logging.shutdown()
        os._exit(STOP_TIMEOUT_EXIT_STATUS)


def run_worker(
    settings: Settings,
    stage_names: Sequence[str] | None,
    stream: StreamSettings,
    metrics_port_setting: str = "NEWSFLOW_METRICS_PORT",
) -> int:
    """Serve metrics and health, wait for the brokers, create missing topics, and run the agents until
    SIGTERM/SIGINT. Exit status 2 when the metrics port is taken, 1 when the worker has not started in time."""
    from workers.broker import clients
    from workers.streaming.metrics import serve

    metrics = WorkerMetrics(settings.pipeline.pipeline_version)
    health = HealthState(stall_after_s=stream.stall_limit_s)
    health.connecting = True
    start_deadline = time.monotonic() + stream.startup_timeout_s
    server = None
    if settings.metrics_port:
        try:
            server = serve(metrics, health, settings.metrics_port)
        except OSError as error:
            print(
                f"newsflow worker: refusing to start: {metrics_port_setting}={settings.metrics_port} cannot be "
                f"served ({error.strerror or error}); choose a free port, or 0 to serve no metrics",
                file=sys.stderr,
            )
            return 2
    stall_watchdog: EventLoopWatchdog | None = None
    try:
        if not wait_for_brokers_or_give_up(settings, stream, health, start_deadline):
            return 1
        refusal = clients.session_timeout_refusal(settings.kafka)
        if refusal:
            log.error(f"refusing to start: {refusal}")
            print(f"newsflow worker: refusing to start: {refusal}", file=sys.stderr)
            return 2
        startup_watchdog = StartupWatchdog(health, stream.startup_timeout_s)
        startup_watchdog.start(max(0.0, start_deadline - time.monotonic()))
        try:
            clients.ensure_pipeline_topics(settings.kafka, settings.topics)
            clients.warn_if_raw_retention_short(settings.kafka, settings.topics.raw)
            if stream.processing_guarantee == "exactly_once":
                from workers.streaming.transactional import run_transactional

                load_places()
                stall_watchdog = EventLoopWatchdog(health, stream.stall_limit_s).start()
                status = asyncio.run(run_transactional(settings, stage_names, stream, metrics, health))
                return 1 if startup_watchdog.expired else status
            stream.data_dir.mkdir(parents=True, exist_ok=True)
            app, _ = create_worker_app(settings, stage_names, stream, metrics, health)
            with open(os.devnull, "w") as discard:
                worker = NewsflowWorker(
                    app,
                    health,
                    stream.stop_timeout_s,
                    loglevel=settings.log_level.lower(),
                    quiet=True,
                    override_logging=False,  # keep workers.logs' JSON lines
                    redirect_stdouts=False,
                    # faust's start-up spinner writes terminal escapes to a terminal stdout, where `newsflow dev`
                    # prints events; it writes nothing to a stream that is not a terminal.
                    stdout=discard,
                )
                load_places()
                freeze_startup_objects()
                collect_less_often()
                stall_watchdog = EventLoopWatchdog(health, stream.stall_limit_s).start()
                worker.execute_from_commandline()
        except SystemExit as exit_:
            return 1 if startup_watchdog.expired else int(exit_.code or 0)
        finally:
            startup_watchdog.cancel()
    finally:
        if stall_watchdog is not None:
            stall_watchdog.stop()
        if server is not None:
            server.shutdown()
    return 0


def wait_for_brokers_or_give_up(
    settings: Settings, stream: StreamSettings, health: HealthState, deadline: float
) -> bool:
    """Check the brokers answer before faust starts (true), logging why not at a bounded rate until `deadline`."""
    from workers.broker import reachability

    def note(problems: list[reachability.Unreachable]) -> None:
        health.tick()  # waiting for the broker is what this worker should be doing now: it is alive
        health.broker_problem = "; ".join(map(str, problems))

    problems = reachability.wait_for_brokers(settings.kafka, deadline, on_failure=note)
    if problems:
        log.error(
            f"giving up: the Kafka brokers {settings.kafka.bootstrap_servers} (KAFKA_BOOTSTRAP_SERVERS) could not be "
            f"reached within {stream.startup_timeout_s:g} s (NEWSFLOW_STARTUP_TIMEOUT_S): "
            + "; ".join(map(str, problems)),
            extra={"bootstrap_servers": settings.kafka.bootstrap_servers, "causes": [p.cause for p in problems]},
        )
        return False
    health.connecting, health.broker_problem = False, None
    log.info("Kafka brokers reachable", extra={"bootstrap_servers": settings.kafka.bootstrap_servers})
    return True


class StartupWatchdog:
    """Stops a worker that has not started its stream by the start-up deadline although its brokers answered
    the pre-flight check (topic creation or faust's clients hung): SIGTERM, the same graceful stop as an
    operator's (or, before faust has installed its handler, the default end of the process), and a hard exit
    if that does not finish either."""

    grace_s = 30.0

    def __init__(self, health: HealthState, timeout_s: float) -> None:
        self.health = health
        self.timeout_s = timeout_s
        self.expired = False
        self._timer: threading.Timer | None = None

    def start(self, after_s: float) -> None:
        self._timer = threading.Timer(after_s, self._check)
        self._timer.daemon = True
        self._timer.start()

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()

    def _check(self) -> None:
        if self.health.started:
            return
        self.expired = True
        log.error(
            f"giving up: the worker did not start its stream within {self.timeout_s:g} s "
            "(NEWSFLOW_STARTUP_TIMEOUT_S), although its brokers answered; stopping",
            extra={"phase": self.health.phase()},
        )
        os.kill(os.getpid(), signal.SIGTERM)
        self._timer = threading.Timer(self.grace_s, self._exit_now)
        self._timer.daemon = True
        self._timer.start()

    def _exit_now(self) -> None:
        log.error("the worker did not stop within %g s of its start-up deadline; exiting", self.grace_s)
        logging.shutdown()
        os._exit(1)
