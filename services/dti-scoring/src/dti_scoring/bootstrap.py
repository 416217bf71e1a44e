"""The composition root of dti-scoring's commands: from what the shared runtime built (pool, event store,
settings) to the handlers' dependencies, for routes and consumers alike."""

from __future__ import annotations

from typing import cast

from backan_shared.service_app import Runtime
from dti_scoring.adapters.integration_events import IntegrationPublisher
from dti_scoring.service_layer.dependencies import Dependencies
from dti_scoring.settings import Settings


def dependencies(runtime: Runtime) -> Dependencies:
    """The command handlers' dependencies on this runtime's pool and event store."""
    settings = cast(Settings, runtime.settings)
    publisher = IntegrationPublisher(topic=settings.dti_topic, source=settings.service_name)
    return Dependencies(store=runtime.event_store, pool=runtime.pool, publisher=publisher)
