"""Rankings (xếp hạng) of units by their finalised DTI score, per level and year, with the change from the
year before. Ties share a rank and the next rank skips (standard competition ranking: 1, 2, 2, 4)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from dti_scoring.domain.framework import Level


@dataclass(frozen=True)
class UnitResult:
    """A unit's finalised score (points) for a level and year."""

    unit_code: str
    level: Level
    year: int
    score: Decimal


@dataclass(frozen=True)
class RankedUnit:
    """A unit's place; `rank_change` is last year's rank minus this year's (positive: it climbed)."""

    rank: int
    unit_code: str
    score: Decimal
    previous_rank: int | None
    rank_change: int | None


def competition_ranks(scores: Mapping[str, Decimal]) -> dict[str, int]:
    """Each unit's rank: one more than the number of units that scored higher."""
    return {unit: 1 + sum(other > score for other in scores.values()) for unit, score in scores.items()}


def rank_units(results: Iterable[UnitResult], level: Level, year: int) -> list[RankedUnit]:
    """The ranking of one level and year, best first (ties by unit code), with the change from `year - 1`."""
    results = list(results)
    scores = scores_of(results, level, year)
    ranks = competition_ranks(scores)
    previous = competition_ranks(scores_of(results, level, year - 1))
    ranked = [_ranked(unit, ranks[unit], scores[unit], previous.get(unit)) for unit in scores]
    return sorted(ranked, key=lambda place: (place.rank, place.unit_code))


def rankings(results: Iterable[UnitResult]) -> dict[tuple[Level, int], list[RankedUnit]]:
    """Every ranking the results allow, keyed by (level, year)."""
    results = list(results)
    keys = sorted({(result.level, result.year) for result in results})
    return {(level, year): rank_units(results, level, year) for level, year in keys}


def scores_of(results: Iterable[UnitResult], level: Level, year: int) -> dict[str, Decimal]:
    """The scores of one level and year by unit code (a unit's last result wins)."""
    return {result.unit_code: result.score for result in results if result.level == level and result.year == year}


def _ranked(unit: str, rank: int, score: Decimal, previous_rank: int | None) -> RankedUnit:
    change = None if previous_rank is None else previous_rank - rank
    return RankedUnit(rank, unit, score, previous_rank, change)
