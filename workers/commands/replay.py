"""`newsflow replay`: a bounded replay of a topic, into the workers' input or through a shadow pipeline."""

from __future__ import annotations

import argparse
import sys

from workers import serialization
from workers.settings import Settings
from workers.tools import replay
from workers.tools.offset_lookup import parse_time_ms
from workers.tools.ranges import Window, parse_partition_offsets, parse_partitions


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "replay",
        help="replay a bounded range of a topic into the workers' input or through a shadow pipeline",
        description=(
            "Read a fixed range of TOPIC (its end is fixed when the replay starts; later arrivals are not chased) "
            "with a group-less consumer, so no consumer group's committed offsets change. --into-input "
            "re-publishes each record into the workers' input topic for the live workers to reprocess; "
            "--shadow VERSION runs the pipeline here and writes to versioned topics (e.g. "
            "news.articles.normalized.v2). Offsets for times are checked against the records and found by a "
            "binary search when the broker's answer is wrong (docs/replay.md)."
        ),
    )
    parser.add_argument("--topic", required=True, help="the topic to replay (e.g. news.articles.raw)")
    start = parser.add_mutually_exclusive_group(required=True)
    start.add_argument("--from", dest="from_time", metavar="DATETIME", help="first record time (RFC 3339, or a date)")
    start.add_argument(
        "--from-offset", nargs="+", metavar="P:O", help="first offset per partition; only these partitions are read"
    )
    start.add_argument("--from-earliest", action="store_true", help="start at the beginning of each partition")
    end = parser.add_mutually_exclusive_group()
    end.add_argument("--to", dest="to_time", metavar="DATETIME", help="end time, exclusive (default: the end now)")
    end.add_argument("--to-offset", nargs="+", metavar="P:O", help="end offset per partition, exclusive")
    parser.add_argument("--partitions", metavar="LIST", help="comma-separated partitions to read (default: all)")
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--into-input", action="store_true", help="re-publish the records into the workers' input")
    target.add_argument("--shadow", metavar="VERSION", help="run the pipeline and write to topics suffixed .VERSION")
    parser.add_argument(
        "--input-topic",
        metavar="TOPIC",
        help="with --into-input: the topic to publish into (default: the input "
        "topic for the replayed topic's role: cleaned for the cleaned topic, raw otherwise)",
    )
    parser.add_argument(
        "--pipeline-version", metavar="V", help="with --shadow: the pipeline version to run as (default: settings)"
    )
    parser.add_argument(
        "--input-role", choices=("raw", "cleaned"), help="with --shadow: what the topic holds (default: from its name)"
    )
    parser.add_argument("--dry-run", action="store_true", help="show the ranges and how they were found; write nothing")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON on stdout")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar or progress log lines")
    parser.set_defaults(handler=run)


def window_from_args(args: argparse.Namespace) -> Window:
    """The Window the start, end and partition options describe (raises ValueError on malformed input)."""
    from_ms = parse_time_ms(args.from_time) if args.from_time else None
    to_ms = parse_time_ms(args.to_time) if getattr(args, "to_time", None) else None
    if from_ms is not None and to_ms is not None and to_ms <= from_ms:
        raise ValueError("--to must be later than --from")
    return Window(
        from_ms=from_ms,
        to_ms=to_ms,
        from_offsets=parse_partition_offsets(args.from_offset) if getattr(args, "from_offset", None) else None,
        to_offsets=parse_partition_offsets(args.to_offset) if getattr(args, "to_offset", None) else None,
        partitions=parse_partitions(args.partitions) if args.partitions else None,
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    try:
        window = window_from_args(args)
    except ValueError as error:
        print(f"newsflow replay: {error}", file=sys.stderr)
        return 2
    if args.input_topic and not args.into_input:
        print("newsflow replay: --input-topic goes with --into-input", file=sys.stderr)
        return 2
    try:
        if args.into_input:
            summary = replay.into_input(
                settings, args.topic, window, args.input_topic, args.dry_run, not args.no_progress
            )
        else:
            summary = replay.shadow(
                settings,
                args.topic,
                window,
                args.shadow,
                args.pipeline_version,
                args.input_role,
                args.dry_run,
                not args.no_progress,
            )
    except (LookupError, ValueError, TimeoutError) as error:
        print(f"newsflow replay: {error}", file=sys.stderr)
        return 2
    if args.json:
        sys.stdout.buffer.write(serialization.dumps(summary.to_json()) + b"\n")
    else:
        print("\n".join(replay.describe(summary)))
    return 1 if summary.delivery_errors else 0
