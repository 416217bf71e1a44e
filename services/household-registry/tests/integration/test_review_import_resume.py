"""An import's state lives in PostgreSQL, not in the process running it: an import left running by a replica
that died is resumed by another from its last committed batch, recording nothing twice; and a replica whose
import was taken over finds out at its next batch, which then records nothing."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

import asyncpg
import pytest

from household_registry.adapters.review_files import read_review_file
from household_registry.adapters.review_import_store import (
    ImportClaimLostError,
    ImportRecord,
    claim_next,
    create_import,
    save_progress,
)
from household_registry.domain.commands import RegisterHousehold
from household_registry.domain.personal_data import HeadOfHousehold, NationalId
from household_registry.domain.poverty_standard import Area
from household_registry.domain.review_import import BatchOutcome, ImportProgress, ParsedRow
from household_registry.service_layer.bulk_registration import register_households
from household_registry.service_layer.survey_batches import record_survey_batch

pytestmark = pytest.mark.infra

HEADER = "household_id,year,income_per_capita_vnd,deprivations"


@pytest.fixture(scope="module")
async def households(registry: Any) -> list[str]:
    """Sixty households of Xã Thượng Giáo, registered through the bulk path."""
    commands = [registration(registry) for _ in range(60)]
    await register_households(registry.services, commands)
    return [str(command.household_id) for command in commands]


def registration(registry: Any) -> RegisterHousehold:
    head = HeadOfHousehold("Triệu Văn Tiếp", NationalId(registry.new_national_id()), None)
    return RegisterHousehold(uuid.uuid4(), "01912", Area.RURAL, True, 3, head)


async def held_by(registry: Any, worker: str, household_ids: list[str]) -> tuple[ImportRecord, list[ParsedRow]]:
    """An import of these households' surveys, created and claimed by `worker` in one transaction (so this
    replica's own worker never sees it queued), and its rows."""
    content = "\n".join([HEADER, *(f"{h},2023,1000000,employment" for h in household_ids)]).encode()
    rows = list(read_review_file(content, "text/csv"))
    digest = hashlib.sha256(content).hexdigest()
    async with registry.services.pool.acquire() as conn, conn.transaction():
        created, _ = await create_import(conn, digest, "text/csv", content, len(rows))
        claimed = await claim_next(conn, worker, 120)
    assert claimed is not None and claimed.import_id == created.import_id
    return claimed, rows


def saving_progress(import_id: uuid.UUID, worker: str) -> Any:
    async def save(conn: asyncpg.Connection, outcome: BatchOutcome) -> None:
        await save_progress(conn, import_id, worker, ImportProgress().after(outcome, listed=100))

    return save


async def surveys_of(registry: Any, household_ids: list[str]) -> int:
    count: int = await registry.fetchval(
        "SELECT count(*) FROM events WHERE event_type = 'survey-recorded' AND stream_id = ANY($1::text[])",
        [f"household-{h}" for h in household_ids],
    )
    return count


async def test_an_import_left_running_by_a_dead_replica_is_resumed_from_its_last_committed_batch(
    registry: Any, households: list[str], eventually: Any
) -> None:
    mine = households[:30]
    claimed, rows = await held_by(registry, "replica-that-dies", mine)
    await record_survey_batch(
        registry.services, rows[:10], within=saving_progress(claimed.import_id, "replica-that-dies")
    )
    # It dies after its first batch: it never reports again.
    await registry.fetch(
        "UPDATE review_imports SET heartbeat_at = now() - interval '1 hour' WHERE import_id = $1", claimed.import_id
    )

    registry.app.state.review_imports.wake()
    location = f"/v1/households/imports/{claimed.import_id}"
    final = await eventually(lambda: _json(registry, location), lambda s: s["status"] == "completed", within=30)

    assert (final["rows_done"], final["rows_recorded"], final["rows_unchanged"], final["rows_failed"]) == (30, 30, 0, 0)
    assert await surveys_of(registry, mine) == 30, "the resumed import started after the committed batch"
    assert await registry.fetchval("SELECT count(*) FROM review_import_files") == 0, "no copy of the file is kept"


async def test_a_replica_whose_import_was_taken_over_records_nothing_more(registry: Any, households: list[str]) -> None:
    mine = households[30:]
    claimed, rows = await held_by(registry, "slow-replica", mine)
    await registry.fetch("UPDATE review_imports SET worker = 'other-replica' WHERE import_id = $1", claimed.import_id)

    with pytest.raises(ImportClaimLostError):
        await record_survey_batch(registry.services, rows, within=saving_progress(claimed.import_id, "slow-replica"))
    assert await surveys_of(registry, mine) == 0, "the batch rolled back with its progress"


async def _json(registry: Any, path: str) -> dict[str, Any]:
    body: dict[str, Any] = (await registry.client.get(path)).json()
    return body
