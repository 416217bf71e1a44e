"""/v1/poverty (statistics per unit and year), /v1/poverty/standard and /v1/units (reference data)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from backan_shared.api.poverty import PovertyPublic, PovertyStandardPublic, UnitPublic
from household_registry.domain.poverty_standard import PovertyStandard
from household_registry.domain.units import AdministrativeUnit, UnitLevel
from household_registry.entrypoints.dependencies import DependenciesDep
from household_registry.service_layer.statistics import poverty_figures

router = APIRouter(prefix="/v1", tags=["poverty", "reference data"])
Year = Annotated[int, Query(ge=2000, le=2100, description="review year, e.g. 2023")]


@router.get("/poverty", response_model=PovertyPublic, summary="Poverty figures of a unit for a review year")
async def get_poverty(
    services: DependenciesDep,
    year: Year,
    unit_code: Annotated[str, Query(min_length=2, max_length=5, description="official unit code")],
) -> PovertyPublic:
    answer = await poverty_figures(services, unit_code, year)
    return PovertyPublic.model_validate({**answer.figures, "unit_name": answer.unit.name, "as_of": answer.as_of})


@router.get("/poverty/standard", response_model=PovertyStandardPublic, summary="The poverty standard in force")
async def get_poverty_standard(services: DependenciesDep, year: Year) -> PovertyStandardPublic:
    return standard_public(services.reference.standards.in_force(year))


@router.get("/units", response_model=list[UnitPublic], summary="Administrative units with official codes")
async def list_units(
    services: DependenciesDep,
    level: Annotated[UnitLevel | None, Query(description="province, district or commune")] = None,
    parent: Annotated[str | None, Query(description="only the units directly under this code")] = None,
) -> list[UnitPublic]:
    units = services.reference.units
    if parent is not None:
        units.get(parent)  # an unknown parent is a 404, not an empty list
    found = [u for u in units if (level is None or u.level is level) and (parent is None or u.parent_code == parent)]
    return [unit_public(unit) for unit in sorted(found, key=lambda u: u.code)]


def unit_public(unit: AdministrativeUnit) -> UnitPublic:
    return UnitPublic.model_validate(
        {
            "code": unit.code,
            "name": unit.name,
            "level": unit.level.value,
            "parent_code": unit.parent_code,
            "pilot": unit.pilot,
            "valid_from": unit.valid_from,
            "valid_to": unit.valid_to,
        }
    )


def standard_public(standard: PovertyStandard) -> PovertyStandardPublic:
    """The standard as published: lines, indicators with their dimensions, the rule and its sources."""
    average = standard.average_living_lines
    return PovertyStandardPublic.model_validate(
        {
            "version": standard.version,
            "title": standard.title,
            "source": standard.sources[0].document,
            "sources": [vars(source) for source in standard.sources],
            "valid_from_year": standard.valid_from_year,
            "valid_to_year": standard.valid_to_year,
            "income_lines": vars(standard.poverty_lines),
            "average_living_lines": vars(average) if average else None,
            "indicators": [
                {"code": i.code, "dimension": i.dimension, "number": i.number, "name": i.name_en, "name_vi": i.name_vi}
                for i in standard.indicators
            ],
            "rule": {
                "poor_min_deprivations": standard.poor_min_deprivations,
                "en": standard.rule_en,
                "vi": standard.rule_vi,
            },
            "information_access_clears": sorted(standard.information_access_clears),
        }
    )
