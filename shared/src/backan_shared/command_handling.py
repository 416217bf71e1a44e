"""Running a command against an event-sourced aggregate: load its stream, decide, append with the expected
version, and write the integration events to the outbox, all in one transaction.

Services provide the three things that differ: a codec between their domain events and stored events, the
decision (a pure function of past events), and the integration events a decision publishes. An optional
projection updates the service's read models in the same transaction, so a read after the write sees it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

import asyncpg

from backan_shared.consistency import consistency_token
from backan_shared.event_store import NewEvent, PostgresEventStore, RecordedEvent
from backan_shared.outbox import OutboxMessage

E = TypeVar("E")


class EventCodec(Protocol[E]):
    """Turns a service's domain events into stored events and back."""

    def encode(self, event: E) -> NewEvent: ...

    def decode(self, recorded: RecordedEvent) -> E: ...


Decide = Callable[[list[E]], Sequence[E]]
Publish = Callable[[Sequence[E]], Sequence[OutboxMessage]]
Project = Callable[[asyncpg.Connection, Sequence[E]], Awaitable[None]]


@dataclass(frozen=True)
class CommandResult(Generic[E]):
    """What a command did: the new events, the stream's version, and a token a later read can wait for."""

    events: Sequence[E]
    version: int
    consistency_token: str | None


async def handle_command(
    store: PostgresEventStore,
    pool: asyncpg.Pool,
    *,
    stream_id: str,
    stream_type: str,
    codec: EventCodec[E],
    decide: Decide[E],
    publish: Publish[E] | None = None,
    project: Project[E] | None = None,
) -> CommandResult[E]:
    """Load, decide, append: a concurrent writer makes this raise ConcurrencyError (HTTP 409) and write nothing."""
    history = await store.load(stream_id)
    past = [codec.decode(recorded) for recorded in history]
    new_events = list(decide(past))
    if not new_events:
        return CommandResult(new_events, len(history), None)
    messages = list(publish(new_events)) if publish else []
    async with pool.acquire() as conn, conn.transaction():
        version = await store.append(
            stream_id,
            stream_type,
            len(history),
            [codec.encode(e) for e in new_events],
            outbox=messages,
            connection=conn,
        )
        if project is not None:
            await project(conn, new_events)
    token = consistency_token(messages[-1].event.source, messages[-1].event.id) if messages else None
    return CommandResult(new_events, version, token)
