"""A real worker on the test broker whose event loop is made to stall exits by itself, for its restart policy."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from workers.broker.local import free_port
from workers.settings import KafkaSettings, TopicNames
from workers.streaming.watchdog import STALLED_EXIT_STATUS

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[1]

# `newsflow worker` as the CLI runs it, with one fault added through faust's public app.task: three seconds after
# start-up a task blocks the event loop, as a stage stuck in C code would.
_WORKER_WITH_A_STALLING_TASK = textwrap.dedent(
    """
    import asyncio, sys, time
    from workers import cli
    from workers.streaming import app as streaming_app

    create_worker_app = streaming_app.create_worker_app

    def create_worker_app_that_stalls(*args, **kwargs):
        app, runtime = create_worker_app(*args, **kwargs)

        @app.task
        async def stall_the_event_loop():
            await asyncio.sleep(3)
            time.sleep(300)

        return app, runtime

    streaming_app.create_worker_app = create_worker_app_that_stalls
    sys.exit(cli.main(["worker"]))
    """
)


def test_a_worker_whose_event_loop_stalls_exits_with_status_70(
    kafka_settings: KafkaSettings, fresh_topics: TopicNames, tmp_path: Path
) -> None:
    env = dict(
        os.environ,
        KAFKA_BOOTSTRAP_SERVERS=kafka_settings.bootstrap_servers or "",
        KAFKA_SESSION_TIMEOUT_MS="6000",
        KAFKA_HEARTBEAT_INTERVAL_MS="1000",
        NEWSFLOW_TOPIC_RAW=fresh_topics.raw,
        NEWSFLOW_TOPIC_CLEANED=fresh_topics.cleaned,
        NEWSFLOW_TOPIC_ARTICLES=fresh_topics.articles,
        NEWSFLOW_TOPIC_LINKS=fresh_topics.links,
        NEWSFLOW_TOPIC_DEADLETTER=fresh_topics.deadletter,
        NEWSFLOW_GROUP_ID=f"{fresh_topics.raw}.group",
        NEWSFLOW_METRICS_PORT=str(free_port()),
        NEWSFLOW_STREAM_DATA_DIR=str(tmp_path),
        NEWSFLOW_STREAM_STALL_LIMIT_S="2",
    )
    result = subprocess.run(
        [sys.executable, "-c", _WORKER_WITH_A_STALLING_TASK],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,  # far less than the 300 s the blocking call would take
    )
    lines = [json.loads(text) for text in result.stderr.splitlines() if text.startswith("{")]
    assert result.returncode == STALLED_EXIT_STATUS, result.stderr[-3000:]
    messages = [line["msg"] for line in lines]
    assert "worker started" in messages
    (stalled,) = [line for line in lines if line["level"] == "critical"]
    assert stalled["msg"].startswith("event loop stalled for 2.")
    assert "limit NEWSFLOW_STREAM_STALL_LIMIT_S=2 s" in stalled["msg"]
    assert "in stall_the_event_loop" in stalled["stack"]
