"""FastAPI dependencies of the registry's routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from household_registry.bootstrap import Bootstrap
from household_registry.service_layer.dependencies import Dependencies


def command_dependencies(request: Request) -> Dependencies:
    """The registry's services on the running app's pool and event store."""
    bootstrap: Bootstrap = request.app.state.bootstrap
    return bootstrap.dependencies(request.app.state.runtime)


DependenciesDep = Annotated[Dependencies, Depends(command_dependencies)]
