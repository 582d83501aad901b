"""Settings of the streaming shell only (batching, commits, progress, start-up), read from environment variables."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from workers.environment import read_environment


@dataclass(frozen=True)
class StreamSettings:
    # Input records handled per batch: outputs of a batch are sent together and awaited once, which is what
    # lifts the worker from one broker round trip per record to one per batch.
    batch_max: int = 256
    # How long an agent waits to fill a batch before it handles what it has.
    batch_window_s: float = 0.05
    # How often faust commits the offsets of acked (fully delivered) input records.
    commit_interval_s: float = 1.0
    # faust wants a directory of its own even without tables.
    data_dir: Path = Path(tempfile.gettempdir()) / "newsflow-faust"
    # A send that fails is retried after this, doubling up to max_backoff_s.
    first_backoff_s: float = 0.2
    max_backoff_s: float = 5.0
    # An event loop that has not run for this long fails /healthz, and the worker exits (status 70) to be
    # restarted. A healthy loop runs every few milliseconds between messages; one message may hold it for up to
    # the message time limit (10 s by default), so the limit leaves six times that.
    stall_limit_s: float = 60.0
    # A progress line in the log this often (0: none).
    progress_interval_s: float = 30.0
    # A worker that has not reached its broker and started its stream by then exits non-zero: a supervisor
    # (or a person) sees a failed start instead of a process that waits for ever.
    startup_timeout_s: float = 120.0
    # A stop (SIGTERM) finishes the batches taken, commits and leaves the group in a second or two; one that
    # has not finished by then (the broker is away, deliveries are retried) ends the process, before the
    # 30 s Kubernetes gives a pod by default runs out.
    stop_timeout_s: float = 25.0
    # at_least_once: outputs are acknowledged before their input's offset is committed (a crash repeats some,
    # byte-identical). exactly_once: each input's outputs and its offset commit are one Kafka transaction
    # (workers.streaming.transactional); it needs a broker with transactions (Apache Kafka, not Tansu).
    processing_guarantee: str = "at_least_once"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> StreamSettings:
        """Build the shell's settings from NEWSFLOW_* variables (ConfigurationError for a bad one)."""
        variables = read_environment(env)
        base = cls()
        return cls(
            batch_max=variables.NEWSFLOW_STREAM_BATCH_MAX or base.batch_max,
            batch_window_s=variables.NEWSFLOW_STREAM_BATCH_WINDOW_S or base.batch_window_s,
            commit_interval_s=variables.NEWSFLOW_STREAM_COMMIT_INTERVAL_S or base.commit_interval_s,
            data_dir=Path(variables.NEWSFLOW_STREAM_DATA_DIR) if variables.NEWSFLOW_STREAM_DATA_DIR else base.data_dir,
            first_backoff_s=variables.NEWSFLOW_STREAM_RETRY_BACKOFF_S or base.first_backoff_s,
            max_backoff_s=variables.NEWSFLOW_STREAM_RETRY_MAX_BACKOFF_S or base.max_backoff_s,
            stall_limit_s=variables.NEWSFLOW_STREAM_STALL_LIMIT_S or base.stall_limit_s,
            progress_interval_s=(
                base.progress_interval_s
                if variables.NEWSFLOW_PROGRESS_INTERVAL_S is None
                else variables.NEWSFLOW_PROGRESS_INTERVAL_S
            ),
            startup_timeout_s=variables.NEWSFLOW_STARTUP_TIMEOUT_S or base.startup_timeout_s,
            stop_timeout_s=variables.NEWSFLOW_STREAM_STOP_TIMEOUT_S or base.stop_timeout_s,
            processing_guarantee=variables.NEWSFLOW_PROCESSING_GUARANTEE or base.processing_guarantee,
        )
