"""The HTML path of the clean stage: main text, metadata, related links, non-articles and hostile pages."""

from __future__ import annotations

import gzip
import os
import socket
import time
from pathlib import Path

import orjson
import pytest

from workers.records import SourceRecord, StageFailure
from workers.runner import run_pipeline
from workers.settings import PipelineSettings
from workers.stages.decoding import decode_bytes, normalize_text
from workers.stages.html.extraction import extract_html

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "html"
BENCHMARK = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "zyte-article-benchmark"
ARTICLE_URL = "https://news.example.com/2024/03/harbour-bridge-reopens"


def _fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def _benchmark_page(page_id: str) -> tuple[str, str]:
    """A benchmark page's decoded HTML and URL; skips when ../shared is not beside the checkout."""
    if not BENCHMARK.exists():
        pytest.skip(f"{BENCHMARK} is absent: ../shared is only beside developer and CI checkouts")
    truth = orjson.loads((BENCHMARK / "ground-truth.json").read_bytes())
    raw = gzip.decompress((BENCHMARK / "html" / f"{page_id}.html.gz").read_bytes())
    return normalize_text(decode_bytes(raw)), truth[page_id]["url"]


def _outcome(payload: bytes) -> tuple[list[dict], list[dict]]:
    """Articles and dead letters of the whole pipeline for one HTML payload."""
    record = SourceRecord(payload=payload, name="page", content_type_hint="html")
    events = run_pipeline(record, PipelineSettings())
    articles = [orjson.loads(event.value) for event in events if event.topic_role == "article"]
    letters = [orjson.loads(event.value) for event in events if event.topic_role == "deadletter"]
    return articles, letters


def test_article_body_drops_headline_comments_and_inline_teaser() -> None:
    extraction = extract_html(_fixture("article_with_related.html"), ARTICLE_URL)
    paragraphs = extraction.text.split("\n\n")
    assert paragraphs[0].startswith("The harbour bridge reopened to traffic on Tuesday morning")
    assert paragraphs[-1].endswith("temporary diversions through the old town will be lifted.")
    assert len(paragraphs) == 5
    for boilerplate in ("Harbour bridge reopens", "Related:", "Finally!", "comments", "All rights reserved"):
        assert boilerplate not in extraction.text


def test_article_metadata_comes_from_json_ld_meta_tags_and_markup() -> None:
    metadata = extract_html(_fixture("article_with_related.html"), ARTICLE_URL).metadata
    assert metadata.headline == "Harbour bridge reopens after two years of repairs"
    assert metadata.byline == "Jane Doe"
    assert metadata.published_at == "2024-03-05T08:30:00Z"
    assert metadata.canonical_url == ARTICLE_URL  # utm_source removed
    assert metadata.site_name == "Example News"
    assert metadata.language == "en-gb"


def test_related_block_teaser_and_body_links_become_canonical_related_items() -> None:
    links = extract_html(_fixture("article_with_related.html"), ARTICLE_URL).links
    similar = {(item.title, item.url) for item in links if item.kind == "similar"}
    assert similar == {
        ("Ferry timetable changes for the spring season", "https://news.example.com/2024/02/ferry-timetable-changes"),
        ("Old town traffic plan approved by the council", "https://news.example.com/2024/01/old-town-traffic"),
        ("Bridge repairs delayed again by the winter storms", "https://news.example.com/2023/11/bridge-delays"),
    }
    hyperlinks = [(item.title, item.url, item.source_domain) for item in links if item.kind == "hyperlink"]
    assert hyperlinks == [
        ("survey published in 2022", "https://news.example.com/reports/bridge-survey-2022?id=7", "news.example.com"),
        ("cycling association", "https://cycling.example.org/news/bridge-lane", "cycling.example.org"),
    ]


def test_extraction_is_deterministic() -> None:
    page = _fixture("article_with_related.html")
    assert extract_html(page, ARTICLE_URL) == extract_html(page, ARTICLE_URL)


def test_error_page_is_not_an_article() -> None:
    with pytest.raises(StageFailure) as failure:
        extract_html(_fixture("not_found.html"), "https://news.example.com/missing")
    assert failure.value.reason == "not_an_article"


@pytest.mark.parametrize("name", ["not_found.html", "cookie_wall.html", "empty_body.html"])
def test_non_article_pages_end_as_dead_letters(name: str) -> None:
    articles, letters = _outcome((FIXTURES / name).read_bytes())
    assert articles == []
    assert [letter["reason"] for letter in letters] in (["not_an_article"], ["empty_after_cleaning"])


def test_article_page_goes_through_the_pipeline_with_its_links() -> None:
    record = SourceRecord(
        payload=(FIXTURES / "article_with_related.html").read_bytes(), name="a", content_type_hint="html"
    )
    events = run_pipeline(record, PipelineSettings())
    kinds = [orjson.loads(event.value)["kind"] for event in events if event.topic_role == "link"]
    assert kinds.count("similar") == 3 and kinds.count("hyperlink") == 2


def _hostile_pages() -> dict[str, bytes]:
    depth = 100_000
    return {
        "unclosed_tags": (b"<html><body><div><p>unclosed <b>bold <i>italic <table><tr><td>cell " * 2000),
        "nested_divs": b"<html><body>" + b"<div>" * depth + b"<p>deep text</p>" + b"</div>" * depth + b"</body></html>",
        "binary_garbage": os.urandom(200_000),
        "nul_bytes": b"<html><body>" + b"\x00" * 100_000 + b"</body></html>",
        "huge_attribute": b'<html><body><div class="' + b"comment " * 200_000 + b'"><p>x</p></div></body></html>',
    }


