"""Kafka for the harness: one Apache Kafka 4.x node in KRaft combined mode, or the cluster that
KAFKA_BOOTSTRAP_SERVERS names.

The broker's jars come from Maven Central through `mvn dependency:copy-dependencies` (harness/kafka/pom.xml)
into .run/kafka/libs and are started with the machine's Java 17. Topics are not auto-created: each service
declares its own at startup.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
from dataclasses import dataclass

from harness import processes
from harness.paths import KAFKA_DATA, KAFKA_HOME, KAFKA_LIBS, KAFKA_LOG4J, KAFKA_POM, LOGS
from harness.progress import step, wait_until

BROKER_PORT = int(os.environ.get("DX_KAFKA_PORT", "9092"))
CONTROLLER_PORT = BROKER_PORT + 1


@dataclass(frozen=True)
class KafkaCluster:
    bootstrap_servers: str
    embedded: bool


def configured() -> KafkaCluster:
    external = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if external:
        return KafkaCluster(bootstrap_servers=external, embedded=False)
    return KafkaCluster(bootstrap_servers=f"127.0.0.1:{BROKER_PORT}", embedded=True)


def _pom_digest() -> str:
    return hashlib.sha256(KAFKA_POM.read_bytes()).hexdigest()[:16]


def fetch_jars() -> None:
    """Resolve the broker's jars with Maven once; a changed pom fetches again."""
    stamp = KAFKA_LIBS / ".pom-digest"
    if stamp.exists() and stamp.read_text() == _pom_digest():
        return
    if shutil.which("mvn") is None:
        raise RuntimeError("mvn (Apache Maven) is needed to fetch Kafka from Maven Central; install it first")
    if KAFKA_LIBS.exists():
        shutil.rmtree(KAFKA_LIBS)
    with step("fetching Apache Kafka jars from Maven Central (first run only)"):
        subprocess.run(
            [
                "mvn",
                "-B",
                "-q",
                "-Dstyle.color=never",
                "-f",
                str(KAFKA_POM),
                "dependency:copy-dependencies",
                f"-DoutputDirectory={KAFKA_LIBS}",
            ],
            check=True,
        )
    stamp.write_text(_pom_digest())


def _server_properties() -> str:
    return "\n".join(
        [
            "process.roles=broker,controller",
            "node.id=1",
            f"controller.quorum.bootstrap.servers=127.0.0.1:{CONTROLLER_PORT}",
            f"listeners=PLAINTEXT://127.0.0.1:{BROKER_PORT},CONTROLLER://127.0.0.1:{CONTROLLER_PORT}",
            f"advertised.listeners=PLAINTEXT://127.0.0.1:{BROKER_PORT}",
            "controller.listener.names=CONTROLLER",
            "inter.broker.listener.name=PLAINTEXT",
            "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
            f"log.dirs={KAFKA_DATA}",
            "num.partitions=3",
            "offsets.topic.replication.factor=1",
            "share.coordinator.state.topic.replication.factor=1",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            # Topics are declared by the services that own them, never created by a stray producer.
            "auto.create.topics.enable=false",
            "group.initial.rebalance.delay.ms=0",
            # Integration topics are the record the gateway rebuilds from: keep them forever.
            "log.retention.ms=-1",
            "",
        ]
    )


def _java() -> str:
    java_home = os.environ.get("JAVA_HOME")
    java = os.path.join(java_home, "bin", "java") if java_home else shutil.which("java")
    if not java:
        raise RuntimeError("Java 17 or newer is needed to run Kafka; install a JDK (e.g. openjdk-17-jre-headless)")
    return java


def _classpath() -> str:
    return str(KAFKA_LIBS / "*")


def _format_storage(properties_path: str) -> None:
    if (KAFKA_DATA / "meta.properties").exists():
        return
    with step("formatting Kafka's KRaft storage (.run/kafka/data)"):
        cluster_id = subprocess.run(
            [_java(), "-cp", _classpath(), "kafka.tools.StorageTool", "random-uuid"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        subprocess.run(
            [
                _java(),
                "-cp",
                _classpath(),
                f"-Dlog4j2.configurationFile={KAFKA_LOG4J}",
                f"-Dkafka.logs.dir={LOGS}",
                "kafka.tools.StorageTool",
                "format",
                "--standalone",
                "-t",
                cluster_id,
                "-c",
                properties_path,
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )


def accepting() -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", BROKER_PORT)) == 0


def is_running() -> bool:
    return processes.running_pid("kafka") is not None


def start_embedded() -> None:
    """Start the single-node broker (fetching and formatting on first use); harmless when it runs."""
    if is_running():
        return
    if accepting():
        raise RuntimeError(
            f"port {BROKER_PORT} is taken by another program; stop it, set DX_KAFKA_PORT, "
            "or point KAFKA_BOOTSTRAP_SERVERS at that cluster"
        )
    fetch_jars()
    KAFKA_HOME.mkdir(parents=True, exist_ok=True)
    properties = KAFKA_HOME / "server.properties"
    properties.write_text(_server_properties())
    _format_storage(str(properties))
    with step(f"starting Kafka (KRaft) on 127.0.0.1:{BROKER_PORT}"):
        processes.start(
            "kafka",
            [
                _java(),
                "-Xms256m",
                "-Xmx768m",
                "-XX:+UseG1GC",
                "-Djava.awt.headless=true",
                f"-Dlog4j2.configurationFile={KAFKA_LOG4J}",
                f"-Dkafka.logs.dir={LOGS}",
                "-cp",
                _classpath(),
                "kafka.Kafka",
                str(properties),
            ],
        )
        wait_until("Kafka to accept connections", accepting, timeout=90)
        wait_until("Kafka to answer metadata requests", _answers_metadata, timeout=90, interval=0.5)


def _answers_metadata() -> bool:
    import asyncio

    from aiokafka.admin import AIOKafkaAdminClient

    async def probe() -> bool:
        admin = AIOKafkaAdminClient(bootstrap_servers=configured().bootstrap_servers, request_timeout_ms=3000)
        try:
            await admin.start()
            await admin.list_topics()
            return True
        except Exception:
            return False
        finally:
            await admin.close()

    return asyncio.run(probe())


def stop_embedded() -> bool:
    if not is_running():
        return False
    with step("stopping Kafka"):
        processes.stop("kafka", timeout=30)
    return True
