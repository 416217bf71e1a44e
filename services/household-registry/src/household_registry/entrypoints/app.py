"""The HTTP entry point of household-registry: `uvicorn --factory household_registry.entrypoints.app:create_app`.

The same process runs the outbox relay to the household topic and the consumer of campaign deliveries.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from backan_shared.migrations import MigrationSource
from backan_shared.service_app import ServiceDefinition, create_service_app
from backan_shared.topics import TopicSpec
from household_registry.adapters.crypto import PersonalDataCryptoError
from household_registry.bootstrap import Bootstrap
from household_registry.domain.errors import InvalidInputError, NotFoundError, ReferenceDataError, StateConflictError
from household_registry.entrypoints.campaign_consumer import campaign_deliveries
from household_registry.entrypoints.routes import api_router
from household_registry.settings import Settings

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
DOMAIN_ERRORS: dict[type[Exception], int] = {
    InvalidInputError: 422,
    StateConflictError: 409,
    NotFoundError: 404,
    ReferenceDataError: 500,
    PersonalDataCryptoError: 500,
}


def definition(settings: Settings, bootstrap: Bootstrap) -> ServiceDefinition:
    """household-registry as the shared service app runs it."""
    return ServiceDefinition(
        title="household-registry",
        description="Multidimensional-poverty households, the annual review and poverty statistics.",
        migrations=[MigrationSource("household-registry", MIGRATIONS)],
        topics=[TopicSpec(settings.household_topic)],
        routers=[api_router(settings)],
        subscriptions=lambda runtime: [campaign_deliveries(bootstrap.services(runtime), settings)],
        domain_errors=DOMAIN_ERRORS,
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()  # type: ignore[call-arg]
    bootstrap = Bootstrap(settings)
    app = create_service_app(definition(settings, bootstrap), settings)
    app.state.bootstrap = bootstrap
    return app
