"""Many households' streams at once, for a batch of an annual review import.

The shared `PostgresEventStore` loads and appends one stream per call, a round trip each; a review of tens of
thousands of surveys touches as many streams, so a batch loads all of its streams in one query and appends to
all of them in one statement. The concurrency check is the store's: each stream's new events take the versions
after the one the batch was decided at, and the events table's unique (stream_id, version) turns a stream
someone else appended to meanwhile into a conflict for the whole batch. Nothing is written then, and the batch is
decided again on fresh streams.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import asyncpg

from backan_shared.event_store import EVENT_COLUMNS, NewEvent, RecordedEvent, recorded_event

_LOAD = f"SELECT {EVENT_COLUMNS} FROM events WHERE stream_id = ANY($1::text[]) ORDER BY stream_id, version"
_APPEND = """
INSERT INTO events (event_id, stream_id, stream_type, version, event_type, data, metadata)
SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::text[], $6::jsonb[], $7::jsonb[])
"""


class StreamsChangedError(Exception):
    """A stream of the batch was appended to after the batch loaded it: decide the batch again."""


@dataclass(frozen=True)
class StreamAppend:
    """New events for one stream, decided at `expected_version`."""

    stream_id: str
    expected_version: int
    events: Sequence[NewEvent]


async def load_streams(conn: asyncpg.Connection, stream_ids: Sequence[str]) -> dict[str, list[RecordedEvent]]:
    """The events of each stream that has any, in order."""
    streams: dict[str, list[RecordedEvent]] = {}
    for row in await conn.fetch(_LOAD, list(stream_ids)):
        streams.setdefault(row["stream_id"], []).append(recorded_event(row))
    return streams


async def append_to_streams(conn: asyncpg.Connection, stream_type: str, appends: Sequence[StreamAppend]) -> None:
    """Append every stream's events in one statement (in stream order, so concurrent batches never deadlock)."""
    rows = [
        (
            event.event_id,
            append.stream_id,
            stream_type,
            append.expected_version + n,
            event.type,
            event.data,
            event.metadata,
        )
        for append in sorted(appends, key=lambda a: a.stream_id)
        for n, event in enumerate(append.events, start=1)
    ]
    if not rows:
        return
    try:
        await conn.execute(_APPEND, *(list(column) for column in zip(*rows, strict=True)))
    except asyncpg.UniqueViolationError as violation:
        if violation.constraint_name == "events_stream_id_version_key":
            raise StreamsChangedError(violation.detail or "a stream was appended to meanwhile") from violation
        raise
