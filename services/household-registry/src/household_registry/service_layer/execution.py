"""Running a decision on one household through the shared `handle_command`, with the registry's projection."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Awaitable, Callable, Sequence

import asyncpg

from backan_shared.command_handling import CommandResult, handle_command
from backan_shared.consistency import consistency_token
from backan_shared.outbox import OutboxMessage
from household_registry.adapters.event_codec import HouseholdEventCodec
from household_registry.domain.errors import HouseholdNotRegisteredError
from household_registry.domain.events import HouseholdEvent
from household_registry.domain.household import Household
from household_registry.service_layer.figures_publishing import note_changed_figures
from household_registry.service_layer.projection import project_households
from household_registry.service_layer.services import RegistryServices

STREAM_TYPE = "household"
Effects = Callable[[asyncpg.Connection, Household], Awaitable[None]]


def stream_id(household_id: uuid.UUID) -> str:
    """The event stream of one household."""
    return f"household-{household_id}"


def registered(household: Household | None, household_id: uuid.UUID) -> Household:
    """The household a command names, which must exist."""
    if household is None:
        raise HouseholdNotRegisteredError(f"no household {household_id} is registered")
    return household


class Decision:
    """One command's decision, remembering the household before and after so publishing and projecting can
    describe the change without loading it again."""

    def __init__(self, decide: Callable[[Household | None], list[HouseholdEvent]]) -> None:
        self._decide = decide
        self.before: Household | None = None
        self._after: Household | None = None

    def __call__(self, past: list[HouseholdEvent]) -> list[HouseholdEvent]:
        self.before = Household.replay(past) if past else None
        new = self._decide(self.before)
        self._after = Household.replay([*past, *new]) if new else self.before
        return new

    def after(self) -> Household:
        """The household once the new events are applied (only asked for after a decision with events)."""
        assert self._after is not None, "no decision was made yet"
        return self._after


async def execute(
    services: RegistryServices,
    household_id: uuid.UUID,
    decision: Decision,
    *,
    codec: HouseholdEventCodec | None = None,
    effects: Effects | None = None,
) -> CommandResult[HouseholdEvent]:
    """Decide, append, publish and project in one transaction; `effects` run first inside it.

    A change to the household's classification records is noted for the figures publisher; the answer's
    consistency token then names the figures event that will include it, so a read of the gateway's poverty
    figures that waits for it sees this write.
    """
    figures_events: list[uuid.UUID] = []

    def publish(new: Sequence[HouseholdEvent]) -> Sequence[OutboxMessage]:
        return services.publisher.messages(decision.before, new, decision.after())

    async def project(conn: asyncpg.Connection, _: Sequence[HouseholdEvent]) -> None:
        after = decision.after()
        if effects is not None:
            await effects(conn, after)
        closing_event = await note_changed_figures(conn, await project_households(conn, [after]))
        figures_events.extend([closing_event] if closing_event else [])

    result = await handle_command(
        services.store,
        services.pool,
        stream_id=stream_id(household_id),
        stream_type=STREAM_TYPE,
        codec=codec or HouseholdEventCodec(),
        decide=decision,
        publish=publish,
        project=project,
    )
    if not figures_events:
        return result
    token = consistency_token(services.publisher.source, str(figures_events[-1]))
    return dataclasses.replace(result, consistency_token=token)
