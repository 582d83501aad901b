"""decode stage: envelopes, bare payloads, charsets, mojibake, line endings."""

from __future__ import annotations

import json

import pytest
from jsonschema import ValidationError

from tests.schemas import validate
from workers.records import SourceRecord, StageFailure
from workers.settings import PipelineSettings
from workers.stages.decoding import decode

SETTINGS = PipelineSettings()


def _decode(payload: bytes, **record: object) -> object:
    return decode(SourceRecord(payload=payload, name="file-stem", **record), SETTINGS)  # type: ignore[arg-type]


def test_envelope_fields_become_the_raw_article_and_fetched_at_is_the_reference_time() -> None:
    envelope = {
        "id": "a-1",
        "url": "https://x.test/a",
        "source": "X",
        "fetched_at": "2023-10-13T11:00:00+09:00",
        "title": "T",
        "language": "en-GB",
        "text": "Body",
    }
    article = _decode(json.dumps(envelope).encode(), timestamp="2020-01-01T00:00:00Z")
    assert article.raw_id == "a-1" and article.content_kind == "text" and article.content == "Body"
    assert article.fetched_at == "2023-10-13T02:00:00Z"
    assert article.reference_time == "2023-10-13T02:00:00Z"
    assert article.language == "en-gb"


def test_envelope_without_id_or_fetched_at_falls_back_to_record_key_and_record_time() -> None:
    article = _decode(b'{"html": "<p>x</p>"}', key=b"key-7", timestamp="2024-02-02T00:00:00Z")
    assert article.raw_id == "key-7" and article.content_kind == "html"
    assert article.reference_time == "2024-02-02T00:00:00Z"


def test_bare_payload_without_any_time_has_no_reference_time() -> None:
    article = _decode(b"Plain text dump.\n")
    assert article.raw_id == "file-stem" and article.reference_time is None


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b'{"text": "x", "html": "<p>y</p>"}', "schema_violation"),
        (b'{"text": 42}', "schema_violation"),
        (b'{"text": "x", "fetched_at": "yesterday"}', "schema_violation"),
        (b'{"text": "x", "id": ""}', "schema_violation"),
        (b'{"text": "x", "language": "english please"}', "schema_violation"),
        (b'{"title": "no content"}', "invalid_envelope"),
        (b'{"title": 3}', "invalid_envelope"),  # a wrong type in an object that is no envelope at all
        (b'{"title": 3, "text": "x"}', "schema_violation"),
        (b'{"title": 3, "text": "unterminated', "invalid_envelope"),
        (b'{"text": null}', "schema_violation"),
        (b'{"text": "unterminated', "invalid_envelope"),
        (b"[1, 2, 3]", None),
        (b"\x00\x01\x02\x03\xff\xfe" * 200, "undecodable"),
        (b"   \n\t ", "empty_after_cleaning"),
    ],
)
def test_bad_envelopes_and_garbage_raise_a_typed_failure(payload: bytes, reason: str | None) -> None:
    if reason is None:
        assert _decode(payload).content_kind == "text"  # a JSON array is not an envelope: plain text
        return
    with pytest.raises(StageFailure) as failure:
        _decode(payload)
    assert failure.value.reason == reason


@pytest.mark.parametrize(
    "envelope",
    [
        {"text": "x"},
        {"html": "<p>x</p>", "text": None, "id": None, "url": None},
        {"text": "x", "unknown": {"nested": [1, 2]}},
        {"text": "x", "html": "<p>y</p>"},
        {"text": None, "html": None},
        {"text": 42},
        {"text": "x", "title": 3},
        {"text": "x", "id": ""},
        {"text": "x", "language": "english please"},
        {"id": "a"},
    ],
)
def test_the_decoder_takes_exactly_the_envelopes_the_schema_admits(envelope: dict[str, object]) -> None:
    try:
        validate("raw-article.v1.json", envelope)
        admitted = True
    except ValidationError:
        admitted = False
    try:
        _decode(json.dumps(envelope).encode())
        decoded = True
    except StageFailure as failure:
        assert failure.reason in ("invalid_envelope", "schema_violation")
        decoded = False
    assert decoded == admitted


def test_mojibake_is_repaired() -> None:
    broken = "They donâ€™t know, said the cafÃ© owner in MÃ¼nchen."
    assert _decode(broken.encode("utf-8")).content == "They don’t know, said the café owner in München."


def test_crlf_and_lone_cr_become_newlines_and_invisibles_go() -> None:
    article = _decode("First\r\nSecond\rThird\u200b\u00a0line\x07".encode())
    assert article.content == "First\nSecond\nThird line"


def test_declared_charset_is_honoured_in_html() -> None:
    html = '<html><head><meta charset="windows-1252"></head><body><p>Café “quoted”</p></body></html>'
    article = _decode(html.encode("cp1252"))
    assert article.content_kind == "html" and "Café “quoted”" in article.content


def test_latin1_text_without_declaration_is_detected() -> None:
    text = "Der Bürgermeister von Köln sagte, die Straße bleibe gesperrt. " * 5
    assert "Bürgermeister von Köln" in _decode(text.encode("latin-1")).content


def test_utf16_with_bom_is_decoded() -> None:
    assert _decode("Hello wörld".encode("utf-16")).content == "Hello wörld"


def test_html_is_sniffed_from_markup_near_the_start() -> None:
    assert _decode(b"<!DOCTYPE html><html><body><p>x</p></body></html>").content_kind == "html"
    assert _decode(b"Price < 5 and > 3, said the man.").content_kind == "text"
