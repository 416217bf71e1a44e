"""Review imports in PostgreSQL: created once per file, claimed by one worker at a time, progress per batch.

A worker claims an import that is queued, or running under a worker that stopped reporting (a dead replica), and
reports with every batch. Progress is saved only under the claim, in the batch's transaction: a worker whose
import was taken over finds out at its next batch, which then rolls back.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg

from household_registry.domain.review_import import ImportProgress, ImportStatus, RowFailure

_PUBLIC = """import_id, content_type, status, rows_total, rows_done, rows_recorded, rows_unchanged, rows_failed,
failures, error, created_at, started_at, finished_at"""


class ImportClaimLostError(Exception):
    """Another worker took the import over (this one stopped reporting for too long): stop working on it."""


@dataclass(frozen=True)
class ImportRecord:
    """An import as stored, without its file."""

    import_id: uuid.UUID
    content_type: str
    status: ImportStatus
    rows_total: int
    progress: ImportProgress
    error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


async def create_import(
    conn: asyncpg.Connection, digest: str, content_type: str, content: bytes, rows_total: int
) -> tuple[ImportRecord, bool]:
    """A new queued import of the file, or the import of the same file posted before; and whether it is new."""
    async with conn.transaction():
        created = await conn.fetchrow(
            f"""INSERT INTO review_imports (import_id, content_digest, content_type, rows_total)
                VALUES ($1, $2, $3, $4) ON CONFLICT (content_digest) DO NOTHING RETURNING {_PUBLIC}""",
            uuid.uuid4(),
            digest,
            content_type,
            rows_total,
        )
        if created is not None:
            await conn.execute("INSERT INTO review_import_files VALUES ($1, $2)", created["import_id"], content)
            return import_record(created), True
    existing = await conn.fetchrow(f"SELECT {_PUBLIC} FROM review_imports WHERE content_digest = $1", digest)
    return import_record(existing), False


async def fetch_import(conn: asyncpg.Connection, import_id: uuid.UUID) -> ImportRecord | None:
    """The import, or None if there is none with that id."""
    row = await conn.fetchrow(f"SELECT {_PUBLIC} FROM review_imports WHERE import_id = $1", import_id)
    return None if row is None else import_record(row)


async def claim_next(conn: asyncpg.Connection, worker: str, takeover_after_seconds: float) -> ImportRecord | None:
    """Claim the oldest import that is queued or whose worker stopped reporting; None when there is none."""
    row = await conn.fetchrow(
        f"""UPDATE review_imports SET status = 'running', worker = $1, heartbeat_at = now(),
                   started_at = coalesce(started_at, now())
            WHERE import_id = (
                SELECT import_id FROM review_imports
                WHERE status = 'queued'
                   OR (status = 'running' AND heartbeat_at < now() - make_interval(secs => $2))
                ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING {_PUBLIC}""",
        worker,
        takeover_after_seconds,
    )
    return None if row is None else import_record(row)


async def load_file(conn: asyncpg.Connection, import_id: uuid.UUID) -> bytes:
    """The file of an unfinished import."""
    content: bytes = await conn.fetchval("SELECT content FROM review_import_files WHERE import_id = $1", import_id)
    return content


async def save_progress(conn: asyncpg.Connection, import_id: uuid.UUID, worker: str, progress: ImportProgress) -> None:
    """Record progress (and that the worker is alive) in the batch's transaction, only under the worker's claim."""
    saved = await conn.fetchval(
        """UPDATE review_imports SET rows_done = $3, rows_recorded = $4, rows_unchanged = $5, rows_failed = $6,
                  failures = $7, heartbeat_at = now()
           WHERE import_id = $1 AND worker = $2 AND status = 'running' RETURNING true""",
        import_id,
        worker,
        progress.rows_done,
        progress.rows_recorded,
        progress.rows_unchanged,
        progress.rows_failed,
        [{"row": failure.row, "reason": failure.reason} for failure in progress.failures],
    )
    if not saved:
        raise ImportClaimLostError(f"import {import_id} is no longer held by {worker}")


async def finish(
    conn: asyncpg.Connection, import_id: uuid.UUID, worker: str, status: ImportStatus, error: str | None = None
) -> None:
    """End the import (completed or failed) and drop its file, under the worker's claim."""
    async with conn.transaction():
        finished = await conn.fetchval(
            """UPDATE review_imports SET status = $3, error = $4, finished_at = now(), heartbeat_at = now()
               WHERE import_id = $1 AND worker = $2 AND status = 'running' RETURNING true""",
            import_id,
            worker,
            status.value,
            error,
        )
        if not finished:
            raise ImportClaimLostError(f"import {import_id} is no longer held by {worker}")
        await conn.execute("DELETE FROM review_import_files WHERE import_id = $1", import_id)


async def release(conn: asyncpg.Connection, import_id: uuid.UUID, worker: str) -> None:
    """Queue a running import again (its worker is stopping), for the next worker to resume at once."""
    await conn.execute(
        "UPDATE review_imports SET status = 'queued', worker = NULL WHERE import_id = $1 AND worker = $2",
        import_id,
        worker,
    )


def import_record(row: asyncpg.Record) -> ImportRecord:
    """An import row as the service layer reads it."""
    return ImportRecord(
        import_id=row["import_id"],
        content_type=row["content_type"],
        status=ImportStatus(row["status"]),
        rows_total=row["rows_total"],
        progress=_progress(row),
        error=row["error"],
        created_at=row["created_at"],
        started_at=row["started_at"],
        finished_at=row["finished_at"],
    )


def _progress(row: asyncpg.Record) -> ImportProgress:
    failures: list[dict[str, Any]] = row["failures"]
    return ImportProgress(
        rows_done=row["rows_done"],
        rows_recorded=row["rows_recorded"],
        rows_unchanged=row["rows_unchanged"],
        rows_failed=row["rows_failed"],
        failures=tuple(RowFailure(failure["row"], failure["reason"]) for failure in failures),
    )
