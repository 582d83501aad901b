"""The one declaration of the pipeline: stream stages in order, their steps and topics.

Every runner reads this: the faust workers, the offline `newsflow process` CLI, replay and the benchmarks.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import msgspec

from workers import serialization
from workers.records import CleanArticle, OutputEvent, SourceRecord, StageFailure, StageName
from workers.settings import PipelineSettings
from workers.stages.cleaning import clean
from workers.stages.decoding import decode
from workers.stages.enrichment import enrich
from workers.stages.normalization import NormalizedOutput, normalize


@dataclass(frozen=True)
class Step:
    """A pure function of (value, settings) → value, named for dead letters (their `step`)."""

    name: str
    run: Callable[[Any, PipelineSettings], Any]


@dataclass(frozen=True)
class StreamStage:
    """A unit that runs as one consumer group: reads one topic, runs its steps, writes its output topics.

    Stages chain by role: a stage that follows another in a chain reads the records of its `input_role`,
    which must be one of the previous stage's `output_roles` (see `check_chain`).
    """

    name: StageName
    input_role: str
    output_roles: tuple[str, ...]
    steps: tuple[Step, ...]
    # Turns the transport's record into the first step's input, and the last step's output into events.
    read: Callable[[SourceRecord], Any]
    write: Callable[[Any], list[OutputEvent]]


def _read_raw(record: SourceRecord) -> SourceRecord:
    return record


def _write_cleaned(article: CleanArticle) -> list[OutputEvent]:
    return [OutputEvent("cleaned", article.article_id, serialization.encode_record(article))]


def _read_cleaned(record: SourceRecord) -> CleanArticle:
    try:
        return serialization.decode_clean_article(record.payload)
    except msgspec.DecodeError as error:
        raise StageFailure("schema_violation", f"not a cleaned-article record: {error}") from error


def _write_normalized(output: NormalizedOutput) -> list[OutputEvent]:
    article_id = output.article.article_id
    events = [OutputEvent("article", article_id, serialization.encode_record(output.article))]
    events.extend(OutputEvent("link", article_id, serialization.encode_record(link)) for link in output.links)
    return events


CLEAN = StreamStage(
    name="clean",
    input_role="raw",
    output_roles=("cleaned",),
    steps=(Step("decode", decode), Step("clean", clean)),
    read=_read_raw,
    write=_write_cleaned,
)

ENRICH = StreamStage(
    name="enrich",
    input_role="cleaned",
    output_roles=("article", "link"),
    steps=(Step("enrich", enrich), Step("normalize", normalize)),
    read=_read_cleaned,
    write=_write_normalized,
)

PIPELINE: tuple[StreamStage, ...] = (CLEAN, ENRICH)


def check_chain(stages: Sequence[StreamStage]) -> tuple[StreamStage, ...]:
    """The stages as a chain, each reading what the one before writes (ValueError otherwise)."""
    if not stages:
        raise ValueError("a chain needs at least one stage")
    for before, after in itertools.pairwise(stages):
        if after.input_role not in before.output_roles:
            raise ValueError(f"stage {after.name} does not read what {before.name} writes")
    return tuple(stages)


def stages_named(names: Sequence[str] | None) -> tuple[StreamStage, ...]:
    """The stream stages to run, in pipeline order; None means all of them."""
    if not names:
        return PIPELINE
    unknown = set(names) - {stage.name for stage in PIPELINE}
    if unknown:
        raise ValueError(f"unknown stage(s): {', '.join(sorted(unknown))}; known: clean, enrich")
    return tuple(stage for stage in PIPELINE if stage.name in names)


def stages_from(role: str) -> tuple[StreamStage, ...]:
    """The chain that processes a record of this role: the stage that reads it and every stage after it."""
    index = next(index for index, stage in enumerate(PIPELINE) if stage.input_role == role)
    return PIPELINE[index:]
