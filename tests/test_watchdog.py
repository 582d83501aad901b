"""A worker whose event loop stalls past NEWSFLOW_STREAM_STALL_LIMIT_S exits by itself (status 70) with one log line."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from workers.streaming.config import StreamSettings
from workers.streaming.metrics import HealthState
from workers.streaming.watchdog import STALLED_EXIT_STATUS, EventLoopWatchdog

REPO = Path(__file__).resolve().parents[1]


def stalled_health(limit_s: float) -> HealthState:
    health = HealthState(stall_after_s=limit_s)
    health.started = True
    health.tick()
    time.sleep(limit_s * 2)
    return health


def test_a_loop_idle_past_the_limit_exits_with_the_stall_status_and_a_critical_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    exits: list[int] = []
    watchdog = EventLoopWatchdog(stalled_health(0.05), limit_s=0.05, exit_process=exits.append)
    with caplog.at_level(logging.CRITICAL, logger="workers.streaming.watchdog"):
        assert watchdog.check() is True
    assert exits == [STALLED_EXIT_STATUS] == [70]
    (line,) = caplog.records
    assert line.getMessage().startswith("event loop stalled for ")
    assert "limit NEWSFLOW_STREAM_STALL_LIMIT_S=0.05 s" in line.getMessage()
    assert "test_a_loop_idle_past_the_limit" in line.stack  # type: ignore[attr-defined]  # where the loop is stuck


def test_a_loop_that_ticks_is_left_alone() -> None:
    exits: list[int] = []
    health = HealthState(stall_after_s=5)
    health.started = True
    health.tick()
    assert EventLoopWatchdog(health, limit_s=5, exit_process=exits.append).check() is False
    assert exits == []


def test_no_exit_before_start_up_finished_or_once_shutdown_began() -> None:
    exits: list[int] = []
    starting = stalled_health(0.05)
    starting.started = False
    stopping = stalled_health(0.05)
    stopping.stopping = True
    for health in (starting, stopping):
        assert EventLoopWatchdog(health, limit_s=0.05, exit_process=exits.append).check() is False
    assert exits == []


def test_the_limit_is_a_setting_of_the_streaming_shell_and_sets_the_liveness_check_too() -> None:
    assert StreamSettings().stall_limit_s == 60.0
    assert StreamSettings.from_env({"NEWSFLOW_STREAM_STALL_LIMIT_S": "15"}).stall_limit_s == 15.0
    health = stalled_health(0.05)
    assert health.live()[0] is False


# A process with an event loop that ticks the heartbeat as the worker's timer does, then blocks on a call that never
# gives the loop back (as a stage stuck in C code would).
_STALLING_PROCESS = textwrap.dedent(
    """
    import asyncio, time
    from workers.logs import configure_logging
    from workers.streaming.metrics import HealthState
    from workers.streaming.watchdog import EventLoopWatchdog

    configure_logging("INFO")
    health = HealthState(stall_after_s=1.0)
    EventLoopWatchdog(health, limit_s=1.0).start()

    async def main():
        health.tick()
        health.started = True
        for _ in range(10):  # 1 s of a healthy, ticking loop first
            await asyncio.sleep(0.1)
            health.tick()
        time.sleep(120)

    asyncio.run(main())
    """
)


def test_a_process_whose_event_loop_stalls_exits_by_itself() -> None:
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", _STALLING_PROCESS], capture_output=True, text=True, timeout=60, cwd=REPO, env=os.environ
    )
    took = time.monotonic() - started
    assert result.returncode == STALLED_EXIT_STATUS
    assert took < 30  # 1 s of ticks, 1 s of stall, checks every 0.25 s; not the 120 s of the blocking call
    (line,) = [json.loads(text) for text in result.stderr.splitlines() if text.startswith("{")]
    assert line["level"] == "critical" and line["msg"].startswith("event loop stalled for 1.")
    # The stack of the stuck main thread ends in the coroutine that blocked (line 17 of the script: time.sleep).
    assert line["stack"].rstrip().endswith('File "<string>", line 17, in main')
