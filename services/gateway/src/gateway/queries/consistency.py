"""Read-your-writes: wait, boundedly, until a feed's consumer has applied the event a consistency token names.

The consumer runner records every event it applies in `processed_events`, in the same transaction as the
effect, so the row's presence means the read models include the event. Waiting is a poll of that row with a
short interval under an overall timeout: never an unbounded sleep.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import asyncpg

from gateway.projections.feeds import Feed

POLL_INTERVAL_SECONDS = 0.05


def feed_of_source(all_feeds: Sequence[Feed], source: str) -> Feed | None:
    """The feed whose events come from `source` (a token's first half)."""
    return next((feed for feed in all_feeds if feed.source == source), None)


class ProcessedEventWatcher:
    """Answers every waiting read of one process with a single query per poll interval.

    A query per waiting read took connections from the pool the consumers need to apply the very events
    being waited for: under load the waits starved the writes they waited on.
    """

    def __init__(self, pool: asyncpg.Pool):
        self._pool = pool
        self._waiting: dict[tuple[str, str], list[asyncio.Future[str]]] = {}
        self._poller: asyncio.Task[None] | None = None

    async def wait(self, group_id: str, event_id: str, *, within: float) -> str | None:
        future: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._waiting.setdefault((group_id, event_id), []).append(future)
        if self._poller is None or self._poller.done():
            self._poller = asyncio.create_task(self._poll())
        try:
            return await asyncio.wait_for(asyncio.shield(future), within)
        except TimeoutError:
            return None
        finally:
            self._forget((group_id, event_id), future)

    def _forget(self, key: tuple[str, str], future: asyncio.Future[str]) -> None:
        waiters = self._waiting.get(key, [])
        if future in waiters:
            waiters.remove(future)
        if not waiters:
            self._waiting.pop(key, None)

    async def _poll(self) -> None:
        while self._waiting:
            keys = list(self._waiting)
            async with self._pool.acquire() as conn:
                rows = await conn.fetch(
                    """SELECT p.consumer_group, p.event_id, p.outcome FROM processed_events p
                       JOIN unnest($1::text[], $2::text[]) AS w(consumer_group, event_id)
                         ON p.consumer_group = w.consumer_group AND p.event_id = w.event_id""",
                    [k[0] for k in keys],
                    [k[1] for k in keys],
                )
            for row in rows:
                for future in self._waiting.get((row["consumer_group"], row["event_id"]), []):
                    if not future.done():
                        future.set_result(row["outcome"])
            await asyncio.sleep(POLL_INTERVAL_SECONDS)  # the polling interval; each wait is bounded by its own timeout


async def wait_for_event(pool: asyncpg.Pool, group_id: str, event_id: str, *, within: float) -> str | None:
    """The event's outcome as soon as the group has handled it, or None if `within` seconds pass first."""
    return await ProcessedEventWatcher(pool).wait(group_id, event_id, within=within)
