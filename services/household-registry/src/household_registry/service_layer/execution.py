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
from household_registry.service_layer.figures_publishing import publish_changed_figures
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

    A change to the household's classification records also publishes the figures of its commune, district
    and province; the answer's consistency token then names the last of them, so a read of the gateway's
    poverty figures that waits for it sees this write.
    """
    figures: list[OutboxMessage] = []

    def publish(new: Sequence[HouseholdEvent]) -> Sequence[OutboxMessage]:
        return services.publisher.messages(decision.before, new, decision.after())

    async def project(conn: asyncpg.Connection, _: Sequence[HouseholdEvent]) -> None:
        after = decision.after()
        if effects is not None:
            await effects(conn, after)
        changes = await project_households(conn, [after])
        figures.extend(await publish_changed_figures(conn, services, changes))

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
    return with_token_of(result, figures)


def with_token_of(
    result: CommandResult[HouseholdEvent], messages: Sequence[OutboxMessage]
) -> CommandResult[HouseholdEvent]:
    """The result with a consistency token naming the last of `messages`, if any were written."""
    if not messages:
        return result
    last = messages[-1].event
    return dataclasses.replace(result, consistency_token=consistency_token(last.source, last.id))
