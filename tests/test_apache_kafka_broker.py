"""The Apache Kafka test broker: it never outlives the process that started it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import require_apache_kafka_tools

pytestmark = pytest.mark.integration

_START_AND_WAIT = """
import sys, time
from workers.broker.apache_kafka import ApacheKafkaBroker
from workers.broker.local import free_port
broker = ApacheKafkaBroker(port=free_port()).start()
print(broker.pid(), flush=True)
time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        return stat.read().split(") ", 1)[1][0] != "Z"  # a zombie has ended; only its exit status is left


@pytest.mark.skipif(sys.platform != "linux", reason="the parent-death signal is a Linux feature")
def test_apache_kafka_ends_when_the_process_that_started_it_is_killed() -> None:
    require_apache_kafka_tools()
    starter = subprocess.Popen([sys.executable, "-c", _START_AND_WAIT], stdout=subprocess.PIPE, text=True)
    assert starter.stdout is not None
    broker_pid = int(starter.stdout.readline())
    assert _alive(broker_pid)
    starter.send_signal(signal.SIGKILL)
    starter.wait()
    deadline = time.monotonic() + 30
    while _alive(broker_pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(broker_pid), "the broker outlived the process that started it"
