"""FastAPI dependencies of the registry's routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from household_registry.bootstrap import Bootstrap
from household_registry.service_layer.services import RegistryServices


def registry_services(request: Request) -> RegistryServices:
    """The registry's services on the running app's pool and event store."""
    bootstrap: Bootstrap = request.app.state.bootstrap
    return bootstrap.services(request.app.state.runtime)


ServicesDep = Annotated[RegistryServices, Depends(registry_services)]
