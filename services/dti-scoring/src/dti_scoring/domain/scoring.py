"""The DTI score: a pure function of an assessment's approved values and its framework version.

Points are rounded half up to 2 decimals per indicator, and a main index's points are the sum of its rounded
indicator points, so the explanation adds up exactly to the total. Each main index is normalised to [0, 1]
(points ÷ max); the index is Σ(max × normalised) ÷ max score, which is the total ÷ the max score
(Decision 922/QĐ-BTTTT publishes it on [0, 1] to 4 decimals).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from dti_scoring.domain.framework import Framework, Group, Indicator, MainIndex
from dti_scoring.domain.rules import Rule
from dti_scoring.domain.values import IndicatorValue

POINTS = Decimal("0.01")
FRACTION = Decimal("0.0001")


@dataclass(frozen=True)
class IndicatorScore:
    """One indicator's points, explained: the approved value (None if none), points, max and the rule."""

    code: str
    main_index: str
    value: IndicatorValue | None
    points: Decimal
    max_points: Decimal
    rule: Rule


@dataclass(frozen=True)
class MainIndexScore:
    """A main index's points and its normalised value in [0, 1] (0 for one that is not scored)."""

    code: str
    group: str
    points: Decimal
    max_points: Decimal
    normalised: Decimal
    scored: bool


@dataclass(frozen=True)
class GroupScore:
    """A group's points (foundation or activity)."""

    code: str
    points: Decimal
    max_points: Decimal


@dataclass(frozen=True)
class AssessmentScore:
    """The whole score: per indicator, per main index, per group, the total, the max score and the index."""

    framework_version: str
    indicators: tuple[IndicatorScore, ...]
    main_indices: tuple[MainIndexScore, ...]
    groups: tuple[GroupScore, ...]
    total: Decimal
    max_score: Decimal
    index: Decimal

    def main_index(self, code: str) -> MainIndexScore:
        """The score of the main index with this code."""
        return next(main for main in self.main_indices if main.code == code)

    def indicator(self, code: str) -> IndicatorScore:
        """The score of the indicator with this code."""
        return next(indicator for indicator in self.indicators if indicator.code == code)


def score_assessment(approved_values: Mapping[str, object], framework: Framework) -> AssessmentScore:
    """Score approved values (by indicator code) on a framework; an indicator without one scores 0.

    Values are checked again, so a value the framework cannot score is refused rather than scored wrongly.
    """
    for code in approved_values:
        framework.indicator(code)
    indicators = tuple(score_indicator(i, approved_values.get(i.code)) for i in framework.indicators)
    main_indices = tuple(score_main_index(main, indicators) for main in framework.main_indices)
    total = sum((main.points for main in main_indices), Decimal(0))
    return AssessmentScore(
        framework_version=framework.version,
        indicators=indicators,
        main_indices=main_indices,
        groups=tuple(score_group(group, main_indices) for group in framework.groups),
        total=total,
        max_score=framework.max_points,
        index=fraction_of(total, framework.max_points),
    )


def score_indicator(indicator: Indicator, value: object | None) -> IndicatorScore:
    """Points for one indicator's value; none for a missing value."""
    checked = None if value is None else indicator.check_value(value)
    points = Decimal(0) if checked is None else round_points(indicator.points(checked))
    return IndicatorScore(indicator.code, indicator.main_index, checked, points, indicator.max_points, indicator.rule)


def score_main_index(main: MainIndex, indicators: Sequence[IndicatorScore]) -> MainIndexScore:
    """A main index's points (the sum of its indicators') and its normalised value."""
    points = sum((i.points for i in indicators if i.main_index == main.code), Decimal(0))
    normalised = fraction_of(points, main.max_points)
    return MainIndexScore(main.code, main.group, points, main.max_points, normalised, main.scored)


def score_group(group: Group, main_indices: Sequence[MainIndexScore]) -> GroupScore:
    """A group's points: the sum of its main indices'."""
    points = sum((main.points for main in main_indices if main.group == group.code), Decimal(0))
    return GroupScore(group.code, points, group.max_points)


def round_points(points: Decimal) -> Decimal:
    """Points rounded half up to 2 decimals."""
    return points.quantize(POINTS, rounding=ROUND_HALF_UP)


def fraction_of(points: Decimal, max_points: Decimal) -> Decimal:
    """points ÷ max, rounded half up to 4 decimals; 0 when nothing can be earned."""
    if max_points == 0:
        return Decimal(0).quantize(FRACTION)
    return (points / max_points).quantize(FRACTION, rounding=ROUND_HALF_UP)
