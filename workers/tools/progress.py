"""A small progress reporter for long tool runs: a bar with rate and ETA on a terminal, sparse log lines elsewhere."""

from __future__ import annotations

import logging
import math
import sys
import time
from typing import TextIO

log = logging.getLogger(__name__)

_BAR_WIDTH = 28


def format_duration(seconds: float) -> str:
    """1:02:03, 2:03 or 0:07 — the shape `ls -l`-reading humans expect from an ETA."""
    seconds = max(0, math.ceil(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def render(label: str, done: int, total: int | None, elapsed_s: float) -> str:
    """One progress line: label, bar (when the total is known), count, rate and ETA."""
    rate = done / elapsed_s if elapsed_s > 0 else 0.0
    if total:
        fraction = min(1.0, done / total)
        filled = int(fraction * _BAR_WIDTH)
        bar = "#" * filled + "-" * (_BAR_WIDTH - filled)
        eta = format_duration((total - done) / rate) if rate > 0 and done < total else "--:--"
        return f"{label} [{bar}] {done}/{total} {fraction:6.1%} {rate:,.0f} rec/s ETA {eta}"
    return f"{label} {done} {rate:,.0f} rec/s elapsed {format_duration(elapsed_s)}"


class Progress:
    """Counts work done; redraws a bar on stderr when it is a terminal, or logs a line every `log_every_s` seconds.

    Redraws are limited to ten a second so the bar never costs a measurable share of a fast run.
    """

    def __init__(
        self,
        label: str,
        total: int | None = None,
        stream: TextIO | None = None,
        log_every_s: float = 10.0,
        enabled: bool = True,
    ) -> None:
        self.label = label
        self.total = total
        self.done = 0
        self._stream = stream if stream is not None else sys.stderr
        self._tty = enabled and self._stream.isatty()
        self._log = enabled and not self._tty
        self._interval_s = 0.1 if self._tty else log_every_s
        self._started = time.monotonic()
        self._last_shown = self._started

    @property
    def elapsed_s(self) -> float:
        return time.monotonic() - self._started

    def advance(self, count: int = 1) -> None:
        self.done += count
        now = time.monotonic()
        if now - self._last_shown >= self._interval_s:
            self._last_shown = now
            self._show()

    def _show(self) -> None:
        line = render(self.label, self.done, self.total, self.elapsed_s)
        if self._tty:
            self._stream.write("\r" + line + "\x1b[K")
            self._stream.flush()
        elif self._log:
            log.info(line, extra={"done": self.done, "total": self.total})

    def close(self) -> None:
        """Draw the final state and end the terminal line."""
        if self._tty:
            self._show()
            self._stream.write("\n")
            self._stream.flush()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
