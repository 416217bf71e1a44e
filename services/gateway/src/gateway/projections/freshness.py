"""Recording how fresh each source's read models are: the time of the newest event applied from it (`as_of`)."""

from __future__ import annotations

from datetime import datetime

import asyncpg


async def record_event_time(conn: asyncpg.Connection, source: str, time: datetime) -> None:
    """Move the source's as_of forward to `time` (never back: an older event arriving late changes nothing)."""
    await conn.execute(
        """INSERT INTO source_freshness (source, as_of) VALUES ($1, $2)
           ON CONFLICT (source) DO UPDATE SET as_of = GREATEST(source_freshness.as_of, EXCLUDED.as_of)""",
        source,
        time,
    )
