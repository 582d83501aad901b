"""The one declaration of the pipeline: stream stages in order, their steps, versions and topics.

Every runner reads this: the faust workers, the offline `newsflow process` CLI, replay and the benchmarks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from workers import serialization
from workers.records import CleanArticle, OutputEvent, SourceRecord, StageFailure
from workers.settings import PIPELINE_VERSION, PipelineSettings
from workers.stages.cleaning import clean
from workers.stages.decoding import decode
from workers.stages.enrichment import enrich
from workers.stages.normalization import NormalizedOutput, normalize


@dataclass(frozen=True)
class Step:
    """A pure function of (value, settings) → value, named and versioned."""

    name: str
    version: str
    run: Callable[[Any, PipelineSettings], Any]


@dataclass(frozen=True)
class StreamStage:
    """A unit that runs as one consumer group: reads one topic, runs its steps, writes its output topics."""

    name: str
    input_role: str
    output_roles: tuple[str, ...]
    steps: tuple[Step, ...]
    # Turns the transport's record into the first step's input, and the last step's output into events.
    read: Callable[[SourceRecord], Any]
    write: Callable[[Any], list[OutputEvent]]


def _read_raw(record: SourceRecord) -> SourceRecord:
    return record


def _write_cleaned(article: CleanArticle) -> list[OutputEvent]:
    payload = serialization.dumps(serialization.clean_article_to_json(article))
    return [OutputEvent("cleaned", article.article_id, payload)]


def _read_cleaned(record: SourceRecord) -> CleanArticle:
    try:
        data = serialization.loads(record.payload)
        return serialization.clean_article_from_json(data)
    except (ValueError, KeyError, TypeError) as error:
        raise StageFailure("schema_violation", f"not a cleaned-article record: {error}") from error


def _write_normalized(output: NormalizedOutput) -> list[OutputEvent]:
    events = [OutputEvent("article", output.article_id, serialization.dumps(output.article))]
    events.extend(OutputEvent("link", output.article_id, serialization.dumps(link)) for link in output.links)
    return events


CLEAN = StreamStage(
    name="clean",
    input_role="raw",
    output_roles=("cleaned",),
    steps=(Step("decode", "1", decode), Step("clean", "1", clean)),
    read=_read_raw,
    write=_write_cleaned,
)

ENRICH = StreamStage(
    name="enrich",
    input_role="cleaned",
    output_roles=("article", "link"),
    steps=(Step("enrich", "1", enrich), Step("normalize", "1", normalize)),
    read=_read_cleaned,
    write=_write_normalized,
)

PIPELINE: tuple[StreamStage, ...] = (CLEAN, ENRICH)


def stages_named(names: Sequence[str] | None) -> tuple[StreamStage, ...]:
    """The stream stages to run, in pipeline order; None means all of them."""
    if not names:
        return PIPELINE
    unknown = set(names) - {stage.name for stage in PIPELINE}
    if unknown:
        raise ValueError(f"unknown stage(s): {', '.join(sorted(unknown))}; known: clean, enrich")
    return tuple(stage for stage in PIPELINE if stage.name in names)


__all__ = ["CLEAN", "ENRICH", "PIPELINE", "PIPELINE_VERSION", "Step", "StreamStage", "stages_named"]


def stage_for_input(role: str) -> StreamStage:
    return next(stage for stage in PIPELINE if stage.input_role == role)
