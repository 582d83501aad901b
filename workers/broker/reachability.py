"""Can the configured Kafka brokers be reached, and if not, why: a check run before a worker starts its clients.

The Kafka clients retry an unreachable bootstrap server for minutes and say why only in their own log lines,
many of them (kafka-python's exception says "Unable to bootstrap" whatever the cause). This check names the
cause itself, one step at a time for each bootstrap server: the name lookup, the TCP connection, the TLS
handshake (for SSL and SASL_SSL), and last a Kafka handshake with kafka-python's admin client, which is where
a SASL failure shows.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import logging
import socket
import ssl
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from kafka import KafkaAdminClient

from workers.broker.clients import connection_config, ssl_context
from workers.settings import KafkaSettings

log = logging.getLogger(__name__)

# A name lookup or a connection that takes longer than this is reported as timed out.
_STEP_TIMEOUT_S = 5.0
# The retry backoff doubles from the first value up to the last, so the line that says why is repeated at most
# this often however long the broker stays away.
_FIRST_RETRY_S = 1.0
_MAX_RETRY_S = 30.0


@dataclass(frozen=True)
class Unreachable:
    """Why one bootstrap server could not be used."""

    server: str
    cause: str  # a short phrase: "connection refused", "name does not resolve", "TLS handshake failed", …
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.server}: {self.cause}" + (f" ({self.detail})" if self.detail else "")


def host_and_port(server: str) -> tuple[str, int]:
    """`host:port` or `[v6]:port` → (host, port); 9092 when no port is given."""
    server = server.strip()
    if server.startswith("["):
        host, _, rest = server[1:].partition("]")
        return host, int(rest.lstrip(":") or 9092)
    host, _, port = server.rpartition(":") if server.count(":") == 1 else (server, "", "")
    return host, int(port or 9092)


def _resolve(host: str, port: int) -> Sequence[tuple[Any, ...]]:
    # getaddrinfo has no timeout of its own; a resolver that does not answer must not hold the check for long.
    # (Not a `with` block: leaving one would wait for the lookup.)
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsflow-dns")
    try:
        return pool.submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM).result(timeout=_STEP_TIMEOUT_S)
    finally:
        pool.shutdown(wait=False)


def probe_server(server: str, kafka: KafkaSettings) -> Unreachable | None:
    """Name lookup, TCP connection and (for SSL protocols) TLS handshake to one bootstrap server."""
    try:
        host, port = host_and_port(server)
    except ValueError:
        return Unreachable(server, "not a host:port")
    try:
        addresses = _resolve(host, port)
    except socket.gaierror as error:
        return Unreachable(server, "name does not resolve", error.strerror or str(error))
    except concurrent.futures.TimeoutError:
        return Unreachable(server, "name lookup timed out", f"no answer within {_STEP_TIMEOUT_S:g} s")
    problem: Unreachable | None = None
    for family, kind, protocol, _, address in addresses:
        try:
            with _connected(family, kind, protocol, address) as connection:
                context = ssl_context(kafka)
                if context is not None:
                    with context.wrap_socket(connection, server_hostname=host):
                        pass
                return None
        except ConnectionRefusedError:
            problem = Unreachable(server, "connection refused")
        except TimeoutError:
            problem = Unreachable(server, "connection timed out", f"no answer within {_STEP_TIMEOUT_S:g} s")
        except ssl.SSLError as error:
            problem = Unreachable(server, "TLS handshake failed", getattr(error, "verify_message", None) or str(error))
        except OSError as error:
            problem = Unreachable(server, "cannot connect", error.strerror or str(error))
    return problem or Unreachable(server, "name resolves to no address")


@contextlib.contextmanager
def _connected(family: int, kind: int, protocol: int, address: Any) -> Iterator[socket.socket]:
    connection = socket.socket(family, kind, protocol)
    try:
        connection.settimeout(_STEP_TIMEOUT_S)
        connection.connect(address)
        yield connection
    finally:
        connection.close()


class _FirstClientError(logging.Handler):
    """Keeps the first error kafka-python logged: the only place it says why a handshake failed (its later
    lines and its exception only say that the bootstrap timed out)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.message: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self.message is None:
            # Drop the connection's description ("<KafkaConnection node_id=… …>: ") before the cause.
            self.message = record.getMessage().rpartition(">: ")[2]


def kafka_handshake(kafka: KafkaSettings, timeout_s: float) -> Unreachable | None:
    """Bootstrap kafka-python's admin client (API versions, SASL, metadata) within `timeout_s`."""
    capture = _FirstClientError()
    client_logger = logging.getLogger("kafka")
    client_logger.addHandler(capture)
    try:
        client = KafkaAdminClient(**connection_config(kafka), bootstrap_timeout_ms=int(timeout_s * 1000))
        client.close()
        return None
    except Exception as error:  # whatever the client raises, the check reports it rather than crash the start
        detail = capture.message or f"{type(error).__name__}: {error}"
        cause = "Kafka handshake failed"
        if "sasl" in detail.lower() or "authentication" in detail.lower():
            cause = "SASL authentication failed"
        return Unreachable(kafka.bootstrap_servers or "", cause, detail)
    finally:
        client_logger.removeHandler(capture)


def check_brokers(kafka: KafkaSettings, handshake_timeout_s: float = 10.0) -> list[Unreachable]:
    """Nothing when the cluster answers; else why each bootstrap server failed (or the handshake did)."""
    servers = [server for server in (kafka.bootstrap_servers or "").split(",") if server.strip()]
    # In parallel: with several servers away, their timeouts would otherwise add up before the first line.
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, len(servers))) as pool:
        outcomes = list(pool.map(lambda server: probe_server(server, kafka), servers))
    problems = [problem for problem in outcomes if problem is not None]
    if len(problems) == len(servers):
        return problems
    handshake = kafka_handshake(kafka, handshake_timeout_s)
    return [handshake] if handshake is not None else []


def wait_for_brokers(
    kafka: KafkaSettings,
    deadline: float,
    on_failure: Callable[[list[Unreachable]], None] = lambda problems: None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Unreachable]:
    """Check until the brokers answer or the deadline (a `clock` time) passes; returns the last problems.

    Each failed check logs one line naming the bootstrap servers and the causes; checks are repeated with a
    doubling backoff (1 s up to 30 s), so that line comes at a bounded rate.
    """
    retry_in = _FIRST_RETRY_S
    while True:
        remaining = deadline - clock()
        problems = check_brokers(kafka, handshake_timeout_s=max(1.0, min(10.0, remaining)))
        if not problems:
            return []
        on_failure(problems)
        remaining = deadline - clock()
        if remaining <= 0:
            return problems
        wait = min(retry_in, remaining)
        log.error(
            f"cannot reach the Kafka brokers {kafka.bootstrap_servers} (KAFKA_BOOTSTRAP_SERVERS): "
            f"{'; '.join(map(str, problems))}; retrying in {wait:.0f} s, giving up in {remaining:.0f} s",
            extra={
                "bootstrap_servers": kafka.bootstrap_servers,
                "causes": [problem.cause for problem in problems],
                "retry_in_s": round(wait, 1),
                "gives_up_in_s": round(remaining, 1),
            },
        )
        sleep(wait)
        retry_in = min(retry_in * 2, _MAX_RETRY_S)
