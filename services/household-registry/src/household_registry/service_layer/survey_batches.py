"""Recording a batch of review rows (surveys) in one transaction, as an annual review import does.

Each row is decided by its household's aggregate exactly as `record_survey` decides one survey, except that a
survey identical to the year's recorded one is already done (`record_survey_once`). The batch loads every
household it names in one query, decides its rows in file order (a household named twice sees its first row),
and writes them all in one transaction (`write_decided`). A row the domain refuses is a failure with the domain's
reason and changes nothing. If one of the households is written meanwhile, the whole batch is decided again.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

import asyncpg

from household_registry.adapters.event_codec import HouseholdEventCodec
from household_registry.adapters.household_streams import StreamsChangedError, load_streams
from household_registry.domain.errors import InvalidInputError, NotFoundError, StateConflictError
from household_registry.domain.events import HouseholdEvent
from household_registry.domain.household import Household
from household_registry.domain.review_import import BatchOutcome, ParsedRow, ReviewRow, RowFailure
from household_registry.service_layer.aggregates import stream_id
from household_registry.service_layer.batch_writing import DecidedHousehold, write_decided
from household_registry.service_layer.dependencies import Dependencies

ATTEMPTS = 3
_CODEC = HouseholdEventCodec()  # personal data sealed: a survey never needs the head
RowRefused = (InvalidInputError, StateConflictError, NotFoundError)
Within = Callable[[asyncpg.Connection, BatchOutcome], Awaitable[None]]


@dataclass
class _History:
    """One household of the batch: its events (stored, then decided by the batch) and what the batch decided."""

    past: list[HouseholdEvent]
    decided: DecidedHousehold


@dataclass
class _Batch:
    """The households a batch loaded, and what its rows did so far."""

    households: dict[uuid.UUID, _History]
    recorded: int = 0
    unchanged: int = 0
    failures: list[RowFailure] = field(default_factory=list)


async def record_survey_batch(
    services: Dependencies, rows: Sequence[ParsedRow], *, within: Within | None = None
) -> BatchOutcome:
    """Record the rows' surveys; `within` runs last in the batch's transaction (e.g. to save an import's
    progress with the effects it counts)."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return await _record(services, rows, within)
        except (StreamsChangedError, asyncpg.DeadlockDetectedError):
            if attempt == ATTEMPTS:
                raise
    raise AssertionError("unreachable")


async def _record(services: Dependencies, rows: Sequence[ParsedRow], within: Within | None) -> BatchOutcome:
    async with services.pool.acquire() as conn:
        batch = _Batch(await _load(conn, {row.command.household_id for row in rows if isinstance(row, ReviewRow)}))
        for row in rows:
            _decide(services, batch, row)
        outcome = BatchOutcome(len(rows), batch.recorded, batch.unchanged, tuple(batch.failures))
        async with conn.transaction():
            await write_decided(conn, [history.decided for history in batch.households.values()])
            if within is not None:
                await within(conn, outcome)
    return outcome


async def _load(conn: asyncpg.Connection, household_ids: set[uuid.UUID]) -> dict[uuid.UUID, _History]:
    streams = await load_streams(conn, [stream_id(household_id) for household_id in household_ids])
    loaded = {}
    for recorded in streams.values():
        past = [_CODEC.decode(event) for event in recorded]
        household = Household.replay(past)
        loaded[household.household_id] = _History(past, DecidedHousehold(household, len(recorded)))
    return loaded


def _decide(services: Dependencies, batch: _Batch, row: ParsedRow) -> None:
    if isinstance(row, RowFailure):
        batch.failures.append(row)
        return
    history = batch.households.get(row.command.household_id)
    if history is None:
        batch.failures.append(RowFailure(row.row, f"no household {row.command.household_id} is registered"))
        return
    before = history.decided.after  # the household as the batch's earlier rows left it
    try:
        new = before.record_survey_once(row.command, services.reference.standards)
    except RowRefused as refused:
        batch.failures.append(RowFailure(row.row, str(refused)))
        return
    _keep(services, batch, history, before, new)


def _keep(
    services: Dependencies, batch: _Batch, history: _History, before: Household, new: list[HouseholdEvent]
) -> None:
    if not new:
        batch.unchanged += 1
        return
    history.past.extend(new)
    after = Household.replay(history.past)
    decided = history.decided
    decided.events.extend(_CODEC.encode(event) for event in new)
    decided.messages.extend(services.publisher.messages(before, new, after))
    decided.after = after
    batch.recorded += 1
