"""What the tests read from a rendered overlay: resources by kind and name, and a service's pod."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from harness.services import Service
from tests.deployment import kustomize
from tests.deployment.repository import OVERLAYS

Resource = dict[str, Any]


def resources(overlay: Path) -> tuple[Resource, ...]:
    return kustomize.render(overlay)


def named(name: str) -> Path:
    return next(overlay for overlay in OVERLAYS if overlay.name == name)


def find(overlay: Path, kind: str, name: str) -> Resource:
    found = [r for r in resources(overlay) if r["kind"] == kind and r["metadata"]["name"] == name]
    assert len(found) == 1, f"{overlay.name}: expected one {kind} {name}, found {len(found)}"
    return found[0]


def pod(overlay: Path, service: Service) -> dict[str, Any]:
    return dict(find(overlay, "Deployment", service.name)["spec"]["template"]["spec"])


def container(overlay: Path, service: Service) -> dict[str, Any]:
    containers = pod(overlay, service)["containers"]
    assert len(containers) == 1, "one container per pod: the service"
    return dict(containers[0])


def env(overlay: Path, service: Service) -> dict[str, dict[str, Any]]:
    return {variable["name"]: variable for variable in container(overlay, service).get("env", [])}


def pod_environment(overlay: Path, service: Service) -> dict[str, str]:
    """What the container's process sees, with every Secret reference standing for some secret value."""
    environment: dict[str, str] = {}
    for source in container(overlay, service).get("envFrom", []):
        environment |= find(overlay, "ConfigMap", source["configMapRef"]["name"])["data"]
    for name, variable in env(overlay, service).items():
        reference = variable.get("valueFrom", {})
        if "secretKeyRef" in reference and name.endswith("_KEY"):  # keys are checked for their shape
            environment[name] = "c2V0LWJ5LXRoZS1vcGVyYXRvci0zMi1ieXRlcy1rZXk="
        elif "secretKeyRef" in reference:
            environment[name] = f"secret-{reference['secretKeyRef']['name']}-{reference['secretKeyRef']['key']}"
        elif "configMapKeyRef" in reference:
            key = reference["configMapKeyRef"]
            environment[name] = find(overlay, "ConfigMap", key["name"])["data"][key["key"]]
        else:
            environment[name] = variable["value"]
    return environment


def of_kind(overlay: Path, kind: str) -> list[Resource]:
    return [r for r in resources(overlay) if r["kind"] == kind]
