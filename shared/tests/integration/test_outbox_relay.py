"""The outbox relay on the real PostgreSQL and Kafka: it survives Kafka being away, marks a row published only
after the broker acknowledged it, wakes on NOTIFY, and publishes each row once even with two replicas."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time
import warnings
from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest
from aiokafka import AIOKafkaProducer, ConsumerRecord
from aiokafka.errors import KafkaTimeoutError

from backan_shared.envelope import CloudEvent, header
from backan_shared.outbox import OutboxMessage, OutboxRelay, ProducerFactory, idempotent_producer_factory, write_outbox

pytestmark = pytest.mark.infra

TYPE = "vn.backan.test.thing-happened.v1"
UNREACHABLE_KAFKA = "127.0.0.1:1"  # nothing listens there: every connection is refused at once


class Outbox:
    """Writes numbered events for a few aggregates to the outbox and reads back what is marked published."""

    def __init__(self, pool: asyncpg.Pool, topic: str):
        self._pool = pool
        self._topic = topic
        self.written: list[CloudEvent] = []

    async def write(self, count: int, keys: int = 3) -> None:
        """`count` events, one transaction each, spread over `keys` aggregates (the event's data says which)."""
        for _ in range(count):
            n = len(self.written)
            event = CloudEvent(source="urn:test", type=TYPE, data={"n": n, "key": f"thing-{n % keys}"})
            async with self._pool.acquire() as conn, conn.transaction():
                await write_outbox(conn, [OutboxMessage(self._topic, event.data["key"], event)])
            self.written.append(event)

    async def published_ids(self) -> list[str]:
        async with self._pool.acquire() as conn:
            rows = await conn.fetch("SELECT event_id FROM outbox WHERE published_at IS NOT NULL ORDER BY id")
        return [str(r["event_id"]) for r in rows]

    async def unpublished(self) -> int:
        async with self._pool.acquire() as conn:
            return int(await conn.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL"))


def ids_by_key(records: list[ConsumerRecord[bytes, bytes]]) -> dict[str, list[str]]:
    """Each key's event ids in the order Kafka holds them (one partition per key, so offset order)."""
    by_key: dict[str, list[str]] = defaultdict(list)
    for record in records:
        by_key[record.key.decode()].append(header(record.headers, "ce_id") or "")
    return dict(by_key)


def expected_by_key(events: list[CloudEvent]) -> dict[str, list[str]]:
    by_key: dict[str, list[str]] = defaultdict(list)
    for event in events:
        by_key[event.data["key"]].append(event.id)
    return dict(by_key)


@contextlib.asynccontextmanager
async def relaying(relay: OutboxRelay) -> AsyncIterator[asyncio.Task[None]]:
    task = asyncio.create_task(relay.run())
    try:
        yield task
    finally:
        await relay.stop()
        async with asyncio.timeout(15):
            await task


class KafkaAwayAtFirst:
    """A producer factory that cannot reach Kafka for its first `outages` calls, then can. On each failed call
    it notes how many outbox rows were already marked published (there must be none)."""

    def __init__(self, outbox: Outbox, bootstrap: str, outages: int):
        self.attempts: list[float] = []
        self.published_while_away: list[int] = []
        self._outbox = outbox
        self._outages = outages
        self._away = idempotent_producer_factory(UNREACHABLE_KAFKA)
        self._back = idempotent_producer_factory(bootstrap)

    async def __call__(self) -> AIOKafkaProducer:
        self.attempts.append(time.monotonic())
        if len(self.attempts) > self._outages:
            return await self._back()
        self.published_while_away.append(len(await self._outbox.published_ids()))
        return await self._away()


async def test_the_relay_backs_off_while_kafka_is_unreachable_and_then_publishes_every_row_once_in_order(
    pool: asyncpg.Pool,
    database_url: str,
    kafka_bootstrap: str,
    new_topic: Any,
    eventually: Any,
    read_topic: Any,
) -> None:
    topic = await new_topic()
    outbox = Outbox(pool, topic)
    kafka = KafkaAwayAtFirst(outbox, kafka_bootstrap, outages=4)
    relay = OutboxRelay(pool, database_url, kafka, poll_interval=0.2, max_backoff=2.0)
    await outbox.write(10)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        async with relaying(relay):
            await eventually(lambda: len(kafka.attempts), lambda attempts: attempts >= 2)
            await outbox.write(10)  # written while Kafka is away
            await eventually(outbox.unpublished, lambda left: left == 0)
        gc.collect()

    assert len(kafka.attempts) == 5, "one producer once Kafka is back"
    assert kafka.published_while_away == [0, 0, 0, 0], "nothing is marked published before Kafka acknowledged it"
    gaps = [later - earlier for earlier, later in zip(kafka.attempts, kafka.attempts[1:], strict=False)]
    assert all(gap >= 0.09 * 2**i for i, gap in enumerate(gaps)), f"the relay backs off exponentially: {gaps}"
    records = await read_topic(topic)
    assert ids_by_key(records) == expected_by_key(outbox.written), "every row once, in order per key"
    assert await outbox.published_ids() == [e.id for e in outbox.written]
    assert relay.published_total == 20
    unclosed = [str(w.message) for w in caught if "Unclosed AIOKafkaProducer" in str(w.message)]
    assert unclosed == [], "a producer that failed to start must be closed, not leaked"


class HeldAcknowledgements(AIOKafkaProducer):  # type: ignore[misc]
    """A real producer whose acknowledgements reach the relay only when the test lets them through, and whose
    `failing_ack`-th acknowledgement (counting from 1) reports a failure although the broker has the record."""

    def __init__(self, gate: asyncio.Event, failing_ack: int | None = None, **config: Any):
        super().__init__(**config)
        self.sent = 0
        self._gate = gate
        self._failing_ack = failing_ack

    async def send(self, *args: Any, **kwargs: Any) -> asyncio.Future[Any]:
        delivery = await super().send(*args, **kwargs)
        self.sent += 1
        fails = self.sent == self._failing_ack

        async def acknowledgement() -> Any:
            metadata = await delivery
            await self._gate.wait()
            if fails:
                raise KafkaTimeoutError("acknowledgement lost")
            return metadata

        return asyncio.ensure_future(acknowledgement())


def held_producers(
    bootstrap: str, gates: list[asyncio.Event], failing_ack: int | None = None
) -> tuple[ProducerFactory, list[HeldAcknowledgements]]:
    """A factory whose n-th producer is held by `gates[n]`; the first one fails its `failing_ack`-th ack."""
    made: list[HeldAcknowledgements] = []

    async def make() -> AIOKafkaProducer:
        gate = gates[len(made)]
        producer = HeldAcknowledgements(
            gate, failing_ack if not made else None, bootstrap_servers=bootstrap, enable_idempotence=True, acks="all"
        )
        made.append(producer)
        await producer.start()
        return producer

    return make, made


async def test_a_row_is_marked_published_only_after_kafka_acknowledged_it(
    pool: asyncpg.Pool,
    database_url: str,
    kafka_bootstrap: str,
    new_topic: Any,
    eventually: Any,
    end_offsets: Any,
) -> None:
    topic = await new_topic()
    outbox = Outbox(pool, topic)
    gate = asyncio.Event()
    factory, made = held_producers(kafka_bootstrap, [gate])
    relay = OutboxRelay(pool, database_url, factory, poll_interval=0.2)
    await outbox.write(5)

    async with relaying(relay):
        await eventually(lambda: made and made[0].sent, lambda sent: sent == 5)
        await eventually(lambda: end_offsets(topic), lambda ends: sum(ends.values()) == 5)  # the broker has them
        assert await outbox.published_ids() == [], "sent is not acknowledged: nothing may be marked yet"
        gate.set()
        await eventually(outbox.unpublished, lambda left: left == 0)

    assert await outbox.published_ids() == [e.id for e in outbox.written]


async def test_an_unacknowledged_row_and_every_row_after_it_are_sent_again_and_only_the_prefix_is_marked(
    pool: asyncpg.Pool,
    database_url: str,
    kafka_bootstrap: str,
    new_topic: Any,
    eventually: Any,
    read_topic: Any,
) -> None:
    topic = await new_topic()
    outbox = Outbox(pool, topic)
    first_gate, second_gate = asyncio.Event(), asyncio.Event()
    factory, made = held_producers(kafka_bootstrap, [first_gate, second_gate], failing_ack=3)
    relay = OutboxRelay(pool, database_url, factory, poll_interval=0.2)
    await outbox.write(5, keys=1)
    ids = [e.id for e in outbox.written]

    async with relaying(relay):
        await eventually(lambda: made and made[0].sent, lambda sent: sent == 5)
        first_gate.set()
        await eventually(lambda: len(made) == 2 and made[1].sent, lambda sent: sent == 3)
        assert await outbox.published_ids() == ids[:2], "the acknowledged prefix only"
        second_gate.set()
        await eventually(outbox.unpublished, lambda left: left == 0)

    assert await outbox.published_ids() == ids
    resent = ids_by_key(await read_topic(topic))["thing-0"]
    assert resent == ids + ids[2:], "a duplicate is allowed, a loss or reordering is not"


async def test_the_relay_wakes_on_notify_long_before_its_poll_interval(
    pool: asyncpg.Pool,
    database_url: str,
    kafka_bootstrap: str,
    new_topic: Any,
    eventually: Any,
) -> None:
    topic = await new_topic()
    outbox = Outbox(pool, topic)
    relay = OutboxRelay(pool, database_url, idempotent_producer_factory(kafka_bootstrap), poll_interval=30.0)

    async with relaying(relay):
        for written in range(1, 4):  # after the first, the relay is idle in a 30 s wait each time
            await outbox.write(1)
            await eventually(outbox.published_ids, lambda ids, n=written: len(ids) == n, within=5.0)


async def test_only_one_of_two_relays_publishes_and_the_other_takes_over_when_it_stops(
    pool: asyncpg.Pool,
    database_url: str,
    kafka_bootstrap: str,
    new_topic: Any,
    eventually: Any,
    read_topic: Any,
) -> None:
    topic = await new_topic()
    outbox = Outbox(pool, topic)
    relays = [
        OutboxRelay(pool, database_url, idempotent_producer_factory(kafka_bootstrap), poll_interval=0.2, batch_size=7)
        for _ in range(2)
    ]

    async with relaying(relays[0]) as first_task, relaying(relays[1]) as second_task:
        await outbox.write(30)
        await eventually(outbox.unpublished, lambda left: left == 0)
        assert sorted(r.published_total for r in relays) == [0, 30], "one leader, one standby"
        leader, task = (relays[0], first_task) if relays[0].published_total else (relays[1], second_task)
        await leader.stop()
        await task
        await outbox.write(10)
        await eventually(lambda: sum(r.published_total for r in relays), lambda total: total == 40)
        await eventually(outbox.unpublished, lambda left: left == 0)

    assert leader.published_total == 30
    assert ids_by_key(await read_topic(topic)) == expected_by_key(outbox.written), "each row exactly once"


async def test_a_producer_made_again_after_a_failure_keeps_the_options_the_factory_was_given(
    kafka_bootstrap: str,
) -> None:
    factory = idempotent_producer_factory(kafka_bootstrap, request_timeout_ms=4321)
    timeouts = []
    for _ in range(2):
        producer = await factory()
        timeouts.append(producer.client._request_timeout_ms)
        await producer.stop()
    assert timeouts == [4321, 4321]


async def relay_lock_holders(pool: asyncpg.Pool) -> list[int]:
    """The sessions holding an advisory lock in this test's database (only the relay lock is taken there)."""
    async with pool.acquire() as conn:
        rows = await conn.fetch(
            """SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted
                 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"""
        )
    return [r["pid"] for r in rows]


async def test_a_relay_whose_database_session_ends_wins_the_relay_lock_again_before_it_publishes_more(
    pool: asyncpg.Pool,
    database_url: str,
    kafka_bootstrap: str,
    new_topic: Any,
    eventually: Any,
    read_topic: Any,
) -> None:
    topic = await new_topic()
    outbox = Outbox(pool, topic)
    relay = OutboxRelay(pool, database_url, idempotent_producer_factory(kafka_bootstrap), poll_interval=0.2)
    standby = OutboxRelay(pool, database_url, idempotent_producer_factory(kafka_bootstrap), poll_interval=0.2)

    async with relaying(relay):
        await outbox.write(5)
        await eventually(outbox.unpublished, lambda left: left == 0)
        [lost] = await relay_lock_holders(pool)
        async with pool.acquire() as conn:  # a database restart or failover, seen from one session
            assert await conn.fetchval("SELECT pg_terminate_backend($1)", lost)
        [holder] = await eventually(lambda: relay_lock_holders(pool), lambda pids: pids and pids != [lost])
        await outbox.write(5)
        await eventually(outbox.unpublished, lambda left: left == 0)
        assert await relay_lock_holders(pool) == [holder], "whoever publishes holds the lock"
        async with relaying(standby):
            await outbox.write(5)
            await eventually(outbox.unpublished, lambda left: left == 0)

    assert standby.published_total == 0, "the lock kept the standby out"
    assert ids_by_key(await read_topic(topic)) == expected_by_key(outbox.written)
