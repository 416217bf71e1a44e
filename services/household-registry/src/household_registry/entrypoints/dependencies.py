"""FastAPI dependencies of the registry's routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from backan_shared.idempotency import joining_the_request
from household_registry.bootstrap import Bootstrap
from household_registry.service_layer.dependencies import Dependencies


def command_dependencies(request: Request) -> Dependencies:
    """The registry's services on the running app's pool and event store."""
    bootstrap: Bootstrap = request.app.state.bootstrap
    return joining_the_request(bootstrap.dependencies(request.app.state.runtime), request)


DependenciesDep = Annotated[Dependencies, Depends(command_dependencies)]
