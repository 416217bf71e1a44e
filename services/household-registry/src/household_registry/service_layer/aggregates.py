"""The household as `run_command` stores it: one stream per household, the integration events a change
publishes (they compare the household before and after), and the views and classification records projected
in the same transaction.

A change to the household's classification records is noted for the figures publisher; the command's
consistency token then names the figures event that will include it, so a read of the gateway's poverty
figures that waits for it sees this write.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import asyncpg

from backan_shared.command_handling import AggregateType, Change, replayed
from backan_shared.consistency import consistency_token
from backan_shared.outbox import OutboxMessage
from household_registry.adapters.event_codec import HouseholdEventCodec
from household_registry.domain.errors import HouseholdNotRegisteredError
from household_registry.domain.events import HouseholdEvent
from household_registry.domain.household import Household
from household_registry.service_layer.dependencies import Dependencies
from household_registry.service_layer.figures_publishing import note_changed_figures
from household_registry.service_layer.projection import project_households

STREAM_TYPE = "household"
HouseholdChange = Change[Household, HouseholdEvent]


def stream_id(household_id: uuid.UUID) -> str:
    """The event stream of one household."""
    return f"household-{household_id}"


def registered(household: Household | None, household_id: uuid.UUID) -> Household:
    """The household a command names, which must exist."""
    if household is None:
        raise HouseholdNotRegisteredError(f"no household {household_id} is registered")
    return household


def _publish(deps: Dependencies, change: HouseholdChange) -> Sequence[OutboxMessage]:
    return deps.publisher.messages(change.before, change.new, change.after)


async def _project(conn: asyncpg.Connection, deps: Dependencies, change: HouseholdChange) -> str | None:
    closing_event = await note_changed_figures(conn, await project_households(conn, [change.after]))
    return consistency_token(deps.publisher.source, str(closing_event)) if closing_event else None


HOUSEHOLDS: AggregateType[Household, HouseholdEvent, Dependencies] = AggregateType(
    stream_type=STREAM_TYPE,
    codec=HouseholdEventCodec(),
    replay=Household.replay,
    # a household's methods only return the events they decide: the household after is a replay
    advance=replayed(Household.replay),
    publish=_publish,
    project=_project,
)
