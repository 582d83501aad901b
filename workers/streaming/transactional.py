"""Exactly-once processing: a batch of one input partition, every output it caused and the commit of its offsets
are one Kafka transaction (NEWSFLOW_PROCESSING_GUARANTEE=exactly_once).

The design is Kafka Streams' first exactly-once mode, built on aiokafka's public transactional API:
- One transactional producer per input partition, its transactional.id named after the group and the partition.
  Outputs go to whatever partitions their keys map to; they ride in the transaction of the input partition whose
  records caused them, together with that partition's offsets (`send_offsets_to_transaction`).
- A member that gets a partition starts that partition's producer before it reads anything of it: InitProducerId
  bumps the transactional.id's epoch, which fences every earlier holder of the partition (a member killed,
  paused or still busy after a rebalance can no longer commit), and it returns only once that holder's open
  transaction is completed or aborted. Only then does the member read the partition's committed offset and
  seek to it. So each committed transaction starts exactly where the previous committed one ended.
- A transaction that fails for any reason is handled the same way: its producer is replaced (which aborts or
  completes what was open) and the partition restarts from its committed offset. The outputs of an aborted
  transaction stay invisible to `read_committed` consumers.
- The input is read `read_committed`: a raw topic written transactionally upstream shows only committed records.

Why not faust's `processing_guarantee="exactly_once"`: faust names a transaction after the partition an
output's key maps to (its TransactionManager.send), not after the input's partition, so the outputs of one input
(keyed by article, not by the raw record) land in other transactions than its offset; and issues #323 and #517
report duplicates around rebalances. Why not one producer per process with KIP-447's group-metadata fencing:
aiokafka's `send_offsets_to_transaction` takes a group id only, and kafka-python's (which takes the metadata) is
a thread-based client; per-partition producers fence zombies with any broker that has transactions.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRebalanceListener, TopicPartition
from aiokafka.errors import IllegalOperation, KafkaError

from workers.broker.clients import bootstrap_servers, ssl_context
from workers.pipeline import stages_named
from workers.settings import KafkaSettings, Settings
from workers.streaming.app import YIELD_EVERY_S, StopDeadline, exit_at_once, group_id, transport_record
from workers.streaming.chain import Outgoing, StageChain
from workers.streaming.config import StreamSettings
from workers.streaming.delivery import key_partitioner
from workers.streaming.metrics import HealthState, WorkerMetrics
from workers.streaming.progress import ProgressReporter

log = logging.getLogger(__name__)

# Exit status of a start refused for a setting the brokers cannot serve (as for a taken metrics port).
REFUSED_EXIT_STATUS = 2
# How long the start-up check may wait for the broker's answer to InitProducerId.
_TRANSACTIONS_CHECK_TIMEOUT_S = 30.0


class TransactionsUnavailable(RuntimeError):
    """The brokers answered InitProducerId with an error: they offer no transactions to this client."""


def client_options(kafka: KafkaSettings) -> dict[str, Any]:
    """Bootstrap, client id and security options of an aiokafka client, from the KAFKA_* settings."""
    options: dict[str, Any] = {
        "bootstrap_servers": bootstrap_servers(kafka),
        "client_id": kafka.client_id,
        "security_protocol": kafka.security_protocol.upper(),
    }
    context = ssl_context(kafka)
    if context is not None:
        options["ssl_context"] = context
    if kafka.sasl_mechanism:
        options.update(
            sasl_mechanism=kafka.sasl_mechanism,
            sasl_plain_username=kafka.sasl_username,
            sasl_plain_password=kafka.sasl_password,
        )
    return options


def transactional_producer(kafka: KafkaSettings, transactional_id: str) -> AIOKafkaProducer:
    return AIOKafkaProducer(
        **client_options(kafka),
        transactional_id=transactional_id,
        acks="all",
        linger_ms=5,
        max_batch_size=262144,
        max_request_size=kafka.max_request_bytes,
        partitioner=key_partitioner,
    )


def transactional_id(group: str, tp: TopicPartition) -> str:
    """The same name for a partition on every member: what lets a new owner fence the previous one."""
    return f"{group}.{tp.topic}.{tp.partition}"


@dataclass
class OwnedPartition:
    """A partition this member has fenced its earlier owners of: its producer and where its next record is."""

    producer: AIOKafkaProducer
    position: int


class TransactionalProcessor(ConsumerRebalanceListener):
    """Consumes the chain's input read_committed and commits each partition's batch with its outputs."""

    def __init__(
        self,
        settings: Settings,
        stream: StreamSettings,
        chain: StageChain,
        group: str,
        metrics: WorkerMetrics,
        health: HealthState,
    ) -> None:
        self.settings = settings
        self.stream = stream
        self.chain = chain
        self.group = group
        self.metrics = metrics
        self.health = health
        self.stopping = asyncio.Event()
        self.consumer = AIOKafkaConsumer(
            **client_options(settings.kafka),
            group_id=group,
            enable_auto_commit=False,
            isolation_level="read_committed",
            auto_offset_reset="earliest",
            session_timeout_ms=settings.kafka.session_timeout_ms,
            heartbeat_interval_ms=settings.kafka.heartbeat_interval_ms,
            fetch_max_bytes=settings.kafka.max_request_bytes,
            max_partition_fetch_bytes=settings.kafka.max_request_bytes,
        )
        self._owned: dict[TopicPartition, OwnedPartition] = {}
        # Held while a batch is processed and committed: a revocation waits for it, so the member hands over
        # a partition between transactions (correctness does not rest on it: fencing does).
        self._batch_lock = asyncio.Lock()

    async def run(self) -> None:
        """Consume until `stopping` is set; the transaction in hand is finished first."""
        self.consumer.subscribe([self.chain.input_topic], listener=self)
        await self.consumer.start()
        try:
            self.health.started = True
            log.info(
                "worker started",
                extra={
                    "stages": self.chain.name,
                    "input": self.chain.input_topic,
                    "group": self.group,
                    "processing_guarantee": "exactly_once",
                },
            )
            window_ms = max(1, int(self.stream.batch_window_s * 1000))
            while not self.stopping.is_set():
                batches = await self.consumer.getmany(timeout_ms=window_ms, max_records=self.stream.batch_max)
                for tp, records in batches.items():
                    if self.stopping.is_set():
                        break
                    await self._handle(tp, records)
        finally:
            async with self._batch_lock:
                await self._release(list(self._owned))
            await self.consumer.stop()  # leaves the group: the partitions move at once

    async def _handle(self, tp: TopicPartition, records: Sequence[Any]) -> None:
        async with self._batch_lock:
            if tp not in self.consumer.assignment():
                return  # revoked while waiting: the new owner reads from the committed offset
            owned = self._owned.get(tp)
            if owned is None:
                # Records fetched before this member fenced the partition's earlier owners may start at a stale
                # committed offset: they are dropped and fetched again from the offset read after fencing.
                await self._take_over(tp)
                return
            records = [record for record in records if record.offset >= owned.position]
            if not records:
                return
            outgoing = await self._process(records)
            next_offset = records[-1].offset + 1
            try:
                await self._commit(owned.producer, tp, outgoing, next_offset)
            except (KafkaError, IllegalOperation) as error:  # IllegalOperation: a fenced producer's state
                log.warning(
                    "transaction failed: the partition restarts from its committed offset",
                    extra={"partition": tp.partition, "error": repr(error), "records": len(records)},
                )
                self.health.delivery_failing = True
                self.metrics.delivery_retries.inc(len(outgoing))
                await self._release([tp])
                await asyncio.sleep(self.stream.first_backoff_s)
                return
            self.health.delivery_failing = False
            owned.position = next_offset
            self.metrics.batch_size.observe(len(records))
            for (stage, role), count in _counts(outgoing).items():
                self.metrics.messages_out.labels(stage, role).inc(count)
            self._update_lag(tp, next_offset)

    async def _process(self, records: Sequence[Any]) -> list[Outgoing]:
        now = datetime.now(UTC)
        outgoing: list[Outgoing] = []
        last_yield = time.perf_counter()
        for record in records:
            timestamp_s = record.timestamp / 1000 if record.timestamp is not None else None
            source = transport_record(
                record.value, record.key, record.headers, record.topic, record.partition, record.offset, timestamp_s
            )
            outgoing.extend(self.chain.process(source, now))
            if time.perf_counter() - last_yield > YIELD_EVERY_S:
                await asyncio.sleep(0)  # heartbeats and timers run between records
                last_yield = time.perf_counter()
        return outgoing

    async def _commit(
        self, producer: AIOKafkaProducer, tp: TopicPartition, outgoing: list[Outgoing], next_offset: int
    ) -> None:
        """One transaction: every output, then the input offset; an error leaves it to be aborted."""
        await producer.begin_transaction()
        deliveries = []
        try:
            for record in outgoing:
                deliveries.append(
                    await producer.send(record.topic, record.value, key=record.key, headers=record.headers)
                )
        finally:  # every delivery's outcome is taken, also when a send failed (e.g. the producer was fenced)
            outcomes = await asyncio.gather(*deliveries, return_exceptions=True)
        failed = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
        if failed:
            raise failed[0]
        await producer.send_offsets_to_transaction({tp: next_offset}, self.group)
        await producer.commit_transaction()

    async def _take_over(self, tp: TopicPartition) -> None:
        """Fence the partition's earlier owners, then continue from its committed offset."""
        producer = transactional_producer(self.settings.kafka, transactional_id(self.group, tp))
        try:
            await producer.start()  # InitProducerId: fences, and waits for the previous transaction to end
            committed = await self.consumer.committed(tp)
            if committed is None:
                beginning = await self.consumer.beginning_offsets([tp])
                committed = beginning[tp]
            if tp not in self.consumer.assignment():
                await producer.stop()
                return
            self.consumer.seek(tp, committed)
        except (KafkaError, IllegalOperation) as error:
            log.warning(
                "could not take over a partition; trying again", extra={"partition": tp.partition, "error": repr(error)}
            )
            await producer.stop()
            await asyncio.sleep(self.stream.first_backoff_s)
            return
        self._owned[tp] = OwnedPartition(producer, committed)
        log.info("partition taken over", extra={"partition": tp.partition, "committed_offset": committed})

    async def _release(self, partitions: Sequence[TopicPartition]) -> None:
        for tp in partitions:
            owned = self._owned.pop(tp, None)
            if owned is not None:
                await owned.producer.stop()  # an open transaction (only after an error) is aborted by the next owner
            self.metrics.assigned_partitions.set(len(self.consumer.assignment()))

    def _update_lag(self, tp: TopicPartition, next_offset: int) -> None:
        highwater = self.consumer.highwater(tp)
        if highwater is not None:
            self.metrics.consumer_lag.labels(tp.topic, str(tp.partition)).set(max(0, highwater - next_offset))

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        async with self._batch_lock:
            await self._release(sorted(revoked))

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        # Taken over on the first records fetched (in `_handle`), where a failure can be retried.
        self.metrics.assigned_partitions.set(len(self.consumer.assignment()))


