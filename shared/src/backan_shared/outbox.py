"""The transactional outbox and its relay to Kafka.

A service writes integration events to the `outbox` table in the same transaction as its domain events, so
an event is published if and only if the change it describes committed. The relay reads unpublished rows in
id order and publishes them with an idempotent producer (acks=all), keyed by aggregate id so one
aggregate's events keep their order on one partition. It marks a row published only after Kafka acknowledged
it, and only in an unbroken prefix: if a send fails, that row and every row after it are sent again (a
duplicate is possible, a loss or a reordering of what is marked is not; consumers are idempotent by event
id). One replica relays at a time (`LeaderLoop`): woken by LISTEN/NOTIFY, polling as a fallback, backing off
while Kafka is down.

Trace context: the request's `traceparent` is captured into the row when it is written; the relay makes it
the parent of its `publish <topic>` span, so the consumer's span joins the request's trace.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError
from opentelemetry import context as otel_context
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind

from backan_shared.envelope import CloudEvent, to_kafka
from backan_shared.kafka_clients import KafkaCluster, client_options
from backan_shared.leadership import LeaderLoop
from backan_shared.logs import get_logger

log = get_logger(__name__)
_tracer = trace.get_tracer(__name__)
_RELAY_LOCK_KEY = 7_301_946_513


@dataclass(frozen=True)
class OutboxMessage:
    """An integration event bound for a topic, keyed by its aggregate id."""

    topic: str
    key: str
    event: CloudEvent


async def write_outbox(conn: asyncpg.Connection, messages: Sequence[OutboxMessage]) -> None:
    """Add messages to the outbox inside the caller's transaction, with the current trace context."""
    if not messages:
        return
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    rows = []
    for message in messages:
        headers, payload = to_kafka(message.event)
        rows.append(
            (
                message.event.id,
                message.topic,
                message.key,
                [[k, v.decode()] for k, v in headers],
                payload,
                carrier.get("traceparent"),
                carrier.get("tracestate"),
            )
        )
    await conn.executemany(
        """INSERT INTO outbox (event_id, topic, message_key, headers, payload, traceparent, tracestate)
           VALUES ($1::uuid, $2, $3, $4, $5, $6, $7)""",
        rows,
    )


ProducerFactory = Callable[[], Awaitable[AIOKafkaProducer]]


def idempotent_producer_factory(cluster: KafkaCluster, **overrides: Any) -> ProducerFactory:
    """A factory of started idempotent producers (acks=all); the relay makes a new one after a fatal error."""

    # Defaults merged once, never popped from `overrides`: the factory is called again after every failure, and
    # each producer it makes must get the same options as the first.
    options: dict[str, Any] = {"linger_ms": 5, "request_timeout_ms": 15000, **overrides}

    async def make() -> AIOKafkaProducer:
        producer = AIOKafkaProducer(**client_options(cluster), enable_idempotence=True, acks="all", **options)
        try:
            await producer.start()
        except BaseException:
            # While Kafka is away every attempt fails here; an unstopped producer leaks its client each time.
            await producer.stop()
            raise
        return producer

    return make


class OutboxRelay:
    """Publishes the outbox to Kafka in order, forever, surviving Kafka outages and producer failures."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        database_url: str,
        producer_factory: ProducerFactory,
        *,
        batch_size: int = 500,
        poll_interval: float = 1.0,
        max_backoff: float = 5.0,
    ):
        self._pool = pool
        self._producer_factory = producer_factory
        self._producer: AIOKafkaProducer | None = None
        self._batch_size = batch_size
        self._leader = LeaderLoop(
            database_url,
            name="outbox relay",
            lock_key=_RELAY_LOCK_KEY,
            channel="outbox",
            step=self._relay_batch,
            on_failure=self._discard_producer,
            poll_interval=poll_interval,
            max_backoff=max_backoff,
        )
        self.published_total = 0

    async def run(self) -> None:
        """Relay until `stop()`: lead while the relay lock is ours, draining on every notification or poll tick."""
        try:
            await self._leader.run()
        finally:
            await self._discard_producer()

    async def stop(self) -> None:
        await self._leader.stop()

    async def _relay_batch(self) -> bool:
        return await self.drain() >= self._batch_size

    async def _discard_producer(self) -> None:
        producer, self._producer = self._producer, None
        if producer is not None:
            with contextlib.suppress(Exception):
                await producer.stop()

    async def drain(self) -> int:
        """Publish one batch of unpublished rows; return how many were published."""
        async with self._pool.acquire() as conn:
            rows = await conn.fetch(
                """SELECT id, topic, message_key, headers, payload, traceparent, tracestate
                   FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1""",
                self._batch_size,
            )
        if not rows:
            return 0
        if self._producer is None:
            self._producer = await self._producer_factory()
        confirmed = await self._publish(self._producer, rows)
        if confirmed:
            async with self._pool.acquire() as conn:
                await conn.execute("UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])", confirmed)
            self.published_total += len(confirmed)
        if len(confirmed) < len(rows):
            raise KafkaError(f"published {len(confirmed)} of {len(rows)} outbox rows; retrying the rest")
        return len(rows)

    async def _publish(self, producer: AIOKafkaProducer, rows: list[asyncpg.Record]) -> list[int]:
        """Send every row, then collect acknowledgements in order; return the ids of the unbroken prefix."""
        pending = []
        for row in rows:
            pending.append((row["id"], await self._send(producer, row)))
        confirmed: list[int] = []
        failed = False
        for row_id, delivery in pending:
            if failed:
                delivery.cancel()
                continue
            try:
                await delivery
                confirmed.append(row_id)
            except KafkaError as failure:
                log.warning("outbox row not acknowledged", outbox_id=row_id, error=repr(failure))
                failed = True
        return confirmed

    async def _send(self, producer: AIOKafkaProducer, row: asyncpg.Record) -> asyncio.Future[Any]:
        parent = propagate.extract(
            {k: v for k, v in (("traceparent", row["traceparent"]), ("tracestate", row["tracestate"])) if v}
        )
        token = otel_context.attach(parent)
        try:
            with _tracer.start_as_current_span(
                f"publish {row['topic']}",
                kind=SpanKind.PRODUCER,
                attributes={
                    "messaging.system": "kafka",
                    "messaging.operation.type": "publish",
                    "messaging.destination.name": row["topic"],
                    "messaging.kafka.message.key": row["message_key"],
                },
            ):
                headers = [(k, v.encode()) for k, v in row["headers"]]
                future: asyncio.Future[Any] = await producer.send(
                    row["topic"], value=bytes(row["payload"]), key=row["message_key"].encode(), headers=headers
                )
                return future
        finally:
            otel_context.detach(token)
