"""Poverty statistics per unit and year (GET /v1/poverty), computed by the domain's `figures_from_tallies` over
the classification records' tallies per commune and kept until a change to those records makes them stale."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import asyncpg

from household_registry.adapters.classification_records import load_commune_tallies
from household_registry.adapters.statistics_store import (
    fetch_figures,
    figures_json,
    lock_statistics,
    replace_year,
    year_state,
)
from household_registry.domain.statistics import PovertyFigures, ProjectedFigures, figures_from_tallies
from household_registry.domain.units import AdministrativeUnit
from household_registry.service_layer.services import ReferenceData, RegistryServices


@dataclass(frozen=True)
class PovertyAnswer:
    """A unit's figures for a year and the time up to which they include every recorded change."""

    unit: AdministrativeUnit
    figures: dict[str, Any]
    as_of: datetime


async def poverty_figures(services: RegistryServices, unit_code: str, year: int) -> PovertyAnswer:
    """The unit's figures (zero households when none were surveyed that year); an unknown unit is a 404."""
    unit = services.reference.units.get(unit_code)
    async with services.pool.acquire() as conn:
        as_of = await refresh_year(conn, services.reference, year)
        figures = await fetch_figures(conn, unit_code, year)
    empty = figures_json(no_households(unit, year, services.reference))
    return PovertyAnswer(unit, figures or empty, as_of or datetime.now(UTC))


async def refresh_year(conn: asyncpg.Connection, reference: ReferenceData, year: int) -> datetime | None:
    """Recompute a year's figures if its records (or the year before's) changed since they were computed."""
    state = await year_state(conn, year)
    if not state.stale:
        return state.as_of
    async with conn.transaction():
        await lock_statistics(conn)
        state = await year_state(conn, year)  # another reader may have recomputed it while we waited
        if state.stale and state.changed is not None:
            tallies = await load_commune_tallies(conn, [year - 1, year])
            figures = figures_from_tallies(tallies, reference.units, reference.targets)
            await replace_year(conn, year, figures, state.changed)
    return (await year_state(conn, year)).as_of


def no_households(unit: AdministrativeUnit, year: int, reference: ReferenceData) -> PovertyFigures:
    """The figures of a unit where no household was surveyed that year: zero counts, no rates."""
    target = reference.targets.for_unit(unit, year, reference.units)
    return PovertyFigures(
        unit_code=unit.code,
        level=unit.level,
        year=year,
        households=0,
        poor=0,
        near_poor=0,
        poverty_rate=None,
        near_poverty_rate=None,
        ethnic_minority_households=0,
        ethnic_minority_poor=0,
        ethnic_minority_poverty_rate=None,
        reduction_pp=None,
        ethnic_minority_reduction_pp=None,
        projected=ProjectedFigures(0, 0, None, None, None, None),
        target=target,
        on_target=None,
        ethnic_minority_on_target=None,
    )
