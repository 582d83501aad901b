"""Replay throughput: records per second for `replay --into-input` and `replay --shadow` on a real broker.

    python bench/replay_throughput.py [--records 50000] [--shadow-records 3000] [--runs 3]

Starts the embedded local broker unless KAFKA_BOOTSTRAP_SERVERS is set; produces ~2.9 KB raw JSON envelopes (a
seed-sized article) into fresh topics, replays them, prints one line per mode (median of the runs) and deletes the
topics. The rate counts every record read, from the start of the run (planning included)
until the last output was acknowledged.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import uuid

import orjson

from workers.broker import clients, topic_policy
from workers.broker.local import LocalBroker, free_port
from workers.settings import KafkaSettings, Settings, TopicNames
from workers.tools import replay
from workers.tools.ranges import Window

_PARAGRAPH = (
    "The council met on Tuesday to discuss the budget for the coming year, and officials said the new bridge "
    "would open to traffic before the winter while residents raised concerns about noise near the river. "
)


def envelope(index: int) -> bytes:
    text = "\n\n".join(f"{_PARAGRAPH}(Paragraph {n} of story {index}.)" for n in range(12))
    return orjson.dumps(
        {
            "id": f"bench-{index}",
            "url": f"https://news.example.com/bench/{index}",
            "source": "Example News",
            "fetched_at": "2026-09-21T12:00:00Z",
            "language": "en",
            "text": text,
        }
    )


def feed(kafka: KafkaSettings, topic: str, count: int) -> int:
    producer = clients.producer(kafka, **replay.PRODUCER_TUNING)
    size = 0
    for index in range(count):
        value = envelope(index)
        size += len(value)
        producer.send(topic, key=f"bench-{index}".encode(), value=value)
    producer.flush()
    producer.close()
    return size // max(1, count)


def fresh_topics() -> TopicNames:
    prefix = f"bench{uuid.uuid4().hex[:8]}"
    return TopicNames.prefixed(prefix)


def measure(kafka: KafkaSettings, records: int, shadow_records: int, runs: int) -> None:
    topics = fresh_topics()
    source = f"{topics.raw}.source"
    shadow_source = f"{topics.raw}.shadow-source"
    created = [source, shadow_source, *clients.all_topic_names(topics)]
    raw_configs = topic_policy.configs_for_role("raw", kafka)
    clients.ensure_topics(kafka, {source: raw_configs, shadow_source: raw_configs})
    clients.ensure_pipeline_topics(kafka, topics)
    settings = Settings(topics=topics, kafka=kafka)
    try:
        mean_size = feed(kafka, source, records)
        feed(kafka, shadow_source, shadow_records)
        into_rates, shadow_rates = [], []
        for run in range(runs):
            summary = replay.into_input(settings, source, Window(), show_progress=False)
            assert summary.read == records and summary.written == records and not summary.delivery_errors
            into_rates.append(summary.read / summary.duration_s)
            version = f"b{run}"
            created += replay.shadow_output_topics(settings, replay.shadow_settings(settings, version, None), "raw")
            summary = replay.shadow(settings, shadow_source, Window(), version, show_progress=False)
            assert summary.read == shadow_records and not summary.delivery_errors
            shadow_rates.append(summary.read / summary.duration_s)
        print(
            f"replay --into-input: {statistics.median(into_rates):,.0f} records/s "
            f"({records:,} records of {mean_size:,} B, median of {runs}: "
            f"{', '.join(f'{r:,.0f}' for r in into_rates)})"
        )
        print(
            f"replay --shadow:     {statistics.median(shadow_rates):,.0f} records/s "
            f"({shadow_records:,} records through clean+enrich, median of {runs}: "
            f"{', '.join(f'{r:,.0f}' for r in shadow_rates)})"
        )
    finally:
        clients.delete_topics(kafka, created)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=50_000, help="records for --into-input (50000)")
    parser.add_argument("--shadow-records", type=int, default=3_000, help="records for --shadow (3000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per mode; the median is printed (3)")
    args = parser.parse_args()
    bootstrap = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if bootstrap:
        measure(KafkaSettings(bootstrap_servers=bootstrap), args.records, args.shadow_records, args.runs)
        return 0
    with LocalBroker(port=free_port()) as broker:
        measure(KafkaSettings(bootstrap_servers=broker.bootstrap_servers), args.records, args.shadow_records, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
