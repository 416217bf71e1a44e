"""The infrastructure docker-compose.yml brings: one KRaft Kafka node, PostgreSQL, the collector and Jaeger."""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from harness.services import SERVICES
from tests.deployment import compose
from tests.deployment.repository import COMPOSE_FILE, load_yaml


def _only(image_prefix: str) -> dict[str, Any]:
    names = compose.services_running(image_prefix)
    assert len(names) == 1, f"expected one service running {image_prefix}, found {names}"
    return compose.services()[names[0]]


def _mounted(service: dict[str, Any], target_prefix: str) -> list[tuple[Path, str]]:
    """(host file, container path) of the service's bind mounts whose container path starts with the prefix."""
    mounts = []
    for volume in service.get("volumes", []):
        source, _, rest = volume.partition(":")
        target = rest.partition(":")[0]
        if source.startswith(".") and target.startswith(target_prefix):
            mounts.append((COMPOSE_FILE.parent / source, target))
    return mounts


def _collector() -> dict[str, Any]:
    return compose.services()["otel-collector"]


def _collector_config() -> dict[str, Any]:
    command = " ".join(_collector().get("command", []))
    config_path = re.search(r"--config[= ](\S+)", command)
    assert config_path, "the collector is told which configuration to read"
    mounted = [host for host, target in _mounted(_collector(), config_path[1]) if target == config_path[1]]
    assert mounted, f"nothing is mounted at {config_path[1]}"
    return dict(load_yaml(mounted[0]))


def _port(endpoint: str) -> int | None:
    return urlsplit(endpoint if "://" in endpoint else f"tcp://{endpoint}").port


def test_kafka_runs_as_one_kraft_node_that_is_both_broker_and_controller() -> None:
    env = compose.environment(_only("apache/kafka:4."))
    assert set(env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    voter_id, _, voter_address = env["KAFKA_CONTROLLER_QUORUM_VOTERS"].partition("@")
    assert voter_id == env["KAFKA_NODE_ID"], "the only voter is this node"
    controller_listeners = [
        listener for listener in env["KAFKA_LISTENERS"].split(",") if listener.startswith("CONTROLLER://")
    ]
    assert controller_listeners and voter_address.endswith(":" + controller_listeners[0].rpartition(":")[2])


def test_kafka_never_creates_a_topic_on_first_use() -> None:
    env = compose.environment(_only("apache/kafka:"))
    assert env.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "").lower() == "false"


def test_kafka_advertises_the_address_the_services_use() -> None:
    env = compose.environment(_only("apache/kafka:"))
    advertised = {listener.partition("://")[2] for listener in env["KAFKA_ADVERTISED_LISTENERS"].split(",")}
    for service in SERVICES:
        bootstrap = compose.environment(compose.services()[service.name])["KAFKA_BOOTSTRAP_SERVERS"]
        assert set(bootstrap.split(",")) <= advertised, service.name


def test_kafka_cluster_id_is_a_base64_encoded_uuid() -> None:
    cluster_id = compose.environment(_only("apache/kafka:"))["CLUSTER_ID"]
    assert len(base64.urlsafe_b64decode(cluster_id + "==")) == 16, "KRaft refuses to format with any other id"


def test_postgres_16_creates_every_service_database_on_first_start() -> None:
    postgres = _only("postgres:")
    assert re.fullmatch(r"postgres:16(\.\d+)*(-\w+)?", postgres["image"]), postgres["image"]
    scripts = _mounted(postgres, "/docker-entrypoint-initdb.d/")
    assert scripts, "no init script is mounted"
    created = set()
    for host_file, _ in scripts:
        created |= set(re.findall(r"CREATE DATABASE\s+\"?(\w+)", host_file.read_text(), flags=re.IGNORECASE))
    assert created == {service.database for service in SERVICES}


def test_the_collector_passes_traces_to_the_jaeger_service() -> None:
    jaeger = compose.services_running("jaegertracing/")
    traces = _collector_config()["service"]["pipelines"]["traces"]
    endpoints = [_collector_config()["exporters"][name].get("endpoint", "") for name in traces["exporters"]]
    hosts = {urlsplit(e if "://" in e else f"tcp://{e}").hostname for e in endpoints}
    assert hosts & set(jaeger), f"traces go to {endpoints}, not to {jaeger}"


def test_every_component_a_collector_pipeline_uses_is_configured() -> None:
    config = _collector_config()
    missing = [
        f"{pipeline}: {kind} {name}"
        for pipeline, spec in config["service"]["pipelines"].items()
        for kind in ("receivers", "processors", "exporters")
        for name in spec.get(kind, [])
        if name not in config.get(kind, {})
    ]
    extensions = config["service"].get("extensions", [])
    missing += [f"extension {name}" for name in extensions if name not in config.get("extensions", {})]
    assert not missing, missing


def test_the_collector_listens_where_the_services_send_telemetry() -> None:
    http_endpoint = _collector_config()["receivers"]["otlp"]["protocols"]["http"]["endpoint"]
    for service in SERVICES:
        env = compose.environment(compose.services()[service.name])
        host, port, _ = compose.url_parts(env["OTEL_EXPORTER_OTLP_ENDPOINT"])
        assert host in compose.services() and compose.services()[host] is _collector(), service.name
        assert port == _port(http_endpoint), f"{service.name} sends to {port}, the collector listens on {http_endpoint}"


def test_the_collector_healthcheck_probes_its_health_extension() -> None:
    health_port = _port(_collector_config()["extensions"]["health_check"]["endpoint"])
    probe = " ".join(_collector()["healthcheck"]["test"])
    assert f"127.0.0.1:{health_port}/" in probe
