"""The overlays as the real kustomize renders them, and what the tests read from a kustomization file.

Rendering runs the kustomize binary the harness builds (harness.kustomize): no imitation of kustomize's
rules, so what the tests check is what `kubectl apply -k` would send.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from harness.kustomize import build
from tests.deployment.repository import load_yaml

Resource = dict[str, Any]


@cache
def render(directory: Path) -> tuple[Resource, ...]:
    """Every resource `kustomize build directory` prints."""
    return tuple(document for document in yaml.safe_load_all(build(directory)) if document)


def kustomization(directory: Path) -> dict[str, Any]:
    return dict(load_yaml(directory / "kustomization.yaml"))


def resource_paths(directory: Path) -> list[Path]:
    """The files and directories a kustomization's `resources` name, resolved."""
    return [(directory / entry).resolve() for entry in kustomization(directory).get("resources", [])]


def patch_paths(directory: Path) -> list[Path]:
    return [(directory / patch["path"]).resolve() for patch in kustomization(directory).get("patches", [])]


def split_image(image: str) -> tuple[str, str | None, str | None]:
    """(name, tag, digest) of an image reference; a registry's port is not a tag."""
    reference, _, digest = image.partition("@")
    name, colon, tag = reference.rpartition(":")
    if not colon or "/" in tag:
        return reference, None, digest or None
    return name, tag, digest or None
