"""The worker's periodic progress line: records in, out and dead-lettered since the last line and in all, the
input rate and the consumer lag, read from the worker's own Prometheus metrics."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from prometheus_client import Counter, Gauge

from workers.streaming.metrics import WorkerMetrics

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Totals:
    """Counts since the worker started."""

    records_in: int = 0  # input records the chain's first stage processed
    records_out: int = 0  # outputs other than dead letters that the broker acknowledged
    dead_lettered: int = 0  # input records that became a dead letter (in any stage of the chain)


def _sum(metric: Counter | Gauge, keep: Callable[[dict[str, str]], bool] = lambda labels: True) -> float | None:
    """Sum of a metric's samples whose labels pass `keep`; None when it has none yet."""
    values = [
        sample.value
        for family in metric.collect()
        for sample in family.samples
        if not sample.name.endswith("_created") and keep(sample.labels)
    ]
    return sum(values) if values else None


def current_totals(metrics: WorkerMetrics, input_stage: str) -> Totals:
    return Totals(
        records_in=int(_sum(metrics.messages_in, lambda labels: labels["stage"] == input_stage) or 0),
        records_out=int(_sum(metrics.messages_out, lambda labels: labels["role"] != "deadletter") or 0),
        dead_lettered=int(_sum(metrics.dead_lettered) or 0),
    )


def current_lag(metrics: WorkerMetrics) -> int | None:
    """Records behind the high watermark over this worker's partitions; None before any fetch told it."""
    lag = _sum(metrics.consumer_lag)
    return None if lag is None else int(lag)


def progress_line(before: Totals, now: Totals, elapsed_s: float, lag: int | None) -> tuple[str, dict[str, Any]]:
    """The message and the structured fields of one progress line."""
    fresh_in = now.records_in - before.records_in
    fresh_out = now.records_out - before.records_out
    fresh_dead = now.dead_lettered - before.dead_lettered
    rate = fresh_in / elapsed_s if elapsed_s > 0 else 0.0
    message = (
        f"progress: {fresh_in:,} in, {fresh_out:,} out, {fresh_dead:,} dead-lettered in the last {elapsed_s:.0f} s "
        f"({rate:,.1f} in/s); {now.records_in:,} in, {now.records_out:,} out, {now.dead_lettered:,} dead-lettered "
        f"since start; lag {'unknown' if lag is None else f'{lag:,}'}"
    )
    fields: dict[str, Any] = {
        "in": fresh_in,
        "out": fresh_out,
        "dead_lettered": fresh_dead,
        "in_per_s": round(rate, 2),
        "interval_s": round(elapsed_s, 3),
        "in_total": now.records_in,
        "out_total": now.records_out,
        "dead_lettered_total": now.dead_lettered,
        "lag": lag,
    }
    return message, fields


class ProgressReporter:
    """Logs one progress line per call, counting from the previous call (or from `restart`)."""

    def __init__(self, metrics: WorkerMetrics, input_stage: str, clock: Callable[[], float] = time.monotonic) -> None:
        self.metrics = metrics
        self.input_stage = input_stage
        self.clock = clock
        self.restart()

    def restart(self) -> None:
        self._before = current_totals(self.metrics, self.input_stage)
        self._since = self.clock()

    def report(self) -> None:
        now, totals = self.clock(), current_totals(self.metrics, self.input_stage)
        message, fields = progress_line(self._before, totals, now - self._since, current_lag(self.metrics))
        log.info(message, extra=fields)
        self._before, self._since = totals, now
