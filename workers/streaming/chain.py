"""Stream stages run back to back over one input record, producing the records to publish (no I/O here).

A chain of one stage is what `newsflow worker --stages clean` (or enrich) runs. The chain of all stages is what
`newsflow worker` runs: a raw record is cleaned and enriched in memory, and the cleaned record is still
published so enrichment can be replayed on its own. The enrich stage gets the cleaned record's bytes (what a
dead letter keeps) and the clean stage's in-memory value, which equals what it would parse from those bytes
(asserted in tests), so both layouts give byte-identical payloads (and the same payloads as `newsflow process`:
both run the stages with workers.runner.run_chain).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from workers.broker import headers as h
from workers.pipeline import StreamStage, check_chain
from workers.records import OutputEvent, SourceRecord
from workers.runner import StageResult, dead_letter_event, run_chain, run_stage
from workers.settings import PipelineSettings, Settings
from workers.streaming.metrics import WorkerMetrics

# Room left under the producer's request limit for the record's key, headers and batch framing.
_RECORD_OVERHEAD_BYTES = 64 * 1024


class Outgoing(NamedTuple):
    """One record to publish: a resolved topic, key, value and headers (a tuple: a worker builds ~8 per input)."""

    topic: str
    key: bytes
    value: bytes
    headers: list[tuple[str, bytes]]
    role: str
    stage: str


class StageChain:
    """Runs consecutive pipeline stages over input records (workers.runner.run_chain) and makes records to
    publish of their events: topic, key and headers, with an output the producer would refuse dead-lettered.
    The chain's input topic is its first stage's; a worker passes its metrics, replay none."""

    def __init__(self, stages: Sequence[StreamStage], settings: Settings, metrics: WorkerMetrics | None = None) -> None:
        self.stages = check_chain(stages)
        self.settings = settings
        self.metrics = metrics
        self.name = "+".join(stage.name for stage in stages)
        self.input_topic = settings.topics.for_role(stages[0].input_role)
        self._max_record_bytes = settings.kafka.max_request_bytes - _RECORD_OVERHEAD_BYTES
        self._topic_of = functools.lru_cache(maxsize=None)(settings.topics.for_role)
        # Labelled children looked up once: labels() costs more than the observation itself.
        self._stage_metrics = {
            stage.name: (metrics.processing_seconds.labels(stage.name), metrics.messages_in.labels(stage.name))
            for stage in stages
            if metrics is not None
        }

    def process(self, record: SourceRecord, now: datetime) -> list[Outgoing]:
        """Every record the input causes, in order; never raises for a bad input (those become dead letters)."""
        outgoing: list[Outgoing] = []
        for stage, event, _ in run_chain(self.stages, record, self.settings.pipeline, self._run):
            outgoing.append(self._outgoing(event, stage, record, len(outgoing), now))
        return outgoing

    def _run(self, stage: StreamStage, source: SourceRecord, settings: PipelineSettings, value: Any) -> StageResult:
        """run_stage, timed and counted, with an output the producer would refuse turned into a dead letter."""
        started = time.perf_counter()
        result = run_stage(stage, source, settings, value)
        elapsed = time.perf_counter() - started
        if any(len(event.value) > self._max_record_bytes for event in result.events):
            # An output the broker would refuse for good would stall the partition; dead-letter the input
            # instead (its bytes are kept only when they fit under the pipeline's size limit).
            error = f"an output exceeds the producer limit of {self._max_record_bytes} bytes"
            letter = dead_letter_event(source, stage, "write", "too_large", error, settings)
            if len(letter.value) > self._max_record_bytes:  # then a size and sha256 reference remain
                letter = dead_letter_event(source, stage, "write", "too_large", error, settings, keep_original=False)
            result = StageResult([letter], "too_large")
        if self.metrics is not None:
            processing_seconds, messages_in = self._stage_metrics[stage.name]
            processing_seconds.observe(elapsed)
            messages_in.inc()
            if result.dead_letter_reason is not None:
                self.metrics.dead_lettered.labels(stage.name, result.dead_letter_reason).inc()
        return result

    def _outgoing(
        self, event: OutputEvent, stage: StreamStage, origin: SourceRecord, index: int, now: datetime
    ) -> Outgoing:
        # Provenance names the input record this chain consumed; for the all-stages chain that is the raw
        # record, also for the enrich stage's outputs (the cleaned record's offset is not known yet).
        # Positional: NamedTuple's keyword path cost twice as much, eight times per article.
        return Outgoing(
            self._topic_of(event.topic_role),
            event.key.encode(),
            event.value,
            h.output_headers(event, stage.name, origin, self.settings.pipeline.pipeline_version, index, now),
            event.topic_role,
            stage.name,
        )
