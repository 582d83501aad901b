"""The real seed dump from ../shared, end to end through the offline pipeline (the core issue's acceptance)."""

from __future__ import annotations

import json

import orjson

from tests.conftest import shared_path
from tests.schemas import validate_event
from workers.records import OutputEvent, SourceRecord
from workers.runner import run_pipeline
from workers.settings import PipelineSettings

SEED = ("seeds", "000_1e8faefd57101ac8.txt")


def _run(record: SourceRecord) -> tuple[dict, list[dict], list[OutputEvent]]:
    events = run_pipeline(record, PipelineSettings())
    for event in events:
        validate_event(event.topic_role, orjson.loads(event.value))
    articles = [orjson.loads(e.value) for e in events if e.topic_role == "article"]
    links = [orjson.loads(e.value) for e in events if e.topic_role == "link"]
    assert len(articles) == 1, [e for e in events if e.topic_role == "deadletter"]
    return articles[0], links, events


def _seed_envelope() -> SourceRecord:
    text = shared_path(*SEED).read_text(encoding="utf-8")
    envelope = {"id": "seed-000", "fetched_at": "2023-10-13T02:00:00Z", "text": text}
    return SourceRecord(payload=json.dumps(envelope).encode(), name="envelope")


def test_seed_envelope_body_is_the_article_without_boilerplate() -> None:
    article, _, _ = _run(_seed_envelope())
    body = article["body"]
    assert body.startswith("North Korea leader Kim Jong-un exchanged letters")
    assert body.endswith("shoulder-fired rockets and missiles.")
    assert body.count("has accused") == 1
    for boilerplate in ("ALSO READ", "South Africa Latest News", "Similar News", "Read more", "straitstimes"):
        assert boilerplate not in body
    assert article["raw_id"] == "seed-000"


def test_seed_envelope_enrichment_finds_dateline_date_people_and_organisations() -> None:
    article, _, _ = _run(_seed_envelope())
    assert article["dateline"] == "SEOUL"
    assert {"text": "Thursday (Oct 12)", "date": "2023-10-12", "weekday_mismatch": False} in article["date_mentions"]
    people = [person["name"] for person in article["people"]]
    assert "Kim Jong-un" in people and "Vladimir Putin" in people
    assert "KCNA" in [organisation["name"] for organisation in article["organisations"]]
    assert article["language"] == "en"


def test_seed_envelope_gives_five_related_links_in_order() -> None:
    _, links, _ = _run(_seed_envelope())
    assert [link["position"] for link in links] == [1, 2, 3, 4, 5]
    assert links[0]["title"] == "North Korea says military satellite key to countering US 'space militarisation'"
    assert links[0]["summary"].startswith("SEOUL - North Korea's spy satellite program")
    assert links[0]["truncated"] is True
    assert links[1]["title"] == "Foreign-language signs, menus in S. Korea spark concerns among locals"
    assert links[1]["summary"] == "Use of foreign languages on signs and menus has left some South Koreans frustrated."
    assert links[1]["source_domain"] == "straitstimes.com"
    assert links[3]["title"] == "India train derailment kills at least four, injures about 80 in north-east"
    assert links[4]["summary"].startswith("MOSCOW — Russian President Vladimir Putin")
    assert all(link["kind"] == "similar" for link in links)


def test_seed_bare_text_without_reference_time_gives_same_body_and_links_with_null_date() -> None:
    envelope_article, envelope_links, _ = _run(_seed_envelope())
    bare = SourceRecord(payload=shared_path(*SEED).read_bytes(), name="000_1e8faefd57101ac8")
    article, links, _ = _run(bare)
    assert article["body"] == envelope_article["body"]
    assert article["raw_id"] == "000_1e8faefd57101ac8"
    strip_ids = [{k: v for k, v in link.items() if k not in ("article_id", "link_id")} for link in links]
    assert strip_ids == [
        {k: v for k, v in link.items() if k not in ("article_id", "link_id")} for link in envelope_links
    ]
    thursday = [mention for mention in article["date_mentions"] if mention["text"] == "Thursday (Oct 12)"]
    assert thursday and thursday[0]["date"] is None


def test_seed_twice_gives_byte_identical_events() -> None:
    first = [(e.topic_role, e.key, e.value) for e in _run(_seed_envelope())[2]]
    second = [(e.topic_role, e.key, e.value) for e in _run(_seed_envelope())[2]]
    assert first == second
