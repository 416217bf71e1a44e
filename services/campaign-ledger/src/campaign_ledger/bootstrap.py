"""The composition root of campaign-ledger's commands: from what the shared runtime built (pool, event store,
settings) to the handlers' dependencies."""

from __future__ import annotations

from typing import cast

from backan_shared.service_app import Runtime
from campaign_ledger.adapters.integration_events import IntegrationPublisher
from campaign_ledger.service_layer.dependencies import Dependencies
from campaign_ledger.settings import Settings


def dependencies(runtime: Runtime) -> Dependencies:
    """The command handlers' dependencies on this runtime's pool and event store."""
    settings = cast(Settings, runtime.settings)
    publisher = IntegrationPublisher(settings.campaign_topic, settings.service_name)
    return Dependencies(store=runtime.event_store, pool=runtime.pool, publisher=publisher)
