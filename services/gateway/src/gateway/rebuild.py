"""Rebuild every composed read model from the start of the topics, while the API keeps answering.

1. Clone the live tables' shapes into a new schema (`read_models_next`).
2. Replay every feed's topic from its first offset to its end offsets into it, thousands of events per
   transaction, logging progress (events applied / read / end offsets); then catch up once more.
3. In one transaction: close the gate (consumers wait, those writing finish), catch up to the end offsets
   of that moment, and swap the schemas by renaming them. Reads never stop: before the swap they see the old
   tables, after it the new ones, whole.
4. Drop the retired tables one at a time, so a read still on one only delays its drop.

Live consumers keep their offsets and processed events: everything they applied before the swap is in the
topics below the end offsets read under the closed gate, and everything after it lands in the new tables.
A duplicate in a topic (at-least-once publishing) is applied once, by event id, as the consumers do; an event
that cannot be applied is logged and skipped, as the consumers dead-letter it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import asyncpg
from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from pydantic import ValidationError

from backan_shared.database import create_pool
from backan_shared.envelope import CloudEvent, EnvelopeError, from_kafka
from backan_shared.logs import get_logger
from gateway.projections.feeds import Feed, apply_events, feeds
from gateway.projections.schema import LIVE, NEXT, RETIRED, close_gate, use_schema

log = get_logger(__name__)

BATCH_SIZE = 2000
# The replay reads up to end offsets it already knows: a fetch long-polling the broker for more would only
# hold back the offset requests queued behind it on the same connection (500 ms each by default).
FETCH_WAIT_MS = 20
_REBUILD_LOCK = 6_120_402_338  # one rebuild at a time per database
_INFRASTRUCTURE_ERRORS = (asyncpg.PostgresConnectionError, asyncpg.InterfaceError, OSError)
_EVENT_ERRORS = (EnvelopeError, ValidationError, asyncpg.PostgresError)

Report = Callable[[str], None]
_Replayed = tuple[Feed, CloudEvent, int]
"""An event to apply, with its feed and its record's offset (for the log, if it must be skipped)."""


class RebuildError(RuntimeError):
    """The rebuild cannot start or finish; the live read models are left as they were."""


@dataclass
class RebuildProgress:
    """How far the replay has come."""

    applied: int = 0
    duplicates: int = 0
    skipped: int = 0
    read: int = 0
    end_offsets: dict[TopicPartition, int] = field(default_factory=dict)

    def line(self) -> str:
        """One progress line: events applied, read, and the total the topics held at the last look."""
        total = sum(self.end_offsets.values())
        return (
            f"{self.applied} events applied ({self.duplicates} duplicates, {self.skipped} skipped), "
            f"{self.read}/{total} read to the end offsets"
        )


async def rebuild_read_models(
    pool: asyncpg.Pool, bootstrap_servers: str, all_feeds: Sequence[Feed], *, report: Report = lambda _: None
) -> RebuildProgress:
    """Rebuild the live read models from the feeds' topics and swap them in; the progress it ended with."""
    async with pool.acquire() as conn:
        if not await conn.fetchval("SELECT pg_try_advisory_lock($1)", _REBUILD_LOCK):
            raise RebuildError("another rebuild of the gateway's read models is running")
        try:
            return await _rebuild(conn, bootstrap_servers, all_feeds, report)
        finally:
            await conn.execute("SELECT pg_advisory_unlock($1)", _REBUILD_LOCK)


async def _rebuild(
    conn: asyncpg.Connection, bootstrap_servers: str, all_feeds: Sequence[Feed], report: Report
) -> RebuildProgress:
    await prepare_next_schema(conn)
    replay = TopicReplay(bootstrap_servers, all_feeds, report)
    try:
        await replay.start()
        await replay.to_end(conn)
        await replay.to_end(conn)  # what arrived during the first pass, so the gate stays closed only briefly
        async with conn.transaction():
            await close_gate(conn)
            await replay.to_end(conn)
            await swap_schemas(conn)
    finally:
        await replay.stop()
    report("swapped the rebuilt read models in")
    await drop_retired(conn)
    return replay.progress


