"""Scoring rules: how an indicator's checked value becomes points.

Each rule kind is a small pure function; the rule objects carry a framework's parameters for it (a target, the
steps, the level fractions). Every rule object has the same three methods, documented on `YesNoRule`:
`check` a value suits the rule, turn a checked value into `points`, and `describe` the rule in words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from dti_scoring.domain.values import (
    IndicatorValue,
    ValueType,
    check_count,
    check_level,
    check_ratio,
    check_yes_no,
)

ZERO = Decimal(0)
ONE = Decimal(1)


def yes_no_points(answer: bool, max_points: Decimal) -> Decimal:
    """Full points for yes, none for no."""
    return max_points if answer else ZERO


def ratio_linear_points(ratio: Decimal, max_points: Decimal, target: Decimal) -> Decimal:
    """Points in proportion to the way travelled towards the target: max × min(ratio ÷ target, 1)."""
    return max_points * min(ratio / target, ONE)


def count_threshold_points(count: int, steps: Sequence[Step]) -> Decimal:
    """The points of the highest step the count reaches; none below the first step."""
    return max((step.points for step in steps if count >= step.at_least), default=ZERO)


def level_points(level: int, max_points: Decimal, fractions: Sequence[Decimal]) -> Decimal:
    """Level k earns fractions[k] of the maximum."""
    return max_points * fractions[level]


@dataclass(frozen=True)
class Step:
    """A count of at least `at_least` earns `points`."""

    at_least: int
    points: Decimal


@dataclass(frozen=True)
class YesNoRule:
    """Full points if yes (có), none if no."""

    kind: ClassVar[str] = "yes_no"
    value_type: ClassVar[ValueType] = ValueType.YES_NO

    def check(self, code: str, value: object) -> bool:
        """The value if it suits this rule, else a typed refusal naming the indicator."""
        return check_yes_no(code, value)

    def points(self, value: IndicatorValue, max_points: Decimal) -> Decimal:
        """Unrounded points for a checked value, out of `max_points`."""
        return yes_no_points(value is True, max_points)

    def describe(self) -> str:
        """The rule in words, for the explanation of a score."""
        return "yes_no: full points if yes, none if no"


@dataclass(frozen=True)
class RatioLinearRule:
    """Points grow with the ratio until it reaches the target."""

    target: Decimal
    kind: ClassVar[str] = "ratio_linear"
    value_type: ClassVar[ValueType] = ValueType.RATIO

    def check(self, code: str, value: object) -> Decimal:
        return check_ratio(code, value)

    def points(self, value: IndicatorValue, max_points: Decimal) -> Decimal:
        return ratio_linear_points(Decimal(value), max_points, self.target)

    def describe(self) -> str:
        return f"ratio_linear: max × min(ratio ÷ {self.target}, 1)"


@dataclass(frozen=True)
class CountThresholdRule:
    """Steps of a count, each worth a number of points; the highest step reached counts."""

    steps: tuple[Step, ...]
    kind: ClassVar[str] = "count_threshold"
    value_type: ClassVar[ValueType] = ValueType.COUNT

    def check(self, code: str, value: object) -> int:
        return check_count(code, value)

    def points(self, value: IndicatorValue, max_points: Decimal) -> Decimal:
        return count_threshold_points(int(value), self.steps)

    def describe(self) -> str:
        steps = ", ".join(f"≥ {step.at_least} → {step.points}" for step in self.steps)
        return f"count_threshold: {steps}"


@dataclass(frozen=True)
class LevelRule:
    """Levels 0..N (mức độ), each earning a fraction of the maximum."""

    fractions: tuple[Decimal, ...]
    kind: ClassVar[str] = "level"
    value_type: ClassVar[ValueType] = ValueType.LEVEL

    @property
    def top_level(self) -> int:
        return len(self.fractions) - 1

    def check(self, code: str, value: object) -> int:
        return check_level(code, value, self.top_level)

    def points(self, value: IndicatorValue, max_points: Decimal) -> Decimal:
        return level_points(int(value), max_points, self.fractions)

    def describe(self) -> str:
        fractions = ", ".join(f"{level} → {fraction}" for level, fraction in enumerate(self.fractions))
        return f"level: fraction of max by level ({fractions})"


Rule = YesNoRule | RatioLinearRule | CountThresholdRule | LevelRule
