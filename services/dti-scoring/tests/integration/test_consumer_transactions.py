"""The indicator feeds' effects (the fact an event states, the commune's counts) and their processed-event
records are written in the consumer runner's transaction: they commit together, or roll back together."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import asyncpg
import pytest
from fastapi import FastAPI

from backan_shared.contracts import INTEGRATION_EVENTS, campaign, household
from backan_shared.envelope import CloudEvent
from dti_scoring.entrypoints.indicator_feeds import indicator_feeds
from harness.testing.consumer_transactions import Seen, effect_and_record

pytestmark = pytest.mark.infra

SONG_CAU = "01837"
HOUSEHOLD = "hh-atomic-1"


def registration() -> CloudEvent:
    registered = household.HouseholdRegistered(
        household_id=HOUSEHOLD, commune_code=SONG_CAU, area="rural", registered_on=date(2023, 1, 5)
    )
    return INTEGRATION_EVENTS.create(registered, event_type=household.REGISTERED, source="household-registry")


def delivery() -> CloudEvent:
    delivered = campaign.PhoneDelivered(
        campaign_id="campaign-2023",
        delivery_id="DL-0001",
        commune_code=SONG_CAU,
        household_id=HOUSEHOLD,
        delivered_on=date(2023, 9, 1),
    )
    return INTEGRATION_EVENTS.create(delivered, event_type=campaign.PHONE_DELIVERED, source="campaign-ledger")


def fact_and_counts(fact_table: str) -> Callable[[asyncpg.Connection], Awaitable[Any]]:
    """The event's fact (rows about the household) and the commune's counts (whether they were recounted)."""

    async def probe(connection: asyncpg.Connection) -> Any:
        facts = await connection.fetchval(f"SELECT count(*) FROM {fact_table} WHERE household_id = $1", HOUSEHOLD)
        counts = await connection.fetchval("SELECT count(*) FROM dti_commune_counts WHERE commune_code = $1", SONG_CAU)
        return (facts, counts)

    return probe


@pytest.mark.parametrize(
    ("feed", "event", "fact_table"),
    [("household", registration, "dti_feed_households"), ("campaign", delivery, "dti_feed_deliveries")],
)
async def test_a_feed_s_fact_and_counts_and_its_processed_event_record_commit_or_roll_back_together(
    app: FastAPI,
    kafka_bootstrap: str,
    new_topic: Callable[..., Awaitable[str]],
    feed: str,
    event: Callable[[], CloudEvent],
    fact_table: str,
) -> None:
    runtime = app.state.runtime
    group_id = getattr(runtime.settings, f"{feed}_feed_group")
    [subscription] = [s for s in indicator_feeds(runtime) if s.group_id == group_id]
    probe, topic = fact_and_counts(fact_table), await new_topic(feed)

    seen = await effect_and_record(runtime.pool, kafka_bootstrap, subscription, topic, event(), probe)

    assert seen.in_failed_transaction == Seen((1, 1), "applied"), "all written in the runner's transaction"
    assert seen.after_rollback == Seen((0, 0), None), "and all rolled back with it"
    assert seen.after_commit == Seen((1, 1), "applied")
