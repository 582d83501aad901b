"""The offline CLI contract: `newsflow process` over files and stdin, JSON lines out, summary on stderr."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

from tests.schemas import validate
from workers.cli import main

ARTICLE = (
    "CITY — The council approved the budget on Monday after a long debate about housing and transport costs. "
    "Opposition members said the plan would raise rents, while the mayor said it would create jobs.\n"
    "The vote came after weeks of protests outside the town hall, where residents demanded more affordable "
    "homes and better bus services.\n"
)


def _run(args: list[str], stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "workers.cli", *args], input=stdin, capture_output=True, timeout=120)


def _events(stdout: bytes) -> list[dict]:
    return [json.loads(line) for line in stdout.decode().splitlines()]


def test_process_reads_every_file_kind_and_prints_topic_key_value_lines(tmp_path: Path) -> None:
    (tmp_path / "plain.txt").write_text(ARTICLE)
    (tmp_path / "page.html.gz").write_bytes(
        gzip.compress(f"<html><body><article><p>{ARTICLE}</p></article></body></html>".encode())
    )
    (tmp_path / "one.json").write_text(json.dumps({"id": "env-1", "text": ARTICLE}))
    (tmp_path / "many.jsonl").write_text(json.dumps({"id": "l-1", "text": ARTICLE}) + "\n" + "not json {\n")
    result = _run(["process", *(str(p) for p in sorted(tmp_path.iterdir()))])
    assert result.returncode == 0, result.stderr
    events = _events(result.stdout)
    topics = {event["topic"] for event in events}
    assert topics <= {"news.articles.normalized", "news.links.related", "news.articles.deadletter"}
    raw_ids = {e["value"]["raw_id"] for e in events if e["topic"] == "news.articles.normalized"}
    assert {"plain", "env-1", "l-1"} <= raw_ids
    for event in events:
        schema = {
            "news.articles.normalized": "normalized-article.v1.json",
            "news.links.related": "related-link.v1.json",
            "news.articles.deadletter": "dead-letter.v1.json",
        }[event["topic"]]
        validate(schema, event["value"])
        assert event["key"] == (event["value"].get("article_id") or event["value"].get("raw_id") or event["key"])
    assert b"inputs" in result.stderr and b"dead letters" in result.stderr


def test_process_reads_stdin_and_dead_letters_garbage_with_exit_zero() -> None:
    result = _run(["process", "-"], stdin=b"\x00\x01\x02" * 100)
    assert result.returncode == 0
    [event] = _events(result.stdout)
    assert event["topic"] == "news.articles.deadletter" and event["value"]["reason"] == "undecodable"


def test_process_output_is_byte_identical_across_runs(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE)
    assert _run(["process", str(path)]).stdout == _run(["process", str(path)]).stdout


def test_reference_time_resolves_weekdays_for_bare_text(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE)
    events = _events(_run(["process", "--reference-time", "2023-10-13T02:00:00Z", str(path)]).stdout)
    article = next(e["value"] for e in events if e["topic"] == "news.articles.normalized")
    assert {"text": "Monday", "date": "2023-10-09", "weekday_mismatch": False} in article["date_mentions"]


def test_missing_file_is_an_error_and_help_is_available(capsys: object) -> None:
    assert _run(["process", "/nonexistent/file.txt"]).returncode == 2
    help_result = _run(["process", "--help"])
    assert help_result.returncode == 0 and b"--reference-time" in help_result.stdout
    assert main([]) == 2
