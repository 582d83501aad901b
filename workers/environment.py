"""The environment variables newsflow reads, validated in one place before anything connects.

Every variable is declared once below with its type and the values it allows; msgspec converts and checks them
all at once, and a bad value is refused with a message that names the variable, the value (never a secret's)
and what is allowed. Sizes take units (humanfriendly: `5MB` is 5,000,000 bytes, `5MiB` 5,242,880).
"""

from __future__ import annotations

import os
import typing
from collections.abc import Mapping
from typing import Annotated, Any, Literal

import humanfriendly
import msgspec

PositiveInt = Annotated[int, msgspec.Meta(ge=1)]
NonNegativeInt = Annotated[int, msgspec.Meta(ge=0)]
PositiveSeconds = Annotated[float, msgspec.Meta(gt=0)]
NonNegativeSeconds = Annotated[float, msgspec.Meta(ge=0)]
Port = Annotated[int, msgspec.Meta(ge=0, le=65535)]
Milliseconds = Annotated[int, msgspec.Meta(ge=100, le=3_600_000)]
# Bytes: at least one kibibyte, at most what the clients accept (17 MB, the brokers' usual cap with room).
MessageBytes = Annotated[int, msgspec.Meta(ge=1024, le=17 * 1024 * 1024)]
# Milliseconds a topic keeps records; -1 (written `unlimited`) is Kafka's value for "never deleted by age".
RetentionMs = Annotated[int, msgspec.Meta(ge=-1)]

SecurityProtocol = Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"]
SaslMechanism = Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER", "GSSAPI"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
ProcessingGuarantee = Literal["at_least_once", "exactly_once"]


class Environment(msgspec.Struct, frozen=True, kw_only=True):
    """Every variable newsflow reads; None where it is not set (the settings object's default applies)."""

    KAFKA_BOOTSTRAP_SERVERS: str | None = None
    KAFKA_CLIENT_ID: str | None = None
    KAFKA_SECURITY_PROTOCOL: SecurityProtocol | None = None
    KAFKA_SASL_MECHANISM: SaslMechanism | None = None
    KAFKA_SASL_USERNAME: str | None = None
    KAFKA_SASL_PASSWORD: str | None = None
    KAFKA_SSL_CAFILE: str | None = None
    KAFKA_SESSION_TIMEOUT_MS: Milliseconds | None = None
    KAFKA_HEARTBEAT_INTERVAL_MS: Milliseconds | None = None
    NEWSFLOW_GROUP_ID: str | None = None
    NEWSFLOW_TOPIC_RAW: str | None = None
    NEWSFLOW_TOPIC_CLEANED: str | None = None
    NEWSFLOW_TOPIC_ARTICLES: str | None = None
    NEWSFLOW_TOPIC_LINKS: str | None = None
    NEWSFLOW_TOPIC_DEADLETTER: str | None = None
    NEWSFLOW_TOPIC_PARTITIONS: PositiveInt | None = None
    NEWSFLOW_TOPIC_REPLICATION: PositiveInt | None = None
    NEWSFLOW_REPLAY_RETENTION: RetentionMs | None = None
    NEWSFLOW_MAX_MESSAGE_BYTES: MessageBytes | None = None
    NEWSFLOW_MESSAGE_TIME_LIMIT_S: PositiveSeconds | None = None
    NEWSFLOW_MIN_BODY_CHARS: NonNegativeInt | None = None
    NEWSFLOW_PIPELINE_VERSION: str | None = None
    NEWSFLOW_REFERENCE_TIME: str | None = None
    NEWSFLOW_METRICS_PORT: Port | None = None
    NEWSFLOW_PROGRESS_INTERVAL_S: NonNegativeSeconds | None = None
    NEWSFLOW_STARTUP_TIMEOUT_S: PositiveSeconds | None = None
    NEWSFLOW_LOG_LEVEL: LogLevel | None = None
    NEWSFLOW_STREAM_BATCH_MAX: PositiveInt | None = None
    NEWSFLOW_STREAM_BATCH_WINDOW_S: PositiveSeconds | None = None
    NEWSFLOW_STREAM_COMMIT_INTERVAL_S: PositiveSeconds | None = None
    NEWSFLOW_STREAM_DATA_DIR: str | None = None
    NEWSFLOW_STREAM_RETRY_BACKOFF_S: PositiveSeconds | None = None
    NEWSFLOW_STREAM_RETRY_MAX_BACKOFF_S: PositiveSeconds | None = None
    NEWSFLOW_STREAM_STALL_LIMIT_S: PositiveSeconds | None = None
    NEWSFLOW_STREAM_STOP_TIMEOUT_S: PositiveSeconds | None = None
    NEWSFLOW_PROCESSING_GUARANTEE: ProcessingGuarantee | None = None


