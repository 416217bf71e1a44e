"""The consumer of the campaign's topic: a phone delivered to a household is information access for it.

Only `PhoneDelivered` matters here; the campaign's other events pass by. The command runs inside the consumer
runner's transaction (`deps.within(conn)`), so the household's new events and the event's processed-event
record commit or roll back together. The delivery id is the reference of the information access, so a delivery
republished under a new event id is still recorded once, by the aggregate itself.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import asyncpg

from backan_shared.consumer import Subscription
from backan_shared.contracts import INTEGRATION_EVENTS
from backan_shared.contracts import campaign as contract
from backan_shared.envelope import CloudEvent
from household_registry.domain.commands import RecordInformationAccess
from household_registry.service_layer.dependencies import Dependencies
from household_registry.service_layer.handlers import handle
from household_registry.settings import Settings


def information_access_command(delivery: contract.PhoneDelivered) -> RecordInformationAccess:
    """The registry's command for one delivered phone."""
    return RecordInformationAccess(
        household_id=uuid.UUID(delivery.household_id),
        source=f"smartphone campaign {delivery.campaign_id}",
        # Delivery ids restart in every campaign (DL-0001…): only the pair names one delivery.
        reference=f"{delivery.campaign_id}/{delivery.delivery_id}",
        recorded_on=delivery.delivered_on,
    )


def campaign_deliveries(deps: Dependencies, settings: Settings) -> Subscription:
    """The subscription that records each delivered phone as the household's information access."""

    async def record_deliveries(conn: asyncpg.Connection, events: Sequence[CloudEvent]) -> None:
        for event in map(INTEGRATION_EVENTS.upcast, events):
            if event.type == contract.PHONE_DELIVERED:
                delivery = contract.PhoneDelivered.model_validate(event.data)
                await handle(information_access_command(delivery), deps.within(conn))

    return Subscription(settings.campaign_consumer_group, (settings.campaign_topic,), record_deliveries)
