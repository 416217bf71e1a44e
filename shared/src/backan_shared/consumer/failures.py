"""What a failed attempt to apply records says about its cause: the database away, a conflict with another
transaction, or the event itself. Only the last costs the event an attempt."""

from __future__ import annotations

import asyncio

import asyncpg

from backan_shared.envelope import EnvelopeError

_INFRASTRUCTURE_ERRORS = (
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError,
    ConnectionError,
    OSError,
    asyncio.TimeoutError,
)

# Two transactions taking the same locks in another order, or a serialization conflict: the transaction is tried
# again, and the event it failed on is charged no attempt.
_CONFLICT_ERRORS = (asyncpg.DeadlockDetectedError, asyncpg.SerializationError)


class Abandoned(Exception):
    """The runner is stopping while the database is away: leave the record for the group's next owner."""


def is_database_away(failure: BaseException) -> bool:
    """The database (not the event) is at fault: dead-lettering would lose good events."""
    return isinstance(failure, _INFRASTRUCTURE_ERRORS)


def is_transaction_conflict(failure: BaseException) -> bool:
    """Another transaction held the same locks: the event is not at fault."""
    return isinstance(failure, _CONFLICT_ERRORS)


def costs_an_attempt(failure: BaseException) -> bool:
    """Whether the event is at fault, as far as can be told."""
    return not is_database_away(failure) and not is_transaction_conflict(failure)


def is_malformed(failure: BaseException) -> bool:
    """The record is not a CloudEvent: it cannot get better by retrying."""
    return isinstance(failure, EnvelopeError)
