"""Rebuilding the read models from the event store: the household views, the classification records and
the statistics, replayed from every household's stream in one transaction.

The read models are locked first, so a command running meanwhile waits and then projects onto the rebuilt
tables, and every event committed before the lock is replayed. Rows are written in batches; keys are never
needed, since no read model holds personal data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg

from household_registry.adapters.classification_records import COLUMNS as RECORD_COLUMNS
from household_registry.adapters.classification_records import affected_years, record_rows
from household_registry.adapters.event_codec import HouseholdEventCodec
from household_registry.adapters.household_view import COLUMNS as VIEW_COLUMNS
from household_registry.adapters.household_view import household_view_row
from household_registry.adapters.statistics_store import mark_years_changed
from household_registry.adapters.stream_replay import streams_of_type
from household_registry.domain.household import Household
from household_registry.service_layer.execution import STREAM_TYPE
from household_registry.service_layer.services import RegistryServices
from household_registry.service_layer.statistics import refresh_year

READ_MODELS = ("household_view", "household_classifications", "poverty_statistics", "statistics_computed")
BATCH = 1000


@dataclass(frozen=True)
class RebuildReport:
    """How much a rebuild replayed."""

    households: int
    years: list[int]


async def rebuild_read_models(services: RegistryServices) -> RebuildReport:
    """Replace every read model by a replay of the event store."""
    async with services.pool.acquire() as conn, conn.transaction():
        await conn.execute(f"LOCK TABLE {', '.join(READ_MODELS)}, statistics_changes IN EXCLUSIVE MODE")
        # The change counters stay: they are the revisions of the figures already published, which readers
        # compare; bumping them below marks every year stale without ever moving one back.
        await conn.execute(f"TRUNCATE {', '.join(READ_MODELS)}")
        households, years = await _replay(conn)
        await mark_years_changed(conn, years)
        for year in years:
            await refresh_year(conn, services.reference, year)
    return RebuildReport(households, years)


async def _replay(conn: asyncpg.Connection) -> tuple[int, list[int]]:
    codec, count, years = HouseholdEventCodec(), 0, set()
    views: list[tuple[Any, ...]] = []
    records: list[tuple[Any, ...]] = []
    async for stream in streams_of_type(conn, STREAM_TYPE):
        household = Household.replay(codec.decode(recorded) for recorded in stream)
        views.append(household_view_row(household))
        rows = record_rows(household)
        records.extend(rows)
        years.update(affected_years(rows))
        count += 1
        if len(views) >= BATCH:
            await _write(conn, views, records)
            views, records = [], []
    await _write(conn, views, records)
    return count, sorted(years)


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
