"""The consumer runner: applies a topic's events to PostgreSQL exactly once, on top of at-least-once Kafka.

For each record the handler's effect and the processed-event record are written in one PostgreSQL
transaction; the offset is committed only after that transaction, so a crash between the two redelivers the
record and the processed-event record turns the redelivery into a no-op. The records a poll brings of one
partition are applied in one transaction together, their processed-event records written in one statement
(under load a poll brings many, and a commit and a round trip each were most of a consumer's cost); if any of
them fails, the transaction is rolled back and the records are applied one by one, each in its own. A record
whose handling fails `max_attempts` times goes to `<topic>.dlq` with the error in its headers, is recorded as
dead-lettered, and the runner moves on. Auto-commit is off (it commits on a timer, possibly before the effect
is durable).

A subscription may name the events it acts on (`wants`); the others pass by without a transaction, since
there is nothing to apply and so nothing to record.

Each handler runs inside a `process <topic>` span whose parent is the producer's context from the record's
headers (the aiokafka instrumentation's receive span ends before the handler runs). A handler `InBatches`
runs once for a transaction's events, in one span linked to each of their producers' spans.
"""

from __future__ import annotations

import asyncio
import contextlib
import traceback
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.abc import ConsumerRebalanceListener
from aiokafka.errors import CommitFailedError
from opentelemetry import propagate, trace
from opentelemetry.context import Context
from opentelemetry.trace import Link, SpanKind, Status, StatusCode

from backan_shared.envelope import CloudEvent, EnvelopeError, from_kafka
from backan_shared.logs import get_logger

log = get_logger(__name__)
_tracer = trace.get_tracer(__name__)

Handler = Callable[[asyncpg.Connection, CloudEvent], Awaitable[None]]
BatchHandler = Callable[[asyncpg.Connection, Sequence[CloudEvent]], Awaitable[None]]


@dataclass(frozen=True)
class InBatches:
    """A handler given every new event of a transaction at once, in order (a single one when records are
    applied one by one), for work worth doing once per batch rather than once per event, such as a recount."""

    handle: BatchHandler


_TRACE_HEADERS = ("traceparent", "tracestate")


def _producer_context(record: ConsumerRecord[Any, Any]) -> Context:
    """The trace context the record was published in, read as the aiokafka instrumentation reads it: the first
    value of each header counts (a dict built from all of them would let a later duplicate win), and a header
    without a value is ignored rather than failing the record."""
    carrier: dict[str, str] = {}
    for key, value in record.headers or ():
        if key in _TRACE_HEADERS and value is not None:
            carrier.setdefault(key, value.decode(errors="replace"))
    return propagate.extract(carrier)


@dataclass(frozen=True)
class Subscription:
    """What one consumer group reads and what it does with each event."""

    group_id: str
    topics: tuple[str, ...]
    handler: Handler | InBatches
    max_attempts: int = 3
    wants: Callable[[CloudEvent], bool] | None = None
    """Whether the handler acts on an event at all (None: on every event)."""


class _BatchFailed(Exception):
    """Applying a batch together failed at the record at `position` (or, past the last, at its commit)."""

    def __init__(self, position: int, failure: Exception):
        super().__init__(position, failure)
        self.position, self.failure = position, failure


class _Abandoned(Exception):
    """The runner is stopping while the database is away: leave the record for the group's next owner."""


_INFRASTRUCTURE_ERRORS = (
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError,
    ConnectionError,
    OSError,
    asyncio.TimeoutError,
)


# Two transactions taking the same locks in another order, or a serialization conflict: the transaction is tried
# again, and the record it failed at is charged no attempt.
_TRANSIENT_ERRORS = (asyncpg.DeadlockDetectedError, asyncpg.SerializationError)


