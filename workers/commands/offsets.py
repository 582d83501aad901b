"""`newsflow offsets`: reset a worker group's committed offsets, refusing while the group has active members."""

from __future__ import annotations

import argparse
import sys

from workers import serialization
from workers.settings import Settings
from workers.tools import offsets
from workers.tools.offset_lookup import parse_time_ms


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "offsets",
        help="reset a worker group's committed offsets (a dry run unless --execute)",
        description=(
            "Show, and with --execute commit, new offsets for a consumer group. Refuses while the group has "
            "active members. The local broker cannot describe groups; the tool then commits the group's current "
            "offsets unchanged as a non-member, which a group with active members rejects. When that cannot be "
            "done either, the broker cannot say, and the tool refuses unless --force (docs/replay.md)."
        ),
    )
    parser.add_argument("--group", help="the consumer group (default: the workers' group, NEWSFLOW_GROUP_ID)")
    parser.add_argument(
        "--topic",
        action="append",
        metavar="TOPIC",
        help="a topic whose offsets to reset (repeatable; default: the topics the group has committed offsets for)",
    )
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--to-datetime", metavar="T", help="the first record at or after T (RFC 3339, or a date)")
    target.add_argument("--to-earliest", action="store_true", help="the beginning of every partition")
    target.add_argument("--to-latest", action="store_true", help="the end of every partition now")
    target.add_argument("--shift-by", type=int, metavar="N", help="move the committed offsets by N (negative: back)")
    run_mode = parser.add_mutually_exclusive_group()
    run_mode.add_argument("--execute", action="store_true", help="commit the new offsets")
    run_mode.add_argument("--dry-run", action="store_true", help="show the new offsets only (the default)")
    parser.add_argument(
        "--force",
        action="store_true",
        help="reset even when the broker cannot say whether the group has active members (never when it says so)",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON on stdout")
    parser.set_defaults(handler=run)


def target_from_args(args: argparse.Namespace) -> offsets.ResetTarget:
    if args.to_datetime:
        return offsets.ResetTarget("to-datetime", parse_time_ms(args.to_datetime))
    if args.to_earliest:
        return offsets.ResetTarget("to-earliest")
    if args.to_latest:
        return offsets.ResetTarget("to-latest")
    return offsets.ResetTarget("shift-by", args.shift_by)


def run(args: argparse.Namespace, settings: Settings) -> int:
    group = args.group or settings.kafka.group_id
    try:
        target = target_from_args(args)
        topics = args.topic or offsets.topics_of_group(settings.kafka, group)
        if not topics:
            print(
                f"newsflow offsets: group {group} has no committed offsets; name the topics with --topic",
                file=sys.stderr,
            )
            return 2
        report = offsets.reset(settings.kafka, group, topics, target, args.execute, args.force)
    except (LookupError, ValueError, TimeoutError) as error:
        print(f"newsflow offsets: {error}", file=sys.stderr)
        return 2
    if args.json:
        sys.stdout.buffer.write(serialization.dumps(report.to_json()) + b"\n")
    else:
        print("\n".join(offsets.describe(report)))
    if report.refused:
        print(f"newsflow offsets: refused: {report.refused}", file=sys.stderr)
    return 1 if report.failed else 0
