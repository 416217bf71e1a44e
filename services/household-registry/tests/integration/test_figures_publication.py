"""The figures publisher's epochs on the real PostgreSQL: a closing waits for the commands noting in its epoch
and counts them, commands never wait on each other, a closed epoch left behind is published by the next round,
and epochs continue above the revisions published before them.

The publisher is driven round by round here (no background task), on a database of this module's own.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import uuid
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from backan_shared.event_store import PostgresEventStore
from backan_shared.migrations import MigrationSource, apply_migrations
from household_registry.adapters.crypto import MasterKey
from household_registry.adapters.figures_epochs import close_open_epoch, note_changes
from household_registry.adapters.key_store import PostgresKeyStore
from household_registry.adapters.national_id_index import PostgresNationalIdIndex
from household_registry.entrypoints.app import MIGRATIONS
from household_registry.reference import load_administrative_units, load_poverty_standards, load_poverty_targets
from household_registry.service_layer.dependencies import Dependencies, ReferenceData
from household_registry.service_layer.figures_publishing import publish_figures_round
from household_registry.service_layer.publishing import IntegrationPublisher

pytestmark = pytest.mark.infra

NGHIA_TA, CHO_DON, DUC_VAN, NGAN_SON, PROVINCE = "02071", "064", "01951", "062", "06"


@pytest.fixture
async def services(pool: asyncpg.Pool) -> Dependencies:
    await apply_migrations(pool, [MigrationSource("household-registry", MIGRATIONS)])
    master = MasterKey(os.urandom(32))
    return Dependencies(
        pool=pool,
        store=PostgresEventStore(pool),
        keys=PostgresKeyStore(master),
        national_ids=PostgresNationalIdIndex(master),
        reference=ReferenceData(load_administrative_units(), load_poverty_standards(), load_poverty_targets()),
        publisher=IntegrationPublisher("household-registry", "test.household.events.v1"),
    )


async def classify(conn: asyncpg.Connection, commune: str, year: int, classification: str) -> None:
    """What a command's projection writes for one surveyed household."""
    await conn.execute(
        """INSERT INTO household_classifications
           (household_id, year, commune_code, ethnic_minority, classification, projected_classification)
           VALUES ($1, $2, $3, false, $4, $4)""",
        uuid.uuid4(),
        year,
        commune,
        classification,
    )


async def published(pool: asyncpg.Pool) -> list[tuple[str, dict[str, Any]]]:
    """The figures written to the outbox, in order: (event id, payload)."""
    rows = await pool.fetch("SELECT event_id, payload FROM outbox ORDER BY id")
    return [(str(row["event_id"]), json.loads(row["payload"])) for row in rows]


async def test_a_closing_waits_for_a_command_noting_in_its_epoch_and_counts_it(
    pool: asyncpg.Pool, services: Dependencies, eventually: Any
) -> None:
    async with pool.acquire() as command, pool.acquire() as publisher:
        in_flight = command.transaction()
        await in_flight.start()
        await classify(command, NGHIA_TA, 2023, "poor")
        closing_event = await note_changes(command, {2023: {NGHIA_TA}})
        # A round closes an epoch only once a note in it has committed: an earlier command's, as in a busy registry.
        async with pool.acquire() as earlier, earlier.transaction():
            await classify(earlier, DUC_VAN, 2023, "near_poor")
            await note_changes(earlier, {2023: {DUC_VAN}})

        backend = await publisher.fetchval("SELECT pg_backend_pid()")
        round_ = asyncio.create_task(publish_figures_round(publisher, services))
        waiting = "SELECT wait_event FROM pg_stat_activity WHERE pid = $1"
        await eventually(lambda: pool.fetchval(waiting, backend), lambda event: event == "advisory")
        assert not round_.done()

        await in_flight.commit()
        assert await round_ > 0

    figures = await published(pool)
    counted = {(data["unit_code"], data["year"]): data for _, data in figures}
    assert counted[(NGHIA_TA, 2023)]["households"] == 1 and counted[(NGHIA_TA, 2023)]["poor"] == 1
    assert counted[(CHO_DON, 2023)]["households"] == 1
    assert counted[(PROVINCE, 2023)]["households"] == 2, "both communes, the committed one and the one waited for"
    assert figures[-1][0] == str(closing_event), "the last figures of the round carry the command's token"
    assert len({data["revision"] for _, data in figures}) == 1, "one round, one revision"


