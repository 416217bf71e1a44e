"""16 writers whose transactions commit in scrambled order: the reader following the global position and
the outbox relay each deliver every event exactly once (the sequence-gap problem, DESIGN.md §9)."""

import asyncio
import random
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable

import asyncpg
import pytest
from aiokafka import AIOKafkaConsumer
from pydantic import BaseModel

from backan_shared.envelope import EventRegistry, header
from backan_shared.event_store import GlobalPosition, NewEvent, PostgresEventStore
from backan_shared.outbox import OutboxMessage, OutboxRelay, idempotent_producer_factory

pytestmark = pytest.mark.infra

WRITERS = 16
ROUNDS = 1300  # 16 × 1300 = 20,800 events
TYPE = "vn.backan.test.counted.v1"


class Counted(BaseModel):
    writer: int
    version: int


async def write_scrambled_rounds(
    store: PostgresEventStore, pool: asyncpg.Pool, topic: str, events: EventRegistry, rng: random.Random
) -> list[int]:
    """Each round: every writer opens a transaction and appends (positions drawn in writer order), then the
    transactions commit in a shuffled order. Returns the global positions in the order they committed."""
    commit_order: list[int] = []
    connections = [await pool.acquire() for _ in range(WRITERS)]
    try:
        for round_number in range(1, ROUNDS + 1):
            transactions = []
            for writer, conn in enumerate(connections):
                tx = conn.transaction()
                await tx.start()
                payload = Counted(writer=writer, version=round_number)
                message = OutboxMessage(
                    topic, f"writer-{writer}", events.create(payload, event_type=TYPE, source="test")
                )
                await store.append(
                    f"writer-{writer}",
                    "writer",
                    round_number - 1,
                    [NewEvent("counted", payload.model_dump())],
                    outbox=[message],
                    connection=conn,
                )
                position = await conn.fetchval(
                    "SELECT max(global_position) FROM events WHERE stream_id = $1", f"writer-{writer}"
                )
                transactions.append((position, tx))
            rng.shuffle(transactions)
            for position, tx in transactions:
                await tx.commit()
                commit_order.append(position)
    finally:
        for conn in connections:
            await pool.release(conn)
    return commit_order


async def follow_global_order(store: PostgresEventStore, expected: int, done: asyncio.Event) -> Counter[str]:
    seen: Counter[str] = Counter()
    after = GlobalPosition()
    while sum(seen.values()) < expected:
        batch = await store.read_all(after, limit=2000)
        if not batch:
            if done.is_set() and not await store.read_all(after, limit=1):
                break
            await asyncio.sleep(0.01)  # polling interval of a follower, not synchronisation
            continue
        for event in batch:
            seen[str(event.event_id)] += 1
        after = batch[-1].global_position
    return seen


async def consume_topic(bootstrap: str, topic: str, expected: int) -> list[tuple[str, str, int]]:
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", enable_auto_commit=False, group_id=None
    )
    await consumer.start()
    received: list[tuple[str, str, int]] = []
    try:
        async with asyncio.timeout(240):
            while len(received) < expected:
                batches = await consumer.getmany(timeout_ms=1000, max_records=5000)
                for records in batches.values():
                    for record in records:
                        data = Counted.model_validate_json(record.value)
                        received.append((header(record.headers, "ce_id") or "", record.key.decode(), data.version))
    finally:
        await consumer.stop()
    return received


async def test_scrambled_commits_are_each_seen_once_by_the_reader_and_the_relay(
    pool: asyncpg.Pool, database_url: str, kafka_bootstrap: str, new_topic: Callable[..., Awaitable[str]]
) -> None:
    topic = await new_topic()
    events = EventRegistry()
    events.register(TYPE, Counted)
    store = PostgresEventStore(pool)
    relay = OutboxRelay(pool, database_url, idempotent_producer_factory(kafka_bootstrap), batch_size=1000)
    relay_task = asyncio.create_task(relay.run())
    total = WRITERS * ROUNDS
    writing_done = asyncio.Event()
    reader = asyncio.create_task(follow_global_order(store, total, writing_done))
    consumer = asyncio.create_task(consume_topic(kafka_bootstrap, topic, total))

    commit_order = await write_scrambled_rounds(store, pool, topic, events, random.Random(20_000))
    writing_done.set()
    seen = await reader
    received = await consumer
    await relay.stop()
    await relay_task

    assert commit_order != sorted(commit_order), "the commits were meant to be out of position order"
    assert len(seen) == total and set(seen.values()) == {1}
    ids = Counter(event_id for event_id, _, _ in received)
    assert len(ids) == total and set(ids.values()) == {1}
    versions_by_key: dict[str, list[int]] = defaultdict(list)
    for _, key, version in received:
        versions_by_key[key].append(version)
    assert all(v == sorted(v) for v in versions_by_key.values()), "one aggregate's events must stay in order"
    async with pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0
