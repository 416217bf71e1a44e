"""Reading every household stream for a rebuild, on the rebuild's own connection.

This reads the shared `events` table directly rather than through `PostgresEventStore.read_all`: the rebuild
locks the read models first and must then see every event committed before the lock, while `read_all`
(on another connection, behind the oldest running transaction) could leave out a committed event.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg

from backan_shared.event_store import EVENT_COLUMNS, RecordedEvent, recorded_event

_STREAMS = f"SELECT {EVENT_COLUMNS} FROM events WHERE stream_type = $1 ORDER BY stream_id, version"


async def streams_of_type(
    conn: asyncpg.Connection, stream_type: str, *, prefetch: int = 2000
) -> AsyncIterator[list[RecordedEvent]]:
    """Each stream of `stream_type` in turn, as its events in order (one stream in memory at a time)."""
    current: list[RecordedEvent] = []
    async for row in conn.cursor(_STREAMS, stream_type, prefetch=prefetch):
        if current and current[-1].stream_id != row["stream_id"]:
            yield current
            current = []
        current.append(recorded_event(row))
    if current:
        yield current
