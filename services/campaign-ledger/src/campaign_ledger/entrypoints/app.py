"""The HTTP entry point of campaign-ledger: `uvicorn --factory campaign_ledger.entrypoints.app:create_app`."""

from pathlib import Path

from fastapi import FastAPI

from backan_shared.migrations import MigrationSource
from backan_shared.service_app import ServiceDefinition, create_service_app
from backan_shared.topics import TopicSpec
from campaign_ledger.domain.errors import InvalidInputError, StateConflictError
from campaign_ledger.entrypoints.household_events import household_subscription
from campaign_ledger.entrypoints.routes import campaign_routers
from campaign_ledger.service_layer.errors import CampaignNotFoundError
from campaign_ledger.settings import Settings

MIGRATIONS = MigrationSource("campaign-ledger", Path(__file__).resolve().parent.parent / "migrations")
DOMAIN_ERRORS: dict[type[Exception], int] = {
    InvalidInputError: 422,
    StateConflictError: 409,
    CampaignNotFoundError: 404,
}


def definition(settings: Settings) -> ServiceDefinition:
    """campaign-ledger as the shared composition root sees it; topics come from settings so tests can vary them."""
    return ServiceDefinition(
        title="campaign-ledger",
        description="The smartphone donation campaign as a balanced, transparent ledger.",
        migrations=[MIGRATIONS],
        topics=[TopicSpec(settings.campaign_topic)],
        routers=campaign_routers(settings),
        subscriptions=lambda _runtime: [household_subscription(settings)],
        domain_errors=DOMAIN_ERRORS,
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app, built from the environment's settings unless others are given."""
    settings = settings or Settings()  # type: ignore[call-arg]
    return create_service_app(definition(settings), settings)
