"""The household consumer's effect (a known household) and its processed-event record are written in the
consumer runner's transaction: they commit together, or roll back together."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any, cast

import asyncpg
import pytest

from backan_shared.contracts import INTEGRATION_EVENTS, household
from campaign_ledger.entrypoints.household_events import household_subscription
from campaign_ledger.settings import Settings
from harness.testing.consumer_transactions import Seen, effect_and_record

from .conftest import SONG_CAU, Ledger

pytestmark = pytest.mark.infra

HOUSEHOLD = "5f3a9c2e-8d41-4b7a-9e06-2c1d7b8a4f90"


async def known(connection: asyncpg.Connection) -> Any:
    return await connection.fetchval("SELECT count(*) FROM known_households WHERE household_id = $1", HOUSEHOLD)


async def test_a_known_household_and_its_processed_event_record_commit_or_roll_back_together(
    ledger: Ledger, kafka_bootstrap: str, new_topic: Callable[..., Awaitable[str]]
) -> None:
    registered = household.HouseholdRegistered(
        household_id=HOUSEHOLD, commune_code=SONG_CAU, area="rural", registered_on=dt.date(2023, 9, 1)
    )
    event = INTEGRATION_EVENTS.create(
        registered, event_type=household.REGISTERED, source="household-registry", subject=HOUSEHOLD
    )
    subscription = household_subscription(cast(Settings, ledger.app.state.runtime.settings))
    topic = await new_topic("household")

    seen = await effect_and_record(ledger.pool, kafka_bootstrap, subscription, topic, event, known)

    assert seen.in_failed_transaction == Seen(1, "applied"), "both written in the runner's transaction"
    assert seen.after_rollback == Seen(0, None), "and both rolled back with it"
    assert seen.after_commit == Seen(1, "applied")
