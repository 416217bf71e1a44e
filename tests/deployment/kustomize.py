"""Just enough of kustomize to render this repository's overlays without the kustomize binary.

It reads `resources` (files and directories), `namespace`, `images`, `replicas` and JSON 6902 `patches`
targeted by kind and name. Anything else in a kustomization is refused rather than skipped, so a new
kustomize feature cannot slip past the tests unrendered. Where kustomize would silently do nothing (an
image, a replica count or a patch that matches no resource), this raises: that is always a typo here.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from tests.deployment.repository import load_yaml, load_yaml_documents

Resource = dict[str, Any]

SUPPORTED_FIELDS = {"apiVersion", "kind", "namespace", "resources", "images", "replicas", "patches"}
CLUSTER_SCOPED_KINDS = {"Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition"}
POD_TEMPLATE_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"}


class UnsupportedKustomization(ValueError):
    """The kustomization uses something this emulation does not render."""


class NothingMatched(LookupError):
    """An image, replica count or patch names no resource: kustomize would ignore it, which hides typos."""


def kustomization(directory: Path) -> dict[str, Any]:
    data = load_yaml(directory / "kustomization.yaml")
    unsupported = set(data) - SUPPORTED_FIELDS
    if unsupported:
        raise UnsupportedKustomization(f"{directory}: {sorted(unsupported)} not emulated")
    return dict(data)


def resource_paths(directory: Path) -> list[Path]:
    """The files and directories a kustomization's `resources` name, resolved; remote bases refused."""
    entries = kustomization(directory).get("resources", [])
    remote = [entry for entry in entries if "://" in entry or entry.startswith("github.com/")]
    if remote:
        raise UnsupportedKustomization(f"{directory}: remote resources {remote}")
    return [(directory / entry).resolve() for entry in entries]


def patch_paths(directory: Path) -> list[Path]:
    return [(directory / patch["path"]).resolve() for patch in kustomization(directory).get("patches", [])]


def render(directory: Path) -> list[Resource]:
    """The resources `kustomize build directory` would print, in no particular order."""
    spec = kustomization(directory)
    resources: list[Resource] = []
    for path in resource_paths(directory):
        resources += render(path) if path.is_dir() else copy.deepcopy(load_yaml_documents(path))
    for patch in spec.get("patches", []):
        apply_patch(resources, patch, directory)
    for replica in spec.get("replicas", []):
        set_replicas(resources, replica["name"], replica["count"])
    for image in spec.get("images", []):
        set_image(resources, image)
    if "namespace" in spec:
        for resource in resources:
            if resource["kind"] not in CLUSTER_SCOPED_KINDS:
                resource["metadata"]["namespace"] = spec["namespace"]
    return resources


def apply_patch(resources: list[Resource], patch: dict[str, Any], directory: Path) -> None:
    unsupported = set(patch) - {"path", "target"} or set(patch.get("target", {})) - {"kind", "name"}
    if unsupported or "target" not in patch:
        raise UnsupportedKustomization(f"{directory}: patch {patch} (only targeted JSON 6902 files)")
    operations = load_yaml(directory / patch["path"])
    if not isinstance(operations, list):
        raise UnsupportedKustomization(f"{directory / patch['path']}: strategic-merge patches are not emulated")
    targets = [r for r in resources if _matches(r, patch["target"])]
    if not targets:
        raise NothingMatched(f"{directory}: patch {patch['path']} matches no resource")
    for resource in targets:
        for operation in operations:
            apply_operation(resource, operation)


def apply_operation(document: Any, operation: dict[str, Any]) -> None:
    """One RFC 6902 add, replace or remove."""
    *parents, last = [_unescape(token) for token in operation["path"].split("/")[1:]]
    container = document
    for token in parents:
        container = container[int(token) if isinstance(container, list) else token]
    op = operation["op"]
    if op == "add" and isinstance(container, list):
        container.insert(len(container) if last == "-" else int(last), operation["value"])
    elif op == "add":
        container[last] = operation["value"]
    elif op in {"replace", "remove"}:
        key = int(last) if isinstance(container, list) else last
        if key not in (range(len(container)) if isinstance(container, list) else container):
            raise KeyError(f"{operation['path']}: RFC 6902 cannot {op} a member that does not exist")
        if op == "replace":
            container[key] = operation["value"]
        else:
            del container[key]
    else:
        raise UnsupportedKustomization(f"JSON patch operation {op!r} is not emulated")


def set_replicas(resources: list[Resource], name: str, count: int) -> None:
    targets = [r for r in resources if r["kind"] in POD_TEMPLATE_KINDS and r["metadata"]["name"] == name]
    if not targets:
        raise NothingMatched(f"replicas: no workload named {name}")
    for resource in targets:
        resource["spec"]["replicas"] = count


def set_image(resources: list[Resource], image: dict[str, str]) -> None:
    changed = 0
    for container in containers(resources):
        name, tag, digest = split_image(container["image"])
        if name == image["name"]:
            name = image.get("newName", name)
            tag = image.get("newTag", tag)
            digest = image.get("digest", digest)
            container["image"] = name + (f":{tag}" if tag else "") + (f"@{digest}" if digest else "")
            changed += 1
    if not changed:
        raise NothingMatched(f"images: no container runs {image['name']}")


def containers(resources: list[Resource]) -> list[dict[str, Any]]:
    found = []
    for resource in resources:
        if resource["kind"] in POD_TEMPLATE_KINDS:
            pod = resource["spec"]["template"]["spec"]
            found += pod.get("initContainers", []) + pod["containers"]
    return found


def split_image(image: str) -> tuple[str, str | None, str | None]:
    """(name, tag, digest) of an image reference; a registry's port is not a tag."""
    reference, _, digest = image.partition("@")
    name, colon, tag = reference.rpartition(":")
    if not colon or "/" in tag:
        return reference, None, digest or None
    return name, tag, digest or None


def _matches(resource: Resource, target: dict[str, str]) -> bool:
    return all(
        (resource["kind"] if key == "kind" else resource["metadata"]["name"]) == value for key, value in target.items()
    )


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")