@pytest.mark.parametrize("name", sorted(_hostile_pages()))
def test_hostile_page_ends_in_a_dead_letter_or_an_article_in_bounded_time(name: str) -> None:
    payload = _hostile_pages()[name]
    assert len(payload) <= PipelineSettings().max_message_bytes
    started = time.perf_counter()
    articles, letters = _outcome(payload)
    assert time.perf_counter() - started < 5.0
    assert len(articles) + len(letters) == 1
    if letters:
        assert letters[0]["reason"] in {"not_an_article", "empty_after_cleaning", "undecodable"}


def test_benchmark_cbssports_page_headline_body_and_body_links() -> None:
    page, url = _benchmark_page("08f793762792bd252c75fb57544cdf506ffcc04785136cb87503f02364b82b56")
    extraction = extract_html(page, url)
    assert (
        extraction.metadata.headline
        == "Browns player on Mason Rudolph's role in fight with Myles Garrett: He asked for it"
    )
    assert extraction.text.startswith("The Steelers spent Monday trying to distance themselves")
    assert extraction.text.endswith('so our focus has got to be on Cincinnati right now."')
    assert "Newsletter" not in extraction.text
    urls = {item.url for item in extraction.links if item.kind == "hyperlink"}
    assert "https://www.steelers.com/video/steelers-looking-ahead" in urls


def test_benchmark_livescience_page_turns_inline_related_teaser_into_a_similar_link() -> None:
    page, url = _benchmark_page("bd673bd7988144f0ab7b9c5e19fed140fb5aaa30d8894cb045b72d3b79a7dc54")
    extraction = extract_html(page, url)
    assert extraction.metadata.published_at == "2019-11-18T23:30:00Z"
    assert extraction.text.startswith("A soothing pillow and warm duvet might not always lead to better rest.")
    assert extraction.text.endswith("Originally published on Live Science.")
    assert "Related:" not in extraction.text
    similar = [item for item in extraction.links if item.kind == "similar"]
    assert similar[0].url == "https://www.livescience.com/36244-strangest-allergic-reactions.html"


def test_benchmark_bbc_page_related_block_links() -> None:
    page, url = _benchmark_page("c7e39ac49fa1235f5d50f83bf2444248bd3aa4e6df044377916c812dd109ba23")
    extraction = extract_html(page, url)
    assert extraction.metadata.headline == "Sweden drops Assange rape investigation"
    assert extraction.text.startswith("Prosecutors in Sweden have dropped an investigation")
    assert extraction.text.endswith("at Westminster Magistrate's Court in London in February.")
    similar = {item.url for item in extraction.links if item.kind == "similar"}
    assert "https://www.bbc.com/news/uk-48134901" in similar
    assert all(item.source_domain == "bbc.com" for item in extraction.links if item.kind == "similar")


def test_a_page_with_images_scripts_frames_and_links_is_processed_without_opening_a_connection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No network I/O in a stage: nothing a page points to is fetched (no SSRF, no tracking pixels)."""
    attempts: list[tuple[object, ...]] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("a stage tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    page = _fixture("article_with_related.html").replace(
        "</body>",
        '<img src="http://169.254.169.254/latest/meta-data/" width="1" height="1">'
        '<img src="https://tracker.example.net/pixel.gif?utm_source=x">'
        '<script src="https://cdn.example.net/app.js"></script>'
        '<iframe src="http://localhost:8080/admin"></iframe>'
        '<link rel="stylesheet" href="https://cdn.example.net/site.css">'
        '<meta http-equiv="refresh" content="0; url=http://127.0.0.1/">'
        "</body>",
    )
    assert "pixel.gif" in page
    articles, letters = _outcome(page.encode())
    assert attempts == []
    assert len(articles) == 1 and letters == []
    assert "169.254.169.254" not in orjson.dumps(articles[0]).decode()


def test_article_the_extractor_misses_is_found_by_the_body_model_in_the_page_text() -> None:
    # trafilatura drops a body rendered inside a container named like a sidebar; the page's own text still holds it.
    articles, letters = _outcome((FIXTURES / "body_in_sidebar_container.html").read_bytes())
    assert not letters
    (article,) = articles
    assert article["dateline"] == "RIVERSIDE"
    assert article["body"].startswith("The city council voted on Tuesday to extend the tram network")
    assert article["body"].endswith("taking an estimated 15,000 car journeys off the roads.")
    for furniture in ("Home", "Sport", "All rights reserved", "Privacy"):
        assert furniture not in article["body"]


def test_json_ld_article_body_and_word_count_overrule_a_body_cut_to_its_lead() -> None:
    # The page shows only the lead; its JSON-LD articleBody and wordCount say the article is four paragraphs long.
    articles, letters = _outcome((FIXTURES / "json_ld_body_beyond_the_lead.html").read_bytes())
    assert not letters
    (article,) = articles
    paragraphs = article["body"].split("\n\n")
    assert len(paragraphs) == 4
    assert paragraphs[-1].endswith("Die Hafengesellschaft verweist auf Ausgleichsflächen an der Elbe.")
    assert "Weiterlesen mit Abo" not in article["body"]
    assert article["language"] == "de"


def test_related_block_in_the_middle_of_an_article_does_not_end_its_body() -> None:
    articles, letters = _outcome((FIXTURES / "related_block_mid_article.html").read_bytes())
    assert not letters
    (article,) = articles
    body = article["body"]
    assert body.startswith("El Consejo de Ministros aprobó este martes ampliar el bono de alquiler joven")
    assert body.endswith("que se financiarán con fondos europeos del plan de recuperación.")
    assert "Las asociaciones de inquilinos celebraron la medida" in body
    for teaser in ("Noticias relacionadas", "El euríbor baja", "nuevo récord en febrero"):
        assert teaser not in body
