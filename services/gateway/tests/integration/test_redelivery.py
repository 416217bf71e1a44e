"""Under at-least-once delivery an event may arrive twice, and aggregates' events interleave in any order:
neither changes a composed view."""

from typing import Any

import asyncpg
import pytest

from backan_shared.envelope import CloudEvent
from gateway.read_models.feeds import Feed, apply_event
from gateway.read_models.schema import enter_live

pytestmark = pytest.mark.infra

READ_MODEL_TABLES = (
    "source_freshness",
    "campaigns",
    "campaign_facts",
    "campaign_reversals",
    "households",
    "poverty_statistics",
    "dti_assessments",
)


async def apply_directly(pool: asyncpg.Pool, feeds: dict[str, Feed], events: list[tuple[str, CloudEvent]]) -> None:
    """Apply events through the handlers alone, bypassing the runner's processed-events record."""
    async with pool.acquire() as conn, conn.transaction():
        await enter_live(conn)
        for feed_name, event in events:
            await apply_event(feeds[feed_name], conn, event)


def in_order(pilot_scenario: Any) -> list[tuple[str, CloudEvent]]:
    return [(name, event) for name, events in pilot_scenario.events.items() for event in events]


async def test_the_same_events_delivered_again_change_no_view(
    pilot_scenario: Any, publish: Any, caught_up: Any, snapshot: Any, running_gateway: Any
) -> None:
    before = await snapshot()
    for feed_name, event in in_order(pilot_scenario):
        await publish(feed_name, event)
    await caught_up()
    assert await snapshot() == before, "the consumer recognised every redelivered event"

    await apply_directly(running_gateway.pool, running_gateway.feeds, in_order(pilot_scenario))
    assert await snapshot() == before, "and each handler is idempotent on its own"


async def test_events_applied_in_reverse_order_give_the_same_views(
    pilot_scenario: Any, snapshot: Any, running_gateway: Any
) -> None:
    before = await snapshot()
    async with running_gateway.pool.acquire() as conn:
        await conn.execute(f"TRUNCATE {', '.join('read_models.' + t for t in READ_MODEL_TABLES)}")
    await apply_directly(running_gateway.pool, running_gateway.feeds, list(reversed(in_order(pilot_scenario))))
    assert await snapshot() == before
