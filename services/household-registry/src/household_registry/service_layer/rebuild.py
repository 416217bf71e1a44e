"""Rebuilding the read models from the event store: the household views and the classification records,
replayed from every household's stream in one transaction, and every commune's figures noted for the figures
publisher to count and publish again.

The read models are locked first (the commune tallies before the records, in the order the publisher takes
them), so a command running meanwhile waits and then projects onto the rebuilt tables, and every event committed
before the lock is replayed. Rows are written in batches; keys are never needed, since no read model holds
personal data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg

from household_registry.adapters.classification_records import COLUMNS as RECORD_COLUMNS
from household_registry.adapters.classification_records import affected_communes, record_rows
from household_registry.adapters.event_codec import HouseholdEventCodec
from household_registry.adapters.household_view import COLUMNS as VIEW_COLUMNS
from household_registry.adapters.household_view import household_view_row
from household_registry.adapters.stream_replay import streams_of_type
from household_registry.domain.household import Household
from household_registry.service_layer.aggregates import STREAM_TYPE
from household_registry.service_layer.dependencies import Dependencies
from household_registry.service_layer.figures_publishing import note_changed_figures

READ_MODELS = ("commune_tallies", "household_view", "household_classifications")
BATCH = 1000


@dataclass(frozen=True)
class RebuildReport:
    """How much a rebuild replayed."""

    households: int
    years: list[int]


async def rebuild_read_models(services: Dependencies) -> RebuildReport:
    """Replace every read model by a replay of the event store."""
    async with services.pool.acquire() as conn, conn.transaction():
        await conn.execute(f"LOCK TABLE {', '.join(READ_MODELS)} IN EXCLUSIVE MODE")
        await conn.execute(f"TRUNCATE {', '.join(READ_MODELS)}")
        households, changes = await _replay(conn)
        await note_changed_figures(conn, changes)
    return RebuildReport(households, sorted(changes))


async def _replay(conn: asyncpg.Connection) -> tuple[int, dict[int, set[str]]]:
    codec, count, changes = HouseholdEventCodec(), 0, dict[int, set[str]]()
    views: list[tuple[Any, ...]] = []
    records: list[tuple[Any, ...]] = []
    async for stream in streams_of_type(conn, STREAM_TYPE):
        household = Household.replay(codec.decode(recorded) for recorded in stream)
        views.append(household_view_row(household))
        rows = record_rows(household)
        records.extend(rows)
        for year, communes in affected_communes(rows).items():
            changes.setdefault(year, set()).update(communes)
        count += 1
        if len(views) >= BATCH:
            await _write(conn, views, records)
            views, records = [], []
    await _write(conn, views, records)
    return count, changes


async def _write(
    conn: asyncpg.Connection, views: Sequence[tuple[Any, ...]], records: Sequence[tuple[Any, ...]]
) -> None:
    await _insert(conn, "household_view", VIEW_COLUMNS, views)
    await _insert(conn, "household_classifications", RECORD_COLUMNS, records)


async def _insert(
    conn: asyncpg.Connection, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    placeholders = ", ".join(f"${n}" for n in range(1, len(columns) + 1))
    await conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", rows)