def _counts(outgoing: list[Outgoing]) -> dict[tuple[str, str], int]:
    counts: dict[tuple[str, str], int] = {}
    for record in outgoing:
        counts[(record.stage, record.role)] = counts.get((record.stage, record.role), 0) + 1
    return counts


async def check_transactions(kafka: KafkaSettings, group: str) -> None:
    """Raise TransactionsUnavailable when the brokers refuse InitProducerId (Tansu does)."""
    producer = transactional_producer(kafka, f"{group}.startup-check")
    try:
        await asyncio.wait_for(producer.start(), _TRANSACTIONS_CHECK_TIMEOUT_S)
    except (KafkaError, TimeoutError) as error:
        raise TransactionsUnavailable(f"{type(error).__name__}: {error}") from None
    finally:
        await producer.stop()


def transactions_refusal(kafka: KafkaSettings, reason: str) -> str:
    return (
        f"NEWSFLOW_PROCESSING_GUARANTEE=exactly_once needs Kafka transactions, and the brokers at "
        f"{kafka.bootstrap_servers} refused them (InitProducerId: {reason}); the embedded Tansu broker of "
        "`newsflow dev` has no transactions: run Apache Kafka, or set NEWSFLOW_PROCESSING_GUARANTEE=at_least_once"
    )


