"""Rebuilding the statement and journal from the event store alone (DESIGN §2: any read model can be dropped
and rebuilt by replay).

Events are read in the store's global order in batches (`PostgresEventStore.read_all`), then the tables are
emptied and written again in one transaction, so a reader sees the old read models or the new ones, never a
mix. That transaction first locks the tables: a command projects under the same lock, so none can write
between the replay and the swap, and any that committed while the events were being read (which `read_all`
may hold back behind an older transaction still running) is caught up from its stream before the swap.
"""

from __future__ import annotations

import asyncpg

from backan_shared.event_store import GlobalPosition, PostgresEventStore, RecordedEvent
from campaign_ledger.adapters.event_codec import STREAM_TYPE, CampaignEventCodec
from campaign_ledger.adapters.read_models import clear_read_models
from campaign_ledger.service_layer.projection import project_campaign

Streams = dict[str, list[RecordedEvent]]
_CODEC = CampaignEventCodec()


async def rebuild_read_models(store: PostgresEventStore, pool: asyncpg.Pool, *, batch_size: int = 1000) -> int:
    """Replace the statement and journal of every campaign by their replay; return how many campaigns."""
    streams = await read_campaign_streams(store, batch_size)
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("LOCK TABLE campaign_statements, journal_lines IN EXCLUSIVE MODE")
        await _catch_up(conn, store, streams)
        await clear_read_models(conn)
        for stream in streams.values():
            ordered = sorted(stream, key=lambda recorded: recorded.version)
            events = [_CODEC.decode(recorded) for recorded in ordered]
            await project_campaign(conn, [], events, as_of=ordered[-1].recorded_at)
    return len(streams)


async def read_campaign_streams(store: PostgresEventStore, batch_size: int) -> Streams:
    """Every campaign's events, read in the global order in batches of `batch_size`."""
    streams: Streams = {}
    after = GlobalPosition()
    while batch := await store.read_all(after, limit=batch_size):
        for recorded in batch:
            if recorded.stream_type == STREAM_TYPE:
                streams.setdefault(recorded.stream_id, []).append(recorded)
        after = batch[-1].global_position
    return streams


async def _catch_up(conn: asyncpg.Connection, store: PostgresEventStore, streams: Streams) -> None:
    rows = await conn.fetch(
        "SELECT stream_id, max(version) AS version FROM events WHERE stream_type = $1 GROUP BY stream_id", STREAM_TYPE
    )
    for row in rows:
        stream = streams.setdefault(row["stream_id"], [])
        if len(stream) < row["version"]:
            stream.extend(await store.load(row["stream_id"], after_version=len(stream)))
