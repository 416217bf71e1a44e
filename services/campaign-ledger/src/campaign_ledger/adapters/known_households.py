"""The households the registry has published (`known_households`): a pseudonymous id and its commune, nothing
personal. Written by the consumer of the household topic, read before a delivery."""

from __future__ import annotations

import datetime as dt

import asyncpg


async def remember_household(
    conn: asyncpg.Connection, household_id: str, commune_code: str, registered_on: dt.date
) -> None:
    """Record where a household lives; recording the same registration again changes nothing."""
    await conn.execute(
        """INSERT INTO known_households (household_id, commune_code, registered_on) VALUES ($1, $2, $3)
           ON CONFLICT (household_id) DO UPDATE
           SET commune_code = excluded.commune_code, registered_on = excluded.registered_on""",
        household_id,
        commune_code,
        registered_on,
    )


async def household_commune(pool: asyncpg.Pool, household_id: str) -> str | None:
    """The commune the registry places a household in, or None if it never published the household."""
    async with pool.acquire() as conn:
        commune: str | None = await conn.fetchval(
            "SELECT commune_code FROM known_households WHERE household_id = $1", household_id
        )
    return commune
