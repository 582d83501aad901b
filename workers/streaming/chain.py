"""Stream stages run back to back over one input record, producing the records to publish (no I/O here).

A chain of one stage is what `newsflow worker --stages clean` (or enrich) runs. The chain of all stages is what
`newsflow worker` runs: a raw record is cleaned and enriched in memory, and the cleaned record is still
published so enrichment can be replayed on its own. The enrich stage gets the cleaned record's bytes (what a
dead letter keeps) and the clean stage's in-memory value, which equals what it would parse from those bytes
(asserted in tests), so both layouts give byte-identical payloads (and the same payloads as `newsflow process`,
which does the same in workers.runner.run_pipeline).
"""

from __future__ import annotations

import functools
import itertools
import time
from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

import msgspec

from workers import serialization
from workers.broker import headers as h
from workers.pipeline import StreamStage
from workers.records import OutputEvent, SourceRecord
from workers.runner import dead_letter_event, handoff_record, run_stage
from workers.settings import Settings
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
    """Runs consecutive pipeline stages over input records; the first stage's input topic is the chain's."""

    def __init__(self, stages: Sequence[StreamStage], settings: Settings, metrics: WorkerMetrics) -> None:
        if not stages:
            raise ValueError("a chain needs at least one stage")
        for before, after in itertools.pairwise(stages):
            if after.input_role not in before.output_roles:
                raise ValueError(f"stage {after.name} does not read what {before.name} writes")
        self.stages = tuple(stages)
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
        }

    def process(self, record: SourceRecord, now: datetime) -> list[Outgoing]:
        """Every record the input causes, in order; never raises for a bad input (those become dead letters)."""
        outgoing: list[Outgoing] = []
        pending: list[tuple[SourceRecord, Any]] = [(record, None)]
        last = len(self.stages) - 1
        for position, stage in enumerate(self.stages):
            following: list[tuple[SourceRecord, Any]] = []
            for source, value in pending:
                events, handed_value = self._run(stage, source, value)
                for event in events:
                    outgoing.append(self._outgoing(event, stage, record, len(outgoing), now))
                    if event.topic_role == stage.output_roles[0] and position < last:
                        following.append((handoff_record(source, event), handed_value))
            pending = following
        return outgoing

    def _run(self, stage: StreamStage, source: SourceRecord, value: Any) -> tuple[list[OutputEvent], Any]:
        """The stage's events and its in-memory output (for the next stage of the chain)."""
        started = time.perf_counter()
        result = run_stage(stage, source, self.settings.pipeline, value)
        processing_seconds, messages_in = self._stage_metrics[stage.name]
        processing_seconds.observe(time.perf_counter() - started)
        messages_in.inc()
        events = result.events
        if any(len(event.value) > self._max_record_bytes for event in events):
            # An output the broker would refuse for good would stall the partition; dead-letter the input
            # instead (its bytes are kept only when they fit under the pipeline's size limit).
            letter = dead_letter_event(
                source,
                stage,
                "write",
                "too_large",
                f"an output exceeds the producer limit of {self._max_record_bytes} bytes",
                self.settings.pipeline,
            )
            self.metrics.dead_lettered.labels(stage.name, "too_large").inc()
            return ([letter] if len(letter.value) <= self._max_record_bytes else [_reference_only(letter)]), None
        if result.dead_letter_reason is not None:
            self.metrics.dead_lettered.labels(stage.name, result.dead_letter_reason).inc()
        return events, result.value

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


def _reference_only(letter: OutputEvent) -> OutputEvent:
    """The dead letter without the original bytes (a size and sha256 reference remain)."""
    value = serialization.loads(letter.value)
    value["original"]["value"] = None
    value["original"]["value_omitted"] = True
    return msgspec.structs.replace(letter, value=serialization.dumps(value))