async def prepare_next_schema(conn: asyncpg.Connection) -> None:
    """An empty schema with every live table's shape (columns, defaults, keys, indexes)."""
    tables = await _tables(conn, LIVE)
    if not tables:
        raise RebuildError("the gateway's database has no read models yet: start the gateway once first")
    async with conn.transaction():
        await conn.execute(f"DROP SCHEMA IF EXISTS {NEXT} CASCADE")
        await conn.execute(f"DROP SCHEMA IF EXISTS {RETIRED} CASCADE")
        await conn.execute(f"CREATE SCHEMA {NEXT}")
        for table in tables:
            await conn.execute(f'CREATE TABLE {NEXT}."{table}" (LIKE {LIVE}."{table}" INCLUDING ALL)')


async def _tables(conn: asyncpg.Connection, schema: str) -> list[str]:
    rows = await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY tablename", schema)
    return [row["tablename"] for row in rows]


async def swap_schemas(conn: asyncpg.Connection) -> None:
    """Make the rebuilt schema the live one (inside the caller's transaction)."""
    await conn.execute(f"ALTER SCHEMA {LIVE} RENAME TO {RETIRED}")
    await conn.execute(f"ALTER SCHEMA {NEXT} RENAME TO {LIVE}")


async def drop_retired(conn: asyncpg.Connection) -> None:
    """Drop the old tables one per transaction: holding one lock at a time, the drop can never deadlock a read."""
    for table in await _tables(conn, RETIRED):
        await conn.execute(f'DROP TABLE {RETIRED}."{table}"')
    await conn.execute(f"DROP SCHEMA IF EXISTS {RETIRED}")


