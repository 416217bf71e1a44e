"""The province's poverty-reduction targets (chỉ tiêu giảm nghèo) and the target each unit is measured against.

Targets are reductions of the poverty rate in percentage points per year (a positive number is a fall):
the province −2 to −2.5 pp a year on average over 2021–2025, poor districts −4 to −5 pp or more,
ethnic-minority households (dân tộc thiểu số) −3 pp or more, plus year-end rates (22.31% at the end of 2023).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from household_registry.domain.sources import Source
from household_registry.domain.units import AdministrativeUnit, AdministrativeUnits, UnitLevel


class TargetBasis(StrEnum):
    """Which of the province's targets applies to a unit."""

    PROVINCE_AVERAGE = "province_average"
    POOR_DISTRICT = "poor_district"


@dataclass(frozen=True)
class ReductionTarget:
    """A yearly fall of a rate, in percentage points: at least `min_pp`, ideally up to `max_pp` (None: or more)."""

    min_pp: Decimal
    max_pp: Decimal | None = None

    def is_met_by(self, reduction_pp: Decimal) -> bool:
        """Whether a measured reduction reaches the target (the lower end of the range)."""
        return reduction_pp >= self.min_pp


@dataclass(frozen=True)
class Baseline:
    """The published starting point: the 2021 full review (tổng rà soát) under the 2022–2025 standard."""

    year: int
    unit_code: str
    poor_households: int
    poverty_rate: Decimal
    near_poor_households: int
    near_poverty_rate: Decimal
    source: Source


@dataclass(frozen=True)
class ReportedReduction:
    """A reduction the province has published, kept to compare the registry's figures with."""

    year: int
    unit_code: str
    reduction_pp: Decimal
    ethnic_minority_reduction_pp: Decimal | None
    source: Source


@dataclass(frozen=True)
class UnitTarget:
    """The targets one unit's figures for one year are measured against."""

    version: str
    basis: TargetBasis
    reduction: ReductionTarget
    ethnic_minority_reduction: ReductionTarget
    poverty_rate_at_most: Decimal | None


@dataclass(frozen=True)
class PovertyTargets:
    """One version of the province's targets, with their sources and the years they cover."""

    version: str
    province_code: str
    sources: tuple[Source, ...]
    first_year: int
    last_year: int
    province_average: ReductionTarget
    poor_district: ReductionTarget
    ethnic_minority: ReductionTarget
    poor_district_codes: frozenset[str]
    year_end_rates: Mapping[tuple[str, int], Decimal]
    baseline: Baseline
    reported: tuple[ReportedReduction, ...] = field(default=())

    def for_unit(self, unit: AdministrativeUnit, year: int, units: AdministrativeUnits) -> UnitTarget | None:
        """The target for `unit` in `year`, or None outside the years the targets cover."""
        if not self.first_year <= year <= self.last_year:
            return None
        basis = self._basis(unit, units)
        reduction = self.poor_district if basis is TargetBasis.POOR_DISTRICT else self.province_average
        at_most = self.year_end_rates.get((unit.code, year))
        return UnitTarget(self.version, basis, reduction, self.ethnic_minority, at_most)

    def _basis(self, unit: AdministrativeUnit, units: AdministrativeUnits) -> TargetBasis:
        # A poor district's communes share its steeper target: the district's rate is theirs in sum.
        districts = {u.code for u in units.lineage(unit.code) if u.level is UnitLevel.DISTRICT}
        poor = districts & self.poor_district_codes
        return TargetBasis.POOR_DISTRICT if poor else TargetBasis.PROVINCE_AVERAGE
