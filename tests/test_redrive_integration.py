"""Redrive against a real broker and the real worker: dead letters, a fix, a redrive, and articles come out."""

from __future__ import annotations

import uuid
from pathlib import Path

import orjson
import pytest

from tests.schemas import validate_event
from tests.test_replay_support import (
    BASE_MS,
    article,
    cli_env,
    header,
    high_watermarks,
    produce,
    read_all,
    short_article,
    start_worker,
    wait_for,
)
from workers import cli
from workers.broker import headers as h
from workers.settings import KafkaSettings, TopicNames
from workers.tools.redrive import REDRIVE_OF

pytestmark = pytest.mark.integration


def test_redrive_after_a_fix_turns_dead_letters_into_articles_and_offsets_refuse_while_the_worker_runs(
    kafka_settings: KafkaSettings,
    fresh_topics: TopicNames,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    items = [(f"story-{i}".encode(), article(i), BASE_MS + i * 1000) for i in range(6)]
    items += [(f"brief-{i}".encode(), short_article(i), BASE_MS + (10 + i) * 1000) for i in range(4)]
    produce(kafka_settings, fresh_topics.raw, items)
    group = f"workers-{uuid.uuid4().hex[:8]}"
    env = cli_env(kafka_settings, fresh_topics, group)
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    # Before the fix: briefs are too short for the default 200-character minimum.
    worker = start_worker(env, tmp_path, "before")
    try:
        wait_for(
            lambda: (
                len(read_all(kafka_settings, fresh_topics.deadletter)) == 4
                and len(read_all(kafka_settings, fresh_topics.articles)) == 6
            ),
            90,
            "the worker's first outputs",
        )
        # The worker is a member of its group: a reset must be refused.
        code = cli.main(["offsets", "--group", f"{group}.clean-enrich", "--to-earliest", "--execute"])
        captured = capsys.readouterr()
        assert code == 1 and "has active members" in captured.err, captured.out + worker.log()
    finally:
        worker.stop()
    letters = read_all(kafka_settings, fresh_topics.deadletter)
    assert {orjson.loads(r.value)["reason"] for r in letters} == {"empty_after_cleaning"}
    # The same original dead-lettered twice (as after an earlier replay): redriven once.
    produce(kafka_settings, fresh_topics.deadletter, [(letters[0].key, letters[0].value, BASE_MS + 99_000)])

    # The fix: a lower minimum body length, deployed as a restarted worker.
    worker = start_worker(dict(env, NEWSFLOW_MIN_BODY_CHARS="20"), tmp_path, "after")
    try:
        raw_ends = high_watermarks(kafka_settings, fresh_topics.raw)
        code = cli.main(["redrive", "--reason", "empty_after_cleaning", "--dry-run", "--json"])
        dry = orjson.loads(capsys.readouterr().out)
        assert code == 0 and dry["would_send"] == {fresh_topics.raw: 4} and dry["written"] == 0
        assert high_watermarks(kafka_settings, fresh_topics.raw) == raw_ends

        code = cli.main(["redrive", "--reason", "empty_after_cleaning", "--stage", "clean", "--json"])
        summary = orjson.loads(capsys.readouterr().out)
        assert code == 0 and summary["written_per_topic"] == {fresh_topics.raw: 4}
        assert summary["skipped"] == {"duplicate": 1}

        wait_for(lambda: len(read_all(kafka_settings, fresh_topics.articles)) == 10, 90, "the redriven articles")
    finally:
        worker.stop()

    redriven = [r for r in read_all(kafka_settings, fresh_topics.raw) if r.offset >= raw_ends[r.partition]]
    assert sorted(r.key for r in redriven) == [f"brief-{i}".encode() for i in range(4)]
    letter_ids = {f"{r.topic}:{r.partition}:{r.offset}" for r in letters}
    assert {header(r, REDRIVE_OF) for r in redriven} <= letter_ids
    assert all(header(r, "origin") == "test-feed" and header(r, h.ORIGINAL_TIMESTAMP) for r in redriven)
    new_articles = [orjson.loads(r.value) for r in read_all(kafka_settings, fresh_topics.articles)]
    assert sorted(a["raw_id"] for a in new_articles if a["raw_id"].startswith("brief-")) == [
        f"brief-{i}" for i in range(4)
    ]
    for value in new_articles:
        validate_event("article", value)
    assert len(read_all(kafka_settings, fresh_topics.deadletter)) == 5  # no new dead letters
