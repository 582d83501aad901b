"""Whole-output golden files: each tests/fixtures/dumps/<name>.txt has its complete output, as the offline CLI
prints it (one {"topic","key","value"} JSON line per event), stored beside it in <name>.golden.jsonl.

A changed output is then a reviewed diff. To accept the current output, rewrite the golden files with
    NEWSFLOW_UPDATE_GOLDEN=1 pytest tests/test_golden_outputs.py
and review `git diff tests/fixtures/dumps` before committing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from workers.commands.process import event_line
from workers.pipeline import CLEAN, ENRICH
from workers.records import SourceRecord
from workers.runner import handoff_record, run_pipeline, run_stage
from workers.settings import PipelineSettings, TopicNames
from workers.stages.common import speedups

DUMPS_DIR = Path(__file__).resolve().parent / "fixtures" / "dumps"
DUMP_PATHS = sorted(DUMPS_DIR.glob("*.txt"))
# The same fixed record time as tests/test_golden_dumps.py, so relative dates resolve identically.
REFERENCE_TIME = "2023-10-13T00:00:00Z"
UPDATE_ENV = "NEWSFLOW_UPDATE_GOLDEN"


def pipeline_output(path: Path) -> bytes:
    """The JSON lines `newsflow process` prints for this dump, with the default topic names."""
    record = SourceRecord(payload=path.read_bytes(), name=path.stem, content_type_hint="text", timestamp=REFERENCE_TIME)
    topics = TopicNames()
    return b"".join(event_line(event, topics) for event in run_pipeline(record, PipelineSettings()))


def golden_path_for(path: Path) -> Path:
    return path.with_name(f"{path.stem}.golden.jsonl")


@pytest.mark.parametrize("path", DUMP_PATHS, ids=[path.stem for path in DUMP_PATHS])
def test_pipeline_output_matches_golden_file(path: Path) -> None:
    golden = golden_path_for(path)
    actual = pipeline_output(path)
    if os.environ.get(UPDATE_ENV) == "1":
        golden.write_bytes(actual)
        return
    if not golden.exists():
        pytest.fail(
            f"{golden.relative_to(DUMPS_DIR.parents[1])} is missing. Create it from the current output with\n"
            f"    {UPDATE_ENV}=1 pytest tests/test_golden_outputs.py\n"
            "then review the new file before committing it."
        )
    stored = golden.read_bytes()
    # Parsed first, so a difference shows as a readable field-by-field diff; then byte for byte, since the
    # output must be byte-identical for the same input and pipeline version.
    assert [json.loads(line) for line in actual.splitlines()] == [json.loads(line) for line in stored.splitlines()]
    assert actual == stored, f"same JSON values but different bytes; rewrite with {UPDATE_ENV}=1 and review"


@pytest.mark.parametrize("path", DUMP_PATHS, ids=[path.stem for path in DUMP_PATHS])
def test_pure_python_pipeline_gives_the_golden_bytes(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the C module of the hot loops (an install without a compiler), the output is the same."""
    monkeypatch.setattr(speedups, "compiled", None)
    assert pipeline_output(path) == golden_path_for(path).read_bytes()


@pytest.mark.parametrize("path", DUMP_PATHS, ids=[path.stem for path in DUMP_PATHS])
def test_stages_run_apart_give_the_golden_bytes(path: Path) -> None:
    """A clean worker and an enrich worker, enrich parsing the cleaned bytes, print what the golden file holds."""
    record = SourceRecord(payload=path.read_bytes(), name=path.stem, content_type_hint="text", timestamp=REFERENCE_TIME)
    events = []
    for event in run_stage(CLEAN, record, PipelineSettings()).events:
        if event.topic_role == "cleaned":
            events.extend(run_stage(ENRICH, handoff_record(record, event), PipelineSettings()).events)
        else:
            events.append(event)
    topics = TopicNames()
    assert b"".join(event_line(event, topics) for event in events) == golden_path_for(path).read_bytes()
