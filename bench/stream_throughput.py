"""End-to-end throughput of one `newsflow worker` process through a real broker, against a bare faust relay.

    python bench/stream_throughput.py [--broker tansu|kafka] [--guarantees at_least_once,exactly_once]
                                      [--messages 20000] [--rounds 3] [--rss-messages 100000] [--article FILE]

Starts a broker (the embedded Tansu one, or Apache Kafka with --broker kafka, which needs Java and Maven) or uses
KAFKA_BOOTSTRAP_SERVERS, fills a fresh raw topic with article envelopes whose text is --article (a raw text dump;
without it, a built-in seed-sized text), then runs each contender as its own process over the same records and
prints:
- the worker's articles per second (all stages in one process: raw → cleaned + normalized + related links), for
  each processing guarantee asked for (exactly_once needs Apache Kafka: Tansu has no transactions),
- a bare faust relay agent's records per second (consume → orjson loads/dumps → `await topic.send`),
- their ratio, the pure stages' own rate without any broker (the ceiling for the worker),
- and the worker's peak RSS (VmHWM) over --rss-messages messages.
Rates are measured on the broker: output records' CreateTimes, first to last, so start-up and group join
are not counted. This host's speed drifts by up to 40 % for seconds at a time, so worker and relay run in
alternation for --rounds rounds: each round's ratio compares two runs made back to back, and the median round is
the figure to quote.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import orjson

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from workers.broker import clients  # noqa: E402
from workers.broker.apache_kafka import ApacheKafkaBroker  # noqa: E402
from workers.broker.local import LocalBroker, free_port  # noqa: E402
from workers.settings import KafkaSettings, TopicNames  # noqa: E402

# The raw text every envelope carries; --article replaces the built-in one.
ARTICLE: Path | None = None

RELAY_APP = """
import faust, orjson, os
broker, source, sink, group = (os.environ["BENCH_" + name] for name in ("BROKER", "SOURCE", "SINK", "GROUP"))
app = faust.App(group, broker="kafka://" + broker, processing_guarantee="at_least_once",
                broker_session_timeout=6.0, broker_heartbeat_interval=1.0, topic_disable_leader=True,
                consumer_auto_offset_reset="earliest", web_enabled=False, datadir="/tmp/newsflow-bench-" + group)
raw = app.topic(source, key_type=bytes, value_type=bytes, key_serializer="raw", value_serializer="raw")
out = app.topic(sink, key_type=bytes, value_type=bytes, key_serializer="raw", value_serializer="raw")

@app.agent(raw)
async def relay(stream):
    async for event in stream.events():
        await out.send(key=event.message.key, value=orjson.dumps(orjson.loads(event.message.value)))

app.main()
"""


def seed_text() -> str:
    if ARTICLE is not None:
        return ARTICLE.read_text()
    return ("SEOUL — A seed-sized article paragraph with enough words to be an article body. " * 6 + "\n") * 6


def envelopes(count: int) -> list[bytes]:
    text = seed_text()
    return [
        orjson.dumps(
            {
                "id": f"bench-{index}",
                "url": f"https://news.example.com/world/{index}",
                "fetched_at": "2025-11-27T09:30:00Z",
                "text": text + f"\nStory number {index}.",
            }
        )
        for index in range(count)
    ]


def fresh_topics(kafka: KafkaSettings) -> TopicNames:
    prefix = f"bench{uuid.uuid4().hex[:8]}"
    topics = TopicNames.prefixed(prefix)
    clients.ensure_pipeline_topics(kafka, topics)
    return topics


def fill(kafka: KafkaSettings, topic: str, payloads: list[bytes]) -> None:
    producer = clients.producer(kafka)
    for payload in payloads:
        producer.send(topic, payload)
    producer.flush()
    producer.close()


def wait_and_span(kafka: KafkaSettings, topic: str, expected: int, process: subprocess.Popen[bytes]) -> float:
    """Wait until `expected` committed records are on `topic`; seconds from the first record's CreateTime to the
    last's (read_committed: the records of a transaction count once it is committed)."""
    consumer = clients.consumer(kafka, isolation_level="read_committed")
    consumer.subscribe([topic])
    seen, first, last = 0, None, None
    deadline = time.monotonic() + 900
    try:
        while seen < expected and time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"the process under test exited with code {process.returncode}")
            for batch in consumer.poll(timeout_ms=1000, max_records=50000).values():
                for message in batch:
                    seen += 1
                    first = message.timestamp if first is None else min(first, message.timestamp)
                    last = message.timestamp if last is None else max(last, message.timestamp)
    finally:
        consumer.close()
    if seen < expected or first is None or last is None:
        raise RuntimeError(f"only {seen} of {expected} records arrived")
    return max(last - first, 1) / 1000


