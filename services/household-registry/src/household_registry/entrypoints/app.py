"""The HTTP entry point of household-registry: `uvicorn --factory household_registry.entrypoints.app:create_app`.

The same process runs the outbox relay to the household topic, the consumer of campaign deliveries and the
worker of annual review imports.
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
from household_registry.adapters.crypto import PersonalDataCryptoError
from household_registry.adapters.review_files import UnsupportedReviewFileTypeError
from household_registry.bootstrap import Bootstrap
from household_registry.domain.errors import InvalidInputError, NotFoundError, ReferenceDataError, StateConflictError
from household_registry.entrypoints.campaign_consumer import campaign_deliveries
from household_registry.entrypoints.routes import api_router
from household_registry.service_layer.import_worker import ReviewImportWorker
from household_registry.service_layer.services import RegistryServices
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
        resources=lambda app, runtime: review_import_worker(app, bootstrap.services(runtime), bootstrap),
    )


@contextlib.asynccontextmanager
async def review_import_worker(app: FastAPI, services: RegistryServices, bootstrap: Bootstrap) -> AsyncIterator[None]:
    """Run this replica's import worker for the app's lifetime; on the way out it stops between two batches."""
    worker = ReviewImportWorker(services, bootstrap.import_options)
    app.state.review_imports = worker
    task = asyncio.create_task(worker.run(), name="review-imports")
    try:
        yield
    finally:
        await worker.stop()
        await asyncio.wait([task], timeout=STOP_SECONDS)
        task.cancel()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()  # type: ignore[call-arg]
    bootstrap = Bootstrap(settings)
    app = create_service_app(definition(settings, bootstrap), settings)
    app.state.bootstrap = bootstrap
    return app
