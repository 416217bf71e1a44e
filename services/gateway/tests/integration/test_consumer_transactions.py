"""Each feed's effect on the composed read models (its view's row, its as_of) and the processed-event record
are written in the consumer runner's transaction: they commit together, or roll back together."""

from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import pytest

from backan_shared.envelope import CloudEvent
from gateway.projections.feeds import subscription
from harness.testing.consumer_transactions import Seen, effect_and_record

from .conftest import RunningGateway, campaign_events, dti_events, household_events

pytestmark = pytest.mark.infra


def row_and_as_of(feed_name: str, table: str) -> Callable[[asyncpg.Connection], Awaitable[Any]]:
    """How many rows the feed's view holds, and whether the feed has an as_of."""

    async def probe(connection: asyncpg.Connection) -> Any:
        rows = await connection.fetchval(f"SELECT count(*) FROM read_models.{table}")
        as_of = await connection.fetchval(
            "SELECT count(*) FROM read_models.source_freshness WHERE source = $1", feed_name
        )
        return (rows, as_of)

    return probe


@pytest.mark.parametrize(
    ("feed_name", "first_event", "table"),
    [
        ("campaign", lambda: campaign_events()[0], "campaigns"),
        ("household", lambda: household_events()[0], "households"),
        ("dti", lambda: dti_events()[0], "dti_assessments"),
    ],
)
async def test_a_feed_s_read_model_write_and_its_processed_event_record_commit_or_roll_back_together(
    running_gateway: RunningGateway,
    kafka_bootstrap: str,
    new_topic: Callable[..., Awaitable[str]],
    feed_name: str,
    first_event: Callable[[], CloudEvent],
    table: str,
) -> None:
    handling = subscription(running_gateway.feeds[feed_name])
    probe, topic = row_and_as_of(feed_name, table), await new_topic(feed_name)

    seen = await effect_and_record(running_gateway.pool, kafka_bootstrap, handling, topic, first_event(), probe)

    assert seen.in_failed_transaction == Seen((1, 1), "applied"), "all written in the runner's transaction"
    assert seen.after_rollback == Seen((0, 0), None), "and all rolled back with it"
    assert seen.after_commit == Seen((1, 1), "applied")
