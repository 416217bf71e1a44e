"""Poverty statistics per unit and year (GET /v1/poverty), computed by the domain's `figures_from_tallies` over
the classification records as they stand at the read, so the registry's own answer includes every write before
it. (The published figures, which the gateway serves, follow in the figures publisher's rounds.)"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from household_registry.adapters.commune_tallies import count_commune_tallies
from household_registry.adapters.figures_payload import figures_json
from household_registry.domain.statistics import PovertyFigures, ProjectedFigures, figures_from_tallies
from household_registry.domain.units import AdministrativeUnit
from household_registry.service_layer.dependencies import Dependencies, ReferenceData


@dataclass(frozen=True)
class PovertyAnswer:
    """A unit's figures for a year and the time they were counted at."""

    unit: AdministrativeUnit
    figures: dict[str, Any]
    as_of: datetime


async def poverty_figures(services: Dependencies, unit_code: str, year: int) -> PovertyAnswer:
    """The unit's figures (zero households when none were surveyed that year); an unknown unit is a 404."""
    unit = services.reference.units.get(unit_code)
    reference = services.reference
    async with services.pool.acquire() as conn:
        as_of = datetime.now(UTC)
        tallies = await count_commune_tallies(conn, [year - 1, year])
    counted = figures_from_tallies(tallies, reference.units, reference.targets, only={(unit_code, year)})
    figures = counted[0] if counted else no_households(unit, year, reference)
    return PovertyAnswer(unit, figures_json(figures), as_of)


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
