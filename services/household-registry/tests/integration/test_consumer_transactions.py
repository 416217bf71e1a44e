"""The campaign consumer's effect (the household's information access, recorded by the registry's own command)
and its processed-event record are written in the consumer runner's transaction: they commit together, or roll
back together."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import asyncpg
import pytest

from backan_shared.contracts import INTEGRATION_EVENTS
from backan_shared.contracts import campaign as contract
from harness.testing.consumer_transactions import Seen, effect_and_record
from household_registry.adapters.event_codec import INFORMATION_ACCESS_RECORDED
from household_registry.entrypoints.campaign_consumer import campaign_deliveries
from household_registry.service_layer.aggregates import stream_id

pytestmark = pytest.mark.infra

NGHIA_TA = "02071"
CAMPAIGN = "campaign-2023-backan"


async def test_a_delivery_recorded_by_a_command_and_its_processed_event_record_commit_or_roll_back_together(
    registry: Any, kafka_bootstrap: str, new_topic: Callable[..., Awaitable[str]]
) -> None:
    household_id = await registry.register(NGHIA_TA)
    delivered = contract.PhoneDelivered(
        campaign_id=CAMPAIGN,
        delivery_id="DL-0042",
        commune_code=NGHIA_TA,
        household_id=household_id,
        delivered_on=date(2023, 9, 12),
    )
    event = INTEGRATION_EVENTS.create(delivered, event_type=contract.PHONE_DELIVERED, source="campaign-ledger")

    async def information_access_events(connection: asyncpg.Connection) -> Any:
        return await connection.fetchval(
            "SELECT count(*) FROM events WHERE stream_id = $1 AND event_type = $2",
            stream_id(uuid.UUID(household_id)),
            INFORMATION_ACCESS_RECORDED,
        )

    subscription = campaign_deliveries(registry.services, registry.settings)
    topic = await new_topic("campaign")

    seen = await effect_and_record(
        registry.services.pool, kafka_bootstrap, subscription, topic, event, information_access_events
    )

    assert seen.in_failed_transaction == Seen(1, "applied"), "both written in the runner's transaction"
    assert seen.after_rollback == Seen(0, None), "and both rolled back with it"
    assert seen.after_commit == Seen(1, "applied")
