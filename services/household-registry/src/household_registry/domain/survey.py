"""A survey (phiếu rà soát) of one household for one year: its income and the deprivations found."""

from __future__ import annotations

from dataclasses import dataclass, replace

from household_registry.domain.errors import InvalidSurveyError
from household_registry.domain.poverty_standard import Area

EARLIEST_YEAR = 2000
LATEST_YEAR = 2100


@dataclass(frozen=True)
class Survey:
    """What the annual review found: income per person per month (integer VND) and deprivation codes."""

    year: int
    area: Area
    income_per_capita_vnd: int
    deprivations: frozenset[str]

    def __post_init__(self) -> None:
        # bool is an int in Python, but "True đồng" is no income
        if isinstance(self.income_per_capita_vnd, bool) or not isinstance(self.income_per_capita_vnd, int):
            raise InvalidSurveyError(f"income must be a whole number of VND, not {self.income_per_capita_vnd!r}")
        if self.income_per_capita_vnd < 0:
            raise InvalidSurveyError(f"income cannot be negative: {self.income_per_capita_vnd} VND")
        if not EARLIEST_YEAR <= self.year <= LATEST_YEAR:
            raise InvalidSurveyError(f"{self.year} is not a plausible review year")

    def same_findings(self, income_per_capita_vnd: int, deprivations: frozenset[str]) -> bool:
        """Whether another survey of the household's year found exactly this income and these deprivations."""
        return (self.income_per_capita_vnd, self.deprivations) == (income_per_capita_vnd, deprivations)

    def without(self, cleared: frozenset[str]) -> Survey:
        """The same survey with some deprivations cleared, e.g. by information access."""
        return replace(self, deprivations=self.deprivations - cleared)
