"""Where the composed read models live, and the gate between the consumers and a rebuild's swap.

The read-model SQL names its tables without a schema; whoever runs it chooses the schema through the
transaction's `search_path`. The consumers and the views use the live schema, a rebuild fills the next one and
then swaps the two by renaming them. Consumers pass the gate (a shared advisory lock) before they write, and the
swap closes it (the exclusive lock), so no consumer transaction is ever split across the swap.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg

from backan_shared.migrations import MigrationSource

LIVE = "read_models"
NEXT = "read_models_next"
RETIRED = "read_models_retired"
_SCHEMAS = frozenset({LIVE, NEXT, RETIRED})
_SWAP_GATE = 6_120_402_337  # any constant shared by the consumers and the rebuild

MIGRATIONS = MigrationSource("gateway", Path(__file__).resolve().parent.parent / "migrations")


async def use_schema(conn: asyncpg.Connection, schema: str) -> None:
    """Point the current transaction's unqualified table names at `schema` (then at public, for processed_events)."""
    if schema not in _SCHEMAS:
        raise ValueError(f"{schema!r} is not a read-model schema")
    await conn.execute(f"SET LOCAL search_path TO {schema}, public")


async def enter_live(conn: asyncpg.Connection) -> None:
    """Prepare a consumer's transaction: wait while a swap is under way, then write to the live schema."""
    await conn.execute("SELECT pg_advisory_xact_lock_shared($1)", _SWAP_GATE)
    await use_schema(conn, LIVE)


async def close_gate(conn: asyncpg.Connection) -> None:
    """Hold every consumer back until this transaction ends (and wait for those already writing)."""
    await conn.execute("SELECT pg_advisory_xact_lock($1)", _SWAP_GATE)


@contextlib.asynccontextmanager
async def reading(pool: asyncpg.Pool) -> AsyncIterator[asyncpg.Connection]:
    """A connection reading the live read models.

    Read committed on purpose: each statement sees what was committed when it started, so a read that straddles
    a swap sees the new tables whole rather than through a snapshot taken before they were filled.
    """
    async with pool.acquire() as conn, conn.transaction(readonly=True):
        await use_schema(conn, LIVE)
        yield conn
