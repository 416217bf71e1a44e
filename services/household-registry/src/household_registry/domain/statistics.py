"""Poverty statistics per unit and year, as a pure calculation over households' classifications.

Rates are poor households ÷ resident households × 100 (tỷ lệ hộ nghèo), as a Decimal rounded half-up to 2
places, the way the province publishes them. The reduction (mức giảm) is last year's published rate minus
this year's, in percentage points, so a fall is positive and the figures add up the way readers check them
(26.93 − 24.27 = 2.66). Projected figures use each household's projected classification: what the next review
would give once information access (a smartphone) clears the information deprivations.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from household_registry.domain.classification import Classification
from household_registry.domain.errors import StatisticsInputError
from household_registry.domain.targets import PovertyTargets, ReductionTarget, UnitTarget
from household_registry.domain.units import AdministrativeUnits, UnitLevel

_CENT = Decimal("0.01")
_Key = tuple[str, int]


@dataclass(frozen=True)
class ClassificationRecord:
    """One household's classification in one year, with only what the statistics need (no personal data)."""

    household_id: uuid.UUID
    commune_code: str
    year: int
    ethnic_minority: bool
    classification: Classification
    projected_classification: Classification


@dataclass(frozen=True)
class Counts:
    """Households counted in one unit and year."""

    households: int
    poor: int
    near_poor: int
    ethnic_minority_households: int
    ethnic_minority_poor: int

    @property
    def poverty_rate(self) -> Decimal | None:
        """Poor ÷ households × 100; None for a unit with no households."""
        return percent(self.poor, self.households)

    @property
    def near_poverty_rate(self) -> Decimal | None:
        """Near-poor ÷ households × 100."""
        return percent(self.near_poor, self.households)

    @property
    def ethnic_minority_poverty_rate(self) -> Decimal | None:
        """Poor ethnic-minority households ÷ ethnic-minority households × 100."""
        return percent(self.ethnic_minority_poor, self.ethnic_minority_households)

    def __add__(self, other: Counts) -> Counts:
        """The households of two groups together (a district is the sum of its communes)."""
        return Counts(
            households=self.households + other.households,
            poor=self.poor + other.poor,
            near_poor=self.near_poor + other.near_poor,
            ethnic_minority_households=self.ethnic_minority_households + other.ethnic_minority_households,
            ethnic_minority_poor=self.ethnic_minority_poor + other.ethnic_minority_poor,
        )


@dataclass(frozen=True)
class CommuneTally:
    """One commune's households in one year, counted by their official and by their projected classification.

    Tallies are all the statistics need: a database can count them with one GROUP BY, so figures for a province
    of tens of thousands of households never need every household in memory.
    """

    commune_code: str
    year: int
    official: Counts
    projected: Counts


@dataclass(frozen=True)
class ProjectedFigures:
    """The figures the next review would give once information access clears information deprivations."""

    poor: int
    near_poor: int
    poverty_rate: Decimal | None
    near_poverty_rate: Decimal | None
    ethnic_minority_poverty_rate: Decimal | None
    reduction_pp: Decimal | None


@dataclass(frozen=True)
class PovertyFigures:
    """Official and projected figures of one unit (commune, district or province) for one year.

    `on_target` says whether the reduction reaches the lower end of the target's range; it is None when
    there is no reduction (no figures for the year before) or no target for that year.
    """

    unit_code: str
    level: UnitLevel
    year: int
    households: int
    poor: int
    near_poor: int
    poverty_rate: Decimal | None
    near_poverty_rate: Decimal | None
    ethnic_minority_households: int
    ethnic_minority_poor: int
    ethnic_minority_poverty_rate: Decimal | None
    reduction_pp: Decimal | None
    ethnic_minority_reduction_pp: Decimal | None
    projected: ProjectedFigures
    target: UnitTarget | None
    on_target: bool | None
    ethnic_minority_on_target: bool | None


def percent(part: int, whole: int) -> Decimal | None:
    """`part` as a percentage of `whole`, 2 decimals, half-up; None when `whole` is 0."""
    if whole == 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(_CENT, rounding=ROUND_HALF_UP)


def reduction(before: Decimal | None, after: Decimal | None) -> Decimal | None:
    """The fall from `before` to `after` in percentage points (negative when the rate rose)."""
    if before is None or after is None:
        return None
    return before - after


def compute_poverty_statistics(
    records: Iterable[ClassificationRecord],
    units: AdministrativeUnits,
    targets: PovertyTargets | None = None,
) -> list[PovertyFigures]:
    """Figures for every unit and year that has households, each commune counted in its district and province.

    The reduction compares with the year just before (year − 1): with no figures for that year it is None.
    A record whose commune is not in `units` raises `UnknownUnitError`.
    """
    return figures_from_tallies(tally_communes(records), units, targets)


