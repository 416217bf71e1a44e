"""Under at-least-once delivery an event may arrive twice, and aggregates' events interleave in any order:
neither changes a composed view."""

from typing import Any

import asyncpg
import pytest

from backan_shared.envelope import CloudEvent
from gateway.projections.feeds import Feed, apply_events, write_for
from gateway.projections.freshness import record_event_time
from gateway.projections.handling import run_writes
from gateway.projections.schema import enter_live

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
            await apply_events(feeds[feed_name], conn, [event])


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


async def test_events_grouped_by_statement_as_a_rebuild_batch_runs_them_give_the_same_views(
    pilot_scenario: Any, snapshot: Any, running_gateway: Any
) -> None:
    """The rebuild runs each distinct statement once for all the events of a batch that need it, which reorders
    the events' writes across statements: every handler's statement must commute with every other."""
    before = await snapshot()
    feeds = running_gateway.feeds
    events = in_order(pilot_scenario)
    writes = [w for name, event in reversed(events) if (w := write_for(feeds[name], event)) is not None]
    assert len({w.sql for w in writes}) < len(writes), "the scenario has statements to group"
    async with running_gateway.pool.acquire() as conn, conn.transaction():
        await conn.execute(f"TRUNCATE {', '.join('read_models.' + t for t in READ_MODEL_TABLES)}")
        await enter_live(conn)
        await run_writes(conn, writes)
        for name, event in events:
            await record_event_time(conn, feeds[name].name, event.time)
    assert await snapshot() == before
