"""Where the deployment files live, and how to read them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from harness.services import Service

ROOT = Path(__file__).parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
K8S = ROOT / "deploy" / "k8s"
BASE = K8S / "base"
OVERLAYS = sorted(path.parent for path in (K8S / "overlays").glob("*/kustomization.yaml"))


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text())


def load_yaml_documents(path: Path) -> list[Any]:
    """Every non-empty document of a multi-document YAML file."""
    return [document for document in yaml.safe_load_all(path.read_text()) if document is not None]


def dockerfile_of(service: Service) -> Path:
    return ROOT / "services" / service.name / "Dockerfile"
