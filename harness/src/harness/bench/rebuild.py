"""Rebuild: household-registry replaying its own event store into its read models (household views,
classification records, poverty statistics), timed from the lock to the commit."""

from __future__ import annotations

import time

import asyncpg

from backan_shared.database import create_pool
from backan_shared.event_store import PostgresEventStore
from harness.bench.system import BenchSystem
from household_registry.bootstrap import Bootstrap
from household_registry.service_layer.aggregates import STREAM_TYPE
from household_registry.service_layer.dependencies import Dependencies
from household_registry.service_layer.rebuild import rebuild_read_models
from household_registry.settings import Settings


def registry_services(system: BenchSystem, pool: asyncpg.Pool) -> Dependencies:
    """The registry's dependencies on a pool of the bench's registry database, built by the registry's own
    bootstrap."""
    return Bootstrap(registry_settings(system)).dependencies_on(pool, PostgresEventStore(pool))


def registry_settings(system: BenchSystem) -> Settings:
    """The bench registry's settings as far as working on its database in this process needs them."""
    topic = system.kafka_names("household-registry")["HOUSEHOLD_TOPIC"]
    return Settings(database_url=system.database_url("household-registry"), household_topic=topic)


async def registry_rebuild(system: BenchSystem) -> tuple[int, float]:
    """(events replayed, seconds) of rebuilding the bench registry's read models from its event store."""
    pool = await create_pool(system.database_url("household-registry"), min_size=1, max_size=2)
    try:
        events = await pool.fetchval("SELECT count(*) FROM events WHERE stream_type = $1", STREAM_TYPE)
        started = time.monotonic()
        await rebuild_read_models(registry_services(system, pool))
        return int(events), time.monotonic() - started
    finally:
        await pool.close()
