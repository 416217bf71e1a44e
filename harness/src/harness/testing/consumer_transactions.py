"""For the services' tests: does a consumer's effect commit or roll back with its processed-event record?

`effect_and_record` runs a service's real subscription handler through the real consumer runner, on the real
Kafka and PostgreSQL, in a consumer group and on a topic of its own (so the service's own consumers never see
the event). The handler's first call applies the event and then fails, so the runner's transaction rolls back;
the runner tries again, and the second call applies it for good. What the test's `effect` probe and the
processed-events record show is noted inside the failed transaction, after its rollback and after the commit.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import asyncpg

from backan_shared.consumer import ConsumerRunner, Handler, Subscription
from backan_shared.envelope import CloudEvent
from harness.testing.records import producing

Probe = Callable[[asyncpg.Connection], Awaitable[Any]]
"""What the consumer's effect looks like, read on a connection (inside its transaction, or another)."""


@dataclass(frozen=True)
class Seen:
    """The effect, as the probe reads it, and the event's processed-event outcome (None: no record)."""

    effect: Any
    processed: str | None


@dataclass(frozen=True)
class EffectAndRecord:
    """The effect and the record inside the transaction that failed, after its rollback, after the commit."""

    in_failed_transaction: Seen
    after_rollback: Seen
    after_commit: Seen


Look = Callable[[asyncpg.Connection], Awaitable[Seen]]


class TransactionFailedAfterTheEffect(Exception):
    """Raised by the wrapped handler after the effect, so the runner's transaction rolls back."""


class FailsOnceAfterTheEffect:
    """A handler that wraps another: its first call applies the events, notes what it sees in its own transaction
    and fails; a later call waits until `released`, then applies them."""

    def __init__(self, handler: Handler, group_id: str, event_id: str, effect: Probe):
        self._handler = handler
        self._look = _looking(group_id, event_id, effect)
        self.seen_inside: Seen | None = None
        self.retried, self.released = asyncio.Event(), asyncio.Event()

    async def __call__(self, connection: asyncpg.Connection, events: Sequence[CloudEvent]) -> None:
        if self.seen_inside is not None:
            self.retried.set()
            await self.released.wait()
            await self._handler(connection, events)
            return
        await self._handler(connection, events)
        self.seen_inside = await self._look(connection)
        raise TransactionFailedAfterTheEffect("the runner's transaction fails after the consumer's effect")


async def effect_and_record(
    pool: asyncpg.Pool, bootstrap: str, subscription: Subscription, topic: str, event: CloudEvent, effect: Probe
) -> EffectAndRecord:
    """Run the subscription's handler on `event` (published on `topic`, a topic nobody else reads) through the
    consumer runner, first failing after the effect, then succeeding; return what was seen at each step."""
    group_id = f"{subscription.group_id}.atomicity-{uuid.uuid4().hex[:10]}"
    handler = FailsOnceAfterTheEffect(subscription.handler, group_id, event.id, effect)
    isolated = replace(subscription, group_id=group_id, topics=(topic,), handler=handler)
    runner = ConsumerRunner(pool, bootstrap, isolated, retry_backoff=0.01)
    async with producing(bootstrap) as produce:
        await produce(topic, event, key=event.subject or event.id)
    look = _looking(group_id, event.id, effect)
    running = asyncio.create_task(runner.run())
    try:
        after_rollback = await _after_the_failed_transaction(running, handler, pool, look)
    finally:
        handler.released.set()
        await runner.stop()  # the runner finishes the record in hand, so its transaction commits first
        async with asyncio.timeout(30):
            await running
    async with pool.acquire() as connection:
        after_commit = await look(connection)
    assert handler.seen_inside is not None, "the handler was never called"
    return EffectAndRecord(handler.seen_inside, after_rollback, after_commit)


async def _after_the_failed_transaction(
    running: asyncio.Task[None], handler: FailsOnceAfterTheEffect, pool: asyncpg.Pool, look: Look
) -> Seen:
    """What is seen once the handler is called again (so the failed transaction is over), or as soon as the
    processed-event record shows outside it (then the runner will not call the handler again)."""
    async with asyncio.timeout(30):
        while True:
            retried = handler.retried.is_set()  # before looking: set only once the failed transaction is over
            async with pool.acquire() as connection:
                seen = await look(connection)
            if retried or seen.processed is not None:
                return seen
            if running.done():
                running.result()
                raise AssertionError("the consumer runner stopped before the handler was called again")
            await asyncio.sleep(0.05)  # the polling interval; the timeout bounds the wait


def _looking(group_id: str, event_id: str, effect: Probe) -> Look:
    async def look(connection: asyncpg.Connection) -> Seen:
        outcome = await connection.fetchval(
            "SELECT outcome FROM processed_events WHERE consumer_group = $1 AND event_id = $2", group_id, event_id
        )
        return Seen(await effect(connection), outcome)

    return look
