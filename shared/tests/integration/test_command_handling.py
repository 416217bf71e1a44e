"""run_command on the real PostgreSQL: decide from history, append, outbox and projection in one go, in a
transaction of its own or inside a caller's."""

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

import asyncpg
import pytest
from pydantic import BaseModel

from backan_shared.command_handling import AggregateType, Change, CommandDependencies, replayed, run_command
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
    def decide(allocated: int | None) -> list[PhonesAllocated]:
        if (allocated or 0) + phones > stock:
            raise ValueError("not enough phones in stock")
        return [PhonesAllocated(phones)]

    return decide


def publish(_deps: CommandDependencies, change: Change[int, PhonesAllocated]) -> list[OutboxMessage]:
    return [
        OutboxMessage(
            "t.events.v1",
            "c-1",
            REGISTRY.create(
                Allocated(phones=e.phones), event_type="vn.backan.test.phones-allocated.v1", source="campaign-ledger"
            ),
        )
        for e in change.new
    ]


async def project(conn: asyncpg.Connection, _deps: CommandDependencies, change: Change[int, PhonesAllocated]) -> None:
    await conn.execute("CREATE TABLE IF NOT EXISTS allocated (phones int)")
    await conn.executemany("INSERT INTO allocated VALUES ($1)", [(e.phones,) for e in change.new])


def allocated(events: Sequence[PhonesAllocated]) -> int:
    return sum(e.phones for e in events)


def allocations(**overrides: object) -> AggregateType[int, PhonesAllocated, CommandDependencies]:
    fields: dict[str, object] = dict(
        stream_type="campaign", codec=Codec(), replay=allocated, advance=replayed(allocated), publish=publish
    )
    return AggregateType(**{**fields, "project": project, **overrides})  # type: ignore[arg-type]


def dependencies(pool: asyncpg.Pool) -> CommandDependencies:
    return CommandDependencies(store=PostgresEventStore(pool), pool=pool)


async def test_a_command_appends_publishes_and_projects_together(pool: asyncpg.Pool) -> None:
    deps, kind = dependencies(pool), allocations()
    first = await run_command(deps, kind, "c-1", allocate(4))
    second = await run_command(deps, kind, "c-1", allocate(6))
    assert (first.version, second.version) == (1, 2)
    assert parse_consistency_token(second.consistency_token or "")[0] == "campaign-ledger"
    with pytest.raises(ValueError, match="not enough phones"):
        await run_command(deps, kind, "c-1", allocate(1))
    async with pool.acquire() as conn:
        assert await conn.fetchval("SELECT sum(phones) FROM allocated") == 10
        assert await conn.fetchval("SELECT count(*) FROM outbox") == 2


async def test_a_projection_failure_writes_no_event_and_no_outbox_row(pool: asyncpg.Pool) -> None:
    async def broken(conn: asyncpg.Connection, _deps: object, change: object) -> None:
        raise RuntimeError("read model unavailable")

    with pytest.raises(RuntimeError):
        await run_command(dependencies(pool), allocations(project=broken), "c-2", allocate(1))
    async with pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM events") == 0
        assert await conn.fetchval("SELECT count(*) FROM outbox") == 0


async def test_a_command_within_a_callers_transaction_commits_or_rolls_back_with_it(pool: asyncpg.Pool) -> None:
    deps, kind = dependencies(pool), allocations()
    async with pool.acquire() as conn:
        with pytest.raises(RuntimeError, match="the caller failed"):
            async with conn.transaction():
                await run_command(deps.within(conn), kind, "c-3", allocate(2))
                raise RuntimeError("the caller failed after the command")
        assert await conn.fetchval("SELECT count(*) FROM events") == 0
        assert await conn.fetchval("SELECT count(*) FROM outbox") == 0
        async with conn.transaction():
            await run_command(deps.within(conn), kind, "c-3", allocate(2))
            # the command's second decision, in the same transaction, sees what the first one wrote
            second = await run_command(deps.within(conn), kind, "c-3", allocate(3))
        assert second.version == 2
        assert await conn.fetchval("SELECT count(*) FROM events") == 2
        assert await conn.fetchval("SELECT sum(phones) FROM allocated") == 5


async def test_a_refused_command_within_a_transaction_leaves_the_callers_work_standing(pool: asyncpg.Pool) -> None:
    deps, kind = dependencies(pool), allocations()
    async with pool.acquire() as conn, conn.transaction():
        await run_command(deps.within(conn), kind, "c-4", allocate(9))
        with pytest.raises(ValueError, match="not enough phones"):
            await run_command(deps.within(conn), kind, "c-4", allocate(2))
    async with pool.acquire() as conn:
        assert await conn.fetchval("SELECT sum(phones) FROM allocated") == 9


async def test_concurrent_commands_on_one_stream_are_decided_again_not_refused(pool: asyncpg.Pool) -> None:
    deps, kind = dependencies(pool), allocations()
    results = await asyncio.gather(*(run_command(deps, kind, "c-5", allocate(1, stock=16)) for _ in range(16)))
    assert sorted(r.version for r in results) == list(range(1, 17))
    async with pool.acquire() as conn:
        assert await conn.fetchval("SELECT sum(phones) FROM allocated") == 16
