"""Annual review imports (POST /v1/households/imports): a file of surveys accepted at once, recorded in the
background batch by batch, its progress readable from any replica.

The same file posted again (the same SHA-256) is the same import, so it records nothing twice; each row is
idempotent besides, so an import resumed after a crash, or another file repeating rows, records each survey once.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import uuid
from dataclasses import dataclass

import asyncpg

from household_registry.adapters.review_files import media_type, read_review_file
from household_registry.adapters.review_import_store import (
    ImportRecord,
    create_import,
    fetch_import,
    finish,
    load_file,
    save_progress,
)
from household_registry.domain.errors import ReviewImportNotFoundError
from household_registry.domain.review_import import BatchOutcome, ImportProgress, ImportStatus, ParsedRow
from household_registry.service_layer.dependencies import Dependencies
from household_registry.service_layer.survey_batches import record_survey_batch


@dataclass(frozen=True)
class ImportOptions:
    """How imports run: rows per batch and transaction, failures listed, when a silent worker is taken over."""

    batch_size: int = 1000
    failures_listed: int = 100
    takeover_after_seconds: float = 120.0
    poll_seconds: float = 5.0


@dataclass(frozen=True)
class Submission:
    """The import a file was submitted as, and whether the file is new (False: it was posted before)."""

    record: ImportRecord
    created: bool


async def submit_review_file(services: Dependencies, content: bytes, content_type: str) -> Submission:
    """Queue an import of the file, or answer the import of the same file; a file that is not a review file
    at all is refused here, before anything is stored."""
    rows_total = sum(1 for _ in read_review_file(content, content_type))
    digest = hashlib.sha256(content).hexdigest()
    async with services.pool.acquire() as conn:
        record, created = await create_import(conn, digest, media_type(content_type), content, rows_total)
    return Submission(record, created)


async def review_import(services: Dependencies, import_id: uuid.UUID) -> ImportRecord:
    """The import's state and progress; an unknown id is a 404."""
    async with services.pool.acquire() as conn:
        record = await fetch_import(conn, import_id)
    if record is None:
        raise ReviewImportNotFoundError(f"no review import {import_id}")
    return record


class ImportStopping(Exception):
    """The worker is stopping between two batches: the import is left for the next worker to resume."""


async def run_import(
    services: Dependencies,
    claimed: ImportRecord,
    options: ImportOptions,
    worker: str,
    *,
    stopping: asyncio.Event | None = None,
) -> None:
    """Record the import's rows from where it stands, a batch per transaction, then complete it."""
    async with services.pool.acquire() as conn:
        rows = read_review_file(await load_file(conn, claimed.import_id), claimed.content_type)
    progress = claimed.progress
    # Rows are read a batch at a time (never all in memory); those whose batch committed are passed over.
    for _ in itertools.islice(rows, progress.rows_done):
        pass
    while batch := list(itertools.islice(rows, options.batch_size)):
        if stopping is not None and stopping.is_set():
            raise ImportStopping(f"stopping with {progress.rows_done} of {claimed.rows_total} rows done")
        progress = await _record_batch(services, claimed.import_id, batch, progress, options, worker)
    async with services.pool.acquire() as conn:
        await finish(conn, claimed.import_id, worker, ImportStatus.COMPLETED)


async def _record_batch(
    services: Dependencies,
    import_id: uuid.UUID,
    batch: list[ParsedRow],
    progress: ImportProgress,
    options: ImportOptions,
    worker: str,
) -> ImportProgress:
    saved = progress

    async def save(conn: asyncpg.Connection, outcome: BatchOutcome) -> None:
        # Computed from the progress before the batch: a batch decided again (a conflict) is counted once.
        nonlocal saved
        saved = progress.after(outcome, listed=options.failures_listed)
        await save_progress(conn, import_id, worker, saved)

    await record_survey_batch(services, batch, within=save)
    return saved
