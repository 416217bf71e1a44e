"""The Kafka the manifests declare serves the code: a KafkaTopic for every topic the services use, the
ACLs each service needs, partners confined to the public topics, and no setting left to a local default."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from typing import Any

import pytest

import backan_shared.contracts
from harness.services import SERVICES, Service
from tests.deployment import rendered
from tests.deployment.repository import OVERLAYS
from tests.deployment.service_settings import settings_fields, settings_under

each_overlay = pytest.mark.parametrize("overlay", OVERLAYS, ids=lambda path: path.name)
each_service = pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)
PARTNERS = {"viettel", "fpt"}
PUBLIC_PREFIX = "public."
PARTNER_OPERATIONS = {"Read", "Describe"}
# Settings a cluster leaves unset on purpose, with the reason.
UNSET_IN_A_CLUSTER = {("gateway", "jwt_public_key_file"): "the gateway verifies tokens with JWKS_URL"}


def _topics_in_code() -> set[str]:
    """Every contract's topic, and every topic a service's Settings name by default."""
    contracts = [
        importlib.import_module(f"{backan_shared.contracts.__name__}.{module.name}")
        for module in pkgutil.iter_modules(backan_shared.contracts.__path__)
    ]
    topics = {contract.TOPIC for contract in contracts if isinstance(getattr(contract, "TOPIC", None), str)}
    for service in SERVICES:
        topics |= {value for name, value in settings_fields(service).items() if name.endswith("_topic")}
    assert topics, "found no topic in the code"
    return topics


def _kafka_topics(overlay: Path) -> dict[str, dict[str, Any]]:
    return {t["spec"].get("topicName", t["metadata"]["name"]): t for t in rendered.of_kind(overlay, "KafkaTopic")}


def _acls(overlay: Path, user: str) -> list[dict[str, Any]]:
    return list(rendered.find(overlay, "KafkaUser", user)["spec"]["authorization"]["acls"])


def _allows(acl: dict[str, Any], kind: str, name: str, operation: str) -> bool:
    resource = acl["resource"]
    matches = name.startswith(resource["name"]) if resource.get("patternType") == "prefix" else name == resource["name"]
    return (
        acl.get("type", "allow") == "allow" and resource["type"] == kind and matches and operation in acl["operations"]
    )


def _settings(overlay: Path, service: Service, monkeypatch: pytest.MonkeyPatch) -> Any:
    return settings_under(service, rendered.pod_environment(overlay, service), monkeypatch)


def _consumer_groups(settings: Any) -> set[str]:
    groups = {value for name, value in settings.model_dump().items() if name.endswith("_group")}
    if hasattr(settings, "consumer_group_prefix"):  # the gateway's groups are <prefix>.<feed>
        groups.add(f"{settings.consumer_group_prefix}.campaign")
    return groups


@each_overlay
def test_every_topic_in_the_code_and_its_dead_letters_has_a_kafka_topic(overlay: Path) -> None:
    needed = {name for topic in _topics_in_code() for name in (topic, f"{topic}.dlq")}
    missing = sorted(needed - set(_kafka_topics(overlay)))
    assert not missing, f"{overlay.name}: no KafkaTopic for {missing}"


@each_overlay
@each_service
def test_every_topic_a_pod_is_configured_with_has_a_kafka_topic_its_user_may_describe(
    overlay: Path, service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _settings(overlay, service, monkeypatch)
    topics = {value for name, value in settings.model_dump().items() if name.endswith("_topic")}
    assert topics <= set(_kafka_topics(overlay)), sorted(topics - set(_kafka_topics(overlay)))
    acls = _acls(overlay, service.name)
    assert all(any(_allows(acl, "topic", topic, "Describe") for acl in acls) for topic in topics)


@each_overlay
@each_service
def test_every_topic_a_service_reads_it_may_dead_letter(overlay: Path, service: Service) -> None:
    acls = _acls(overlay, service.name)
    for topic in _kafka_topics(overlay):
        if any(_allows(acl, "topic", topic, "Read") for acl in acls):
            assert any(_allows(acl, "topic", f"{topic}.dlq", "Write") for acl in acls), topic


@each_overlay
@each_service
def test_every_consumer_group_of_a_service_is_granted_to_it(
    overlay: Path, service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    acls = _acls(overlay, service.name)
    for group in _consumer_groups(_settings(overlay, service, monkeypatch)):
        assert any(_allows(acl, "group", group, "Read") for acl in acls), f"{service.name} may not use {group}"


@each_overlay
@each_service
def test_no_service_may_create_or_reconfigure_topics(overlay: Path, service: Service) -> None:
    granted = {operation for acl in _acls(overlay, service.name) for operation in acl["operations"]}
    assert not granted & {"Create", "Delete", "Alter", "AlterConfigs", "All"}, granted


@each_overlay
def test_partners_read_only_public_topics(overlay: Path) -> None:
    users = {user["metadata"]["name"] for user in rendered.of_kind(overlay, "KafkaUser")}
    assert users >= PARTNERS
    for partner in PARTNERS:
        for acl in _acls(overlay, partner):
            resource = acl["resource"]
            assert resource["type"] in {"topic", "group"}, f"{partner}: {resource}"
            assert set(acl["operations"]) <= PARTNER_OPERATIONS, f"{partner}: {acl['operations']}"
            own = PUBLIC_PREFIX if resource["type"] == "topic" else f"{partner}."
            assert resource["name"].startswith(own), f"{partner} may use {resource['type']} {resource['name']}"
        private = [t for t in _topics_in_code() if any(_allows(a, "topic", t, "Read") for a in _acls(overlay, partner))]
        assert not private, f"{partner} can read {private}"


@each_overlay
@each_service
def test_every_setting_a_service_reads_is_set_by_its_pod(overlay: Path, service: Service) -> None:
    environment = rendered.pod_environment(overlay, service)
    unset = [
        name.upper()
        for name in settings_fields(service)
        if name.upper() not in environment and (service.name, name) not in UNSET_IN_A_CLUSTER
    ]
    assert not unset, f"{service.name} in {overlay.name} would fall back to a local default for {unset}"


@each_overlay
@each_service
def test_services_leave_topic_creation_to_the_cluster(
    overlay: Path, service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _settings(overlay, service, monkeypatch).kafka_declare_topics is False


@each_overlay
@each_service
def test_no_consumer_runs_more_replicas_than_its_topics_have_partitions(overlay: Path, service: Service) -> None:
    topics = _kafka_topics(overlay)
    read = [t for t in topics if any(_allows(acl, "topic", t, "Read") for acl in _acls(overlay, service.name))]
    limit = min(topics[topic]["spec"]["partitions"] for topic in read)
    ceilings = [rendered.find(overlay, "Deployment", service.name)["spec"].get("replicas", 1)]
    ceilings += [
        h["spec"]["maxReplicas"]
        for h in rendered.of_kind(overlay, "HorizontalPodAutoscaler")
        if h["spec"]["scaleTargetRef"]["name"] == service.name
    ]
    ceilings += [
        s["spec"]["maxReplicaCount"]
        for s in rendered.of_kind(overlay, "ScaledObject")
        if s["spec"]["scaleTargetRef"]["name"] == service.name
    ]
    assert max(ceilings) <= limit, f"{service.name} may run {max(ceilings)} pods on {limit} partitions"


def test_production_kafka_keeps_three_copies_and_never_elects_an_unclean_leader() -> None:
    prod = rendered.named("prod")
    config = rendered.find(prod, "Kafka", "backan-dx")["spec"]["kafka"]["config"]
    assert config["default.replication.factor"] == 3 and config["min.insync.replicas"] == 2
    assert config["unclean.leader.election.enable"] is False and config["auto.create.topics.enable"] is False
    brokers = sum(
        p["spec"]["replicas"] for p in rendered.of_kind(prod, "KafkaNodePool") if "broker" in p["spec"]["roles"]
    )
    assert brokers >= 3
    assert all(t["spec"].get("replicas", 3) >= 3 for t in rendered.of_kind(prod, "KafkaTopic"))
