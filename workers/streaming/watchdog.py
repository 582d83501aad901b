"""A thread that ends the worker process when its event loop has stalled past a limit.

The per-message time limit (SIGALRM, workers/runner.py) interrupts Python code only: a stage stuck inside a C
call, a deadlock or a blocking call on the loop would leave the worker alive, unhealthy and consuming nothing.
Docker and most supervisors restart a process that exits, not one that is merely unhealthy, so the worker exits
by itself and its restart policy brings it back; the records it had not committed are processed again
(at-least-once). A signal would not do: faust handles SIGTERM on the very event loop that is stuck.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
import traceback
from collections.abc import Callable

from workers.streaming.metrics import HealthState

log = logging.getLogger(__name__)

# EX_SOFTWARE of sysexits.h ("internal software error"): tells a stall apart from a failed start-up (1) and a
# refused setting (2) in a supervisor's records.
STALLED_EXIT_STATUS = 70


class EventLoopWatchdog:
    """Checks the heartbeat the event loop's timer leaves in HealthState, and exits the process when it is too old.

    It watches only between start-up (the loop's first heartbeat: joining the group may take long) and the start
    of shutdown (a stop has a deadline of its own: StopDeadline in workers.streaming.app).
    """

    def __init__(
        self,
        health: HealthState,
        limit_s: float,
        exit_process: Callable[[int], object] = os._exit,
    ) -> None:
        self.health = health
        self.limit_s = limit_s
        # os._exit because sys.exit in this thread would end only the thread, and interpreter shutdown would
        # wait for the stuck main thread.
        self._exit_process = exit_process
        self._check_every_s = min(1.0, limit_s / 4)
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="newsflow-watchdog", daemon=True)

    def start(self) -> EventLoopWatchdog:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=5)

    def check(self) -> bool:
        """Exit the process if the loop has stalled past the limit; False when it has not."""
        if not self.health.started or self.health.stopping:
            return False
        stalled_s = self.health.event_loop_idle_s()
        if stalled_s < self.limit_s:
            return False
        log.critical(
            f"event loop stalled for {stalled_s:.1f} s (limit NEWSFLOW_STREAM_STALL_LIMIT_S={self.limit_s:g} s): "
            f"exiting with status {STALLED_EXIT_STATUS} so that the worker is restarted",
            extra={"stalled_s": round(stalled_s, 3), "limit_s": self.limit_s, "stack": _main_thread_stack()},
        )
        for handler in logging.getLogger().handlers:
            # A stream already closed cannot be flushed; the process exits all the same.
            with contextlib.suppress(OSError, ValueError):
                handler.flush()
        self._exit_process(STALLED_EXIT_STATUS)
        return True

    def _watch(self) -> None:
        while not self._stopped.wait(self._check_every_s):
            if self.check():
                return


def _main_thread_stack() -> str:
    """Where the main thread (the event loop's) is stuck, for the log line."""
    frame = sys._current_frames().get(threading.main_thread().ident or 0)  # documented, meant for such diagnostics
    return "".join(traceback.format_stack(frame)) if frame is not None else ""
