"""The HTTP entry point of household-registry: `uvicorn --factory household_registry.entrypoints.app:create_app`."""

from fastapi import FastAPI

from backan_shared.service_app import ServiceDefinition, create_service_app
from backan_shared.topics import TopicSpec
from household_registry.settings import Settings

DEFINITION = ServiceDefinition(
    title="household-registry",
    description="Multidimensional-poverty households, the annual review and poverty statistics.",
    topics=[TopicSpec("household.events.v1")],
)


def create_app(settings: Settings | None = None) -> FastAPI:
    return create_service_app(DEFINITION, settings or Settings())  # type: ignore[call-arg]
