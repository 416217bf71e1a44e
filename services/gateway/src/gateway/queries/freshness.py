"""How fresh each source's read models are: the time of the newest event applied from it (`as_of`)."""

from __future__ import annotations

from datetime import datetime

import asyncpg

SOURCES = ("campaign", "household", "dti")


async def as_of(conn: asyncpg.Connection) -> dict[str, datetime | None]:
    """Each source's as_of; None for a source nothing has been applied from yet."""
    rows = await conn.fetch("SELECT source, as_of FROM source_freshness")
    known = {row["source"]: row["as_of"] for row in rows}
    return {source: known.get(source) for source in SOURCES}
