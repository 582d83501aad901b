"""Runs a stream stage over one source record: events out, or a dead letter; never an escaping exception."""

from __future__ import annotations

import hashlib
import signal
import threading
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import msgspec

from workers import serialization
from workers.pipeline import PIPELINE, StreamStage
from workers.records import (
    DeadLetter,
    DeadLetterReason,
    OriginalRecord,
    OutputEvent,
    RecordHeader,
    SourceRecord,
    StageFailure,
)
from workers.settings import PipelineSettings


class _TimeLimitExceeded(BaseException):
    """Raised from a timer signal; a BaseException so a stage's `except Exception` cannot swallow it."""


def _expire(signum: int, frame: Any) -> None:
    raise _TimeLimitExceeded()


_handler_installed = False
# Signals are delivered to the main thread only; its id never changes (asking threading for both threads per
# message was measurable).
_MAIN_THREAD_ID = threading.main_thread().ident


def _arm_time_limit(seconds: float) -> bool:
    """Start a wall-time timer that interrupts the stage (main thread only; elsewhere the stages' own bounds hold).

    Stages are bounded by construction (input size limits, no backtracking regexes); this is the last guard,
    against an input nobody thought of. The handler is installed once and left in place (nothing else in
    newsflow uses SIGALRM): re-installing it, or even asking signal.getsignal for it, for every message cost more
    than some stages.
    """
    global _handler_installed
    if seconds <= 0 or threading.get_ident() != _MAIN_THREAD_ID:
        return False
    if not _handler_installed:
        signal.signal(signal.SIGALRM, _expire)
        _handler_installed = True
    signal.setitimer(signal.ITIMER_REAL, seconds)
    return True


class StageResult(msgspec.Struct, frozen=True):
    events: list[OutputEvent]
    dead_letter_reason: DeadLetterReason | None = None
    # The last step's output, for a following stage run in the same process (None after a failure).
    value: Any = None


def dead_letter_event(
    record: SourceRecord,
    stage: StreamStage,
    step: str,
    reason: DeadLetterReason,
    error: str,
    settings: PipelineSettings,
    raw_id: str | None = None,
    keep_original: bool = True,
) -> OutputEvent:
    """A dead letter (schemas/dead-letter.v1.json) carrying the original bytes when they fit (and are wanted).

    Its raw_id is the envelope's id when the record was decoded that far, else the record key, else
    `<topic>:<partition>:<offset>` (the file name in the offline CLI): the raw id of every other output.
    """
    payload = record.payload
    keep_bytes = keep_original and len(payload) <= settings.max_message_bytes
    raw_id = raw_id or record.fallback_id
    letter = DeadLetter(
        raw_id=raw_id,
        stage=stage.name,
        step=step,
        reason=reason,
        error=error[:2000],
        pipeline_version=settings.pipeline_version,
        original=OriginalRecord(
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            timestamp=record.timestamp,
            key=record.key.decode("utf-8", "replace") if record.key is not None else None,
            headers=tuple(RecordHeader(name, data) for name, data in record.headers),
            size=len(payload),
            sha256=hashlib.sha256(payload).hexdigest(),
            value=payload if keep_bytes else None,
            value_omitted=not keep_bytes,
        ),
    )
    return OutputEvent("deadletter", raw_id, serialization.encode_record(letter))


def _raw_id_of(value: Any) -> str | None:
    raw_id = getattr(value, "raw_id", None)
    return raw_id if isinstance(raw_id, str) else None


def run_stage(stage: StreamStage, record: SourceRecord, settings: PipelineSettings, value: Any = None) -> StageResult:
    """Run every step of `stage` over `record`; any failure becomes a dead letter, never an exception.

    `value` is the previous stage's in-memory output when both run in one process: it is what `stage.read` would
    parse back from `record` (the round trip is asserted in tests/test_pipeline_properties.py), so passing it
    only saves the parsing; the record still carries the bytes a dead letter keeps.
    """
    step_name = "read"
    armed = False
    try:
        armed = _arm_time_limit(settings.message_time_limit_s)
        if len(record.payload) > settings.max_message_bytes:
            raise StageFailure(
                "too_large", f"{len(record.payload)} bytes exceeds the limit of {settings.max_message_bytes}"
            )
        if value is None:
            value = stage.read(record)
        for step in stage.steps:
            step_name = step.name
            value = step.run(value, settings)
        step_name = "write"
        events = stage.write(value)
        return StageResult(events, value=value)
    except StageFailure as failure:
        reason, message = failure.reason, failure.message
    except _TimeLimitExceeded:
        reason, message = "time_limit_exceeded", f"step exceeded {settings.message_time_limit_s:g} s"
    except RecursionError:
        reason, message = "stage_error", "input nested too deeply"
    except Exception as error:
        reason, message = "stage_error", f"{type(error).__name__}: {error}"
    finally:
        if armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
    letter = dead_letter_event(record, stage, step_name, reason, message, settings, _raw_id_of(value))
    return StageResult([letter], reason)


class ChainedEvent(NamedTuple):
    """An event of a chain run: the stage that wrote it, and whether the next stage of the chain read it."""

    stage: StreamStage
    event: OutputEvent
    handed_on: bool


# How a chain runs one stage over one record: run_stage, or a shell's wrapper of it that adds metrics or limits.
StageRunner = Callable[[StreamStage, SourceRecord, PipelineSettings, Any], StageResult]


def run_chain(
    stages: Sequence[StreamStage],
    record: SourceRecord,
    settings: PipelineSettings,
    run: StageRunner = run_stage,
) -> list[ChainedEvent]:
    """Run consecutive stages over one record: every event, stage by stage, in the order written.

    The one chaining loop of newsflow: the offline runner, the stream workers, replay and the benchmarks all
    come here. An event of the role the next stage reads (its `input_role`) is handed on: that stage gets the
    record of the event's bytes (what a dead letter keeps) and the in-memory value they were written from,
    which is what it would parse back from those bytes (asserted in tests/test_pipeline_properties.py), so a
    chain run in one process gives the payloads of stages run apart.
    """
    chained: list[ChainedEvent] = []
    pending: list[tuple[SourceRecord, Any]] = [(record, None)]
    for position, stage in enumerate(stages):
        next_role = stages[position + 1].input_role if position + 1 < len(stages) else None
        following: list[tuple[SourceRecord, Any]] = []
        for source, value in pending:
            result = run(stage, source, settings, value)
            for event in result.events:
                handed_on = event.topic_role == next_role
                chained.append(ChainedEvent(stage, event, handed_on))
                if handed_on:
                    following.append((handoff_record(source, event), result.value))
        pending = following
    return chained


def run_pipeline(record: SourceRecord, settings: PipelineSettings) -> list[OutputEvent]:
    """The pipeline's final events for one raw record (`newsflow process`, the benchmarks): the intermediate
    cleaned record, which the all-stages worker also publishes, is handed on and not returned."""
    return [chained.event for chained in run_chain(PIPELINE, record, settings) if not chained.handed_on]


def handoff_record(source: SourceRecord, event: OutputEvent) -> SourceRecord:
    """The record a following stage reads: the event's bytes and key, the source's transport coordinates."""
    return msgspec.structs.replace(source, payload=event.value, key=event.key.encode(), headers=(), name=None)
