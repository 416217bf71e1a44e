"""The statement and public journal tables (migrations/001_read_models.sql): written inside the transaction that
appends the events they come from, read by the GET routes.

The statement is stored whole, as JSON, because it is always served whole; the journal one row per posting,
because it is served (and exported to CSV) one row per posting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any

import asyncpg

from campaign_ledger.domain.public_journal import JournalLine
from campaign_ledger.domain.statement import CampaignStatement

_LINE_COLUMNS = [f.name for f in fields(JournalLine)]


@dataclass(frozen=True)
class StoredStatement:
    """A campaign's statement as stored: its JSON document, and when its last event was recorded."""

    document: dict[str, Any]
    as_of: dt.datetime


async def save_statement(conn: asyncpg.Connection, statement: CampaignStatement, as_of: dt.datetime | None) -> None:
    """Store the statement; `as_of` None means now, the time of the transaction that records its events."""
    await conn.execute(
        """INSERT INTO campaign_statements (campaign_id, version, statement, as_of)
           VALUES ($1, $2, $3, coalesce($4, now()))
           ON CONFLICT (campaign_id) DO UPDATE
           SET version = excluded.version, statement = excluded.statement, as_of = excluded.as_of
           WHERE campaign_statements.version < excluded.version""",
        statement.campaign_id,
        statement.version,
        asdict(statement),
        as_of,
    )


async def append_journal_lines(conn: asyncpg.Connection, campaign_id: str, lines: Sequence[JournalLine]) -> None:
    """Add journal lines after the campaign's last ones (COPY: a rebuild writes thousands at once)."""
    if not lines:
        return
    records = [(campaign_id, *_row(line)) for line in lines]
    await conn.copy_records_to_table("journal_lines", records=records, columns=["campaign_id", *_LINE_COLUMNS])


def _row(line: JournalLine) -> tuple[Any, ...]:
    values = asdict(line) | {"date": dt.date.fromisoformat(line.date)}
    return tuple(values[column] for column in _LINE_COLUMNS)


async def clear_read_models(conn: asyncpg.Connection) -> None:
    """Empty the statement and journal tables, before they are rebuilt from the event store."""
    await conn.execute("TRUNCATE campaign_statements, journal_lines")


async def load_statement(pool: asyncpg.Pool, campaign_id: str) -> StoredStatement | None:
    """A campaign's stored statement, or None for a campaign this service never opened."""
    async with pool.acquire() as conn:
        row = await conn.fetchrow(
            "SELECT statement, as_of FROM campaign_statements WHERE campaign_id = $1", campaign_id
        )
    return None if row is None else StoredStatement(row["statement"], row["as_of"])


async def load_journal(pool: asyncpg.Pool, campaign_id: str, entry_id: str | None = None) -> list[JournalLine]:
    """Every line of a campaign's journal in order, or the lines of one entry."""
    async with pool.acquire() as conn:
        rows = await conn.fetch(
            f"""SELECT {", ".join(_LINE_COLUMNS)} FROM journal_lines
                WHERE campaign_id = $1 AND ($2::text IS NULL OR entry_id = $2) ORDER BY id""",
            campaign_id,
            entry_id,
        )
    return [_line(row) for row in rows]


def _line(row: asyncpg.Record) -> JournalLine:
    values = dict(row)
    return JournalLine(**(values | {"date": values["date"].isoformat()}))
