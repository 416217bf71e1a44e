"""What the poverty views answer: a unit's figures for a review year.

Poverty figures are the household registry's published aggregates per unit and year, so they include what no
single integration event may carry (households' ethnicity) and the province's targets.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from backan_shared.api.examples import examples
from gateway.models.freshness import AS_OF_EXAMPLE


class ProjectedPoverty(BaseModel):
    """What the next review would give once information access clears the information deprivations."""

    poor: int
    near_poor: int
    poverty_rate: float | None
    near_poverty_rate: float | None
    ethnic_minority_poverty_rate: float | None = None
    reduction_pp: float | None = Field(description="last year's official rate minus this projected rate")


class ReductionTarget(BaseModel):
    """A yearly fall of a rate in percentage points: at least `min_pp`, ideally up to `max_pp` (null: or more)."""

    min_pp: float
    max_pp: float | None


class PovertyTarget(BaseModel):
    """The province's target a unit's figures are measured against."""

    version: str
    basis: Literal["province_average", "poor_district"]
    reduction: ReductionTarget
    ethnic_minority_reduction: ReductionTarget
    poverty_rate_at_most: float | None


_TARGET_EXAMPLE: dict[str, Any] = {
    "version": "backan-2021-2025",
    "basis": "province_average",
    "reduction": {"min_pp": 2.0, "max_pp": 2.5},
    "ethnic_minority_reduction": {"min_pp": 3.0, "max_pp": None},
    "poverty_rate_at_most": 22.31,
}
POVERTY_EXAMPLE: dict[str, Any] = {
    "unit_code": "01837",
    "unit_name": "Phường Sông Cầu",
    "level": "commune",
    "year": 2023,
    "households": 4,
    "poor": 2,
    "near_poor": 1,
    "poverty_rate": 50.0,
    "near_poverty_rate": 25.0,
    "registered_households": 4,
    "households_with_information_access": 1,
    "ethnic_minority_households": 3,
    "ethnic_minority_poor": 2,
    "ethnic_minority_poverty_rate": 66.67,
    "reduction_pp": 16.67,
    "ethnic_minority_reduction_pp": 33.33,
    "target": _TARGET_EXAMPLE | {"poverty_rate_at_most": None},
    "on_target": True,
    "ethnic_minority_on_target": True,
    "projected": {
        "poor": 1,
        "near_poor": 2,
        "poverty_rate": 25.0,
        "near_poverty_rate": 50.0,
        "ethnic_minority_poverty_rate": 33.33,
        "reduction_pp": 41.67,
    },
    "as_of": AS_OF_EXAMPLE["household"],
}


class PovertyFigures(BaseModel):
    """Poverty figures of a unit and review year, as the household registry published them.

    The counts, rates, reductions, target and projection are the registry's own aggregates (events about single
    households carry no ethnicity); `registered_households` and `households_with_information_access` are
    counted by the gateway from the households it has heard of.
    """

    model_config = examples(POVERTY_EXAMPLE)

    unit_code: str
    unit_name: str
    level: str
    year: int
    households: int = Field(description="households classified in the year's review")
    poor: int
    near_poor: int
    poverty_rate: float | None = Field(description="poor ÷ households × 100, 2 decimals")
    near_poverty_rate: float | None
    registered_households: int
    households_with_information_access: int
    ethnic_minority_households: int | None = None
    ethnic_minority_poor: int | None = None
    ethnic_minority_poverty_rate: float | None = Field(
        default=None, description="poor ethnic-minority households ÷ ethnic-minority households × 100"
    )
    reduction_pp: float | None = Field(description="last year's rate minus this year's, in percentage points")
    ethnic_minority_reduction_pp: float | None = None
    target: PovertyTarget | None = Field(default=None, description="null outside the years the targets cover")
    on_target: bool | None = Field(default=None, description="the reduction reaches the target's lower end")
    ethnic_minority_on_target: bool | None = None
    projected: ProjectedPoverty
    as_of: datetime | None = Field(description="the newest household event the gateway has applied")
