"""Poverty figures as the JSON the registry answers with and publishes: counts as numbers, rates and
reductions as exact decimal strings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from household_registry.domain.statistics import PovertyFigures
from household_registry.domain.targets import UnitTarget


def figures_json(figures: PovertyFigures) -> dict[str, Any]:
    """Figures as JSON, rates and reductions as exact decimal strings.

    Spelt out rather than `dataclasses.asdict`: an import publishes thousands of these, and `asdict` copies
    deeply (ten times slower)."""
    return {
        "unit_code": figures.unit_code,
        "level": figures.level.value,
        "year": figures.year,
        "households": figures.households,
        "poor": figures.poor,
        "near_poor": figures.near_poor,
        "poverty_rate": _exact(figures.poverty_rate),
        "near_poverty_rate": _exact(figures.near_poverty_rate),
        "ethnic_minority_households": figures.ethnic_minority_households,
        "ethnic_minority_poor": figures.ethnic_minority_poor,
        "ethnic_minority_poverty_rate": _exact(figures.ethnic_minority_poverty_rate),
        "reduction_pp": _exact(figures.reduction_pp),
        "ethnic_minority_reduction_pp": _exact(figures.ethnic_minority_reduction_pp),
        "projected": {name: _exact(value) for name, value in vars(figures.projected).items()},
        "target": _target_json(figures.target),
        "on_target": figures.on_target,
        "ethnic_minority_on_target": figures.ethnic_minority_on_target,
    }


def _target_json(target: UnitTarget | None) -> dict[str, Any] | None:
    if target is None:
        return None
    return {
        "version": target.version,
        "basis": target.basis.value,
        "reduction": {name: _exact(value) for name, value in vars(target.reduction).items()},
        "ethnic_minority_reduction": {name: _exact(v) for name, v in vars(target.ethnic_minority_reduction).items()},
        "poverty_rate_at_most": _exact(target.poverty_rate_at_most),
    }


def _exact(value: Any) -> Any:
    # Decimals as their exact text (a float would turn 24.27 into 24.269999…); counts stay numbers.
    return str(value) if isinstance(value, Decimal) else value
