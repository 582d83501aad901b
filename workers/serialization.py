"""The one place records become bytes and back.

The topics' records (workers.records) are encoded by msgspec with their fields in sorted order, and decoded
into their Structs, typed and validated; other JSON (command output, tool summaries) goes through orjson
with sorted keys. Either way the same value gives the same bytes.
"""

from __future__ import annotations

from typing import Any

import msgspec
import orjson

from workers.records import CleanArticle, RawEnvelope

_RECORD_ENCODER = msgspec.json.Encoder(order="sorted")
_CLEAN_ARTICLE_DECODER = msgspec.json.Decoder(CleanArticle)
_RAW_ENVELOPE_DECODER = msgspec.json.Decoder(RawEnvelope)


def encode_record(record: msgspec.Struct) -> bytes:
    """A topic record's payload: JSON, fields in sorted order, no whitespace."""
    return _RECORD_ENCODER.encode(record)


def decode_clean_article(payload: bytes) -> CleanArticle:
    """A cleaned-topic payload (schemas/cleaned-article.v1.json); raises msgspec.DecodeError when it is not one."""
    return _CLEAN_ARTICLE_DECODER.decode(payload)


def decode_raw_envelope(payload: bytes) -> RawEnvelope:
    """A raw-topic JSON envelope (schemas/raw-article.v1.json); raises msgspec.DecodeError when it is not one."""
    return _RAW_ENVELOPE_DECODER.decode(payload)


def dumps(value: Any) -> bytes:
    """Serialise a JSON value deterministically (sorted keys, no whitespace)."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
