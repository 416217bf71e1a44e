"""A DTI framework (bộ chỉ số đánh giá chuyển đổi số): groups, main indices and indicators of one version.

A framework is reference data with a version and a legal source; a new year's framework is a new version,
never an edit. Points are `Decimal`, so that the maxima add up exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from dti_scoring.domain.errors import UnknownIndicatorError
from dti_scoring.domain.rules import Rule
from dti_scoring.domain.values import IndicatorValue, ValueType


class Level(StrEnum):
    """The administrative level assessed: tỉnh, huyện or xã (a ward or town is assessed as a commune)."""

    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"


@dataclass(frozen=True)
class LegalSource:
    """The decision that issued the framework."""

    document: str
    issued_by: str
    issued_on: date
    about: str


@dataclass(frozen=True)
class Group:
    """A group of main indices: foundation (nền tảng) or activity (hoạt động)."""

    code: str
    name_vi: str
    name_en: str
    max_points: Decimal


@dataclass(frozen=True)
class Indicator:
    """An indicator (chỉ số thành phần / tiêu chí): what is asked, its value type and how it is scored.

    `points_to_confirm` marks maximum points that are this project's split, not yet confirmed by the issuer.
    """

    code: str
    main_index: str
    name_vi: str
    name_en: str
    value_type: ValueType
    max_points: Decimal
    rule: Rule
    points_to_confirm: bool

    def check_value(self, value: object) -> IndicatorValue:
        """The value as its type, or a typed refusal (wrong type, out of range, unknown level)."""
        return self.rule.check(self.code, value)

    def points(self, value: IndicatorValue) -> Decimal:
        """Unrounded points for a checked value."""
        return self.rule.points(value, self.max_points)


@dataclass(frozen=True)
class MainIndex:
    """A main index (chỉ số chính), also published normalised to [0, 1]."""

    code: str
    group: str
    name_vi: str
    name_en: str
    max_points: Decimal
    indicators: tuple[Indicator, ...]

    @property
    def scored(self) -> bool:
        """A main index worth no points (smart city in Decision 922) is reported but not scored."""
        return self.max_points > 0


@dataclass(frozen=True)
class Framework:
    """One version of the framework for one level, in force from `first_year` to `last_year` (None: open)."""

    version: str
    level: Level
    first_year: int
    last_year: int | None
    source: LegalSource
    max_points: Decimal
    groups: tuple[Group, ...]
    main_indices: tuple[MainIndex, ...]
    notes: tuple[str, ...] = ()

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        """Every indicator, in the order of the main indices."""
        return tuple(indicator for main in self.main_indices for indicator in main.indicators)

    def indicator(self, code: str) -> Indicator:
        """The indicator with this code, or `UnknownIndicatorError`."""
        for indicator in self.indicators:
            if indicator.code == code:
                return indicator
        raise UnknownIndicatorError(f"framework {self.version} has no indicator {code!r}")

    def has_indicator(self, code: str) -> bool:
        """Whether this version measures the indicator at all."""
        return any(indicator.code == code for indicator in self.indicators)

    def in_force(self, year: int) -> bool:
        """Whether assessments of `year` use this framework."""
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)
