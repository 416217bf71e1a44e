"""deploy/k8s as files: schema-valid manifests, and kustomizations whose references and overrides all resolve."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.deployment import kustomize
from tests.deployment.manifests import schema_error
from tests.deployment.repository import BASE, K8S, OVERLAYS, load_yaml_documents

KUSTOMIZATIONS = sorted(path.parent for path in K8S.rglob("kustomization.yaml"))


def _relative(path: Path) -> str:
    return str(path.relative_to(K8S))


def _manifests() -> list[Path]:
    """Every file some kustomization lists as a resource (directories are kustomizations themselves)."""
    return sorted({p for d in KUSTOMIZATIONS for p in kustomize.resource_paths(d) if p.is_file()})


def test_there_is_a_base_and_a_dev_and_a_prod_overlay() -> None:
    assert BASE in KUSTOMIZATIONS
    assert {overlay.name for overlay in OVERLAYS} >= {"dev", "prod"}


@pytest.mark.parametrize("manifest", _manifests(), ids=_relative)
def test_every_kubernetes_manifest_follows_the_kubernetes_schema(manifest: Path) -> None:
    documents = load_yaml_documents(manifest)
    assert documents, f"{_relative(manifest)} is empty"
    errors = [error for error in map(schema_error, documents) if error]
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("directory", KUSTOMIZATIONS, ids=_relative)
def test_every_kustomization_names_resources_and_patches_that_exist(directory: Path) -> None:
    for path in kustomize.resource_paths(directory):
        assert path.is_file() or (path / "kustomization.yaml").is_file(), f"{_relative(directory)}: no {path}"
    for path in kustomize.patch_paths(directory):
        assert path.is_file(), f"{_relative(directory)}: no patch {path}"


@pytest.mark.parametrize("overlay", OVERLAYS, ids=_relative)
def test_every_overlay_builds_on_the_base(overlay: Path) -> None:
    assert BASE.resolve() in kustomize.resource_paths(overlay)


def test_every_yaml_file_under_deploy_k8s_is_used_by_a_kustomization() -> None:
    used = set(_manifests()) | {p for d in KUSTOMIZATIONS for p in kustomize.patch_paths(d)}
    used |= {(d / "kustomization.yaml").resolve() for d in KUSTOMIZATIONS}
    stray = sorted(_relative(p) for p in K8S.rglob("*.y*ml") if p.resolve() not in used)
    assert not stray, f"never applied: {stray}"


@pytest.mark.parametrize("overlay", OVERLAYS, ids=_relative)
def test_every_override_of_an_overlay_matches_a_resource(overlay: Path) -> None:
    # kustomize silently ignores an image, a replica count or a patch that matches nothing: always a typo here.
    rendered = kustomize.render(overlay)
    spec = kustomize.kustomization(overlay)
    images = {kustomize.split_image(c["image"])[0] for r in rendered for c in _containers(r)}
    assert {image["name"] for image in spec.get("images", [])} <= images
    deployments = {r["metadata"]["name"] for r in rendered if r["kind"] == "Deployment"}
    assert {replica["name"] for replica in spec.get("replicas", [])} <= deployments
    present = {(r["kind"], r["metadata"]["name"]) for r in rendered}
    for patch in spec.get("patches", []):
        target = patch.get("target", {})
        documents = load_yaml_documents(overlay / patch["path"])
        targets = [(d["kind"], d["metadata"]["name"]) for d in documents if isinstance(d, dict) and "kind" in d]
        if target:
            targets = [(r["kind"], r["metadata"]["name"]) for r in rendered if _matches(r, target)]
        assert targets and set(targets) <= present, f"{patch['path']} patches nothing"


def _containers(resource: dict[str, Any]) -> list[dict[str, Any]]:
    if resource["kind"] != "Deployment":
        return []
    return list(resource["spec"]["template"]["spec"]["containers"])


def _matches(resource: dict[str, Any], target: dict[str, str]) -> bool:
    return resource["kind"] == target.get("kind", resource["kind"]) and resource["metadata"]["name"] == target.get(
        "name", resource["metadata"]["name"]
    )
