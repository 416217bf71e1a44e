"""The HTTP entry point of campaign-ledger: `uvicorn --factory campaign_ledger.entrypoints.app:create_app`."""

from fastapi import FastAPI

from backan_shared.service_app import ServiceDefinition, create_service_app
from backan_shared.topics import TopicSpec
from campaign_ledger.settings import Settings

DEFINITION = ServiceDefinition(
    title="campaign-ledger",
    description="The smartphone donation campaign as a balanced, transparent ledger.",
    topics=[TopicSpec("campaign.events.v1")],
)


def create_app(settings: Settings | None = None) -> FastAPI:
    return create_service_app(DEFINITION, settings or Settings())  # type: ignore[call-arg]
