"""Reading the DTI family's read models: rankings of finalised scores, ties sharing a rank (1, 2, 2, 4)."""

from __future__ import annotations

import asyncpg

_STANDING = "finalised_at IS NOT NULL AND (reopened_at IS NULL OR finalised_at > reopened_at)"


async def ranking(conn: asyncpg.Connection, level: str, year: int) -> list[asyncpg.Record]:
    """Finalised units of a level and year, best first; equal scores share a rank."""
    rows: list[asyncpg.Record] = await conn.fetch(
        f"""WITH standing AS (
                SELECT DISTINCT ON (unit_code) unit_code, assessment_id, score, max_score, index, pillars
                FROM dti_assessments WHERE level = $1 AND year = $2 AND {_STANDING}
                ORDER BY unit_code, finalised_at DESC)
            SELECT rank() OVER (ORDER BY score DESC) AS rank, * FROM standing ORDER BY rank, unit_code""",
        level,
        year,
    )
    return rows


async def latest_ranked_year(conn: asyncpg.Connection, level: str, unit_code: str | None = None) -> int | None:
    """The latest year with a finalised assessment at `level` (of `unit_code`, if named)."""
    year: int | None = await conn.fetchval(
        f"""SELECT max(year) FROM dti_assessments
            WHERE level = $1 AND ($2::text IS NULL OR unit_code = $2) AND {_STANDING}""",
        level,
        unit_code,
    )
    return year