def _is_infrastructure_failure(failure: BaseException) -> bool:
    return isinstance(failure, _INFRASTRUCTURE_ERRORS)


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
        bootstrap_servers: str,
        subscription: Subscription,
        *,
        max_records: int = 200,
        retry_backoff: float = 0.05,
    ):
        self._pool = pool
        self._bootstrap = bootstrap_servers
        self.subscription = subscription
        self._max_records = max_records
        self._retry_backoff = retry_backoff
        self._consumer: AIOKafkaConsumer | None = None
        self._dlq: AIOKafkaProducer | None = None
        self._done: dict[TopicPartition, int] = {}
        self._stopping = asyncio.Event()
        self.applied_total = 0
        self.dead_lettered_total = 0

    async def run(self) -> None:
        sub = self.subscription
        self._consumer = AIOKafkaConsumer(
            bootstrap_servers=self._bootstrap,
            group_id=sub.group_id,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            max_poll_interval_ms=300_000,
        )
        self._consumer.subscribe(list(sub.topics), listener=_CommitOnRevoke(self))
        self._dlq = AIOKafkaProducer(bootstrap_servers=self._bootstrap, enable_idempotence=True, acks="all")
        self._done.clear()
        await self._consumer.start()
        await self._dlq.start()
        try:
            while not self._stopping.is_set():
                batches = await self._consumer.getmany(timeout_ms=500, max_records=self._max_records)
                for partition, records in batches.items():
                    await self._handle_batch(partition, records)
                    await self.commit_done([partition])
        except _Abandoned:
            log.info("stopping with a record unhandled; the group redelivers it", group=sub.group_id)
        finally:
            with contextlib.suppress(Exception):
                await self.commit_done(list(self._done))
            await self._consumer.stop()
            await self._dlq.stop()

    async def stop(self) -> None:
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

    async def _handle_batch(self, partition: TopicPartition, records: list[ConsumerRecord[Any, Any]]) -> None:
        """Apply one partition's records in order: together in one transaction, or one by one if that fails
        (the record that failed it has had its first attempt)."""
        failed: _BatchFailed | None = None
        if len(records) > 1:
            try:
                self.applied_total += await self._apply_together(records)
            except _BatchFailed as batch_failure:
                failed = batch_failure
                log.info(
                    "a batch failed; applying its records one by one",
                    topic=partition.topic,
                    partition=partition.partition,
                    records=len(records),
                    error=repr(failed.failure),
                )
            else:
                self._done[partition] = records[-1].offset + 1
                return
        charged = failed.position if failed and not isinstance(failed.failure, _TRANSIENT_ERRORS) else None
        for position, record in enumerate(records):
            await self._handle(record, failed.failure if failed and position == charged else None)
            self._done[partition] = record.offset + 1

    async def _apply_together(self, records: list[ConsumerRecord[Any, Any]]) -> int:
        """Apply the records in one transaction: every processed-event record in one statement, then the handler
        of each event recorded for the first time; return how many were applied."""
        at, applied = 0, 0  # a failure `at` a record's position costs that record an attempt
        try:
            wanted = []
            for at, record in enumerate(records):
                event = from_kafka(list(record.headers or ()), record.value)
                if self._wanted(event):
                    wanted.append((at, record, event))
            at = len(records)  # from here on a failure before the handlers is the batch's, not a record's
            if not wanted:
                return 0
            async with self._pool.acquire() as conn, conn.transaction():
                first_time = await self._record_processed(conn, [(record, event) for _, record, event in wanted])
                new = []
                for position, record, event in wanted:
                    if event.id in first_time:  # not handled before, nor earlier in this batch
                        first_time.discard(event.id)
                        new.append((position, record, event))
                handler = self.subscription.handler
                if isinstance(handler, InBatches):
                    if new:
                        with self._processing_batch([record for _, record, _ in new]):
                            await handler.handle(conn, [event for _, _, event in new])
                else:
                    for position, record, event in new:
                        at = position
                        with self._processing(record):
                            await handler(conn, event)
                applied = len(new)
                at = len(records)
        except Exception as failure:
            raise _BatchFailed(at, failure) from failure
        return applied

    async def _record_processed(
        self, conn: asyncpg.Connection, events: list[tuple[ConsumerRecord[Any, Any], CloudEvent]]
    ) -> set[str]:
        """Record the events as processed by the group; the ids recorded now (not before)."""
        rows = await conn.fetch(
            """INSERT INTO processed_events (consumer_group, event_id, topic)
               SELECT $1, e.event_id, e.topic FROM unnest($2::text[], $3::text[]) AS e(event_id, topic)
               ON CONFLICT DO NOTHING RETURNING event_id""",
            self.subscription.group_id,
            [event.id for _, event in events],
            [record.topic for record, _ in events],
        )
        return {row["event_id"] for row in rows}

    async def _handle(self, record: ConsumerRecord[Any, Any], failed: Exception | None = None) -> None:
        """Apply one record, retrying; `failed`: how its first attempt (in a batch) already failed."""
        attempt = 0
        outage_backoff = self._retry_backoff
        while True:
            if failed is None:
                try:
                    await self._apply(record)
                    return
                except Exception as failure:
                    failed = failure
            if _is_infrastructure_failure(failed):
                # The database (not the event) is at fault: dead-lettering would lose good events, so wait
                # for it, however long, unless we are stopping (then the record stays uncommitted).
                if self._stopping.is_set():
                    raise _Abandoned() from failed
                log.warning("database unavailable; retrying", topic=record.topic, error=repr(failed))
                await asyncio.sleep(outage_backoff)
                outage_backoff = min(outage_backoff * 2, 5.0)
                failed = None
                continue
            if isinstance(failed, _TRANSIENT_ERRORS):
                # Another transaction held the same locks: the event is not at fault, so it costs no attempt.
                log.info("transaction conflict; retrying", topic=record.topic, offset=record.offset, error=repr(failed))
                await asyncio.sleep(self._retry_backoff)
                failed = None
                continue
            attempt += 1
            log.warning(
                "event handling failed", topic=record.topic, offset=record.offset, attempt=attempt, error=repr(failed)
            )
            if attempt >= self.subscription.max_attempts or isinstance(failed, EnvelopeError):
                await self._dead_letter(record, failed, attempt)
                return
            await asyncio.sleep(self._retry_backoff * attempt)
            failed = None

    async def _apply(self, record: ConsumerRecord[Any, Any]) -> None:
        """Apply one record in a transaction of its own."""
        with self._processing(record):
            event = from_kafka(list(record.headers or ()), record.value)
            if not self._wanted(event):
                return
            async with self._pool.acquire() as conn, conn.transaction():
                applied = await self._apply_event(conn, record, event)
            self.applied_total += applied

    def _wanted(self, event: CloudEvent) -> bool:
        wants = self.subscription.wants
        return wants is None or wants(event)

    async def _apply_event(self, conn: asyncpg.Connection, record: ConsumerRecord[Any, Any], event: CloudEvent) -> int:
        first_time = await conn.fetchval(
            """INSERT INTO processed_events (consumer_group, event_id, topic) VALUES ($1, $2, $3)
               ON CONFLICT DO NOTHING RETURNING true""",
            self.subscription.group_id,
            event.id,
            record.topic,
        )
        if not first_time:
            return 0
        handler = self.subscription.handler
        if isinstance(handler, InBatches):
            await handler.handle(conn, [event])
        else:
            await handler(conn, event)
        return 1

    @contextlib.contextmanager
    def _processing_batch(self, records: list[ConsumerRecord[Any, Any]]) -> Iterator[None]:
        """One `process` span for a batch handed over at once, linked to each record's producer span (a span
        has one parent; the messaging conventions link the rest)."""
        contexts = [trace.get_current_span(_producer_context(record)).get_span_context() for record in records]
        attributes = self._span_attributes(records[0])
        for per_record in (
            "messaging.destination.partition.id",
            "messaging.kafka.offset",
            "messaging.kafka.message.key",
        ):
            attributes.pop(per_record, None)
        attributes["messaging.batch.message_count"] = len(records)
        with _tracer.start_as_current_span(
            f"process {records[0].topic}",
            kind=SpanKind.CONSUMER,
            attributes=attributes,
            links=[Link(context) for context in contexts if context.is_valid],
        ):
            yield

    @contextlib.contextmanager
    def _processing(self, record: ConsumerRecord[Any, Any]) -> Iterator[None]:
        """The record's `process` span, in the trace it was published in, marked failed if its handling fails."""
        with _tracer.start_as_current_span(
            f"process {record.topic}",
            context=_producer_context(record),
            kind=SpanKind.CONSUMER,
            attributes=self._span_attributes(record),
        ) as span:
            try:
                yield
            except Exception as failure:
                span.record_exception(failure)
                span.set_status(Status(StatusCode.ERROR, str(failure)))
                raise

    def _span_attributes(self, record: ConsumerRecord[Any, Any]) -> dict[str, Any]:
        attributes: dict[str, Any] = {
            "messaging.system": "kafka",
            "messaging.operation.type": "process",
            "messaging.destination.name": record.topic,
            "messaging.consumer.group.name": self.subscription.group_id,
            "messaging.destination.partition.id": str(record.partition),
            "messaging.kafka.offset": record.offset,
        }
        if record.key is not None:
            attributes["messaging.kafka.message.key"] = record.key.decode(errors="replace")
        return attributes

    async def _dead_letter(self, record: ConsumerRecord[Any, Any], failure: Exception, attempts: int) -> None:
        """Park a record that keeps failing on `<topic>.dlq`, with why, and mark it handled."""
        assert self._dlq is not None
        # The instrumented producer adds its own traceparent on send; a copied one would make two, and readers
        # disagree on which counts (the instrumentation takes the first). Sending from the original producer's
        # context instead keeps the parked record in the trace it was published in.
        headers = [(k, v) for k, v in (record.headers or ()) if not k.startswith("dlq_") and k not in _TRACE_HEADERS]
        headers += [
            ("dlq_error", str(failure).encode()[:4000]),
            ("dlq_error_type", type(failure).__name__.encode()),
            ("dlq_stacktrace", "".join(traceback.format_exception(failure)).encode()[-8000:]),
            ("dlq_original_topic", record.topic.encode()),
            ("dlq_original_partition", str(record.partition).encode()),
            ("dlq_original_offset", str(record.offset).encode()),
            ("dlq_consumer_group", self.subscription.group_id.encode()),
            ("dlq_attempts", str(attempts).encode()),
        ]
        dlq_topic = f"{record.topic}.dlq"
        with _tracer.start_as_current_span(
            f"publish {dlq_topic}",
            context=_producer_context(record),
            kind=SpanKind.PRODUCER,
            attributes={
                "messaging.system": "kafka",
                "messaging.operation.type": "publish",
                "messaging.destination.name": dlq_topic,
            },
        ):
            await self._dlq.send_and_wait(dlq_topic, value=record.value, key=record.key, headers=headers)
        fallback_id = f"{record.topic}:{record.partition}:{record.offset}".encode()
        event_id = dict(record.headers or ()).get("ce_id", fallback_id)
        async with self._pool.acquire() as conn:
            await conn.execute(
                """INSERT INTO processed_events (consumer_group, event_id, topic, outcome)
                   VALUES ($1, $2, $3, 'dead-lettered') ON CONFLICT DO NOTHING""",
                self.subscription.group_id,
                event_id.decode(errors="replace"),
                record.topic,
            )
        self.dead_lettered_total += 1
        log.error("event dead-lettered", topic=record.topic, offset=record.offset, error=str(failure))
