"""Copies of a household's personal data outside its events, which erasure must reach as well.

Both live in the shared tables of the service's database, and are deleted in the erasure's own transaction:
a snapshot of the household's stream, and the stored answer to the registration request, whose digest was
computed over a body that held the head's name and national ID.
"""

from __future__ import annotations

import uuid

import asyncpg

REGISTRATION_ROUTE = "/v1/households"


async def delete_personal_data_copies(conn: asyncpg.Connection, household_id: uuid.UUID, stream_id: str) -> None:
    """Drop the stream's snapshot and the registration's idempotency record."""
    await conn.execute("DELETE FROM snapshots WHERE stream_id = $1", stream_id)
    await conn.execute(
        """DELETE FROM idempotency_keys
           WHERE route = $1 AND position(convert_to($2, 'UTF8') IN response_body) > 0""",
        REGISTRATION_ROUTE,
        str(household_id),
    )
