"""Writing what a batch decided for many households in one transaction: the streams, the integration events,
the read models, and a note of the communes whose figures the batch changed (the figures publisher counts them
once per round, not once per household)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

import asyncpg

from backan_shared.event_store import NewEvent
from backan_shared.outbox import OutboxMessage, write_outbox
from household_registry.adapters.household_streams import StreamAppend, append_to_streams
from household_registry.domain.household import Household
from household_registry.service_layer.aggregates import STREAM_TYPE, stream_id
from household_registry.service_layer.figures_publishing import note_changed_figures
from household_registry.service_layer.projection import project_households


@dataclass
class DecidedHousehold:
    """What a batch decided for one household: its new stored events, their integration events, its state after."""

    after: Household
    expected_version: int
    events: list[NewEvent] = field(default_factory=list)
    messages: list[OutboxMessage] = field(default_factory=list)


async def write_decided(conn: asyncpg.Connection, decided: Sequence[DecidedHousehold]) -> uuid.UUID | None:
    """Append, publish and project every decided household in the caller's transaction; return the id of the
    figures event that will include them. A stream appended to meanwhile raises `StreamsChangedError` and the
    transaction must roll back."""
    changed = [household for household in decided if household.events]
    appends = [StreamAppend(stream_id(d.after.household_id), d.expected_version, d.events) for d in changed]
    await append_to_streams(conn, STREAM_TYPE, appends)
    await write_outbox(conn, [message for household in changed for message in household.messages])
    return await note_changed_figures(conn, await project_households(conn, [household.after for household in changed]))
