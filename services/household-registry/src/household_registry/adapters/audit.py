"""The personal data audit trail: who read or erased which field of which household, and when.

It exists so a breach can be reported (Law 91/2025/QH15); it holds field names and the actor, never values.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import asyncpg

Action = Literal["read", "erase"]


class AuditTrailUnavailableError(Exception):
    """The audit record of a personal data read could not be written, so the data is not disclosed."""


@dataclass(frozen=True)
class AuditFilter:
    """Which records an auditor asks for; a criterion left None does not filter."""

    household_id: uuid.UUID | None = None
    actor: str | None = None
    since: datetime | None = None
    until: datetime | None = None


async def record_personal_data_access(
    conn: asyncpg.Connection, household_id: uuid.UUID, fields: Iterable[str], *, action: Action, actor: str
) -> None:
    """One audit row per field, in the caller's transaction; a failure aborts it (a 503, nothing disclosed)."""
    try:
        await conn.executemany(
            "INSERT INTO personal_data_audit (household_id, field, action, actor) VALUES ($1, $2, $3, $4)",
            [(household_id, field, action, actor) for field in fields],
        )
    except asyncpg.PostgresError as error:
        raise AuditTrailUnavailableError(
            f"the personal data audit trail could not record this {action}, so it was not done; retry later"
        ) from error


async def fetch_personal_data_accesses(
    conn: asyncpg.Connection, wanted: AuditFilter, *, after: int, limit: int
) -> list[asyncpg.Record]:
    """Up to `limit` records past the record `after`, oldest first.

    Pages follow the record id. A read still committing when a page is fetched may get an id below that page's
    last one and so show on no later page: ask for a window that has ended (`until`) for a complete report.
    """
    return list(
        await conn.fetch(
            """SELECT id, household_id, field, action, actor, at FROM personal_data_audit
               WHERE id > $1 AND ($2::uuid IS NULL OR household_id = $2) AND ($3::text IS NULL OR actor = $3)
                 AND ($4::timestamptz IS NULL OR at >= $4) AND ($5::timestamptz IS NULL OR at < $5)
               ORDER BY id LIMIT $6""",
            after,
            wanted.household_id,
            wanted.actor,
            wanted.since,
            wanted.until,
            limit,
        )
    )
