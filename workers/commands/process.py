"""`newsflow process`: run the whole pipeline offline over files and print the output events as JSON lines."""

from __future__ import annotations

import argparse
import gzip
import sys
import time
import zlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from workers import serialization
from workers.heap import freeze_startup_objects
from workers.records import ContentKind, OutputEvent, SourceRecord
from workers.runner import run_pipeline
from workers.settings import Settings, TopicNames
from workers.stages.enrich.places import load_places
from workers.timestamps import format_rfc3339, parse_rfc3339

_KIND_BY_SUFFIX: dict[str, ContentKind] = {".txt": "text", ".html": "html", ".htm": "html"}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "process",
        help="run the pipeline offline over files and print output events as JSON lines",
        description=(
            "Read raw messages from files (.txt, .html, .html.gz, .json, .jsonl; '-' for stdin) and print one "
            'JSON object per output event: {"topic", "key", "value"}. A path that cannot be read is reported on '
            "stderr and the run goes on with the others. Exits 0 when every input was handled (dead letters "
            "included), 1 when a path could not be read, 2 on a bad option."
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
    load_places()
    freeze_startup_objects()
    started = time.perf_counter()
    counts: Counter[str] = Counter()
    unreadable = 0
    out = sys.stdout.buffer
    for path_text in args.paths:
        try:
            records = list(records_from_path(path_text, sys.stdin.buffer, timestamp))
        except (OSError, EOFError, gzip.BadGzipFile, zlib.error) as error:
            # A bad path is reported and the run goes on with the others; the exit status tells at the end.
            print(f"newsflow process: cannot read {path_text}: {_reason(error)}", file=sys.stderr)
            unreadable += 1
            continue
        for record in records:
            counts["inputs"] += 1
            for event in run_pipeline(record, settings.pipeline):
                counts[event.topic_role] += 1
                out.write(event_line(event, settings.topics))
    out.flush()
    print(f"newsflow process: {summary(counts, unreadable, time.perf_counter() - started)}", file=sys.stderr)
    return 1 if unreadable else 0


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count:,} {singular if count == 1 else plural}"


def summary(counts: Counter[str], unreadable: int, seconds: float) -> str:
    """One line on what a run read and produced: "2 inputs → 2 articles, 5 related links, 0 dead letters …"."""
    line = (
        f"{_plural(counts['inputs'], 'input', 'inputs')} → {_plural(counts['article'], 'article', 'articles')}, "
        f"{_plural(counts['link'], 'related link', 'related links')}, "
        f"{_plural(counts['deadletter'], 'dead letter', 'dead letters')}"
    )
    if unreadable:
        line += f"; {_plural(unreadable, 'path', 'paths')} could not be read"
    wall = f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"
    return f"{line} in {wall} wall time"


def _reason(error: BaseException) -> str:
    """Why a path could not be read, in words a user acts on."""
    if isinstance(error, FileNotFoundError):
        return "no such file"
    if isinstance(error, IsADirectoryError):
        return "it is a directory; name the files in it"
    if isinstance(error, PermissionError):
        return "permission denied"
    if isinstance(error, (EOFError, gzip.BadGzipFile, zlib.error)):
        return f"not a readable gzip file ({error})"
    return str(error)