def tally_communes(records: Iterable[ClassificationRecord]) -> list[CommuneTally]:
    """Count the records of each commune and year (a household counted twice in one year is refused)."""
    groups: defaultdict[_Key, list[ClassificationRecord]] = defaultdict(list)
    for record in _unique(records):
        groups[(record.commune_code, record.year)].append(record)
    return [
        CommuneTally(
            code,
            year,
            _count([(r.classification, r.ethnic_minority) for r in members]),
            _count([(r.projected_classification, r.ethnic_minority) for r in members]),
        )
        for (code, year), members in sorted(groups.items())
    ]


def figures_from_tallies(
    tallies: Iterable[CommuneTally],
    units: AdministrativeUnits,
    targets: PovertyTargets | None = None,
    *,
    only: Collection[tuple[str, int]] | None = None,
) -> list[PovertyFigures]:
    """Figures for every unit and year the tallies give households to, or only for the (unit, year) in `only`.

    The tallies must include the year before each year asked for, which its reduction is measured against.
    """
    listed = list(tallies)
    official = _roll_up(listed, units, projected=False)
    calculator = _Calculator(official, _roll_up(listed, units, projected=True), units, targets)
    wanted = sorted(official) if only is None else sorted(key for key in set(only) if key in official)
    return [calculator.figures(code, year) for code, year in wanted]


def _unique(records: Iterable[ClassificationRecord]) -> list[ClassificationRecord]:
    listed = list(records)
    seen = Counter((record.household_id, record.year) for record in listed)
    twice = sorted(f"{household} in {year}" for (household, year), n in seen.items() if n > 1)
    if twice:
        raise StatisticsInputError(f"a household is counted twice in one year: {', '.join(twice)}")
    return listed


def _roll_up(tallies: Sequence[CommuneTally], units: AdministrativeUnits, *, projected: bool) -> dict[_Key, Counts]:
    totals: dict[_Key, Counts] = {}
    for tally in tallies:
        counts = tally.projected if projected else tally.official
        for unit in units.lineage(tally.commune_code):
            key = (unit.code, tally.year)
            totals[key] = totals[key] + counts if key in totals else counts
    return totals


def _count(members: list[tuple[Classification, bool]]) -> Counts:
    poor = [minority for classification, minority in members if classification is Classification.POOR]
    return Counts(
        households=len(members),
        poor=len(poor),
        near_poor=sum(1 for classification, _ in members if classification is Classification.NEAR_POOR),
        ethnic_minority_households=sum(1 for _, minority in members if minority),
        ethnic_minority_poor=sum(1 for minority in poor if minority),
    )


class _Calculator:
    """Turns the counts of every unit and year into figures; holds the tallies so each step stays small."""

    def __init__(
        self,
        official: dict[_Key, Counts],
        projected: dict[_Key, Counts],
        units: AdministrativeUnits,
        targets: PovertyTargets | None,
    ) -> None:
        self._official, self._projected, self._units, self._targets = official, projected, units, targets

    def figures(self, code: str, year: int) -> PovertyFigures:
        counts, before = self._official[(code, year)], self._official.get((code, year - 1))
        fall = reduction(before.poverty_rate if before else None, counts.poverty_rate)
        minority_before = before.ethnic_minority_poverty_rate if before else None
        minority_fall = reduction(minority_before, counts.ethnic_minority_poverty_rate)
        target = self._target(code, year)
        return PovertyFigures(
            unit_code=code,
            level=self._units.get(code).level,
            year=year,
            households=counts.households,
            poor=counts.poor,
            near_poor=counts.near_poor,
            poverty_rate=counts.poverty_rate,
            near_poverty_rate=counts.near_poverty_rate,
            ethnic_minority_households=counts.ethnic_minority_households,
            ethnic_minority_poor=counts.ethnic_minority_poor,
            ethnic_minority_poverty_rate=counts.ethnic_minority_poverty_rate,
            reduction_pp=fall,
            ethnic_minority_reduction_pp=minority_fall,
            projected=self._projection(code, year, before),
            target=target,
            on_target=_met(target.reduction if target else None, fall),
            ethnic_minority_on_target=_met(target.ethnic_minority_reduction if target else None, minority_fall),
        )

    def _projection(self, code: str, year: int, before: Counts | None) -> ProjectedFigures:
        # Measured against last year's *official* rate: the projection is what this year's review would show.
        counts = self._projected[(code, year)]
        return ProjectedFigures(
            poor=counts.poor,
            near_poor=counts.near_poor,
            poverty_rate=counts.poverty_rate,
            near_poverty_rate=counts.near_poverty_rate,
            ethnic_minority_poverty_rate=counts.ethnic_minority_poverty_rate,
            reduction_pp=reduction(before.poverty_rate if before else None, counts.poverty_rate),
        )

    def _target(self, code: str, year: int) -> UnitTarget | None:
        if self._targets is None:
            return None
        return self._targets.for_unit(self._units.get(code), year, self._units)


def _met(target: ReductionTarget | None, fall: Decimal | None) -> bool | None:
    if target is None or fall is None:
        return None
    return target.is_met_by(fall)
