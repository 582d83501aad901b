"""decode: raw bytes → RawArticle. Envelope validation, charset sniffing, mojibake repair, Unicode normalisation."""

from __future__ import annotations

import codecs
import re
import unicodedata

import msgspec
from charset_normalizer import from_bytes

from workers import serialization
from workers.records import ContentKind, RawArticle, RawEnvelope, SourceRecord, StageFailure
from workers.settings import PipelineSettings
from workers.timestamps import format_rfc3339, parse_rfc3339

_HTML_SNIFF = re.compile(rb"<(?:!doctype\s+html|html|head|body|meta|title|article|div|p|br)[\s>/]", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE)
# Signs of UTF-8 read as cp1252/latin-1 ("donâ€™t", "cafÃ©"); ftfy only runs when one is present,
# because it is the slowest step of the text path and most input is clean.
_MOJIBAKE_HINT = re.compile(
    "[ÂÃÅÆÐÑâ][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_INVISIBLES = re.compile(f"[{_INVISIBLE_CHARS}]")
_MOJIBAKE_LEADS = "ÂÃÅÆÐÑâ"
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_BYTES = bytes(range(0x00, 0x09)) + b"\x0b\x0c" + bytes(range(0x0E, 0x20)) + b"\x7f"
_BINARY_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd]")
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")


