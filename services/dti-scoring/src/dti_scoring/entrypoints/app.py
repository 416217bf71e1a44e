"""The HTTP entry point of dti-scoring: `uvicorn --factory dti_scoring.entrypoints.app:create_app`."""

from fastapi import FastAPI

from backan_shared.service_app import ServiceDefinition, create_service_app
from backan_shared.topics import TopicSpec
from dti_scoring.settings import Settings

DEFINITION = ServiceDefinition(
    title="dti-scoring",
    description="Digital Transformation Index: criterion submissions, review, scoring and rankings.",
    topics=[TopicSpec("dti.events.v1")],
)


def create_app(settings: Settings | None = None) -> FastAPI:
    return create_service_app(DEFINITION, settings or Settings())  # type: ignore[call-arg]
