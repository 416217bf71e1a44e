"""Read-your-writes: wait, boundedly, until a feed's consumer has applied the event a consistency token names.

The consumer runner records every event it applies in `processed_events`, in the same transaction as the
effect, so the row's presence means the read models include the event. Waiting is a poll of that row with a
short interval under an overall timeout: never an unbounded sleep.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import asyncpg

from gateway.read_models.feeds import Feed

POLL_INTERVAL_SECONDS = 0.05


def feed_of_source(all_feeds: Sequence[Feed], source: str) -> Feed | None:
    """The feed whose events come from `source` (a token's first half)."""
    return next((feed for feed in all_feeds if feed.source == source), None)


async def outcome(pool: asyncpg.Pool, group_id: str, event_id: str) -> str | None:
    """'applied' or 'dead-lettered' once the group has handled the event; None before."""
    async with pool.acquire() as conn:
        found: str | None = await conn.fetchval(
            "SELECT outcome FROM processed_events WHERE consumer_group = $1 AND event_id = $2", group_id, event_id
        )
    return found


async def wait_for_event(pool: asyncpg.Pool, group_id: str, event_id: str, *, within: float) -> str | None:
    """The event's outcome as soon as the group has handled it, or None if `within` seconds pass first."""
    try:
        async with asyncio.timeout(within):
            while True:
                found = await outcome(pool, group_id, event_id)
                if found is not None:
                    return found
                await asyncio.sleep(POLL_INTERVAL_SECONDS)  # the polling interval; the timeout bounds the wait
    except TimeoutError:
        return None