async def test_commands_noting_the_same_commune_do_not_wait_for_each_other(
    pool: asyncpg.Pool, services: Dependencies
) -> None:
    async with pool.acquire() as first, pool.acquire() as second, first.transaction():
        await classify(first, NGHIA_TA, 2023, "poor")
        one = await note_changes(first, {2023: {NGHIA_TA}})
        async with asyncio.timeout(10), second.transaction():  # a wait here would be a wait for `first`
            await classify(second, NGHIA_TA, 2023, "poor")
            other = await note_changes(second, {2023: {NGHIA_TA}})
    assert one == other, "both noted in the open epoch"
    assert await pool.fetchval("SELECT count(*) FROM figures_pending") == 2


async def test_a_closed_epoch_left_unpublished_is_published_first_by_the_next_round(
    pool: asyncpg.Pool, services: Dependencies
) -> None:
    async with pool.acquire() as conn:
        async with conn.transaction():
            await classify(conn, NGHIA_TA, 2023, "poor")
            left_behind = await note_changes(conn, {2023: {NGHIA_TA}})
        await close_open_epoch(conn)  # a round that stopped here, before publishing
        async with conn.transaction():
            await classify(conn, DUC_VAN, 2023, "poor")
            later = await note_changes(conn, {2023: {DUC_VAN}})
        await publish_figures_round(conn, services)

    figures = await published(pool)
    ids = [event_id for event_id, _ in figures]
    assert ids.index(str(left_behind)) < ids.index(str(later)) == len(ids) - 1
    revisions = [data["revision"] for _, data in figures]
    assert revisions == sorted(revisions) and len(set(revisions)) == 2
    province = [data for _, data in figures if data["unit_code"] == PROVINCE]
    assert [data["households"] for data in province] == [1, 2]
    assert await pool.fetchval("SELECT count(*) FROM figures_pending") == 0
    assert await pool.fetchval("SELECT count(*) FROM figures_epochs") == 1, "only the open epoch is left"


async def test_epochs_continue_above_the_revisions_published_before_them(pool: asyncpg.Pool, tmp_path: Path) -> None:
    before, upgraded = tmp_path / "migrations", tmp_path / "upgraded"
    before.mkdir()
    upgraded.mkdir()
    for script in sorted(MIGRATIONS.glob("*.sql"))[:2]:  # the registry as it stood with per-year counters
        shutil.copy(script, before)
    for script in sorted(MIGRATIONS.glob("*.sql"))[:3]:  # and as it stood once it published figures by epoch
        shutil.copy(script, upgraded)
    await apply_migrations(pool, [MigrationSource("household-registry", before)])
    await pool.execute("INSERT INTO statistics_changes (year, counter) VALUES (2022, 17), (2023, 41)")
    await pool.execute(
        """INSERT INTO household_classifications VALUES ($1, 2023, $2, false, 'poor', 'poor')""", uuid.uuid4(), NGHIA_TA
    )

    assert await apply_migrations(pool, [MigrationSource("household-registry", upgraded)]) == [
        "household-registry/003_figures_publication"
    ]
    assert await pool.fetchval("SELECT epoch FROM figures_epochs WHERE NOT closed") == 42
    noted = await pool.fetch("SELECT epoch, year, commune_code FROM figures_pending")
    assert [tuple(row) for row in noted] == [(42, 2023, NGHIA_TA)], "every commune counted again in the first round"
