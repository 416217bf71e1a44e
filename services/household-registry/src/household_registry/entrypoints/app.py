"""The HTTP entry point of household-registry: `uvicorn --factory household_registry.entrypoints.app:create_app`.

The same process runs the outbox relay to the household topic, the consumer of campaign deliveries, the
worker of annual review imports and the publisher of poverty figures.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from fastapi import FastAPI

from backan_shared.migrations import MigrationSource
from backan_shared.service_app import ServiceDefinition, create_service_app
from backan_shared.topics import TopicSpec
from household_registry.adapters.audit import AuditTrailUnavailableError
from household_registry.adapters.crypto import PersonalDataCryptoError
from household_registry.adapters.review_files import UnsupportedReviewFileTypeError
from household_registry.bootstrap import Bootstrap
from household_registry.domain.errors import InvalidInputError, NotFoundError, ReferenceDataError, StateConflictError
from household_registry.entrypoints.campaign_consumer import campaign_deliveries
from household_registry.entrypoints.routes import api_router
from household_registry.service_layer.dependencies import Dependencies
from household_registry.service_layer.figures_publishing import FiguresPublisher
from household_registry.service_layer.import_worker import ReviewImportWorker
from household_registry.settings import Settings

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
STOP_SECONDS = 30  # long enough for a batch to commit
DOMAIN_ERRORS: dict[type[Exception], int] = {
    UnsupportedReviewFileTypeError: 415,
    InvalidInputError: 422,
    StateConflictError: 409,
    NotFoundError: 404,
    ReferenceDataError: 500,
    PersonalDataCryptoError: 500,
    AuditTrailUnavailableError: 503,
}


def definition(settings: Settings, bootstrap: Bootstrap) -> ServiceDefinition:
    """household-registry as the shared service app runs it."""
    return ServiceDefinition(
        title="household-registry",
        description="Multidimensional-poverty households, the annual review and poverty statistics.",
        migrations=[MigrationSource("household-registry", MIGRATIONS)],
        topics=[TopicSpec(settings.household_topic)],
        routers=[api_router(settings)],
        subscriptions=lambda runtime: [campaign_deliveries(bootstrap.dependencies(runtime), settings)],
        domain_errors=DOMAIN_ERRORS,
        resources=lambda app, runtime: background_workers(app, bootstrap.dependencies(runtime), bootstrap, settings),
    )


@contextlib.asynccontextmanager
async def background_workers(
    app: FastAPI, services: Dependencies, bootstrap: Bootstrap, settings: Settings
) -> AsyncIterator[None]:
    """Run this replica's import worker and figures publisher for the app's lifetime; on the way out the import
    worker stops between two batches and the publisher between two rounds."""
    imports = ReviewImportWorker(services, bootstrap.import_options)
    figures = FiguresPublisher(services, settings.database_url)
    app.state.review_imports = imports
    tasks = [
        asyncio.create_task(imports.run(), name="review-imports"),
        asyncio.create_task(figures.run(), name="figures-publisher"),
    ]
    try:
        yield
    finally:
        await imports.stop()
        await figures.stop()
        await asyncio.wait(tasks, timeout=STOP_SECONDS)
        for task in tasks:
            task.cancel()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()  # type: ignore[call-arg]
    bootstrap = Bootstrap(settings)
    app = create_service_app(definition(settings, bootstrap), settings)
    app.state.bootstrap = bootstrap
    return app
