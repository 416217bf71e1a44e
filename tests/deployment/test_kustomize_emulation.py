"""The kustomize emulation renders what it claims to, and refuses what it would otherwise get wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.deployment import kustomize

DEPLOYMENT = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "web"},
    "spec": {"template": {"spec": {"containers": [{"name": "server", "image": "registry:5000/team/web"}]}}},
}


def _write(directory: Path, files: dict[str, object]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (directory / name).write_text(yaml.safe_dump(content))
    return directory


def _overlay(tmp_path: Path, **fields: object) -> Path:
    _write(tmp_path / "base", {"kustomization.yaml": {"resources": ["web.yaml"]}, "web.yaml": DEPLOYMENT})
    patch = [{"op": "replace", "path": "/spec/template/spec/containers/0/name", "value": "app"}]
    return _write(
        tmp_path / "overlay", {"kustomization.yaml": {"resources": ["../base"], **fields}, "patch.yaml": patch}
    )


def test_an_overlay_renders_its_base_with_images_replicas_patches_and_namespace(tmp_path: Path) -> None:
    overlay = _overlay(
        tmp_path,
        namespace="shop",
        images=[{"name": "registry:5000/team/web", "newTag": "1.2.3"}],
        replicas=[{"name": "web", "count": 3}],
        patches=[{"path": "patch.yaml", "target": {"kind": "Deployment", "name": "web"}}],
    )
    [web] = kustomize.render(overlay)
    container = web["spec"]["template"]["spec"]["containers"][0]
    assert container == {"name": "app", "image": "registry:5000/team/web:1.2.3"}
    assert web["spec"]["replicas"] == 3 and web["metadata"]["namespace"] == "shop"


def test_rendering_an_overlay_leaves_its_base_untouched(tmp_path: Path) -> None:
    overlay = _overlay(tmp_path, replicas=[{"name": "web", "count": 3}])
    kustomize.render(overlay)
    assert "replicas" not in kustomize.render(tmp_path / "base")[0]["spec"]


def test_a_kustomize_feature_the_emulation_lacks_is_refused(tmp_path: Path) -> None:
    with pytest.raises(kustomize.UnsupportedKustomization):
        kustomize.render(_overlay(tmp_path, configMapGenerator=[{"name": "settings", "literals": ["A=1"]}]))


def test_a_strategic_merge_patch_is_refused(tmp_path: Path) -> None:
    overlay = _overlay(tmp_path, patches=[{"path": "web.yaml", "target": {"kind": "Deployment"}}])
    _write(overlay, {"web.yaml": DEPLOYMENT})
    with pytest.raises(kustomize.UnsupportedKustomization):
        kustomize.render(overlay)


def test_a_json_patch_that_replaces_a_missing_field_fails(tmp_path: Path) -> None:
    overlay = _overlay(tmp_path, patches=[{"path": "patch.yaml", "target": {"kind": "Deployment"}}])
    _write(overlay, {"patch.yaml": [{"op": "replace", "path": "/spec/paused", "value": True}]})
    with pytest.raises(KeyError):
        kustomize.render(overlay)


@pytest.mark.parametrize(
    "fields",
    [
        {"images": [{"name": "team/web", "newTag": "1"}]},
        {"replicas": [{"name": "api", "count": 2}]},
        {"patches": [{"path": "patch.yaml", "target": {"kind": "StatefulSet"}}]},
    ],
    ids=["image", "replicas", "patch"],
)
def test_an_override_that_matches_nothing_fails_instead_of_doing_nothing(tmp_path: Path, fields: dict) -> None:
    with pytest.raises(kustomize.NothingMatched):
        kustomize.render(_overlay(tmp_path, **fields))
