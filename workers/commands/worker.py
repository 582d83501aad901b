"""`newsflow worker`: run pipeline stages as a faust worker between Kafka topics."""

from __future__ import annotations

import argparse
import sys

from workers.pipeline import PIPELINE, stages_named
from workers.settings import Settings


def register(subparsers: argparse._SubParsersAction) -> None:
    names = ", ".join(stage.name for stage in PIPELINE)
    parser = subparsers.add_parser(
        "worker",
        help="run pipeline stages as a stream worker (bootstrap servers from KAFKA_BOOTSTRAP_SERVERS)",
        description=(
            "Consume, process and produce until SIGTERM. Without --stages every stage runs in this process "
            "(a raw record is cleaned and enriched in memory; the cleaned record is still published). With "
            f"--stages only those run, as their own consumer group, so stages scale apart. Stages: {names}. "
            "Kafka and topic settings come from KAFKA_* and NEWSFLOW_* variables (docs/streaming.md)."
        ),
    )
    parser.add_argument("--stages", metavar="NAMES", help=f"comma-separated stage names ({names}); default all")
    parser.add_argument(
        "--metrics-port",
        type=int,
        metavar="PORT",
        help="port of /metrics, /healthz and /readyz (default NEWSFLOW_METRICS_PORT or 9108; 0 turns it off); "
        "a port that is taken stops the worker with exit status 2",
    )
    parser.set_defaults(handler=run)


def parse_stages(text: str | None) -> list[str] | None:
    if not text:
        return None
    names = [name.strip() for name in text.split(",") if name.strip()]
    stages_named(names)  # raises ValueError for an unknown name
    return names


def run(args: argparse.Namespace, settings: Settings) -> int:
    from dataclasses import replace

    from workers.streaming.app import run_worker
    from workers.streaming.config import StreamSettings

    try:
        stage_names = parse_stages(args.stages)
    except ValueError as error:
        print(f"newsflow worker: {error}", file=sys.stderr)
        return 2
    if not settings.kafka.bootstrap_servers:
        print("newsflow worker: set KAFKA_BOOTSTRAP_SERVERS (or run `newsflow dev`)", file=sys.stderr)
        return 2
    port_setting = "NEWSFLOW_METRICS_PORT"
    if args.metrics_port is not None:
        if not 0 <= args.metrics_port <= 65535:
            print(f"newsflow worker: --metrics-port {args.metrics_port} is not a port (0 to 65535)", file=sys.stderr)
            return 2
        settings, port_setting = replace(settings, metrics_port=args.metrics_port), "--metrics-port"
    return run_worker(settings, stage_names, StreamSettings.from_env(), port_setting)
