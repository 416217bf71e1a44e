"""The consumer runner's loop: poll, apply each partition's records, commit the offsets past what is durable.

Auto-commit is off (it commits on a timer, possibly before the effect is durable): the runner commits a
partition's offsets after the transaction that applied its records, so a crash between the two redelivers the
records, and their processed-event records turn the redelivery into a no-op.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import asyncpg
from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.abc import ConsumerRebalanceListener
from aiokafka.errors import CommitFailedError

from backan_shared.consumer.applying import Applier
from backan_shared.consumer.dead_letters import DeadLetters
from backan_shared.consumer.failures import Abandoned, costs_an_attempt
from backan_shared.consumer.subscription import Subscription
from backan_shared.kafka_clients import KafkaCluster, client_options
from backan_shared.logs import get_logger

log = get_logger(__name__)


class _CommitOnRevoke(ConsumerRebalanceListener):  # type: ignore[misc]
    def __init__(self, runner: ConsumerRunner):
        self._runner = runner

    async def on_partitions_revoked(self, revoked: list[TopicPartition]) -> None:
        await self._runner.commit_done(revoked)

    async def on_partitions_assigned(self, assigned: list[TopicPartition]) -> None:
        return None


class ConsumerRunner:
    """Runs one `Subscription` until stopped."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        cluster: KafkaCluster,
        subscription: Subscription,
        *,
        max_records: int = 200,
        retry_backoff: float = 0.05,
    ):
        self._cluster = cluster
        self.subscription = subscription
        self._max_records = max_records
        self._consumer: AIOKafkaConsumer | None = None
        self._done: dict[TopicPartition, int] = {}
        self._stopping = asyncio.Event()
        self._dead_letters = DeadLetters(pool, cluster, subscription.group_id)
        self._applier = Applier(
            pool, subscription, self._dead_letters, retry_backoff=retry_backoff, stopping=self._stopping
        )

    @property
    def applied_total(self) -> int:
        """How many events this runner applied (a redelivered one is not applied again)."""
        return self._applier.applied_total

    @property
    def dead_lettered_total(self) -> int:
        """How many records this runner parked on a dead-letter topic."""
        return self._dead_letters.parked_total

    async def run(self) -> None:
        """Consume until stopped; on the way out, commit what was done."""
        sub = self.subscription
        self._consumer = AIOKafkaConsumer(
            **client_options(self._cluster),
            group_id=sub.group_id,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            max_poll_interval_ms=300_000,
        )
        self._consumer.subscribe(list(sub.topics), listener=_CommitOnRevoke(self))
        self._done.clear()
        await self._consumer.start()
        await self._dead_letters.start()
        try:
            await self._poll_until_stopped(self._consumer)
        except Abandoned:
            log.info("stopping with a record unhandled; the group redelivers it", group=sub.group_id)
        finally:
            with contextlib.suppress(Exception):
                await self.commit_done(list(self._done))
            await self._consumer.stop()
            await self._dead_letters.stop()

    async def _poll_until_stopped(self, consumer: AIOKafkaConsumer) -> None:
        while not self._stopping.is_set():
            batches = await consumer.getmany(timeout_ms=500, max_records=self._max_records)
            for partition, records in batches.items():
                await self._apply_partition(partition, records)
                await self.commit_done([partition])

    async def stop(self) -> None:
        """Ask the runner to stop after the records in hand."""
        self._stopping.set()

    async def run_supervised(self, max_backoff: float = 10.0) -> None:
        """Run until stopped, starting again (with backoff) if the runner fails, so a consumer never stays dead."""
        backoff = 0.5
        while not self._stopping.is_set():
            try:
                await self.run()
                backoff = 0.5
            except Exception as failure:
                log.error("consumer runner failed; restarting", group=self.subscription.group_id, error=repr(failure))
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), timeout=backoff)
                backoff = min(backoff * 2, max_backoff)

    async def commit_done(self, partitions: list[TopicPartition]) -> None:
        """Commit the offsets past every record whose effect is durable, for these partitions."""
        offsets = {tp: self._done.pop(tp) for tp in partitions if tp in self._done}
        if not offsets or self._consumer is None:
            return
        # A rebalance runs beside this loop, so a partition can be revoked while we still handle its batch. It
        # now belongs to another member, which resumes from the last commit: the records we handled since then
        # reach it again and are no-ops (processed_events). Committing them would raise IllegalStateError or
        # CommitFailedError and kill the runner, so we drop those offsets and keep consuming.
        owned = self._consumer.assignment()
        offsets = {tp: offset for tp, offset in offsets.items() if tp in owned}
        if not offsets:
            return
        try:
            await self._consumer.commit(offsets)
        except CommitFailedError as failure:
            log.warning("offset commit lost to a rebalance; the new owner redelivers", error=repr(failure))

    async def _apply_partition(self, partition: TopicPartition, records: list[ConsumerRecord[Any, Any]]) -> None:
        """Apply one partition's records in order: together in one transaction, or one by one if that fails.

        The records stay in hand, so none is polled again (the consumer's position is past them already); the
        offset moves past each as its effect becomes durable.
        """
        charge_pending = False
        if len(records) > 1:
            failure = await self._applier.apply_together(records)
            if failure is None:
                self._done[partition] = records[-1].offset + 1
                return
            charge_pending = costs_an_attempt(failure)
        for record in records:
            charge_pending = await self._applier.apply_alone(record, charge_pending)
            self._done[partition] = record.offset + 1
