"""Structured JSON logs on stderr, one object per line."""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import orjson

from workers.timestamps import format_rfc3339

# The Kafka clients log every failed connection attempt, several lines each, many times a minute while a broker
# is away; newsflow's own lines say what is wrong, so theirs pass at most once per logger this often.
CLIENT_LOG_INTERVAL_S = 30.0
CLIENT_LOGGERS = ("kafka", "aiokafka")

_STANDARD_ATTRIBUTES = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """Formats a record as JSON; `extra={...}` fields become top-level keys."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": format_rfc3339(datetime.fromtimestamp(record.created, UTC), milliseconds=True),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for name, value in record.__dict__.items():
            if name not in _STANDARD_ATTRIBUTES and not name.startswith("_"):
                entry[name] = value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str).decode()


class RateLimitFilter(logging.Filter):
    """Lets one record per logger through every `interval_s` for the loggers under `prefixes`.

    The records held back are counted: the next record let through from that logger carries the count in its
    `suppressed` field, and `suppressed_total` counts them all.
    """

    def __init__(self, prefixes: Sequence[str], interval_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.prefixes = tuple(prefixes)
        self.interval_s = interval_s
        self.clock = clock
        self.suppressed_total = 0
        self._last_passed: dict[str, float] = {}
        self._held_back: dict[str, int] = {}
        self._lock = threading.Lock()  # the clients log from their own threads too

    def filter(self, record: logging.LogRecord) -> bool:
        name = record.name
        if not any(name == prefix or name.startswith(prefix + ".") for prefix in self.prefixes):
            return True
        now = self.clock()
        with self._lock:
            last = self._last_passed.get(name)
            if last is not None and now - last < self.interval_s:
                self._held_back[name] = self._held_back.get(name, 0) + 1
                self.suppressed_total += 1
                return False
            self._last_passed[name] = now
            held_back = self._held_back.pop(name, 0)
        if held_back:
            record.suppressed = held_back
        return True


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RateLimitFilter(CLIENT_LOGGERS, CLIENT_LOG_INTERVAL_S))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # The Kafka clients log every connection at INFO; keep their warnings, drop their chatter.
    for noisy in ("kafka", "aiokafka", "faust", "mode"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
