"""The streaming shell without a broker: stage chains, headers and delivery retries."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import orjson

from workers.broker import headers as h
from workers.pipeline import CLEAN, ENRICH, PIPELINE
from workers.records import OutputEvent, SourceRecord
from workers.runner import run_pipeline, run_stage
from workers.settings import KafkaSettings, Settings
from workers.streaming.app import build_app
from workers.streaming.chain import Outgoing, StageChain
from workers.streaming.config import StreamSettings
from workers.streaming.delivery import Publisher, key_partitioner
from workers.streaming.metrics import HealthState, WorkerMetrics

NOW = datetime(2026, 11, 27, 10, 0, 0, 123456, tzinfo=UTC)
TEXT = (
    "SEOUL — North Korea leader Kim Jong-un exchanged letters with Russian President Vladimir Putin on Thursday, "
    "vowing to advance their ties, Pyongyang's state media KCNA said.\n"
    "The letters mark the 75th anniversary of bilateral relations, and came about a month after Kim's rare trip "
    "to Russia during which he and Putin discussed military cooperation and the war in Ukraine.\n"
)


def raw_record(payload: bytes, offset: int = 7) -> SourceRecord:
    envelope = {"id": "env-1", "url": "https://news.example.com/a", "fetched_at": "2025-11-27T09:30:00Z"}
    return SourceRecord(
        payload=payload or orjson.dumps({**envelope, "text": TEXT * 3}),
        key=None,
        topic="news.articles.raw",
        partition=2,
        offset=offset,
        timestamp="2025-11-27T10:00:00Z",
    )


def test_all_stages_chain_gives_the_offline_payloads_plus_the_cleaned_record() -> None:
    settings = Settings()
    record = raw_record(b"")
    chain = StageChain(PIPELINE, settings, WorkerMetrics())

    outgoing = chain.process(record, NOW)

    cleaned = [event for event in run_stage(CLEAN, record, settings.pipeline).events if event.topic_role == "cleaned"]
    expected = [(event.topic_role, event.value) for event in [*cleaned, *run_pipeline(record, settings.pipeline)]]
    assert sorted((item.role, item.value) for item in outgoing) == sorted(expected)
    assert chain.process(record, NOW) == outgoing  # deterministic, headers included for the same `now`


def test_every_output_carries_cloudevents_and_provenance_headers() -> None:
    outgoing = StageChain(PIPELINE, Settings(), WorkerMetrics()).process(raw_record(b""), NOW)
    for index, item in enumerate(outgoing):
        headers = h.header_map(item.headers)
        assert headers[h.CE_ID] == f"news.articles.raw:2:7:{index}"
        assert headers[h.CE_SOURCE] == f"newsflow/{item.stage}"
        assert headers[h.CE_TYPE] == h.CE_TYPES[item.role]
        assert headers[h.CE_SPECVERSION] == "1.0"
        assert headers[h.CE_TIME] == "2026-11-27T10:00:00.123Z"
        assert headers[h.CONTENT_TYPE] == "application/json"
        assert (headers[h.SOURCE_TOPIC], headers[h.SOURCE_PARTITION], headers[h.SOURCE_OFFSET]) == (
            "news.articles.raw",
            "2",
            "7",
        )
        assert headers[h.PIPELINE_VERSION] == Settings().pipeline.pipeline_version
        assert headers[h.STAGE] == item.stage
        assert headers[h.ORIGINAL_TIMESTAMP] == "2025-11-27T10:00:00Z"


def test_enrich_chain_reads_the_cleaned_topic() -> None:
    settings = Settings()
    chain = StageChain((ENRICH,), settings, WorkerMetrics())
    cleaned = next(e for e in run_stage(CLEAN, raw_record(b""), settings.pipeline).events if e.topic_role == "cleaned")
    record = SourceRecord(
        payload=cleaned.value, key=cleaned.key.encode(), topic=settings.topics.cleaned, partition=0, offset=3
    )
    outgoing = chain.process(record, NOW)
    assert chain.input_topic == settings.topics.cleaned
    assert {item.role for item in outgoing} <= {"article", "link"}
    assert {item.topic for item in outgoing} <= {settings.topics.articles, settings.topics.links}


def test_garbage_becomes_one_dead_letter_and_the_chain_goes_on() -> None:
    metrics = WorkerMetrics()
    outgoing = StageChain(PIPELINE, Settings(), metrics).process(raw_record(b"\x00\xff\xfe garbage"), NOW)
    assert [item.role for item in outgoing] == ["deadletter"]
    assert orjson.loads(outgoing[0].value)["original"]["offset"] == 7


def test_an_output_the_broker_would_refuse_becomes_a_too_large_dead_letter() -> None:
    settings = Settings(kafka=KafkaSettings(max_request_bytes=64 * 1024 + 500))
    outgoing = StageChain(PIPELINE, settings, WorkerMetrics()).process(raw_record(b""), NOW)
    letter = orjson.loads(outgoing[0].value)
    assert [item.role for item in outgoing] == ["deadletter"]
    assert (letter["reason"], letter["original"]["value_omitted"]) == ("too_large", True)


class FlakyProducer:
    """faust's producer `send` as a broker that is away makes it: the first `failing` deliveries fail, and the
    send numbered `raise_at` (counting from 0) raises at once, as a producer that is restarting does."""

    def __init__(self, failing: int = 0, raise_at: int | None = None) -> None:
        self.failing = failing
        self.raise_at = raise_at
        self.sends = 0
        self.sent: list[tuple[str, bytes | None, bytes | None]] = []

    async def send(
        self,
        topic: str,
        key: bytes | None,
        value: bytes | None,
        partition: int | None,
        timestamp: float | None,
        headers: Any,
    ) -> asyncio.Future[None]:
        self.sends += 1
        if self.sends - 1 == self.raise_at:
            raise ConnectionError("producer restarting")
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if self.failing:
            self.failing -= 1
            future.set_exception(ConnectionError("broker away"))
        else:
            self.sent.append((topic, key, value))
            future.set_result(None)
        return future


def deliver(producer: FlakyProducer, records: list[Outgoing], metrics: WorkerMetrics, health: HealthState) -> None:
    async def get_producer() -> FlakyProducer:
        return producer

    asyncio.run(Publisher(get_producer, metrics, health, first_backoff_s=0.01).deliver(records))


def test_publisher_retries_failed_deliveries_until_all_are_acknowledged() -> None:
    producer = FlakyProducer(failing=2)
    metrics, health = WorkerMetrics(), HealthState()
    records = [Outgoing("t", b"k", bytes([n]), [], "link", "enrich") for n in range(5)]

    deliver(producer, records, metrics, health)

    assert sorted(producer.sent) == [("t", b"k", bytes([n])) for n in range(5)]
    assert [value for _, _, value in producer.sent[-2:]] == [bytes([0]), bytes([1])]  # the failed two, again
    assert metrics.delivery_retries._value.get() == 2
    assert metrics.messages_out.labels("enrich", "link")._value.get() == 5
    assert not health.delivery_failing


def test_publisher_retries_the_records_a_raising_send_did_not_take() -> None:
    producer = FlakyProducer(raise_at=3)
    metrics, health = WorkerMetrics(), HealthState()
    records = [Outgoing("t", b"k", bytes([n]), [], "article", "enrich") for n in range(5)]

    deliver(producer, records, metrics, health)

    assert producer.sent == [("t", b"k", bytes([n])) for n in range(5)]
    assert metrics.delivery_retries._value.get() == 2  # the fourth and fifth record
    assert producer.sends == 6


def test_worker_app_partitions_outputs_as_kafkas_default_partitioner() -> None:
    from kafka.partitioner.default import murmur2

    settings = Settings(kafka=KafkaSettings(bootstrap_servers="127.0.0.1:1"))
    partitioner = build_app(settings, StreamSettings(), PIPELINE).conf.producer_partitioner
    for key in (b"a", b"5cb38bf5557fd87b21a63ba8e4045093", "é".encode(), b"a"):
        for count in (1, 4, 12):
            partitions = list(range(count))
            assert partitioner(key, partitions, partitions) == (murmur2(key) & 0x7FFFFFFF) % count


def test_key_partitioner_is_kafkas_default_partitioner() -> None:
    from kafka.partitioner.default import murmur2

    for key in (b"a", b"5cb38bf5557fd87b21a63ba8e4045093", "é".encode()):
        assert key_partitioner(key, [0, 1, 2, 3], [0, 1, 2, 3]) == (murmur2(key) & 0x7FFFFFFF) % 4


def test_output_headers_name_the_input_of_a_standalone_stage() -> None:
    source = SourceRecord(payload=b"{}", topic="news.articles.cleaned", partition=1, offset=9)
    event = OutputEvent("article", "abc", b"{}")
    headers = h.header_map(h.output_headers(event, "enrich", source, "1.0.0", 0, NOW))
    assert headers[h.CE_ID] == "news.articles.cleaned:1:9:0"
    assert h.ORIGINAL_TIMESTAMP not in headers
