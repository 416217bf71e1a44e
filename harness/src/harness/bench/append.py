"""Appending events: our event store against plain asyncpg inserts (the physical limit of the server) and
the `eventsourcing` library's PostgreSQL recorder (the peer), same server, same payloads, 8 writers each."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

import asyncpg

from backan_shared.database import create_pool
from backan_shared.event_store import NewEvent, PostgresEventStore
from backan_shared.migrations import SHARED_MIGRATIONS, MigrationSource, apply_migrations

WRITERS = 8


def survey_payload(n: int) -> dict[str, object]:
    """A realistic event: a household survey recorded in the annual review (about 400 bytes of JSON)."""
    return {
        "household_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"household-{n}")),
        "commune_code": "01837",
        "year": 2023,
        "income_per_capita_vnd": 1_350_000 + n % 900_000,
        "deprivations": ["employment", "health_insurance", "means_of_information"][: n % 4],
        "standard_version": "poverty-standard-2022-2025",
        "classification": "poor" if n % 4 == 3 else "near_poor",
        "recorded_by": "commune-officer-17",
        "survey_round": "periodic-2023",
    }


async def _run_writers(write: Callable[[int, int], Awaitable[None]], seconds: float) -> int:
    deadline = time.monotonic() + seconds
    counts = [0] * WRITERS

    async def writer(index: int) -> None:
        while time.monotonic() < deadline:
            counts[index] += 1
            await write(index, counts[index])

    await asyncio.gather(*(writer(i) for i in range(WRITERS)))
    return sum(counts)


async def our_store(database_url: str, seconds: float) -> float:
    pool = await create_pool(database_url, min_size=WRITERS, max_size=WRITERS)
    await apply_migrations(pool, [MigrationSource("shared", SHARED_MIGRATIONS)])
    store = PostgresEventStore(pool)
    run = uuid.uuid4().hex[:8]

    async def write(writer: int, n: int) -> None:
        await store.append(
            f"household-{run}-{writer}", "household", n - 1, [NewEvent("survey-recorded", survey_payload(n))]
        )

    started = time.monotonic()
    total = await _run_writers(write, seconds)
    elapsed = time.monotonic() - started
    await pool.close()
    return total / elapsed


async def raw_inserts(database_url: str, seconds: float) -> float:
    pool = await asyncpg.create_pool(database_url, min_size=WRITERS, max_size=WRITERS)
    assert pool is not None
    async with pool.acquire() as conn:
        await conn.execute(
            """CREATE TABLE IF NOT EXISTS raw_events (
                   id bigserial PRIMARY KEY, event_id uuid NOT NULL UNIQUE, stream_id text NOT NULL,
                   version integer NOT NULL, event_type text NOT NULL, data jsonb NOT NULL,
                   recorded_at timestamptz NOT NULL DEFAULT now(), UNIQUE (stream_id, version))"""
        )
    run = uuid.uuid4().hex[:8]

    async def write(writer: int, n: int) -> None:
        await pool.execute(
            "INSERT INTO raw_events (event_id, stream_id, version, event_type, data) VALUES ($1, $2, $3, $4, $5)",
            uuid.uuid4(),
            f"household-{run}-{writer}",
            n,
            "survey-recorded",
            json.dumps(survey_payload(n)),
        )

    started = time.monotonic()
    total = await _run_writers(write, seconds)
    elapsed = time.monotonic() - started
    await pool.close()
    return total / elapsed


PEER_EVENT_TOPIC = "household:SurveyRecorded"


def peer_recorder(database_url: str, seconds: float) -> float:
    """The eventsourcing library's PostgresApplicationRecorder, 8 threads (it is a synchronous library)."""
    from eventsourcing.persistence import StoredEvent
    from eventsourcing.postgres import PostgresApplicationRecorder

    datastore = _peer_datastore(database_url)
    recorder = PostgresApplicationRecorder(datastore, events_table_name="peer_stored_events")
    recorder.create_table()
    deadline = time.monotonic() + seconds
    counts = [0] * WRITERS

    def writer(index: int) -> None:
        originator = uuid.uuid4()
        while time.monotonic() < deadline:
            counts[index] += 1
            state = json.dumps(survey_payload(counts[index])).encode()
            version, topic = counts[index], PEER_EVENT_TOPIC
            event = StoredEvent(originator_id=originator, originator_version=version, topic=topic, state=state)
            recorder.insert_events([event])

    started = time.monotonic()
    threads = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    datastore.close()
    return sum(counts) / elapsed


def _peer_datastore(database_url: str) -> Any:
    from eventsourcing.postgres import PostgresDatastore

    parts = urlsplit(database_url)
    return PostgresDatastore(
        dbname=parts.path.lstrip("/"),
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or "",
        pool_size=WRITERS,
    )
