"""One way to run a command, in every service: a table from command to handler, a handler that decides on one
aggregate's stream, and `run_command`, which loads the stream, decides, and appends the new events with their
integration events (outbox) and read-model updates in one transaction.

A reader follows a request the same way in each service: the route builds a command and calls the service's
`handle` (a `CommandHandlers` table in `service_layer/handlers.py`); the handler names the aggregate's method
that decides (`decide`); `run_command` stores what it decided, described once per aggregate by an
`AggregateType` (`service_layer/aggregates.py`: stream type, codec, replay, what it publishes and projects).

The dependencies travel as one object (`CommandDependencies` and a service's subclass of it). A caller that
already holds a transaction (a consumer, inside the runner's transaction with its processed-event record)
passes `deps.within(connection)`: the command then runs in a savepoint of that transaction, so its effect
commits or rolls back with the caller's.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Generic, Protocol, Self, TypeVar

import asyncpg

from backan_shared.consistency import consistency_token
from backan_shared.event_store import ConcurrencyError, NewEvent, PostgresEventStore, RecordedEvent
from backan_shared.outbox import OutboxMessage

DECISION_ATTEMPTS = 8
"""How often a command decides on a stream that other writers keep moving before its conflict is the caller's."""
CONFLICT_PAUSE_SECONDS = 0.005
"""The upper bound of the random pause after the first conflict; it grows with each attempt (jitter)."""

A = TypeVar("A")
E = TypeVar("E")
D = TypeVar("D", bound="CommandDependencies")
R = TypeVar("R")


class EventCodec(Protocol[E]):
    """Turns a service's domain events into stored events and back."""

    def encode(self, event: E) -> NewEvent: ...

    def decode(self, recorded: RecordedEvent) -> E: ...


@dataclass(frozen=True, kw_only=True)
class CommandDependencies:
    """What every command needs: the event store and the pool, and the connection of a transaction the command
    must join (none: it opens its own). Services extend it with their own dependencies."""

    store: PostgresEventStore
    pool: asyncpg.Pool
    connection: asyncpg.Connection | None = None

    def within(self, connection: asyncpg.Connection) -> Self:
        """The same dependencies, for commands that run inside `connection`'s open transaction."""
        return replace(self, connection=connection)

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[asyncpg.Connection]:
        """A transaction of the command's own, or a savepoint inside the caller's."""
        if self.connection is not None:
            async with self.connection.transaction():
                yield self.connection
            return
        async with self.pool.acquire() as conn, conn.transaction():
            yield conn


@dataclass
class Change(Generic[A, E]):
    """What a decision changed on one stream: its past events, the aggregate before (None for a new stream),
    the new events, and the aggregate they leave."""

    stream_id: str
    past: Sequence[E]
    before: A | None
    new: Sequence[E]
    after: A


Decide = Callable[[A | None], Sequence[E]]
"""A decision: from the aggregate as its stream leaves it (None when the stream is empty) to the new events."""


def replayed(replay: Callable[[Sequence[E]], A]) -> Callable[[A | None, Sequence[E], Sequence[E]], A]:
    """The aggregate after a decision, by replaying its whole stream: for aggregates whose methods leave them
    as they were (the decision only returns events)."""

    def advance(_before: A | None, past: Sequence[E], new: Sequence[E]) -> A:
        return replay([*past, *new])

    return advance


@dataclass(frozen=True)
class AggregateType(Generic[A, E, D]):
    """How one kind of aggregate is stored, published and projected, written once per service.

    `advance` gives the aggregate after a decision (`replayed(replay)` unless its methods move it on as they
    decide). `project` updates the read models in the command's transaction; it may answer the consistency
    token a read must wait for when that is not the last integration event (None: the default token).
    """

    stream_type: str
    codec: EventCodec[E]
    replay: Callable[[Sequence[E]], A]
    advance: Callable[[A | None, Sequence[E], Sequence[E]], A]
    publish: Callable[[D, Change[A, E]], Sequence[OutboxMessage]]
    project: Callable[[asyncpg.Connection, D, Change[A, E]], Awaitable[str | None]] | None = None


@dataclass(frozen=True)
class CommandResult(Generic[A, E]):
    """What a command did: the new events, the aggregate they leave, the stream's version, and a token a later
    read can wait for (None when nothing was written)."""

    events: Sequence[E]
    aggregate: A | None
    version: int
    consistency_token: str | None


Effects = Callable[[asyncpg.Connection, Change[A, E]], Awaitable[None]]


async def run_command(
    deps: D,
    aggregate: AggregateType[A, E, D],
    stream_id: str,
    decide: Decide[A, E],
    *,
    codec: EventCodec[E] | None = None,
    effects: Effects[A, E] | None = None,
) -> CommandResult[A, E]:
    """Load, decide, append, publish, run `effects` and project, in one transaction.

    A refused decision raises and writes nothing. A concurrent writer on the same stream is absorbed: the
    command loads the stream again and decides again, in turn with the stream's other writers, up to
    `DECISION_ATTEMPTS` times, before its ConcurrencyError reaches the caller (HTTP 409, to retry). `codec` replaces the
    aggregate's own for this command (e.g. one that seals personal fields under a new key).
    """
    for attempt in range(1, DECISION_ATTEMPTS + 1):
        try:
            # The first attempt is optimistic; after a conflict the stream is hot, and the command waits its turn
            # on the stream's lock, so a burst of writers is served one by one instead of colliding again.
            return await _decide_and_append(
                deps, aggregate, stream_id, decide, codec or aggregate.codec, effects, take_turn=attempt > 1
            )
        except ConcurrencyError:
            if attempt == DECISION_ATTEMPTS:
                raise
            await asyncio.sleep(random.uniform(0, CONFLICT_PAUSE_SECONDS * attempt))
    raise AssertionError("unreachable: the last attempt returns or raises")


async def _decide_and_append(
    deps: D,
    aggregate: AggregateType[A, E, D],
    stream_id: str,
    decide: Decide[A, E],
    codec: EventCodec[E],
    effects: Effects[A, E] | None,
    *,
    take_turn: bool,
) -> CommandResult[A, E]:
    async with deps.transaction() as conn:
        if take_turn:
            await deps.store.lock_stream(conn, stream_id)
        history = await deps.store.load(stream_id, connection=conn)
        past = [codec.decode(recorded) for recorded in history]
        before = aggregate.replay(past) if past else None
        new = list(decide(before))
        if not new:
            return CommandResult(new, before, len(history), None)
        change = Change(stream_id, past, before, new, aggregate.advance(before, past, new))
        messages = list(aggregate.publish(deps, change))
        token = consistency_token(messages[-1].event.source, messages[-1].event.id) if messages else None
        encoded = [codec.encode(e) for e in new]
        version = await deps.store.append(
            stream_id, aggregate.stream_type, len(history), encoded, outbox=messages, connection=conn
        )
        if effects is not None:
            await effects(conn, change)
        if aggregate.project is not None:
            token = await aggregate.project(conn, deps, change) or token
    return CommandResult(new, change.after, version, token)


Handler = Callable[[Any, D], Awaitable[R]]


@dataclass(frozen=True)
class CommandHandlers(Generic[D, R]):
    """A service's table from command type to handler: the one place a reader looks up what a command does."""

    table: Mapping[type, Handler[D, R]] = field(default_factory=dict)

    async def __call__(self, command: object, deps: D) -> R:
        """Run the handler registered for the command's type."""
        return await self.table[type(command)](command, deps)
