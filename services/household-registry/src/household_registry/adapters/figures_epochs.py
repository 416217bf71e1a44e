"""The epochs in which commands note the communes whose poverty figures they changed, for the publisher.

A command notes its communes in the open epoch while holding a shared advisory lock; the publisher closes the
epoch under the same lock held alone, which waits until every command that noted in it has committed. So once
an epoch is closed, everything noted in it is visible, and the figures the publisher then counts include every
one of those commands: the closing event, the last figures message of the epoch's round, is a consistency token
for all of them. Commands never wait on each other here, only briefly on a closing.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass

import asyncpg

_EPOCH_LOCK_KEY = 7_301_946_514
Changes = Mapping[int, set[str]]
"""The communes whose figures changed, by year."""


def as_columns(changes: Changes) -> tuple[list[int], list[str]]:
    """The changes as two parallel arrays (year, commune), for `unnest($1::int[], $2::text[])`."""
    pairs = [(year, commune) for year, communes in changes.items() for commune in communes]
    return [year for year, _ in pairs], [commune for _, commune in pairs]


@dataclass(frozen=True)
class ClosedEpoch:
    """An epoch whose commands have all committed, waiting for its figures to be published."""

    epoch: int
    closing_event: uuid.UUID


async def note_changes(conn: asyncpg.Connection, changes: Changes) -> uuid.UUID:
    """Note the changed communes in the open epoch (in the caller's transaction); return its closing event."""
    await conn.execute("SELECT pg_advisory_xact_lock_shared($1)", _EPOCH_LOCK_KEY)
    # A statement of its own after the lock: its snapshot then sees the epoch a closing that went before opened.
    closing_event: uuid.UUID = await conn.fetchval(
        """WITH open AS (SELECT epoch, closing_event FROM figures_epochs WHERE NOT closed),
                noted AS (INSERT INTO figures_pending (epoch, year, commune_code)
                          SELECT open.epoch, c.year, c.commune_code
                          FROM open, unnest($1::int[], $2::text[]) AS c(year, commune_code))
           SELECT closing_event FROM open""",
        *as_columns(changes),
    )
    return closing_event


async def close_open_epoch(conn: asyncpg.Connection) -> None:
    """Close the open epoch if anything committed was noted in it, and open the next."""
    noted = await conn.fetchval(
        """SELECT EXISTS (SELECT 1 FROM figures_pending
                          WHERE epoch = (SELECT epoch FROM figures_epochs WHERE NOT closed))"""
    )
    if not noted:
        return
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", _EPOCH_LOCK_KEY)
        await conn.execute("UPDATE figures_epochs SET closed = true WHERE NOT closed")
        await conn.execute("INSERT INTO figures_epochs DEFAULT VALUES")


async def closed_epochs(conn: asyncpg.Connection) -> list[ClosedEpoch]:
    """The closed epochs not published yet, oldest first (more than one only after a publisher stopped midway)."""
    rows = await conn.fetch("SELECT epoch, closing_event FROM figures_epochs WHERE closed ORDER BY epoch")
    return [ClosedEpoch(row["epoch"], row["closing_event"]) for row in rows]


async def take_changes(conn: asyncpg.Connection, epoch: ClosedEpoch) -> dict[int, set[str]]:
    """Remove what was noted up to this epoch and return it (in the caller's transaction)."""
    rows = await conn.fetch("DELETE FROM figures_pending WHERE epoch <= $1 RETURNING year, commune_code", epoch.epoch)
    changes: dict[int, set[str]] = {}
    for row in rows:
        changes.setdefault(row["year"], set()).add(row["commune_code"])
    return changes


async def finish_epoch(conn: asyncpg.Connection, epoch: ClosedEpoch) -> None:
    """Forget an epoch whose figures are published (in the publishing transaction)."""
    await conn.execute("DELETE FROM figures_epochs WHERE epoch = $1", epoch.epoch)
