"""The poverty statistics read model: figures per unit and year, recomputed when a year's records change.

Writers only bump a year's change counter (cheap, in the command's transaction); the figures are recomputed
by the first read that finds them behind, so an annual review of tens of thousands of surveys costs one
recomputation per year read, not one per survey. The counter is read before the records, so figures are
never marked newer than the records they were computed from.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

import asyncpg

from household_registry.domain.statistics import PovertyFigures
from household_registry.domain.targets import UnitTarget


@dataclasses.dataclass(frozen=True)
class YearState:
    """How far a year's figures are behind its records."""

    changed: int | None
    computed: int | None
    as_of: datetime | None

    @property
    def stale(self) -> bool:
        return self.changed is not None and (self.computed is None or self.computed < self.changed)


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


async def mark_years_changed(conn: asyncpg.Connection, years: Iterable[int]) -> None:
    """Bump the change counter of each year (in year order, so concurrent writers never deadlock)."""
    for year in sorted(set(years)):
        await conn.execute(
            """INSERT INTO statistics_changes (year, counter) VALUES ($1, 1)
               ON CONFLICT (year) DO UPDATE SET counter = statistics_changes.counter + 1""",
            year,
        )


async def year_revisions(conn: asyncpg.Connection, years: Iterable[int]) -> dict[int, int]:
    """Each year's change counter: it only grows (a rebuild bumps it too), so it orders a year's published figures."""
    rows = await conn.fetch("SELECT year, counter FROM statistics_changes WHERE year = ANY($1::int[])", list(years))
    return {row["year"]: row["counter"] for row in rows}


async def year_state(conn: asyncpg.Connection, year: int) -> YearState:
    """The year's change counter and the counter its stored figures were computed at."""
    row = await conn.fetchrow(
        """SELECT (SELECT counter FROM statistics_changes WHERE year = $1) AS changed,
                  c.counter AS computed, c.as_of
           FROM (SELECT 1) AS one LEFT JOIN statistics_computed c ON c.year = $1""",
        year,
    )
    assert row is not None
    return YearState(row["changed"], row["computed"], row["as_of"])


async def lock_statistics(conn: asyncpg.Connection) -> None:
    """Serialise recomputations (inside the caller's transaction). A table lock rather than an advisory one, so
    a rebuild, which locks the read models in the same order, waits for a recomputation or makes it wait, and
    the two never deadlock."""
    await conn.execute("LOCK TABLE poverty_statistics IN SHARE ROW EXCLUSIVE MODE")


async def replace_year(conn: asyncpg.Connection, year: int, figures: Sequence[PovertyFigures], counter: int) -> None:
    """Store a year's recomputed figures for every unit, with the change counter they include."""
    await conn.execute("DELETE FROM poverty_statistics WHERE year = $1", year)
    await conn.executemany(
        "INSERT INTO poverty_statistics (unit_code, year, figures) VALUES ($1, $2, $3)",
        [(f.unit_code, f.year, figures_json(f)) for f in figures if f.year == year],
    )
    await conn.execute(
        """INSERT INTO statistics_computed (year, counter, as_of) VALUES ($1, $2, now())
           ON CONFLICT (year) DO UPDATE SET counter = excluded.counter, as_of = excluded.as_of""",
        year,
        counter,
    )


async def fetch_figures(conn: asyncpg.Connection, unit_code: str, year: int) -> dict[str, Any] | None:
    """A unit's stored figures for a year, or None when it had no households that year."""
    figures: dict[str, Any] | None = await conn.fetchval(
        "SELECT figures FROM poverty_statistics WHERE unit_code = $1 AND year = $2", unit_code, year
    )
    return figures


def _exact(value: Any) -> Any:
    # Decimals as their exact text (a float would turn 24.27 into 24.269999…); counts stay numbers.
    return str(value) if isinstance(value, Decimal) else value
