"""What a read-model family hands the feeds: one handler per integration event payload it reads.

A handler does not touch the database: it answers the one statement (`Write`) its event needs, or none. Every
statement is idempotent and commutes with every other (a fact keyed by its id, an upsert guarded by a revision
or a timestamp), so the live consumers and the rebuild run a batch's statements grouped by statement, one round
trip per statement rather than one per event, with the result of running them one by one in order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg
from pydantic import BaseModel


@dataclass(frozen=True)
class Write:
    """One parameterised statement on the read models of the transaction's schema."""

    sql: str
    args: tuple[Any, ...]


PayloadHandler = Callable[[Any, datetime], Write | None]
"""The statement one event's payload needs (None: nothing); the datetime is the event's own time (`ce_time`)."""

Handlers = Mapping[type[BaseModel], PayloadHandler]


def write(sql: str, *args: Any) -> Write:
    return Write(sql, args)


async def run_writes(conn: asyncpg.Connection, writes: Iterable[Write]) -> None:
    """Run many events' statements in the caller's transaction, each distinct statement once for all its rows
    (asyncpg pipelines `executemany`), in the order the statements first appear."""
    grouped: dict[str, list[tuple[Any, ...]]] = {}
    for one in writes:
        grouped.setdefault(one.sql, []).append(one.args)
    for sql, rows in grouped.items():
        await conn.executemany(sql, rows)
