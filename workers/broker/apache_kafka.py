"""Apache Kafka itself on loopback: one KRaft node (broker and controller), resolved from Maven Central.

What users run in production, started the way the Kafka quickstart does it (`kafka-storage format`, then
`kafka-server-start` in combined mode), but without the shell scripts: the jars of `org.apache.kafka:kafka_2.13`
and `kafka-tools` are resolved once with Maven into a cache folder and run with `java -cp`. It needs Java 17 or later
and Maven on PATH; a machine without them gets a `BrokerStartError` that says so.
"""

from __future__ import annotations

import base64
import logging
import os
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from kafka import KafkaAdminClient
from kafka.errors import KafkaError

from workers.broker.child_process import start_broker_process
from workers.broker.local import BrokerStartError, free_port, wait_for_port

log = logging.getLogger(__name__)

# The newest 4.x release whose broker jars resolved from Maven Central when this was written; KIP-896 removed old
# protocol versions in 4.0, so the clients' compatibility is tried on a 4.x broker on purpose.
DEFAULT_KAFKA_VERSION = "4.1.1"
LOG4J_VERSION = "2.24.3"  # the log4j 2 that kafka 4.1 depends on; its slf4j binding makes the broker log to a file
# A small broker: the tests and a laptop need little heap, and a client-class JIT starts it in about 2 s.
JAVA_OPTIONS = ("-Xms128m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true")

_POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>newsflow</groupId><artifactId>apache-kafka-runtime</artifactId><version>{version}</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>{version}</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-tools</artifactId><version>{version}</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>{log4j}</version></dependency>
  </dependencies>