def normalize_text(text: str) -> str:
    """Repair mojibake, normalise to NFC, unify line endings and drop invisible and control characters.

    Each regex pass is guarded by a cheap C-level `in` test: most input needs none of them, and every full
    regex scan of a 3 KB dump costs tens of microseconds.
    """
    if not text.isascii():
        if any(map(text.__contains__, _MOJIBAKE_LEADS)) and _MOJIBAKE_HINT.search(text):
            import ftfy  # imported on first use: 0.2 s of start-up that clean input never needs

            text = ftfy.fix_text(text, normalization="NFC", uncurl_quotes=False)
        if any(map(text.__contains__, _INVISIBLE_CHARS)):
            text = _INVISIBLES.sub("", text)
        text = text.replace("\u00a0", " ").replace("\u2028", "\n").replace("\u2029", "\n\n")
        text = unicodedata.normalize("NFC", text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not _is_printable_text(text):
        text = _CONTROL.sub("", text)
    return text


def _declared_charset(payload: bytes) -> str | None:
    head = payload[:8192]
    if b"<" not in head:
        return None  # no markup, no <meta>: a text dump is spared the scan
    match = _META_CHARSET.search(head)
    if not match:
        return None
    try:
        return codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None


def _looks_binary(text: str) -> bool:
    """More than 5% control or replacement characters means this is not text in any charset."""
    sample = text[:20000]
    if not sample or (sample.isprintable() or ("\ufffd" not in sample and _is_printable_text(sample))):
        return False
    return len(_BINARY_CHARS.findall(sample)) > len(sample) * 0.05


def _is_printable_text(text: str) -> bool:
    """Printable apart from line breaks and tabs (C-level str methods; most text passes it)."""
    return text.replace("\n", "").replace("\r", "").replace("\t", "").isprintable()


def decode_bytes(payload: bytes) -> str:
    """Bytes → str: BOM, then a declared charset, then UTF-8, then detection; `undecodable` when none fits."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if payload.startswith(bom):
            text = payload[len(bom) :].decode(encoding, "replace")
            if _looks_binary(text):
                raise StageFailure("undecodable", f"{encoding} with a byte-order mark, but not text")
            return text
    declared = _declared_charset(payload)
    candidates = [declared] if declared else []
    candidates.append("utf-8")
    for encoding in candidates:
        try:
            text = payload.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if encoding == "utf-8" and len(payload.translate(None, _CONTROL_BYTES)) == len(payload):
            return text  # valid UTF-8 without control bytes is text: the character scan below is not needed
        if not _looks_binary(text):
            return text
        raise StageFailure("undecodable", "the payload is binary data, not text")
    best = from_bytes(payload[:65536]).best()
    if best is None or best.encoding is None:
        raise StageFailure("undecodable", "no character encoding fits the payload")
    text = payload.decode(best.encoding, "replace")
    if _looks_binary(text):
        raise StageFailure("undecodable", f"detected {best.encoding}, but the payload is binary data")
    return text


def sniff_kind(text: str) -> ContentKind:
    """HTML when markup appears near the start, text otherwise."""
    if "<" not in text[:4096]:
        return "text"
    head = text[:4096].encode("utf-8", "replace")
    return "html" if _HTML_SNIFF.search(head) else "text"


class _ContentFields(msgspec.Struct, frozen=True):
    """Only whether an object names `text` or `html`, whatever their values."""

    text: msgspec.Raw | msgspec.UnsetType = msgspec.UNSET
    html: msgspec.Raw | msgspec.UnsetType = msgspec.UNSET


def _names_content(fields: RawEnvelope | _ContentFields) -> bool:
    return not (isinstance(fields.text, msgspec.UnsetType) and isinstance(fields.html, msgspec.UnsetType))


def _read_envelope(payload: bytes) -> RawEnvelope:
    """The payload's JSON envelope: `invalid_envelope` when it is no envelope, `schema_violation` when a field
    of one has the wrong type."""
    try:
        try:
            envelope = serialization.decode_raw_envelope(payload)
        except msgspec.ValidationError as error:
            # A wrong type is reported before the rest is read: only an envelope can violate its schema.
            if _names_content(msgspec.json.decode(payload, type=_ContentFields)):
                raise StageFailure("schema_violation", f"the envelope does not fit its schema: {error}") from None
            envelope = None
    except msgspec.DecodeError as error:
        message = f"payload starts like a JSON envelope but is not JSON: {error}"
        raise StageFailure("invalid_envelope", message) from None
    if envelope is None or not _names_content(envelope):
        raise StageFailure("invalid_envelope", "a JSON object without 'text' or 'html' is not an article envelope")
    return envelope


def _decode_envelope(envelope: RawEnvelope, record: SourceRecord, settings: PipelineSettings) -> RawArticle:
    text = None if isinstance(envelope.text, msgspec.UnsetType) else envelope.text
    html = None if isinstance(envelope.html, msgspec.UnsetType) else envelope.html
    if (text is None) == (html is None):
        raise StageFailure("schema_violation", "an envelope needs exactly one of 'text' or 'html'")
    raw_id = envelope.id
    if raw_id is not None and not raw_id.strip():
        raise StageFailure("schema_violation", "envelope field 'id' must be a non-empty string")
    fetched_at = envelope.fetched_at
    if fetched_at is not None:
        try:
            fetched_at = format_rfc3339(parse_rfc3339(fetched_at))
        except ValueError as error:
            raise StageFailure("schema_violation", f"'fetched_at' is not an RFC 3339 timestamp: {error}") from None
    language = envelope.language
    if language is not None and not _LANGUAGE_TAG.match(language):
        raise StageFailure("schema_violation", f"'language' is not a language tag: {language[:40]!r}")
    kind: ContentKind = "text" if text is not None else "html"
    # HTML is normalised after extraction (clean stage): the page is ten times the text, and markup needs none.
    content = normalize_text(text) if text is not None else html or ""
    title = envelope.title
    return RawArticle(
        raw_id=raw_id.strip() if raw_id is not None else record.fallback_id,
        content_kind=kind,
        content=content,
        url=envelope.url,
        source_name=envelope.source,
        fetched_at=fetched_at,
        title=normalize_text(title).strip() if title else None,
        language=language.lower().replace("_", "-") if language else None,
        reference_time=fetched_at or record.timestamp or settings.default_reference_time,
    )


def decode(record: SourceRecord, settings: PipelineSettings) -> RawArticle:
    """Bytes → RawArticle: a JSON envelope (schemas/raw-article.v1.json) or a bare text or HTML payload."""
    payload = record.payload
    if not payload.strip():
        raise StageFailure("empty_after_cleaning", "the payload is empty")
    stripped = payload.lstrip(b" \t\r\n\xef\xbb\xbf")
    if stripped.startswith(b"{"):
        return _decode_envelope(_read_envelope(stripped), record, settings)
    text = decode_bytes(payload)
    kind = record.content_type_hint or sniff_kind(text)
    return RawArticle(
        raw_id=record.fallback_id,
        content_kind=kind,
        content=normalize_text(text) if kind == "text" else text,
        reference_time=record.timestamp or settings.default_reference_time,
    )