def pipeline_rate(count: int) -> float:
    """Articles per second of the pure stages alone (run_pipeline in this process, no broker): the ceiling."""
    from workers.records import SourceRecord
    from workers.runner import run_pipeline
    from workers.settings import PipelineSettings

    settings = PipelineSettings()
    records = [
        SourceRecord(payload=payload, topic="raw", partition=0, offset=index, timestamp="2025-11-27T10:00:00Z")
        for index, payload in enumerate(envelopes(count))
    ]
    started = time.perf_counter()
    for record in records:
        run_pipeline(record, settings)
    return count / (time.perf_counter() - started)


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def run_worker(kafka: KafkaSettings, count: int, guarantee: str = "at_least_once") -> tuple[float, float]:
    """(articles per second, peak RSS in MB) of one worker process over `count` envelopes."""
    topics = fresh_topics(kafka)
    try:
        fill(kafka, topics.raw, envelopes(count))
        env = dict(
            os.environ,
            KAFKA_BOOTSTRAP_SERVERS=kafka.bootstrap_servers or "",
            NEWSFLOW_TOPIC_RAW=topics.raw,
            NEWSFLOW_TOPIC_CLEANED=topics.cleaned,
            NEWSFLOW_TOPIC_ARTICLES=topics.articles,
            NEWSFLOW_TOPIC_LINKS=topics.links,
            NEWSFLOW_TOPIC_DEADLETTER=topics.deadletter,
            NEWSFLOW_GROUP_ID=f"bench-{uuid.uuid4().hex[:8]}",
            NEWSFLOW_METRICS_PORT=str(free_port()),
            NEWSFLOW_LOG_LEVEL="WARNING",
            NEWSFLOW_PROCESSING_GUARANTEE=guarantee,
        )
        process = subprocess.Popen([sys.executable, "-m", "workers.cli", "worker"], env=env, cwd=REPO)
        try:
            span = wait_and_span(kafka, topics.articles, count, process)
            return count / span, peak_rss_mb(process.pid)
        finally:
            stop(process)
    finally:
        clients.delete_topics(kafka, clients.all_topic_names(topics))