</project>
"""

_LOG4J_CONFIG = """status = warn
appender.file.type = File
appender.file.name = file
appender.file.fileName = {log_file}
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = {level}
rootLogger.appenderRef.file.ref = file
"""


def default_cache_dir() -> Path:
    """Where resolved Kafka jars are kept between runs (XDG cache, like pip's)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newsflow" / "apache-kafka"


def missing_tools() -> list[str]:
    """The programs this broker needs that are not on PATH."""
    return [tool for tool in ("java", "mvn") if shutil.which(tool) is None]


def resolve_kafka_jars(version: str = DEFAULT_KAFKA_VERSION, cache_dir: Path | None = None) -> Path:
    """The folder of Apache Kafka's jars for `version`, resolved with Maven on first use."""
    missing = missing_tools()
    if missing:
        raise BrokerStartError(
            f"Apache Kafka needs Java 17+ and Maven on PATH ({' and '.join(missing)} not found); "
            "the embedded Tansu broker needs neither"
        )
    folder = (cache_dir or default_cache_dir()) / version
    libs = folder / "libs"
    complete = folder / "resolved"  # written last: a folder without it was interrupted and is resolved again
    if complete.is_file():
        return libs
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pom.xml").write_text(_POM.format(version=version, log4j=LOG4J_VERSION), encoding="utf-8")
    log.info("resolving Apache Kafka from Maven", extra={"version": version, "folder": str(folder)})
    shutil.rmtree(libs, ignore_errors=True)
    result = subprocess.run(
        ["mvn", "-q", "-B", "-f", str(folder / "pom.xml"), "dependency:copy-dependencies", f"-DoutputDirectory={libs}"],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BrokerStartError(
            f"Maven could not resolve Apache Kafka {version}: {(result.stdout + result.stderr).strip()[-2000:]}"
        )
    complete.write_text(version, encoding="utf-8")
    return libs


@dataclass
class ApacheKafkaBroker:
    """A single-node Apache Kafka (KRaft, broker + controller) on 127.0.0.1:port in a process group of its own.

    Its data lives in a temporary folder removed on stop(), unless `data_dir` names one to keep.
    """

    port: int = 9092
    host: str = "127.0.0.1"
    version: str = DEFAULT_KAFKA_VERSION
    data_dir: Path | None = None
    log_level: str = "WARN"
    process: subprocess.Popen[bytes] | None = field(default=None, init=False)
    _owned_dir: Path | None = field(default=None, init=False, repr=False)

    @property
    def bootstrap_servers(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def log_file(self) -> Path | None:
        """The broker's own log (useful when it misbehaves)."""
        folder = self.data_dir or self._owned_dir
        return None if folder is None else folder / "broker.log"

    def start(self, timeout_s: float = 60.0) -> ApacheKafkaBroker:
        libs = resolve_kafka_jars(self.version)
        if self.data_dir is None:
            self._owned_dir = Path(tempfile.mkdtemp(prefix="newsflow-kafka-"))
        folder = self.data_dir or self._owned_dir
        assert folder is not None
        folder.mkdir(parents=True, exist_ok=True)
        properties, log_config = folder / "server.properties", folder / "log4j2.properties"
        properties.write_text(self._server_properties(folder / "data", free_port()), encoding="utf-8")
        log_config.write_text(_LOG4J_CONFIG.format(log_file=folder / "broker.log", level=self.log_level), "utf-8")
        java = [
            "java",
            *JAVA_OPTIONS,
            f"-Dlog4j2.configurationFile={log_config}",
            "-cp",
            f"{libs}/*",
        ]
        if not (folder / "data" / "meta.properties").is_file():
            formatted = subprocess.run(
                [*java, "kafka.tools.StorageTool", "format", "-t", _cluster_id(), "-c", str(properties)],
                capture_output=True,
                text=True,
                check=False,
            )
            if formatted.returncode != 0:
                raise BrokerStartError(f"formatting Kafka storage failed: {formatted.stderr.strip()[-2000:]}")
        log.info("starting Apache Kafka", extra={"bootstrap_servers": self.bootstrap_servers, "version": self.version})
        # A session of its own, as for the Tansu broker: a terminal's Ctrl-C reaches only newsflow, which stops the
        # clients first; stop() then ends the whole process group. It also ends when its parent dies unstopped.
        self.process = start_broker_process([*java, "kafka.Kafka", str(properties)])
        try:
            wait_for_port(self.host, self.port, timeout_s)
            if self.process.poll() is not None:
                raise BrokerStartError(f"Apache Kafka exited with code {self.process.returncode}; see {self.log_file}")
            self._wait_for_group_coordinator(timeout_s)
        except BrokerStartError:
            self.stop()
            raise
        return self

    def _wait_for_group_coordinator(self, timeout_s: float) -> None:
        """Wait until consumer groups can be coordinated: a fresh cluster creates __consumer_offsets on first use,
        and until then every group request fails with CoordinatorNotAvailable."""
        deadline = time.monotonic() + timeout_s
        admin = KafkaAdminClient(bootstrap_servers=self.bootstrap_servers, client_id="newsflow-readiness")
        try:
            while True:
                try:
                    admin.describe_groups(["newsflow-readiness-probe"])
                    return
                except KafkaError as error:
                    if time.monotonic() > deadline:
                        raise BrokerStartError(f"Apache Kafka coordinates no groups yet: {error}") from error
                    time.sleep(0.2)
        finally:
            admin.close()

    def _server_properties(self, log_dirs: Path, controller_port: int) -> str:
        """A combined-mode KRaft node whose internal topics fit a single broker."""
        settings = {
            "process.roles": "broker,controller",
            "node.id": "1",
            "controller.quorum.voters": f"1@{self.host}:{controller_port}",
            "listeners": f"PLAINTEXT://{self.host}:{self.port},CONTROLLER://{self.host}:{controller_port}",
            "advertised.listeners": f"PLAINTEXT://{self.host}:{self.port}",
            "controller.listener.names": "CONTROLLER",
            "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "inter.broker.listener.name": "PLAINTEXT",
            "log.dirs": str(log_dirs),
            "offsets.topic.replication.factor": "1",
            "offsets.topic.num.partitions": "10",
            "transaction.state.log.replication.factor": "1",
            "transaction.state.log.min.isr": "1",
            "transaction.state.log.num.partitions": "4",
            "share.coordinator.state.topic.replication.factor": "1",
            "share.coordinator.state.topic.min.isr": "1",
            # A consumer group's first member starts at once instead of waiting 3 s for others.
            "group.initial.rebalance.delay.ms": "0",
            # Short sessions make a dead member's partitions move in seconds, as on the Tansu broker (the default
            # floor of 6 s refuses them with InvalidSessionTimeoutError).
            "group.min.session.timeout.ms": "1000",
            "num.partitions": "1",
        }
        return "".join(f"{key}={value}\n" for key, value in settings.items())

    def pid(self) -> int:
        if self.process is None:
            raise BrokerStartError("the broker is not running")
        return self.process.pid

    def stop(self) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGTERM)
                try:
                    self.process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(self.process.pid, signal.SIGKILL)
                    self.process.wait()
            self.process = None
        if self._owned_dir is not None:
            shutil.rmtree(self._owned_dir, ignore_errors=True)
            self._owned_dir = None

    def __enter__(self) -> ApacheKafkaBroker:
        return self.start() if self.process is None else self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _cluster_id() -> str:
    """A KRaft cluster id: 16 random bytes in URL-safe base64 without padding, as `kafka-storage random-uuid` prints."""
    return base64.urlsafe_b64encode(uuid.uuid4().bytes).decode("ascii").rstrip("=")
