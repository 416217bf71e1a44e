"""The multidimensional poverty standard (chuẩn nghèo đa chiều): income lines, dimensions and indicators.

A standard is reference data with a version and a source, in force for a range of years. A new standard is a
new version: `PovertyStandards` holds every version and picks the one in force for a year, so a 2023 survey
is always classified by the 2022–2025 standard even after the 2027 one exists.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise

from household_registry.domain.errors import (
    NoStandardInForceError,
    ReferenceDataError,
    StandardNotInForceError,
    UnknownIndicatorError,
)
from household_registry.domain.sources import Source


class Area(StrEnum):
    """Where a household lives (khu vực): the income line differs between rural and urban areas."""

    RURAL = "rural"
    URBAN = "urban"


@dataclass(frozen=True)
class IncomeLines:
    """Income per person per month, in integer VND, for each area."""

    rural_vnd: int
    urban_vnd: int

    def for_area(self, area: Area) -> int:
        """The line that applies to a household in `area`."""
        return self.rural_vnd if area is Area.RURAL else self.urban_vnd


@dataclass(frozen=True)
class Dimension:
    """A basic social service (dịch vụ xã hội cơ bản), e.g. information (thông tin)."""

    code: str
    name_vi: str
    name_en: str


@dataclass(frozen=True)
class Indicator:
    """A deprivation indicator (chỉ số đo lường mức độ thiếu hụt) within one dimension."""

    code: str
    dimension: str
    number: str
    name_vi: str
    name_en: str


@dataclass(frozen=True)
class PovertyStandard:
    """One version of the standard: its lines, indicators and the poor / near-poor rule."""

    version: str
    title: str
    sources: tuple[Source, ...]
    valid_from_year: int
    valid_to_year: int
    poverty_lines: IncomeLines
    average_living_lines: IncomeLines | None
    dimensions: tuple[Dimension, ...]
    indicators: tuple[Indicator, ...]
    poor_min_deprivations: int
    information_access_clears: frozenset[str]
    rule_vi: str
    rule_en: str
    supersedes: str | None = None
    unconfirmed: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        dimensions = {dimension.code for dimension in self.dimensions}
        stray = sorted(i.code for i in self.indicators if i.dimension not in dimensions)
        if not self.indicators or stray:
            raise ReferenceDataError(f"standard {self.version}: no indicators, or outside its dimensions: {stray}")
        if not self.information_access_clears <= self.indicator_codes:
            raise ReferenceDataError(f"standard {self.version}: information access clears an unknown indicator")

    @property
    def indicator_codes(self) -> frozenset[str]:
        """The codes a survey may name as deprivations under this standard."""
        return frozenset(indicator.code for indicator in self.indicators)

    def is_in_force(self, year: int) -> bool:
        """Whether this standard applies to surveys (rà soát) of `year`."""
        return self.valid_from_year <= year <= self.valid_to_year

    def check_in_force(self, year: int) -> None:
        """Refuse to classify a survey of a year this standard does not cover."""
        if not self.is_in_force(year):
            period = f"{self.valid_from_year}–{self.valid_to_year}"
            raise StandardNotInForceError(f"standard {self.version} applies to {period}, not to {year}")

    def check_indicators(self, codes: Iterable[str]) -> None:
        """Refuse deprivation codes that are not indicators of this standard."""
        unknown = sorted(set(codes) - self.indicator_codes)
        if unknown:
            raise UnknownIndicatorError(f"standard {self.version} has no indicator {', '.join(unknown)}")

    def has_average_living_standard(self, area: Area, income_per_capita_vnd: int) -> bool:
        """Hộ có mức sống trung bình: above the poverty line, at or below the average-living line."""
        if self.average_living_lines is None:
            return False
        above_poverty = income_per_capita_vnd > self.poverty_lines.for_area(area)
        return above_poverty and income_per_capita_vnd <= self.average_living_lines.for_area(area)


class PovertyStandards:
    """Every version of the standard; picks the one in force for a year."""

    def __init__(self, standards: Iterable[PovertyStandard]) -> None:
        everything = {standard.version: standard for standard in standards}
        superseded = {standard.supersedes for standard in everything.values()}
        # A confirmed version replaces a provisional one by naming it, so the old file stays as it was.
        self._all = everything
        self._current = sorted((s for v, s in everything.items() if v not in superseded), key=_start)
        _check_no_overlap(self._current)

    def versions(self) -> list[str]:
        """Every version known, superseded ones included."""
        return sorted(self._all)

    def get(self, version: str) -> PovertyStandard:
        """The standard with that version, e.g. to re-read an old survey's classification."""
        try:
            return self._all[version]
        except KeyError:
            raise ReferenceDataError(f"no poverty standard has version {version!r}") from None

    def in_force(self, year: int) -> PovertyStandard:
        """The standard in force for surveys of `year`; raises `NoStandardInForceError` when there is none."""
        for standard in self._current:
            if standard.is_in_force(year):
                return standard
        raise NoStandardInForceError(year, ", ".join(_period(s) for s in self._current))


def _start(standard: PovertyStandard) -> int:
    return standard.valid_from_year


def _period(standard: PovertyStandard) -> str:
    return f"{standard.version} ({standard.valid_from_year}–{standard.valid_to_year})"


def _check_no_overlap(standards: list[PovertyStandard]) -> None:
    for earlier, later in pairwise(standards):
        if later.valid_from_year <= earlier.valid_to_year:
            raise ReferenceDataError(f"standards {_period(earlier)} and {_period(later)} overlap")
