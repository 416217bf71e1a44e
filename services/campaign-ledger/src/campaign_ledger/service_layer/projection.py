"""Keeping the statement and the public journal up to date, inside the transaction that appends the events.

The statement is folded from the campaign's whole stream by the domain's `CampaignStatement`, and the journal
gets the lines of the new entries only (entries are never edited), so a read right after a write sees it and
a rebuild from the event store (`rebuild.py`) produces exactly what was kept live.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import asyncpg

from campaign_ledger.adapters.read_models import append_journal_lines, save_statement
from campaign_ledger.domain.events import CampaignEvent
from campaign_ledger.domain.public_journal import JournalLine, PublicJournal
from campaign_ledger.domain.statement import CampaignStatement


async def project_campaign(
    conn: asyncpg.Connection,
    past: Sequence[CampaignEvent],
    new: Sequence[CampaignEvent],
    *,
    as_of: dt.datetime | None = None,
) -> None:
    """Bring a campaign's statement and journal from `past` up to `new`, in the caller's transaction.

    `as_of` is when the last event was recorded; None means now, the time of the transaction recording `new`.
    """
    events = [*past, *new]
    await save_statement(conn, CampaignStatement.from_events(events), as_of)
    await append_journal_lines(conn, events[0].campaign_id, new_journal_lines(past, new))


def new_journal_lines(past: Sequence[CampaignEvent], new: Sequence[CampaignEvent]) -> list[JournalLine]:
    """The public journal lines of the entries in `new`, attributed to donors as the whole stream says."""
    journal = PublicJournal.from_events(past)
    known = len(journal.entries)
    for event in new:
        journal.apply(event)
    return PublicJournal(entries=journal.entries[known:]).lines()
