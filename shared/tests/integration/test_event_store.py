"""The event store's contract, on the real PostgreSQL."""

import asyncio

import asyncpg
import pytest

from backan_shared.event_store import ConcurrencyError, NewEvent, PostgresEventStore, Snapshot

pytestmark = pytest.mark.infra


def registered(n: int) -> list[NewEvent]:
    return [NewEvent("household-registered", {"n": i}) for i in range(n)]


async def test_a_stream_loads_in_the_order_it_was_appended(pool: asyncpg.Pool) -> None:
    store = PostgresEventStore(pool)
    assert await store.append("household-1", "household", 0, registered(2)) == 2
    assert await store.append("household-1", "household", 2, registered(1)) == 3
    loaded = await store.load("household-1")
    assert [e.version for e in loaded] == [1, 2, 3]
    assert [e.data["n"] for e in loaded] == [0, 1, 0]
    assert [e.version for e in await store.load("household-1", after_version=2)] == [3]


async def test_an_expected_version_conflict_is_refused_and_writes_nothing(pool: asyncpg.Pool) -> None:
    store = PostgresEventStore(pool)
    await store.append("campaign-1", "campaign", 0, registered(1))
    with pytest.raises(ConcurrencyError) as refused:
        await store.append("campaign-1", "campaign", 0, registered(3))
    assert refused.value.actual == 1
    assert await store.stream_version("campaign-1") == 1
    async with pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM events") == 1


async def test_concurrent_writers_at_the_same_version_one_wins_the_rest_are_refused(pool: asyncpg.Pool) -> None:
    store = PostgresEventStore(pool)
    results = await asyncio.gather(
        *(store.append("assessment-1", "assessment", 0, registered(2)) for _ in range(8)), return_exceptions=True
    )
    assert sum(1 for r in results if r == 2) == 1
    assert all(isinstance(r, ConcurrencyError) for r in results if r != 2)
    assert len(await store.load("assessment-1")) == 2


async def test_a_conflict_inside_a_caller_transaction_leaves_that_transaction_usable(pool: asyncpg.Pool) -> None:
    store = PostgresEventStore(pool)
    await store.append("s", "t", 0, registered(1))
    async with pool.acquire() as conn, conn.transaction():
        with pytest.raises(ConcurrencyError):
            await store.append("s", "t", 0, registered(1), connection=conn)
        await store.append("other", "t", 0, registered(1), connection=conn)
    assert await store.stream_version("other") == 1


async def test_a_snapshot_keeps_the_newest_state_only(pool: asyncpg.Pool) -> None:
    store = PostgresEventStore(pool)
    await store.save_snapshot(Snapshot("s", 5, {"poor": True}))
    await store.save_snapshot(Snapshot("s", 3, {"poor": False}))
    assert await store.load_snapshot("s") == Snapshot("s", 5, {"poor": True})
    await store.delete_snapshot("s")
    assert await store.load_snapshot("s") is None


async def test_a_reader_does_not_see_an_event_until_every_earlier_transaction_has_finished(pool: asyncpg.Pool) -> None:
    store = PostgresEventStore(pool)
    slow = await pool.acquire()
    slow_tx = slow.transaction()
    await slow_tx.start()
    await store.append("slow", "t", 0, registered(1), connection=slow)  # draws the lower position
    await store.append("fast", "t", 0, registered(1))  # commits first
    assert await store.read_all() == []  # the fast event waits behind the open slow transaction
    await slow_tx.commit()
    await pool.release(slow)
    assert [e.stream_id for e in await store.read_all()] == ["slow", "fast"]
