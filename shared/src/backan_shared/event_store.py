"""The event store on PostgreSQL: streams with optimistic concurrency, snapshots, and a global order that
readers can follow without ever skipping an event whose transaction commits late.

The global order. `global_position` is a bigserial: drawn at insert, visible at commit, so positions commit
out of order and a reader that follows "greater than the last position I saw" skips a late committer. Each
row also stores the id of the transaction that wrote it (`pg_current_xact_id()`). A reader orders by
(transaction_id, global_position) and reads only rows whose transaction id is below
`pg_snapshot_xmin(pg_current_snapshot())`, the oldest transaction still running: every transaction below that
horizon has finished, and every transaction that finishes later has an id at or above it, so it sorts after
everything already read. We chose this over serialising writers (one global lock) because writers to
different streams stay concurrent; the price is that one long transaction holds every reader back, which is
why the harness sets `idle_in_transaction_session_timeout`. Transaction ids are cluster-wide: a long transaction
in another database on the same server holds readers back too (give busy services their own server).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import asyncpg

from backan_shared.outbox import OutboxMessage, write_outbox


class EventStoreError(Exception):
    """Root of the event store's errors."""


class ConcurrencyError(EventStoreError):
    """The stream is not at the version the writer expected: someone else wrote first. Nothing was written."""

    def __init__(self, stream_id: str, expected: int, actual: int | None):
        shown = "unknown (a concurrent writer)" if actual is None else str(actual)
        super().__init__(f"stream {stream_id} is at version {shown}, not the expected {expected}")
        self.stream_id = stream_id
        self.expected = expected
        self.actual = actual


@dataclass(frozen=True)
class NewEvent:
    """A domain event about to be appended."""

    type: str
    data: dict[str, Any]
    metadata: dict[str, Any] = field(default_factory=dict)
    event_id: uuid.UUID = field(default_factory=uuid.uuid4)


@dataclass(frozen=True, order=True)
class GlobalPosition:
    """A place in the global order: (transaction id, position). The zero value is before every event."""

    transaction_id: int = 0
    position: int = 0


@dataclass(frozen=True)
class RecordedEvent:
    event_id: uuid.UUID
    stream_id: str
    stream_type: str
    version: int
    type: str
    data: dict[str, Any]
    metadata: dict[str, Any]
    recorded_at: datetime
    global_position: GlobalPosition


@dataclass(frozen=True)
class Snapshot:
    stream_id: str
    version: int
    state: dict[str, Any]


# The columns `recorded_event` decodes: an adapter that reads the events table with a query of its own (a
# rebuild on its own connection, a batch loading many streams) selects these and decodes rows the same way.
EVENT_COLUMNS = (
    "event_id, stream_id, stream_type, version, event_type, data, metadata, recorded_at, "
    "transaction_id::text::bigint AS transaction_id, global_position"
)


_INSERT_IF_AT_VERSION = """
WITH inserted AS (
    INSERT INTO events (event_id, stream_id, stream_type, version, event_type, data, metadata)
    SELECT e.event_id, $1, $2, $3 + e.n, e.event_type, e.data, e.metadata
    FROM unnest($4::uuid[], $5::text[], $6::jsonb[], $7::jsonb[])
         WITH ORDINALITY AS e(event_id, event_type, data, metadata, n)
    WHERE (SELECT coalesce(max(version), 0) FROM events WHERE stream_id = $1) = $3
    RETURNING 1
)
SELECT count(*) FROM inserted
"""


def recorded_event(row: asyncpg.Record) -> RecordedEvent:
    """A row of the events table, selected as `EVENT_COLUMNS`, as the event it records."""
    return RecordedEvent(
        event_id=row["event_id"],
        stream_id=row["stream_id"],
        stream_type=row["stream_type"],
        version=row["version"],
        type=row["event_type"],
        data=row["data"],
        metadata=row["metadata"],
        recorded_at=row["recorded_at"],
        global_position=GlobalPosition(row["transaction_id"], row["global_position"]),
    )


