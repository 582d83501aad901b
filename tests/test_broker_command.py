"""`newsflow broker`: the embedded broker in the foreground, and a broker that never outlives its parent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from workers.broker.local import free_port, wait_for_port

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[1]


def children_of(pid: int) -> list[int]:
    """Processes whose parent is `pid` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The command name may hold spaces and parentheses: the fields after the last ")" are fixed.
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """Running, not gone and not a zombie waiting for a parent that will never wait for it."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal is Linux's")
def test_the_embedded_broker_ends_when_newsflow_broker_is_killed_with_sigkill() -> None:
    port = free_port()
    command = subprocess.Popen(
        [sys.executable, "-m", "workers.cli", "broker", "--port", str(port)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port("127.0.0.1", port, 20)
        (broker,) = children_of(command.pid)
        assert alive(broker)

        os.kill(command.pid, signal.SIGKILL)
        command.wait()
        killed = time.monotonic()
        while alive(broker) and time.monotonic() - killed < 10:
            time.sleep(0.05)
        ended_s = time.monotonic() - killed
    finally:
        if command.poll() is None:
            command.kill()
            command.wait()

    assert not alive(broker), "the broker outlived `newsflow broker` by 10 s"
    print(f"the broker ended {ended_s:.2f} s after its parent was killed")
    wait_for_port_closed(port)


def wait_for_port_closed(port: int, timeout_s: float = 5.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            wait_for_port("127.0.0.1", port, 0.2)
        except Exception:
            return  # nothing accepts connections any more: the port is free
        time.sleep(0.1)
    raise AssertionError(f"port {port} still accepts connections {timeout_s:g} s after the broker was ended")
