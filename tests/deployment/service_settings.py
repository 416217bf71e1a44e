"""Whether a service's own Settings accept the environment a deployment file gives it."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from pydantic import ValidationError

from harness.services import Service


def settings_error(service: Service, environment: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> str | None:
    """The service's settings validation error under exactly this environment, or None if they load."""
    settings = importlib.import_module(f"{service.package}.settings").Settings
    # Only what the deployment file sets may count: the test process's own variables must not fill gaps.
    for field in settings.model_fields:
        monkeypatch.delenv(field.upper(), raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    try:
        settings()
    except ValidationError as error:
        return str(error)
    return None


def settings_under(service: Service, environment: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Any:
    """The service's Settings as it would load them under exactly this environment."""
    settings = importlib.import_module(f"{service.package}.settings").Settings
    for field in settings.model_fields:
        monkeypatch.delenv(field.upper(), raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return settings()


def settings_fields(service: Service) -> dict[str, Any]:
    """Each field of the service's Settings with its default: what its code can read from the environment."""
    settings = importlib.import_module(f"{service.package}.settings").Settings
    return {name: field.default for name, field in settings.model_fields.items()}
