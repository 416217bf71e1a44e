"""What the prod overlay adds around the services: a backed-up database cluster each, autoscaling, and
network policies that let only the gateway in and only each service reach its database."""

from __future__ import annotations

import pytest

from harness.services import SERVICES, Service
from tests.deployment import rendered

each_service = pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)
PROD = rendered.named("prod")


def _cluster_of(service: Service) -> dict:
    clusters = [
        c for c in rendered.of_kind(PROD, "Cluster") if c["spec"]["bootstrap"]["initdb"]["database"] == service.database
    ]
    assert len(clusters) == 1, f"{service.name}: {len(clusters)} PostgreSQL clusters hold {service.database}"
    return clusters[0]


@each_service
def test_every_service_database_is_a_replicated_cluster_backed_up_every_night(service: Service) -> None:
    cluster = _cluster_of(service)
    assert cluster["spec"]["instances"] >= 2 and cluster["spec"]["storage"]["size"]
    assert cluster["spec"]["backup"]["barmanObjectStore"]["destinationPath"].startswith("s3://")
    scheduled = [
        b
        for b in rendered.of_kind(PROD, "ScheduledBackup")
        if b["spec"]["cluster"]["name"] == cluster["metadata"]["name"]
    ]
    assert len(scheduled) == 1


@each_service
def test_every_service_reads_the_database_url_the_operator_writes(service: Service) -> None:
    reference = rendered.env(PROD, service)["DATABASE_URL"]["valueFrom"]["secretKeyRef"]
    assert reference == {"name": f"{_cluster_of(service)['metadata']['name']}-app", "key": "uri"}


@each_service
def test_only_the_service_reaches_its_database(service: Service) -> None:
    name = _cluster_of(service)["metadata"]["name"]
    policies = [
        p
        for p in rendered.of_kind(PROD, "NetworkPolicy")
        if p["spec"]["podSelector"].get("matchLabels") == {"cnpg.io/cluster": name}
    ]
    assert len(policies) == 1
    on_postgres = [
        peer for rule in policies[0]["spec"]["ingress"] if {"port": 5432} in rule["ports"] for peer in rule["from"]
    ]
    allowed = {tuple(sorted(peer["podSelector"]["matchLabels"].items())) for peer in on_postgres}
    assert allowed == {(("app.kubernetes.io/name", service.name),), (("cnpg.io/cluster", name),)}


def test_ingress_is_denied_unless_a_policy_allows_it_and_only_the_gateway_is_let_in() -> None:
    policies = rendered.of_kind(PROD, "NetworkPolicy")
    assert any(p["spec"]["podSelector"] == {} and not p["spec"].get("ingress") for p in policies)
    for ingress in rendered.of_kind(PROD, "Ingress"):
        backends = {
            path["backend"]["service"]["name"] for rule in ingress["spec"]["rules"] for path in rule["http"]["paths"]
        }
        assert backends == {"gateway"}
    for service in SERVICES:
        if service.name == "gateway":
            continue
        selecting = [
            p
            for p in policies
            if service.name in str(p["spec"]["podSelector"]) and "cnpg" not in str(p["spec"]["podSelector"])
        ]
        peers = [peer for p in selecting for rule in p["spec"].get("ingress", []) for peer in rule["from"]]
        assert peers and all(
            peer == {"podSelector": {"matchLabels": {"app.kubernetes.io/name": "gateway"}}} for peer in peers
        )


def test_the_gateway_scales_on_cpu_and_the_consumers_on_their_lag() -> None:
    [hpa] = rendered.of_kind(PROD, "HorizontalPodAutoscaler")
    assert hpa["spec"]["scaleTargetRef"]["name"] == "gateway"
    assert [m["resource"]["name"] for m in hpa["spec"]["metrics"]] == ["cpu"]
    scaled = {s["spec"]["scaleTargetRef"]["name"]: s for s in rendered.of_kind(PROD, "ScaledObject")}
    assert set(scaled) == {s.name for s in SERVICES} - {"gateway"}
    for scaled_object in scaled.values():
        assert {trigger["type"] for trigger in scaled_object["spec"]["triggers"]} == {"kafka"}