def run_relay(kafka: KafkaSettings, count: int) -> float:
    """Records per second of a bare faust relay agent over `count` envelopes."""
    topics = fresh_topics(kafka)
    try:
        fill(kafka, topics.raw, envelopes(count))
        env = dict(
            os.environ,
            BENCH_BROKER=kafka.bootstrap_servers or "",
            BENCH_SOURCE=topics.raw,
            BENCH_SINK=topics.cleaned,
            BENCH_GROUP=f"bench-relay-{uuid.uuid4().hex[:8]}",
        )
        # faust's worker command binds its web port (6066 by default) even with web_enabled=False: a free one
        # keeps two benchmarks on one host apart.
        command = [sys.executable, "-c", RELAY_APP, "worker", "--loglevel", "warn", "--web-port", str(free_port())]
        process = subprocess.Popen(command, cwd="/tmp", env=env, stdout=subprocess.DEVNULL)
        try:
            return count / wait_and_span(kafka, topics.cleaned, count, process)
        finally:
            stop(process)
    finally:
        clients.delete_topics(kafka, clients.all_topic_names(topics))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--broker", choices=("tansu", "kafka"), default="tansu", help="the broker to start")
    parser.add_argument(
        "--guarantees",
        default=None,
        help="comma-separated processing guarantees of the worker (default: at_least_once on tansu, both on kafka)",
    )
    parser.add_argument("--messages", type=int, default=20000, help="raw messages per throughput run")
    parser.add_argument("--rounds", type=int, default=3, help="worker/relay rounds, run in alternation")
    parser.add_argument("--rss-messages", type=int, default=100000, help="raw messages for the peak-RSS run (0: skip)")
    parser.add_argument("--article", type=Path, help="a raw text dump every envelope carries (default: built-in text)")
    args = parser.parse_args()
    default_guarantees = "at_least_once" if args.broker == "tansu" else "at_least_once,exactly_once"
    guarantees = [name.strip() for name in (args.guarantees or default_guarantees).split(",")]
    unknown = sorted(set(guarantees) - {"at_least_once", "exactly_once"})
    if unknown:
        parser.error(f"unknown guarantee {unknown}")
    if args.broker == "tansu" and "exactly_once" in guarantees and not os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        parser.error("exactly_once needs Kafka transactions, which Tansu lacks: use --broker kafka")
    global ARTICLE
    ARTICLE = args.article

    # The interpreter's build moves these figures by a fifth (see the Makefile): say which one ran.
    print(f"python {platform.python_version()} ({os.path.realpath(sys.executable)}), {os.cpu_count()} CPUs", flush=True)
    external = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    broker: LocalBroker | ApacheKafkaBroker | None = None
    if not external:
        broker = (ApacheKafkaBroker if args.broker == "kafka" else LocalBroker)(port=free_port()).start()
    kafka = KafkaSettings(bootstrap_servers=external or (broker.bootstrap_servers if broker else None))
    print(f"broker: {external or args.broker}", flush=True)
    try:
        rates: dict[str, list[float]] = {guarantee: [] for guarantee in guarantees}
        ratios: dict[str, list[float]] = {guarantee: [] for guarantee in guarantees}
        relay_rates = []
        for number in range(1, args.rounds + 1):
            round_rates = {guarantee: run_worker(kafka, args.messages, guarantee)[0] for guarantee in guarantees}
            relay_rate = run_relay(kafka, args.messages)
            relay_rates.append(relay_rate)
            for guarantee, rate in round_rates.items():
                rates[guarantee].append(rate)
                ratios[guarantee].append(rate / relay_rate)
            figures = ", ".join(
                f"worker {guarantee} {rate:,.0f} articles/s (ratio {rate / relay_rate:.2f})"
                for guarantee, rate in round_rates.items()
            )
            print(
                f"round {number}: {figures}, relay {relay_rate:,.0f} records/s  ({args.messages:,} messages each)",
                flush=True,
            )
        for guarantee in guarantees:
            ratio = sorted(ratios[guarantee])[len(ratios[guarantee]) // 2]
            every_ratio = ", ".join(f"{value:.2f}" for value in ratios[guarantee])
            print(
                f"worker {guarantee} (clean+enrich, 1 process): median {statistics.median(rates[guarantee]):,.0f} "
                f"articles/s, ratio to the relay {ratio:.2f} (median round; rounds {every_ratio})"
            )
        print(f"bare faust relay agent: median {statistics.median(relay_rates):,.0f} records/s")
        worker_rate = statistics.median(rates[guarantees[0]])
        ceiling = pipeline_rate(min(args.messages, 3000))
        print(
            f"pure stages alone, no broker: {ceiling:,.0f} articles/s "
            f"(the {guarantees[0]} worker reaches {worker_rate / ceiling:.0%})"
        )
        if args.rss_messages:
            rate, rss = run_worker(kafka, args.rss_messages, guarantees[0])
            print(f"worker peak RSS over {args.rss_messages:,} messages: {rss:,.0f} MB ({rate:,.0f} articles/s)")
    finally:
        if broker is not None:
            broker.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
