"""The consumer of the household registry's topic: it learns which pseudonymous households exist, and where.

A delivery is refused to a household the registry never published, or that lives in another commune, so this
service keeps `known_households` from the registry's `HouseholdRegistered` events. The runner applies each
event once (processed-events record in the same transaction); recording a registration is idempotent too.
"""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from backan_shared.consumer import Subscription
from backan_shared.contracts import INTEGRATION_EVENTS, household
from backan_shared.envelope import CloudEvent
from campaign_ledger.adapters.known_households import remember_household
from campaign_ledger.settings import Settings


def household_subscription(settings: Settings) -> Subscription:
    """The consumer group that reads the household topic into `known_households`."""
    return Subscription(
        settings.household_consumer_group, (settings.household_topic,), record_households, wants=is_registration
    )


def is_registration(event: CloudEvent) -> bool:
    """Whether the event registers a household: the registry's other events are not this service's business
    (the runner lets them pass without a transaction)."""
    return INTEGRATION_EVENTS.upcast(event).type == household.REGISTERED


async def record_households(conn: asyncpg.Connection, events: Sequence[CloudEvent]) -> None:
    """Remember each registered household's commune, in order (other events are ignored, whoever passes them)."""
    for event in map(INTEGRATION_EVENTS.upcast, events):
        if event.type == household.REGISTERED:
            registered = household.HouseholdRegistered.model_validate(event.data)
            await remember_household(conn, registered.household_id, registered.commune_code, registered.registered_on)