class PostgresEventStore:
    """Append, load and follow events in one service's database."""

    def __init__(self, pool: asyncpg.Pool):
        self._pool = pool

    async def append(
        self,
        stream_id: str,
        stream_type: str,
        expected_version: int,
        events: Sequence[NewEvent],
        *,
        outbox: Sequence[OutboxMessage] = (),
        connection: asyncpg.Connection | None = None,
    ) -> int:
        """Append `events` to a stream at `expected_version` (0 for a new stream), with the integration
        events for the outbox, atomically. Returns the stream's new version.

        Pass `connection` (inside a transaction) to make the append part of a larger unit of work, such as
        a read model updated in the same transaction.
        """
        if connection is not None:
            async with connection.transaction():  # a savepoint: a conflict leaves the caller's transaction usable
                return await self._append(connection, stream_id, stream_type, expected_version, events, outbox)
        async with self._pool.acquire() as conn:
            if not outbox:  # one statement is its own transaction: one round trip on the hot path
                return await self._append(conn, stream_id, stream_type, expected_version, events, outbox)
            async with conn.transaction():
                return await self._append(conn, stream_id, stream_type, expected_version, events, outbox)

    async def _append(
        self,
        conn: asyncpg.Connection,
        stream_id: str,
        stream_type: str,
        expected_version: int,
        events: Sequence[NewEvent],
        outbox: Sequence[OutboxMessage],
    ) -> int:
        # The version check and the insert are one statement; a writer racing past the check is stopped by
        # the unique (stream_id, version) index instead.
        try:
            inserted = await conn.fetchval(
                _INSERT_IF_AT_VERSION,
                stream_id,
                stream_type,
                expected_version,
                [e.event_id for e in events],
                [e.type for e in events],
                [e.data for e in events],
                [e.metadata for e in events],
            )
        except asyncpg.UniqueViolationError as violation:
            if violation.constraint_name == "events_stream_id_version_key":
                raise ConcurrencyError(stream_id, expected_version, None) from violation
            raise
        if inserted != len(events):
            actual = await conn.fetchval("SELECT coalesce(max(version), 0) FROM events WHERE stream_id = $1", stream_id)
            raise ConcurrencyError(stream_id, expected_version, actual)
        await write_outbox(conn, outbox)
        return expected_version + len(events)

    async def load(
        self, stream_id: str, *, after_version: int = 0, connection: asyncpg.Connection | None = None
    ) -> list[RecordedEvent]:
        """A stream's events in order, from after `after_version` (e.g. a snapshot's version); on `connection`
        when given, so a command inside a caller's transaction sees what that transaction wrote."""
        query = f"SELECT {EVENT_COLUMNS} FROM events WHERE stream_id = $1 AND version > $2 ORDER BY version"
        if connection is not None:
            return [recorded_event(r) for r in await connection.fetch(query, stream_id, after_version)]
        async with self._pool.acquire() as conn:
            rows = await conn.fetch(query, stream_id, after_version)
        return [recorded_event(r) for r in rows]

    async def lock_stream(self, connection: asyncpg.Connection, stream_id: str) -> None:
        """Wait for the stream's turn: a lock its writers may take, held until `connection`'s transaction ends.

        Appending never needs it (the expected version guards every append); a command takes it after a conflict,
        so the writers of a hot stream take turns instead of colliding again and again.
        """
        await connection.execute("SELECT pg_advisory_xact_lock(hashtext('event-stream'), hashtext($1))", stream_id)

    async def stream_version(self, stream_id: str) -> int:
        async with self._pool.acquire() as conn:
            version = await conn.fetchval(
                "SELECT coalesce(max(version), 0) FROM events WHERE stream_id = $1", stream_id
            )
        return int(version)

    async def read_all(self, after: GlobalPosition = GlobalPosition(), *, limit: int = 1000) -> list[RecordedEvent]:
        """Up to `limit` committed events after `after` in the global order, never skipping a late commit."""
        async with self._pool.acquire() as conn:
            rows = await conn.fetch(
                f"""SELECT {EVENT_COLUMNS} FROM events
                    WHERE (transaction_id, global_position) > ($1::text::xid8, $2)
                      AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
                    ORDER BY transaction_id, global_position
                    LIMIT $3""",
                str(after.transaction_id),
                after.position,
                limit,
            )
        return [recorded_event(r) for r in rows]

    async def save_snapshot(self, snapshot: Snapshot) -> None:
        """Keep an aggregate's state at a version, so loading it replays only what came after."""
        async with self._pool.acquire() as conn:
            await conn.execute(
                """INSERT INTO snapshots (stream_id, version, state) VALUES ($1, $2, $3)
                   ON CONFLICT (stream_id) DO UPDATE
                   SET version = excluded.version, state = excluded.state, taken_at = now()
                   WHERE snapshots.version < excluded.version""",
                snapshot.stream_id,
                snapshot.version,
                snapshot.state,
            )

    async def load_snapshot(self, stream_id: str) -> Snapshot | None:
        async with self._pool.acquire() as conn:
            row = await conn.fetchrow("SELECT version, state FROM snapshots WHERE stream_id = $1", stream_id)
        return None if row is None else Snapshot(stream_id, row["version"], row["state"])

    async def delete_snapshot(self, stream_id: str) -> None:
        """Drop a snapshot (erasure must reach snapshots as well as events)."""
        async with self._pool.acquire() as conn:
            await conn.execute("DELETE FROM snapshots WHERE stream_id = $1", stream_id)
