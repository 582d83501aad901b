"""Publishing a batch of output records and waiting until the broker has acknowledged every one of them.

This is what makes the worker at-least-once: the agent acks its input events (and so lets faust commit their
offsets) only after `deliver` returned, i.e. after every output those inputs caused was acknowledged with
acks=all. A send that fails is retried with backoff, never dropped and never dead-lettered: a broker that is
down or paused is a transient condition, and the partition waits for it rather than losing records.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from functools import lru_cache
from typing import Any, Protocol

from kafka.partitioner.default import murmur2

from workers.streaming.chain import Outgoing
from workers.streaming.metrics import HealthState, WorkerMetrics

log = logging.getLogger(__name__)


class RecordProducer(Protocol):
    """The part of faust's producer that is used: `send`, which returns the record's delivery future."""

    async def send(
        self,
        topic: str,
        key: bytes | None,
        value: bytes | None,
        partition: int | None,
        timestamp: float | None,
        headers: Any,
    ) -> Awaitable[Any]: ...


class Publisher:
    """Sends a batch's records without waiting for each, then awaits all deliveries; retries the failed ones.

    Records go through faust's producer (`App.maybe_start_producer`, `ProducerT.send`), one delivery future each;
    Kafka's default partitioner places them (installed as faust's `producer_partitioner`, see key_partitioner).
    """

    def __init__(
        self,
        producer: Callable[[], Awaitable[RecordProducer]],
        metrics: WorkerMetrics,
        health: HealthState,
        first_backoff_s: float = 0.2,
        max_backoff_s: float = 5.0,
    ) -> None:
        self._producer = producer
        self.metrics = metrics
        self.health = health
        self.first_backoff_s = first_backoff_s
        self.max_backoff_s = max_backoff_s

    async def deliver(self, records: Sequence[Outgoing]) -> None:
        """Return once the broker acknowledged every record (retrying for as long as it takes)."""
        pending = list(records)
        backoff = self.first_backoff_s
        while pending:
            outcomes = await _send_all(self._producer, pending)
            failed: list[Outgoing] = []
            first_error: BaseException | None = None
            delivered: Counter[tuple[str, str]] = Counter()
            for record, outcome in zip(pending, outcomes, strict=True):
                if isinstance(outcome, BaseException):
                    failed.append(record)
                    first_error = first_error or outcome
                else:
                    delivered[(record.stage, record.role)] += 1
            for (stage, role), count in delivered.items():
                self.metrics.messages_out.labels(stage, role).inc(count)
            if not failed:
                self.health.delivery_failing = False
                return
            self.health.delivery_failing = True
            self.metrics.delivery_retries.inc(len(failed))
            log.warning(
                "delivery failed, retrying",
                extra={"failed": len(failed), "of": len(pending), "error": repr(first_error), "backoff_s": backoff},
            )
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, self.max_backoff_s)
            pending = failed


async def _send_all(producer_of: Callable[[], Awaitable[RecordProducer]], records: list[Outgoing]) -> list[Any]:
    """Each record's delivery outcome, in order: its metadata, or the error that kept it from the broker."""
    try:
        producer = await producer_of()
    except Exception as error:  # no producer yet: every record is retried
        return [error] * len(records)
    deliveries: list[Awaitable[Any]] = []
    for record in records:
        try:
            deliveries.append(await producer.send(record.topic, record.key, record.value, None, None, record.headers))
        except Exception as error:  # e.g. the producer is restarting: this and the records after it are retried
            deliveries.extend(_failed(error) for _ in range(len(records) - len(deliveries)))
            break
    return await asyncio.gather(*deliveries, return_exceptions=True)


async def _failed(error: BaseException) -> Any:
    raise error


@lru_cache(maxsize=65536)
def _key_hash(key: bytes) -> int:
    # kafka-python's murmur2 (Java's Utils.murmur2) is pure Python: about 5 µs for a 32-byte article id.
    return murmur2(key) & 0x7FFFFFFF


def key_partitioner(key: bytes | None, all_partitions: list[int], available: list[int]) -> int:
    """aiokafka's (and Java's, and kafka-python's) default partitioner, with the key's hash cached; the worker's
    producer uses it through faust's documented `producer_partitioner` setting.

    Every output of one article has the same key, and the pure-Python murmur2 was 5 % of a worker's time when
    computed for each record.
    """
    if key is None:
        return random.choice(available or all_partitions)
    return all_partitions[_key_hash(key) % len(all_partitions)]
