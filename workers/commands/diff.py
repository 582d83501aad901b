"""`newsflow diff`: compare two output topics by key, field by field."""

from __future__ import annotations

import argparse
import sys

from workers import serialization
from workers.settings import Settings
from workers.tools import diff


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "diff",
        help="compare two output topics by key: added, removed, unchanged, changed, and which fields changed",
        description=(
            "Read both topics up to their current ends (group-less; nothing is written or committed), keep the "
            "latest value of every key as compaction would, and compare JSON values field by field (nested paths "
            "like source.domain; list items as people[].name). Exits 0 when the topics agree, 1 when they differ."
        ),
    )
    parser.add_argument("topic_a", metavar="TOPIC_A", help="the reference topic (e.g. news.articles.normalized)")
    parser.add_argument("topic_b", metavar="TOPIC_B", help="the topic to compare (e.g. news.articles.normalized.v2)")
    parser.add_argument(
        "--key-field",
        metavar="FIELD",
        help="compare records by this field of the JSON value instead of the Kafka key (link_id for related links)",
    )
    parser.add_argument("--sample", type=int, default=10, metavar="N", help="concrete differences to show (10)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON on stdout")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar or progress log lines")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    try:
        report = diff.diff_topics(
            settings.kafka, args.topic_a, args.topic_b, args.key_field, max(0, args.sample), not args.no_progress
        )
    except (LookupError, ValueError, TimeoutError) as error:
        print(f"newsflow diff: {error}", file=sys.stderr)
        return 2
    if args.json:
        sys.stdout.buffer.write(serialization.dumps(report.to_json()) + b"\n")
    else:
        print("\n".join(diff.describe(report)))
    return 0 if report.identical else 1
