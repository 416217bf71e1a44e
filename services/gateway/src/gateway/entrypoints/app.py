"""The HTTP entry point of gateway: `uvicorn --factory gateway.entrypoints.app:create_app`."""

from fastapi import FastAPI

from backan_shared.service_app import ServiceDefinition, create_service_app
from gateway.settings import Settings

DEFINITION = ServiceDefinition(
    title="backan-dx gateway",
    description="The one authenticated REST entry, with read models composed from every service's events.",
    topics=[],
)


def create_app(settings: Settings | None = None) -> FastAPI:
    return create_service_app(DEFINITION, settings or Settings())  # type: ignore[call-arg]
