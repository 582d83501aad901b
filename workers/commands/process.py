"""`newsflow process`: run the whole pipeline offline over files and print the output events as JSON lines."""

from __future__ import annotations

import argparse
import gzip
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from workers import serialization
from workers.heap import freeze_startup_objects
from workers.records import ContentKind, OutputEvent, SourceRecord
from workers.runner import run_pipeline
from workers.settings import Settings, TopicNames
from workers.stages.decoding import format_rfc3339, parse_rfc3339

_KIND_BY_SUFFIX: dict[str, ContentKind] = {".txt": "text", ".html": "html", ".htm": "html"}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "process",
        help="run the pipeline offline over files and print output events as JSON lines",
        description=(
            "Read raw messages from files (.txt, .html, .html.gz, .json, .jsonl; '-' for stdin) and print one "
            'JSON object per output event: {"topic", "key", "value"}. Exits 0 when every input was handled, '
            "dead letters included."
        ),
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="input files, or - for stdin")
    parser.add_argument(
        "--reference-time",
        metavar="T",
        help="RFC 3339 time to resolve relative dates against when an envelope has no fetched_at",
    )
    parser.set_defaults(handler=run)


def file_stem(path: Path) -> str:
    """A file's name without any of its extensions: 000_seed.html.gz → 000_seed."""
    name = path.name
    return name.split(".", 1)[0] if not name.startswith(".") else name


def records_from_path(path_text: str, stdin: BinaryIO, timestamp: str | None) -> Iterator[SourceRecord]:
    """One source record per raw message in a file: one per file, or one per line for .jsonl."""
    if path_text == "-":
        yield SourceRecord(payload=stdin.read(), name="stdin", timestamp=timestamp)
        return
    path = Path(path_text)
    suffixes = [suffix.lower() for suffix in path.suffixes]
    data = path.read_bytes()
    if suffixes and suffixes[-1] == ".gz":
        data = gzip.decompress(data)
        suffixes = suffixes[:-1]
    last = suffixes[-1] if suffixes else ""
    stem = file_stem(path)
    if last == ".jsonl":
        for number, line in enumerate(data.splitlines(), 1):
            if line.strip():
                yield SourceRecord(payload=line, name=f"{stem}:{number}", timestamp=timestamp)
        return
    yield SourceRecord(payload=data, name=stem, timestamp=timestamp, content_type_hint=_KIND_BY_SUFFIX.get(last))


def event_line(event: OutputEvent, topics: TopicNames) -> bytes:
    """`{"topic":…,"key":…,"value":…}` with the value's bytes embedded as they would go to Kafka."""
    return (
        b'{"topic":'
        + serialization.dumps(topics.for_role(event.topic_role))
        + b',"key":'
        + serialization.dumps(event.key)
        + b',"value":'
        + event.value
        + b"}\n"
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    timestamp = None
    if args.reference_time:
        try:
            timestamp = format_rfc3339(parse_rfc3339(args.reference_time))
        except ValueError as error:
            print(f"newsflow process: --reference-time: {error}", file=sys.stderr)
            return 2
    freeze_startup_objects()
    started = time.perf_counter()
    counts: Counter[str] = Counter()
    out = sys.stdout.buffer
    for path_text in args.paths:
        try:
            records = list(records_from_path(path_text, sys.stdin.buffer, timestamp))
        except (OSError, EOFError, gzip.BadGzipFile) as error:
            print(f"newsflow process: cannot read {path_text}: {error}", file=sys.stderr)
            return 2
        for record in records:
            counts["inputs"] += 1
            for event in run_pipeline(record, settings.pipeline):
                counts[event.topic_role] += 1
                out.write(event_line(event, settings.topics))
    out.flush()
    elapsed = time.perf_counter() - started
    print(
        f"newsflow process: {counts['inputs']} inputs → {counts['article']} articles, {counts['link']} related links, "
        f"{counts['deadletter']} dead letters in {elapsed:.2f} s",
        file=sys.stderr,
    )
    return 0
