"""The one path from Kafka records to effects in PostgreSQL.

`apply` applies records in one transaction: the processed-event records of the events the subscription wants,
in one statement, then the handler, given the events recorded for the first time. A poll's records of one
partition go through it together; if that fails, each record goes through it alone, a batch of one, retried
until it is applied or parked on the dead-letter topic.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import asyncpg
from aiokafka import ConsumerRecord

from backan_shared.consumer.dead_letters import DeadLetters
from backan_shared.consumer.failures import Abandoned, is_database_away, is_malformed, is_transaction_conflict
from backan_shared.consumer.processed_events import record_processed
from backan_shared.consumer.subscription import Subscription
from backan_shared.consumer.tracing import processing
from backan_shared.envelope import CloudEvent, from_kafka
from backan_shared.logs import get_logger

log = get_logger(__name__)

Decoded = list[tuple[ConsumerRecord[Any, Any], CloudEvent]]


async def apply(pool: asyncpg.Pool, subscription: Subscription, records: Sequence[ConsumerRecord[Any, Any]]) -> int:
    """Apply the records in one transaction, the effects and their processed-event records together; return how
    many events were new (applied now). Raises, with nothing applied, if any record fails."""
    wanted = [(record, event) for record, event in decoded(records) if subscription.wanted(event)]
    if not wanted:
        return 0
    with processing([record for record, _ in wanted], subscription.group_id):
        async with pool.acquire() as connection, connection.transaction():
            ids = [(event.id, record.topic) for record, event in wanted]
            new = first_seen(wanted, await record_processed(connection, subscription.group_id, ids))
            if new:
                await subscription.handler(connection, new)
    return len(new)


def decoded(records: Sequence[ConsumerRecord[Any, Any]]) -> Decoded:
    """Each record with its CloudEvent; raises EnvelopeError for a record that is not one."""
    return [(record, from_kafka(list(record.headers or ()), record.value)) for record in records]


def first_seen(wanted: Decoded, recorded: set[str]) -> list[CloudEvent]:
    """The events recorded just now, in order, each once (an event twice in a poll counts at its first place)."""
    pending = set(recorded)
    new = []
    for _, event in wanted:
        if event.id in pending:
            pending.discard(event.id)
            new.append(event)
    return new


class Applier:
    """Applies a subscription's records, together or one by one, retrying and dead-lettering as need be."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        subscription: Subscription,
        dead_letters: DeadLetters,
        *,
        retry_backoff: float,
        stopping: asyncio.Event,
    ):
        self._pool = pool
        self._subscription = subscription
        self._dead_letters = dead_letters
        self._retry_backoff = retry_backoff
        self._stopping = stopping
        self.applied_total = 0

    async def apply_together(self, records: Sequence[ConsumerRecord[Any, Any]]) -> Exception | None:
        """Apply the records in one transaction; return why that failed (None: it did not)."""
        try:
            self.applied_total += await apply(self._pool, self._subscription, records)
        except Exception as failure:
            first = records[0]
            log.info(
                "a batch failed; applying its records one by one",
                topic=first.topic,
                partition=first.partition,
                records=len(records),
                error=repr(failure),
            )
            return failure
        return None

    async def apply_alone(self, record: ConsumerRecord[Any, Any], charge_pending: bool = False) -> bool:
        """Apply one record in a transaction of its own, trying again until it is applied or dead-lettered.

        `charge_pending`: the batch the record was in failed on one of its records, and none has been charged for
        it yet. The first record that then fails alone is the likeliest culprit (those before it went through), so
        the batch's failure counts as one of its attempts. Return whether the charge is still pending.
        """
        attempts, outage_backoff = 0, self._retry_backoff
        while True:
            try:
                self.applied_total += await apply(self._pool, self._subscription, [record])
                return charge_pending
            except Exception as failure:
                if is_database_away(failure):
                    outage_backoff = await self._wait_out_outage(record, failure, outage_backoff)
                elif is_transaction_conflict(failure):
                    await self._wait_out_conflict(record, failure)
                else:
                    attempts += 2 if charge_pending and not is_malformed(failure) else 1
                    charge_pending = False
                    if not await self._retry_or_park(record, failure, attempts):
                        return False

    async def _retry_or_park(self, record: ConsumerRecord[Any, Any], failure: Exception, attempts: int) -> bool:
        """After an attempt the event is at fault for: wait before the next (True), or dead-letter it (False)."""
        log.warning(
            "event handling failed", topic=record.topic, offset=record.offset, attempt=attempts, error=repr(failure)
        )
        if attempts >= self._subscription.max_attempts or is_malformed(failure):
            await self._dead_letters.park(record, failure, attempts)
            return False
        await asyncio.sleep(self._retry_backoff * attempts)
        return True

    async def _wait_out_conflict(self, record: ConsumerRecord[Any, Any], failure: Exception) -> None:
        log.info("transaction conflict; retrying", topic=record.topic, offset=record.offset, error=repr(failure))
        await asyncio.sleep(self._retry_backoff)

    async def _wait_out_outage(self, record: ConsumerRecord[Any, Any], failure: Exception, backoff: float) -> float:
        """Wait for the database, however long, unless stopping (then the record stays uncommitted); return the
        next wait."""
        if self._stopping.is_set():
            raise Abandoned() from failure
        log.warning("database unavailable; retrying", topic=record.topic, error=repr(failure))
        await asyncio.sleep(backoff)
        return min(backoff * 2, 5.0)