class TopicReplay:
    """Reads the feeds' topics from their first offsets, without a consumer group, into the next schema."""

    def __init__(self, bootstrap_servers: str, all_feeds: Sequence[Feed], report: Report):
        self._feeds = {feed.topic: feed for feed in all_feeds}
        self._bootstrap_servers = bootstrap_servers
        self._consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap_servers,
            group_id=None,
            enable_auto_commit=False,
            fetch_max_wait_ms=FETCH_WAIT_MS,
        )
        self._report = report
        self._seen: set[tuple[str, str]] = set()  # (feed, event id) of every event applied so far
        self.progress = RebuildProgress()

    async def start(self) -> None:
        """Assign every partition of the feeds' topics, at its first offset."""
        partitions = await _partitions(self._bootstrap_servers, list(self._feeds))
        await self._consumer.start()
        self._consumer.assign(partitions)
        if partitions:
            await self._consumer.seek_to_beginning(*partitions)

    async def stop(self) -> None:
        await self._consumer.stop()

    async def to_end(self, conn: asyncpg.Connection) -> None:
        """Apply every record up to the topics' end offsets as of now."""
        partitions = list(self._consumer.assignment())
        self.progress.end_offsets = await self._consumer.end_offsets(partitions)
        while await self._behind():
            batch = await self._consumer.getmany(timeout_ms=500, max_records=BATCH_SIZE)
            records = [record for records in batch.values() for record in records]
            if records:
                await self._apply_batch(conn, records)
                self._say_progress()

    async def _behind(self) -> bool:
        for partition, end in self.progress.end_offsets.items():
            if await self._consumer.position(partition) < end:
                return True
        return False

    async def _apply_batch(self, conn: asyncpg.Connection, records: list[ConsumerRecord[bytes, bytes]]) -> None:
        """Apply a batch in one transaction: all at once, each distinct statement run once for all its events
        (the handlers' statements commute), and only if one of them fails, one by one with a savepoint each so
        that the failed one alone is skipped (per-event round trips would cost most of the replay's time, for a
        failure that almost never happens)."""
        events = self._first_seen(records)
        try:
            async with conn.transaction():
                await use_schema(conn, NEXT)
                applied = await self._apply_all(conn, events)
        except _INFRASTRUCTURE_ERRORS:
            raise
        except _EVENT_ERRORS:
            async with conn.transaction():
                await use_schema(conn, NEXT)
                applied = await self._apply_one_by_one(conn, events)
        self._seen.update((feed.name, event.id) for feed, event, _ in events)  # a skipped event is not retried
        self.progress.applied += len(applied)
        self.progress.read += len(records)

    def _first_seen(self, records: list[ConsumerRecord[bytes, bytes]]) -> list[_Replayed]:
        """The batch's events not applied before (a duplicate in a topic is applied once, by event id), each
        with its record's offset; records that are not events are skipped."""
        events, in_batch = [], set()
        for record in records:
            feed = self._feeds[record.topic]
            try:
                event = from_kafka(list(record.headers or ()), record.value)
            except EnvelopeError as error:
                self._skip(record.topic, record.offset, error)
                continue
            key = (feed.name, event.id)
            if key in self._seen or key in in_batch:
                self.progress.duplicates += 1
                continue
            in_batch.add(key)
            events.append((feed, event, record.offset))
        return events

    async def _apply_all(self, conn: asyncpg.Connection, events: list[_Replayed]) -> list[_Replayed]:
        by_feed: dict[str, tuple[Feed, list[CloudEvent]]] = {}
        for feed, event, _ in events:
            by_feed.setdefault(feed.name, (feed, []))[1].append(event)
        for feed, of_feed in by_feed.values():
            await apply_events(feed, conn, of_feed)  # as the live consumers do
        return events

    async def _apply_one_by_one(self, conn: asyncpg.Connection, events: list[_Replayed]) -> list[_Replayed]:
        applied = []
        for feed, event, offset in events:
            try:
                async with conn.transaction():  # a savepoint: a failed event leaves nothing behind
                    await apply_events(feed, conn, [event])
            except _INFRASTRUCTURE_ERRORS:
                raise
            except _EVENT_ERRORS as error:
                self._skip(feed.topic, offset, error)
                continue
            applied.append((feed, event, offset))
        return applied

    def _skip(self, topic: str, offset: int, error: Exception) -> None:
        self.progress.skipped += 1
        log.warning("event skipped in rebuild", topic=topic, offset=offset, error=repr(error))

    def _say_progress(self) -> None:
        line = self.progress.line()
        log.info("rebuild progress", applied=self.progress.applied, read=self.progress.read, line=line)
        self._report(line)


async def _partitions(bootstrap_servers: str, topics: list[str]) -> list[TopicPartition]:
    """Every partition of the topics that exist (a topic no service has declared yet has nothing to replay)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        described = await admin.describe_topics([topic for topic in topics if topic in existing])
    finally:
        await admin.close()
    return sorted(TopicPartition(topic["topic"], p["partition"]) for topic in described for p in topic["partitions"])


def feeds_from_environment() -> list[Feed]:
    """The feeds a gateway started in this environment reads (its settings' variables, else the defaults)."""
    named = {
        "campaign_topic": os.environ.get("CAMPAIGN_TOPIC"),
        "household_topic": os.environ.get("HOUSEHOLD_TOPIC"),
        "dti_topic": os.environ.get("DTI_TOPIC"),
        "group_prefix": os.environ.get("CONSUMER_GROUP_PREFIX"),
    }
    return feeds(**{name: value for name, value in named.items() if value})


async def rebuild_gateway(database_url: str, bootstrap_servers: str, *, report: Report) -> RebuildProgress:
    """`./dx rebuild gateway`: rebuild the read models of the gateway database at `database_url`."""
    try:
        pool = await create_pool(database_url, min_size=1, max_size=2)
    except (OSError, asyncpg.PostgresError) as error:
        raise RebuildError(f"cannot open the gateway's database ({error}): is the system up?") from error
    try:
        report(f"rebuilding the gateway's read models from {', '.join(f.topic for f in feeds_from_environment())}")
        return await rebuild_read_models(pool, bootstrap_servers, feeds_from_environment(), report=report)
    finally:
        await pool.close()
