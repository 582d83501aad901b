"""The offline CLI contract: `newsflow process` over files and stdin, JSON lines out, summary on stderr."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from importlib.metadata import version as package_version
from pathlib import Path

from tests.schemas import validate
from workers.cli import main
from workers.settings import PIPELINE_VERSION

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
            "news.articles.normalized": "normalized-article.v2.json",
            "news.links.related": "related-link.v1.json",
            "news.articles.deadletter": "dead-letter.v1.json",
        }[event["topic"]]
        validate(schema, event["value"])
        assert event["key"] == (event["value"].get("article_id") or event["value"].get("raw_id") or event["key"])
    assert "5 inputs → 4 articles, 0 related links, 1 dead letter in " in result.stderr.decode()


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
    result = _run(["process", "/nonexistent/file.txt"])
    assert result.returncode == 1
    assert b"cannot read /nonexistent/file.txt: no such file" in result.stderr
    help_result = _run(["process", "--help"])
    assert help_result.returncode == 0 and b"--reference-time" in help_result.stdout
    assert main([]) == 2


def test_bad_paths_between_good_files_are_reported_and_the_run_goes_on(tmp_path: Path) -> None:
    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    first.write_text(ARTICLE, encoding="utf-8")
    second.write_text(ARTICLE.replace("CITY", "TOWN").replace("budget", "plan"), encoding="utf-8")
    broken = tmp_path / "broken.html.gz"
    broken.write_bytes(b"not gzip at all")
    missing = tmp_path / "missing.txt"
    result = _run(["process", str(first), str(missing), str(tmp_path), str(broken), str(second)])
    assert result.returncode == 1
    events = _events(result.stdout)
    assert [event["topic"] for event in events] == ["news.articles.normalized"] * 2
    stderr = result.stderr.decode()
    assert f"cannot read {missing}: no such file" in stderr
    assert f"cannot read {tmp_path}: it is a directory" in stderr
    assert f"cannot read {broken}: not a readable gzip file" in stderr
    summary = stderr.strip().splitlines()[-1]
    assert summary.startswith("newsflow process: 2 inputs → 2 articles, 0 related links, 0 dead letters; 3 paths")
    assert summary.endswith("wall time")


def test_summary_uses_singular_forms_for_one(tmp_path: Path) -> None:
    path = tmp_path / "one.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    result = _run(["process", str(path)])
    assert result.returncode == 0
    assert "1 input → 1 article, 0 related links, 0 dead letters in " in result.stderr.decode()


def test_version_names_the_package_and_the_pipeline_version() -> None:
    result = _run(["--version"])
    assert result.returncode == 0
    assert result.stdout.decode().strip() == f"newsflow {package_version('newsflow')} (pipeline {PIPELINE_VERSION})"
