"""Each overlay, rendered by the real kustomize: one hardened, probed, bounded Deployment per service."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from harness.services import SERVICES, Service
from tests.deployment import compose, dockerfile, kustomize, rendered
from tests.deployment.manifests import schema_error
from tests.deployment.repository import COMPOSE_FILE, DOCKERFILE, OVERLAYS
from tests.deployment.service_settings import settings_error

Resource = dict[str, Any]
each_overlay = pytest.mark.parametrize("overlay", OVERLAYS, ids=lambda path: path.name)
each_service = pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)
SECRET_VARIABLES = ("DATABASE_URL", "INTERNAL_TOKEN")
CONFIG_VARIABLES = ("DX_ENV", "KAFKA_BOOTSTRAP_SERVERS", "OTEL_EXPORTER_OTLP_ENDPOINT")
UNITS = {"": 1, "m": 1e-3, "k": 1e3, "M": 1e6, "G": 1e9, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30}


def _quantity(value: str | int) -> float:
    match = re.fullmatch(r"([0-9.]+)([A-Za-z]*)", str(value))
    assert match and match[2] in UNITS, f"cannot read the quantity {value!r}"
    return float(match[1]) * UNITS[match[2]]


def _image_user() -> int:
    user = dockerfile.read(DOCKERFILE)[-1].last("USER")
    assert user is not None
    return int(user.arguments.partition(":")[0])


def _image_port() -> int:
    command = dockerfile.read(DOCKERFILE)[-1].last("CMD")
    argv = command.exec_form() if command else None
    assert argv
    return int(argv[argv.index("--port") + 1])


@each_overlay
def test_every_rendered_resource_follows_the_kubernetes_schema(overlay: Path) -> None:
    errors = [error for error in map(schema_error, rendered.resources(overlay)) if error]
    assert not errors, "\n".join(errors)


@each_overlay
def test_every_rendered_resource_lands_in_the_namespace_the_base_creates(overlay: Path) -> None:
    namespaces = [r["metadata"]["name"] for r in rendered.resources(overlay) if r["kind"] == "Namespace"]
    assert len(namespaces) == 1
    elsewhere = [
        f"{r['kind']}/{r['metadata']['name']}"
        for r in rendered.resources(overlay)
        if r["kind"] != "Namespace" and r["metadata"].get("namespace") != namespaces[0]
    ]
    assert not elsewhere, f"not in {namespaces[0]}: {elsewhere}"


@each_overlay
@each_service
def test_every_service_has_a_deployment_a_service_and_its_own_service_account(overlay: Path, service: Service) -> None:
    account = rendered.find(overlay, "ServiceAccount", service.name)
    rendered.find(overlay, "Service", service.name)
    assert rendered.pod(overlay, service).get("serviceAccountName") == account["metadata"]["name"]
    assert rendered.pod(overlay, service).get("automountServiceAccountToken") is False, "it calls no Kubernetes API"


@each_overlay
@each_service
def test_every_service_container_runs_as_non_root(overlay: Path, service: Service) -> None:
    context = {
        **rendered.pod(overlay, service).get("securityContext", {}),
        **rendered.container(overlay, service)["securityContext"],
    }
    assert context.get("runAsNonRoot") is True
    assert context.get("runAsUser") == _image_user(), "the pod runs as the user the image was built for"
    assert context.get("runAsGroup", 0) != 0


@each_overlay
@each_service
def test_every_service_container_has_a_read_only_root_filesystem_and_a_writable_tmp(
    overlay: Path, service: Service
) -> None:
    assert rendered.container(overlay, service)["securityContext"].get("readOnlyRootFilesystem") is True
    mounts = {
        mount["mountPath"]: mount["name"] for mount in rendered.container(overlay, service).get("volumeMounts", [])
    }
    volumes = {volume["name"]: volume for volume in rendered.pod(overlay, service).get("volumes", [])}
    assert "/tmp" in mounts and "emptyDir" in volumes.get(mounts["/tmp"], {})


@each_overlay
@each_service
def test_every_service_container_cannot_gain_privileges(overlay: Path, service: Service) -> None:
    context = rendered.container(overlay, service)["securityContext"]
    assert context.get("allowPrivilegeEscalation") is False
    assert context.get("privileged", False) is False
    assert context.get("capabilities", {}).get("drop") == ["ALL"] and not context["capabilities"].get("add")


@each_overlay
@each_service
def test_every_service_container_is_probed_at_healthz_and_readyz_on_its_port(overlay: Path, service: Service) -> None:
    container = rendered.container(overlay, service)
    ports = {port.get("name"): port["containerPort"] for port in container["ports"]}
    assert _image_port() in ports.values(), "the container port is the one uvicorn listens on"
    for probe, path in [("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")]:
        check = container.get(probe, {}).get("httpGet", {})
        assert check.get("path") == path, f"{probe} asks {check.get('path')}"
        assert ports.get(check.get("port"), check.get("port")) == _image_port(), f"{probe} port"


@each_overlay
@each_service
def test_every_service_container_has_resource_requests_within_limits(overlay: Path, service: Service) -> None:
    resources = rendered.container(overlay, service).get("resources", {})
    for kind in ("cpu", "memory"):
        request, limit = resources.get("requests", {}).get(kind), resources.get("limits", {}).get(kind)
        assert request is not None and limit is not None, f"{kind} needs a request and a limit"
        assert _quantity(request) <= _quantity(limit), f"{kind}: request {request} above limit {limit}"


@each_overlay
@each_service
def test_every_service_reads_its_secrets_from_kubernetes_secrets(overlay: Path, service: Service) -> None:
    env = rendered.env(overlay, service)
    for variable in SECRET_VARIABLES:
        assert "value" not in env.get(variable, {}), f"{variable} is written into the manifest"
        reference = env.get(variable, {}).get("valueFrom", {}).get("secretKeyRef", {})
        assert reference.get("name") and reference.get("key"), f"{variable} comes from no Secret"
    assert env["SERVICE_NAME"].get("value") == service.name


@each_overlay
@each_service
def test_every_service_reads_the_shared_configuration_from_the_config_map(overlay: Path, service: Service) -> None:
    sources = [source["configMapRef"]["name"] for source in rendered.container(overlay, service).get("envFrom", [])]
    assert sources, "no ConfigMap"
    data: dict[str, str] = {}
    for name in sources:
        data |= rendered.find(overlay, "ConfigMap", name)["data"]
    assert set(CONFIG_VARIABLES) <= set(data), f"missing: {sorted(set(CONFIG_VARIABLES) - set(data))}"


@each_overlay
@each_service
def test_every_service_accepts_the_environment_its_pod_gets(
    overlay: Path, service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    error = settings_error(service, rendered.pod_environment(overlay, service), monkeypatch)
    assert error is None, f"{service.name} would refuse to start in {overlay.name}:\n{error}"


@each_overlay
def test_the_gateway_finds_every_peer_through_its_kubernetes_service(overlay: Path) -> None:
    gateway = next(s for s in SERVICES if s.name == "gateway")
    env = rendered.env(overlay, gateway)
    for peer in SERVICES:
        if peer is not gateway:
            port = rendered.find(overlay, "Service", peer.name)["spec"]["ports"][0]["port"]
            assert env.get(f"{peer.package.upper()}_URL", {}).get("value") == f"http://{peer.name}:{port}"


@each_overlay
@each_service
def test_every_kubernetes_service_sends_traffic_to_its_deployment_pods(overlay: Path, service: Service) -> None:
    deployment = rendered.find(overlay, "Deployment", service.name)
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    selector = rendered.find(overlay, "Service", service.name)["spec"]["selector"]
    assert selector and selector.items() <= labels.items()
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
    port_names = {port.get("name") for port in rendered.container(overlay, service)["ports"]}
    for port in rendered.find(overlay, "Service", service.name)["spec"]["ports"]:
        assert port["targetPort"] in port_names | {_image_port()}


@each_overlay
@each_service
def test_every_deployment_runs_a_tagged_image_of_its_service(overlay: Path, service: Service) -> None:
    name, tag, _ = kustomize.split_image(rendered.container(overlay, service)["image"])
    assert name.endswith(f"backan-dx/{service.name}")
    assert tag and tag != "latest", f"{overlay.name} runs {name} untagged or at latest"


@each_overlay
@each_service
def test_every_deployment_runs_an_image_compose_builds_from_the_dockerfile(overlay: Path, service: Service) -> None:
    name, _, _ = kustomize.split_image(rendered.container(overlay, service)["image"])
    built = compose.services()[service.name]
    assert COMPOSE_FILE.parent / built["build"]["dockerfile"] == DOCKERFILE
    assert name == built["image"], f"{overlay.name} runs {name}, which no build of {DOCKERFILE.name} makes"


def test_production_runs_released_images_and_development_the_dev_builds() -> None:
    for service in SERVICES:
        _, dev_tag, _ = kustomize.split_image(rendered.container(rendered.named("dev"), service)["image"])
        _, prod_tag, _ = kustomize.split_image(rendered.container(rendered.named("prod"), service)["image"])
        assert dev_tag == "dev", service.name
        assert re.fullmatch(r"\d+\.\d+\.\d+", prod_tag or ""), f"{service.name}: prod runs {prod_tag}"


def test_each_overlay_runs_in_its_own_dx_env() -> None:
    for name in ("dev", "prod"):
        assert rendered.find(rendered.named(name), "ConfigMap", "backan-dx-config")["data"]["DX_ENV"] == name


def test_production_runs_more_replicas_than_development() -> None:
    for service in SERVICES:
        dev = rendered.find(rendered.named("dev"), "Deployment", service.name)["spec"].get("replicas", 1)
        prod = rendered.find(rendered.named("prod"), "Deployment", service.name)["spec"].get("replicas", 1)
        assert prod >= 2 and prod > dev, f"{service.name}: {prod} replicas in prod, {dev} in dev"


def test_production_gives_every_service_more_resources_than_development() -> None:
    for service in SERVICES:
        dev = rendered.container(rendered.named("dev"), service)["resources"]["limits"]
        prod = rendered.container(rendered.named("prod"), service)["resources"]["limits"]
        assert _quantity(prod["memory"]) > _quantity(dev["memory"]), service.name
        assert _quantity(prod["cpu"]) >= _quantity(dev["cpu"]), service.name


def test_production_keeps_a_replica_of_every_service_through_a_node_drain() -> None:
    prod = rendered.named("prod")
    for service in SERVICES:
        budgets = [
            r
            for r in rendered.resources(prod)
            if r["kind"] == "PodDisruptionBudget"
            and r["spec"]["selector"]["matchLabels"].items()
            <= rendered.find(prod, "Deployment", service.name)["spec"]["template"]["metadata"]["labels"].items()
        ]
        assert len(budgets) == 1, f"{service.name}: {len(budgets)} disruption budgets"
        replicas = rendered.find(prod, "Deployment", service.name)["spec"]["replicas"]
        assert 1 <= budgets[0]["spec"]["minAvailable"] < replicas, "a drain could neither proceed nor keep one"