_SECRETS = frozenset({"KAFKA_SASL_PASSWORD"})
_SIZES = frozenset({"NEWSFLOW_MAX_MESSAGE_BYTES"})
# Durations with units (humanfriendly: 90d, 12w, 8760h; a bare number is seconds), or `unlimited`.
_RETENTIONS = frozenset({"NEWSFLOW_REPLAY_RETENTION"})
_UNLIMITED_WORDS = frozenset({"unlimited", "-1"})
# Enumerations are matched without regard to case ("info", "sasl_ssl").
_UPPER_CASED = frozenset({"KAFKA_SECURITY_PROTOCOL", "KAFKA_SASL_MECHANISM", "NEWSFLOW_LOG_LEVEL"})
NAMES: tuple[str, ...] = Environment.__struct_fields__


class ConfigurationError(ValueError):
    """A variable that newsflow cannot run with; the message names it and says what is allowed."""


def _shown(name: str, value: str) -> str:
    return "(hidden)" if name in _SECRETS else repr(value)


def _allowed(name: str) -> str:
    """What a variable allows, in words, from its declared type."""
    hint = typing.get_type_hints(Environment, include_extras=True)[name]
    (declared,) = [argument for argument in typing.get_args(hint) if argument is not type(None)]
    if typing.get_origin(declared) is Literal:
        return "one of " + ", ".join(typing.get_args(declared))
    if typing.get_origin(declared) is Annotated:
        base, *metadata = typing.get_args(declared)
        bounds = []
        for meta in metadata:
            for word, key in (("at least", "ge"), ("more than", "gt"), ("at most", "le")):
                bound = getattr(meta, key, None)
                if bound is not None:
                    bounds.append(f"{word} {bound:,}")
        kind = "a whole number" if base is int else "a number"
        if name in _SIZES:
            kind = "a size in bytes (units allowed: 5MB, 5MiB)"
        if name in _RETENTIONS:
            return "`unlimited` or a duration of more than 0 (units allowed: 90d, 12w, 8760h; a bare number is seconds)"
        return f"{kind}, {' and '.join(bounds)}" if bounds else kind
    return "a string"


def _retention_ms(name: str, original: str, value: str) -> int:
    """Milliseconds of a retention written as `unlimited` (-1) or a duration with units."""
    if value.lower() in _UNLIMITED_WORDS:
        return -1
    try:
        milliseconds = round(humanfriendly.parse_timespan(value) * 1000)
    except humanfriendly.InvalidTimespan:
        milliseconds = 0
    if milliseconds <= 0:
        raise ConfigurationError(f"{name}={_shown(name, original)} is not allowed: expected {_allowed(name)}")
    return milliseconds


def read_environment(env: Mapping[str, str] | None = None) -> Environment:
    """The variables of `env` (the process environment by default), converted and checked."""
    source = os.environ if env is None else env
    given: dict[str, Any] = {}
    for name in NAMES:
        value = source.get(name)
        if value is None or value.strip() == "":
            continue
        value = value.strip()
        if name in _UPPER_CASED:
            value = value.upper()
        if name in _SIZES:
            try:
                value = humanfriendly.parse_size(value, binary=False)
            except humanfriendly.InvalidSize:
                raise ConfigurationError(
                    f"{name}={_shown(name, source[name])} is not allowed: expected {_allowed(name)}"
                ) from None
        given[name] = _retention_ms(name, source[name], value) if name in _RETENTIONS else value
    try:
        environment = msgspec.convert(given, Environment, strict=False)
    except msgspec.ValidationError as error:
        name = str(error).rsplit("`$.", 1)[-1].rstrip("`") if "`$." in str(error) else ""
        if name not in NAMES:
            raise ConfigurationError(f"invalid configuration: {error}") from None
        raise ConfigurationError(
            f"{name}={_shown(name, source[name])} is not allowed: expected {_allowed(name)}"
        ) from None
    sasl_given = [
        name for name in ("KAFKA_SASL_MECHANISM", "KAFKA_SASL_USERNAME", "KAFKA_SASL_PASSWORD") if name in given
    ]
    protocol = environment.KAFKA_SECURITY_PROTOCOL or "PLAINTEXT"
    if sasl_given and not protocol.startswith("SASL_"):
        raise ConfigurationError(
            f"{', '.join(sasl_given)} set, but KAFKA_SECURITY_PROTOCOL={protocol!r} would not use them: "
            "set KAFKA_SECURITY_PROTOCOL to SASL_SSL or SASL_PLAINTEXT, or unset them"
        )
    return environment
