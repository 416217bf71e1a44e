"""The processed-events record: which events a consumer group has applied or dead-lettered.

Written in the transaction of the effect it records, it turns a redelivered event into a no-op: at-least-once
delivery plus this record give each event exactly one effect. This module is its one writer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import asyncpg

Outcome = Literal["applied", "dead-lettered"]


async def record_processed(
    connection: asyncpg.Connection,
    group_id: str,
    events: Sequence[tuple[str, str]],
    outcome: Outcome = "applied",
) -> set[str]:
    """Record the events (`(event id, topic)` pairs) as processed by the group, in one statement; return the ids
    recorded now, not before (an id twice in `events` is recorded, and returned, once)."""
    rows = await connection.fetch(
        """INSERT INTO processed_events (consumer_group, event_id, topic, outcome)
           SELECT $1, e.event_id, e.topic, $4 FROM unnest($2::text[], $3::text[]) AS e(event_id, topic)
           ON CONFLICT DO NOTHING RETURNING event_id""",
        group_id,
        [event_id for event_id, _ in events],
        [topic for _, topic in events],
        outcome,
    )
    return {row["event_id"] for row in rows}
