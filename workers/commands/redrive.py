"""`newsflow redrive`: send dead letters' original records back to the input of the stage that failed."""

from __future__ import annotations

import argparse
import sys

from workers import serialization
from workers.pipeline import PIPELINE
from workers.settings import Settings
from workers.tools import redrive, replay
from workers.tools.offset_lookup import parse_time_ms


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "redrive",
        help="resend dead letters' original records to the input of the stage that failed, after a fix",
        description=(
            "Read the dead-letter topic up to its end now (group-less), and send the original key, value and "
            "headers of every matching dead letter to the input topic of its stage (clean → raw, enrich → "
            "cleaned), with nf-redrive-of naming the dead letter. Each original is sent once per run. Dead "
            "letters whose bytes were omitted (too large) cannot be redriven and are counted as skipped."
        ),
    )
    parser.add_argument("--reason", metavar="R", help="only dead letters with this reason (e.g. empty_after_cleaning)")
    parser.add_argument("--stage", choices=[stage.name for stage in PIPELINE], help="only this stage's dead letters")
    parser.add_argument("--since", metavar="T", help="only dead letters written at or after T (RFC 3339, or a date)")
    parser.add_argument("--dry-run", action="store_true", help="count what would be sent; send nothing")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON on stdout")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar or progress log lines")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    try:
        since_ms = parse_time_ms(args.since) if args.since else None
        summary = redrive.redrive(
            settings, redrive.Filters(args.reason, args.stage), since_ms, args.dry_run, not args.no_progress
        )
    except (LookupError, ValueError, TimeoutError) as error:
        print(f"newsflow redrive: {error}", file=sys.stderr)
        return 2
    if args.json:
        sys.stdout.buffer.write(serialization.dumps(summary.to_json()) + b"\n")
        return 1 if summary.delivery_errors else 0
    lines = list(replay.describe(summary))
    lines.append(f"  matched {summary.details['matched']} dead letters")
    if summary.dry_run:
        for topic, count in summary.details.get("would_send", {}).items():
            lines.append(f"  would send {count} to {topic}")
    for reason, count in summary.details.get("skipped", {}).items():
        lines.append(f"  skipped {count}: {reason}")
    print("\n".join(lines))
    return 1 if summary.delivery_errors else 0