async def run_transactional(
    settings: Settings,
    stage_names: Sequence[str] | None,
    stream: StreamSettings,
    metrics: WorkerMetrics,
    health: HealthState,
) -> int:
    """Run the exactly-once worker until SIGTERM/SIGINT; 2 when the brokers have no transactions."""
    stages = stages_named(stage_names)
    group = group_id(settings, stages)
    try:
        await check_transactions(settings.kafka, group)
    except TransactionsUnavailable as error:
        message = transactions_refusal(settings.kafka, str(error))
        log.error(f"refusing to start: {message}")
        print(f"newsflow worker: refusing to start: {message}", flush=True, file=sys.stderr)
        return REFUSED_EXIT_STATUS
    processor = TransactionalProcessor(settings, stream, StageChain(stages, settings, metrics), group, metrics, health)
    loop = asyncio.get_running_loop()
    deadline = StopDeadline(stream.stop_timeout_s)
    stop_started: list[float] = []

    def stop(signum: int) -> None:
        stop_started.append(time.monotonic())
        health.stopping = True
        log.info("stopping: finishing the transaction in hand, then leaving the group")
        deadline.start()
        processor.stopping.set()
        for each in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(each, exit_at_once, each)

    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop, signum)
    progress = ProgressReporter(metrics, stages[0].name)
    timers = [asyncio.ensure_future(_every(1.0, health.tick))]
    if stream.progress_interval_s > 0:
        progress.restart()
        timers.append(asyncio.ensure_future(_every(stream.progress_interval_s, progress.report)))
    try:
        await processor.run()
    finally:
        for timer in timers:
            timer.cancel()
        deadline.cancel()
    if stop_started:
        log.info("worker stopped", extra={"stop_s": round(time.monotonic() - stop_started[0], 3)})
    return 0


async def _every(interval_s: float, action: Any) -> None:
    while True:
        action()
        await asyncio.sleep(interval_s)
