"""Publishing units' poverty figures (`PovertyStatisticsUpdated`), in rounds, by one publisher.

Integration events carry no ethnicity, so no consumer can count ethnic-minority households itself: the registry
publishes the figures of every unit a change touches instead (aggregates only). Commands only note, in the
transaction that changed the records, which communes changed (`note_changed_figures`); the publisher (one
replica at a time) closes the epoch they noted in, recounts those communes, and publishes the figures of each
commune with its district and province once per round, with the epoch as `revision`. Rounds run one after the
other and each counts every change noted before it, so a later revision never counts less than an earlier one.

This is what lets surveys of one year commit side by side: counting figures in every command made each survey
of a year wait on the one before it, and an annual review of a hundred thousand rows publish as many rounds.
"""

from __future__ import annotations

import uuid

import asyncpg

from backan_shared.contracts import household as contract
from backan_shared.database import create_pool
from backan_shared.leadership import LeaderLoop
from backan_shared.outbox import OutboxMessage, write_outbox
from household_registry.adapters.commune_tallies import recount_commune_tallies, stored_commune_tallies
from household_registry.adapters.figures_epochs import (
    Changes,
    ClosedEpoch,
    close_open_epoch,
    closed_epochs,
    finish_epoch,
    note_changes,
    take_changes,
)
from household_registry.adapters.figures_payload import figures_json
from household_registry.domain.statistics import PovertyFigures, figures_from_tallies
from household_registry.domain.units import AdministrativeUnits
from household_registry.service_layer.dependencies import Dependencies

_PUBLISHER_LOCK_KEY = 7_301_946_515


async def note_changed_figures(conn: asyncpg.Connection, changes: Changes) -> uuid.UUID | None:
    """Note the communes whose figures changed; return the id of the figures event that will include them."""
    if not changes:
        return None
    return await note_changes(conn, changes)


async def publish_figures_round(conn: asyncpg.Connection, services: Dependencies) -> int:
    """Close the open epoch and publish every closed epoch's figures; return how many messages were written."""
    await close_open_epoch(conn)
    written = 0
    for epoch in await closed_epochs(conn):
        async with conn.transaction():
            written += await _publish_epoch(conn, services, epoch)
    return written


async def _publish_epoch(conn: asyncpg.Connection, services: Dependencies, epoch: ClosedEpoch) -> int:
    changes = await take_changes(conn, epoch)
    messages: list[OutboxMessage] = []
    if changes:
        await recount_commune_tallies(conn, changes)
        years = sorted(changes)
        tallies = await stored_commune_tallies(conn, sorted({*years, *(year - 1 for year in years)}))
        reference = services.reference
        wanted = units_touched(changes, reference.units)
        figures = figures_from_tallies(tallies, reference.units, reference.targets, only=wanted)
        messages = [figures_message(services, one, epoch.epoch) for one in figures]
    if messages:
        # The last message carries the id the epoch's commands were given as their consistency token.
        last = messages[-1]
        closing = last.event.model_copy(update={"id": str(epoch.closing_event)})
        messages[-1] = OutboxMessage(last.topic, last.key, closing)
        await write_outbox(conn, messages)
    await finish_epoch(conn, epoch)
    return len(messages)


class FiguresPublisher:
    """Publishes poverty figures whenever commands note changes, in the replica holding the publisher lock."""

    def __init__(self, services: Dependencies, database_url: str, *, poll_interval: float = 1.0) -> None:
        self._services = services
        self._database_url = database_url
        self._pool: asyncpg.Pool | None = None
        self._leader = LeaderLoop(
            database_url,
            name="figures publisher",
            lock_key=_PUBLISHER_LOCK_KEY,
            channel="figures_pending",
            step=self._round,
            poll_interval=poll_interval,
        )

    async def run(self) -> None:
        # A connection of its own: behind busy commands in the shared pool, figures would be published late.
        self._pool = await create_pool(self._database_url, min_size=1, max_size=1)
        try:
            await self._leader.run()
        finally:
            await self._pool.close()

    async def stop(self) -> None:
        await self._leader.stop()

    async def _round(self) -> bool:
        assert self._pool is not None
        async with self._pool.acquire() as conn:
            await publish_figures_round(conn, self._services)
        return False


def units_touched(changes: Changes, units: AdministrativeUnits) -> set[tuple[str, int]]:
    """Each changed commune with its district and province, in each year it changed in."""
    return {
        (unit.code, year) for year, communes in changes.items() for code in communes for unit in units.lineage(code)
    }


def figures_message(services: Dependencies, figures: PovertyFigures, revision: int) -> OutboxMessage:
    """The unit's figures as an integration event, keyed by its province (one partition keeps them in order)."""
    province = services.reference.units.lineage(figures.unit_code)[-1]
    data = figures_json(figures) | {"revision": revision}
    publisher = services.publisher
    return publisher.message(contract.POVERTY_STATISTICS_UPDATED, data, key=province.code, subject=figures.unit_code)
