"""Publishing units' poverty figures (`PovertyStatisticsUpdated`) in the transaction that changed them.

Integration events carry no ethnicity, so no consumer can count ethnic-minority households itself: the registry
publishes the figures of every unit a change touches instead (aggregates only). The change's classification
records are written first; then the changed years' statistics are marked stale, which takes each year's row
lock, and only then are the figures counted. So two writers of one year publish one after the other, the later
counting the earlier's households, and the year's change counter they read (the `revision`) orders what they
published even if a consumer sees it out of order.
"""

from __future__ import annotations

from collections.abc import Mapping

import asyncpg

from backan_shared.contracts import household as contract
from backan_shared.outbox import OutboxMessage, write_outbox
from household_registry.adapters.classification_records import load_commune_tallies
from household_registry.adapters.statistics_store import figures_json, mark_years_changed, year_revisions
from household_registry.domain.statistics import PovertyFigures, figures_from_tallies
from household_registry.domain.units import AdministrativeUnits
from household_registry.service_layer.services import RegistryServices

Changes = Mapping[int, set[str]]
"""The communes whose figures changed, by year."""


async def publish_changed_figures(
    conn: asyncpg.Connection, services: RegistryServices, changes: Changes
) -> list[OutboxMessage]:
    """Mark the changed years stale and write the figures of each unit the changes touch to the outbox."""
    if not changes:
        return []
    await mark_years_changed(conn, changes.keys())
    years = sorted(changes)
    tallies = await load_commune_tallies(conn, sorted({*years, *(year - 1 for year in years)}))
    reference = services.reference
    wanted = units_touched(changes, reference.units)
    figures = figures_from_tallies(tallies, reference.units, reference.targets, only=wanted)
    revisions = await year_revisions(conn, years)
    messages = [figures_message(services, one, revisions[one.year]) for one in figures]
    await write_outbox(conn, messages)
    return messages


def units_touched(changes: Changes, units: AdministrativeUnits) -> set[tuple[str, int]]:
    """Each changed commune with its district and province, in each year it changed in."""
    return {
        (unit.code, year) for year, communes in changes.items() for code in communes for unit in units.lineage(code)
    }


def figures_message(services: RegistryServices, figures: PovertyFigures, revision: int) -> OutboxMessage:
    """The unit's figures as an integration event, keyed by its province (one partition keeps them in order)."""
    province = services.reference.units.lineage(figures.unit_code)[-1]
    data = figures_json(figures) | {"revision": revision}
    publisher = services.publisher
    return publisher.message(contract.POVERTY_STATISTICS_UPDATED, data, key=province.code, subject=figures.unit_code)
