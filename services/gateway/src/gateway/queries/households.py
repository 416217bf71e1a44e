"""Reading the household family's read models: the registry's published figures, and households per commune."""

from __future__ import annotations

from typing import Any

import asyncpg


async def published_figures(conn: asyncpg.Connection, unit_code: str, year: int) -> dict[str, Any] | None:
    """The unit's figures for a year as the registry last published them, or None if it published none."""
    figures: dict[str, Any] | None = await conn.fetchval(
        "SELECT figures FROM poverty_statistics WHERE unit_code = $1 AND year = $2", unit_code, year
    )
    return figures


async def latest_year(conn: asyncpg.Connection, unit_code: str) -> int | None:
    """The latest review year the registry published the unit's figures for."""
    year: int | None = await conn.fetchval("SELECT max(year) FROM poverty_statistics WHERE unit_code = $1", unit_code)
    return year


async def register_counts(conn: asyncpg.Connection, communes: list[str]) -> tuple[int, int]:
    """Households registered in `communes`, and how many of them have information access."""
    row = await conn.fetchrow(
        """SELECT count(*) FILTER (WHERE registered_on IS NOT NULL) AS registered,
                  count(*) FILTER (WHERE information_access_on IS NOT NULL) AS with_access
           FROM households WHERE commune_code = ANY($1::text[])""",
        communes,
    )
    assert row is not None
    return int(row["registered"]), int(row["with_access"])
