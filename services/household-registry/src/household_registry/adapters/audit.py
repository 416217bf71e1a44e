"""The personal data audit trail: who read or erased which field of which household, and when.

It exists so a breach can be reported (Law 91/2025/QH15); it holds field names and the actor, never values.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Literal

import asyncpg

Action = Literal["read", "erase"]


async def record_personal_data_access(
    conn: asyncpg.Connection, household_id: uuid.UUID, fields: Iterable[str], *, action: Action, actor: str
) -> None:
    """One audit row per field, in the caller's transaction."""
    await conn.executemany(
        "INSERT INTO personal_data_audit (household_id, field, action, actor) VALUES ($1, $2, $3, $4)",
        [(household_id, field, action, actor) for field in fields],
    )
