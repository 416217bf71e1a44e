"""handle_command on the real PostgreSQL: decide from history, append, outbox and projection in one go."""

from collections.abc import Sequence
from dataclasses import dataclass

import asyncpg
import pytest
from pydantic import BaseModel

from backan_shared.command_handling import handle_command
from backan_shared.consistency import parse_consistency_token
from backan_shared.envelope import EventRegistry
from backan_shared.event_store import NewEvent, PostgresEventStore, RecordedEvent
from backan_shared.outbox import OutboxMessage

pytestmark = pytest.mark.infra


@dataclass(frozen=True)
class PhonesAllocated:
    phones: int


class Codec:
    def encode(self, event: PhonesAllocated) -> NewEvent:
        return NewEvent("phones-allocated", {"phones": event.phones})

    def decode(self, recorded: RecordedEvent) -> PhonesAllocated:
        return PhonesAllocated(recorded.data["phones"])


class Allocated(BaseModel):
    phones: int


REGISTRY = EventRegistry()
REGISTRY.register("vn.backan.test.phones-allocated.v1", Allocated)


def allocate(phones: int, stock: int = 10):
    def decide(past: list[PhonesAllocated]) -> list[PhonesAllocated]:
        if sum(e.phones for e in past) + phones > stock:
            raise ValueError("not enough phones in stock")
        return [PhonesAllocated(phones)]

    return decide


def publish(events: Sequence[PhonesAllocated]) -> list[OutboxMessage]:
    return [
        OutboxMessage(
            "t.events.v1",
            "c-1",
            REGISTRY.create(
                Allocated(phones=e.phones), event_type="vn.backan.test.phones-allocated.v1", source="campaign-ledger"
            ),
        )
        for e in events
    ]


async def project(conn: asyncpg.Connection, events: Sequence[PhonesAllocated]) -> None:
    await conn.execute("CREATE TABLE IF NOT EXISTS allocated (phones int)")
    await conn.executemany("INSERT INTO allocated VALUES ($1)", [(e.phones,) for e in events])


async def test_a_command_appends_publishes_and_projects_together(pool: asyncpg.Pool) -> None:
    store = PostgresEventStore(pool)
    kwargs = dict(stream_id="c-1", stream_type="campaign", codec=Codec(), publish=publish, project=project)
    first = await handle_command(store, pool, decide=allocate(4), **kwargs)
    second = await handle_command(store, pool, decide=allocate(6), **kwargs)
    assert (first.version, second.version) == (1, 2)
    assert parse_consistency_token(second.consistency_token or "")[0] == "campaign-ledger"
    with pytest.raises(ValueError, match="not enough phones"):
        await handle_command(store, pool, decide=allocate(1), **kwargs)
    async with pool.acquire() as conn:
        assert await conn.fetchval("SELECT sum(phones) FROM allocated") == 10
        assert await conn.fetchval("SELECT count(*) FROM outbox") == 2


async def test_a_projection_failure_writes_no_event_and_no_outbox_row(pool: asyncpg.Pool) -> None:
    async def broken(conn: asyncpg.Connection, events: Sequence[PhonesAllocated]) -> None:
        raise RuntimeError("read model unavailable")

    with pytest.raises(RuntimeError):
        await handle_command(
            PostgresEventStore(pool),
            pool,
            stream_id="c-2",
            stream_type="campaign",
            codec=Codec(),
            decide=allocate(1),
            publish=publish,
            project=broken,
        )
    async with pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM events") == 0
        assert await conn.fetchval("SELECT count(*) FROM outbox") == 0
